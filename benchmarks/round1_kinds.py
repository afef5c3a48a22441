"""Whole-hull time with each round-1 filter kind forced, against the engine's choice.

The data behind the round-1 cost model of ``geoent._hull2d_shape`` (``_COST_*``): for
each family, ``convex_hull`` with the choice left to the model (``auto``) and with
``_FORCE`` set to the octagon (0), the disk (1), the octagon in the sample polygon's
frame (2) or 4, 8, 16 edge forms, interleaved round by round
in one process; thread CPU time, minimum of the rounds, ms. The model is right when
``auto`` matches the fastest forced kind.

    python benchmarks/round1_kinds.py --n 1e6 --rounds 15
"""

from __future__ import annotations

import argparse
import time

import geoent
from geoent import _hull2d_shape as S
from geoent.datasets import make_points, make_strip

FAMILIES = {
    "uniform": lambda n: make_points("uniform", n, seed=0),
    "disk": lambda n: make_points("disk", n, seed=0),
    "gaussian": lambda n: make_points("gaussian", n, seed=0),
    "kuzmin": lambda n: make_points("kuzmin", n, seed=0),
    "strip 50:1 rotated 0.6": lambda n: make_strip(n, 50, 0.6, seed=0),
    "annulus": lambda n: make_points("annulus", n, seed=0),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", default="1e6")
    ap.add_argument("--rounds", type=int, default=15)
    a = ap.parse_args()
    n = int(float(a.n))
    kinds = (None, 0, 1, 2, 4, 8, 16)
    print(f"n = {n:,}; thread CPU ms, min of {a.rounds} interleaved rounds")
    print(
        "| input | auto picks | auto | octagon | disk | frame octagon | 4 forms | 8 forms "
        "| 16 forms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, make in FAMILIES.items():
        pts = make(n)
        times = {k: [] for k in kinds}
        try:
            for _ in range(a.rounds):
                for k in kinds:
                    S._FORCE = k
                    c = time.thread_time()
                    geoent.convex_hull(pts)
                    times[k].append(time.thread_time() - c)
        finally:
            S._FORCE = None
        q = pts.reshape(-1)
        info = {}
        S.survivors(q, n, S.filter_polygon(q, n), info)
        cells = " | ".join(f"{min(times[k]) * 1e3:.2f}" for k in kinds)
        print(f"| {name} | {info['round1']} | {cells} |", flush=True)


if __name__ == "__main__":
    main()
