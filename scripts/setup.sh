#!/usr/bin/env bash
# Installs what OnboardingLab needs besides the Swift toolchain, only when it is missing:
#   libgsl-dev, libsqlite3-dev, pkg-config (build); sqlite3 (CLI tests of foreign databases);
#   librsvg2-bin (rsvg-convert: the PNG and PDF charts of `--figures png,pdf`);
#   python3 with jsonschema and PyYAML (the JSON Schema test of the scenario files).
# With --browser (scripts/test.sh passes it) also Debian's chromium, for the dashboard's headless-browser test;
# the main job never needs it.
# Idempotent and quiet when everything is present. Needs root (or sudo) to install.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    *) echo "setup: unknown option $arg (known: --browser)" >&2; exit 64 ;;
  esac
done

missing=()
pkg-config --exists gsl 2>/dev/null || missing+=(libgsl-dev)
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v rsvg-convert >/dev/null 2>&1 || missing+=(librsvg2-bin)
if ! command -v python3 >/dev/null 2>&1; then
  missing+=(python3 python3-jsonschema python3-yaml)
fi

if [ "$browser" -eq 1 ] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; then
  echo "setup: installing the Python packages jsonschema and PyYAML" >&2
  if ! python3 -m pip install --quiet jsonschema pyyaml 2>/dev/null; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-jsonschema python3-yaml >/dev/null
  fi
fi
