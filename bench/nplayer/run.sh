#!/bin/sh
# Detente against pygambit on n-player games (simpdiv, gnm, ipa, logit, liap,
# enumpoly): seeded random 5x5x5, 4x4x4x4 and 3x3x3x3x3 games (written to
# bench/nplayer/games/) and the n-player games of the Gambit catalog
# (../shared/games/gambit/). CPU seconds per call, answers compared; writes
# bench/out/nplayer/results.json and prints a Markdown table and a summary
# per method.
#
# Usage (from anywhere): bench/nplayer/run.sh [GAME...]
#   GAME: part of a game's name (rand_3p, rand_4p_4x4x4x4_1, nau2004, 2x2x2...);
#         none = every game.
# Environment:
#   METHODS  comma-separated methods (default simpdiv,gnm,ipa,logit,liap,enumpoly)
#   LIMIT    CPU seconds per call and side (default 10)
#   OUT      results file (default bench/out/nplayer/results.json)
#   REPEAT   measure every call REPEAT times, each in a fresh process, and
#            keep the least CPU time, on both sides (default 1)
# Example: LIMIT=10 METHODS=gnm,ipa,simpdiv bench/nplayer/run.sh rand_3p rand_4p
# Detente is timed in-process (crates/solve/examples/bench_nplayer.rs: the
# call and the verification the CLI performs) and as a whole `detente solve`
# process (extra column); pygambit as the solver call alone.
# Needs bench/.venv with pygambit 16.7 (bench/gambit/setup.sh builds it).
# Detente's own timings without a peer, method by method:
#   cargo run --release -p detente-solve --example bench_nplayer
set -eu
cd "$(dirname "$0")/../.."
TARGET=${CARGO_TARGET_DIR:-$(pwd)/target}
cargo build --release -q -p detente
cargo build --release -q -p detente-solve --example bench_nplayer
ONLY=$(echo "$*" | tr ' ' ',')
exec bench/.venv/bin/python bench/nplayer/peer.py --detente "$TARGET/release/detente" \
  --bench "$TARGET/release/examples/bench_nplayer" \
  --timeout "${LIMIT:-10}" --methods "${METHODS:-simpdiv,gnm,ipa,logit,liap,enumpoly}" \
  --repeat "${REPEAT:-1}" ${ONLY:+--only "$ONLY"} --out "${OUT:-bench/out/nplayer/results.json}"
