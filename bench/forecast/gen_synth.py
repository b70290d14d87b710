#!/usr/bin/env python3
"""Generate deterministic synthetic inputs for the forecast benchmark.

Usage: gen_synth.py OUTDIR

Writes, for n in 50, 100, 250 actors:
  synth{n}x1_ktab.csv    KTAB SMP CSV, one dimension
  synth{n}x1_eum.csv     Actor,Capability,Position,Salience (one issue)
  synth{n}x10_decide.csv decide-exchange-model format, 10 issues
Positions uniform on 0-100 (rounded to 0.01), saliences 0.05-1, capabilities
1-100 (KTAB/EUM) or 0.01-1 (decide). Python's random with seed 20261127.
"""
import os
import random
import sys


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "out"
    os.makedirs(out, exist_ok=True)
    for n in (50, 100, 250):
        rng = random.Random(20261127 + n)
        rows = [(f"A{k:03d}", round(rng.uniform(1, 100), 3), round(rng.uniform(0, 100), 2), round(rng.uniform(5, 100), 2)) for k in range(n)]
        with open(os.path.join(out, f"synth{n}x1_ktab.csv"), "w") as f:
            f.write(f"synth{n}x1,Synthetic benchmark,{n},1,\n")
            f.write("Actor,Description,Power,Pstn1,Sal1,\n")
            for name, c, x, s in rows:
                f.write(f"{name},synthetic,{c},{x},{s},\n")
        with open(os.path.join(out, f"synth{n}x1_eum.csv"), "w") as f:
            f.write("Actor,Capability,Position,Salience\n")
            for name, c, x, s in rows:
                f.write(f"{name},{c / 100:.5f},{x},{s / 100:.4f}\n")
        with open(os.path.join(out, f"synth{n}x10_decide.csv"), "w") as f:
            for name, *_ in rows:
                f.write(f"#A\t{name}\t{name}\n")
            for d in range(10):
                f.write(f"#P\tI{d}\tI{d}\n#M\tI{d}\t0\n#M\tI{d}\t100\n")
            for name, *_ in rows:
                power = round(rng.uniform(0.01, 1), 3)
                for d in range(10):
                    f.write(f"#D\t{name}\tI{d}\t{round(rng.uniform(0, 100), 1)}\t{round(rng.uniform(0.05, 1), 2)}\t{power}\n")


if __name__ == "__main__":
    main()
