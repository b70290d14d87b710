#!/usr/bin/env bash
# Detente against pygambit 16.7 on the same two-player games: seeded random
# n x n games (integer payoffs 0..99, the generator and seed of
# bench/enummixed and of Gambit's baseline), zero-sum ones for lp, and the
# two-player games of Gambit's catalog (../shared/games/gambit). Prints
# Markdown tables: CPU seconds, equilibrium counts, the ratio and whether the
# answers are equal (see compare.py for how each is measured).
#
# usage: bench/gambit/run.sh [SIZE ...]     (default: 10 12 14 16 20)
# environment: LIMIT (CPU seconds per call, default 60), SEED (default
#   20260101), CATALOG (default ../shared/games/gambit; "" skips it),
#   METHODS (space-separated subset of compare.py's methods), BIN (a prebuilt
#   detente binary; skips the cargo build) and CALL_BIN (the bench_solve
#   example, default beside BIN in examples/), CARGO_TARGET_DIR.
# needs: bench/gambit/setup.sh run once (pygambit in bench/.venv), cargo,
#        python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIMIT=${LIMIT:-60}
SEED=${SEED:-20260101}
CATALOG=${CATALOG-$ROOT/../shared/games/gambit}
OUT=${OUT:-${CARGO_TARGET_DIR:-$ROOT/target}/bench-gambit}
PY=$ROOT/bench/.venv/bin/python
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(10 12 14 16 20); fi
[ -x "$PY" ] || { echo "run bench/gambit/setup.sh first" >&2; exit 1; }
mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && cargo build --quiet --release -p detente \
     && cargo build --quiet --release -p detente-solve --example bench_solve)
  BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/detente
fi
CALL_BIN=${CALL_BIN:-$(dirname "$BIN")/examples/bench_solve}
python3 "$ROOT/bench/enummixed/gen_games.py" "$OUT" "$SEED" "${SIZES[@]}" >/dev/null

echo "$(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "$(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); pygambit $("$PY" -c 'import pygambit; print(pygambit.__version__)')"
echo
cat_args=()
if [ -n "$CATALOG" ] && [ -d "$CATALOG" ]; then
  cat_args=(--catalog "$CATALOG" --reference "$CATALOG/reference.json")
fi
meth_args=()
if [ -n "${METHODS:-}" ]; then
  read -r -a meths <<< "$METHODS"
  meth_args=(--methods "${meths[@]}")
fi
python3 "$ROOT/bench/gambit/compare.py" --bin "$BIN" --call-bin "$CALL_BIN" --peer-python "$PY" --limit "$LIMIT" \
  --seed "$SEED" --random "$OUT" --sizes "${SIZES[@]}" "${cat_args[@]}" "${meth_args[@]}" \
  --json "$OUT/results.json"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
