"""The bounded-memory last stage of the 2D hull (``geoent._hull2d_lowmem``): the
same indices as the engine's sort + chain, bucket boundaries or not, checked
against the engine's own chain and exact brute force; and the engine's hand-over
to it for many survivors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent import _hull2d, _hull2d_lowmem
from geoent._hull2d_lowmem import sorted_chain_lowmem
from geoent.datasets import make_points

from . import naive


def engine_chain(q, idx=None):
    """The engine's own last stage, the reference."""
    if idx is None:
        idx = np.arange(q.shape[0] // 2, dtype=np.int64)
    return _hull2d._sorted_chain(q, idx)


@pytest.mark.parametrize(
    "dist", ["circle", "uniform", "grid", "duplicates", "annulus", "rotated_grid", "clusters"]
)
@pytest.mark.parametrize("bucket_points", [50, 997, 10**6])
def test_same_as_engine_chain(dist, bucket_points):
    q = make_points(dist, 20_000, seed=3).reshape(-1)
    want = engine_chain(q)
    assert np.array_equal(sorted_chain_lowmem(q, None, bucket_points=bucket_points), want)
    # a subset of the points (the engine's survivors are one)
    idx = np.flatnonzero(np.random.default_rng(1).random(20_000) < 0.3).astype(np.int64)
    assert np.array_equal(
        sorted_chain_lowmem(q, idx, bucket_points=bucket_points), engine_chain(q, idx)
    )


@pytest.mark.parametrize(
    "pts",
    [
        [[1.0, 2.0]] * 7,  # one distinct point, repeated
        [[0.0, 0.0], [0.0, 0.0], [1.0, 1.0]],
        [[0.0, float(i % 5)] for i in range(40)],  # one vertical line: a single bucket
        [[float(i % 7), 2.0 * (i % 7) + 1] for i in range(40)],  # one slanted line
        [[float(i % 3), float(i // 3 % 3)] for i in range(60)],  # 3 x 3 grid, repeated
    ],
)
def test_degenerate(pts):
    q = np.asarray(pts, dtype=np.float64).reshape(-1)
    want = engine_chain(q)
    for bp in (1, 2, 5, 100):
        assert np.array_equal(sorted_chain_lowmem(q, None, bucket_points=bp), want), bp


@settings(deadline=None, max_examples=80)
@given(
    st.lists(st.tuples(st.integers(-5, 5), st.integers(-5, 5)), min_size=1, max_size=120),
    st.integers(1, 40),
)
def test_small_integer_sets_against_brute_force(pts, bucket_points):
    p = np.array(pts, dtype=np.float64)
    got = sorted_chain_lowmem(p.reshape(-1), None, bucket_points=bucket_points)
    assert got.dtype == np.int64
    assert np.array_equal(got, naive.convex_hull_2d(p))


def test_engine_hands_over_many_survivors(monkeypatch):
    """With the threshold lowered, ``convex_hull`` takes the bounded-memory stage for
    an input no filter runs on (a circle) and for many survivors of the filters (30%
    of the points on a circle), and returns what the engine's own stage returns."""
    calls = []
    real = _hull2d_lowmem.sorted_chain_lowmem

    def spy(q, idx=None, bucket_points=None):
        calls.append(None if idx is None else idx.shape[0])
        return real(q, idx, bucket_points=1000)

    rng = np.random.default_rng(2)
    a = rng.random(60_000) * 2 * np.pi
    r = np.where(rng.random(60_000) < 0.3, 1.0, 0.9 * np.sqrt(rng.random(60_000)))
    mixed = np.column_stack((r * np.cos(a), r * np.sin(a)))  # 30% on the circle
    for dist in ("circle", "mixed", "uniform"):
        p = mixed if dist == "mixed" else make_points(dist, 60_000, seed=2)
        want = geoent.convex_hull(p)
        monkeypatch.setattr(_hull2d_lowmem, "MIN_SURVIVORS", 5_000)
        monkeypatch.setattr(_hull2d_lowmem, "sorted_chain_lowmem", spy)
        n_before = len(calls)
        got = geoent.convex_hull(p)
        monkeypatch.undo()
        assert np.array_equal(got, want), dist
        if dist == "circle":
            assert calls[n_before:] == [None]  # no filter ran: all points, no index array
        if dist == "mixed":  # the filters ran and left their survivors
            assert len(calls) == n_before + 1 and 5_000 <= calls[-1] < 60_000
        if dist == "uniform":
            assert calls[n_before:] == []  # few survivors: the engine's own stage
    assert len(calls) >= 1
