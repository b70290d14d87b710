#!/usr/bin/env python3
"""A small, plain-Python expected utility model (Bueno de Mesquita), written
for this benchmark from the equations in the research note
(../shared/notes/forecast-models.md section 2), Scholz-code variant
(`scholz2011`): whole-system vote-mass probability, voters' own risk
exponents, the receiver's own exponent for both expected utilities, target's
salience s_i in E^i(U_ji), lowest-weighted compromise, no capitulation, Q = 1.

It stands in for the Python EUM replications (jmckib's and dmasad's are
Python 2.7, not on PyPI, and carry no licence): no code of theirs is used.
Unlike jmckib's, which recomputes the whole-system normaliser for every pair
(O(n^5) per round), it computes it once per risk setting (O(n^3) per round),
so it is the faster of the two; it is the straightforward Python a user
would write, with no numpy.

Usage: peer_eum.py FILE.csv [ROUNDS]   (CSV: Actor,Capability,Position,Salience
or Name,x,c,s)
Prints one JSON line: {"cpu": process CPU seconds of the model, "rounds":
[[positions] per round, round 0 = input], "mean": [...], "median": [...]}.
"""
import csv
import json
import sys
import time


def read(path):
    names, c, x, s = [], [], [], []
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    head = [h.strip().lower() for h in rows[0]]
    pick = lambda *names: next(head.index(h) for h in names if h in head)
    ic, ix, is_ = pick("capability", "c", "resources"), pick("position", "x"), pick("salience", "s")
    for row in rows[1:]:
        if not row or not row[0].strip():
            continue
        names.append(row[0])
        c.append(float(row[ic]))
        x.append(float(row[ix]))
        s.append(float(row[is_]))
    if max(s) > 1.0:  # salience on 0-100
        s = [v / 100.0 for v in s]
    return names, c, x, s


def weighted_mean(x, w):
    return sum(a * b for a, b in zip(x, w)) / sum(w)


def weighted_median(x, w):
    order = sorted(range(len(x)), key=lambda k: x[k])
    half, acc = sum(w) / 2.0, 0.0
    for k in order:
        acc += w[k]
        if acc >= half:
            return x[k]
    return x[order[-1]]


def probabilities(x, w, r, delta):
    """P[i][j] = votes for i over j / whole-system vote mass (Scholz's code)."""
    n = len(x)
    d = [[(abs(x[k] - x[a]) / delta) ** r[k] for a in range(n)] for k in range(n)]
    system = 0.0
    for k in range(n):
        dk, wk = d[k], w[k]
        for a in range(n):
            for b in range(n):
                system += wk * abs(dk[b] - dk[a])
    p = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            if x[i] == x[j]:
                continue
            pos = 0.0
            for k in range(n):
                v = w[k] * (d[k][j] - d[k][i])
                if v > 0:
                    pos += v
            p[i][j] = pos / system if system > 0 else 0.0
    return p


def eu(x, i, j, r, st, p, delta):
    """E^i(U_ij) with Q = 1 (Scholz eq. 25a)."""
    dist = abs(x[i] - x[j]) / delta
    us = 2 - 4 * max(0.0, 0.5 - 0.5 * dist) ** r
    uf = 2 - 4 * (0.5 + 0.5 * dist) ** r
    usq = 2 - 4 * 0.5 ** r
    return st * (p * us + (1 - p) * uf) + (1 - st) * us - usq


def round_(x, c, s, delta):
    n = len(x)
    w = [a * b for a, b in zip(c, s)]
    ones = [1.0] * n
    p1 = probabilities(x, w, ones, delta)
    danger = [sum(eu(x, j, k, 1.0, s[k], p1[j][k], delta) for j in range(n) if j != k) for k in range(n)]
    hi, lo = max(danger), min(danger)
    if hi - lo > 0:
        big = [(2 * dk - hi - lo) / (hi - lo) for dk in danger]
        r = [(1 - b / 3) / (1 + b / 3) for b in big]
    else:
        r = ones
    p = probabilities(x, w, r, delta)
    new = list(x)
    for a in range(n):
        conf = comp = None
        for b in range(n):
            if x[a] == x[b]:
                continue
            e_ab = eu(x, a, b, r[a], s[b], p[a][b], delta)
            e_ba = eu(x, b, a, r[a], s[a], p[b][a], delta)
            if e_ba > e_ab > 0:
                move = abs(x[b] - x[a])
                if conf is None or move < conf[0]:
                    conf = (move, x[b])
            elif e_ba > 0 > e_ab and e_ba > abs(e_ab):
                key = (abs(e_ab) * x[a] + abs(e_ba) * x[b]) / (abs(e_ab) + abs(e_ba))
                pos = x[a] + (x[b] - x[a]) * abs(e_ab / e_ba)
                if comp is None or key < comp[0]:
                    comp = (key, pos)
        if conf is not None:
            new[a] = conf[1]
        elif comp is not None:
            new[a] = comp[1]
    return new


def main():
    names, c, x, s = read(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    delta = max(x) - min(x)
    w = [a * b for a, b in zip(c, s)]
    t0 = time.process_time()
    hist = [list(x)]
    if delta > 0:
        for _ in range(rounds):
            x = round_(x, c, s, delta)
            hist.append(list(x))
    cpu = time.process_time() - t0
    print(json.dumps({"cpu": cpu, "actors": names, "rounds": hist,
                      "mean": [weighted_mean(h, w) for h in hist],
                      "median": [weighted_median(h, w) for h in hist]}))


if __name__ == "__main__":
    main()
