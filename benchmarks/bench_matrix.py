"""The cross-cutting benchmark matrix: geoent against its peers, as pytest-benchmark tests.

One test per (suite, distribution, n, contender), grouped by
``benchmark.group = "<operation>/<distribution>/n=<n>"`` so that a group's table
compares the contenders on one input. Contenders, inputs and exactness checks are
``geoent.bench``'s (the same as ``geoent bench``): each case runs after one warm-up
round, and ``extra_info`` records the error against the exact answer, the compile
(first-call) time, the input's certified entropy and, for each contender, its speedup
over scipy and over the best peer measured earlier in the same session (peers run
first). Other ``bench_*.py`` files benchmark single modules; this one compares.

With ``--benchmark-disable`` (CI) every case runs once on a tiny input and the test
asserts that geoent's answer is exact. Timing runs::

    python -m pytest benchmarks/bench_matrix.py --benchmark-enable \\
        --benchmark-json=matrix.json
    GEOENT_BENCH_SIZES=1e6 GEOENT_BENCH_DISTRIBUTIONS=uniform,circle \\
        python -m pytest benchmarks/bench_matrix.py --benchmark-enable --benchmark-compare
"""

from __future__ import annotations

import os
import time

import pytest

from geoent import bench

ROUNDS = int(os.environ.get("GEOENT_BENCH_ROUNDS", "5"))


@pytest.fixture(scope="session")
def matrix_store():
    """Session-wide caches: inputs, exact canonical answers, medians, entropies."""
    return {"data": {}, "exact": {}, "median": {}, "entropy": {}}


def _input(store, suite, dist, n):
    key = (suite.name, dist, n)
    if key not in store["data"]:
        store["data"][key] = suite.make_input(dist, n, 0)
    return store["data"][key]


def _contender(suite, name):
    contenders, _ = suite.contenders()
    for c in contenders:
        if c.name == name:
            return c
    pytest.skip(f"{name} is not available for {suite.name}")


def _exact_canon(store, suite, dist, n, data):
    """geoent's canonical answer, the reference for vertex-set errors."""
    key = (suite.name, dist, n)
    if key not in store["exact"]:
        ref = {}
        contenders, _ = suite.contenders()
        for c in contenders:
            if c.name in ("geoent", "geoent-loop"):
                state = (c.prepare or (lambda d: d))(data)
                ref[c.name] = c.canon(data, state, c.run(state))
        store["exact"][key] = ref
    return store["exact"][key]


def test_matrix(benchmark, matrix_case, matrix_store, bench_disabled):
    suite_name, dist, n, name = matrix_case
    suite = bench.SUITES[suite_name]
    c = _contender(suite, name)
    data = _input(matrix_store, suite, dist, n)
    benchmark.group = f"{suite.operation}/{dist}/n={n}"
    info = benchmark.extra_info
    info.update(suite=suite_name, operation=suite.operation, distribution=dist, n=n, contender=name)

    if c.compiled:
        tiny = suite.make_input(dist, 64, 1)
        prep = c.prepare or (lambda d: d)
        info["compile_s"] = bench.first_call_s((suite_name, name), lambda: c.run(prep(tiny)))

    state = c.prepare(data) if c.prepare else data
    if c.prepare is not None:
        t0 = time.perf_counter()
        c.prepare(data)
        info["build_s"] = time.perf_counter() - t0  # geometry building, not in the timing
    try:
        result = benchmark.pedantic(
            c.run, args=(state,), rounds=ROUNDS, warmup_rounds=1, iterations=1
        )
    except Exception as exc:
        if name.startswith("geoent"):
            raise
        info["failed"] = f"{type(exc).__name__}: {str(exc).strip()[:120]}"
        pytest.skip(f"{name} failed on this input: {info['failed']}")

    canon = dict(_exact_canon(matrix_store, suite, dist, n, data))
    canon[name] = c.canon(data, state, result) if c.canon else result
    err, note = suite.error(data, canon, name)
    info["error"] = err
    if note:
        info["error_note"] = note
    if not bench_disabled and suite.planar_input:
        info["entropy"], _ = bench.entropy_of(data, (dist, n, 0), matrix_store["entropy"])

    if benchmark.stats is not None:
        median = benchmark.stats.stats.median
        key = (suite_name, dist, n)
        medians = matrix_store["median"].setdefault(key, {})
        medians[name] = median
        if "scipy" in medians:
            info["speedup_vs_scipy"] = medians["scipy"] / median
        peers = {k: v for k, v in medians.items() if not k.startswith("geoent")}
        if peers:
            best = min(peers, key=peers.get)
            info["best_peer"] = best
            info["speedup_vs_best_peer"] = peers[best] / median

    if name.startswith("geoent"):
        assert err in (0.0, None), f"{name} is not exact on {dist} n={n}: {note}"
