#!/usr/bin/env bash
# Install the forecast peers (used only as external programs, never vendored):
#  - pySMP 0.1.3 (PyPI, MIT; KTAB's SMP as a prebuilt C++ library) into
#    bench/.venv, plus the Qt5 libraries it links against (Debian);
#  - decide-exchange-model 2025.3.1 (PyPI, GPL-3.0), which requires Python
#    3.13, into its own venv bench/.venv/py313 (inside the git-ignored
#    bench/.venv). Set PY313 to a python3.13 if it is not on PATH.
# The EUM peer is bench/forecast/peer_eum.py (plain Python 3, no install):
# the public EUM replications are Python 2.7 code that is not on PyPI.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VENV=$ROOT/bench/.venv
if ! ldconfig -p | grep -q libQt5Sql.so.5; then
  apt-get update -qq && apt-get install -y --no-install-recommends libqt5core5a libqt5sql5 libqt5sql5-sqlite
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet "pysmp==0.1.3"
PY313=${PY313:-$(command -v python3.13 || ls /root/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null | head -1 || true)}
[ -n "$PY313" ] || { echo "need python3.13 for decide-exchange-model (set PY313)" >&2; exit 1; }
[ -x "$VENV/py313/bin/python" ] || "$PY313" -m venv "$VENV/py313"
"$VENV/py313/bin/pip" install --quiet "decide-exchange-model==2025.3.1"
"$VENV/bin/python" -c "import pySMP.model; print('pySMP ok')"
"$VENV/py313/bin/python" -c "import decide.model.equalgain; print('decide ok')"
