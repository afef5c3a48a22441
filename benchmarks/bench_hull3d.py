"""3D convex hulls: geoent's exact hull against scipy (Qhull) and CGAL.

Contenders, in one process on the same seeded array, each warmed up first (numba
loads or compiles there; the first call is reported apart):

* ``geoent``: ``geoent._hull3d.hull3d(pts)`` on validated input, the whole call
  (exponent check, sample hull, filter, exact incremental hull, coplanar merge,
  output arrays). Single-threaded.
* ``scipy``: ``scipy.spatial.ConvexHull(pts)`` (Qhull, floating point with
  tolerances).
* ``cgal`` (script mode, ``--cgal``): ``CGAL.convex_hull_3`` into a
  ``Polyhedron_3`` (Epick kernel, exact predicates); building the Python list of
  ``Point_3`` objects is timed apart and not counted.

Every geoent result is checked: its vertex set must equal scipy's on random
general-position input (cube, ball, sphere, gaussian3d), and be exactly the eight
corners on the integer lattice (scipy merges coplanar facets with tolerances; on
a full lattice the corners are unambiguous).

Script mode prints a markdown table (median milliseconds over ``--rounds``;
``x scipy`` is scipy's median over geoent's, above 1 when geoent is faster)::

    python benchmarks/bench_hull3d.py --sizes 1e3,1e4,1e5,1e6 --rounds 5
    python benchmarks/bench_hull3d.py --sizes 1e5 --cgal
    python benchmarks/bench_hull3d.py --cold      # compile time in a fresh cache

pytest-benchmark mode (CI runs it with ``--benchmark-disable``: small inputs, one
call each, results checked)::

    python -m pytest benchmarks/bench_hull3d.py --benchmark-enable
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import pytest
from scipy.spatial import ConvexHull

from geoent._hull3d import hull3d
from geoent._validation import as_points
from geoent.datasets import make_points

DISTRIBUTIONS = ("cube", "ball", "sphere", "gaussian3d", "lattice")
GENERAL_POSITION = ("cube", "ball", "sphere", "gaussian3d")
CGAL_MAX_N = 1_000_000


def geoent_vertices(pts):
    return hull3d(pts).vertices


def scipy_vertices(pts):
    return np.sort(ConvexHull(pts).vertices)


def expected_vertices(name, pts):
    """The exact vertex set where an independent answer exists, else None."""
    if name in GENERAL_POSITION:
        return scipy_vertices(pts)
    if name == "lattice":
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        on = np.ones(len(pts), dtype=bool)
        for ax in range(3):
            on &= np.isin(pts[:, ax], (lo[ax], hi[ax]))
        corners = np.flatnonzero(on)
        # a partly filled top layer: only check full cubes
        return corners if len(corners) == 8 else None
    return None


def check(name, pts, got):
    want = expected_vertices(name, pts)
    if want is not None:
        assert np.array_equal(np.asarray(got), want), f"{name}: vertex set differs"


# ---------------------------------------------------------------------------
# pytest-benchmark
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", DISTRIBUTIONS)
@pytest.mark.parametrize("who", ["geoent", "scipy"])
def test_hull3d(benchmark, shrink, points_cache, name, who):
    n = shrink(100_000, small=2_000)
    pts = as_points(points_cache(name, n, 0), ndim=3)
    fn = geoent_vertices if who == "geoent" else scipy_vertices
    fn(pts)  # warm-up: numba loads or compiles here
    got = benchmark(fn, pts)
    if who == "geoent":
        check(name, pts, got)
    benchmark.extra_info.update({"n": n, "distribution": name, "h": len(got)})


def test_hull3d_sphere_large_checked(shrink, points_cache):
    # points in convex position take the path without filtering
    n = shrink(300_000, small=25_000)
    pts = as_points(points_cache("sphere", n, 1), ndim=3)
    h = hull3d(pts)
    assert len(h.vertices) == n
    assert np.array_equal(h.vertices, scipy_vertices(pts))


# ---------------------------------------------------------------------------
# script mode
# ---------------------------------------------------------------------------


def median_seconds(fn, rounds):
    ts = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), min(ts)


def cgal_runner():
    try:
        from CGAL.CGAL_Convex_hull_3 import convex_hull_3
        from CGAL.CGAL_Kernel import Point_3
        from CGAL.CGAL_Polyhedron_3 import Polyhedron_3
    except ImportError:
        return None

    def prepare(pts):
        return [Point_3(x, y, z) for x, y, z in pts.tolist()]

    def run(pl):
        poly = Polyhedron_3()
        convex_hull_3(pl, poly)
        return poly.size_of_vertices()

    return prepare, run


def cold_compile_seconds():
    """Seconds of the first call in a fresh interpreter with an empty numba cache."""
    code = (
        "import time, numpy as np\n"
        "t = time.perf_counter()\n"
        "from geoent._hull3d import hull3d\n"
        "hull3d(np.random.default_rng(0).random((5000, 3)))\n"
        "hull3d(np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0]]))\n"
        "print(time.perf_counter() - t)\n"
    )
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    ap.add_argument("--distributions", default=",".join(DISTRIBUTIONS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cgal", action="store_true", help="also time CGAL (slow to prepare)")
    ap.add_argument("--cold", action="store_true", help="measure cold compile time")
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    names = args.distributions.split(",")

    t = time.perf_counter()
    hull3d(as_points(make_points("ball", 5000, 0), ndim=3))
    hull3d(as_points([[0.0, 0, 0], [1, 0, 0], [0, 1, 0]], ndim=3))
    first = time.perf_counter() - t
    cg = cgal_runner() if args.cgal else None

    head = "| distribution | n | h | geoent ms | scipy ms | x scipy |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if cg:
        head += " cgal ms | x cgal |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    for name in names:
        for n in sizes:
            pts = as_points(make_points(name, n, 0), ndim=3)
            got = geoent_vertices(pts)
            check(name, pts, got)
            tg, _ = median_seconds(lambda pts=pts: geoent_vertices(pts), args.rounds)
            peer_rounds = args.rounds if n < 1_000_000 else max(1, args.rounds // 2)
            ts, _ = median_seconds(lambda pts=pts: ConvexHull(pts), peer_rounds)
            row = f"| {name} | {n:,} | {len(got):,} | {tg * 1e3:.2f} | {ts * 1e3:.1f} |"
            row += f" {ts / tg:.1f} |"
            if cg:
                if n <= CGAL_MAX_N:
                    pl = cg[0](pts)
                    tc, _ = median_seconds(lambda pl=pl: cg[1](pl), peer_rounds)
                    row += f" {tc * 1e3:.1f} | {tc / tg:.1f} |"
                else:
                    row += " - | - |"
            print(row, flush=True)
    print()
    print(f"first call in this process (cache load or compile): {first:.2f} s")
    if args.cold:
        print(f"cold compile (fresh numba cache, new interpreter): {cold_compile_seconds():.1f} s")


if __name__ == "__main__":
    main()
