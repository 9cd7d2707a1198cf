#!/usr/bin/env bash
# compare_builds.sh MRV_A MRV_B: runs the same commands (every golden case
# that succeeds, plus larger runs) with two mrv binaries, e.g. the gcc and the
# clang builds, and requires byte-identical standard output and output files.
# With the same binary twice it checks that repeated runs agree.
#   tests/determinism/compare_builds.sh build/mrv build-clang/mrv
set -euo pipefail
if [[ $# -ne 2 ]]; then
  echo "usage: compare_builds.sh MRV_A MRV_B" >&2
  exit 2
fi
a=$(realpath "$1")
b=$(realpath "$2")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The commands: each golden case that exits 0 (its cmd, as run_case.sh runs
# it), and the examples in every format and breakdown.
commands=()
for case_dir in "$root"/tests/golden/*/; do
  [[ -f $case_dir/cmd && ! -f $case_dir/exit ]] || continue
  commands+=("$(<"$case_dir/cmd")")
done
for project in examples/*/project.yaml; do
  for format in csv tsv json jsonl md table; do
    commands+=("mrv calc $project --by month,unit --format $format")
  done
done
commands+=("mrv methodology show JCM_MN_AM003 --format json" "mrv methodology show JCM_ID_AM017 --format md")

run() { # run BINARY COMMAND OUT_DIR: stdout, stderr and files written, in OUT_DIR
  # Both binaries run in the same scratch folder, so paths in messages agree.
  local scratch="$work/run"
  rm -rf "$scratch"
  mkdir -p "$scratch/bin" "$scratch/tmp"
  ln -s "$1" "$scratch/bin/mrv"
  (
    cd "$root"
    export PATH="$scratch/bin:$PATH" LC_ALL=C TZ=UTC NO_COLOR=1 MRV_METHODOLOGIES=methodologies
    export TMPDIR="$scratch/tmp"
    bash -c "$2"
  ) >"$scratch/stdout" 2>"$scratch/stderr" </dev/null || true
  rm "$scratch/bin/mrv"
  mkdir -p "$(dirname "$3")"
  mv "$scratch" "$3"
}

compared=0
different=0
for i in "${!commands[@]}"; do
  run "$a" "${commands[$i]}" "$work/$i/a"
  run "$b" "${commands[$i]}" "$work/$i/b"
  if ! diff -r --exclude=bin "$work/$i/a" "$work/$i/b" >"$work/$i.diff"; then
    echo "DIFFERENT: ${commands[$i]}"
    head -20 "$work/$i.diff"
    different=$((different + 1))
  fi
  compared=$((compared + 1))
done
echo "$compared commands compared, $different with different output"
((different == 0))
