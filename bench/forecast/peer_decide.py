#!/usr/bin/env python3
"""Run decide-exchange-model's Equal Gain model (PyPI 2025.3.1, GPL-3.0,
used only as an external peer) on one decide input file.

Usage: peer_decide.py FILE.csv [ROUNDS] [SEED] [--exchanges K]

Drives the package's own ModelFactory + ModelLoop (what `decide-cli` runs)
without its output writers (SQLite, CSVs, plots), so the CPU seconds are the
model's alone. Python's global `random` (used by the package to break
exact ties) is seeded with SEED (default 0).
Prints one JSON line: {"cpu": process CPU seconds, "gains": the first two
realised exchange gains of round 1, "outcomes": [{issue: outcome} per round,
round 0 = input], "first": [[gain, [actor, actor], [issue, issue]] per
realised exchange of round 1, in order, at most 50]}.

--exchanges K (for cases too large to finish a round): stop as soon as the
K-th exchange of round 1 is realised, i.e. after the candidates are computed
and the K best realised in turn; prints {"cpu", "gains", "first",
"outcomes": [round 0], "partial": true}. decide has no option for this: the
observer that records the exchanges ends the run.
"""
import json
import random
import sys
import time
from pathlib import Path

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model.equalgain import EqualGainModel
from decide.model.observers.observer import Observable, Observer
from decide.model.utils import ModelLoop


class Enough(Exception):
    """Raised when --exchanges K exchanges have been realised."""


def name(x):
    return x.name if hasattr(x, "name") else str(x)


class Gains(Observer):
    """Records the gains of the exchanges realised in the first round."""

    def __init__(self, observable, stop_after=None):
        super().__init__(observable)
        self.gains = []
        self.first = []
        self.iteration = 0
        self.stop_after = stop_after

    def before_loop(self, iteration, repetition):
        self.iteration = iteration

    def execute_exchange(self, exchange):
        if self.iteration == 0:
            self.gains.append(float(exchange.gain))
            if len(self.first) < 50:
                self.first.append([float(exchange.gain),
                                   sorted([name(exchange.i.actor), name(exchange.j.actor)]),
                                   sorted([name(exchange.i.supply.issue), name(exchange.j.supply.issue)])])
            if self.stop_after is not None and len(self.gains) >= self.stop_after:
                raise Enough()


def main():
    args = sys.argv[1:]
    stop_after = None
    if "--exchanges" in args:
        i = args.index("--exchanges")
        stop_after = int(args[i + 1])
        del args[i:i + 2]
    path = Path(args[0])
    rounds = int(args[1]) if len(args) > 1 else 10
    random.seed(int(args[2]) if len(args) > 2 else 0)
    t0 = time.process_time()
    data = InputDataFile.open(path)
    model = ModelFactory(date_file=data)(EqualGainModel)
    events = Observable(model_ref=model, output_directory=Path("."))
    gains = Gains(events, stop_after)
    model.calc_nbs()
    outcomes = [{name(k): float(v) for k, v in model.nbs.items()}]
    loop = ModelLoop(model, events, 0)
    try:
        for _ in range(rounds):
            loop.loop()
            outcomes.append({name(k): float(v) for k, v in model.nbs.items()})
    except Enough:
        cpu = time.process_time() - t0
        print(json.dumps({"cpu": cpu, "gains": gains.gains[:2], "first": gains.first,
                          "outcomes": outcomes, "partial": True}))
        return
    cpu = time.process_time() - t0
    print(json.dumps({"cpu": cpu, "gains": gains.gains[:2], "first": gains.first, "outcomes": outcomes}))


if __name__ == "__main__":
    main()
