#!/usr/bin/env bash
# Monte Carlo throughput of `detente analyze` on the built-in scenario (and
# the second scenario): draws per second on 1 thread and on all cores.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p detente-scenario --example bench_mc
for f in scenarios/dprk-russia-2024.toml scenarios/trade-blocs.toml; do
  "${CARGO_TARGET_DIR:-target}/release/examples/bench_mc" "$f" "${DRAWS:-200000}"
done
echo "machine: $(nproc) cores; $(lscpu | grep 'Model name' | sed 's/ *Model name: *//')"
