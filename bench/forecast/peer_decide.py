#!/usr/bin/env python3
"""Run decide-exchange-model's Equal Gain model (PyPI 2025.3.1, GPL-3.0,
used only as an external peer) on one decide input file.

Usage: peer_decide.py FILE.csv [ROUNDS] [SEED]

Drives the package's own ModelFactory + ModelLoop (what `decide-cli` runs)
without its output writers (SQLite, CSVs, plots), so the CPU seconds are the
model's alone. Python's global `random` (used by the package to break
exact ties) is seeded with SEED (default 0).
Prints one JSON line: {"cpu": process CPU seconds, "gains": the first two
realised exchange gains of round 1, "outcomes": [{issue: outcome} per round,
round 0 = input]}.
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


class Gains(Observer):
    """Records the gains of the exchanges realised in the first round."""

    def __init__(self, observable):
        super().__init__(observable)
        self.gains = []
        self.iteration = 0

    def before_loop(self, iteration, repetition):
        self.iteration = iteration

    def execute_exchange(self, exchange):
        if self.iteration == 0:
            self.gains.append(float(exchange.gain))


def main():
    path = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    random.seed(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    t0 = time.process_time()
    data = InputDataFile.open(path)
    model = ModelFactory(date_file=data)(EqualGainModel)
    events = Observable(model_ref=model, output_directory=Path("."))
    gains = Gains(events)
    model.calc_nbs()
    outcomes = [{k.name if hasattr(k, "name") else str(k): float(v) for k, v in model.nbs.items()}]
    loop = ModelLoop(model, events, 0)
    for _ in range(rounds):
        loop.loop()
        outcomes.append({k.name if hasattr(k, "name") else str(k): float(v) for k, v in model.nbs.items()})
    cpu = time.process_time() - t0
    print(json.dumps({"cpu": cpu, "gains": gains.gains[:2], "outcomes": outcomes}))


if __name__ == "__main__":
    main()
