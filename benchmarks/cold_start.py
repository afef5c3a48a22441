"""Cold start of every kernel family: import, first call (compile), cached first call.

Each family runs in a fresh Python process with a fresh, empty ``NUMBA_CACHE_DIR``
(the "cold" run: the first call compiles), then in a second fresh process with the
cache the first one wrote (the "cached" run: the first call loads machine code).
Every process reports wall time and CPU time (``time.process_time()``, all threads
of the child) for ``import geoent``, the first call and the second call; on a shared
machine the CPU time is the steadier figure, since wall time grows with the load.

``--events`` also records numba's ``numba:compile`` events in the cold run and prints,
per family, the dispatchers whose own compile time (time inside the event less the
time of the compiles nested in it) is largest: where the compile time goes.

Usage::

    python benchmarks/cold_start.py                     # every family
    python benchmarks/cold_start.py --families hull2d,batched --events
    python benchmarks/cold_start.py --json out.json

The targets (issue 13) are at most 2 s cold per family, at most 0.2 s cached, and
``import geoent`` at most 0.3 s. The table says whether the family ran on the
ahead-of-time kernels (``geoent._aot.status()``: ``aot``, or why not) and how
many numba compiles its cold first call started (0 when everything it calls is
compiled ahead of time), and whether the first call imported numba or
``scipy.spatial`` (nothing is imported before it, except with ``--events``, which
imports numba first to record its events). ``GEOENT_JIT_ONLY=1`` measures the JIT
path. This is a benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = 1000  # points per call, as in the table

FAMILIES = {
    "hull2d": "convex_hull on 1,000 uniform 2D points",
    "batched": "convex_hulls on 100 sets of 10 points",
    "hull3d": "ConvexHull on 1,000 uniform 3D points",
    "delaunay": "delaunay on 1,000 uniform 2D points",
    "entropy": "range_partition_entropy on 1,000 uniform 2D points",
    "instance_optimal": 'convex_hull(method="instance_optimal") on 1,000 points',
    "predicates": "orient2d, incircle, orient3d, insphere on 1,000 rows",
    "delaunay3d": "delaunay and Delaunay (find_simplex) on 1,000 3D points",
    "voronoi": "Voronoi on 1,000 2D and on 1,000 3D points, with their regions",
    "interpolate": "griddata (linear, cubic) on 1,000 2D points and linear on 1,000 3D points",
    # not warm-up families of geoent.warmup: the local calls below
    "hull2d_class": "ConvexHull on 1,000 uniform 2D points",
    "hull3d_fn": "convex_hull on 1,000 uniform 3D points (no scipy object)",
    "hull2d_1e5": "convex_hull on 100,000 uniform 2D points (the filters)",
    # issue 13's table for the families added since (one call each)
    "delaunay3d_fn": "delaunay on 1,000 uniform 3D points",
    "Delaunay3d": "Delaunay on 1,000 uniform 3D points, find_simplex of 50 queries",
    "voronoi2d": "Voronoi on 1,000 uniform 2D points, regions",
    "voronoi3d": "Voronoi on 1,000 uniform 3D points, regions",
    "griddata2d": "griddata (linear) of 1,000 uniform 2D points at 10 queries",
    "cubic2d": "griddata (cubic) of 1,000 uniform 2D points at 10 queries",
    "griddata3d": "griddata (linear) of 1,000 uniform 3D points at 10 queries",
}


def _call(family):
    """The data (built before geoent is imported) and a function of geoent making the
    call: the calls of ``geoent.warmup``, for geoent versions that lack that module."""
    import numpy as np

    rng = np.random.default_rng(0)
    p2, p3 = rng.random((N, 2)), rng.random((N, 3))
    small, offs = rng.random((1000, 2)), np.arange(0, 1001, 10)
    rows2 = [rng.random((N, 2)) for _ in range(4)]
    rows3 = [rng.random((N, 3)) for _ in range(5)]
    p2_1e5 = rng.random((100_000, 2))

    def predicates(g):
        g.predicates.orient2d(*rows2[:3])
        g.predicates.incircle(*rows2)
        g.predicates.orient3d(*rows3[:4])
        g.predicates.insphere(*rows3)

    def delaunay3d(g):  # geoent.warmup's (for versions without that family)
        g.delaunay(p3)
        g.Delaunay(p3).find_simplex(rows3[0][:50])

    def voronoi(g):
        return g.Voronoi(p2).regions, g.Voronoi(p3).regions

    def griddata(pts, method="linear"):
        def call(g):
            from geoent.interpolate import griddata

            return griddata(pts, pts[:, 0], pts[:10], method=method)

        return call

    def interpolate(g):
        from geoent.interpolate import griddata

        q2, q3 = rows2[0][:50], rows3[0][:50]
        griddata(p2, p2[:, 0], q2, method="linear")
        griddata(p2, p2[:, 0], q2, method="cubic")
        griddata(p3, p3[:, 0], q3, method="linear")

    return {
        "hull2d": lambda g: g.convex_hull(p2),
        "batched": lambda g: g.convex_hulls(small, offs),
        "hull3d": lambda g: g.ConvexHull(p3),
        "delaunay": lambda g: g.delaunay(p2),
        "entropy": lambda g: g.range_partition_entropy(p2),
        "instance_optimal": lambda g: g.convex_hull(p2, method="instance_optimal"),
        "predicates": predicates,
        "hull2d_class": lambda g: g.ConvexHull(p2),
        "hull3d_fn": lambda g: g.convex_hull(p3),
        "hull2d_1e5": lambda g: g.convex_hull(p2_1e5),
        "delaunay3d": delaunay3d,
        "voronoi": voronoi,
        "interpolate": interpolate,
        "delaunay3d_fn": lambda g: g.delaunay(p3),
        "Delaunay3d": lambda g: g.Delaunay(p3).find_simplex(rows3[0][:50]),
        "voronoi2d": lambda g: g.Voronoi(p2).regions,
        "voronoi3d": lambda g: g.Voronoi(p3).regions,
        "griddata2d": griddata(p2),
        "cubic2d": griddata(p2, "cubic"),
        "griddata3d": griddata(p3),
    }[family]


def _dispatcher_name(disp):
    f = getattr(disp, "py_func", None)
    if f is None:
        return repr(disp)
    return f"{f.__module__.removeprefix('geoent._kernels.')}.{f.__qualname__}"


def _own_compile_times(buffer):
    """(name, own seconds, inclusive seconds, count) per dispatcher from recorded events."""
    stack, own, incl, count = [], {}, {}, {}
    for t, ev in buffer:
        if ev.is_start:
            stack.append([ev, t, 0.0])
        else:
            e, t0, child = stack.pop()
            dt = t - t0
            name = _dispatcher_name(e.data["dispatcher"])
            own[name] = own.get(name, 0.0) + dt - child
            incl[name] = incl.get(name, 0.0) + dt
            count[name] = count.get(name, 0) + 1
            if stack:
                stack[-1][2] += dt
    rows = [(k, own[k], incl[k], count[k]) for k in own]
    return sorted(rows, key=lambda r: -r[1])


def _compiles_so_far():
    """Compiles of geoent's numba dispatchers in this process (cache misses)."""
    if "numba" not in sys.modules:
        return 0
    from numba.core.dispatcher import Dispatcher

    seen, total = set(), 0
    for name, mod in list(sys.modules.items()):
        if not name.startswith("geoent") or mod is None:
            continue
        for obj in list(vars(mod).values()):
            if isinstance(obj, Dispatcher) and id(obj) not in seen:
                seen.add(id(obj))
                total += sum(obj._cache_misses.values())
    return total


def child(family, events):
    """Run in the child process: time import, first and second call; print JSON."""
    local = _call(family)
    w0, c0 = time.perf_counter(), time.process_time()
    import geoent

    w1, c1 = time.perf_counter(), time.process_time()
    out = {"import_wall": w1 - w0, "import_cpu": c1 - c0}
    try:  # the package's own warm-up calls (the same calls on the same kind of data)
        from geoent.warmup import family_call

        call = family_call(family)
        fn = lambda g: call()  # noqa: E731
    except (ImportError, ValueError):  # no geoent.warmup, or not one of its families
        fn = local
    # With ``--events`` numba's compile events are recorded, which imports numba
    # before the call (its import is then not in the first call's time). Otherwise
    # nothing is imported ahead: the first call pays for what it imports (numba,
    # scipy.spatial), and its compiles are counted afterwards from the dispatchers'
    # cache misses (a compile is a miss; 0 when numba was never imported).
    if events:
        from numba.core.event import install_recorder

        with install_recorder("numba:compile") as rec:
            w1, c1 = time.perf_counter(), time.process_time()
            fn(geoent)
            w2, c2 = time.perf_counter(), time.process_time()
        out["dispatchers"] = _own_compile_times(rec.buffer)
        out["jit_compiles"] = sum(1 for _, ev in rec.buffer if ev.is_start)
    else:
        w1, c1 = time.perf_counter(), time.process_time()
        fn(geoent)
        w2, c2 = time.perf_counter(), time.process_time()
        out["jit_compiles"] = _compiles_so_far()
    out["numba_imported"] = "numba" in sys.modules
    out["scipy_spatial_imported"] = "scipy.spatial" in sys.modules
    try:
        from geoent import _aot

        out["aot"] = _aot.status()
    except ImportError:  # a geoent from before the ahead-of-time build
        out["aot"] = "n/a"
    out.update(first_wall=w2 - w1, first_cpu=c2 - c1)
    second = []
    for _ in range(7):
        t = time.perf_counter()
        fn(geoent)
        second.append(time.perf_counter() - t)
    out["second_wall"] = sorted(second)[len(second) // 2]
    print("COLD_START_JSON " + json.dumps(out))


def _run_child(family, cache, events):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache))
    cmd = [sys.executable, __file__, "--child", family] + (["--events"] if events else [])
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        if line.startswith("COLD_START_JSON "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"{family}: child failed\n{proc.stdout}\n{proc.stderr}")


def _imported(r):
    names = [m for m in ("numba", "scipy_spatial") if r.get(f"{m}_imported")]
    return ", ".join(n.replace("_", ".") for n in names) or "neither numba nor scipy.spatial"


def _fmt(s):
    return f"{s * 1e3:.2f} ms" if s < 0.1 else f"{s:.2f} s"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--events", action="store_true", help="per-dispatcher compile times")
    ap.add_argument("--top", type=int, default=8, help="dispatchers listed per family")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        return child(a.child, a.events)
    fams = [f.strip() for f in a.families.split(",") if f.strip()]
    unknown = set(fams) - set(FAMILIES)
    if unknown:
        ap.error(f"unknown families {sorted(unknown)}; known: {list(FAMILIES)}")
    print(f"load average at start: {os.getloadavg()}")
    results = {}
    for fam in fams:
        with tempfile.TemporaryDirectory(prefix="geoent-cold-") as cache:
            cold = _run_child(fam, cache, a.events)
            cached = _run_child(fam, cache, False)
        results[fam] = {"cold": cold, "cached": cached}
        print(
            f"  {fam}: cold {_fmt(cold['first_wall'])}, cached {_fmt(cached['first_wall'])}",
            file=sys.stderr,
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()}")
    print()
    print(
        "| family | import wall (cpu) | first call cold, wall (cpu) "
        "| first call cached, wall (cpu) | second call | AOT | JIT compiles (cold) "
        "| first call imported |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for fam, r in results.items():
        c, k = r["cold"], r["cached"]
        print(
            f"| {fam} | {_fmt(c['import_wall'])} ({_fmt(c['import_cpu'])}) "
            f"| {_fmt(c['first_wall'])} ({_fmt(c['first_cpu'])}) "
            f"| {_fmt(k['first_wall'])} ({_fmt(k['first_cpu'])}) "
            f"| {_fmt(k['second_wall'])} | {c.get('aot', 'n/a')} | {c.get('jit_compiles', '?')} "
            f"| {_imported(k)} |"
        )
    tot = sum(r["cold"]["first_cpu"] for r in results.values())
    print(
        f"\nsum of cold first calls (cpu): {tot:.1f} s "
        "(families share helpers, so one process compiling all of them spends less)"
    )
    if a.events:
        for fam, r in results.items():
            print(f"\n{fam}: dispatchers by own compile time (cold; own = less nested compiles)")
            print("| dispatcher | own | inclusive | compiles |")
            print("|---|---|---|---|")
            for name, own, incl, cnt in r["cold"]["dispatchers"][: a.top]:
                print(f"| {name} | {own:.2f} s | {incl:.2f} s | {cnt} |")
    if a.json:
        a.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
