#!/usr/bin/env bash
# Installs pygambit (Gambit's Python package, GPL; used only as an external
# peer, never vendored) into bench/.venv. PyPI has no wheel for this platform,
# so pip builds Gambit's C++ from source: about 13 minutes on 2 cores.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
python3 -m venv "$ROOT/bench/.venv"
"$ROOT/bench/.venv/bin/pip" install --quiet --upgrade pip
"$ROOT/bench/.venv/bin/pip" install --quiet "pygambit==16.7.0"
"$ROOT/bench/.venv/bin/python" -c "import pygambit; print('pygambit', pygambit.__version__)"
