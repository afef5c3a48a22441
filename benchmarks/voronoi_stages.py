"""Where geoent.Voronoi's time goes, stage by stage, and 3D against scipy.

CPU seconds (``time.process_time``, steadier than wall time on a shared machine),
median of ``--rounds`` calls in one process on one array, garbage collector paused
as in the bench harness. Stages (2D): the Delaunay kernel on the sorted points, the
one-pass Voronoi kernel (circumcentres, ridges with the exact cocircular merge), the
regions' walk (run on first use), the whole ``Voronoi``, the same with every
attribute read once, then ``to_shapely`` split into the ring kernel,
``shapely.from_ragged_array`` and the clipping of the cells leaving the box.
``--dim 3``: the 3D stages and ``scipy.spatial.Voronoi`` on the same array::

    python benchmarks/voronoi_stages.py --n 1e5 --rounds 5
    python benchmarks/voronoi_stages.py --dim 3 --n 1e5 --rounds 3
    PYTHONPATH=<tree>/src python benchmarks/voronoi_stages.py --whole --n 1e5
    python benchmarks/voronoi_stages.py --whole --scipy --dist clusters --n 1e5

``--whole`` times only public calls (``delaunay``, ``Voronoi``, ``Voronoi`` with
every attribute read, ``Voronoi`` plus ``to_shapely``; ``--scipy``: and
``scipy.spatial.Voronoi``; ``--shapely``: and ``shapely.voronoi_polygons`` of a
MultiPoint built apart), so it runs on older trees too: an A/B of two trees in
turn. There, as in the harness, freeing each result is inside the timed span.
``--dist``: a ``geoent.datasets`` distribution instead of uniform points.
``--faults``: the median count of minor page faults of each call too (fresh
memory the call touched; at 1e5 points ``voronoi2d_alloc`` faults in about 9 MB,
and with glibc told to keep freed memory, ``MALLOC_TRIM_THRESHOLD_=1000000000
MALLOC_MMAP_THRESHOLD_=1000000000``, it ran 22-27% faster: the faults are that
share). ``Voronoi`` itself carves its arrays from buffers of whole huge pages
(``voronoi._carve``): 4558 faults per call at 1e5 points before, about 760 after.

A benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import gc
import time

import numpy as np

_FAULTS = []  # median minor page faults of each _cpu call, in call order


def _minflt():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def _cpu(fn, rounds, keep=True):
    """Median CPU time of ``fn()``; ``keep=False`` drops each result inside the
    timed span (as the bench harness does, so freeing it is counted). The median
    count of minor page faults (fresh memory touched) goes to ``_FAULTS``."""
    ts = []
    fs = []
    out = None
    for _ in range(rounds):
        del out
        f0 = _minflt()
        t0 = time.process_time()
        out = fn() if keep else (fn(), None)[1]
        ts.append(time.process_time() - t0)
        fs.append(_minflt() - f0)
    _FAULTS.append(float(np.median(fs)))
    return float(np.median(ts)), out


def _touch(vor):
    """Every attribute of scipy's Voronoi, as a scipy user reads them (geoent
    builds ``regions`` and ``ridge_vertices`` on first access)."""
    _ = (vor.vertices, vor.ridge_points, vor.point_region, vor.ridge_vertices, vor.regions)
    return vor


def _points(n, dist):
    rng = np.random.default_rng(0)
    if dist == "uniform":
        return rng.random((n, 2))
    from geoent.datasets import make_points

    return make_points(dist, n, seed=0)


def stages2d(n, rounds, dist="uniform"):
    import shapely

    import geoent
    from geoent import voronoi as V
    from geoent._kernels import voronoi as kv

    pts = _points(n, dist)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.1 * (hi - lo).max()
    box = (lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad)
    geoent.Voronoi(pts[:1000]).to_shapely(extent=box)  # compile or load kernels
    flag = np.zeros(1, np.uint8)
    rows = []
    t, r = _cpu(lambda: V._triangulate2d(pts), rounds)
    rows.append(("Delaunay kernel (ordering, gather, triangulate)", t))
    tri, opp, nt, xs, ys, k, perm, dup, label, *_ = r
    t, out = _cpu(lambda: kv.voronoi2d_alloc(xs, ys, tri, opp, nt, label, flag), rounds)
    rows.append(("voronoi2d (vertices, ridges, merge)", t))
    cell = out[3]
    hin, hout = np.empty(n, tri.dtype), np.empty(n, tri.dtype)
    t, _ = _cpu(lambda: kv.regions2d(tri, opp, nt, cell, hin, hout, flag), rounds)
    rows.append(("regions2d (hull links, starts, the walk; on first use)", t))
    t, vor = _cpu(lambda: geoent.Voronoi(pts), rounds)
    rows.append(("Voronoi(points), whole", t))
    t, _ = _cpu(lambda: _touch(geoent.Voronoi(pts)), rounds)
    rows.append(("Voronoi(points) + every attribute (lists too)", t))
    flat, off = vor._region_arrays()
    t, rings = _cpu(
        lambda: kv.cell_rings(
            vor.points,
            vor._perm,
            vor.point_region,
            vor.vertices,
            flat,
            off,
            vor._hin,
            vor._hout,
            np.asarray(box),
        ),  # fmt: skip
        rounds,
    )
    rows.append(("cell_rings", t))
    coords, roff, inside = rings
    goff = np.arange(n + 1)
    t, polys = _cpu(
        lambda: shapely.from_ragged_array(shapely.GeometryType.POLYGON, coords, (roff, goff)),
        rounds,
    )
    rows.append(("shapely.from_ragged_array", t))
    cut = np.flatnonzero(~inside)
    t, _ = _cpu(lambda: shapely.clip_by_rect(polys[cut], *box), rounds)
    rows.append((f"clip_by_rect of the {cut.size} cells leaving the box", t))
    t, _ = _cpu(lambda: vor.to_shapely(extent=box), rounds)
    rows.append(("to_shapely, whole", t))
    t, _ = _cpu(lambda: geoent.delaunay(pts), rounds)
    rows.append(("for scale: geoent.delaunay(points)", t))
    return rows


def whole2d(n, rounds, dist="uniform", scipy=False, shapely=False):
    import geoent

    pts = _points(n, dist)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 0.1 * (hi - lo).max()
    box = (lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad)
    geoent.Voronoi(pts[:1000]).to_shapely(extent=box)
    geoent.delaunay(pts[:1000])
    d, _ = _cpu(lambda: geoent.delaunay(pts), rounds, keep=False)
    v, _ = _cpu(lambda: geoent.Voronoi(pts), rounds, keep=False)
    # older trees build every list on first access too: touching them all is
    # the like-for-like comparison with scipy, which builds them eagerly
    a, _ = _cpu(lambda: _touch(geoent.Voronoi(pts)), rounds, keep=False)
    c, _ = _cpu(lambda: geoent.Voronoi(pts).to_shapely(extent=box), rounds, keep=False)
    rows = [
        (f"geoent.delaunay(points) ({geoent.__file__})", d),
        (f"Voronoi(points): {v / d:.2f}x the Delaunay", v),
        (f"Voronoi(points) + every attribute: {a / d:.2f}x", a),
        (f"Voronoi(points).to_shapely(extent=box): {c / d:.2f}x", c),
    ]
    if scipy:
        from scipy.spatial import Voronoi as QVoronoi

        q, _ = _cpu(lambda: QVoronoi(pts), max(1, rounds // 2), keep=False)
        rows.append((f"scipy.spatial.Voronoi: {q / v:.1f}x Voronoi, {q / a:.1f}x +attrs", q))
    if shapely:
        import shapely as shp

        mp = shp.multipoints(pts)  # built apart, as in the bench harness
        s, _ = _cpu(lambda: shp.voronoi_polygons(mp), max(1, rounds // 2), keep=False)
        rows.append((f"shapely.voronoi_polygons: {s / v:.1f}x Voronoi, {s / c:.1f}x +cells", s))
    return rows


def stages3d(n, rounds):
    from scipy.spatial import Voronoi as QVoronoi

    import geoent
    from geoent import _delaunay3d as d3
    from geoent._kernels import voronoi as kv

    pts = np.random.default_rng(0).random((n, 3))
    geoent.Voronoi(pts[:1000])
    rows = []
    t, res = _cpu(lambda: d3.build3d(pts, "morton", True), rounds)
    rows.append(("Delaunay 3D (build3d)", t))
    simp, nb = res.simplices, res.neighbors
    t, (cell, rep) = _cpu(lambda: kv.cells3d(pts, simp, nb, np.zeros(1, np.uint8)), rounds)
    rows.append(("cells3d (exact insphere merge)", t))
    t, _ = _cpu(lambda: kv.circumcenters3d(pts, simp, rep, np.zeros(1, np.uint8)), rounds)
    rows.append(("circumcenters3d", t))
    t, _ = _cpu(lambda: kv.ridges3d(pts, simp, nb, cell, n, np.zeros(1, np.uint8)), rounds)
    rows.append(("ridges3d", t))
    t, _ = _cpu(lambda: kv.regions3d(simp, cell, res.hull_facets, n, np.zeros(1, np.uint8)), rounds)
    rows.append(("regions3d", t))
    t, _ = _cpu(lambda: geoent.Voronoi(pts), rounds)
    rows.append(("Voronoi(points), whole", t))
    t, _ = _cpu(lambda: QVoronoi(pts), rounds)
    rows.append(("scipy.spatial.Voronoi(points)", t))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dim", type=int, choices=(2, 3), default=2)
    ap.add_argument("--n", type=float, default=1e5)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--whole", action="store_true", help="2D public calls only")
    ap.add_argument("--scipy", action="store_true", help="--whole: scipy too (slow)")
    ap.add_argument("--shapely", action="store_true", help="--whole: voronoi_polygons too")
    ap.add_argument("--faults", action="store_true", help="minor page faults per call too")
    ap.add_argument("--dist", default="uniform", help="2D: uniform or a geoent.datasets name")
    a = ap.parse_args(argv)
    n = int(a.n)
    gc.disable()
    if a.whole:
        rows = whole2d(n, a.rounds, a.dist, a.scipy, a.shapely)
    elif a.dim == 2:
        rows = stages2d(n, a.rounds, a.dist)
    else:
        rows = stages3d(n, a.rounds)
    print(f"{a.dim}D Voronoi, {n} {a.dist} points, CPU ms, median of {a.rounds}")
    if a.faults:
        print(f"  {'':55s} {'CPU ms':>9s} {'faults':>8s}")
    for (name, t), f in zip(rows, _FAULTS, strict=True):
        print(f"  {name:55s} {t * 1e3:9.1f}" + (f" {f:8.0f}" if a.faults else ""))


if __name__ == "__main__":
    main()
