"""Where geoent's Clough-Tocher values differ from scipy's on anisotropic data.

1e5-anisotropic points (uniform in [0, 1000] x [0, 0.01]), no ``rescale``; for each
seed, max |difference| of values at 3000 queries and of the estimated gradients:

* ours - scipyQ: geoent vs scipy on its own (Qhull) triangulation;
* scipyG - scipyQ: scipy's own code on geoent's triangulation vs on Qhull's (the
  same triangles, listed in another order);
* ours - scipyG: geoent vs scipy's code on the same triangulation object;
* scipyP - scipyQ: scipy against itself, the same points and values given in another
  (random) order: how far scipy's own answer moves with nothing but the order changed.

Usage::

    python benchmarks/study_clough_tocher_order.py --seeds 8 --n 200
"""

from __future__ import annotations

import argparse

import numpy as np


def main(argv=None):
    import scipy.interpolate as si

    import geoent
    from geoent.interpolate import CloughTocher2DInterpolator

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=8)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args(argv)

    def m(x, y):
        return float(np.nanmax(np.abs(x - y)))

    print("| seed | same triangles | ours - scipyQ | scipyG - scipyQ | ours - scipyG | "
          "scipyP - scipyQ | grads: ours - scipyQ | scipyG - scipyQ | ours - scipyG |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        pts = rng.random((args.n, 2))
        v = np.sin(6 * pts[:, 0]) * np.cos(5 * pts[:, 1])
        q = rng.random((3000, 2)) * 1.2 - 0.1
        pts, q = pts * [1000.0, 0.01], q * [1000.0, 0.01]
        tri = geoent.Delaunay(pts)
        ours = CloughTocher2DInterpolator(pts, v)
        sq = si.CloughTocher2DInterpolator(pts, v)
        sg = si.CloughTocher2DInterpolator(tri, v)
        same = {tuple(sorted(t)) for t in tri.simplices.tolist()} == {
            tuple(sorted(t)) for t in sq.tri.simplices.tolist()
        }
        perm = rng.permutation(len(pts))
        sp = si.CloughTocher2DInterpolator(pts[perm], v[perm])
        a, b, c, d = ours(q), sq(q), sg(q), sp(q)
        grads = (m(ours.grad, sq.grad), m(sg.grad, sq.grad), m(ours.grad, sg.grad))
        print(
            f"| {seed} | {same} | {m(a, b):.1e} | {m(c, b):.1e} | {m(a, c):.1e} | {m(d, b):.1e} | "
            + " | ".join(f"{g:.1e}" for g in grads)
            + " |"
        )


if __name__ == "__main__":
    main()
