"""``hull2d.chain_sorted`` (the split monotone chain behind every 2D hull) against the
exact brute force, on sorted degenerate-prone sets: duplicates at either end and in
the middle, collinear runs on the splitting line, vertical runs, a single point.

The split writes each point's position into both chains' lists and advances the
counts by the compare results (no branch on the side): these sets reach every count
path (a point below, above, on the line, a duplicate; the first and last distinct
points repeated).
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoent._kernels import hull2d as K

from . import naive


def _chain(pts):
    """chain_sorted's hull of pts, after the engine's sort by (x, y, index)."""
    pts = np.asarray(pts, dtype=np.float64)
    order = np.lexsort((np.arange(len(pts)), pts[:, 1], pts[:, 0]))
    xs = pts[order, 0].copy()
    ys = pts[order, 1].copy()
    return K.chain_sorted(xs, ys, order.astype(np.int64)).tolist()


def test_fixed_degenerate_sets():
    sets = [
        [[0, 0]],
        [[1, 1], [1, 1], [1, 1]],
        [[0, 0], [2, 2]],
        [[2, 2], [0, 0], [2, 2], [0, 0]],
        [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1]],  # collinear, all on the split line
        [[0, 0], [0, 1], [0, 2], [0, 1]],  # one vertical run
        [[0, 0], [1, -1], [1, 1], [2, 0], [2, 0], [0, 0], [1, 0]],
        [[0, 0], [4, 0], [4, 0], [2, 3], [2, -3], [2, 0], [1, 0], [3, 0]],
        [[0, 0], [0, 5], [3, 5], [3, 0], [3, 0], [3, 5], [1, 2], [0, 0]],
    ]
    for pts in sets:
        assert _chain(pts) == naive.convex_hull_2d(np.asarray(pts, dtype=np.float64)), pts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=30),
    st.integers(0, 3),
)
def test_hypothesis_integer_sets_with_repeats(coords, repeat):
    pts = np.array(coords + coords[:repeat] + coords[-repeat:] if repeat else coords, float)
    assert _chain(pts) == naive.convex_hull_2d(pts)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(50, 3000))
def test_random_sets_against_the_plain_chain(seed, n):
    """Both chains long (uniform points) and points near the split line (a thin
    band), against the two-sweep kernel ``monotone_chain``."""
    rng = np.random.default_rng(seed)
    for pts in (rng.random((n, 2)), np.c_[rng.random(n), 1e-9 * rng.standard_normal(n)]):
        order = np.lexsort((pts[:, 1], pts[:, 0]))
        ref = K.monotone_chain(pts[:, 0].copy(), pts[:, 1].copy(), order).tolist()
        assert _chain(pts) == ref


# ---------------------------------------------------------------------------
# the sample hulls' prefilter: points strictly inside the extremes' quadrilateral
# ---------------------------------------------------------------------------


def _check_quad_prefilter(pts):
    pts = np.asarray(pts, dtype=np.float64)
    keep = K.outside_extreme_quad(pts[:, 0].copy(), pts[:, 1].copy())
    assert np.all(np.diff(keep) > 0)
    want = naive.convex_hull_2d(pts)
    # every vertex kept, with every duplicate of it (the lowest index among them
    # is the canonical one)
    kept = set(keep.tolist())
    for i in want:
        for j in np.flatnonzero((pts == pts[i]).all(axis=1)):
            assert int(j) in kept
    # and the hull of what is kept is the hull of all (indices mapped back)
    sub = pts[keep]
    assert [int(keep[i]) for i in naive.convex_hull_2d(sub)] == want


def test_quad_prefilter_fixed_sets():
    sets = [
        [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1], [2, 2]],  # collinear: a quad of no area
        [[0, 0], [4, 0], [4, 4], [0, 4], [2, 2], [1, 3], [0, 0], [4, 4]],
        [[0, 0], [2, -1], [4, 0], [2, 1], [2, 0], [1, 0], [3, 0.5], [2, 0.999]],
        [[0, 0], [0, 0], [0, 0], [1, 0], [0, 1], [0.25, 0.25], [0.5, 0.5]],  # on an edge
    ]
    for pts in sets:
        _check_quad_prefilter(pts)


def test_quad_prefilter_repeated_and_collinear_corners():
    rng = np.random.default_rng(5)
    # leftmost == lowest: three distinct corners, a triangle; its inside is dropped
    tri = np.array([[0.0, 0.0], [10.0, 1.0], [1.0, 10.0]])
    w = rng.random((200, 3))
    w /= w.sum(axis=1, keepdims=True)
    pts = np.vstack((tri, w @ tri, tri[:1]))
    keep = K.outside_extreme_quad(pts[:, 0].copy(), pts[:, 1].copy())
    assert keep.shape[0] < 20
    _check_quad_prefilter(pts)
    # two distinct corners (a thin diagonal cloud), a vertical and a sloped line:
    # nothing can be certified inside, everything is returned
    t = rng.random(300)
    for pts in (
        np.c_[t, t + 1e-3 * rng.random(300)][np.argsort(t)],
        np.c_[np.full(300, 2.0), t],
        np.c_[t, 3 * t],
    ):
        if pts[:, 0].min() == pts[:, 0].max() or np.ptp(pts[:, 1] - 3 * pts[:, 0]) == 0:
            keep = K.outside_extreme_quad(pts[:, 0].copy(), pts[:, 1].copy())
            assert keep.tolist() == list(range(len(pts)))
        _check_quad_prefilter(pts[:120])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=40))
def test_quad_prefilter_hypothesis_integer_sets(coords):
    _check_quad_prefilter(coords)


def test_quad_prefilter_on_a_rotated_strip_drops_most():
    from geoent.datasets import make_strip

    pts = make_strip(4096, 50, 0.6, seed=3)
    keep = K.outside_extreme_quad(pts[:, 0].copy(), pts[:, 1].copy())
    assert keep.shape[0] < 0.5 * pts.shape[0]
    _check_quad_prefilter(pts[:600])
