"""Interpolation and incremental insertion: geoent against scipy (issue 15 targets).

Cases, each contender in this one process on the same seeded arrays, after a
warm-up call on a small input (numba compiles or loads its cache there):

* ``griddata``: ``griddata(points, values, (gx, gy), method="linear")``, n uniform
  points in the unit square onto a g x g grid (geoent.interpolate vs
  scipy.interpolate); the whole call, triangulation included;
* ``linearnd``: ``LinearNDInterpolator(points, values)`` built and evaluated at n
  uniform random queries (construction + evaluation);
* ``linearnd3d``: as ``linearnd`` on n3 uniform points of the unit cube and q3
  queries (``--n3 1e5 --q3 1e6``);
* ``add_points3d``: as ``add_points`` with m points added to a tetrahedralisation
  of n3 points of the unit cube (scipy: Qhull's incremental mode; the check is the
  same set of tetrahedra);
* ``add_points``: m uniform points added to an incremental triangulation of n
  points. Setup (building the n-point object) is not timed. scipy:
  ``Delaunay(pts, incremental=True).add_points(new)`` (Qhull inserts and then
  re-extracts every array); geoent: ``add_points(new)`` alone (insertion; the
  arrays are extracted on next read) and ``add_points(new)`` followed by reading
  ``simplices`` (insertion + extraction, the figure comparable to scipy's).

The geoent results are checked against scipy's on every run (griddata and
linearnd values to 1e-12; add_points: the same triangle set, general position).

Usage (prints a markdown table of medians and ratios scipy / geoent)::

    python benchmarks/bench_interpolate.py --n 1e6 --grid 1000 --add 1e4 --rounds 3
    python benchmarks/bench_interpolate.py --cases linearnd3d,add_points3d \
        --n3 1e5 --q3 1e6 --add 1e4 --rounds 3 --scipy-rounds 1 --clock cpu

``--clock cpu`` uses ``time.process_time`` (every contender is single-threaded;
on a shared machine with more runnable jobs than cores the CPU time is the fairer
figure); the default is wall time.

Threads: the script pins OpenBLAS/OpenMP/numba to one thread (unless the
variables are already set), so that both sides run single-threaded. This matters
for scipy: its interpolators compute barycentric transforms with many tiny LAPACK
calls, and a multi-threaded OpenBLAS on a loaded machine made scipy's first
evaluation of a 1e5-point LinearNDInterpolator take 8.6 s of CPU instead of 0.32 s.
"""

from __future__ import annotations

import os

if __name__ == "__main__":  # as a script only: never change the threads of an importer
    for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
        os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402


def _clock(kind):
    return time.process_time if kind == "cpu" else time.perf_counter


def _median(fn, rounds, clock, setup=None):
    times = []
    out = None
    for _ in range(rounds):
        arg = setup() if setup else None
        t0 = clock()
        out = fn(arg) if setup else fn()
        times.append(clock() - t0)
    return statistics.median(times), times, out


def _data(n, seed=0):
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 2))
    vals = np.sin(6 * pts[:, 0]) * np.cos(5 * pts[:, 1])
    return rng, pts, vals


def bench_griddata(n, g, rounds, clock):
    import scipy.interpolate as si

    from geoent.interpolate import griddata

    _, pts, vals = _data(n)
    gx, gy = np.mgrid[0 : 1 : g * 1j, 0 : 1 : g * 1j]
    griddata(pts[:2000], vals[:2000], (gx[:20, :20], gy[:20, :20]))  # warm-up
    tg, allg, zg = _median(lambda: griddata(pts, vals, (gx, gy)), rounds, clock)
    ts, alls, zs = _median(lambda: si.griddata(pts, vals, (gx, gy)), rounds, clock)
    err = float(np.nanmax(np.abs(zg - zs)))
    same_nan = bool(np.array_equal(np.isnan(zg), np.isnan(zs)))
    return {
        "case": f"griddata linear, {n:.0e} pts -> {g}x{g}",
        "geoent": tg,
        "scipy": ts,
        "rounds_geoent": allg,
        "rounds_scipy": alls,
        "check": f"max |diff| {err:.1e}, same NaN mask {same_nan}",
    }


def _data3(n, seed):
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 3))
    vals = np.sin(6 * pts[:, 0]) * np.cos(5 * pts[:, 1]) + pts[:, 2] ** 2
    return rng, pts, vals


def bench_linearnd(n, nq, rounds, clock, scipy_rounds, dim=2):
    """``LinearNDInterpolator`` built on n points of the unit square (``dim=2``,
    seed 1) or cube (``dim=3``, seed 3) and evaluated at nq queries."""
    import scipy.interpolate as si

    from geoent.interpolate import LinearNDInterpolator

    rng, pts, vals = _data(n, 1) if dim == 2 else _data3(n, 3)
    q = rng.random((nq, dim))
    LinearNDInterpolator(pts[:2000], vals[:2000])(q[:100])  # warm-up
    tg, allg, zg = _median(lambda: LinearNDInterpolator(pts, vals)(q), rounds, clock)
    ts, alls, zs = _median(lambda: si.LinearNDInterpolator(pts, vals)(q), scipy_rounds, clock)
    err = float(np.nanmax(np.abs(zg - zs)))
    same_nan = bool(np.array_equal(np.isnan(zg), np.isnan(zs)))
    return {
        "case": f"{'3D ' if dim == 3 else ''}LinearNDInterpolator build + {nq:.0e} queries, "
        f"{n:.0e} pts",
        "geoent": tg,
        "scipy": ts,
        "rounds_geoent": allg,
        "rounds_scipy": alls,
        "check": f"max |diff| {err:.1e}, same NaN mask {same_nan}",
    }


def bench_add_points(n, m, rounds, clock, scipy_rounds, dim=2):
    """m uniform points added to an incremental triangulation (``dim=2``, seed 2)
    or tetrahedralisation (``dim=3``, seed 4) of n points; two rows, insertion
    alone and insertion + reading ``simplices``."""
    import scipy.spatial as ss

    import geoent

    rng, pts, _ = _data(n, 2) if dim == 2 else _data3(n, 4)
    new = rng.random((m, dim))
    w = geoent.Delaunay(pts[:1000], incremental=True)  # warm-up
    w.add_points(new[:100])
    _ = w.simplices

    def add(d):
        d.add_points(new)
        return d

    def add_read(d):
        d.add_points(new)
        _ = d.simplices
        return d

    t_ins, all_ins, _ = _median(
        add, rounds, clock, setup=lambda: geoent.Delaunay(pts, incremental=True)
    )
    t_read, all_read, dg = _median(
        add_read, rounds, clock, setup=lambda: geoent.Delaunay(pts, incremental=True)
    )
    t_s, all_s, ds = _median(
        add, scipy_rounds, clock, setup=lambda: ss.Delaunay(pts, incremental=True)
    )
    # the same simplices (each row's vertices sorted, rows in lexicographic order)
    a, b = (np.sort(x.simplices, axis=1) for x in (dg, ds))
    a, b = (x[np.lexsort(x.T[::-1])] for x in (a, b))
    same = bool(a.shape == b.shape and np.array_equal(a, b))
    what, head = ("triangles", "") if dim == 2 else ("tetrahedra", "3D ")
    rows = []
    for label, t, times in (
        ("insert only", t_ins, all_ins),
        ("+ read simplices", t_read, all_read),
    ):
        rows.append(
            {
                "case": f"{head}add_points {m:.0e} into {n:.0e} ({label})",
                "geoent": t,
                "scipy": t_s,
                "rounds_geoent": times,
                "rounds_scipy": all_s,
                "check": f"same {what} as scipy {same}",
            }
        )
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=float, default=1e6)
    ap.add_argument("--grid", type=int, default=1000)
    ap.add_argument("--add", type=float, default=1e4)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    ap.add_argument("--n3", type=float, default=1e5, help="points of the 3D cases")
    ap.add_argument("--q3", type=float, default=1e6, help="queries of the 3D case")
    ap.add_argument(
        "--scipy-rounds", type=int, default=None, help="rounds for scipy (default --rounds)"
    )
    ap.add_argument(
        "--cases",
        default="griddata,linearnd,add_points",
        help="comma list of griddata, linearnd, add_points, linearnd3d, add_points3d",
    )
    args = ap.parse_args(argv)
    n, m = int(args.n), int(args.add)
    clock = _clock(args.clock)
    rows = []
    cases = args.cases.split(",")
    if "griddata" in cases:
        rows.append(bench_griddata(n, args.grid, args.rounds, clock))
    if "linearnd" in cases:
        rows.append(bench_linearnd(n, n, args.rounds, clock, args.rounds))
    if "add_points" in cases:
        rows.extend(bench_add_points(n, m, args.rounds, clock, args.rounds))
    sr = args.scipy_rounds or args.rounds
    if "linearnd3d" in cases:
        rows.append(bench_linearnd(int(args.n3), int(args.q3), args.rounds, clock, sr, dim=3))
    if "add_points3d" in cases:
        rows.extend(bench_add_points(int(args.n3), m, args.rounds, clock, sr, dim=3))
    print(f"clock: {args.clock}, rounds: {args.rounds} (median)\n")
    print("| case | geoent s | scipy s | scipy / geoent | check |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['case']} | {r['geoent']:.3f} | {r['scipy']:.3f} | "
            f"{r['scipy'] / r['geoent']:.1f} | {r['check']} |"
        )
    print()
    for r in rows:
        print(
            r["case"],
            "geoent",
            [round(t, 3) for t in r["rounds_geoent"]],
            "scipy",
            [round(t, 3) for t in r["rounds_scipy"]],
        )
    return rows


if __name__ == "__main__":
    main()
