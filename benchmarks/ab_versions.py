"""A/B of ``geoent.convex_hull`` between two source trees, in one run.

Two worker processes, one per tree (``PYTHONPATH=<tree>/src``), load the same arrays
(written once by this driver from the seeded generators of the B tree) and time the
same calls, round by round alternately, so that the machine's load falls on both
alike. Reported per case: each side's median wall time and minimum thread CPU time,
and the ratios B/A. Results are checked equal.

    python benchmarks/ab_versions.py --a /work/main --b . --rounds 7
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

WORKER = r"""
import json, sys, time
import numpy as np
import geoent
for line in sys.stdin:
    req = json.loads(line)
    pts = np.load(req["path"])
    kw = {"method": req["method"]}
    if req["warm"]:
        geoent.convex_hull(pts, **kw)  # warm-up (compile or cache load)
    wall, cpu = [], []
    for _ in range(req["rounds"]):
        t0 = time.perf_counter(); c0 = time.thread_time()
        out = geoent.convex_hull(pts, **kw)
        cpu.append(time.thread_time() - c0); wall.append(time.perf_counter() - t0)
    print(json.dumps({"wall": wall, "cpu": cpu, "hull": out.tolist()}), flush=True)
"""

# the README's hull rows (quick table at 1e5, engine table at 1e6-1e7, design sizes)
CASES = [
    *[
        (d, 100_000, m)
        for d in ("uniform", "circle", "kuzmin", "grid", "duplicates", "offset")
        for m in ("auto", "instance_optimal")
    ],
    *[
        (d, 10_000_000, "auto")
        for d in (
            "uniform",
            "disk",
            "gaussian",
            "annulus",
            "grid",
            "rotated_grid",
            "duplicates",
            "offset",
        )
    ],
    ("circle", 1_000_000, "auto"),
    ("circle", 10_000_000, "auto"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", default="/work/main")
    ap.add_argument("--b", default=".")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--cases", default=None, help="dist:n:method,... (default: README rows)")
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.b) / "src"))
    from geoent.datasets import make_points

    cases = CASES
    if args.cases:
        cases = [
            (c.split(":")[0], int(float(c.split(":")[1])), c.split(":")[2])
            for c in args.cases.split(",")
        ]
    tmp = Path(tempfile.mkdtemp(prefix="geoent_ab_"))
    workers = {}
    for side, tree in (("A", args.a), ("B", args.b)):
        env = dict(os.environ, PYTHONPATH=str(Path(tree).resolve() / "src"))
        workers[side] = subprocess.Popen(
            [sys.executable, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
    print(
        f"A = {args.a}, B = {args.b}; wall: median, cpu: min of {args.rounds} rounds, "
        "alternating A and B one round at a time"
    )
    print(
        "| input | n | method | A wall ms | B wall ms | B/A wall | A cpu ms | B cpu ms | B/A cpu |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    try:
        for dist, n, method in cases:
            path = tmp / f"{dist}_{n}.npy"
            if not path.exists():
                np.save(path, make_points(dist, n, seed=0))
            res = {s: {"wall": [], "cpu": []} for s in workers}
            hulls = {}
            for r in range(args.rounds):  # noqa: B007
                for side, w in workers.items():
                    w.stdin.write(
                        json.dumps(
                            {"path": str(path), "method": method, "rounds": 1, "warm": r == 0}
                        )
                        + "\n"
                    )
                    w.stdin.flush()
                    out = json.loads(w.stdout.readline())
                    res[side]["wall"] += out["wall"]
                    res[side]["cpu"] += out["cpu"]
                    hulls[side] = out["hull"]
            assert hulls["A"] == hulls["B"], (dist, n, method)
            aw, bw = (float(np.median(res[s]["wall"])) for s in "AB")
            ac, bc = (min(res[s]["cpu"]) for s in "AB")
            print(
                f"| {dist} | {n:.0e} | {method} | {aw * 1e3:.2f} | {bw * 1e3:.2f} | "
                f"{bw / aw:.2f} | {ac * 1e3:.2f} | {bc * 1e3:.2f} | {bc / ac:.2f} |",
                flush=True,
            )
    finally:
        for w in workers.values():
            w.stdin.close()
            w.wait()
        for p in tmp.glob("*.npy"):
            p.unlink()
        tmp.rmdir()


if __name__ == "__main__":
    main()
