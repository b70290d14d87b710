#!/usr/bin/env python3
"""Detente against pygambit on the same two-player games: CPU seconds and
whether the answers are equal. Called by bench/gambit/run.sh.

usage: compare.py --bin DETENTE --call-bin BENCH_SOLVE --peer-python PY --limit SECONDS
                  [--random DIR --sizes N ...] [--catalog DIR] [--json OUT]

Random games (DIR/rand_NxN.nfg, written by bench/enummixed/gen_games.py;
DIR/zs_NxN.nfg, zero-sum, written here): methods enumpure, enummixed,
enummixed_float, lcp, lcp_float, lcp_first (exact, stop after one), and lp,
lp_float on the zero-sum games. Catalog (every two-player .nfg/.efg under
DIR, trees on their reduced strategic form): the same methods, summed.

Timing, CPU seconds: pygambit by time.process_time() around the solver call
alone (peer.py); Detente likewise around the library call plus the exact
regret check of every equilibrium returned (crates/solve/examples/
bench_solve.rs, the "call" column, which the ratio uses), and also as a
whole `detente solve FILE --format json` process (start-up, reading,
solving, checking, printing: the "process" column, from the kernel's
accounting of the child). Every run is capped at --limit CPU seconds; a
side that hit the cap on a smaller random game is not run on the larger ones
of that method ("(> LIMIT)").

Answers: exact methods must return the same set of profiles (fractions
compared exactly, order ignored); lp, which returns one optimal profile,
must give the same value (payoffs) and is marked "same value" when the
optimal profiles differ; floating-point methods must match profile for
profile within 1e-6.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEER = os.path.join(ROOT, "bench", "gambit", "peer.py")

DETENTE_ARGS = {
    "enumpure": ["--method", "enumpure"],
    "enummixed": ["--method", "enummixed"],
    "enummixed_float": ["--method", "enummixed", "--float"],
    "lcp": ["--method", "lcp"],
    "lcp_float": ["--method", "lcp", "--float"],
    "lcp_first": ["--method", "lcp", "--stop-after", "1"],
    "lp": ["--method", "lp"],
    "lp_float": ["--method", "lp", "--float"],
}
RANDOM_METHODS = ["enumpure", "enummixed", "enummixed_float", "lcp", "lcp_float", "lcp_first"]
ZEROSUM_METHODS = ["lp", "lp_float"]


def write_zero_sum(directory, seed, n):
    """A zero-sum n x n game, row payoffs 0..99 from a seeded stream."""
    rng = random.Random(f"{seed}-zs-{n}x{n}")
    path = os.path.join(directory, f"zs_{n}x{n}.nfg")
    lines = []
    for _ in range(n * n):
        a = rng.randint(0, 99)
        lines.append(f"{a} {-a}")
    with open(path, "w") as fh:
        fh.write(f'NFG 1 R "Zero-sum {n}x{n} game, payoffs 0..99, seed {seed}" {{ "1" "2" }} {{ {n} {n} }}\n\n')
        fh.write("\n".join(lines) + "\n")
    return path


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_detente(binary, method, path, limit):
    args = [binary, "solve", path, "--format", "json"] + DETENTE_ARGS[method]
    if path.endswith(".efg") and method.startswith(("lcp", "lp")):
        args.append("--strategic")

    def cap():
        resource.setrlimit(resource.RLIMIT_CPU, (int(limit), int(limit) + 1))

    before = child_cpu()
    p = subprocess.run(args, capture_output=True, text=True, preexec_fn=cap)
    cpu = child_cpu() - before
    if p.returncode != 0:
        if cpu >= limit * 0.98:
            return {"cpu": cpu, "timeout": True}
        return {"cpu": cpu, "error": (p.stderr.strip() or f"exit {p.returncode}")[:200]}
    out = json.loads(p.stdout)
    eqs = [e["profile"] for e in out["equilibria"]]
    pays = [e["payoffs"] for e in out["equilibria"]]
    return {"cpu": cpu, "equilibria": eqs, "payoffs": pays}


def run_call(binary, method, path, limit):
    """Detente's library call (bench_solve), one file per process."""

    def cap():
        resource.setrlimit(resource.RLIMIT_CPU, (int(limit), int(limit) + 1))

    before = child_cpu()
    p = subprocess.run([binary, method, path], capture_output=True, text=True, preexec_fn=cap)
    cpu = child_cpu() - before
    if p.returncode != 0 or not p.stdout.strip():
        if cpu >= limit * 0.98:
            return {"cpu": cpu, "timeout": True}
        return {"cpu": cpu, "error": (p.stderr.strip() or f"exit {p.returncode}")[:200]}
    return json.loads(p.stdout)


def run_peer(python, method, paths, limit):
    """pygambit on each path; a call over the limit kills the process and
    the rest are run in a new one."""
    results = {}
    todo = list(paths)
    while todo:
        p = subprocess.run(
            [python, PEER, "--limit", str(limit), method] + todo,
            capture_output=True,
            text=True,
        )
        last = None
        for line in p.stdout.splitlines():
            rec = json.loads(line)
            if "started" in rec:
                last = rec["started"]
                continue
            results[rec["file"]] = rec
            last = None
        done = [f for f in todo if f in results]
        if last is not None:
            results[last] = {"file": last, "timeout": True, "cpu": limit}
            done.append(last)
        elif p.returncode != 0 and len(done) < len(todo):
            # Died before starting a file (import error): report and stop.
            for f in todo:
                if f not in results:
                    results[f] = {"file": f, "error": p.stderr.strip()[-200:]}
            break
        todo = [f for f in todo if f not in results]
    return results


def frac(x):
    return Fraction(x)


def same_exact(a, b):
    """The same set of profiles, exactly (a profile listed twice counts once:
    Gambit 16.7 lists some equilibria of degenerate games once per basis)."""
    ka = {tuple(tuple(frac(v) for v in s) for s in e) for e in a}
    kb = {tuple(tuple(frac(v) for v in s) for s in e) for e in b}
    return ka == kb


def close(e, f, tol):
    return all(abs(float(x) - float(y)) <= tol for s, t in zip(e, f) for x, y in zip(s, t))


def same_float(a, b, tol=1e-6):
    """Every profile of each side within tol of one of the other's."""
    return all(any(close(e, f, tol) for f in b) for e in a) and all(
        any(close(f, e, tol) for e in a) for f in b
    )


def distinct_count(eqs):
    return len({tuple(tuple(str(frac(v)) for v in s) for s in e) for e in eqs})


# Differences examined and explained: the game, the method prefix, and why.
KNOWN = {
    ("tests/large_payoff_game.efg", "lp"): "Gambit wrong: its arithmetic overflows on payoffs near 1e18 "
    "(it also reports no equilibrium at all for enummixed); Detente's answer has exactly zero regret",
    ("tests/large_payoff_game.efg", "enummixed"): "Gambit wrong: reports no equilibrium (impossible, Nash 1951); "
    "payoffs near 1e18 overflow its arithmetic",
}


def verdict(method, d, g):
    """'yes', 'same value', 'NO', or '-' when one side did not finish."""
    if "equilibria" not in d or "equilibria" not in g:
        return "-"
    exact = not method.endswith("_float")
    if method.startswith("lp"):
        same_profile = same_exact(d["equilibria"], g["equilibria"]) if exact else same_float(d["equilibria"], g["equilibria"])
        if same_profile:
            return "yes"
        if exact:
            ok = [frac(v) for v in d["payoffs"][0]] == [frac(v) for v in g["payoffs"][0]]
        else:
            ok = all(abs(float(x) - float(y)) <= 1e-6 for x, y in zip(d["payoffs"][0], g["payoffs"][0]))
        return "same value" if ok else "NO"
    same = same_exact(d["equilibria"], g["equilibria"]) if exact else same_float(d["equilibria"], g["equilibria"])
    if not same:
        return "NO"
    dup = len(g["equilibria"]) - distinct_count(g["equilibria"])
    return f"yes (pygambit lists {dup} twice)" if exact and dup > 0 else "yes"


def fmt_cpu(r, limit):
    if r.get("skipped"):
        return f"(> {limit:g})"
    if r.get("timeout"):
        return f"> {limit:g}"
    if "error" in r:
        return "error"
    c = r["cpu"]
    return f"{c:.3g}" if c >= 0.001 else f"{c:.2g}"


def count(r):
    return str(len(r["equilibria"])) if "equilibria" in r else "–"


def ratio(d, g, limit):
    if "equilibria" not in d:
        return "–"
    dc = max(d["cpu"], 1e-4)
    if g.get("timeout"):
        return f"> {limit / dc:.0f}×" if limit / dc >= 10 else f"> {limit / dc:.2g}×"
    if "equilibria" not in g:
        return "–"
    return f"{g['cpu'] / dc:.2g}×" if g["cpu"] / dc < 10 else f"{g['cpu'] / dc:.0f}×"


def two_player_files(directory):
    """Two-player games under directory (a cheap check of the header)."""
    out = []
    for base, _, files in os.walk(directory):
        for f in sorted(files):
            if not f.endswith((".nfg", ".efg")):
                continue
            path = os.path.join(base, f)
            out.append(path)
    return sorted(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--call-bin", required=True)
    ap.add_argument("--peer-python", required=True)
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--random")
    ap.add_argument("--sizes", type=int, nargs="*", default=[])
    ap.add_argument("--seed", default="20260101")
    ap.add_argument("--catalog")
    ap.add_argument("--reference")
    ap.add_argument("--methods", nargs="*")
    ap.add_argument("--json")
    a = ap.parse_args()
    record = {"random": [], "catalog": {}}

    if a.random and a.sizes:
        print("| game | method | Detente call | Detente process | eq | pygambit call | eq | pygambit / Detente (calls) | same answers |")
        print("|---|---|---|---|---|---|---|---|---|")
        d_over, g_over = set(), set()
        for n in a.sizes:
            games = [(os.path.join(a.random, f"rand_{n}x{n}.nfg"), RANDOM_METHODS),
                     (write_zero_sum(a.random, a.seed, n), ZEROSUM_METHODS)]
            for path, methods in games:
                for m in methods:
                    if a.methods and m not in a.methods:
                        continue
                    # A side that hit the limit on a smaller game is not run
                    # on larger ones (marked as over the limit).
                    if m in d_over:
                        d = dp = {"cpu": a.limit, "timeout": True, "skipped": True}
                    else:
                        d = run_call(a.call_bin, m, path, a.limit)
                        dp = run_detente(a.bin, m, path, a.limit)
                        if d.get("timeout"):
                            d_over.add(m)
                    if m in g_over:
                        g = {"cpu": a.limit, "timeout": True, "skipped": True}
                    else:
                        g = run_peer(a.peer_python, m, [path], a.limit)[path]
                        if g.get("timeout"):
                            g_over.add(m)
                    v = verdict(m, d, g)
                    if "equilibria" in dp and "equilibria" in d and not (
                            same_exact(dp["equilibria"], d["equilibria"]) if not m.endswith("_float")
                            else same_float(dp["equilibria"], d["equilibria"])):
                        v += " (CLI differs!)"
                    name = os.path.basename(path)[:-4]
                    print(f"| {name} | {m} | {fmt_cpu(d, a.limit)} | {fmt_cpu(dp, a.limit)} | {count(d)} | {fmt_cpu(g, a.limit)} | {count(g)} | {ratio(d, g, a.limit)} | {v} |", flush=True)
                    record["random"].append({"game": name, "method": m, "detente_process_cpu": dp.get("cpu"),
                                             "detente": {k: d[k] for k in d if k not in ("equilibria", "payoffs", "file")},
                                             "detente_eq": len(d.get("equilibria", [])), "pygambit": {k: g[k] for k in g if k not in ("equilibria", "payoffs", "file")},
                                             "pygambit_eq": len(g.get("equilibria", [])), "same": v})

    if a.catalog:
        ref = json.load(open(a.reference)) if a.reference else None
        files = []
        for path in two_player_files(a.catalog):
            key = os.path.relpath(path, a.catalog)
            if ref is not None:
                info = ref["games"].get(key)
                if not info or info.get("n_players") != 2 or info.get("load") != "ok":
                    continue
            files.append(path)
        print()
        print(f"Catalog: {len(files)} two-player games that pygambit reads")
        print()
        print("| method | games | both finished | same answers | only Detente finished | only pygambit finished | Detente call CPU s (sum) | Detente process CPU s (sum) | pygambit call CPU s (sum) | pygambit / Detente (call sums) | differences |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for m in ["enumpure", "enummixed", "lcp", "lp", "lcp_float", "lp_float"]:
            if a.methods and m not in a.methods:
                continue
            peer = run_peer(a.peer_python, m, files, a.limit)
            both = same = only_d = only_g = dup = 0
            dsum = gsum = psum = 0.0
            diffs = []
            games = 0
            for path in files:
                key = os.path.relpath(path, a.catalog)
                g = peer[path]
                if "error" in g and m.startswith("lp") and "constant" in g["error"].lower():
                    continue  # lp applies to constant-sum games only
                d = run_call(a.call_bin, m, path, a.limit)
                if m.startswith("lp") and "error" in d and "constant" in d["error"].lower():
                    continue
                dp = run_detente(a.bin, m, path, a.limit)
                games += 1
                v = verdict(m, d, g)
                if v != "-":
                    both += 1
                    dsum += d["cpu"]
                    psum += dp["cpu"]
                    gsum += g["cpu"]
                    if v.startswith("yes") or v == "same value":
                        same += 1
                        dup += v.startswith("yes (")
                    else:
                        why = KNOWN.get((key, m.split("_")[0]))
                        diffs.append(f"{key} ({v}: {count(d)} vs {count(g)}{'; ' + why if why else ''})")
                elif "equilibria" in d:
                    only_d += 1
                elif "equilibria" in g:
                    only_g += 1
                    diffs.append(f"{key} (only pygambit: Detente {'timeout' if d.get('timeout') else d.get('error', '')})"[:200])
                record["catalog"].setdefault(m, []).append({"game": key, "same": v,
                                                            "detente_cpu": d.get("cpu"), "pygambit_cpu": g.get("cpu"),
                                                            "detente_error": d.get("error"), "pygambit_error": g.get("error"),
                                                            "detente_timeout": bool(d.get("timeout")), "pygambit_timeout": bool(g.get("timeout")),
                                                            "detente_eq": len(d.get("equilibria", [])), "pygambit_eq": len(g.get("equilibria", []))})
            if dup:
                diffs.insert(0, f"{dup} where pygambit lists an equilibrium twice (same set)")
            shown = "; ".join(diffs) or "none"
            ratio_s = f"{gsum / dsum:.3g}×" if dsum > 0 else "-"
            print(f"| {m} | {games} | {both} | {same} | {only_d} | {only_g} | {dsum:.3g} | {psum:.3g} | {gsum:.3g} | {ratio_s} | {shown} |", flush=True)

    if a.json:
        with open(a.json, "w") as fh:
            json.dump(record, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
