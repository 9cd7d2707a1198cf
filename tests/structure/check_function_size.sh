#!/usr/bin/env bash
# check_function_size.sh BUILD_DIR: no function of libmrv/ or tools/ is longer than
# 120 lines (clang-tidy's readability-function-size over BUILD_DIR's
# compile_commands.json). The one exception is marked in its file with a NOLINT
# that says why (the formula evaluator's switch, one case per operation).
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${1:?usage: check_function_size.sh BUILD_DIR}
[[ -f $build_dir/compile_commands.json ]] || { echo "no $build_dir/compile_commands.json: configure with CMAKE_EXPORT_COMPILE_COMMANDS=ON" >&2; exit 2; }
limit=120
config="{Checks: '-*,readability-function-size', WarningsAsErrors: '*',
  CheckOptions: [{key: readability-function-size.LineThreshold, value: $limit}]}"
files=$(git ls-files 'libmrv/src/*.cpp' 'tools/*.cpp')
# Two at a time: the machines this runs on have two cores.
if ! printf '%s\n' $files |
  xargs -P2 -n4 clang-tidy -quiet -p "$build_dir" --config="$config" 2>/dev/null |
  grep -E "warning:|error:" ; then
  echo "function size: $(wc -w <<<"$files") files, no function over $limit lines"
  exit 0
fi
exit 1
