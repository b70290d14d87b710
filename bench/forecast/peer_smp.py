#!/usr/bin/env python3
"""Run KTAB's SMP through pySMP 0.1.3 (PyPI, MIT) on one KTAB CSV file.

Usage: peer_smp.py FILE.csv [WORKDIR] [--turns N | --targets K]
       (works in WORKDIR/<pid>/)

Whole run (default): prints one JSON line: {"cpu": CPU seconds of the model
run (process time), "states": number of states, "positions": [[[state
values] per dim] per actor]} on the 0-100 scale. Default model parameters
(KTAB's): the library reads [VictoryProbModel, PCEModel, StateTransitions,
VotingRule, BigRAdjust, BigRRange, ThirdPartyCommit, InterVecBrgn,
BargnModel] = [0,0,0,2,1,1,1,1,0] (the docstring's order is wrong; research
note section 3.6). Database logging is off and the logger is disabled.
pySMP's __init__ does not load the library on Linux, so it is loaded here
from the package's lib/ folder. Run one file per process: the library keeps
global state between runs.

Bounded runs, for cases too large to run to the end: pySMP has no option
to stop after N turns, so KTAB's own log is switched on (to a file) and a
watcher thread reads it while the model runs; the process exits as soon as
the wanted point is reached.
  --turns N    stop when the state after turn N is logged ("postn i , 0"
               blocks, 4 decimals, one per actor, after each turn); prints
               {"cpu", "states": N + 1 (or fewer if the model stopped),
               "positions": as above, state 0 = the input, "partial": true,
               "logging": true}.
  --targets K  stop when K actors have logged their most advantageous
               target in turn 0 ("In turn 0 actor i has most advantageous
               target j worth w", w to 3 decimals); prints {"cpu": CPU at the
               K-th, "cpu_first": CPU at the first, "targets": [[i, j, w,
               cpu], ...], "partial": true, "logging": true}.
"cpu" is the process's CPU time minus the watcher thread's own, so it is
KTAB's work including the cost of writing its log (which the whole-run
figures do not include: compare.py reports the overhead measured on a case
run both ways).
"""
import ctypes
import json
import os
import re
import sys
import threading
import time

import pySMP.model as pm

QUIET = "* GLOBAL:\n   ENABLED = false\n   TO_FILE = false\n   TO_STANDARD_OUTPUT = false\n"
LOGGED = "* GLOBAL:\n   ENABLED = true\n   TO_FILE = true\n   FILENAME = \"{}\"\n   TO_STANDARD_OUTPUT = false\n"
PARAMS = (0, 0, 0, 2, 1, 1, 1, 1, 0)
TARGET = re.compile(r"In turn (\d+) actor (\d+) has most advantageous target (\d+) worth (\S+)")
POSTN = re.compile(r"\] postn (\d+) , (\d+) :")
INPUT = re.compile(r"\] pos\[(\d+), (\d+)\] = *(\S+)")


class Watcher:
    """Follows KTAB's log file and stops the process at the wanted point."""

    def __init__(self, log, turns, targets):
        self.log, self.turns, self.targets = log, turns, targets
        self.n = self.dims = None
        self.initial = {}
        self.states = []  # each: {actor: [values per dim]}
        self.current = {}
        self.pending = None  # actor whose position vector is the next line
        self.found = []
        self.own = 0.0  # the watcher's own CPU time, as last measured
        self.start = time.process_time()  # reset just before the model runs

    def cpu(self):
        """Process CPU since the model started, less this thread's own."""
        if threading.get_ident() == self.ident:
            self.own = time.thread_time() - self.t0
        return time.process_time() - self.start - self.own

    def emit(self, out):
        print(json.dumps(out), flush=True)
        try:  # the log grows by tens of MB per turn at 100+ actors
            os.remove(self.log)
        except OSError:
            pass
        os._exit(0)

    def positions(self):
        states = [self.initial] + self.states
        return [[[st[a][d] for st in states] for d in range(self.dims)] for a in range(self.n)]

    def line(self, ln):
        if self.n is None:
            if "Number of actors:" in ln:
                self.nact = int(ln.rsplit(":", 1)[1])
            elif "Number of dimensions:" in ln:
                self.dims = int(ln.rsplit(":", 1)[1])
                self.n = self.nact
            return
        if self.pending is not None:
            self.current[self.pending] = [float(v) for v in ln.split("]", 1)[1].split()]
            self.pending = None
            if len(self.current) == self.n:
                self.states.append(self.current)
                self.current = {}
                if self.turns is not None and len(self.states) >= self.turns:
                    self.emit({"cpu": self.cpu(), "states": len(self.states) + 1,
                               "positions": self.positions(), "partial": True, "logging": True})
            return
        m = INPUT.search(ln)
        if m and not self.states:
            a, d, v = int(m.group(1)), int(m.group(2)), float(m.group(3))
            self.initial.setdefault(a, [0.0] * self.dims)[d] = v
            return
        m = POSTN.search(ln)
        if m:
            self.pending = int(m.group(1))
            return
        m = TARGET.search(ln)
        if m and self.targets is not None and m.group(1) == "0":
            self.found.append([int(m.group(2)), int(m.group(3)), float(m.group(4)), self.cpu()])
            if len(self.found) >= self.targets:
                self.emit({"cpu": self.found[-1][3], "cpu_first": self.found[0][3],
                           "targets": self.found, "partial": True, "logging": True})

    def run(self):
        self.ident = threading.get_ident()
        self.t0 = time.thread_time()
        buf = ""
        while not os.path.exists(self.log):
            time.sleep(0.05)
        with open(self.log, encoding="utf-8", errors="replace") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    time.sleep(0.02)
                    continue
                self.own = time.thread_time() - self.t0
                buf += chunk
                lines = buf.split("\n")
                buf = lines.pop()
                for ln in lines:
                    # the bulk of the log is matrices: skip them cheaply
                    if "postn" in ln or "turn" in ln or self.pending is not None or "pos[" in ln or self.n is None:
                        self.line(ln)


def main():
    args = [a for a in sys.argv[1:]]
    turns = targets = None
    if "--turns" in args:
        i = args.index("--turns")
        turns = int(args[i + 1])
        del args[i:i + 2]
    if "--targets" in args:
        i = args.index("--targets")
        targets = int(args[i + 1])
        del args[i:i + 2]
    path = os.path.abspath(args[0])
    # one folder per process: runs in parallel must not share the database
    work = os.path.join(os.path.abspath(args[1] if len(args) > 1 else os.getcwd()), str(os.getpid()))
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    conf = os.path.join(work, "smp-logger.conf")
    log = os.path.join(work, "smp.log")
    bounded = turns is not None or targets is not None
    with open(conf, "w") as f:
        f.write(LOGGED.format(log) if bounded else QUIET)
    smp = pm.SMP()
    if not hasattr(smp, "_smpLib"):
        smp._smpLib = ctypes.cdll.LoadLibrary(os.path.join(pm.LIB_ROOT, "libsmpDyn.so"))
    smp.setDatabase("Driver=QSQLITE;Database=" + os.path.join(work, "pysmp_bench"))
    smp.setLogger(conf)
    watcher = None
    if bounded:
        watcher = Watcher(log, turns, targets)
        watcher.ident = None
        threading.Thread(target=watcher.run, daemon=True).start()
    t0 = time.process_time()
    if watcher:
        watcher.start = t0
    smp.runModel((False,) * 5, path, 0, False, PARAMS)
    cpu = time.process_time() - t0
    smp.getNumActors()
    smp.getNumDimensions()
    hist = smp.getPositionHistory()
    out = {"cpu": cpu, "states": smp.getNumStates(),
           "positions": [[list(map(float, d)) for d in a] for a in hist]}
    if bounded:
        # the model stopped by itself before the wanted point
        out["cpu"] = cpu - watcher.own
        try:
            os.remove(log)
        except OSError:
            pass
        out["partial"] = False
        out["logging"] = True
    print(json.dumps(out))


if __name__ == "__main__":
    main()
