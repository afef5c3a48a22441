"""The measurements of issue 12's table, rerun: thin and rotated inputs at 1e6 points,
geoent against scipy (Qhull) and shapely (GEOS; ``shapely.multipoints`` built outside
the timing), plus geoent with the exact hull as a hint and one read pass (the floor).

Every contender in one process on the same array, interleaved round by round; per
contender the median wall time and the minimum thread CPU time (the machine is
shared: CPU time is the steadier). Results are checked against geoent's exact hull.

    python benchmarks/issue12_table.py --n 1e6 --rounds 5
"""

from __future__ import annotations

import argparse

import numpy as np

import geoent
from geoent._kernels.hull2d_adaptive import extremes8
from geoent.bench.timing import interleaved
from geoent.datasets import make_points, make_rotated_gaussian, make_strip

INPUTS = {
    "uniform in the unit square": lambda n: make_points("uniform", n, seed=0),
    "1 x 0.02 strip, rotated 0.6 rad": lambda n: make_strip(n, 50, 0.6, seed=0),
    "the same strip, axis-aligned": lambda n: make_strip(n, 50, 0.0, seed=0),
    "the same strip, rotated 0.1 rad": lambda n: make_strip(n, 50, 0.1, seed=0),
    "Gaussian (1, 0.05), rotated 0.6 rad": lambda n: make_rotated_gaussian(n, 20, 0.6, seed=0),
    "1 x 0.001 strip, rotated 0.6 rad": lambda n: make_strip(n, 1000, 0.6, seed=0),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", default="1e6")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True)
    a = ap.parse_args()
    n = int(float(a.n))
    import scipy.spatial
    import shapely

    print(f"n = {n:,}; wall ms (median) / CPU ms (min) of {a.rounds} rounds")
    print(
        "| input | h | geoent | exact hull as hint | read pass | scipy | shapely "
        "| scipy / geoent | shapely / geoent | geoent / read | hinted / read |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, make in INPUTS.items():
        pts = make(n)
        q = pts.reshape(-1)
        h = geoent.convex_hull(pts)
        fns = {
            "geoent": lambda p=pts: geoent.convex_hull(p),
            "hinted": lambda p=pts, h=h: geoent.convex_hull(p, hint=h),
            "read": lambda q=q: extremes8(q),
        }
        if a.peers:
            mp = shapely.multipoints(pts)
            fns["scipy"] = lambda p=pts: scipy.spatial.ConvexHull(p).vertices
            fns["shapely"] = lambda g=mp: shapely.convex_hull(g)
            assert set(scipy.spatial.ConvexHull(pts).vertices.tolist()) == set(h.tolist())
        assert np.array_equal(fns["hinted"](), h)
        for f in fns.values():
            f()
        w, c = ({k: v * 1e3 for k, v in d.items()} for d in interleaved(fns, a.rounds))

        def cell(k, w=w, c=c):
            return f"{w[k]:.1f} / {c[k]:.1f}" if k in w else "-"

        def ratio(x, y, w=w, c=c):
            if x not in w or y not in w:
                return "-"
            return f"{w[x] / w[y]:.1f} / {c[x] / c[y]:.1f}"

        print(
            f"| {name} | {len(h)} | {cell('geoent')} | {cell('hinted')} | {cell('read')} | "
            f"{cell('scipy')} | {cell('shapely')} | {ratio('scipy', 'geoent')} | "
            f"{ratio('shapely', 'geoent')} | {ratio('geoent', 'read')} | "
            f"{ratio('hinted', 'read')} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
