"""Runs one pygambit method on game files and prints, per file, one JSON
line: {"file", "cpu", "equilibria": [[[p11, ...], [p21, ...]], ...],
"payoffs": [[u1, u2], ...]} or {"file", "error"}.

usage: peer.py [--limit SECONDS] METHOD FILE [FILE ...]
METHOD: enumpure, enummixed, enummixed_float, lcp, lcp_float, lcp_first,
        lp, lp_float

`cpu` is the CPU time (time.process_time) of the solver call alone: reading
the file and Python's start-up are not counted; calls under 0.2 s
(environment BENCH_MIN_CPU) are repeated until that much CPU time has passed
(at most 1000 times) and the mean is reported, since the CPU clock advances
in scheduler ticks. Exact methods print
fractions as strings ("1/3"), floating-point ones print numbers. Game trees
are solved on their reduced strategic form (use_strategic=True), as
Detente's `--strategic` does, so the answers are mixed profiles.

--limit: each solver call may use at most this many CPU seconds; a call
that exceeds it ends the process (SIGPROF), so the caller sees which file
was the last one started and restarts after it.
"""
import json
import os
import signal
import sys
import time

import pygambit as gbt

# Short calls are repeated until this much CPU time has passed.
MIN_CPU = float(os.environ.get("BENCH_MIN_CPU", "0.2"))

METHODS = {
    "enumpure": lambda g: gbt.nash.enumpure_solve(g),
    "enummixed": lambda g: gbt.nash.enummixed_solve(g, rational=True),
    "enummixed_float": lambda g: gbt.nash.enummixed_solve(g, rational=False),
    "lcp": lambda g: gbt.nash.lcp_solve(g, rational=True, use_strategic=True),
    "lcp_float": lambda g: gbt.nash.lcp_solve(g, rational=False, use_strategic=True),
    "lcp_first": lambda g: gbt.nash.lcp_solve(
        g, rational=True, use_strategic=True, stop_after=1
    ),
    "lp": lambda g: gbt.nash.lp_solve(g, rational=True, use_strategic=True),
    "lp_float": lambda g: gbt.nash.lp_solve(g, rational=False, use_strategic=True),
}


def num(x, exact):
    return str(x) if exact else float(x)


def main():
    args = sys.argv[1:]
    limit = None
    if args[:1] == ["--limit"] and len(args) > 1:
        limit = float(args[1])
        args = args[2:]
    if len(args) < 2 or args[0] not in METHODS:
        sys.exit(__doc__)
    method, files = args[0], args[1:]
    exact = not method.endswith("_float")
    for path in files:
        try:
            game = gbt.read_efg(path) if path.endswith(".efg") else gbt.read_nfg(path)
            print(json.dumps({"started": path}), flush=True)
            if limit:
                signal.setitimer(signal.ITIMER_PROF, limit)
            t = time.process_time()
            r = METHODS[method](game)
            cpu = time.process_time() - t
            # The CPU clock ticks coarsely here: repeat short calls until
            # 0.2 s have passed and report the mean.
            reps = 1
            while cpu < MIN_CPU and reps < 1000:
                METHODS[method](game)
                reps += 1
                cpu = time.process_time() - t
            cpu /= reps
            if limit:
                signal.setitimer(signal.ITIMER_PROF, 0)
            eqs = []
            pays = []
            for eq in r.equilibria:
                eqs.append(
                    [[num(eq[s], exact) for s in p.strategies] for p in game.players]
                )
                pays.append([num(eq.payoff(p), exact) for p in game.players])
            out = {"file": path, "cpu": cpu, "equilibria": eqs, "payoffs": pays}
        except Exception as exc:  # report, keep going with the other files
            out = {"file": path, "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
