#!/usr/bin/env bash
# Instructions executed by one replicate of a scenario (valgrind's callgrind "Ir"), for this build and optionally a
# baseline lab-bench: a count that does not move with the machine's load, unlike wall-clock time. It does not see
# what an instruction costs (a cache miss, an atomic retain), so it complements bench/run.sh rather than replacing it.
#
#   bench/instructions.sh [--baseline DIR] [SCENARIO [SIGNUPS_PER_DAY [STORE]]]
#
# Defaults: scenarios/batched-4arm.yaml, 1000 signups a day, memory store. DIR holds another build's lab-bench (as
# bench/run.sh --baseline-rev leaves in bench/.baseline-build/release). Needs valgrind (apt-get install valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=""
if [ "${1:-}" = "--baseline" ]; then
    [ $# -ge 2 ] || { echo "--baseline needs a folder" >&2; exit 64; }
    baseline=$2
    shift 2
fi
scenario=${1:-scenarios/batched-4arm.yaml}
signups=${2:-1000}
store=${3:-memory}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 69; }
swift build -c release --product lab-bench >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count() {
    # valgrind cannot read the Swift toolchain's debug information: count a copy without it.
    strip --strip-debug -o "$work/lab-bench" "$1"
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" \
        "$work/lab-bench" simulate "$scenario" "$store" "$signups" 1 1 2>&1 >/dev/null |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
now=$(count .build/release/lab-bench)
echo "$scenario, $store, $signups signups/day, 1 replicate: $now instructions (this build)"
if [ -n "$baseline" ]; then
    before=$(count "$baseline/lab-bench")
    echo "$scenario, $store, $signups signups/day, 1 replicate: $before instructions (baseline $baseline)"
    awk -v a="$before" -v b="$now" 'BEGIN { printf "change: %.1f%% (%.3f× fewer)\n", 100 * (b - a) / a, a / b }'
fi
