#!/bin/sh
# Detente against pygambit on n-player games (simpdiv, gnm, ipa, logit, liap,
# enumpoly): seeded random 5x5x5, 4x4x4x4 and 3x3x3x3x3 games (written to
# bench/nplayer/games/) and the n-player games of the Gambit catalog
# (../shared/games/gambit/). CPU seconds per call, answers compared; writes
# bench/nplayer/results.json and prints a Markdown table.
#
# Usage (from the repository root): bench/nplayer/run.sh [--timeout 10]
#   [--only NAME] [--methods gnm,logit]
# Needs bench/.venv with pygambit 16.7 (bench/gambit/setup.sh builds it).
# Detente's own timings without a peer, method by method:
#   cargo run --release -p detente-solve --example bench_nplayer
set -eu
cd "$(dirname "$0")/../.."
cargo build --release -q -p detente
exec bench/.venv/bin/python bench/nplayer/peer.py --detente target/release/detente "$@"
