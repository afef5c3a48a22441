"""Rotated strips at 1e6 points that the issue-12 benchmarks were not tuned on: seeds
1-3 x rotations 0.3, 1.0, 2.2 rad at 50:1; a 50:1 strip rotated 0.6 rad, scaled by
1e3 and offset by 1e6; 200:1 at 1.3 rad; 10:1 at 0.8 rad (session 6's scratch
``strip_vary.py``, kept here so it can be rerun).

Per strip, geoent, scipy (Qhull) and shapely (GEOS; the multipoint built outside
the timing) in one process, interleaved round by round; the ratios scipy / geoent
and shapely / geoent of the minimum process CPU time, and of the median wall time.
The vertex sets of geoent and scipy are checked equal.

    python benchmarks/issue12_strips_vary.py --rounds 7
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def cases(n):
    from geoent.datasets import make_strip

    out = []
    for seed in (1, 2, 3):
        for rot in (0.3, 1.0, 2.2):
            out.append((f"50:1 rot {rot} seed {seed}", make_strip(n, 50, rot, seed=seed)))
    p = make_strip(n, 50, 0.6, seed=7)
    out.append(("50:1 rot 0.6 x1e3 +1e6", p * 1e3 + 1e6))
    out.append(("200:1 rot 1.3 seed 4", make_strip(n, 200, 1.3, seed=4)))
    out.append(("10:1 rot 0.8 seed 5", make_strip(n, 10, 0.8, seed=5)))
    return out


def _timed(f):
    w = time.perf_counter()
    c = time.process_time()
    f()
    return time.process_time() - c, time.perf_counter() - w


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", default="1e6", help="points per strip (default 1e6)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    a = ap.parse_args()
    import scipy.spatial as ss
    import shapely

    import geoent

    n = int(float(a.n))
    data = cases(n)
    geoent.convex_hull(data[0][1])
    ss.ConvexHull(data[0][1][:1000])
    lo_s = lo_sh = np.inf
    print(f"n = {n:,}; {a.rounds} rounds; ratios of CPU min / wall median")
    print("| strip | geoent CPU ms | scipy / geoent | shapely / geoent |")
    print("|---|---|---|---|")
    for name, pts in data:
        mp = shapely.multipoints(pts)
        fns = {
            "g": lambda p=pts: geoent.convex_hull(p),
            "s": lambda p=pts: ss.ConvexHull(p),
            "sh": lambda m=mp: shapely.convex_hull(m),
        }
        cpu = {k: [] for k in fns}
        wall = {k: [] for k in fns}
        for _ in range(a.rounds):
            for k, f in fns.items():
                c, w = _timed(f)
                cpu[k].append(c)
                wall[k].append(w)
        assert set(geoent.convex_hull(pts).tolist()) == set(ss.ConvexHull(pts).vertices.tolist())
        cm = {k: min(v) for k, v in cpu.items()}
        wm = {k: float(np.median(v)) for k, v in wall.items()}
        rs, rsh = cm["s"] / cm["g"], cm["sh"] / cm["g"]
        lo_s, lo_sh = min(lo_s, rs), min(lo_sh, rsh)
        print(
            f"| {name} | {cm['g'] * 1e3:.2f} | {rs:.1f} / {wm['s'] / wm['g']:.1f} "
            f"| {rsh:.1f} / {wm['sh'] / wm['g']:.1f} |",
            flush=True,
        )
    print(f"lowest CPU ratios: scipy {lo_s:.1f}x, shapely {lo_sh:.1f}x")


if __name__ == "__main__":
    main()
