"""Shared fixtures for the pytest-benchmark files in ``benchmarks/``.

CI runs these with ``--benchmark-disable`` (the project's pytest ``addopts``): each
benchmarked function then runs once, so every bench must stay correct and cheap at
the small sizes that :func:`shrink` gives. Real timings::

    python -m pytest benchmarks --benchmark-enable --benchmark-json=bench.json
    python -m pytest benchmarks --benchmark-enable --benchmark-compare

Environment variables (read by ``bench_matrix.py``) choose the matrix when timing:
``GEOENT_BENCH_SIZES`` (e.g. ``1e4,1e6``), ``GEOENT_BENCH_DISTRIBUTIONS`` (e.g.
``uniform,circle``), ``GEOENT_BENCH_SUITES`` (e.g. ``hull2d,delaunay``),
``GEOENT_BENCH_ROUNDS`` (default 5) and ``GEOENT_BENCH_FULL=1`` (every distribution
of each suite instead of its short list).
"""

from __future__ import annotations

import os

import pytest

from geoent import bench
from geoent.datasets import make_points

#: Size used for every matrix case when benchmarks are disabled (CI).
DISABLED_N = 200
#: Suites of the cross-cutting matrix (entropy and EntropyNet have their own files).
MATRIX_SUITES = ("hull2d", "batched", "hull3d", "delaunay")
#: Default timed sizes per suite (``batched``: number of 16-point sets).
MATRIX_SIZES = {
    "hull2d": (10_000, 100_000, 1_000_000),
    "batched": (1_000, 10_000, 100_000),
    "hull3d": (10_000, 100_000, 1_000_000),
    "delaunay": (10_000, 100_000, 1_000_000),
}


def benchmarks_disabled(config) -> bool:
    """True when pytest-benchmark will not time (``--benchmark-disable`` without enable)."""
    session = getattr(config, "_benchmarksession", None)
    if session is not None:
        return bool(session.disabled)
    try:
        return bool(config.getoption("benchmark_disable")) and not config.getoption(
            "benchmark_enable"
        )
    except ValueError:  # pytest-benchmark not installed: nothing is timed
        return True


@pytest.fixture(scope="session")
def bench_disabled(pytestconfig) -> bool:
    """Whether this run only checks correctness (CI) instead of timing."""
    return benchmarks_disabled(pytestconfig)


@pytest.fixture(scope="session")
def shrink(bench_disabled):
    """``shrink(n, small=DISABLED_N)``: ``n`` when timing, ``min(n, small)`` in CI."""

    def _shrink(n: int, small: int = DISABLED_N) -> int:
        return min(int(n), int(small)) if bench_disabled else int(n)

    return _shrink


@pytest.fixture(scope="session")
def points_cache():
    """``points_cache(name, n, seed=0)``: seeded points, generated once per session."""
    cache: dict = {}

    def get(name: str, n: int, seed: int = 0):
        key = (name, int(n), int(seed))
        if key not in cache:
            cache[key] = make_points(name, int(n), seed)
        return cache[key]

    return get


def _env_list(name):
    text = os.environ.get(name, "").strip()
    return [x.strip() for x in text.split(",") if x.strip()] if text else None


def matrix_cases(disabled: bool) -> list[tuple[str, str, int, str]]:
    """(suite, distribution, n, contender) for every case of the matrix.

    Peers come before geoent's contenders for each input, so that when geoent runs
    the peers' medians are known and its speedups go into ``extra_info``.
    """
    suites = _env_list("GEOENT_BENCH_SUITES") or list(MATRIX_SUITES)
    env_sizes = _env_list("GEOENT_BENCH_SIZES")
    env_dists = _env_list("GEOENT_BENCH_DISTRIBUTIONS")
    full = os.environ.get("GEOENT_BENCH_FULL") == "1"
    cases = []
    for name in suites:
        suite = bench.SUITES[name]
        if suite.available():
            continue
        dists = list(suite.distributions if full else suite.quick_distributions)
        if env_dists:
            dists = [d for d in env_dists if d in suite.distributions]
        if disabled:
            sizes = [DISABLED_N if name != "batched" else 20]
        else:
            sizes = bench.parse_sizes(env_sizes) if env_sizes else list(MATRIX_SIZES[name])
        contenders, _ = suite.contenders()
        names = [c.name for c in contenders]
        names = [c for c in names if not c.startswith("geoent")] + [
            c for c in names if c.startswith("geoent")
        ]
        for dist in dists:
            for n in sizes:
                for c in names:
                    cases.append((name, dist, n, c))
    return cases


def pytest_generate_tests(metafunc):
    if "matrix_case" in metafunc.fixturenames:
        cases = matrix_cases(benchmarks_disabled(metafunc.config))
        metafunc.parametrize("matrix_case", cases, ids=[f"{s}-{d}-{n}-{c}" for s, d, n, c in cases])
