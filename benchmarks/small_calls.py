"""Latency of small calls after warm-up (issue 13: no call on under 1,000 points
should cost more than 50 us).

Every case is called once per round, the cases interleaved (round 1: case A, B, C,
...; round 2: A, B, C, ...), so a burst of load on the shared machine hits every case
alike. Each call is timed alone, in wall time (``time.perf_counter_ns``) and in CPU
time of the calling thread (``time.thread_time_ns``: what the call costs, without the
waits a loaded machine adds; parallel kernels' worker threads are not counted, and
none runs on these sizes); the table gives the median and the 90th percentile of the
rounds, in microseconds. A few peers (scipy, shapely, and triangle and CGAL where
installed) are timed the same way for scale. Warm-up: every case is called
``--warmup`` times first (numba compiles or loads its cache then).

Usage::

    python benchmarks/small_calls.py                  # 2,000 rounds
    python benchmarks/small_calls.py --rounds 500 --only hull
    python benchmarks/small_calls.py --no-peers --exclude entropy   # the microsecond calls
    python benchmarks/small_calls.py --profile convex_hull_999   # cProfile one case
    python benchmarks/small_calls.py --no-peers --case delaunay_10   # one case alone

This is a benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _cases(with_peers):
    import geoent

    rng = np.random.default_rng(1)
    p999 = rng.random((999, 2))
    p10 = rng.random((10, 2))
    b3 = rng.standard_normal((999, 3))
    b3 /= np.linalg.norm(b3, axis=1)[:, None]
    b3 *= rng.random((999, 1)) ** (1 / 3)  # uniform in the ball
    c3_10 = rng.random((10, 3))
    sets99 = rng.random((990, 2))
    off99 = np.arange(0, 991, 10)
    sets10 = rng.random((100, 2))
    off10 = np.arange(0, 101, 10)
    d100 = rng.random((100, 2))
    e999 = rng.random((999, 2))
    e100 = rng.random((100, 2))
    cases = {
        "convex_hull_10": lambda: geoent.convex_hull(p10),
        "convex_hull_999": lambda: geoent.convex_hull(p999),
        "convex_hull_io_999": lambda: geoent.convex_hull(p999, method="instance_optimal"),
        "convex_hull_3d_10": lambda: geoent.convex_hull(c3_10),
        "convex_hull_3d_999": lambda: geoent.convex_hull(b3),
        "convex_hulls_10x10": lambda: geoent.convex_hulls(sets10, off10),
        "convex_hulls_99x10": lambda: geoent.convex_hulls(sets99, off99),
        "ConvexHull_2d_10": lambda: geoent.ConvexHull(p10),
        "ConvexHull_2d_999": lambda: geoent.ConvexHull(p999),
        "ConvexHull_3d_10": lambda: geoent.ConvexHull(c3_10),
        "ConvexHull_3d_999": lambda: geoent.ConvexHull(b3),
        "delaunay_10": lambda: geoent.delaunay(p10),
        "delaunay_100": lambda: geoent.delaunay(d100),
        "delaunay_999": lambda: geoent.delaunay(p999),
        "Delaunay_10": lambda: geoent.Delaunay(p10),
        "Delaunay_100": lambda: geoent.Delaunay(d100),
        "Voronoi_10": lambda: geoent.Voronoi(p10),
        "Voronoi_100": lambda: geoent.Voronoi(d100),
        "entropy_100": lambda: geoent.range_partition_entropy(e100),
        "entropy_999": lambda: geoent.range_partition_entropy(e999),
    }
    if with_peers:
        import scipy.spatial as ss
        import shapely

        mp999 = shapely.multipoints(p999)
        mp99 = shapely.multipoints(sets99, indices=np.repeat(np.arange(99), 10))
        mp10 = shapely.multipoints(sets10, indices=np.repeat(np.arange(10), 10))
        cases.update(
            {
                "peer_scipy_ConvexHull_3d_10": lambda: ss.ConvexHull(c3_10),
                "peer_shapely_convex_hulls_10x10": lambda: shapely.convex_hull(mp10),
                "peer_shapely_convex_hulls_99x10": lambda: shapely.convex_hull(mp99),
                "peer_scipy_ConvexHull_2d_999": lambda: ss.ConvexHull(p999),
                "peer_scipy_ConvexHull_3d_999": lambda: ss.ConvexHull(b3),
                "peer_scipy_Delaunay_999": lambda: ss.Delaunay(p999),
                "peer_shapely_convex_hull_999": lambda: shapely.convex_hull(mp999),
                "peer_numpy_asarray_noop": lambda: np.ascontiguousarray(p999),
                "peer_scipy_Delaunay_100": lambda: ss.Delaunay(d100),
                "peer_scipy_Delaunay_10": lambda: ss.Delaunay(p10),
                "peer_scipy_Voronoi_10": lambda: ss.Voronoi(p10),
                "peer_scipy_Voronoi_100": lambda: ss.Voronoi(d100),
                "peer_shapely_delaunay_999": lambda: shapely.delaunay_triangles(mp999),
            }
        )
        cases.update(_optional_peers(p999, d100, b3))
    return cases


def _optional_peers(p999, d100, b3):
    """triangle (Shewchuk's) and CGAL's SWIG bindings, where installed. The CGAL
    point objects are built once, outside the timed call (so CGAL is timed on its
    own work, without the conversion from numpy a user would pay)."""
    peers = {}
    try:
        import triangle

        peers["peer_triangle_999"] = lambda: triangle.triangulate({"vertices": p999}, "Q")
        peers["peer_triangle_100"] = lambda: triangle.triangulate({"vertices": d100}, "Q")
    except ImportError:
        pass
    try:
        from CGAL.CGAL_Convex_hull_3 import convex_hull_3
        from CGAL.CGAL_Kernel import Point_2, Point_3
        from CGAL.CGAL_Polyhedron_3 import Polyhedron_3
        from CGAL.CGAL_Triangulation_2 import Delaunay_triangulation_2
    except ImportError:
        return peers
    q3 = [Point_3(*r) for r in b3.tolist()]
    q999 = [Point_2(*r) for r in p999.tolist()]
    q100 = [Point_2(*r) for r in d100.tolist()]

    def hull3():
        poly = Polyhedron_3()
        convex_hull_3(q3, poly)
        return poly

    def dt2(q):
        t = Delaunay_triangulation_2()
        t.insert(q)
        return t

    peers["peer_cgal_convex_hull_3_999"] = hull3
    peers["peer_cgal_Delaunay_2_999"] = lambda: dt2(q999)
    peers["peer_cgal_Delaunay_2_100"] = lambda: dt2(q100)
    return peers


def _table(times, cpu, names):
    print("| call | wall median us | wall p90 us | CPU median us | CPU p90 us |")
    print("|---|---|---|---|---|")
    for name in names:
        t = np.array(times[name]) / 1e3
        c = np.array(cpu[name]) / 1e3
        print(
            f"| {name} | {np.median(t):.1f} | {np.percentile(t, 90):.1f} "
            f"| {np.median(c):.1f} | {np.percentile(c, 90):.1f} |"
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--only", default="", help="substring filter on case names")
    ap.add_argument("--exclude", default="", help="comma-separated substrings to leave out")
    ap.add_argument("--case", default="", help="this one case alone (exact name)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--profile", default="", help="cProfile this one case instead")
    args = ap.parse_args()
    cases = _cases(not args.no_peers)
    drop = [x for x in args.exclude.split(",") if x]
    names = [k for k in cases if args.only in k and not any(x in k for x in drop)]
    if args.case:
        names = [args.case]
    for name in names:
        for _ in range(args.warmup):
            cases[name]()
    if args.profile:
        import cProfile
        import pstats

        fn = cases[args.profile]
        pr = cProfile.Profile()
        pr.enable()
        for _ in range(args.rounds):
            fn()
        pr.disable()
        pstats.Stats(pr).sort_stats("tottime").print_stats(25)
        return
    times = {k: [] for k in names}
    cpu = {k: [] for k in names}
    clock, tclock = time.perf_counter_ns, time.thread_time_ns
    for _ in range(args.rounds):
        for name in names:
            fn = cases[name]
            c = tclock()
            t = clock()
            fn()
            t = clock() - t
            cpu[name].append(tclock() - c)
            times[name].append(t)
    _table(times, cpu, names)


if __name__ == "__main__":
    main()
