#!/usr/bin/env bash
# Detente against pySMP (KTAB), decide-exchange-model and a plain-Python EUM
# on the same inputs: the peers' own reference files and seeded synthetic
# 50-, 100- and 250-actor cases (gen_synth.py, written to the git-ignored
# bench/out/forecast). Checks equal answers and prints a Markdown table of
# CPU seconds and ratios (see compare.py for the method and tolerances).
# Detente is timed twice: the model call in-process (examples/bench_forecast,
# the ratio's figure) and the whole `detente forecast` process.
#
# usage: bench/forecast/run.sh [FILTER]   (FILTER: smp, eum, exchange, a case label...)
# environment: LIMIT (CPU seconds per peer run, default 300; the bounded
#   cases, FILTER "bounded", "targets", "logged", need about 900); SKIP_PEERS=1
#   re-uses the peers' answers kept in bench/out/forecast/peers/ (Detente only).
# needs: bench/forecast/setup.sh run once, cargo, python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out/forecast
[ -x "$ROOT/bench/.venv/bin/python" ] && [ -x "$ROOT/bench/.venv/py313/bin/python" ] \
  || { echo "run bench/forecast/setup.sh first" >&2; exit 1; }
mkdir -p "$OUT"
(cd "$ROOT" && cargo build --quiet --release -p detente && cargo build --quiet --release -p detente-forecast --example bench_forecast)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/detente
export BENCH=${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench_forecast
python3 "$ROOT/bench/forecast/gen_synth.py" "$OUT" >/dev/null
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
[ -n "${SKIP_PEERS:-}" ] || nice python3 "$ROOT/bench/forecast/compare.py" peers "$OUT" "${1:-}" >&2
python3 "$ROOT/bench/forecast/compare.py" "$BIN" "$OUT" "${1:-}"
echo "finished $(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
