#!/usr/bin/env bash
# Builds the libFuzzer targets with clang under ASan + UBSan and runs each
# for SECONDS (default 60), starting from its seed corpus in the tree:
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
# Prints, per target, the executions and the coverage reached (libFuzzer's
# cov: edges and ft: features). Exits 1 if any target crashed, leaked or
# timed out; the input is then in $FUZZ_BUILD_DIR/artifacts/TARGET/: add it
# to tests/fuzz/regressions/TARGET/ so that ctest replays it forever.
# New inputs found go to $FUZZ_BUILD_DIR/corpus, not into the tree; to keep
# the interesting ones: a fuzzer's -merge=1 into tests/fuzz/corpus/TARGET.
# Needs clang and libclang-rt-14-dev (Debian).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
build=${FUZZ_BUILD_DIR:-build-fuzz}
source_dir=tests/fuzz
targets=("$@")
if ((${#targets[@]} == 0)); then
  # Every target has a seed corpus folder of its name.
  for dir in "$source_dir"/corpus/*/; do targets+=("$(basename "$dir")"); done
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DMRV_SANITIZE=ON -DMRV_FUZZ=ON -DMRV_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target "${targets[@]/#/mrv_fuzz_}"

dictionary() {
  case $1 in
  formula) echo "$source_dir/dict/formula.dict" ;;
  methodology_loader | project_loader) echo "$source_dir/dict/yaml.dict" ;;
  csv_reader | monitoring_data) echo "$source_dir/dict/csv.dict" ;;
  *) echo "" ;;
  esac
}

export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
summary="target executions cov ft corpus result"
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  log="$build/logs/$target.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  dict=$(dictionary "$target")
  echo "== fuzzing $target for ${seconds}s" >&2
  status=0
  "$build/tests/fuzz/mrv_fuzz_$target" "$work" "$source_dir/corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${dict:+-dict="$dict"} >"$log" 2>&1 || status=$?
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # The last status line, e.g. "#123456 DONE cov: 812 ft: 2431 corp: 310/25Kb ...".
  coverage=$(sed -n 's/^#[0-9].* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 \2 \3/p' "$log" | tail -1)
  result=ok
  if ((status != 0)); then
    result="FAILED (see $log)"
    failed+=("$target")
    grep -E 'ERROR|SUMMARY|property failed|Test unit written' "$log" | head -5 >&2 || true
  fi
  summary+=$'\n'"$target ${executions:-?} ${coverage:-? ? ?} $result"
done

echo "$summary" | column -t
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}; inputs in $build/artifacts/" >&2
  exit 1
fi
