"""2D Delaunay: geoent (each insertion order) against scipy, shapely, Triangle and CGAL.

Contenders, all in one process on the same seeded array:

* ``geoent-hilbert`` / ``geoent-brio`` / ``geoent-none``: ``geoent.delaunay(pts,
  order=...)``, the whole call (validation, ordering, kernel, output);
* ``scipy``: ``scipy.spatial.Delaunay(pts).simplices`` (Qhull);
* ``shapely``: ``shapely.delaunay_triangles(geom)`` (GEOS); building ``geom =
  shapely.multipoints(pts)`` is timed apart (column ``build``), and the result is
  a geometry collection, not an index array;
* ``triangle``: ``triangle.delaunay(pts)`` (Shewchuk's Triangle, PyPI package);
* ``cgal``: ``Delaunay_triangulation_2().insert(list_of_Point_2)`` from the
  ``cgal`` PyPI bindings (spatial sort + insertion; building the ``Point_2`` list
  is timed apart; triangles are not extracted, which would cost far more in
  Python), only when ``import CGAL`` works.

Every timed contender gets a warm-up call first (numba compiles or loads its
cache there). geoent's output is checked on every benchmarked input: the triangle
count must be ``2n - h - 2``-consistent with Triangle's (same distinct points and
hull), and, up to ``--validate-max`` points, the full exact validator runs.

Script mode prints a markdown table (median seconds, and the ratio of the best
peer's time to geoent's default order: above 1 means geoent is faster)::

    python benchmarks/bench_delaunay.py --sizes 1e3,1e4,1e5,1e6 --rounds 3

``--clock cpu`` times with ``time.process_time`` instead of wall time: every
contender is single-threaded, so on a shared machine with more runnable jobs than
cores the CPU time is the fairer figure. scipy and ``order="none"`` are skipped at
1e6 unless ``--all`` is given (scipy takes 10 s or more there), and a contender
whose time at the previous size, scaled linearly, exceeds ``--budget`` seconds is
skipped (scipy on points on a circle grows much faster than linearly).

pytest-benchmark mode (CI runs it with ``--benchmark-disable``: tiny inputs, one
call each, results checked)::

    python -m pytest benchmarks/bench_delaunay.py --benchmark-enable
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
import pytest

import geoent
from geoent.datasets import make_points
from geoent.testing import validate_triangulation

DISTRIBUTIONS = ("uniform", "gaussian", "grid", "rotated_grid", "kuzmin", "circle")
ORDERS = ("hilbert", "brio", "none")
PEERS = ("scipy", "shapely", "triangle", "cgal")


def _have_cgal():
    try:
        from CGAL.CGAL_Kernel import Point_2  # noqa: F401
        from CGAL.CGAL_Triangulation_2 import Delaunay_triangulation_2  # noqa: F401
    except Exception:  # noqa: BLE001 - any import failure means "not available"
        return False
    return True


HAVE_CGAL = _have_cgal()


def contender(name, pts):
    """``(prepare_seconds, fn)``: what to time for ``name`` on ``pts``."""
    if name.startswith("geoent-"):
        order = name.split("-", 1)[1]
        return 0.0, lambda: geoent.delaunay(pts, order=order)
    if name == "scipy":
        from scipy.spatial import Delaunay

        return 0.0, lambda: Delaunay(pts).simplices
    if name == "triangle":
        import triangle

        return 0.0, lambda: triangle.delaunay(pts)
    if name == "shapely":
        import shapely

        t = time.perf_counter()
        geom = shapely.multipoints(pts)
        return time.perf_counter() - t, lambda: shapely.delaunay_triangles(geom)
    if name == "cgal":
        from CGAL.CGAL_Kernel import Point_2
        from CGAL.CGAL_Triangulation_2 import Delaunay_triangulation_2

        t = time.perf_counter()
        plist = [Point_2(float(x), float(y)) for x, y in pts]
        prep = time.perf_counter() - t

        def run():
            dt = Delaunay_triangulation_2()
            dt.insert(plist)
            return dt.number_of_faces()

        return prep, run
    raise ValueError(name)


def check_geoent(pts, tri, validate_max):
    """Exact validation up to ``validate_max`` points, else a count check vs Triangle."""
    if len(pts) <= validate_max:
        validate_triangulation(pts, tri)
        return "valid"
    import triangle

    ref = triangle.delaunay(pts)
    # same number of triangles as Triangle's (both use every distinct point)
    assert len(tri) == len(ref), (len(tri), len(ref))
    assert np.unique(tri).size == np.unique(ref).size
    return "count"


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}


def time_fn(fn, rounds, budget, clock=time.perf_counter):
    """Median and min of ``rounds`` calls after one warm-up (fewer when slow)."""
    t = clock()
    out = fn()
    first = clock() - t
    times = []
    for _ in range(rounds):
        if times and sum(times) + first > budget:
            break
        t = clock()
        fn()
        times.append(clock() - t)
    if not times:
        times = [first]
    return statistics.median(times), min(times), out


def run_table(
    sizes, dists, orders, peers, rounds, budget, validate_max, skip_slow, clock="wall", out=print
):
    contenders = [f"geoent-{o}" for o in orders] + [p for p in peers if p != "cgal" or HAVE_CGAL]
    head = ["distribution", "n", *contenders, "best peer", "peer/geoent", "check"]
    out("| " + " | ".join(head) + " |")
    out("|" + "---|" * len(head))
    geoent.delaunay(make_points("uniform", 100, 0))  # load/compile once
    rows = []
    for dist in dists:
        last = {}  # contender -> (n, seconds) at the previous size
        for n in sizes:
            pts = make_points(dist, n, seed=0)
            res = {}
            check = ""
            for c in contenders:
                slow = skip_slow and n >= 1_000_000 and c in ("scipy", "geoent-none")
                # a call predicted (linearly, optimistically) to exceed the budget
                if c in last and last[c][1] * n / last[c][0] > budget:
                    slow = True
                if slow and c != f"geoent-{orders[0]}":
                    res[c] = None
                    continue
                prep, fn = contender(c, pts)
                med, mn, result = time_fn(fn, rounds, budget, CLOCKS[clock])
                res[c] = (med, prep)
                last[c] = (n, med)
                if c == f"geoent-{orders[0]}":
                    check = check_geoent(pts, result, validate_max)
            peer_times = {c: v[0] for c, v in res.items() if v and not c.startswith("geoent")}
            ours = res.get(f"geoent-{orders[0]}")
            best = min(peer_times, key=peer_times.get) if peer_times else None
            ratio = f"{peer_times[best] / ours[0]:.2f}" if best and ours else ""
            cells = []
            for c in contenders:
                v = res[c]
                if v is None:
                    cells.append("skipped")
                elif v[1]:
                    cells.append(f"{v[0]:.4f} (+{v[1]:.3f} build)")
                else:
                    cells.append(f"{v[0]:.4f}")
            out(
                f"| {dist} | {n:.0e} | "
                + " | ".join(cells)
                + f" | {best or ''} | {ratio} | {check} |"
            )
            rows.append((dist, n, res))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    ap.add_argument("--dists", default=",".join(DISTRIBUTIONS))
    ap.add_argument("--orders", default=",".join(ORDERS))
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--budget", type=float, default=20.0, help="seconds per contender and input")
    ap.add_argument("--validate-max", type=int, default=100_000)
    ap.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall: perf_counter; cpu: process_time (every contender here is single-threaded, "
        "so on a shared, oversubscribed machine CPU time is the fairer measure)",
    )
    ap.add_argument(
        "--all", action="store_true", help="also run scipy and order='none' at 1e6 (slow)"
    )
    a = ap.parse_args(argv)
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    print(f"CGAL bindings: {'available' if HAVE_CGAL else 'not importable, skipped'}")
    print(f"clock: {a.clock}; times are medians in seconds")
    print(f"command: python benchmarks/bench_delaunay.py {' '.join(argv or sys.argv[1:])}\n")
    run_table(
        sizes,
        a.dists.split(","),
        a.orders.split(","),
        a.peers.split(","),
        a.rounds,
        a.budget,
        a.validate_max,
        not a.all,
        a.clock,
    )


# ---------------------------------------------------------------------------
# pytest-benchmark
# ---------------------------------------------------------------------------


def _n(request, n):
    disabled = request.config.getoption("benchmark_disable") and not request.config.getoption(
        "benchmark_enable"
    )
    return 300 if disabled else n


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_bench_geoent(benchmark, request, dist, order):
    n = _n(request, 100_000 if order != "none" else 20_000)
    pts = make_points(dist, n, seed=0)
    geoent.delaunay(pts[:50], order=order)
    tri = benchmark(geoent.delaunay, pts, order=order)
    validate_triangulation(pts, tri)
    benchmark.extra_info.update(n=n, distribution=dist, order=order)


@pytest.mark.parametrize("peer", PEERS)
@pytest.mark.parametrize("dist", DISTRIBUTIONS)
def test_bench_peer(benchmark, request, dist, peer):
    if peer == "cgal" and not HAVE_CGAL:
        pytest.skip("CGAL bindings not importable")
    n = _n(request, 100_000 if peer != "scipy" else 20_000)
    pts = make_points(dist, n, seed=0)
    prep, fn = contender(peer, pts)
    result = benchmark(fn)
    assert result is not None
    benchmark.extra_info.update(n=n, distribution=dist, build_s=prep)


if __name__ == "__main__":
    main()
