#!/usr/bin/env python3
"""Writes the benchmark inputs into bench/coop/out/ (deterministic):

* body1000.toml: 1,000 voters, integer weights 1..1000 (seeded), simple majority;
* shapley20.toml: a 20-player TU game (characteristic function table) with
  integer values, for `detente coalition`.
"""
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "out")
os.makedirs(out, exist_ok=True)

rng = random.Random(20260527)
weights = [rng.randint(1, 1000) for _ in range(1000)]
quota = sum(weights) // 2 + 1
with open(os.path.join(out, "body1000.toml"), "w") as f:
    f.write("# 1,000 voters, weights uniform in 1..1000 (seed 20260527), simple majority\n")
    f.write('name = "random 1000-voter body"\n')
    f.write(f"quota = {quota}\n")
    f.write("weights = [" + ", ".join(map(str, weights)) + "]\n")

# 20-player games: a bankruptcy game and a weighted majority game, whose
# 2^20-entry tables detente builds from the rule.
claims = [rng.randint(1, 100) for _ in range(20)]
with open(os.path.join(out, "bankruptcy20.toml"), "w") as f:
    f.write("# 20-player bankruptcy game (claims seeded), estate = half the claims\n")
    f.write('title = "20-player bankruptcy game"\n[bankruptcy]\n')
    f.write(f"estate = {sum(claims) // 2}\n")
    f.write("claims = [" + ", ".join(map(str, claims)) + "]\n")
w20 = [rng.randint(1, 30) for _ in range(20)]
with open(os.path.join(out, "weighted20.toml"), "w") as f:
    f.write("# 20-player weighted majority game (weights seeded)\n")
    f.write('title = "20-player weighted game"\n[weighted]\n')
    f.write(f"quota = {sum(w20) // 2 + 1}\n")
    f.write("weights = [" + ", ".join(map(str, w20)) + "]\n")
print("wrote", out)
