#!/usr/bin/env bash
# One command on a fresh machine: install what is missing, then build and run the whole test suite.
# The suite runs in a release build: it includes statistical acceptance tests (e.g. the batched 4-arm bandit
# against independent implementations, 7 million simulated users) that take seconds optimised, minutes in debug.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
swift build -c release -Xswiftc -enable-testing --build-tests
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
# The engine, the day loop and the SQLite store skip Swift's dynamic exclusivity checks in release builds
# (Package.swift, hotPath): their suites run once more in a debug build, where the checks are on, so an overlapping
# access fails here.
swift build --build-tests
swift test --skip-build --filter 'OnboardingEngineTests|SimulationTests|OnboardingPersistenceTests'
# The notebooks' published numbers: re-run every notebook in a scratch copy with the release binary just built and
# compare output blocks and result files with the committed ones (README "Findings"; exit 1 names what moved).
.build/release/onboarding-lab notebook check notebooks-md/*.md
