#!/usr/bin/env bash
# Install the peers from PyPI into the git-ignored bench/.venv (Python 3.13,
# which decide-exchange-model 2025.3.1 requires; pysmp 0.1.3 installs on any
# Python 3 but needs Debian's libqt5core5a, libqt5sql5 and libqt5sql5-sqlite
# at run time and a manual load of lib/libsmpDyn.so on Linux).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PY313="${PY313:-python3.13}"
"$PY313" -m venv "$ROOT/bench/.venv"
"$ROOT/bench/.venv/bin/pip" install --quiet "decide-exchange-model==2025.3.1" "pysmp==0.1.3"
echo "peers installed in $ROOT/bench/.venv"
