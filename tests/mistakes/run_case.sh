#!/usr/bin/env bash
# run_case.sh MRV_BINARY CASE_DIR: runs one case of tests/mistakes.
#
# A case is a golden case (tests/golden/run_case.sh: cmd, stdout, stderr,
# exit, MRV_REGENERATE=1 rewrites them) plus:
#   mistake       one line: the mistake a user makes
#   fixed         (required when the mistaken command exits 0) the same run
#                 with the correct declaration
#   conservative  (optional) the mistaken run may credit less than the fixed
#                 one, never more; without it, both must print the same bytes
# So no case can end in exit 0 with another number than the correct
# declaration gives (or, when the mistake loses data, a smaller one).
set -u
if [[ $# -ne 2 ]]; then
  echo "usage: run_case.sh MRV_BINARY CASE_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_dir=$(realpath "$2")
[[ -s $case_dir/mistake ]] || { echo "run_case.sh: $2 has no 'mistake' line" >&2; exit 2; }
bash "$here/../golden/run_case.sh" "$1" "$case_dir" || exit 1
[[ ${MRV_REGENERATE:-0} == 1 ]] && exit 0

expected_status=0
[[ -f $case_dir/exit ]] && expected_status=$(tr -d '[:space:]' <"$case_dir/exit")
[[ $expected_status -ne 0 ]] && exit 0
if [[ ! -f $case_dir/fixed ]]; then
  echo "FAILED: $(basename "$case_dir") exits 0 but has no 'fixed' run to hold its output against"
  exit 1
fi

repo_root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/tmp"
ln -s "$(realpath "$1")" "$work/bin/mrv"
run() { # run COMMAND_FILE OUTPUT
  (
    cd "$repo_root" || exit 1
    export PATH="$work/bin:$PATH" LC_ALL=C TZ=UTC NO_COLOR=1 MRV_METHODOLOGIES=methodologies
    export CASE="${case_dir#"$repo_root"/}" TMPDIR="$work/tmp"
    bash -c "$(<"$1")"
  ) >"$2" 2>/dev/null </dev/null
}
run "$case_dir/fixed" "$work/fixed" || { echo "FAILED: the fixed run of $(basename "$case_dir") fails"; exit 1; }
run "$case_dir/cmd" "$work/mistaken"
if [[ ! -f $case_dir/conservative ]]; then
  if ! diff -u --label fixed --label mistaken "$work/fixed" "$work/mistaken"; then
    echo "FAILED: $(basename "$case_dir") exits 0 with another output than the fixed run"
    exit 1
  fi
  exit 0
fi
# Conservative: each period's credited amount (the last CSV column) at most the fixed one.
python3 - "$work/fixed" "$work/mistaken" <<'PY' || exit 1
import csv, sys
def credited(path):
    return {r["period"]: int(r["credited"]) for r in csv.DictReader(open(path)) if r["credited"]}
fixed, mistaken = credited(sys.argv[1]), credited(sys.argv[2])
bad = [p for p in mistaken if p not in fixed or mistaken[p] > fixed[p]]
if bad or not mistaken:
    print("FAILED: credited more than the fixed run:", {p: (mistaken[p], fixed.get(p)) for p in bad})
    sys.exit(1)
PY
