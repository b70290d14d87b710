#!/usr/bin/env python3
"""Writes seeded random bimatrix games for the enummixed benchmark.

usage: gen_games.py OUTDIR SEED SIZE [SIZE ...]

For each SIZE n, the n x n game with integer payoffs 0..99 that
shared/tools/gambit_bench.py generates for the same seed (the random stream
random.Random(f"{SEED}-{n}x{n}"), one randint(0, 99) per player per pure
profile, profiles in .nfg order with player 1's strategy varying fastest), so
timings can be set beside Gambit's baseline (seed 20260101 there). Written
twice:
  OUTDIR/rand_{n}x{n}.nfg   Gambit payoff format (what Detente reads)
  OUTDIR/rand_{n}x{n}.lrs   lrsnash input: "m n", then A and B row by row
"""
import random
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, seed, sizes = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
    for n in sizes:
        rng = random.Random(f"{seed}-{n}x{n}")
        a = [[0] * n for _ in range(n)]
        b = [[0] * n for _ in range(n)]
        lines = []
        for j in range(n):
            for i in range(n):
                a[i][j] = rng.randint(0, 99)
                b[i][j] = rng.randint(0, 99)
                lines.append(f"{a[i][j]} {b[i][j]}")
        base = f"{out}/rand_{n}x{n}"
        title = f"Random {n}x{n} game, payoffs 0..99, seed {seed}"
        with open(base + ".nfg", "w") as f:
            f.write(f'NFG 1 R "{title}" {{ "1" "2" }} {{ {n} {n} }}\n\n')
            f.write("\n".join(lines) + "\n")
        with open(base + ".lrs", "w") as f:
            f.write(f"{n} {n}\n\n")
            f.write("\n".join(" ".join(map(str, r)) for r in a) + "\n\n")
            f.write("\n".join(" ".join(map(str, r)) for r in b) + "\n")


if __name__ == "__main__":
    main()
