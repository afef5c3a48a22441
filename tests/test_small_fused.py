"""The one-call paths of small calls (issue 13, item 3): the 3D hull of at most
``_NO_FILTER_BELOW`` points (``geoent._kernels.hull3d_small``) and ``convex_hulls``
below ``SERIAL_BATCH_POINTS`` (``hulls_batched.small_batch``). Each runs the same
kernels in the same order as the general path it shortcuts, so every output must
be identical, array for array and dtype for dtype: checked here against the general
path forced on the same input (and, for the 3D hull, against brute force on small
integer grids). Nothing here is timed (``benchmarks/small_calls.py`` times them)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent import _hull2d, _hull3d
from geoent._kernels import hull3d_small as _ks
from geoent._kernels import hulls_batched as _kb

from .naive import convex_hull_2d


@pytest.fixture(autouse=True)
def _one_call_paths(monkeypatch):
    """The 3D one-call path is used only where the compiled module is (see
    ``geoent._hull3d.ONE_CALL_SMALL``): here always, also in JIT-only runs."""
    monkeypatch.setattr(_hull3d, "ONE_CALL_SMALL", True)


class _NoSmallHull:
    """Stands in for the kernels proxy: every small call answers DEGENERATE, so
    ``hull3d`` takes the general path."""

    def small_hull(self, P, facets32):
        return _ks.DEGENERATE, None, None, None, None


def _general3d(monkeypatch, pts, facets):
    with monkeypatch.context() as m:
        m.setattr(_hull3d, "_ks", _NoSmallHull())
        return _hull3d.hull3d(pts, facets=facets)


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)


def _inputs3d():
    rng = np.random.default_rng(7)
    for n in (4, 5, 10, 57, 999, 4096):
        yield f"uniform{n}", rng.random((n, 3))
        s = rng.standard_normal((n, 3))
        yield f"sphere{n}", s / np.linalg.norm(s, axis=1)[:, None]  # every point a vertex
    g = np.array([[x, y, z] for x in range(4) for y in range(4) for z in range(3)], float)
    yield "grid", g  # coplanar facets merged, points on faces and edges
    yield "grid_twice", np.vstack([g, g[::-1]])  # duplicates: lowest index
    yield "ints", rng.integers(0, 3, (60, 3)).astype(float)
    c = rng.random((25, 3))
    yield "dups", np.vstack([c[10:], c, c[:4]])
    yield "planar", np.c_[rng.random((12, 2)), np.zeros(12)]  # dim 2: general path
    yield "line", np.outer(np.arange(6.0), [1.0, 2.0, 3.0])  # dim 1
    yield "tiny", rng.random((12, 3)) * 1e-200  # rescaled first
    yield "huge", rng.random((12, 3)) * 1e200


@pytest.mark.parametrize("facets", [False, "int32"])
def test_small_hull3d_equals_general_path(monkeypatch, facets):
    for name, pts in _inputs3d():
        pts = np.ascontiguousarray(pts)
        a = _hull3d.hull3d(pts, facets=facets)
        b = _general3d(monkeypatch, pts, facets)
        assert a.dim == b.dim, name
        assert _same(a.vertices, b.vertices), name
        assert _same(a.simplices, b.simplices), name
        assert _same(a.neighbors, b.neighbors), name
        assert a.stats == b.stats, name


def test_small_hull3d_takes_the_one_call_path():
    """The general path's phases are not called on a small input (a property of the
    dispatch, not a timing): ``choose_sample`` is the first of them."""
    pts = np.random.default_rng(1).random((30, 3))

    class Recording:
        def __init__(self, inner):
            self.inner, self.called = inner, []

        def __getattr__(self, name):
            self.called.append(name)
            return getattr(self.inner, name)

    ks, k = _hull3d._ks, _hull3d._k
    rec = Recording(k)
    try:
        _hull3d._k = rec
        h = _hull3d.hull3d(pts, facets="int32")
    finally:
        _hull3d._k = k
    assert rec.called == ["abs_range"]  # the range pass, then the one call
    assert h.dim == 3 and _hull3d._ks is ks
    assert _hull3d._SMALL_OK == _ks.OK


@settings(deadline=None, max_examples=60)
@given(st.lists(st.tuples(*[st.integers(-2, 2)] * 3), min_size=4, max_size=30))
def test_small_hull3d_facets_hold_every_point_exactly(rows):
    """On small integer inputs (duplicates, coplanar points): every point is on the
    inner side of (or on) every facet, by exact rational orientation; the facets'
    corners are the vertices; ``convex_hull`` gives the same vertices."""
    from fractions import Fraction

    p = np.array(rows, dtype=np.float64)
    h = geoent.ConvexHull(p) if np.linalg.matrix_rank(p[1:] - p[0]) == 3 else None
    v = geoent.convex_hull(p)
    if h is None:
        return
    assert sorted(h.vertices.tolist()) == v.tolist()
    P = [[Fraction(c) for c in r] for r in rows]

    def orient(a, b, c, d):
        m = [[P[x][k] - P[d][k] for k in range(3)] for x in (a, b, c)]
        return (
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        )

    for a, b, c in h.simplices.tolist():
        assert all(orient(a, b, c, d) >= 0 for d in range(len(rows)))  # outside-ccw
    assert sorted(set(h.simplices.ravel().tolist())) == v.tolist()


def _general_batch(monkeypatch, pts, offs):
    with monkeypatch.context() as m:
        m.setattr(_hull2d, "SERIAL_BATCH_POINTS", 0)  # the four-call path
        m.setattr(_hull2d, "batched_runs_serially", lambda *a: True)
        return geoent.convex_hulls(pts, offs)


@pytest.mark.parametrize(
    "sizes",
    [[10] * 99, [0, 1, 2, 3, 0, 64, 65, 300, 5], [1], [0, 0], [700], [3, 2000, 1]],
)
@pytest.mark.parametrize("kind", ["uniform", "grid", "tiny", "huge"])
def test_small_batch_equals_general_path(monkeypatch, sizes, kind):
    rng = np.random.default_rng(len(sizes))
    n = sum(sizes)
    pts = {
        "uniform": lambda: rng.random((n, 2)),
        "grid": lambda: rng.integers(0, 4, (n, 2)).astype(float),
        "tiny": lambda: rng.random((n, 2)) * 1e-300,  # outside the window: rescaled
        "huge": lambda: rng.random((n, 2)) * 1e300,
    }[kind]()
    offs = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    a = geoent.convex_hulls(pts, offs)
    b = _general_batch(monkeypatch, pts, offs)
    for x, y in zip(a, b, strict=True):
        assert _same(x, y)
    for s in range(len(sizes)):  # and each hull is the single-set hull
        sub = pts[offs[s] : offs[s + 1]]
        got = a[0][a[1][s] : a[1][s + 1]].tolist()
        assert got == (geoent.convex_hull(sub).tolist() if len(sub) else [])
    if kind == "grid" and n <= 60:
        for s in range(len(sizes)):
            sub = pts[offs[s] : offs[s + 1]]
            if len(sub):
                assert a[0][a[1][s] : a[1][s + 1]].tolist() == convex_hull_2d(sub)


def test_small_batch_status():
    q = np.array([0.0, 0.0, 1.0, np.nan])
    off = np.array([0, 2], dtype=np.int64)
    c = np.zeros(1, np.uint8)
    assert _kb.small_batch(q, off, c)[0] == _kb.BATCH_NOT_FINITE
    assert _kb.small_batch(np.array([0.0, 0.0, 1e300, 1.0]), off, c)[0] == _kb.BATCH_OTHER
    status, idx, out_off = _kb.small_batch(np.array([0.0, 0.0, 1.0, 1.0]), off, c)
    assert status == _kb.BATCH_OK and idx.tolist() == [0, 1] and out_off.tolist() == [0, 2]
    with pytest.raises(ValueError):
        geoent.convex_hulls(np.array([[0.0, 0.0], [np.inf, 1.0]]), [0, 2])


def test_pairwise_sum_is_numpys_sum():
    from geoent._kernels.hull_measures import pairwise_sum

    rng = np.random.default_rng(3)
    for n in [*range(0, 270), 1000, 8191, 8192, 8193, 20000]:
        a = rng.standard_normal(n) * 10.0 ** rng.integers(-8, 8, n)
        assert pairwise_sum(a) == float(a.sum()), n


def test_convexhull3d_measures_equal_general_path():
    """``volume``, ``area`` and the bounds from the one-call measures equal the
    general path's (``volume_area_3d`` and the gathered min / max), value for value."""
    from geoent import _hull_measures as hm
    from geoent._convex_hull_class import _vertex_bounds

    for name, pts in _inputs3d():
        pts = np.ascontiguousarray(pts)
        if _hull3d.hull3d(pts, facets=False).dim < 3:
            continue
        h = geoent.ConvexHull(pts)
        k = hm.scale_exponent(pts)
        vol, area = hm.volume_area_3d(pts, h.simplices, h.vertices[0], k)
        lo, hi = _vertex_bounds(pts, h.vertices, None)
        assert (h.volume, h.area) == (vol, area), name
        assert np.array_equal(h.min_bound, lo) and np.array_equal(h.max_bound, hi), name
        assert h.min_bound.shape == (3,) and h.max_bound.dtype == np.float64
    # a flat tetrahedron: the float volume is not certified, the exact sum decides
    flat = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0.3, 0.3, 1e-17]])
    h = geoent.ConvexHull(flat)
    k = hm.scale_exponent(flat)
    assert (h.volume, h.area) == hm.volume_area_3d(flat, h.simplices, h.vertices[0], k)


def _choose_root_reference(x, y, hidx, hx, hy):
    """``entropy._choose_root`` with each candidate's entropy from
    ``_entropy_of_sizes`` one by one (its form before the arithmetic was batched)."""
    from geoent import entropy as E

    ranked = E._rank_roots(x, y, hx, hy)
    if len(ranked) == 1 or hidx.shape[0] > E._ROOT_EVAL_MAX_HULL:
        return tuple(ranked[0])
    ev = np.union1d(E._sample(x.shape[0]), hidx)
    xe, ye = np.ascontiguousarray(x[ev]), np.ascontiguousarray(y[ev])
    he = np.searchsorted(ev, hidx)
    sizes, offs = E._k.root_part_sizes(
        xe, ye, he, np.ascontiguousarray(xe[he]), np.ascontiguousarray(ye[he]),
        np.ascontiguousarray(ranked, dtype=np.int64),
    )  # fmt: skip
    best, best_h, hs = tuple(ranked[0]), np.inf, []
    for r, row in enumerate(ranked):
        h = E._entropy_of_sizes(sizes[offs[r] : offs[r + 1]], xe.shape[0])
        hs.append(h)
        if h < best_h - 1e-12:
            best, best_h = tuple(row), h
    return best


@pytest.mark.parametrize("n", [4, 12, 40, 100, 999])
@pytest.mark.parametrize("kind", ["uniform", "grid", "circle"])
def test_entropy_root_choice_unchanged(n, kind):
    from geoent import entropy as E

    rng = np.random.default_rng(n)
    p = {
        "uniform": lambda: rng.random((n, 2)),
        "grid": lambda: np.round(rng.random((n, 2)) * 6),
        "circle": lambda: np.c_[np.cos(rng.random(n) * 6.3), np.sin(rng.random(n) * 6.3)],
    }[kind]()
    x, y = np.ascontiguousarray(p[:, 0]), np.ascontiguousarray(p[:, 1])
    hidx = np.ascontiguousarray(geoent.convex_hull(p), dtype=np.int64)
    if hidx.shape[0] < 3:
        return
    hx, hy = np.ascontiguousarray(x[hidx]), np.ascontiguousarray(y[hidx])
    got = tuple(int(v) for v in E._choose_root(x, y, hidx, hx, hy))
    assert got == tuple(int(v) for v in _choose_root_reference(x, y, hidx, hx, hy))


@pytest.mark.parametrize("scale", [1.0, 1e-150, 1e150, 0.0])
def test_entropy_exponent_scale_equals_check_exponent_range(scale):
    from geoent import entropy as E
    from geoent._validation import check_exponent_range

    p = np.random.default_rng(2).random((50, 2)) * scale
    a, ka = E._exponent_scale(p)
    b, kb = check_exponent_range(p, 2)
    assert ka == kb and a.dtype == b.dtype and np.array_equal(a, b)
    assert (a is p) == (b is p)


@pytest.mark.parametrize("scale", [1.0, 1e-300, 1e300, 3.0])
@pytest.mark.parametrize("n", [3, 10, 999, 5000])
def test_ring_measures_2d_equal_measures_2d_at(scale, n):
    """The one-call 2D measures (``ConvexHull`` 2D) against ``ring_arrays`` and
    ``measures_2d_at``, their two calls: every array and value identical."""
    from geoent import _hull_measures as hm
    from geoent._kernels import hull_measures as khm

    rng = np.random.default_rng(n)
    for pts in (
        rng.random((n, 2)) * scale,
        np.c_[np.cos(rng.random(n) * 6.3), np.sin(rng.random(n) * 6.3)] * scale,
        np.c_[rng.random(n), 1e-13 * rng.random(n)] * scale,  # thin: the exact area
    ):
        v = geoent.convex_hull(pts)
        if v.shape[0] < 3:
            continue
        h = v.shape[0]
        idx_a, b_a = np.empty((2, h, 2), dtype=np.intc), np.empty((2, 2))
        idx_b, b_b = np.empty((2, h, 2), dtype=np.intc), np.empty((2, 2))
        eq_a, vol_a, per_a = hm.ring_measures_2d(pts, v, idx_a, b_a)
        khm.ring_arrays(pts, v, idx_b, b_b)
        eq_b, vol_b, per_b = hm.measures_2d_at(pts, v)
        assert (vol_a, per_a) == (vol_b, per_b)
        assert np.array_equal(eq_a, eq_b) and np.array_equal(idx_a, idx_b)
        assert np.array_equal(b_a, b_b)
        c = geoent.ConvexHull(pts)
        assert (c.volume, c.area) == (vol_b, per_b) and np.array_equal(c.equations, eq_b)


def test_one_call_3d_path_only_where_compiled(monkeypatch):
    """Without the compiled module the small 3D hull takes the general path (its
    kernels are compiled anyway; the one-call kernel would be one more compile)."""
    from geoent import _aot

    monkeypatch.setattr(_hull3d, "ONE_CALL_SMALL", None)
    monkeypatch.setattr(_aot, "status", lambda: "jit-only")
    assert not _hull3d._one_call_small()
    monkeypatch.setattr(_aot, "status", lambda: "aot")
    assert _hull3d._one_call_small()
