#!/usr/bin/env bash
# tests/coverage/run.sh [BUILD_DIR]: line and branch coverage of libmrv by the
# test suite (gcc --coverage, gcovr). Builds BUILD_DIR (default build-coverage)
# without optimisation, runs every ctest entry but the browser and spreadsheet
# checks (they drive the same code through the CLI goldens) and the limits
# (their CPU and memory budgets are for an optimised build), and prints the
# totals, the files below the goal and the branch coverage of the units whose
# every branch must be taken (rounding, allocation, treatments).
# docs/testing.md records the figure and the goals.
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${1:-build-coverage}
BUILD_DIR=$build_dir BUILD_TYPE=Debug CMAKE_ARGS="-DMRV_COVERAGE=ON ${CMAKE_ARGS:-}" scripts/bootstrap.sh
find "$build_dir" -name '*.gcda' -delete
ctest --test-dir "$build_dir" -j2 -E '^(browser|spreadsheet|limits)/' --output-on-failure >/dev/null
# Branches the compiler adds (exception unwinding) are not the code's own.
gcovr_args=(--root . --filter 'libmrv/' --exclude-throw-branches --exclude-unreachable-branches
            --object-directory "$build_dir" -j 2)
gcovr "${gcovr_args[@]}" --print-summary --output "$build_dir/coverage.txt" |
  sed 's/^/coverage: /'
echo "coverage: below 90 % of lines or 80 % of branches:"
gcovr "${gcovr_args[@]}" --txt --branches |
  awk '$1 ~ /^libmrv\// && ($4+0) < 80 {print "  " $1 "  branches " $4}' || true
echo "coverage: the units that must take every branch:"
gcovr "${gcovr_args[@]}" --txt --branches |
  grep -E 'libmrv/src/(model/rounding|credits/allocate|engine/treatments)\.cpp' | sed 's/^/  /'
