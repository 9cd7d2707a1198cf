#!/usr/bin/env bash
# bench/run.sh [ROWS...]: mrv calc against the tools a user would otherwise
# pick, on the same generated file, in one run (bench/README.md).
#
# For each size (default: 1000000 and 20000000 rows) it generates the file
# once with mrv_bench_generate, reads it once to have it in the page cache,
# then times, RUNS times each, on one core (taskset when there is one):
#   mrv calc bench/project.yaml FILE --by unit --by month --format csv
# and the aggregation "sum of kWh × EF per unit and month" (EF per unit from
# bench/project.yaml: PV01-PV05 0.797 tCO2/MWh, PV06-PV10 0.533) done with
# mawk, Python's csv module, pandas, sqlite3, Miller, DuckDB (npm) and the
# plain C++ loop bench/baseline.cpp. It prints the median time, MB/s, the
# ratio of each tool's time to mrv's, the peak memory, and whether the
# tool's totals agree with mrv's per unit and month (to 1e-6 relative).
# A tool missing on the machine is skipped with a note.
#
# Then mrv calc -j (one file on every core) against -j 1 on the largest
# file, and mrv verify over many projects: -j 1 on one core (the one-core
# throughput), then -j 1, -j 2 and every core, unpinned.
#
# Environment: BUILD_DIR (default build), BENCH_DATA (where the generated
# files go, default /tmp/mrv-bench: they are large, keep them out of the
# repository), RUNS (default 5), BENCH_CPU (the core to pin to, default 0),
# BENCH_TOOLS (the tools to run, default all: "mrv baseline mawk duckdb
# python-csv pandas sqlite3 miller"; mrv is always run), VERIFY_PROJECTS
# (default 200) and VERIFY_ROWS (default 200000) for mrv verify.
# shellcheck disable=SC2016 # single quotes: Miller's, awk's and bash -c's own variables
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
data=${BENCH_DATA:-/tmp/mrv-bench}
runs=${RUNS:-5}
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000 20000000)
mkdir -p "$data"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

note() { echo "bench: $*" >&2; }

cores=$(getconf _NPROCESSORS_ONLN) # before OMP_NUM_THREADS below, which nproc obeys
if ! cmake --build "$build" --target mrv_cli mrv_bench_generate mrv_bench_baseline >"$scratch/build" 2>&1; then
  cat "$scratch/build" >&2
  exit 1
fi
mrv=$(realpath "$build/mrv")
baseline=$(realpath "$build/mrv_bench_baseline")

# One core for everyone: the targets are one-core figures, and a tool that
# spreads over cores (Miller's goroutines, DuckDB) is held to the same core.
pin=()
if command -v taskset >/dev/null; then
  pin=(taskset -c "${BENCH_CPU:-0}")
else
  note "taskset not found: tools may use more than one core"
fi
export GOMAXPROCS=1 OMP_NUM_THREADS=1

# ---- The competitors: a name, and a command reading $FILE writing UNIT,MONTH,tCO2.

python_with_pandas=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import pandas' 2>/dev/null; then
    python_with_pandas=$candidate
    break
  fi
done

# DuckDB from npm, installed once into the data folder: the package `duckdb`
# with its prebuilt binary only (its fallback is a from-source build of
# DuckDB that takes the better part of an hour), or else the newer
# `@duckdb/node-api`, whose binaries come from the npm registry itself.
duckdb_modules=""
loads() { NODE_PATH=$1/node_modules node -e "require('$2')" 2>/dev/null; }
setup_duckdb() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    note "node or npm not found: DuckDB skipped"
    return
  fi
  local dir=$data/node
  mkdir -p "$dir"
  if ! loads "$dir" duckdb && ! loads "$dir" @duckdb/node-api; then
    (cd "$dir" && npm install --no-audit --no-fund --silent --ignore-scripts duckdb &&
      cd node_modules/duckdb && npx --no-install node-pre-gyp install) >/dev/null 2>&1 ||
      note "npm package duckdb: no prebuilt binary for this machine; trying @duckdb/node-api"
    loads "$dir" duckdb ||
      (cd "$dir" && npm install --no-audit --no-fund --silent @duckdb/node-api) >/dev/null 2>&1 || true
  fi
  for package in duckdb @duckdb/node-api; do
    if loads "$dir" "$package"; then
      duckdb_modules=$dir/node_modules
      note "DuckDB: npm package $package"
      return
    fi
  done
  note "neither npm package duckdb nor @duckdb/node-api installs here: DuckDB skipped"
}

read -r -a wanted <<<"${BENCH_TOOLS:-baseline mawk duckdb python-csv pandas sqlite3 miller}"
tools=(mrv) # first: the reference of the ratios and of the totals
for tool in "${wanted[@]}"; do [[ $tool == mrv ]] || tools+=("$tool"); done
[[ " ${tools[*]} " == *" duckdb "* ]] && setup_duckdb

available() { # available TOOL: 0 when it can run here
  case $1 in
  mrv | baseline) return 0 ;;
  mawk) command -v mawk >/dev/null ;;
  duckdb) [[ -n $duckdb_modules ]] ;;
  python-csv) command -v python3 >/dev/null ;;
  pandas) [[ -n $python_with_pandas ]] ;;
  sqlite3) command -v sqlite3 >/dev/null ;;
  miller) command -v mlr >/dev/null ;;
  *) return 1 ;;
  esac
}

run_tool() { # run_tool TOOL FILE: the tool's UNIT,MONTH,tCO2 lines on stdout
  local file=$2
  case $1 in
  mrv)
    "$mrv" -q calc bench/project.yaml "$file" --by unit --by month --format csv ;;
  baseline) "$baseline" "$file" ;;
  mawk) mawk -f bench/agg.awk "$file" ;;
  duckdb) NODE_PATH=$duckdb_modules node bench/agg_duckdb.js "$file" ;;
  python-csv) python3 bench/agg_csv.py "$file" ;;
  pandas) "$python_with_pandas" bench/agg_pandas.py "$file" ;;
  sqlite3) sqlite3 :memory: -cmd ".mode csv" -cmd ".import $file data" <bench/agg.sql ;;
  miller)
    mlr --icsv --ocsv --headerless-csv-output filter '$energy_kWh != ""' \
      'then' put '$month = substr0($timestamp, 0, 6);
                  $t = $energy_kWh * ($unit <= "PV05" ? 0.797 : 0.533)' \
      'then' stats1 -a sum -f t -g unit,month \
      'then' put '$t_sum = fmtnum($t_sum / 1000, "%.17g")' "$file" ;;
  esac
}
export -f run_tool
export mrv baseline duckdb_modules python_with_pandas

# mrv's unit-and-month rows (period,month,unit,from,to,records,RE,...) as
# UNIT,MONTH,tCO2: RE per unit and month is the same sum of kWh × EF.
mrv_totals() { awk -F, 'NR > 1 && $2 != "" && $3 != "" { print $3 "," $2 "," $7 }' "$1"; }

# agree REFERENCE OTHER: "yes" when every unit and month agrees to 1e-6
# relative (a missing one counts as 0), else how many do not.
agree() {
  awk -F, 'NR == FNR { ref[$1 "," $2] = $3; next }
    { got[$1 "," $2] = $3 }
    END {
      bad = 0; n = 0
      for (k in ref) { n++; d = ref[k] - got[k]; if (d < 0) d = -d; m = ref[k] < 0 ? -ref[k] : ref[k]
                       if (d > 1e-6 * m) bad++ }
      for (k in got) if (!(k in ref) && got[k] != 0) bad++
      print (bad == 0 && n > 0) ? "yes" : "NO (" bad " of " n ")"
    }' "$1" "$2"
}

# time_once TOOL FILE OUT: runs once; prints "SECONDS PEAK_KB". The clock is
# read around the run (GNU time's %e has 10 ms steps), GNU time gives the
# peak resident memory when it is there.
time_once() {
  local tool=$1 file=$2 out=$3 start end peak=0
  local timer=()
  [[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f "%M" -o "$scratch/peak")
  start=$(date +%s%N)
  "${timer[@]}" "${pin[@]}" bash -c 'run_tool "$0" "$1"' "$tool" "$file" >"$out"
  end=$(date +%s%N)
  [[ -x /usr/bin/time ]] && peak=$(tail -1 "$scratch/peak")
  awk -v ns="$((end - start))" -v kb="$peak" 'BEGIN { printf "%.4f %d\n", ns / 1e9, kb }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# mrv benchmark: $cores cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# $runs runs per tool, median; pinned with: ${pin[*]:-(not pinned)}"
for rows in "${sizes[@]}"; do
  file=$data/rows-$rows.csv
  if [[ ! -s $file ]]; then
    note "generating $file"
    "$build/mrv_bench_generate" "$rows" >"$file.tmp" && mv "$file.tmp" "$file"
  fi
  cat "$file" >/dev/null # into the page cache
  megabytes=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
  echo
  echo "## $rows rows, $megabytes MB: $file"
  echo
  printf '| %-10s | %9s | %8s | %8s | %8s | %-14s |\n' tool "median s" "MB/s" "× mrv" "peak MB" "totals agree"
  printf '|%s|%s|%s|%s|%s|%s|\n' ------------ ----------: ---------: ---------: ---------: ----------------
  mrv_seconds=""
  for tool in "${tools[@]}"; do
    if ! available "$tool"; then
      printf '| %-10s | %9s | %8s | %8s | %8s | %-14s |\n' "$tool" - - - - "skipped: not available"
      continue
    fi
    : >"$scratch/times"
    failed=""
    for ((run = 0; run < runs; run++)); do
      if ! time_once "$tool" "$file" "$scratch/out" >>"$scratch/times" 2>"$scratch/err"; then
        failed="failed: $(tail -1 "$scratch/err")"
        break
      fi
    done
    if [[ -n $failed ]]; then
      printf '| %-10s | %9s | %8s | %8s | %8s | %-14s |\n' "$tool" - - - - "$failed"
      continue
    fi
    seconds=$(cut -d' ' -f1 "$scratch/times" | median)
    peak=$(cut -d' ' -f2 "$scratch/times" | sort -n | tail -1)
    if [[ $tool == mrv ]]; then
      mrv_seconds=$seconds
      mrv_totals "$scratch/out" >"$scratch/reference"
      verdict="(reference)"
    else
      verdict=$(agree "$scratch/reference" "$scratch/out")
    fi
    awk -v t="$tool" -v s="$seconds" -v mb="$megabytes" -v m="$mrv_seconds" -v p="$peak" -v v="$verdict" \
      'BEGIN { printf "| %-10s | %9.3f | %8.0f | %8.2f | %8.1f | %-14s |\n", t, s, (s > 0 ? mb / s : 0),
               (m > 0 ? s / m : 0), p / 1024, v }'
  done
  # For scale: the SHA-256 of the file alone, which mrv computes for the
  # receipt of every input (on a second core when it has one).
  if command -v openssl >/dev/null; then
    : >"$scratch/times"
    for ((run = 0; run < runs; run++)); do
      start=$(date +%s%N)
      "${pin[@]}" openssl dgst -sha256 "$file" >/dev/null
      end=$(date +%s%N)
      echo "$((end - start))" >>"$scratch/times"
    done
    median <"$scratch/times" | awk '{ printf "\nFor scale: SHA-256 of the file alone (openssl dgst -sha256), which mrv computes for its receipt: %.3f s.\n", $1 / 1e9 }'
  fi
done

# Start-up: a 100-row file, as in a pipeline that runs mrv thousands of times.
small=$data/rows-100.csv
"$build/mrv_bench_generate" 100 >"$small"
echo
echo "## start-up: 100-row file, mean of 200 runs"
echo
for tool in mrv baseline mawk; do
  available "$tool" || continue
  start=$(date +%s%N)
  for ((run = 0; run < 200; run++)); do run_tool "$tool" "$small" >/dev/null; done
  end=$(date +%s%N)
  awk -v t="$tool" -v ns="$((end - start))" 'BEGIN { printf "- %s: %.1f ms\n", t, ns / 200 / 1e6 }'
done
# mrv calc -j: the largest file read on every core against -j 1, neither
# pinned, run in turn; the two outputs must be the same bytes.
largest=$data/rows-${sizes[-1]}.csv
echo
echo "## mrv calc -j $cores against -j 1: ${sizes[-1]} rows, median of $runs runs, not pinned"
echo
: >"$scratch/j1"
: >"$scratch/jn"
for ((run = 0; run < runs; run++)); do
  for jobs in 1 "$cores"; do
    start=$(date +%s%N)
    "$mrv" -q calc bench/project.yaml "$largest" --by unit --by month --format csv -j "$jobs" \
      >"$scratch/out-j$jobs"
    end=$(date +%s%N)
    [[ $jobs == 1 ]] && echo "$((end - start))" >>"$scratch/j1" || echo "$((end - start))" >>"$scratch/jn"
  done
done
same=$(cmp -s "$scratch/out-j1" "$scratch/out-j$cores" && echo "the same bytes" || echo "DIFFERENT")
awk -v a="$(median <"$scratch/j1")" -v b="$(median <"$scratch/jn")" -v c="$cores" -v s="$same" \
  'BEGIN { printf "- -j 1: %.3f s; -j %d: %.3f s; speedup %.2f; outputs: %s\n", a / 1e9, c, b / 1e9, a / b, s }'

# mrv verify over many projects: the one-core throughput (-j 1 pinned to
# one core, where its hashing thread shares the core) against -j 1, -j 2 and
# every core, not pinned. VERIFY_PROJECTS entries of bench/project.yaml, each reading the
# same VERIFY_ROWS-row file (mid-size: the work is the rows, not start-up).
projects=${VERIFY_PROJECTS:-200}
verify_rows=${VERIFY_ROWS:-200000}
verify_file=$data/rows-$verify_rows.csv
[[ -s $verify_file ]] || "$build/mrv_bench_generate" "$verify_rows" >"$verify_file"
credited=$("$mrv" -q calc bench/project.yaml "$verify_file" --format csv | awk -F, 'NR == 2 { print $1 " " $10 }')
manifest=$scratch/manifest.yaml
{
  echo "mrv: verify/1"
  echo "projects:"
  for ((i = 1; i <= projects; i++)); do
    printf '  - {id: BENCH-%04d, project: %s, data: [%s], claims: [{period: "%s", credited: %s}]}\n' \
      "$i" "$PWD/bench/project.yaml" "$verify_file" "${credited% *}" "${credited#* }"
  done
} >"$manifest"
cat "$verify_file" >/dev/null
echo
echo "## mrv verify: $projects projects of $verify_rows rows each, median of $runs runs"
echo
declare -A verify_seconds
# "one-core": -j 1 pinned to one core, the reference of the speedups.
for jobs in one-core 1 2 "$cores"; do
  [[ -n ${verify_seconds[$jobs]:-} ]] && continue
  command=("$mrv" verify "$manifest" -q -j "$jobs")
  [[ $jobs == one-core ]] && command=("${pin[@]}" "$mrv" verify "$manifest" -q -j 1)
  : >"$scratch/times"
  for ((run = 0; run < runs; run++)); do
    start=$(date +%s%N)
    "${command[@]}" >"$scratch/verify.jsonl" || {
      note "mrv verify -j $jobs failed"
      break
    }
    end=$(date +%s%N)
    echo "$((end - start))" >>"$scratch/times"
  done
  verify_seconds[$jobs]=$(median <"$scratch/times" | awk '{ printf "%.3f", $1 / 1e9 }')
  matches=$(grep -c '"status":"match"' "$scratch/verify.jsonl" || true)
  label="-j $jobs"
  [[ $jobs == one-core ]] && label="-j 1 on one core (${pin[*]:-not pinned})"
  awk -v j="$label" -v s="${verify_seconds[$jobs]}" -v one="${verify_seconds[one-core]}" -v p="$projects" \
    -v r="$verify_rows" -v m="$matches" \
    'BEGIN { printf "- %s: %.3f s, %.1f M rows/s, speedup %.2f, %d of %d lines match\n",
             j, s, p * r / s / 1e6, one / s, m, p }'
done
