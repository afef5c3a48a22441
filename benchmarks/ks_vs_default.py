"""``method="instance_optimal"`` against the default (issue 12), one process, same array.

Per family: the default (``"monotone"``) and ``"instance_optimal"`` interleaved round by
round, minimum thread CPU time (the machine is shared: CPU time is the steadier), the
ratio, and, with ``--thresholds``, the ratio for other values of
``geoent._hull2d.KS_SORT_BELOW`` (Kirkpatrick-Seidel subproblems of at most that many
points are left to one sort and chain; 0 runs the pure algorithm on the survivors of
the filters, as before issue 12's fourth session). Results are checked equal.

    python benchmarks/ks_vs_default.py --n 1e5 --rounds 7 --thresholds 0,256,1024
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import geoent
from geoent import _hull2d as H
from geoent.datasets import make_points

FAMILIES = "uniform,disk,annulus,circle,gaussian,kuzmin,grid,duplicates,offset"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", default="1e5")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--families", default=FAMILIES)
    ap.add_argument("--thresholds", default=str(H.KS_SORT_BELOW))
    a = ap.parse_args()
    n = int(float(a.n))
    vals = [int(v) for v in a.thresholds.split(",")]
    keep = H.KS_SORT_BELOW
    print(f"n = {n:,}; CPU ms, min of {a.rounds} rounds; instance_optimal / default")
    print("| family | h | default ms | " + " | ".join(f"KS_SORT_BELOW={v}" for v in vals) + " |")
    print("|---|---|---|" + "---|" * len(vals))
    try:
        for fam in a.families.split(","):
            pts = make_points(fam, n, seed=2)
            ref = geoent.convex_hull(pts, method="monotone")
            for v in vals:
                H.KS_SORT_BELOW = v
                assert np.array_equal(geoent.convex_hull(pts, method="instance_optimal"), ref)
            cpu = {"default": []} | {v: [] for v in vals}
            for _ in range(a.rounds):
                c = time.thread_time()
                geoent.convex_hull(pts, method="monotone")
                cpu["default"].append(time.thread_time() - c)
                for v in vals:
                    H.KS_SORT_BELOW = v
                    c = time.thread_time()
                    geoent.convex_hull(pts, method="instance_optimal")
                    cpu[v].append(time.thread_time() - c)
            b = min(cpu["default"])
            cells = " | ".join(f"{min(cpu[v]) * 1e3:.2f} ms ({min(cpu[v]) / b:.2f}x)" for v in vals)
            print(f"| {fam} | {len(ref)} | {b * 1e3:.2f} | {cells} |", flush=True)
    finally:
        H.KS_SORT_BELOW = keep


if __name__ == "__main__":
    main()
