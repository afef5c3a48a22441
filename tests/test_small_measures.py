"""The compiled one-pass hull measures (issue 13, small calls) give the same bits as
the numpy block path they shortcut, and the ConvexHull input fast path still
rejects bad input. Oracles: the numpy path (kept for large hulls), Fractions."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent import _hull_measures as hm
from geoent.errors import InputError


def _polygon(rng, h, scale):
    a = np.sort(rng.random(h)) * 2 * np.pi
    r = 1.0 + 0.1 * rng.random(h)
    return np.c_[r * np.cos(a), r * np.sin(a)] * scale


def _same_2d(pts, v):
    eq0, vol0, per0 = hm.measures_2d(pts[v], np.arange(v.shape[0]))
    eq1, vol1, per1 = hm.measures_2d_at(pts, v)
    assert eq1.tobytes() == eq0.tobytes()
    assert vol1.hex() == vol0.hex() and per1.hex() == per0.hex()
    return vol1


@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e-20, 1.0, 3e7, 1e150, 1e300])
@pytest.mark.parametrize("h", [3, 4, 9, 130, 1000])
def test_measures_2d_at_equals_numpy_path(scale, h):
    rng = np.random.default_rng(h)
    poly = _polygon(rng, h, scale)
    # the polygon inside other points, vertices not at the front: no gather
    pts = np.vstack([poly[::-1] * 0.5, poly])
    v = np.arange(h, 2 * h, dtype=np.int64)
    _same_2d(pts, v)


def test_measures_2d_at_exact_fallback_on_thin_triangle():
    # area far below the float error bound: the Fraction path decides, both ways
    pts = np.array([[0.0, 0.0], [1.0, 2.0**-60], [2.0, 0.0], [1.0, 1e-300]])
    v = np.array([0, 2, 1], dtype=np.int64)
    vol = _same_2d(pts, v)
    xs = [Fraction(x) for x in pts[v, 0].tolist()]
    ys = [Fraction(y) for y in pts[v, 1].tolist()]
    exact = sum(xs[i] * ys[(i + 1) % 3] - xs[(i + 1) % 3] * ys[i] for i in range(3)) / 2
    assert vol == float(exact) > 0


@settings(deadline=None, max_examples=80)
@given(st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=3, max_size=30))
def test_convexhull_2d_measures_on_grids(rows):
    p = np.array(rows, dtype=np.float64)
    v = geoent.convex_hull(p)
    if v.shape[0] < 3:
        return
    vol = _same_2d(p, v)
    xs = [Fraction(x) for x in p[v, 0].tolist()]
    ys = [Fraction(y) for y in p[v, 1].tolist()]
    h = len(xs)
    exact = sum(xs[i] * ys[(i + 1) % h] - xs[(i + 1) % h] * ys[i] for i in range(h)) / 2
    assert vol == float(exact)


def _both_3d(pts, simplices, v0, monkeypatch):
    k = hm.scale_exponent(pts)
    one = hm.volume_area_3d(pts, simplices, v0, k)
    with monkeypatch.context() as m:
        m.setattr(hm, "_ONE_PASS", False)  # the numpy path
        blocks = hm.volume_area_3d(pts, simplices, v0, k)
    assert one[0].hex() == blocks[0].hex() and one[1].hex() == blocks[1].hex()
    return one


@pytest.mark.parametrize("scale", [1e-300, 1e-100, 1.0, 1e100, 1e300])
@pytest.mark.parametrize("n", [4, 10, 200, 999])
def test_volume_area_3d_one_block_equals_blocks(scale, n, monkeypatch):
    rng = np.random.default_rng(n)
    p = rng.standard_normal((n, 3)) * scale
    h = geoent.ConvexHull(p)
    vol, area = _both_3d(h.points, h.simplices, int(h.vertices[0]), monkeypatch)
    assert (vol, area) == (h.volume, h.area)


def test_volume_area_3d_uncertified_facet_takes_exact_path(monkeypatch):
    # a degenerate triangle (collinear corners) among the facets: its float normal
    # is not certified, so the one-block pass defers to the numpy path
    pts = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [2, 0, 0]])
    tri = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3], [0, 1, 4]])
    vol, area = _both_3d(pts, tri, 0, monkeypatch)
    assert vol == pytest.approx(1 / 6, rel=1e-15)


def test_convexhull_fast_input_path_rejects_bad_input():
    p = np.random.default_rng(0).random((50, 2))
    p[7, 1] = np.nan
    with pytest.raises(InputError, match="7"):
        geoent.ConvexHull(p)
    q = np.random.default_rng(1).random((50, 2))
    q[3, 0] = np.inf
    with pytest.raises(InputError):
        geoent.ConvexHull(q, qhull_options="QG3")  # the left-out point is checked too
    h = geoent.ConvexHull(np.random.default_rng(2).random((50, 2)))
    assert not h.points.flags.writeable
    assert h.simplices.dtype == np.intc and h.neighbors.dtype == np.intc


@pytest.mark.parametrize("n", [5, 10, 999])
def test_convexhull_2d_ring_arrays_and_bounds(n):
    p = np.random.default_rng(n).standard_normal((n, 2))
    for h in (
        geoent.ConvexHull(p),
        geoent.ConvexHull(p, qhull_options="QG0"),  # bounds then include point 0
    ):
        v = h.vertices.astype(np.int64)
        k = v.shape[0]
        assert h.simplices.tolist() == [[v[i], v[(i + 1) % k]] for i in range(k)]
        assert h.neighbors.tolist() == [[(i + 1) % k, (i - 1) % k] for i in range(k)]
        ref = p[v] if h.good is None else np.vstack([p[v], p[:1]])
        assert np.array_equal(h.min_bound, ref.min(axis=0))
        assert np.array_equal(h.max_bound, ref.max(axis=0))
    inc = geoent.ConvexHull(p[: max(3, n // 2)], incremental=True)
    inc.add_points(p[max(3, n // 2) :])
    whole = geoent.ConvexHull(p)
    assert np.array_equal(inc.min_bound, whole.min_bound)
    assert np.array_equal(inc.max_bound, whole.max_bound)
    assert sorted(inc.vertices.tolist()) == sorted(whole.vertices.tolist())
