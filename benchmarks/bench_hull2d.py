"""2D convex hulls: geoent's methods against scipy (Qhull) and shapely (GEOS).

Contenders, all in one process on the same seeded array, each warmed up first
(numba loads or compiles there; first-call times are reported apart):

* ``geoent-auto`` / ``geoent-monotone`` / ``geoent-instance_optimal``:
  ``geoent.convex_hull(pts, method=...)``, the whole call (validation, filters,
  exact chain, output);
* ``scipy``: ``scipy.spatial.ConvexHull(pts).vertices``;
* ``shapely``: ``shapely.convex_hull(geom)``; building ``geom =
  shapely.multipoints(pts)`` is timed apart (column ``build``).

Batched: 100,000 sets of 16 uniform points, and 100,000 ragged sets of 6 to 40,
through ``geoent.convex_hulls`` (one thread, and all threads), a Python loop over
``scipy.spatial.ConvexHull`` (timed on the first 2,000 sets and extrapolated
linearly to all of them; the table says so), and shapely's vectorised
``shapely.convex_hull`` over ``shapely.multipoints(pts, indices=...)`` (building
timed apart).

Every geoent result is checked: against scipy's vertex set on random
general-position input, else against the plain reference kernel (sort + Andrew's
chain, no filters).

Script mode prints markdown tables (median milliseconds, and for geoent's first
column also the fastest round; ``x scipy`` and ``x best peer`` are the peer's median
over geoent's, above 1 when geoent is faster)::

    python benchmarks/bench_hull2d.py --sizes 1e3,1e4,1e5,1e6,1e7 --rounds 5
    python benchmarks/bench_hull2d.py --cold   # compile time in a fresh cache

pytest-benchmark mode (CI runs it with ``--benchmark-disable``: tiny inputs, one
call each, results checked; speedups go into ``extra_info`` when timing)::

    python -m pytest benchmarks/bench_hull2d.py --benchmark-enable
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

import geoent
from geoent._kernels import hull2d as _K
from geoent.datasets import make_points

DISTRIBUTIONS = (
    "uniform",
    "disk",
    "gaussian",
    "circle",
    "annulus",
    "kuzmin",
    "grid",
    "rotated_grid",
    "duplicates",
    "offset",
)
GENERAL_POSITION = ("uniform", "disk", "gaussian", "kuzmin")
METHODS = ("auto", "monotone", "instance_optimal")
PEERS = ("scipy", "shapely")
SCIPY_LOOP_SUBSET = 2_000


# ---------------------------------------------------------------------------
# contenders and checks
# ---------------------------------------------------------------------------


def contender(name, pts):
    """``(build_seconds, fn)``: what to time for ``name`` on ``pts``."""
    if name.startswith("geoent-"):
        method = name.split("-", 1)[1]
        return 0.0, lambda: geoent.convex_hull(pts, method=method)
    if name == "scipy":
        from scipy.spatial import ConvexHull

        return 0.0, lambda: ConvexHull(pts).vertices
    if name == "shapely":
        import shapely

        t = time.perf_counter()
        geom = shapely.multipoints(pts)
        return time.perf_counter() - t, lambda: shapely.convex_hull(geom)
    raise ValueError(name)


def reference(pts):
    """Plain exact hull: lexsort, drop duplicates, Andrew's chain (no filters)."""
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    s = pts[order]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])
    return _K.monotone_chain(pts[:, 0].copy(), pts[:, 1].copy(), order[keep])


def check(dist, pts, got, scipy_vertices=None):
    """Raise unless ``got`` is the exact hull; returns how it was checked."""
    if dist in GENERAL_POSITION and scipy_vertices is not None:
        assert sorted(got.tolist()) == sorted(np.asarray(scipy_vertices).tolist())
        return "= scipy"
    assert np.array_equal(got, reference(pts))
    return "= reference"


def time_fn(fn, rounds, budget):
    """Median, min and output of up to ``rounds`` timed samples after one warm-up.

    Fast calls are repeated within a sample (at least ~5 ms of work per sample) so
    that timer resolution and scheduling noise do not dominate small inputs.
    """
    t = time.perf_counter()
    out = fn()
    first = time.perf_counter() - t
    inner = max(1, min(1000, int(0.005 / max(first, 1e-7))))
    times = []
    for _ in range(rounds):
        if times and sum(times) * inner + first > budget:
            break
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        times.append((time.perf_counter() - t) / inner)
    if not times:
        times = [first]
    return statistics.median(times), min(times), out


# ---------------------------------------------------------------------------
# batched inputs
# ---------------------------------------------------------------------------


def batch(kind, m, seed=0):
    """``(points, offsets)``: m sets of 16 uniform points, or ragged 6..40."""
    rng = np.random.default_rng(seed)
    sizes = np.full(m, 16) if kind == "16" else rng.integers(6, 41, m)
    offsets = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    return rng.random((int(offsets[-1]), 2)), offsets


def batch_contender(name, pts, offsets):
    """``(build_seconds, fn, scale)``: the timed call and the factor to extrapolate by."""
    m = len(offsets) - 1
    if name.startswith("geoent"):
        import numba

        threads = 1 if name.endswith("1thread") else numba.config.NUMBA_NUM_THREADS

        def run():
            old = numba.get_num_threads()
            numba.set_num_threads(threads)
            try:
                return geoent.convex_hulls(pts, offsets)
            finally:
                numba.set_num_threads(old)

        return 0.0, run, 1.0
    if name == "scipy-loop":
        from scipy.spatial import ConvexHull

        k = min(m, SCIPY_LOOP_SUBSET)

        def loop():
            return [ConvexHull(pts[offsets[i] : offsets[i + 1]]).vertices for i in range(k)]

        return 0.0, loop, m / k
    if name == "shapely":
        import shapely

        t = time.perf_counter()
        ids = np.repeat(np.arange(m), np.diff(offsets))
        geom = shapely.multipoints(pts, indices=ids)
        return time.perf_counter() - t, lambda: shapely.convex_hull(geom), 1.0
    raise ValueError(name)


def check_batch(pts, offsets, idx, ioff, sample=500):
    """Spot-check batched hulls against single calls."""
    m = len(offsets) - 1
    for i in np.linspace(0, m - 1, min(m, sample)).astype(int):
        want = geoent.convex_hull(pts[offsets[i] : offsets[i + 1]])
        assert np.array_equal(idx[ioff[i] : ioff[i + 1]], want)


# ---------------------------------------------------------------------------
# script mode
# ---------------------------------------------------------------------------


def _fmt(v):
    return "skipped" if v is None else f"{v * 1e3:.2f}"


def run_table(sizes, dists, methods, peers, rounds, budget, max_peer_s, out=print):
    contenders = [f"geoent-{m}" for m in methods] + list(peers)
    head = ["distribution", "n", *contenders, "build (shapely)", "x scipy", "x best peer", "check"]
    out("| " + " | ".join(head) + " |")
    out("|" + "---|" * len(head))
    slow = set()  # (contender, dist): took longer than max_peer_s at a smaller n
    rows = []
    for dist in dists:
        for n in sizes:
            pts = make_points(dist, n, seed=0)
            res = {}
            build = None
            for c in contenders:
                if (c, dist) in slow:
                    res[c] = None
                    continue
                prep, fn = contender(c, pts)
                med, mn, result = time_fn(fn, rounds, budget)
                res[c] = med
                res[f"_min_{c}"] = mn
                if c == "shapely":
                    build = prep
                if c == "scipy":
                    res["_scipy_vertices"] = result
                if c == f"geoent-{methods[0]}":
                    res["_geoent"] = result
                if med > max_peer_s:
                    slow.add((c, dist))
            chk = check(dist, pts, res.pop("_geoent"), res.pop("_scipy_vertices", None))
            ours = res[f"geoent-{methods[0]}"]
            peer_t = {p: res[p] for p in peers if res.get(p)}
            best = min(peer_t, key=peer_t.get) if peer_t else None
            xs = f"{res['scipy'] / ours:.1f}" if res.get("scipy") else ""
            xb = f"{peer_t[best] / ours:.1f} ({best})" if best else ""
            cells = [_fmt(res[c]) for c in contenders]
            # geoent's first column also shows the fastest round: on a shared machine
            # the median can carry other jobs' memory traffic
            if res[contenders[0]] is not None:
                cells[0] += f" (min {res[f'_min_{contenders[0]}'] * 1e3:.2f})"
            b = f"{build * 1e3:.1f}" if build is not None else ""
            out(f"| {dist} | {n:.0e} | " + " | ".join(cells) + f" | {b} | {xs} | {xb} | {chk} |")
            rows.append((dist, n, res))
    return rows


def run_batch_table(m, rounds, budget, out=print):
    names = ["geoent-1thread", "geoent-allthreads", "scipy-loop", "shapely"]
    out(f"| sets | {' | '.join(names)} | build (shapely) | x scipy | x shapely |")
    out("|" + "---|" * (len(names) + 4))
    for kind in ("16", "6-40"):
        pts, offsets = batch(kind, m)
        res = {}
        build = 0.0
        for c in names:
            prep, fn, scale = batch_contender(c, pts, offsets)
            med, mn, result = time_fn(fn, rounds, budget)
            res[c] = med * scale
            res[f"_min_{c}"] = mn * scale
            if c == "shapely":
                build = prep
            if c == "geoent-1thread":
                check_batch(pts, offsets, *result)
        ours = res["geoent-1thread"]
        cells = [_fmt(res[c]) for c in names]
        cells[0] += f" (min {res['_min_geoent-1thread'] * 1e3:.2f})"
        cells[2] += f" (extrapolated from {min(m, SCIPY_LOOP_SUBSET)} sets)"
        xs = res["scipy-loop"] / ours
        xg = res["shapely"] / ours
        out(
            f"| {m} x {kind} | "
            + " | ".join(cells)
            + f" | {build * 1e3:.1f} | {xs:.0f} | {xg:.1f} |"
        )


def first_calls(out=print):
    """First call of each entry point in this process (numba cache load or compile)."""
    pts = make_points("uniform", 50_000, seed=1)
    small = make_points("uniform", 100, seed=1)
    calls = [
        ("convex_hull, small input", lambda: geoent.convex_hull(small)),
        ("convex_hull, filtered path", lambda: geoent.convex_hull(pts)),
        ("method='instance_optimal'", lambda: geoent.convex_hull(pts, method="instance_optimal")),
        ("convex_hulls", lambda: geoent.convex_hulls(pts, [0, 16, 50_000])),
    ]
    for label, fn in calls:
        t = time.perf_counter()
        fn()
        out(f"- first call, {label}: {time.perf_counter() - t:.2f} s")


_COLD = """
import time
t = time.perf_counter(); import geoent, numpy as np; t_import = time.perf_counter() - t
from geoent.datasets import make_points
pts = make_points("uniform", 50_000, 1)
for label, fn in [
    ("convex_hull (small + filter kernels)", lambda: geoent.convex_hull(pts)),
    ("instance_optimal", lambda: geoent.convex_hull(pts, method="instance_optimal")),
    ("convex_hulls", lambda: geoent.convex_hulls(pts, [0, 16, 50_000])),
]:
    t = time.perf_counter(); fn(); dt = time.perf_counter() - t
    print(f"- cold compile, {label}: {dt:.1f} s")
print(f"- import geoent: {t_import:.2f} s")
"""


def cold_compile(out=print):
    """Compile times with an empty numba cache, in a fresh interpreter."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        r = subprocess.run(
            [sys.executable, "-c", _COLD], env=env, capture_output=True, text=True, check=True
        )
    for line in r.stdout.splitlines():
        out(line)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6,1e7")
    ap.add_argument("--dists", default=",".join(DISTRIBUTIONS))
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--budget", type=float, default=10.0, help="seconds per contender and input")
    ap.add_argument(
        "--max-seconds",
        type=float,
        default=20.0,
        help="skip a contender at larger n once one call took longer than this",
    )
    ap.add_argument("--batch", type=int, default=100_000, help="number of sets (0: no batch)")
    ap.add_argument("--cold", action="store_true", help="also measure cold compile times")
    a = ap.parse_args(argv)
    import numba

    print(f"command: python benchmarks/bench_hull2d.py {' '.join(argv or sys.argv[1:])}")
    print(f"numba threads: {numba.config.NUMBA_NUM_THREADS}; hull timings are single-threaded\n")
    first_calls()
    if a.cold:
        cold_compile()
    print()
    run_table(
        [int(float(s)) for s in a.sizes.split(",")],
        a.dists.split(","),
        a.methods.split(","),
        [p for p in a.peers.split(",") if p],
        a.rounds,
        a.budget,
        a.max_seconds,
    )
    if a.batch:
        print()
        run_batch_table(a.batch, a.rounds, a.budget)


# ---------------------------------------------------------------------------
# pytest-benchmark
# ---------------------------------------------------------------------------

_MEDIANS: dict = {}


def _disabled(request):
    return request.config.getoption("benchmark_disable") and not request.config.getoption(
        "benchmark_enable"
    )


def _median(benchmark):
    stats = getattr(benchmark, "stats", None)
    return None if stats is None else stats.stats.median


def _time(benchmark, fn, n):
    """Few rounds for big inputs (pytest-benchmark's calibration would take minutes)."""
    if n >= 1_000_000:
        return benchmark.pedantic(fn, rounds=3, iterations=1, warmup_rounds=1)
    return benchmark(fn)


SIZES = (1_000, 100_000, 1_000_000, 10_000_000)
DISABLED_N = 300


def pytest_generate_tests(metafunc):
    """Timed sizes when benchmarking, one tiny size when benchmarks are disabled (CI)."""
    if "n" in metafunc.fixturenames:
        cfg = metafunc.config
        off = cfg.getoption("benchmark_disable") and not cfg.getoption("benchmark_enable")
        metafunc.parametrize("n", [DISABLED_N] if off else list(SIZES))


# Peers first (file order), so that geoent's speedups can go into extra_info.
@pytest.mark.parametrize("dist", DISTRIBUTIONS)
@pytest.mark.parametrize("peer", PEERS)
def test_bench_peer(benchmark, peer, dist, n):
    if peer == "scipy" and n >= 10_000_000 and dist in ("circle", "annulus"):
        pytest.skip("scipy takes minutes here; see the script mode's table")
    pts = make_points(dist, n, seed=0)
    prep, fn = contender(peer, pts)
    fn()
    result = _time(benchmark, fn, n)
    assert result is not None
    _MEDIANS[(peer, dist, n)] = _median(benchmark)
    benchmark.extra_info.update(n=n, distribution=dist, build_s=prep)


@pytest.mark.parametrize("dist", DISTRIBUTIONS)
@pytest.mark.parametrize("method", METHODS)
def test_bench_geoent(benchmark, method, dist, n):
    pts = make_points(dist, n, seed=0)
    _, fn = contender(f"geoent-{method}", pts)
    fn()
    got = _time(benchmark, fn, n)
    check(dist, pts, got)
    ours = _median(benchmark)
    info = {"n": n, "distribution": dist, "method": method}
    peers = {p: _MEDIANS.get((p, dist, n)) for p in PEERS}
    peers = {p: t for p, t in peers.items() if t}
    if ours and peers:
        if "scipy" in peers:
            info["speedup_vs_scipy"] = peers["scipy"] / ours
        best = min(peers, key=peers.get)
        info["best_peer"] = best
        info["speedup_vs_best_peer"] = peers[best] / ours
    benchmark.extra_info.update(info)


BATCH_CONTENDERS = ("scipy-loop", "shapely", "geoent-1thread", "geoent-allthreads")


@pytest.mark.parametrize("kind", ["16", "6-40"])
@pytest.mark.parametrize("name", BATCH_CONTENDERS)
def test_bench_batched(benchmark, request, name, kind):
    m = 50 if _disabled(request) else 100_000
    pts, offsets = batch(kind, m)
    prep, fn, scale = batch_contender(name, pts, offsets)
    fn()
    result = benchmark.pedantic(fn, rounds=3 if m >= 10_000 else 1, iterations=1)
    if name.startswith("geoent"):
        check_batch(pts, offsets, *result, sample=50)
    med = _median(benchmark)
    info = {"sets": m, "kind": kind, "build_s": prep, "extrapolation_factor": scale}
    if med:
        _MEDIANS[(name, kind)] = med * scale
        ours = _MEDIANS.get(("geoent-1thread", kind))
        if name.startswith("geoent") and ours:
            for peer in ("scipy-loop", "shapely"):
                if _MEDIANS.get((peer, kind)):
                    info[f"speedup_vs_{peer}"] = _MEDIANS[(peer, kind)] / (med * scale)
    benchmark.extra_info.update(info)


if __name__ == "__main__":
    main()
