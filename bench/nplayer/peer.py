#!/usr/bin/env python3
"""Detente against pygambit on n-player games, method by method.

Games:
  * seeded random 3-, 4- and 5-player games (integer payoffs 0..99; shapes
    5x5x5, 4x4x4x4, 3x3x3x3x3; seed 20260101, two games per shape), written
    as .nfg files into bench/nplayer/games/ so that both programs read the
    very same file;
  * the n-player games (more than two players) of the Gambit catalog
    (../shared/games/gambit/, .nfg and .efg; trees on the reduced strategic
    form on both sides).

Methods: simpdiv, gnm, ipa, logit, liap, enumpoly. Each pygambit call runs in
a fresh process with a CPU-time limit (--timeout, default 20 s). Detente is
timed twice, both under the same CPU-time rlimit (prlimit) and with a
generous wall-clock budget (--max-time = 10 x the limit) so that a loaded
machine does not cut it short:
  * the call (the ratio's figure): `bench_nplayer file FILE METHOD`
    (crates/solve/examples/bench_nplayer.rs, release build), which times
    in-process the method call **and** the independent verification of
    every profile it returns, as `detente solve` runs them, with the thread's
    CPU clock, repeated until 0.2 CPU s when fast; its equilibria are the
    ones compared;
  * the process: `detente solve FILE --method M --format json` as a user
    runs it (start-up, reading the file, solving, verifying, printing),
    also repeated until 0.25 CPU s when fast.
Times are **CPU seconds**; pygambit's is the solver call alone, repeated
until 0.25 CPU s when fast (at most 10,000 calls). With --repeat N each
call figure (pygambit's and Detente's call, not the process) is measured N
times, each in a fresh process, and the least is kept (cpu_runs lists
them): between processes the same call varies by 10-20 %.

Answers are checked, not just timed:
  * every pygambit profile's max regret is recomputed (pygambit's own
    `max_regret`, relative to the payoff range) -- "wrong" marks a returned
    profile with relative regret above 1e-6;
  * Detente's profiles carry their verified max regret (JSON);
  * methods that are deterministic and started alike (gnm and ipa from the
    first-strategy ray, logit from lambda = 0, simpdiv from "everyone plays
    strategy 1", liap from the centroid) are compared profile by profile:
    "same" when one of Detente's equilibria is within 1e-6 (max abs
    difference) of each of pygambit's correct ones; where not, "same
    continuum" when the segment from each of pygambit's answers to one of
    Detente's consists of equilibria (max regret at 1/4, 1/2, 3/4 at most
    1e-6 of the range): both are points of one convex set of equilibria
    (within 1e-5 that is Gambit's unpolished point next to the same
    equilibrium, and the column says so);
    enumpoly compares the sets.

liap is timed as the same work on both sides: pygambit's liap_solve runs
one start (the centroid), so Detente runs the centroid alone too
(bench_nplayer's `liap1`, `detente solve --method liap --random-starts 0`),
not its default of the centroid and 20 seeded random starts. Both use
Gambit's minimiser (Polak-Ribiere conjugate gradients); Detente then
polishes the end point by Newton's method and verifies it.

Usage (from the repository root):
    bench/.venv/bin/python bench/nplayer/peer.py [--timeout 20]
        [--only NAME[,NAME...]] [--methods simpdiv,gnm]
        [--detente target/release/detente]
        [--bench target/release/examples/bench_nplayer] [--out FILE]
(--only keeps the games whose name contains one of the NAMEs.)
Writes bench/out/nplayer/results.json (or --out) and prints a Markdown table.
"""

import argparse
import datetime
import glob
import json
import math
import multiprocessing as mp
import multiprocessing.connection as mpc
import os
import random
import resource
import signal
import subprocess
import tempfile
import time

import pygambit as gbt

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GAMES = os.path.join(HERE, "games")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "games", "gambit"))
METHODS = ["simpdiv", "gnm", "ipa", "logit", "liap", "enumpoly"]
SEED = 20260101
SHAPES = [(5, 5, 5), (4, 4, 4, 4), (3, 3, 3, 3, 3)]
SAME_TOL = 1e-6
WRONG_TOL = 1e-6


def profiles(shape):
    idx = [0] * len(shape)
    total = math.prod(shape)
    for _ in range(total):
        yield tuple(idx)
        for k in range(len(shape)):
            idx[k] += 1
            if idx[k] < shape[k]:
                break
            idx[k] = 0


def write_random_nfg(shape, seed, k, path):
    rng = random.Random(f"{seed}-{'x'.join(map(str, shape))}-{k}")
    n = len(shape)
    rows = [" ".join(str(rng.randint(0, 99)) for _ in range(n)) for _ in profiles(shape)]
    players = " ".join(f'"{i + 1}"' for i in range(n))
    title = f"Random {'x'.join(map(str, shape))} game {k}, payoffs 0..99, seed {seed}"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f'NFG 1 R "{title}" {{ {players} }} {{ {" ".join(map(str, shape))} }}\n\n')
        fh.write("\n".join(rows) + "\n")


def random_games():
    os.makedirs(GAMES, exist_ok=True)
    out = []
    for shape in SHAPES:
        for k in (1, 2):
            name = f"rand_{len(shape)}p_{'x'.join(map(str, shape))}_{k}.nfg"
            path = os.path.join(GAMES, name)
            write_random_nfg(shape, SEED, k, path)
            out.append((name, path))
    return out


def catalog_games():
    ref = json.load(open(os.path.join(SHARED, "reference.json")))
    out = []
    for rel, g in sorted(ref["games"].items()):
        if g.get("n_players", 0) > 2:
            out.append((rel, os.path.join(SHARED, rel)))
    return out


def read(path):
    if path.endswith(".efg"):
        return gbt.read_efg(path)
    return gbt.read_nfg(path)


def first_strategy_profile(g):
    p = g.mixed_strategy_profile(rational=True)
    for player in g.players:
        for i, s in enumerate(player.strategies):
            p[s] = gbt.Rational(1 if i == 0 else 0)
    return p


def call(method, g):
    n = gbt.nash
    if method == "simpdiv":
        return n.simpdiv_solve(first_strategy_profile(g))
    if method == "gnm":
        return n.gnm_solve(g)
    if method == "ipa":
        return n.ipa_solve(g)
    if method == "logit":
        return n.logit_solve(g, use_strategic=True)
    if method == "liap":
        return n.liap_solve(g.mixed_strategy_profile())
    if method == "enumpoly":
        return n.enumpoly_solve(g, use_strategic=True)
    raise ValueError(method)


def payoff_range(g):
    return max(float(g.max_payoff) - float(g.min_payoff), 1e-300)


def as_mixed(eq):
    try:
        return eq.as_strategy()
    except Exception:  # noqa: BLE001
        return eq


def _worker(conn, path, method, cpu_limit):
    resource.setrlimit(resource.RLIMIT_CPU, (int(math.ceil(cpu_limit)), int(math.ceil(cpu_limit)) + 5))
    try:
        g = read(path)
        rng = payoff_range(g)
        # Repeated until 0.25 CPU s (at most 10,000 calls, as Detente's
        # side): the process CPU clock may advance in scheduler ticks here,
        # so a few milliseconds of calls can read as 0 or as a whole tick.
        c0 = time.process_time()
        res = call(method, g)
        calls = 1
        while time.process_time() - c0 < 0.25 and calls < 10_000:
            call(method, g)
            calls += 1
        cpu = (time.process_time() - c0) / calls
        eqs = []
        for e in res.equilibria:
            m = as_mixed(e)
            prof = [[float(m[s]) for s in p.strategies] for p in g.players]
            eqs.append({"profile": prof, "rel_regret": float(m.max_regret()) / rng})
        conn.send({"status": "ok", "cpu_s": cpu, "calls": calls, "equilibria": eqs,
                   "strategies": [[s.label for s in p.strategies] for p in g.players]})
    except BaseException as exc:  # noqa: BLE001
        conn.send({"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]})
    finally:
        conn.close()


def run_gambit(path, method, timeout):
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(child, path, method, timeout), daemon=True)
    proc.start()
    child.close()
    if mpc.wait([parent], timeout=timeout * 5):
        try:
            res = parent.recv()
        except EOFError:
            proc.join(5)
            if proc.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
                res = {"status": "timeout"}
            else:
                res = {"status": "crash", "error": f"exit code {proc.exitcode}"}
        proc.join(5)
    else:
        proc.kill()
        proc.join(5)
        res = {"status": "timeout"}
    parent.close()
    return res


# Detente's method name in bench_nplayer and extra CLI flags, where the same
# work as pygambit's call is not Detente's default (see the docstring).
BENCH_METHOD = {"liap": "liap1"}
CLI_FLAGS = {"liap": ["--random-starts", "0"]}


def least_of(repeat, run):
    """`run()` up to `repeat` times (each a fresh process); the answer of
    the first, with the least CPU time of all (per-process noise of
    10-20 % on calls of microseconds: memory layout, the CPU clock's
    ticks), and every time measured in `cpu_runs`. Stops at the first run
    that does not succeed."""
    first = run()
    if first.get("status") != "ok" or repeat <= 1:
        return first
    times = [first["cpu_s"]]
    for _ in range(repeat - 1):
        again = run()
        if again.get("status") != "ok":
            break
        times.append(again["cpu_s"])
    first["cpu_runs"] = times
    first["cpu_s"] = min(times)
    return first


def run_call(bench, path, method, timeout):
    """The in-process timer (bench_nplayer file PATH METHOD): CPU seconds of
    the call and its verification, equilibria, under a CPU-time rlimit."""
    cmd = ["prlimit", f"--cpu={int(math.ceil(timeout))}", bench, "file", path,
           BENCH_METHOD.get(method, method),
           "--max-time", str(timeout * 10)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode < 0:
        sig = -p.returncode
        return {"status": "timeout" if sig in (signal.SIGXCPU, signal.SIGKILL) else "crash"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        return {"status": "error", "error": (p.stderr or "no output")[:300]}
    v = json.loads(lines[-1])
    if "error" in v:
        return {"status": "error", "error": v["error"][:300]}
    eqs = [{"profile": e["profile"], "max_regret": e["max_regret"]} for e in v["equilibria"]]
    return {"status": "ok", "cpu_s": v["cpu"], "calls": v["reps"], "equilibria": eqs,
            "strategies": v.get("strategies"), "budget": v.get("budget", False),
            "notes": "; ".join(v.get("notes", []))[:500]}


def run_detente(exe, path, method, timeout):
    """Runs the CLI; CPU seconds of exactly that process (os.wait4), under
    a CPU-time rlimit set by prlimit (no Python code runs in the child, so
    nothing of the benchmark's own process is charged to it)."""
    cmd = ["prlimit", f"--cpu={int(math.ceil(timeout))}", exe, "solve", path, "--method", method,
           "--format", "json", "--max-time", str(timeout * 10)] + CLI_FLAGS.get(method, [])
    if path.endswith(".efg"):
        cmd.append("--strategic")
    runs = 0
    cpu = 0.0
    stdout = stderr = ""
    with tempfile.TemporaryDirectory() as tmp:
        out_path = os.path.join(tmp, "out")
        err_path = os.path.join(tmp, "err")
        while True:
            fa = [(os.POSIX_SPAWN_OPEN, 1, out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                  (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
            pid = os.posix_spawnp(cmd[0], cmd, os.environ, file_actions=fa)
            _, status, ru = os.wait4(pid, 0)
            cpu += ru.ru_utime + ru.ru_stime
            runs += 1
            if os.WIFSIGNALED(status):
                return {"status": "timeout" if os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL) else "crash"}
            stdout = open(out_path).read()
            stderr = open(err_path).read()
            if os.WEXITSTATUS(status) != 0:
                return {"status": "error", "error": stderr[:300]}
            if cpu >= 0.25 or runs >= 1000:
                break
    v = json.loads(stdout)
    eqs = [{"profile": e["profile"], "max_regret": e["max_regret"]} for e in v["equilibria"]]
    budget = "budget ran out" in stderr
    return {"status": "ok", "cpu_s": cpu / runs, "calls": runs, "equilibria": eqs,
            "strategies": v.get("strategies"), "budget": budget,
            "notes": stderr.strip()[:500]}


def dist(a, b):
    return max(abs(x - y) for pa, pb in zip(a, b) for x, y in zip(pa, pb))


def same_component(path, a, b):
    """Whether the segment between two profiles consists of equilibria
    (max regret at 1/4, 1/2 and 3/4 at most WRONG_TOL of the payoff range):
    then both lie in one convex set of equilibria (a continuum), and either
    is a right answer."""
    g = read(path)
    rng = payoff_range(g)
    for t in (0.25, 0.5, 0.75):
        prof = g.mixed_strategy_profile()
        for i, player in enumerate(g.players):
            for j, st in enumerate(player.strategies):
                prof[st] = (1 - t) * a[i][j] + t * b[i][j]
        if not float(prof.max_regret()) / rng <= WRONG_TOL:
            return False
    return True


def compare(method, gam, det, path=None):
    """Summary of the agreement of the two answers."""
    if gam.get("status") != "ok" or det.get("status") != "ok":
        return ""
    wrong = [e for e in gam["equilibria"] if not (e["rel_regret"] <= WRONG_TOL)]
    right = [e for e in gam["equilibria"] if e["rel_regret"] <= WRONG_TOL]
    notes = []
    if wrong:
        worst = max(e["rel_regret"] for e in wrong)
        notes.append(f"Gambit wrong: {len(wrong)} profile(s), regret {worst:.2g} x range")
    if gam.get("strategies") != det.get("strategies"):
        notes.append("strategy labels differ; profiles not compared")
        return "; ".join(notes)
    ours = [e["profile"] for e in det["equilibria"]]
    if method in ("gnm", "ipa", "logit", "simpdiv", "liap", "enumpoly"):
        matched = sum(1 for e in right if any(dist(e["profile"], o) <= SAME_TOL for o in ours))
        if right:
            if matched == len(right):
                notes.append("same" if method != "enumpoly" else f"all {len(right)} of Gambit's found")
            else:
                near = min((dist(e["profile"], o) for e in right for o in ours), default=math.inf)
                missed = [e for e in right if not any(dist(e["profile"], o) <= SAME_TOL for o in ours)]
                continua = path is not None and ours and all(
                    any(same_component(path, e["profile"], o) for o in ours) for e in missed)
                if continua and method != "enumpoly" and near <= 1e-5:
                    notes.append(f"same (Gambit's unpolished point {near:.1e} away)")
                elif continua and method != "enumpoly":
                    notes.append(f"same continuum of equilibria as Gambit's answer (distance {near:.1e})")
                else:
                    notes.append(f"{matched}/{len(right)} of Gambit's found (nearest {near:.1e})")
    return "; ".join(notes)


def cell(r):
    st = r.get("status")
    if st == "ok":
        extra = ", budget" if r.get("budget") else ""
        return f"{r['cpu_s']:.3g} ({len(r['equilibria'])}{extra})"
    if st == "timeout":
        return "> limit"
    return st


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--only", default=None)
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--detente", default=os.path.join(ROOT, "target", "release", "detente"))
    ap.add_argument("--bench", default=None,
                    help="bench_nplayer example (default: examples/bench_nplayer beside --detente)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "nplayer", "results.json"))
    ap.add_argument("--repeat", type=int, default=1,
                    help="measure each call this many times, each in a fresh process, "
                         "and keep the least CPU time (both sides alike)")
    args = ap.parse_args()
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    bench = args.bench or os.path.join(os.path.dirname(args.detente), "examples", "bench_nplayer")
    methods = args.methods.split(",")
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise SystemExit(f"unknown method(s) {', '.join(unknown)} (known: {', '.join(METHODS)})")
    games = random_games() + catalog_games()
    if args.only:
        wanted = [w for w in args.only.split(",") if w]
        games = [g for g in games if any(w in g[0] for w in wanted)]
    if not games:
        raise SystemExit(f"no game matches --only {args.only}")
    print("| game | method | pygambit CPU s (n) | Detente call CPU s (n) | Detente process CPU s | pygambit / Detente call | answers |")
    print("|---|---|---|---|---|---|---|", flush=True)
    results = []
    for name, path in games:
        # Process floor: start-up, reading the file, enumpure and the check.
        floor = run_detente(args.detente, path, "enumpure", args.timeout)
        print(f"| {name} | (floor: enumpure process) | | | {cell(floor)} | | |", flush=True)
        results.append({"game": name, "method": "floor", "detente": floor})
        for m in methods:
            gam = least_of(args.repeat, lambda: run_gambit(path, m, args.timeout))
            det = least_of(args.repeat, lambda: run_call(bench, path, m, args.timeout))
            proc = run_detente(args.detente, path, m, args.timeout)
            cmp = compare(m, gam, det, path)
            ratio = ""
            if gam.get("status") == "ok" and det.get("status") == "ok" and det["cpu_s"] > 0:
                ratio = f"{gam['cpu_s'] / det['cpu_s']:.3g}"
            elif gam.get("status") == "timeout" and det.get("status") == "ok":
                ratio = f"> {args.timeout / max(det['cpu_s'], 1e-6):.3g}"
            row = {"game": name, "method": m, "gambit": gam, "detente": det,
                   "detente_process": proc, "ratio": ratio, "compare": cmp}
            results.append(row)
            print(f"| {name} | {m} | {cell(gam)} | {cell(det)} | {cell(proc)} | {ratio} | {cmp} |", flush=True)
    meta = {
        "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "pygambit": gbt.__version__,
        "timeout_cpu_s": args.timeout,
        "detente_timing": "call: bench_nplayer in-process (method + verification), thread CPU; process: detente solve, wait4",
        "repeat": args.repeat,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump({"meta": meta, "results": results}, fh, indent=1)
        fh.write("\n")
    print()
    summary(results, methods, args.timeout)
    print(json.dumps(meta))


def summary(results, methods, timeout):
    """Per method: where both answered, the median pygambit / Detente-call
    ratio and how many reach 10x; the other outcomes counted."""
    print("| method | both answered | median pygambit / Detente call | ≥ 10× | pygambit over the limit or crashed, Detente answered | Detente over the limit | pygambit wrong |")
    print("|---|---|---|---|---|---|---|")
    for m in methods:
        rows = [r for r in results if r["method"] == m]
        both = [r["gambit"]["cpu_s"] / r["detente"]["cpu_s"] for r in rows
                if r["gambit"].get("status") == "ok" and r["detente"].get("status") == "ok" and r["detente"]["cpu_s"] > 0]
        both.sort()
        med = (both[len(both) // 2] if len(both) % 2 else (both[len(both) // 2 - 1] + both[len(both) // 2]) / 2) if both else float("nan")
        only_us = sum(1 for r in rows if r["gambit"].get("status") != "ok" and r["detente"].get("status") == "ok")
        over = sum(1 for r in rows if r["detente"].get("status") == "timeout")
        wrong = sum(1 for r in rows if "Gambit wrong" in r["compare"])
        print(f"| {m} | {len(both)} | {med:.3g} | {sum(1 for x in both if x >= 10)} | {only_us} | {over} | {wrong} |")


if __name__ == "__main__":
    main()
