"""Throughput of the exact predicates' batch kernels, in nanoseconds per call.

Three inputs per predicate, each ``n`` queries (one query = the 3, 4 or 5 points of
one call):

* ``random``: uniform in the unit square/cube. The floating-point filter decides
  (almost) every call; compared with ``naive``, the plain double formula in an
  njit loop of the same shape, which is what exactness costs on ordinary input.
* ``near``: the last point on the line/circle/plane/sphere of the others up to
  rounding, then moved by -3..3 ulps: the adaptive and exact stages.
* ``degenerate``: exactly degenerate integer input (collinear points, cocircular
  grid squares, coplanar points, cospherical lattice points), as on grids: the
  allocation-free path for exact coordinate differences. Every answer is 0.

Timing (pytest-benchmark; ``extra_info["ns_per_call"]``)::

    python -m pytest benchmarks/bench_predicates.py --benchmark-enable

A table with the ratio filtered/naive, without pytest::

    python benchmarks/bench_predicates.py [--n 1000000] [--repeats 7]

With ``--benchmark-disable`` (CI) each case runs once on a few hundred queries and
checks its answers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from numba import njit

from geoent._kernels import predicates as K

SPEC = {"orient2d": (2, 3), "incircle": (2, 4), "orient3d": (3, 4), "insphere": (3, 5)}
INPUTS = ("random", "near", "degenerate")
# Queries per timed case; near-degenerate queries cost microseconds each.
TIMED_N = {"random": 1_000_000, "near": 100_000, "degenerate": 1_000_000}


# ---------------------------------------------------------------------------
# The naive formulas: same loop and memory traffic as the kernels, no filter
# ---------------------------------------------------------------------------


@njit(inline="always", cache=True)
def _sign(v):
    return np.int8(1) if v > 0.0 else (np.int8(-1) if v < 0.0 else np.int8(0))


@njit(cache=True)
def naive_orient2d_batch(a, b, c, out):
    for i in range(out.shape[0]):
        det = (a[i, 0] - c[i, 0]) * (b[i, 1] - c[i, 1]) - (a[i, 1] - c[i, 1]) * (b[i, 0] - c[i, 0])
        out[i] = _sign(det)


@njit(cache=True)
def naive_incircle_batch(a, b, c, d, out):
    for i in range(out.shape[0]):
        adx = a[i, 0] - d[i, 0]
        ady = a[i, 1] - d[i, 1]
        bdx = b[i, 0] - d[i, 0]
        bdy = b[i, 1] - d[i, 1]
        cdx = c[i, 0] - d[i, 0]
        cdy = c[i, 1] - d[i, 1]
        alift = adx * adx + ady * ady
        blift = bdx * bdx + bdy * bdy
        clift = cdx * cdx + cdy * cdy
        det = (
            alift * (bdx * cdy - cdx * bdy)
            + blift * (cdx * ady - adx * cdy)
            + clift * (adx * bdy - bdx * ady)
        )
        out[i] = _sign(det)


@njit(cache=True)
def naive_orient3d_batch(a, b, c, d, out):
    for i in range(out.shape[0]):
        adx = a[i, 0] - d[i, 0]
        ady = a[i, 1] - d[i, 1]
        adz = a[i, 2] - d[i, 2]
        bdx = b[i, 0] - d[i, 0]
        bdy = b[i, 1] - d[i, 1]
        bdz = b[i, 2] - d[i, 2]
        cdx = c[i, 0] - d[i, 0]
        cdy = c[i, 1] - d[i, 1]
        cdz = c[i, 2] - d[i, 2]
        det = (
            adz * (bdx * cdy - cdx * bdy)
            + bdz * (cdx * ady - adx * cdy)
            + cdz * (adx * bdy - bdx * ady)
        )
        out[i] = _sign(det)


@njit(cache=True)
def naive_insphere_batch(a, b, c, d, e, out):
    for i in range(out.shape[0]):
        aex = a[i, 0] - e[i, 0]
        aey = a[i, 1] - e[i, 1]
        aez = a[i, 2] - e[i, 2]
        bex = b[i, 0] - e[i, 0]
        bey = b[i, 1] - e[i, 1]
        bez = b[i, 2] - e[i, 2]
        cex = c[i, 0] - e[i, 0]
        cey = c[i, 1] - e[i, 1]
        cez = c[i, 2] - e[i, 2]
        dex = d[i, 0] - e[i, 0]
        dey = d[i, 1] - e[i, 1]
        dez = d[i, 2] - e[i, 2]
        ab = aex * bey - bex * aey
        bc = bex * cey - cex * bey
        cd = cex * dey - dex * cey
        da = dex * aey - aex * dey
        ac = aex * cey - cex * aey
        bd = bex * dey - dex * bey
        abc = aez * bc - bez * ac + cez * ab
        bcd = bez * cd - cez * bd + dez * bc
        cda = cez * da + dez * ac + aez * cd
        dab = dez * ab + aez * bd + bez * da
        alift = aex * aex + aey * aey + aez * aez
        blift = bex * bex + bey * bey + bez * bez
        clift = cex * cex + cey * cey + cez * cez
        dlift = dex * dex + dey * dey + dez * dez
        out[i] = _sign((dlift * abc - clift * dab) + (blift * cda - alift * bcd))


KERNELS = {
    name: {"geoent": getattr(K, f"{name}_batch"), "naive": globals()[f"naive_{name}_batch"]}
    for name in SPEC
}


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


def _nudge(x, rng, ulps=3):
    """Each entry moved by a random -ulps..ulps units in the last place."""
    steps = rng.integers(-ulps, ulps + 1, x.shape)
    for _ in range(ulps):
        x = np.where(
            steps > 0, np.nextafter(x, np.inf), np.where(steps < 0, np.nextafter(x, -np.inf), x)
        )
        steps = steps - np.sign(steps)
    return x


def make_queries(name, kind, n, seed=0):
    """``m`` C-contiguous (n, dim) arrays, one per argument of predicate ``name``."""
    dim, m = SPEC[name]
    rng = np.random.default_rng(seed)
    if kind == "random":
        q = rng.random((n, m, dim))
    elif kind == "near":
        if name in ("orient2d", "orient3d"):
            base = rng.random((n, m - 1, dim))
            w = rng.uniform(-1, 2, (n, m - 2, 1))
            last = base[:, 0] + (w * (base[:, 1:] - base[:, :1])).sum(axis=1)
        else:
            u = rng.standard_normal((n, m, dim))
            pts = 0.5 + 0.4 * u / np.linalg.norm(u, axis=2, keepdims=True)
            base, last = pts[:, :-1], pts[:, -1]
        q = np.concatenate([base, _nudge(last, rng)[:, None, :]], axis=1)
    elif kind == "degenerate":
        off = rng.integers(-1000, 1000, (n, 1, dim)).astype(np.float64)
        if name == "orient2d":
            v = rng.integers(-3, 4, (n, 1, dim))
            shape = rng.integers(-5, 6, (n, m, 1)) * v  # collinear integer points
        elif name == "incircle":
            side = rng.integers(1, 4, (n, 1, 1))
            shape = side * np.array([[0, 0], [1, 0], [1, 1], [0, 1]])  # grid squares
        elif name == "orient3d":
            xy = rng.integers(-5, 6, (n, m, 2))
            pq = rng.integers(-2, 3, (n, 1, 2))
            z = (xy * pq).sum(axis=2, keepdims=True)  # on z = px + qy
            shape = np.concatenate([xy, z], axis=2)
        else:
            # five distinct vertices of a unit cube: on its circumsphere
            cube = np.array([(i, j, k) for i in (0, 1) for j in (0, 1) for k in (0, 1)])
            shape = cube[np.argsort(rng.random((n, 8)), axis=1)[:, :m]]
        q = off + shape
    else:
        raise ValueError(f"unknown input kind {kind!r}")
    return [np.ascontiguousarray(q[:, j]) for j in range(m)]


# ---------------------------------------------------------------------------
# pytest-benchmark
# ---------------------------------------------------------------------------

CASES = [
    (name, kind, contender)
    for name in SPEC
    for kind in INPUTS
    for contender in ("naive", "geoent")
    if not (contender == "naive" and kind != "random")
]


@pytest.mark.parametrize("name, kind, contender", CASES, ids=["-".join(c) for c in CASES])
def test_predicate_throughput(benchmark, shrink, name, kind, contender):
    n = shrink(TIMED_N[kind], small=300)
    args = make_queries(name, kind, n)
    out = np.empty(n, dtype=np.int8)
    kernel = KERNELS[name][contender]
    kernel(*(a[:2] for a in args), out[:2])  # compile outside the timing
    benchmark.group = f"{name}/{kind}"
    benchmark.extra_info.update({"n": n, "predicate": name, "input": kind})
    benchmark.pedantic(kernel, args=(*args, out), rounds=7, iterations=1, warmup_rounds=1)
    if benchmark.stats is not None:
        benchmark.extra_info["ns_per_call"] = benchmark.stats.stats.median / n * 1e9
    if contender == "geoent":
        if kind == "degenerate":
            assert np.all(out == 0)
        else:
            from tests import naive  # exact oracle, on a sample

            k = min(n, 100)
            assert np.array_equal(out[:k], naive.signs(name, *(a[:k] for a in args)))


# ---------------------------------------------------------------------------
# Script mode: a table
# ---------------------------------------------------------------------------


def _best_ns(kernel, args, out, repeats):
    kernel(*(a[:2] for a in args), out[:2])
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        kernel(*args, out)
        best = min(best, time.perf_counter() - t0)
    return best / out.shape[0] * 1e9


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--n", type=int, default=None, help="queries per case (default: 1e6, 1e5 for near)"
    )
    parser.add_argument("--repeats", type=int, default=7, help="timed runs (best kept)")
    opts = parser.parse_args(argv)
    print(f"ns per call, best of {opts.repeats} runs")
    print(f"{'predicate':10} {'input':11} {'n':>8} {'geoent':>9} {'naive':>9} {'geoent/naive':>13}")
    for name in SPEC:
        for kind in INPUTS:
            n = opts.n or TIMED_N[kind]
            args = make_queries(name, kind, n)
            out = np.empty(n, dtype=np.int8)
            ns = _best_ns(KERNELS[name]["geoent"], args, out, opts.repeats)
            if kind == "random":
                base = _best_ns(KERNELS[name]["naive"], args, out, opts.repeats)
                print(f"{name:10} {kind:11} {n:8} {ns:9.1f} {base:9.1f} {ns / base:13.2f}")
            else:
                print(f"{name:10} {kind:11} {n:8} {ns:9.1f}")


if __name__ == "__main__":
    # Run as the module that pytest imports (benchmarks.bench_predicates): numba's
    # on-disk cache records the defining module's name, so one name serves both.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.bench_predicates import main as _main

    _main()
