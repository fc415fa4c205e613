#!/usr/bin/env bash
# The lab's benchmarks beside its peers: builds the release products, installs the peers' Python dependencies
# (numpy, MABWiser 2.7.4) into bench/.venv — only here, not by the README's set-up commands — and prints the
# side-by-side table. Arguments go to bench/compare.py (e.g. --runs 5, --skip-lab-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product onboarding-lab
swift build -c release --product lab-bench
if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
fi
bench/.venv/bin/python -m pip install --quiet --disable-pip-version-check numpy 'mabwiser==2.7.4'
exec bench/.venv/bin/python bench/compare.py "$@"
