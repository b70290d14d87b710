"""Runs one pygambit method on one .nfg file and prints
`CPU_SECONDS COUNT` (CPU time of the solver call alone).

usage: peer.py METHOD FILE   (METHOD: enummixed, lcp_all, lcp_first, lp)
"""
import sys
import time

import pygambit as gbt

method, path = sys.argv[1], sys.argv[2]
game = gbt.read_nfg(path)
t = time.process_time()
if method == "enummixed":
    r = gbt.nash.enummixed_solve(game, rational=True)
elif method == "lcp_all":
    r = gbt.nash.lcp_solve(game, rational=True)
elif method == "lcp_first":
    r = gbt.nash.lcp_solve(game, rational=True, stop_after=1)
elif method == "lp":
    r = gbt.nash.lp_solve(game, rational=True)
else:
    sys.exit(f"unknown method {method}")
cpu = time.process_time() - t
print(f"{cpu:.6f} {len(r.equilibria)}")
