#!/usr/bin/env bash
# Time `detente forecast` on the reference inputs and the synthetic cases.
# Usage: bench/forecast/run_detente.sh [path/to/detente]
# Prints: case, model, user+sys CPU seconds, wall seconds, number of rounds/states.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-$ROOT/target/release/detente}"
SHARED="$ROOT/../shared/data/forecast"
OUT="$ROOT/bench/out/forecast"
mkdir -p "$OUT"
python3 "$ROOT/bench/forecast/gen_synth.py" "$OUT" >/dev/null
run() { # file model
  local f="$1" m="$2" t
  t=$( { /usr/bin/time -f "%U %S %e" "$BIN" forecast "$f" --model "$m" --format json >"$OUT/last.json"; } 2>&1 | tail -1)
  local states
  states=$(python3 -c "import json;print(len(json.load(open('$OUT/last.json'))['issues'][0]['rounds'])-1)")
  echo "$(basename "$f") $m $t $states" | awk '{printf "%-28s %-9s cpu=%.2fs wall=%.2fs rounds=%s\n", $1, $2, $3+$4, $5, $6}'
}
for f in dummyData_3Dim SOE-Pol-Comp SOE-Policy dummyData_6Dim SOE-Competitive dummyData-a040 dummyData-a080 dummyData-a160; do
  run "$SHARED/ktab/$f.csv" smp
done
for n in 50 100 250; do run "$OUT/synth${n}x1_ktab.csv" smp; done
for f in jmckib_ExampleActors jmckib_Sultan decisionmechanics_argentina; do run "$SHARED/eum/$f.csv" eum; done
for n in 50 100 250; do run "$OUT/synth${n}x1_eum.csv" eum; done
for f in sample_data copenhagen cop21; do run "$SHARED/decide/$f.csv" exchange; done
for n in 50 100 250; do run "$OUT/synth${n}x10_decide.csv" exchange; done
