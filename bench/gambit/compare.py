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
    ka = sorted(tuple(tuple(frac(v) for v in s) for s in e) for e in a)
    kb = sorted(tuple(tuple(frac(v) for v in s) for s in e) for e in b)
    return ka == kb


def same_float(a, b, tol=1e-6):
    if len(a) != len(b):
        return False
    used = [False] * len(b)
    for e in a:
        hit = False
        for k, f in enumerate(b):
            if used[k]:
                continue
            if all(abs(float(x) - float(y)) <= tol for s, t in zip(e, f) for x, y in zip(s, t)):
                used[k] = hit = True
                break
        if not hit:
            return False
    return True


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
    if exact:
        return "yes" if same_exact(d["equilibria"], g["equilibria"]) else "NO"
    return "yes" if same_float(d["equilibria"], g["equilibria"]) else "NO"


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
        print("| method | games | both finished | same answers | Detente call CPU s (sum) | Detente process CPU s (sum) | pygambit call CPU s (sum) | differences |")
        print("|---|---|---|---|---|---|---|---|")
        for m in ["enumpure", "enummixed", "lcp", "lp", "lcp_float", "lp_float"]:
            if a.methods and m not in a.methods:
                continue
            peer = run_peer(a.peer_python, m, files, a.limit)
            both = same = 0
            dsum = gsum = psum = 0.0
            diffs = []
            games = 0
            for path in files:
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
                    if v in ("yes", "same value"):
                        same += 1
                    if v != "yes":
                        diffs.append(f"{os.path.relpath(path, a.catalog)} ({v}: {count(d)} vs {count(g)})")
                else:
                    why_d = "timeout" if d.get("timeout") else d.get("error", "")
                    why_g = "timeout" if g.get("timeout") else g.get("error", "")
                    diffs.append(f"{os.path.relpath(path, a.catalog)} (Detente: {why_d or 'ok'}; pygambit: {why_g or 'ok'})"[:160])
                record["catalog"].setdefault(m, []).append({"game": os.path.relpath(path, a.catalog), "same": v,
                                                            "detente_cpu": d.get("cpu"), "pygambit_cpu": g.get("cpu"),
                                                            "detente_eq": len(d.get("equilibria", [])), "pygambit_eq": len(g.get("equilibria", []))})
            shown = "; ".join(diffs[:6]) + (f"; … {len(diffs) - 6} more" if len(diffs) > 6 else "")
            print(f"| {m} | {games} | {both} | {same} | {dsum:.3g} | {psum:.3g} | {gsum:.3g} | {shown or 'none'} |", flush=True)

    if a.json:
        with open(a.json, "w") as fh:
            json.dump(record, fh, indent=1)


if __name__ == "__main__":
    sys.exit(main())
