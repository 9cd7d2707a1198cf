#!/usr/bin/env bash
# check_slurm.sh MRV_BINARY: a real single-node Slurm cluster on this machine
# (Debian's slurm-wlm and munge: munged, slurmctld and slurmd on localhost,
# configured here in a temporary folder and stopped at the end) runs
# examples/distributed/slurm-verify.sbatch as a 3-task job array over the batch
# manifest; the union of the shard outputs must equal one `mrv verify` run byte
# for byte. If the cluster cannot start, the test fails with the daemons' logs:
# it never skips. scripts/bootstrap.sh --tests installs the packages.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mrv=$(realpath "${1:?usage: check_slurm.sh MRV_BINARY}")
for tool in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null || { echo "slurm: no $tool (Debian: slurm-wlm, munge)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/mrv-slurm.XXXXXX)
chmod 755 "$work"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  munged --stop --socket="$work/munge/socket" >/dev/null 2>&1 || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
fail() {
  echo "slurm: $*" >&2
  for log in "$work"/munge/munged.log "$work"/slurmctld.log "$work"/slurmd.log; do
    [[ -f $log ]] && { echo "--- $log" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}

# Two free TCP ports for the daemons.
read -r ctld_port node_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

# munge: its own key and socket; the folder must be traversable by all.
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/bin" "$work/run"
chmod 755 "$work/munge"
mungekey --create --keyfile="$work/munge/key" 2>/dev/null || fail "mungekey failed"
chmod 600 "$work/munge/key"
munged --force --socket="$work/munge/socket" --key-file="$work/munge/key" \
  --log-file="$work/munge/munged.log" --pid-file="$work/munge/munged.pid" \
  --seed-file="$work/munge/munged.seed" || fail "munged did not start"

node=$(hostname -s)
user=$(id -un)
cat >"$work/slurm.conf" <<CONF
ClusterName=mrvtest
SlurmctldHost=$node
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$ctld_port
SlurmdPort=$node_port
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$node CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf

slurmctld -D -i >"$work/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D >"$work/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
  [[ $(sinfo -h -o %t 2>/dev/null) == idle ]] && break
  sleep 0.5
done
[[ $(sinfo -h -o %t 2>/dev/null) == idle ]] || fail "the node did not come up idle: $(sinfo 2>&1)"

# The recipe as a user submits it, with `mrv` on the PATH of the tasks.
ln -s "$mrv" "$work/bin/mrv"
export PATH=$work/bin:$PATH MRV_METHODOLOGIES=$root/methodologies
manifest=$root/examples/batch/manifest.yaml
cd "$work/run"
sbatch --wait --array=1-3 --cpus-per-task=1 --mem=100M --quiet \
  "$root/examples/distributed/slurm-verify.sbatch" "$manifest" results ||
  fail "the job array failed: $(cat mrv-verify-*.log 2>/dev/null)"
ls results/shard-{1,2,3}.jsonl >/dev/null || fail "a shard wrote no output"
sort results/shard-*.jsonl >merged.jsonl
"$mrv" verify "$manifest" -q | sort >one-run.jsonl || [[ $? -eq 1 ]]
if ! cmp -s merged.jsonl one-run.jsonl; then
  diff merged.jsonl one-run.jsonl | head -20 >&2
  fail "the merged shards differ from one run"
fi
echo "slurm: 3 array tasks on $node; the merged shards ($(wc -l <merged.jsonl) lines) equal one mrv verify run"
