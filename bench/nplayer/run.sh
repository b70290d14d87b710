#!/bin/sh
# Times Detente's n-player methods (simpdiv, gnm, ipa, logit, liap, enumpoly)
# on seeded random 5x5x5, 4x4x4x4 and 3x3x3x3x3 games (integer payoffs
# 0..99, seed 20260101), 20 s wall-clock budget per call, and prints a
# Markdown table: seconds (equilibria found[, budget][, complete]).
# Usage: bench/nplayer/run.sh   (from the repository root)
set -eu
cd "$(dirname "$0")/../.."
exec cargo run --release -q -p detente-solve --example bench_nplayer
