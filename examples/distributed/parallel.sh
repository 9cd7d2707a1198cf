#!/usr/bin/env bash
# parallel.sh MANIFEST [SHARDS] [OUT]: `mrv verify` as SHARDS processes run by
# GNU parallel (Debian package `parallel`), their outputs merged into OUT
# (default verify.jsonl). The merged lines are sorted: the same bytes as
#   mrv verify MANIFEST | sort
# Each shard is one process on one core (-j 1): parallel spreads the shards,
# here over this machine's cores, or with `-S host1,host2 --workdir .` over
# other machines that see the same files (docs/verify.md).
#
# Environment: MRV (the mrv binary, default `mrv`), PARALLEL_OPTIONS (more
# options for parallel, e.g. "-S host1,host2 --workdir .").
# Exit status: the highest of the shards' (0 all match, 1 a mismatch or an
# error line, 65 an invalid manifest...).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 3 ]]; then
  echo "usage: parallel.sh MANIFEST [SHARDS] [OUT]" >&2
  exit 2
fi
manifest=$1
shards=${2:-$(nproc)}
out=${3:-verify.jsonl}
mrv=${MRV:-mrv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Shard K of N, K from 1 to N; every shard writes its own file atomically (-o)
# so a shard that fails leaves no half-written output behind.
# shellcheck disable=SC2086 # PARALLEL_OPTIONS is a list of options
parallel --will-cite --halt never --joblog "$work/jobs" --jobs "$shards" ${PARALLEL_OPTIONS:-} \
  "$mrv" verify "$manifest" --shard "{}/$shards" -j 1 -q -o "$work/shard-{}.jsonl" \
  ::: $(seq 1 "$shards") || true

# Column 7 of the job log is each shard's exit status.
status=$(awk 'NR > 1 && $7 > max { max = $7 } END { print max + 0 }' "$work/jobs")
shopt -s nullglob
outputs=("$work"/shard-*.jsonl)
cat /dev/null "${outputs[@]}" | LC_ALL=C sort >"$out"
echo "parallel.sh: $shards shards, $(wc -l <"$out") lines:" \
  "$(grep -c '"status":"match"' "$out" || true) match," \
  "$(grep -c '"status":"mismatch"' "$out" || true) mismatch," \
  "$(grep -c '"status":"error"' "$out" || true) error; exit status $status" >&2
exit "$status"
