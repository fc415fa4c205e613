#!/usr/bin/env bash
# One command on a fresh machine: install what is missing, build, and run the main job — the seed narrative
# (scenarios/seed-narrative.yaml, 50 replicates × 120 days) — then say where the results are.
# Extra arguments go to `onboarding-lab run` (e.g. --replicates 10 --out results/mine).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product onboarding-lab
bin=.build/release/onboarding-lab
folder=$("$bin" run scenarios/seed-narrative.yaml "$@")
echo
echo "Results: $folder"
echo "  report.md       — start here: true best vs champion per persona, regret, activation, comparisons, charts"
echo "  daily.csv       — config × replicate × day × persona"
echo "  replicates.csv  — config × replicate × persona (+ ALL)"
echo "  summary.json, comparison.csv, health.csv, activation_regret.csv, configs.csv, scenario.yaml, manifest.json"
echo
"$bin" check scenarios/seed-narrative.yaml --quiet || true
