#!/usr/bin/env python3
"""Run each forecast peer and Detente on the same inputs, check that the
answers agree, and print a Markdown table of CPU seconds and ratios.

Usage: compare.py peers SYNTH_DIR [CASE_FILTER]  (FILTER: a model, a label, or MODEL:LABEL)     run the peers, keep their answers
       compare.py DETENTE_BIN SYNTH_DIR [CASE_FILTER]  run Detente, compare, print the table
The peers' answers are kept in SYNTH_DIR/peers/ (one JSON per case), so
Detente can be re-run and compared without re-running the slow peers.
Environment: LIMIT (CPU seconds per peer run, default 300), PY (venv python
with pySMP), PY313 (venv python with decide-exchange-model), SHARED.

Timing (CPU seconds): the peers' figure is the CPU time of the model run as
the peer script measures it (time.process_time() around the model only,
excluding the interpreter start, imports and output). Detente is timed twice:
"call" (the ratio's figure) is the thread CPU time of the model call alone,
detente_forecast::run, measured in-process by
crates/forecast/examples/bench_forecast.rs (environment BENCH; default
examples/bench_forecast beside DETENTE_BIN), repeated until 0.2 s and
averaged; "process" is user+sys of the whole `detente forecast ... --format
json` process (start-up, reading, running, printing), averaged over repeated
runs when below 0.05 s. A peer that exceeds LIMIT CPU seconds is stopped and
reported as "> LIMIT"; the larger cases of the same family are then not run
and reported the same way. Every ratio says whether the answers were checked
equal.

Bounded cases, for sizes where a whole peer run takes hours: both sides run
the same bounded amount of work and the answers are compared there:
  smp, "first N turns"  pySMP stopped after turn N (peer_smp.py --turns N,
            which follows KTAB's log), Detente with --rounds N; positions
            of states 0..N compared as below. KTAB's log costs the peer
            time: the "KTAB log on" row is a whole a040 run with the log on,
            to compare with the plain a040 row;
  smp, "turn 0, K actors' targets"  pySMP stopped when K actors have logged
            their most advantageous target of turn 0 (peer_smp.py --targets
            K); compared with Detente's challenges of state 0 (same target,
            expected gain within 5e-4: KTAB logs 3 decimals); Detente's time
            is its whole first turn (--rounds 1), so the ratio is a lower
            bound;
  exchange, "round 1, first K exchanges"  decide stopped when its K-th
            exchange of round 1 is realised (peer_decide.py --exchanges K);
            Detente runs the whole round; the K exchanges must be the same
            (actors, issues, order) with gains within 1e-9; lower bound.

Equal answers:
  smp       every actor's position in every state equals pySMP's within
            0.006 on the 0-100 scale (KTAB rounds bargains to 1e-4 of the
            range; pySMP returns float32), and the number of states matches;
  eum       every position in every round within 1e-9 (scholz2011 preset);
  exchange  the first two realised exchange gains of round 1 within 1e-9
            (decide's own test values on sample_data); the outcomes of every
            round within 1e-6 on inputs without exactly tied gains (the
            synthetic ones); on the reference files decide breaks exact ties
            with Python's random and Detente by a stable order, so only the
            largest outcome difference is shown.
"""
import json
import os
import resource
import signal
import subprocess
import sys
import time

LIMIT = int(os.environ.get("LIMIT", "300"))
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared", "data", "forecast"))
PY = os.environ.get("PY", os.path.join(ROOT, "bench", ".venv", "bin", "python"))
PY313 = os.environ.get("PY313", os.path.join(ROOT, "bench", ".venv", "py313", "bin", "python"))


def limited():
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT, LIMIT + 5))


def run_peer(cmd, cwd=None):
    """(json or None if over the limit / failed, error text)."""
    p = subprocess.run(cmd, capture_output=True, text=True, preexec_fn=limited, cwd=cwd)
    if p.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return None, f"stopped at the {LIMIT} CPU-second limit"
    if p.returncode != 0:
        raise SystemExit(f"peer failed (exit {p.returncode}): {' '.join(cmd)}: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
    line = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    return json.loads(line[-1]), ""


def run_detente(bin_, args):
    """(json, CPU seconds per run) of the whole `detente forecast` process."""
    reps, total, out = 0, 0.0, None
    while True:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        p = subprocess.run([bin_, "forecast", *args, "--format", "json"], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            raise SystemExit(f"detente failed on {args}: {p.stderr}")
        out = json.loads(p.stdout)
        total += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        reps += 1
        if total >= 0.05 or reps >= 20:
            return out, total / reps


def run_call(bench, path, model, rounds):
    """(json of `detente forecast --format json`, CPU seconds of the model
    call alone) from the in-process timer (crates/forecast/examples/
    bench_forecast.rs: thread CPU time, repeated until 0.2 s, mean)."""
    cmd = [bench, path, model] + ([str(rounds)] if rounds is not None else [])
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"bench_forecast failed: {' '.join(cmd)}: {p.stdout.strip()} {p.stderr.strip()}")
    v = json.loads(p.stdout)
    return v["forecast"], v["cpu"]


def fmt(t):
    return f"{t:.2g}" if t < 0.001 else (f"{t:.3f}" if t < 1 else f"{t:.2f}" if t < 100 else f"{t:.0f}")


def cmp_smp(peer, det):
    pos = peer["positions"]  # [actor][dim][state]
    states = peer["states"]
    dstates = len(det["issues"][0]["rounds"])
    worst = 0.0
    for d, iss in enumerate(det["issues"]):
        for k in range(min(states, dstates)):
            for a, v in enumerate(iss["rounds"][k]):
                worst = max(worst, abs(v - pos[a][d][k]))
    ok = states == dstates and worst <= 0.006
    return ok, f"{dstates} vs {states} states, max abs Δx {worst:.4f}"


def cmp_eum(peer, det):
    rounds = det["issues"][0]["rounds"]
    worst = max(abs(a - b) for r, q in zip(rounds, peer["rounds"]) for a, b in zip(r, q))
    ok = len(rounds) == len(peer["rounds"]) and worst <= 1e-9
    return ok, f"max abs Δx {worst:.1e} over {len(rounds) - 1} rounds"


def det_gains(det):
    seen = {}
    for iss in det["issues"]:
        for dg in iss["diagnostics"]:
            if dg["round"] == 1:
                for e in dg["exchanges"]:
                    seen[e["order"]] = e["gain"]
    return [seen[k] for k in sorted(seen)][:2]


def decide_bounds(path):
    """{issue: (lower, upper)} from a decide file's #M rows (default 0-100)."""
    pts = {}
    for line in open(path, encoding="utf-8"):
        f = [x.strip().strip("'") for x in line.rstrip("\n").split("\t")]
        if len(f) >= 3 and f[0] == "#M":
            try:
                pts.setdefault(f[1], []).append(float(f[2]))
            except ValueError:
                pass
    return {k: (min(v), max(v)) for k, v in pts.items()}


def cmp_exchange(peer, det, exact_ties, path):
    """decide reports outcomes on its normalised 0-100 scale, Detente on the
    issue's own scale: Detente's are normalised before comparing."""
    bounds = decide_bounds(path)
    dg = det_gains(det)
    gdiff = max(abs(a - b) for a, b in zip(dg, peer["gains"])) if dg and peer["gains"] else float("inf")
    worst = 0.0
    for iss in det["issues"]:
        for diag in iss["diagnostics"]:
            k = diag["round"]
            if k < len(peer["outcomes"]) and iss["issue"] in peer["outcomes"][k]:
                lo, hi = bounds.get(iss["issue"], (0.0, 100.0))
                ours = (diag["outcome"] - lo) / (hi - lo) * 100.0
                worst = max(worst, abs(ours - peer["outcomes"][k][iss["issue"]]))
    ok = gdiff <= 1e-9 and (exact_ties or worst <= 1e-6)
    return ok, f"first gains Δ {gdiff:.1e}, max abs Δoutcome {worst:.2g}"


def cmp_targets(peer, det):
    """KTAB's logged choices of turn 0 (actor i targets j, worth w to 3
    decimals) against Detente's challenges of state 0."""
    actors = det["issues"][0]["actors"]
    ours = {c["challenger"]: c for c in det["issues"][0]["diagnostics"][0]["challenges"]}
    same, worst = 0, 0.0
    for i, j, w, _ in peer["targets"]:
        c = ours.get(actors[i])
        if c is not None and c["target"] == actors[j]:
            same += 1
            worst = max(worst, abs(c["expected_gain"] - w))
    n = len(peer["targets"])
    ok = same == n and worst <= 0.0005 + 1e-9
    return ok, f"turn 0: {same} of {n} actors' targets the same, worth Δ {worst:.1e} (KTAB logs 3 decimals)"


def det_first(det):
    """Detente's realised exchanges of round 1 by order: [gain, actors, issues]."""
    by = {}
    for iss in det["issues"]:
        for dg in iss["diagnostics"]:
            if dg["round"] == 1:
                for e in dg["exchanges"]:
                    g = by.setdefault(e["order"], [e["gain"], set(), set()])
                    g[1].update([e["supplier"], e["partner"]])
                    g[2].update([iss["issue"], e["partner_issue"]])
    return [[g, sorted(a), sorted(i)] for _, (g, a, i) in sorted(by.items())]


def cmp_first(peer, det):
    """The first K realised exchanges of round 1: same actors, issues, gains."""
    ours = det_first(det)
    k = len(peer["first"])
    same = sum(1 for a, b in zip(peer["first"], ours) if a[1] == b[1] and a[2] == b[2])
    worst = max((abs(a[0] - b[0]) for a, b in zip(peer["first"], ours)), default=float("inf"))
    ok = k > 0 and same == k and worst <= 1e-9
    return ok, f"first {k} exchanges of round 1: {same} of {k} the same pairs and issues, gains Δ {worst:.1e}"


def ratio(peer_cpu, det_cpu, ok, lower=False):
    r = peer_cpu / max(det_cpu, 1e-9)
    txt = f"{'> ' if lower else ''}{r:.0f}×" if r >= 10 else f"{'> ' if lower else ''}{r:.1f}×"
    return txt + (" (answers equal)" if ok else " (answers NOT checked)" if ok is None else " (answers DIFFER)")


def main():
    bin_, synth = sys.argv[1], os.path.abspath(sys.argv[2])
    filt = sys.argv[3] if len(sys.argv) > 3 else ""
    bench = os.environ.get("BENCH", os.path.join(os.path.dirname(bin_), "examples", "bench_forecast"))
    work = os.path.join(synth, "pysmp-work")
    k = lambda f: os.path.join(SHARED, "ktab", f + ".csv")
    e = lambda f: os.path.join(SHARED, "eum", f + ".csv")
    d = lambda f: os.path.join(SHARED, "decide", f + ".csv")
    s = lambda f: os.path.join(synth, f + ".csv")
    cases = [
        # (family, label, n x issues, file, bounds): bounds = {} (a whole
        # run), {"turns": N} (SMP: the first N turns), {"targets": K} (SMP:
        # the first K actors' choices in turn 0), {"exchanges": K} (exchange:
        # the first K exchanges of round 1), {"logged": 1} (SMP, whole run
        # with KTAB's log on: measures the log's cost to the bounded runs)
        ("smp", "dummyData_3Dim", "7 × 3", k("dummyData_3Dim"), {}),
        ("smp", "SOE-Pol-Comp", "13 × 2", k("SOE-Pol-Comp"), {}),
        ("smp", "SOE-Policy", "26 × 1", k("SOE-Policy"), {}),
        ("smp", "dummyData_6Dim", "27 × 6", k("dummyData_6Dim"), {}),
        ("smp", "SOE-Competitive", "34 × 1", k("SOE-Competitive"), {}),
        ("smp", "dummyData-a040", "40 × 1", k("dummyData-a040"), {}),
        ("smp-logged", "dummyData-a040 (KTAB log on)", "40 × 1", k("dummyData-a040"), {"logged": 1}),
        ("smp-synth", "synthetic 50", "50 × 1", s("synth50x1_ktab"), {}),
        ("smp-big", "dummyData-a080", "80 × 1", k("dummyData-a080"), {}),
        ("smp-bounded", "dummyData-a080 (first 2 turns)", "80 × 1", k("dummyData-a080"), {"turns": 2}),
        ("smp-synth", "synthetic 100", "100 × 1", s("synth100x1_ktab"), {}),
        ("smp-bounded", "synthetic 100 (first turn)", "100 × 1", s("synth100x1_ktab"), {"turns": 1}),
        ("smp-big", "dummyData-a160", "160 × 1", k("dummyData-a160"), {}),
        ("smp-targets", "dummyData-a160 (turn 0, 10 actors' targets)", "160 × 1", k("dummyData-a160"), {"targets": 10}),
        ("smp-synth", "synthetic 250", "250 × 1", s("synth250x1_ktab"), {}),
        ("smp-targets", "synthetic 250 (turn 0, 10 actors' targets)", "250 × 1", s("synth250x1_ktab"), {"targets": 10}),
        ("eum", "emission standards", "10 × 1", e("jmckib_ExampleActors"), {}),
        ("eum", "Sultan", "17 × 1", e("jmckib_Sultan"), {}),
        ("eum", "argentina", "17 × 1", e("decisionmechanics_argentina"), {}),
        ("eum-synth", "synthetic 50", "50 × 1", s("synth50x1_eum"), {}),
        ("eum-synth", "synthetic 100", "100 × 1", s("synth100x1_eum"), {}),
        ("eum-synth", "synthetic 250", "250 × 1", s("synth250x1_eum"), {}),
        ("exchange", "sample_data", "10 × 6", d("sample_data"), {}),
        ("exchange", "copenhagen", "11 × 7", d("copenhagen"), {}),
        ("exchange", "cop21", "15 × 13", d("cop21"), {}),
        ("exchange-synth", "synthetic 50 (1 round)", "50 × 10", s("synth50x10_decide"), {}),
        ("exchange-synth", "synthetic 100 (1 round)", "100 × 10", s("synth100x10_decide"), {}),
        ("exchange-bounded", "synthetic 100 (round 1, first 10 exchanges)", "100 × 10", s("synth100x10_decide"), {"exchanges": 10}),
        ("exchange-synth", "synthetic 250 (1 round)", "250 × 10", s("synth250x10_decide"), {}),
        ("exchange-bounded", "synthetic 250 (round 1, first 10 exchanges)", "250 × 10", s("synth250x10_decide"), {"exchanges": 10}),
    ]
    capped = set()
    peers_only = bin_ == "peers"
    cache = os.path.join(synth, "peers")
    os.makedirs(cache, exist_ok=True)
    if not peers_only:
        print("| case | n × issues | model | peer | peer CPU s | Detente call CPU s | Detente process CPU s | peer / Detente call | equal answers |")
        print("|---|---|---|---|---|---|---|---|---|")
    for fam, label, size, path, bounds in cases:
        if ":" in filt:  # MODEL:LABEL, one case
            f, l = filt.split(":", 1)
            if not (fam.startswith(f) and label.startswith(l)):
                continue
        elif filt and filt not in fam and filt not in label:
            continue
        model = fam.split("-")[0]
        tag = label.split(" (")[0].replace(" ", "_")
        if bounds:
            tag += "_" + "_".join(f"{a}{b}" for a, b in sorted(bounds.items()))
        key = os.path.join(cache, f"{model}-{tag}.json")
        rounds = None
        if model == "smp":
            peer_name, cmd = "pySMP 0.1.3", [PY, os.path.join(HERE, "peer_smp.py"), path, work]
            if "turns" in bounds:
                cmd += ["--turns", str(bounds["turns"])]
                rounds = bounds["turns"]
            elif "targets" in bounds:
                cmd += ["--targets", str(bounds["targets"])]
                rounds = 1
            elif "logged" in bounds:
                cmd += ["--turns", "100000"]
        elif model == "eum":
            peer_name, cmd = "peer_eum.py", [sys.executable, os.path.join(HERE, "peer_eum.py"), path, "10"]
            rounds = 10
        else:
            peer_name = "decide 2025.3.1"
            rounds = 1 if ("1 round" in label or "round 1" in label) else 10
            cmd = [PY313, os.path.join(HERE, "peer_decide.py"), path, str(rounds), "0"]
            if "exchanges" in bounds:
                cmd += ["--exchanges", str(bounds["exchanges"])]
        if peers_only:
            if fam in capped:
                peer, err = None, "not run: a smaller case exceeded the limit"
            else:
                t0 = time.time()
                peer, err = run_peer(cmd)
                if peer is None and not bounds:
                    capped.add(fam)
                print(f"{label} ({model}): {'cpu %.2f s' % peer['cpu'] if peer else '> %d s: %s' % (LIMIT, err)} [{time.time() - t0:.0f} s wall]", flush=True)
            with open(key, "w") as f:
                json.dump({"peer": peer, "error": err, "limit": LIMIT,
                           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                           "load": os.getloadavg()}, f)
            continue
        det, dt = run_call(bench, path, model, rounds)
        dargs = [path, "--model", model] + (["--rounds", str(rounds)] if rounds is not None else [])
        if model == "eum":
            dargs += ["--preset", "scholz2011"]
        _, dp = run_detente(bin_, dargs)
        times = f"{fmt(dt)} | {fmt(dp)}"
        if not os.path.exists(key):
            print(f"| {label} | {size} | {model} | {peer_name} | not run | {times} | — | — |", flush=True)
            continue
        with open(key) as f:
            kept = json.load(f)
        peer, err, lim = kept["peer"], kept["error"], kept["limit"]
        if peer is None:
            print(f"| {label} | {size} | {model} | {peer_name} | > {lim} ({err}) | {times} | {ratio(lim, dt, None, lower=True)} | not checked: the peer did not finish |", flush=True)
            continue
        if "targets" in bounds:
            ok, how = cmp_targets(peer, det)
            how += f"; peer CPU is to its 10th logged target (first at {fmt(peer['cpu_first'])} s), Detente's is the whole turn"
        elif "exchanges" in bounds:
            ok, how = cmp_first(peer, det)
            how += "; peer CPU is to its 10th exchange, Detente's is the whole round"
        elif model == "smp":
            ok, how = cmp_smp(peer, det)
        elif model == "eum":
            ok, how = cmp_eum(peer, det)
        else:
            ok, how = cmp_exchange(peer, det, exact_ties="synth" not in fam, path=path)
        pt = peer["cpu"]
        lower = bool(bounds) and ("targets" in bounds or "exchanges" in bounds)
        if peer.get("logging"):
            how += "; peer timed with KTAB's log on"
        print(f"| {label} | {size} | {model} | {peer_name} | {fmt(pt)} | {times} | {ratio(pt, dt, ok, lower)} | {'yes' if ok else 'NO'}: {how} |", flush=True)


if __name__ == "__main__":
    main()
