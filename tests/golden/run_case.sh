#!/usr/bin/env bash
# run_case.sh MRV_BINARY CASE_DIR: runs one golden end-to-end test.
#
# A case is a folder under tests/golden/ holding:
#   cmd     one line of shell, where `mrv` is the binary under test, e.g.
#             mrv calc examples/mn-pv/project.yaml --by month --format csv
#           It runs in bash from the repository root, so paths are written
#           from there (a case's own inputs: tests/golden/CASE/input.csv, or
#           "$CASE/input.csv").
#   stdout  the exact expected standard output (missing: expected empty)
#   stderr  the exact expected standard error (missing: not checked)
#   exit    the expected exit status (missing: 0)
#
# The environment is pinned so that output is the same on every machine:
# LC_ALL=C, TZ=UTC, NO_COLOR=1, and MRV_METHODOLOGIES=methodologies so that
# the bundled library is this checkout's and paths in messages are relative.
# Also set for the command: CASE (the case folder, relative to the root) and
# TMPDIR (an empty scratch folder, removed afterwards).
#
# On a mismatch it prints a unified diff (expected, then actual) and exits 1.
# With MRV_REGENERATE=1 it rewrites the expected files from what the command
# does instead: review the change with `git diff` before committing it.
#
# ctest runs every case (tests/CMakeLists.txt); one case by hand:
#   bash tests/golden/run_case.sh build/mrv tests/golden/calc-no-arguments
set -u

if [[ $# -ne 2 ]]; then
  echo "usage: run_case.sh MRV_BINARY CASE_DIR" >&2
  exit 2
fi
mrv_binary=$(realpath "$1")
case_dir=$(realpath "$2")
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [[ ! -x $mrv_binary ]]; then
  echo "run_case.sh: no executable at $1" >&2
  exit 2
fi
if [[ ! -f $case_dir/cmd ]]; then
  echo "run_case.sh: no cmd file in $2" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/tmp"
ln -s "$mrv_binary" "$work/bin/mrv"

command_line=$(<"$case_dir/cmd")
(
  cd "$repo_root" || exit 1
  unset MRV_REGENERATE
  export PATH="$work/bin:$PATH" LC_ALL=C TZ=UTC NO_COLOR=1 MRV_METHODOLOGIES=methodologies
  export CASE="${case_dir#"$repo_root"/}" TMPDIR="$work/tmp"
  bash -c "$command_line"
) >"$work/stdout" 2>"$work/stderr" </dev/null
status=$?

if [[ ${MRV_REGENERATE:-0} == 1 ]]; then
  cp "$work/stdout" "$case_dir/stdout"
  if [[ -s $work/stderr || -f $case_dir/stderr ]]; then cp "$work/stderr" "$case_dir/stderr"; fi
  if [[ $status -ne 0 ]]; then echo "$status" >"$case_dir/exit"; else rm -f "$case_dir/exit"; fi
  echo "regenerated $(basename "$case_dir")"
  exit 0
fi

failed=0
compare() { # compare NAME EXPECTED_FILE ACTUAL_FILE
  if ! diff -u --label "expected $1" --label "actual $1" "$2" "$3"; then failed=1; fi
}

expected_stdout="$case_dir/stdout"
[[ -f $expected_stdout ]] || expected_stdout=/dev/null
compare stdout "$expected_stdout" "$work/stdout"
if [[ -f $case_dir/stderr ]]; then compare stderr "$case_dir/stderr" "$work/stderr"; fi

expected_status=0
if [[ -f $case_dir/exit ]]; then expected_status=$(tr -d '[:space:]' <"$case_dir/exit"); fi
if [[ $status != "$expected_status" ]]; then
  echo "exit status: expected $expected_status, got $status"
  if [[ ! -f $case_dir/stderr && -s $work/stderr ]]; then
    echo "standard error was:"
    cat "$work/stderr"
  fi
  failed=1
fi

if [[ $failed -ne 0 ]]; then
  echo "FAILED: $(basename "$case_dir") ($command_line)"
  echo "(MRV_REGENERATE=1 rewrites the expected files)"
fi
exit "$failed"
