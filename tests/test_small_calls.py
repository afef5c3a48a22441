"""Small calls (issue 13): the box filter of small 2D inputs, the read-only flag
every input gets (one numba specialisation per kernel), the cheap serial decision of
``convex_hulls``. Results are checked against brute force and the plain monotone
chain; nothing here is timed (``benchmarks/small_calls.py`` times these calls)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent._kernels import hull2d_small as _small
from geoent._kernels.hull2d import monotone_chain
from geoent._validation import EXPONENT_LIMITS, as_points, readonly_view

from .naive import convex_hull_2d


def _reference(p):
    """The plain monotone chain on every point (lexicographic order, lowest index
    standing for duplicates): the filtered engine must give exactly this."""
    order = np.lexsort((np.arange(len(p)), p[:, 1], p[:, 0]))
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = np.any(p[order[1:]] != p[order[:-1]], axis=1)
    return monotone_chain(p[:, 0].copy(), p[:, 1].copy(), order[keep])


def test_window_constants_match_validation():
    lo, hi = EXPONENT_LIMITS[2]
    assert _small.WINDOW_LO == 2.0**lo
    assert _small.WINDOW_HI == 2.0**hi


@settings(deadline=None, max_examples=150)
@given(
    st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=40),
    st.sampled_from(["auto", "instance_optimal"]),
)
def test_small_hull_matches_brute_force_on_grids(rows, method):
    p = np.array(rows, dtype=np.float64)
    assert geoent.convex_hull(p, method=method).tolist() == convex_hull_2d(p)


@pytest.mark.parametrize("kind", ["uniform", "disk", "circle", "grid", "thin", "ulp"])
@pytest.mark.parametrize("n", [1, 2, 3, 17, 999, 4096])
def test_small_hull_matches_monotone_chain(kind, n):
    rng = np.random.default_rng(n)
    if kind == "uniform":
        p = rng.random((n, 2))
    elif kind == "disk":
        a, r = rng.random(n) * 2 * np.pi, np.sqrt(rng.random(n))
        p = np.c_[r * np.cos(a), r * np.sin(a)]
    elif kind == "circle":  # every point a vertex: every point survives
        a = rng.random(n) * 2 * np.pi
        p = np.c_[np.cos(a), np.sin(a)]
    elif kind == "grid":  # duplicates and collinear runs
        p = rng.integers(0, 6, (n, 2)).astype(np.float64)
    elif kind == "thin":  # rotated and thin: the box test must fail or be exact
        t = rng.random(n)
        p = np.c_[t, t * 1.5 + rng.random(n) * 1e-9]
    else:  # points an ulp off a square's corners
        base = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
        p = base[rng.integers(0, 4, n)] + rng.integers(-1, 2, (n, 2)) * 2.0**-52
    ref = _reference(p)
    assert geoent.convex_hull(p).tolist() == ref.tolist()
    assert geoent.convex_hull(p, method="instance_optimal").tolist() == ref.tolist()


def test_box_filter_drops_only_strict_interior_points():
    rng = np.random.default_rng(3)
    p = rng.random((999, 2))
    q = readonly_view(p.reshape(-1))
    surv, status = _small.small_survivors(q)
    assert status == _small.OK
    assert surv.shape[0] < 999 // 4  # the box does its job on uniform input
    hull = _reference(p)
    assert set(hull.tolist()) <= set(surv.tolist())
    dropped = np.setdiff1d(np.arange(999), surv)
    # every dropped point strictly left of every hull edge (exact predicate)
    for i, j in zip(hull, np.roll(hull, -1), strict=True):
        k = dropped.shape[0]
        s = geoent.predicates.orient2d(np.repeat(p[[i]], k, 0), np.repeat(p[[j]], k, 0), p[dropped])
        assert np.all(s > 0)


def test_status_codes():
    p = np.array([[0.0, 0.0], [1.0, np.inf], [2.0, 1.0]])
    with pytest.raises(ValueError, match="row 1"):
        geoent.convex_hull(p)
    big = np.array([[0.0, 0.0], [1e300, 0.0], [0.0, 1e300], [1e299, 1e299]])
    _, status = _small.small_survivors(readonly_view(big.reshape(-1)))
    assert status == _small.RESCALE
    assert geoent.convex_hull(big).tolist() == [0, 1, 2]


def test_every_input_reaches_the_kernels_read_only():
    rng = np.random.default_rng(5)
    p = rng.random((20, 2))
    for arr in (p, p.tolist(), p.astype(np.float32), p[::1], np.asfortranarray(p)):
        out = as_points(arr)
        assert not out.flags.writeable
    assert p.flags.writeable  # the caller's array is untouched
    for arr in (p, p.tolist(), p.astype(np.float32)):
        geoent.convex_hull(arr)
    # one specialisation serves all of them (numba compiles one per read-only flag)
    sigs = [s for s in _small.small_survivors.signatures]
    assert sigs and all(not s[0].mutable for s in sigs)


def test_small_batch_does_not_ask_for_the_thread_count(monkeypatch):
    from geoent import _hull2d

    def fail():
        raise AssertionError("the serial decision of a small call needs no thread count")

    monkeypatch.setattr(_hull2d, "get_num_threads", fail)
    rng = np.random.default_rng(6)
    pts = rng.random((990, 2))
    offs = np.arange(0, 991, 10)
    idx, off = geoent.convex_hulls(pts, offs)
    for i in range(99):
        s = pts[offs[i] : offs[i + 1]]
        assert idx[off[i] : off[i + 1]].tolist() == _reference(s).tolist()
