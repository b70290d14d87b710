#!/usr/bin/env python3
"""Run KTAB's SMP through pySMP 0.1.3 (PyPI, MIT) on one KTAB CSV file.

Usage: peer_smp.py FILE.csv [WORKDIR]   (works in WORKDIR/<pid>/)

Prints one JSON line: {"cpu": CPU seconds of the model run (process time),
"states": number of states, "positions": [[[state values] per dim] per actor]}
on the 0-100 scale. Default model parameters (KTAB's): the library reads
[VictoryProbModel, PCEModel, StateTransitions, VotingRule, BigRAdjust,
BigRRange, ThirdPartyCommit, InterVecBrgn, BargnModel] = [0,0,0,2,1,1,1,1,0]
(the docstring's order is wrong; research note section 3.6). Database
logging is off and the logger is disabled. pySMP's __init__ does not load
the library on Linux, so it is loaded here from the package's lib/ folder.
Run one file per process: the library keeps global state between runs.
"""
import ctypes
import json
import os
import sys
import time

import pySMP.model as pm


def main():
    path = os.path.abspath(sys.argv[1])
    # one folder per process: runs in parallel must not share the database
    work = os.path.join(os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.getcwd()), str(os.getpid()))
    os.makedirs(work, exist_ok=True)
    os.chdir(work)
    conf = os.path.join(work, "smp-logger.conf")
    with open(conf, "w") as f:
        f.write("* GLOBAL:\n   ENABLED = false\n   TO_FILE = false\n   TO_STANDARD_OUTPUT = false\n")
    smp = pm.SMP()
    if not hasattr(smp, "_smpLib"):
        smp._smpLib = ctypes.cdll.LoadLibrary(os.path.join(pm.LIB_ROOT, "libsmpDyn.so"))
    smp.setDatabase("Driver=QSQLITE;Database=" + os.path.join(work, "pysmp_bench"))
    smp.setLogger(conf)
    t0 = time.process_time()
    smp.runModel((False,) * 5, path, 0, False, (0, 0, 0, 2, 1, 1, 1, 1, 0))
    cpu = time.process_time() - t0
    smp.getNumActors()
    smp.getNumDimensions()
    hist = smp.getPositionHistory()
    print(json.dumps({"cpu": cpu, "states": smp.getNumStates(),
                      "positions": [[list(map(float, d)) for d in a] for a in hist]}))


if __name__ == "__main__":
    main()
