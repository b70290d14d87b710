#!/usr/bin/env bash
# Time the peers on the same inputs (after setup_peers.sh), run from $OUT. Slow: the peers
# took minutes to hours on the larger cases (see README.md).
# The EUM peer (jmckib/bdm-scholz-expected-utility-model, Python 2.7, not on
# PyPI, no licence file) is run only when EUM_PEER points to a local copy of
# its bdm_scholz_model.py.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="$ROOT/bench/.venv"
SHARED="$ROOT/../shared/data/forecast"
OUT="$ROOT/bench/out/forecast"
mkdir -p "$OUT"
python3 "$ROOT/bench/forecast/gen_synth.py" "$OUT" >/dev/null
cd "$OUT"
cpu() { /usr/bin/time -f "%U %S" "$@" >/dev/null 2>"$OUT/time.txt"; awk '{s=$1+$2} END {printf "cpu=%.2fs\n", s}' < <(tail -1 "$OUT/time.txt"); }
# pySMP (KTAB through ctypes) has no command line and its Linux loader is
# broken (notes section 3.6); its timings in README.md are the research
# note's measurements (section 6), not re-run by this script.
for f in sample_data copenhagen cop21 synth50x10_decide; do
  [ -f "$SHARED/decide/$f.csv" ] && in="$SHARED/decide/$f.csv" || in="$OUT/$f.csv"
  echo -n "$f decide "; cpu "$VENV/bin/decide-cli" --input-file "$in" --model equal --iterations 10 --repetitions 1
done
if [ -n "${EUM_PEER:-}" ]; then
  for f in jmckib_ExampleActors; do
    echo -n "$f jmckib "; cpu python2.7 "$EUM_PEER" "$SHARED/eum/$f.csv" 10
  done
fi
