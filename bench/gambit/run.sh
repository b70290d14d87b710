#!/usr/bin/env bash
# Detente against pygambit (and lrsnash for enummixed) on the same seeded
# random n x n games (integer payoffs 0..99, the generator and seed of
# bench/enummixed). Prints CPU seconds and equilibrium counts per game and
# method, and the ratio peer / Detente.
#
# usage: bench/gambit/run.sh [SIZE ...]   (default: 10 12 14 16)
# environment: LIMIT (CPU seconds per run, default 60), SEED (default 20260101)
# needs: bench/gambit/setup.sh run once (pygambit in bench/.venv), cargo,
#        python3; lrsnash optional (apt-get install -y lrslib).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIMIT=${LIMIT:-60}
SEED=${SEED:-20260101}
OUT=$ROOT/target/bench-gambit
PY=$ROOT/bench/.venv/bin/python
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(10 12 14 16); fi
[ -x "$PY" ] || { echo "run bench/gambit/setup.sh first" >&2; exit 1; }
mkdir -p "$OUT"
(cd "$ROOT" && cargo build --quiet --release -p detente)
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/detente
python3 "$ROOT/bench/enummixed/gen_games.py" "$OUT" "$SEED" "${SIZES[@]}" >/dev/null

# cpu CMD...: "CPU_SECONDS" of CMD (user+sys of the whole process), or ">LIMIT".
cpu() {
  local tf; tf=$(mktemp)
  local status=0
  TIMEFORMAT='%U %S'
  { time (ulimit -t "$LIMIT"; "$@" >"$tf.out" 2>/dev/null) ; } 2>"$tf" || status=$?
  if [ "$status" -ne 0 ]; then echo ">$LIMIT"; else awk '{printf "%.4f", $1+$2}' "$tf"; fi
  rm -f "$tf" "$tf.out"
}

printf '%-8s %-10s %12s %6s %12s %6s %8s\n' game method detente_cpu eq pygambit_cpu eq ratio
for n in "${SIZES[@]}"; do
  f=$(ls "$OUT"/*"${n}x${n}"*.nfg | head -1)
  for m in enummixed lcp_all lcp_first; do
    case $m in
      enummixed) dargs=(--method enummixed) ;;
      lcp_all) dargs=(--method lcp) ;;
      lcp_first) dargs=(--method lcp --stop-after 1) ;;
    esac
    dt=$(cpu "$BIN" solve "$f" "${dargs[@]}")
    dn=$( (ulimit -t "$LIMIT"; "$BIN" solve "$f" "${dargs[@]}" 2>/dev/null | wc -l) || echo "?")
    pr=$( (ulimit -t "$LIMIT"; "$PY" "$ROOT/bench/gambit/peer.py" "$m" "$f" 2>/dev/null) || echo ">$LIMIT ?")
    pt=${pr% *}; pn=${pr#* }
    ratio=$(python3 -c "import sys
d,p='$dt','$pt'
print('-' if d.startswith('>') or p.startswith('>') else f'{float(p)/max(float(d),1e-6):.1f}x')")
    printf '%-8s %-10s %12s %6s %12s %6s %8s\n' "${n}x${n}" "$m" "$dt" "$dn" "$pt" "$pn" "$ratio"
  done
done
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
