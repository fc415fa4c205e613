#!/usr/bin/env bash
# The lab's benchmarks beside its peers: builds the release products, installs the peers' Python dependencies
# (numpy, MABWiser 2.7.4) into bench/.venv — only here, not by the README's set-up commands — and prints the
# side-by-side table. Arguments go to bench/compare.py (e.g. --runs 5, --skip-lab-bench), except
# --baseline-rev REV, which builds revision REV and times it beside this build (before/after of a change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product onboarding-lab
swift build -c release --product lab-bench
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -m pip install --quiet --disable-pip-version-check numpy 'mabwiser==2.7.4'
# --baseline-rev REV: build that revision's onboarding-lab and lab-bench (a detached worktree in
# bench/.baseline-src, products in bench/.baseline-build) and time them beside this build (compare.py --baseline).
args=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--baseline-rev" ] && [ $# -ge 2 ]; then
        rev=$2
        shift 2
        git worktree remove --force bench/.baseline-src 2>/dev/null || rm -rf bench/.baseline-src
        git worktree prune
        git worktree add --detach bench/.baseline-src "$rev"
        (cd bench/.baseline-src && for product in onboarding-lab lab-bench; do
            swift build -c release --product "$product" --scratch-path ../.baseline-build
        done)
        args+=(--baseline bench/.baseline-build/release)
    else
        args+=("$1")
        shift
    fi
done
exec bench/.venv/bin/python bench/compare.py "${args[@]}"
