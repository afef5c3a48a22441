"""Record the argument and result types the API passes to each exported kernel.

Runs the warm-up call of each family (``geoent.warmup``) and a few degenerate and
larger inputs on the JIT path (``GEOENT_JIT_ONLY=1``) with ``GEOENT_AOT_RECORD`` set,
then prints the signatures seen per export name (``<module>__<kernel>``) as lines for
``src/geoent/_kernels/aot_signatures.py``. A kernel seen with more than one signature
is listed with all of them (export one, or none). Development aid, not a benchmark.

Usage::

    python benchmarks/aot_signatures.py [--families hull2d,hull3d] [--out sigs.json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

_CHILD = r"""
import sys
import numpy as np
import geoent as g
from geoent.warmup import family_call
rng = np.random.default_rng(1)
for fam in sys.argv[1:]:
    family_call(fam)()
    if fam == "hull2d":
        g.convex_hull(rng.random((5000, 2)))
        g.convex_hull(np.c_[np.arange(10.0), np.arange(10.0)])
        g.convex_hull(rng.random((3, 2)) * 1e300)
        g.ConvexHull(rng.random((50, 2)))
        # the filters of convex_hull from 4,097 to 200,000 points (every round-1 kind)
        t = rng.random(100_000) * 2 * np.pi
        r = np.sqrt(rng.random(100_000))
        for pts in (
            rng.random((100_000, 2)),
            np.c_[r * np.cos(t), r * np.sin(t)],
            np.c_[np.cos(t), np.sin(t)],
            rng.normal(size=(150_000, 2)),
            np.c_[(r + 1) * np.cos(t), (r + 1) * np.sin(t)],
            rng.random((100_000, 2)) @ np.array([[1.0, 0.999], [0.0, 0.001]]),
            np.round(rng.random((60_000, 2)) * 64),
            # survivors enough for the later (fan) rounds, plain and in P's frame
            np.c_[(1 + 0.01 * r) * np.cos(t), (1 + 0.01 * r) * np.sin(t)],
            np.c_[(1 + 0.01 * r) * np.cos(t), 0.01 * (1 + 0.01 * r) * np.sin(t)],
        ):
            g.convex_hull(pts)
            g.convex_hull(pts, hint=g.convex_hull(pts[:5000]))
        from geoent import _hull2d_shape
        for kind in (0, 1, 4, 8, 16):  # forced round-1 kinds (the cost model picks one)
            _hull2d_shape._FORCE = kind
            g.convex_hull(rng.random((20_000, 2)))
        _hull2d_shape._FORCE = None
    if fam == "batched":
        g.convex_hulls(rng.random((1000, 2)), np.array([0, 5, 5, 200, 1000]))
    if fam == "hull3d":
        g.convex_hull(rng.random((50, 3)))
        p = rng.random((100, 3)); p[:, 2] = 0.5
        g.convex_hull(np.c_[rng.random((100, 2)), np.zeros(100)])
        g.ConvexHull(np.round(rng.random((2000, 3)) * 4) / 4)
        g.ConvexHull(rng.random((30000, 3)))
        s = rng.normal(size=(5000, 3))
        g.ConvexHull(s / np.linalg.norm(s, axis=1)[:, None])
        g.ConvexHull(rng.random((10, 3)) * 1e300)
    if fam == "entropy":
        for n in (3, 10, 100, 5000):
            g.range_partition_entropy(rng.random((n, 2)))
        g.range_partition_entropy(np.c_[np.arange(50.0), np.arange(50.0)])
        g.range_partition_entropy(np.round(rng.random((300, 2)) * 4))
    if fam == "instance_optimal":
        g.convex_hull(rng.random((5000, 2)), method="instance_optimal")
        g.convex_hull(np.c_[np.arange(9.0), np.zeros(9)], method="instance_optimal")
        from geoent.hull import instance_optimal_stats
        instance_optimal_stats(rng.random((300, 2)))
    if fam == "delaunay":
        g.delaunay(rng.random((5000, 2)))
        g.Delaunay(rng.random((200, 2)))
        g.delaunay(np.round(rng.random((300, 2)) * 8))
    if fam == "delaunay3d":
        for pts in (rng.random((5000, 3)), np.round(rng.random((400, 3)) * 4),
                    rng.random((20, 3)) * 1e300, rng.random((6, 3))):
            g.delaunay(pts)
            g.delaunay(pts, order="brio")
            d = g.Delaunay(pts)
            d.find_simplex(rng.random((100, 3)))
            d.find_simplex(rng.random((5, 3)))
            d.transform, d.vertex_neighbor_vertices, d.plane_distance(rng.random((4, 3)))
        d = g.Delaunay(rng.random((200, 3)), incremental=True)
        d.add_points(rng.random((300, 3)))
        d.add_points(rng.random((3, 3)))
        d.simplices, d.neighbors
        d.close()
    if fam == "voronoi":
        for pts in (rng.random((3000, 2)), np.round(rng.random((300, 2)) * 6),
                    rng.random((3000, 3)), np.round(rng.random((300, 3)) * 4),
                    rng.random((20, 2)) * 1e300, rng.random((20, 3)) * 1e300):
            v = g.Voronoi(pts)
            v.regions, v.ridge_vertices, v.point_region, v.ridge_dict
        g.Voronoi(rng.random((500, 2))).to_shapely()
    if fam == "interpolate":
        from geoent.interpolate import (CloughTocher2DInterpolator,
                                        LinearNDInterpolator, griddata)
        for d in (2, 3):
            near_grid = np.round(rng.random((300, d)) * 8) + rng.random((300, d)) * 1e-3
            for pts in (rng.random((2000, d)), near_grid):
                vals = pts[:, 0] ** 2
                grid = np.mgrid[0:1:20j, 0:1:20j].reshape(2, -1).T
                for q in (rng.random((1000, d)), rng.random((7, d)) * 1.2,
                          grid if d == 2 else rng.random((3, d))):
                    griddata(pts, vals, q, method="linear")
                    griddata(pts, vals + 1j * vals, q, method="linear")
                    LinearNDInterpolator(pts, np.c_[vals, vals])(q)
                    if d == 2:
                        griddata(pts, vals, q, method="cubic")
                        CloughTocher2DInterpolator(pts, vals + 1j)(q)
                        griddata(pts, vals, q, method="linear", rescale=True)
        gx, gy = np.mgrid[0:1:30j, 0:1:20j]
        LinearNDInterpolator(rng.random((100, 2)), rng.random(100))(gx, gy)
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--families",
        default="hull2d,batched,hull3d,delaunay,predicates,entropy,instance_optimal,delaunay3d,voronoi,interpolate",
    )
    ap.add_argument("--out", help="also keep the raw JSON here")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "sigs.json")
        env = dict(os.environ, GEOENT_JIT_ONLY="1", GEOENT_AOT_RECORD=rec)
        subprocess.run([sys.executable, "-c", _CHILD, *a.families.split(",")], env=env, check=True)
        sigs = json.load(open(rec))
    if a.out:
        json.dump(sigs, open(a.out, "w"), indent=1, sort_keys=True)
    for name, s in sorted(sigs.items()):
        if len(s) == 1:
            print(f'    "{name}": "{s[0]}",')
        else:
            print(f"    # {name}: {len(s)} signatures: {s}")


if __name__ == "__main__":
    main()
