#!/usr/bin/env bash
# Benchmark: Detente's exact enummixed against lrsnash (lrslib, GMP exact
# arithmetic) on seeded random n x n games with integer payoffs 0..99.
#
# usage: bench/enummixed/run.sh [SIZE ...]      (default: 10 12 14 16 18 20)
# environment: SEED (default 20260101, the seed of Gambit's baseline games in
#   shared/tools/gambit_bench.py), LIMIT (CPU seconds per run, default 60),
#   OUT (work directory, default target/bench-enummixed), CARGO_TARGET_DIR,
#   BIN (a prebuilt bench_enummixed binary; skips the cargo build).
# needs: cargo, python3, lrsnash (Debian/Ubuntu: apt-get install -y lrslib).
#
# Each run is limited to LIMIT CPU seconds (ulimit -t) and timed in CPU
# seconds (user + sys), so the figures hold on a shared machine. Columns:
# size, Detente CPU s, extreme equilibria, maximal Nash subsets, vertices of
# P/Q, lrsnash CPU s, lrsnash's equilibrium count, lrsnash time / Detente time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SEED=${SEED:-20260101}
LIMIT=${LIMIT:-60}
OUT=${OUT:-$ROOT/target/bench-enummixed}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(10 12 14 16 18 20); fi

mkdir -p "$OUT"
if [ -z "${BIN:-}" ]; then
  (cd "$ROOT" && cargo build --quiet --release -p detente-solve --example bench_enummixed)
  BIN="$TARGET/release/examples/bench_enummixed"
fi
python3 "$ROOT/bench/enummixed/gen_games.py" "$OUT" "$SEED" "${SIZES[@]}"
HAVE_LRS=1
command -v lrsnash >/dev/null || { HAVE_LRS=0; echo "lrsnash not found: skipping it (apt-get install -y lrslib)" >&2; }

# cpu_time FILE CMD...: runs CMD under the CPU limit with stdout to FILE and
# prints "SECONDS STATUS" (STATUS 0 = finished).
cpu_time() {
  local out=$1; shift
  local tf; tf=$(mktemp)
  local status=0
  TIMEFORMAT='%U %S'
  { time ( ulimit -t "$LIMIT"; "$@" >"$out" 2>/dev/null ); } 2>"$tf" || status=$?
  awk -v s="$status" '{ printf "%.3f %d\n", $1 + $2, s }' "$tf"
  rm -f "$tf"
}

printf "%-7s %12s %6s %8s %17s %12s %8s %8s\n" size detente_s eq cliques vertices_P/Q lrsnash_s lrs_eq ratio
for n in "${SIZES[@]}"; do
  g="$OUT/rand_${n}x${n}"
  read -r dt dst < <(cpu_time "$g.detente.txt" "$BIN" "$g.nfg")
  if [ "$dst" = 0 ]; then
    IFS=$'\t' read -r _ _ eq cl verts _ _ < "$g.detente.txt"
  else
    dt=">$LIMIT"; eq=-; cl=-; verts=-
  fi
  lt=-; leq=-; ratio=-
  if [ "$HAVE_LRS" = 1 ]; then
    read -r lt lst < <(cpu_time "$g.lrsnash.txt" lrsnash "$g.lrs")
    if [ "$lst" = 0 ]; then
      leq=$(sed -n 's/^\*Number of equilibria found: *//p' "$g.lrsnash.txt")
      if [ "$dst" = 0 ]; then
        ratio=$(awk -v a="$lt" -v b="$dt" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')
      else
        ratio="<1"
      fi
    else
      lt=">$LIMIT"
      [ "$dst" = 0 ] && ratio=">$(awk -v a="$LIMIT" -v b="$dt" 'BEGIN { if (b > 0) printf "%.0f", a / b; else print "inf" }')"
    fi
  fi
  printf "%-7s %12s %6s %8s %17s %12s %8s %8s\n" "${n}x${n}" "$dt" "$eq" "$cl" "$verts" "$lt" "$leq" "$ratio"
done
