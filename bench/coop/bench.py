#!/usr/bin/env python3
"""Times `detente power` / `detente coalition` (release build) against
powerindex (PyPI) and prints a Markdown table with ratios.

Usage: python3 bench/coop/gen.py && python3 bench/coop/bench.py
Needs: target/release/detente (or DETENTE=path), and powerindex installed
in bench/.venv (python3 -m venv bench/.venv && bench/.venv/bin/pip install powerindex).
Each peer run has a timeout (TIMEOUT seconds, default 600).
"""
import json
import os
import re
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
# The driver: crates/coop/examples/coop_bench.rs (cargo build --release -p detente-coop --example coop_bench).
detente = os.environ.get("COOP_BENCH", os.path.join(root, "target", "release", "examples", "coop_bench"))
venv_py = os.path.join(root, "bench", ".venv", "bin", "python")
timeout = float(os.environ.get("TIMEOUT", "600"))
data = os.path.join(root, "crates", "coop", "tests", "data")
out = os.path.join(here, "out")


def best_of(cmd, reps=3):
    best = None
    result = None
    for _ in range(reps):
        t = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=max(timeout, 1200))
        dt = time.perf_counter() - t
        if p.returncode != 0:
            raise RuntimeError(f"{cmd}: {p.stderr}")
        result = p.stdout
        best = dt if best is None else min(best, dt)
    return best, result


PEER = r"""
import json, sys, time
import powerindex as px
quota, weights, which = json.loads(sys.stdin.read())
t = time.perf_counter()
g = px.Game(quota, weights=weights)
if which in ("banzhaf", "both"):
    g.calc_banzhaf()
if which in ("shapley", "both"):
    g.calc_shapley_shubik()
dt = time.perf_counter() - t
print(json.dumps({"time": dt,
                  "banzhaf": list(map(float, g.banzhaf)) if which != "shapley" else None,
                  "shapley": list(map(float, g.shapley_shubik)) if which != "banzhaf" else None}))
"""


def peer(quota, weights, which):
    try:
        t = time.perf_counter()
        p = subprocess.run([venv_py, "-c", PEER], input=json.dumps([quota, weights, which]),
                           capture_output=True, text=True, timeout=timeout)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            return None, f"error: {p.stderr.strip().splitlines()[-1] if p.stderr.strip() else p.returncode}"
        r = json.loads(p.stdout)
        return r, wall
    except subprocess.TimeoutExpired:
        return None, f"timeout > {timeout:.0f} s"


def read_weighted(path):
    text = open(path).read()
    q = int(re.search(r"^quota = (\d+)", text, re.M).group(1))
    w = [int(x) for x in re.search(r"^weights = \[([^\]]*)\]", text, re.M).group(1).split(",")]
    return q, w


def maxdiff(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


rows = []
for label, path in [("US Electoral College (51 voters, 538 electors)", os.path.join(data, "electoral_college.toml")),
                    ("1,000 voters, weights 1..1000", os.path.join(out, "body1000.toml"))]:
    q, w = read_weighted(path)
    ours_t, ours_out = best_of([detente, "power", path], reps=3 if len(w) < 100 else 1)
    ours = json.loads(ours_out)
    for which in ("banzhaf", "shapley"):
        r, info = peer(q, w, which)
        key = "banzhaf_normalized" if which == "banzhaf" else "shapley_shubik"
        if r is None:
            rows.append((label, which, ours_t, None, info, ""))
        else:
            d = maxdiff(ours[key], r[which])
            rows.append((label, which, ours_t, r["time"], f"{r['time'] / ours_t:.1f}x", f"{d:.1e}"))
    print(f"done: {label} ({ours['method']})", file=sys.stderr)

# Shapley values of 20-player games (tables of 2^20 values built from a rule).
for name, label in [("bankruptcy20.toml", "20-player bankruptcy game"), ("weighted20.toml", "20-player weighted game")]:
    t20, _ = best_of([detente, "coalition", os.path.join(out, name)], reps=3)
    row = [f"{label}: exact Shapley + Banzhaf values over 2^20 coalitions", "shapley", t20, None, "", ""]
    if name == "weighted20.toml":
        q20, w20 = read_weighted(os.path.join(out, name))
        r, info = peer(q20, w20, "shapley")
        if r is not None:
            row[3] = r["time"]
            row[4] = f"{r['time'] / t20:.1f}x"
        else:
            row[4] = info
    rows.append(tuple(row))

print("| case | index | detente-coop (s, wall, whole process) | powerindex (s, in-process) | ratio | max abs diff |")
print("|---|---|---|---|---|---|")
for label, which, ot, pt, ratio, diff in rows:
    pts = f"{pt:.3f}" if pt is not None else "—"
    print(f"| {label} | {which} | {ot:.3f} | {pts} | {ratio} | {diff} |")
