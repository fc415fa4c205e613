#!/usr/bin/env bash
# Submits a sharded sweep to Slurm: an array job of N shards and a merge that runs only when every shard succeeded
# (scripts/slurm-sweep.sbatch; README "Scale-out").
#
#   scripts/slurm-submit.sh [--shards N] [--cpus-per-task C] [--hold] SCENARIO OUT [sweep options…]
#
# Prints two lines, `array JOBID` and `merge JOBID`. Shard k writes OUT/shards/k, the merge OUT/merged; job logs go
# to OUT/logs/shard-K.out and OUT/logs/merge.out. N defaults to 4 (1…1000), C to 1 (1…1024). --hold submits both
# jobs held: nothing starts until `scontrol release ARRAY_JOB MERGE_JOB` (cancel a shard first with
# `scancel ARRAY_JOB_K` to see the merge refuse to run). The binary is $LAB_BIN
# when set, else `onboarding-lab` on PATH (jobs inherit the environment); cluster settings come through sbatch's own
# variables (SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, …) and SLURM_CONF.
set -euo pipefail

usage() {
    echo "usage: scripts/slurm-submit.sh [--shards N] [--cpus-per-task C] [--hold] SCENARIO OUT [sweep options…]" >&2
    exit 64
}

whole_in_range() { # value name low high
    [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$3" ] && [ "$1" -le "$4" ] && return 0
    echo "slurm-submit: $2 must be a whole number in $3…$4, found '$1'" >&2
    exit 64
}

shards=4
cpus=1
hold=()
while [ $# -gt 0 ]; do
    case "$1" in
        --shards) [ $# -ge 2 ] || usage; shards=$2; shift 2 ;;
        --cpus-per-task) [ $# -ge 2 ] || usage; cpus=$2; shift 2 ;;
        --hold) hold=(--hold); shift ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || usage
whole_in_range "$shards" --shards 1 1000
whole_in_range "$cpus" --cpus-per-task 1 1024
scenario=$1 out=$2
shift 2
[ -f "$scenario" ] || { echo "slurm-submit: no scenario file '$scenario'" >&2; exit 2; }
command -v sbatch >/dev/null 2>&1 || { echo "slurm-submit: sbatch not found (is Slurm installed? scripts/slurm-local.sh start brings up a local cluster)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out/logs"
scenario=$(cd "$(dirname "$scenario")" && pwd)/$(basename "$scenario")
out=$(cd "$out" && pwd)

# --parsable prints "JOBID" or "JOBID;CLUSTER".
array=$(sbatch --parsable "${hold[@]}" --array="1-$shards" --cpus-per-task="$cpus" --job-name=lab-sweep \
    --output="$out/logs/shard-%a.out" "$here/slurm-sweep.sbatch" shard "$scenario" "$out" "$@")
array=${array%%;*}
merge=$(sbatch --parsable "${hold[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes --job-name=lab-merge \
    --output="$out/logs/merge.out" "$here/slurm-sweep.sbatch" merge "$out" "$shards")
merge=${merge%%;*}
echo "array $array"
echo "merge $merge"
