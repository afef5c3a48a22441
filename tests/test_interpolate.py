"""geoent.interpolate against scipy.interpolate (general position) and exact
arithmetic (degenerate input)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import scipy.interpolate as si
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.interpolate import CloughTocher2DInterpolator, LinearNDInterpolator, griddata

PAIRS = [
    (LinearNDInterpolator, si.LinearNDInterpolator),
    (CloughTocher2DInterpolator, si.CloughTocher2DInterpolator),
]


def _data(seed, n=400):
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 2))
    v = np.sin(6 * pts[:, 0]) * np.cos(5 * pts[:, 1])
    q = rng.random((3000, 2)) * 1.2 - 0.1  # some outside the hull
    return pts, v, q


@pytest.mark.parametrize("ours, theirs", PAIRS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_scipy_general_position(ours, theirs, seed):
    pts, v, q = _data(seed)
    a = ours(pts, v)(q)
    b = theirs(pts, v)(q)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.isnan(a).any() and np.isfinite(a).any()
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_value_shapes_complex_fill_rescale(ours, theirs):
    pts, v, q = _data(5, 200)
    vals = np.stack([v, v**2, (1 + 2j) * v], axis=1).reshape(-1, 3, 1)
    for kw in ({}, {"fill_value": -7.0}, {"rescale": True}):
        if kw.get("rescale"):
            # anisotropic: rescaling changes the triangulation
            pts, q = pts * [1000.0, 0.01], q * [1000.0, 0.01]
        a = ours(pts, vals, **kw)(q)
        b = theirs(pts, vals, **kw)(q)
        assert a.shape == b.shape == (q.shape[0], 3, 1)
        assert a.dtype == b.dtype == np.complex128
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_call_forms(ours, theirs):
    pts, v, _ = _data(3, 100)
    f, g = ours(pts, v), theirs(pts, v)
    gx, gy = np.mgrid[0.2:0.8:4j, 0.1:0.9:5j]
    for args in [(gx, gy), ((gx, gy),), (np.array([0.5, 0.5]),), (0.4, 0.6)]:
        a, b = f(*args), g(*args)
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_accepts_a_geoent_delaunay_and_scipy_accepts_it(ours, theirs):
    pts, v, q = _data(7, 300)
    tri = geoent.Delaunay(pts)
    a = ours(tri, v)(q)
    np.testing.assert_allclose(a, ours(pts, v)(q), rtol=0, atol=0, equal_nan=True)
    # scipy's own class takes geoent's triangulation (a scipy.spatial.Delaunay subclass)
    b = theirs(tri, v)(q)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
    with pytest.raises(ValueError, match="Rescaling"):
        ours(tri, v, rescale=True)


@pytest.mark.parametrize("method", ["linear", "cubic", "nearest"])
def test_griddata_matches_scipy(method):
    pts, v, _ = _data(11, 500)
    gx, gy = np.mgrid[-0.1:1.1:40j, -0.1:1.1:30j]
    a = griddata(pts, v, (gx, gy), method=method)
    b = si.griddata(pts, v, (gx, gy), method=method)
    assert a.shape == b.shape == gx.shape
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
    a = griddata(
        (pts[:, 0], pts[:, 1]), v, np.c_[gx.ravel(), gy.ravel()], method=method, fill_value=3.0
    )
    b = si.griddata(pts, v, np.c_[gx.ravel(), gy.ravel()], method=method, fill_value=3.0)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_bad_input():
    pts, v, _ = _data(0, 20)
    with pytest.raises(ValueError, match="different number"):
        LinearNDInterpolator(pts, v[:-1])
    with pytest.raises(ValueError, match="Unknown interpolation method"):
        griddata(pts, v, pts, method="quintic")
    with pytest.raises(ValueError, match="dimensions"):
        LinearNDInterpolator(pts, v)(np.zeros((3, 3)))
    with pytest.raises(ValueError):
        LinearNDInterpolator(pts, v)([[np.nan, 0.0]])
    with pytest.raises(ValueError):  # collinear: no triangulation (a QhullError)
        LinearNDInterpolator([[0, 0], [1, 1], [2, 2]], [1, 2, 3])


def test_clough_tocher_with_exact_duplicates_like_scipy():
    # duplicates are left out of the triangulation: their gradient has no
    # neighbours to come from (it divided 0 by 0 and raised ZeroDivisionError)
    pts, v, _ = _data(5, 300)
    pts = np.vstack([pts, pts[:100]])
    v = np.concatenate([v, v[:100]])
    gx, gy = np.mgrid[0.05:0.95:25j, 0.05:0.95:20j]
    q = np.c_[gx.ravel(), gy.ravel()]
    ours = CloughTocher2DInterpolator(pts, v)
    theirs = si.CloughTocher2DInterpolator(pts, v)
    # Qhull keeps the later copy of a duplicate, geoent the first, so the
    # gradient sweeps visit the vertices in another order: both stop within
    # their tolerance (1e-6) of the same fixed point, not bit for bit
    np.testing.assert_allclose(ours(q), theirs(q), rtol=0, atol=1e-5, equal_nan=True)
    assert np.isnan(ours.grad[300:]).all() and np.isfinite(ours.grad[:300]).all()
    assert np.isnan(theirs.grad).any(axis=(1, 2)).sum() == 100
    a = griddata(pts, v, q, method="cubic")
    np.testing.assert_allclose(
        a, si.griddata(pts, v, q, method="cubic"), rtol=0, atol=1e-5, equal_nan=True
    )


def test_gradient_warning_like_scipy():
    pts, v, _ = _data(2, 200)
    with pytest.warns(UserWarning, match="did not converge"):
        CloughTocher2DInterpolator(pts, v, maxiter=1)


def test_exact_location_at_the_hull():
    # a query one tiny step outside an edge is outside (scipy's tolerance takes it
    # in); on the edge it is inside, with the exact linear value
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.3, 0.6]])
    v = 2 * pts[:, 0] + 3 * pts[:, 1]
    q = np.array([[0.5, -1e-300], [0.5, 0.0], [1.0, 0.5], [np.nextafter(1.0, 2.0), 0.5]])
    ours = LinearNDInterpolator(pts, v)(q)
    assert np.isnan(ours[0]) and np.isnan(ours[3])
    assert ours[1] == 1.0 and ours[2] == 3.5
    theirs = si.LinearNDInterpolator(pts, v)(q)
    assert np.isfinite(theirs[[0, 3]]).all()  # scipy's tolerance puts them inside


def _fr_orient(a, b, c):
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=3, max_size=25),
    st.lists(st.tuples(st.integers(-2, 14), st.integers(-2, 14)), min_size=1, max_size=20),
)
def test_linear_exact_on_degenerate_grids(pts, qs):
    """Grid points (collinear and cocircular everywhere), queries on a half grid
    (on edges and vertices): every query inside the hull is located in a triangle
    that holds it exactly and its value is the exact barycentric value; queries
    outside get NaN."""
    P = np.array(pts, dtype=float)
    if abs(np.linalg.matrix_rank(P - P[0])) < 2:
        return
    Q = np.array(qs, dtype=float) / 2
    v = P[:, 0] * 3 - P[:, 1] * 5 + P[:, 0] * P[:, 1]
    out = LinearNDInterpolator(P, v)(Q)
    tri = geoent.Delaunay(P)
    loc = tri.find_simplex(Q)
    F = [(Fraction(x), Fraction(y)) for x, y in P.tolist()]
    for q, t, val in zip(Q.tolist(), loc.tolist(), out.tolist(), strict=True):
        qf = (Fraction(q[0]), Fraction(q[1]))
        holders = [
            s
            for s in tri.simplices.tolist()
            if all(_fr_orient(F[s[j]], F[s[(j + 1) % 3]], qf) >= 0 for j in range(3))
        ]
        if t < 0:
            assert not holders and np.isnan(val)
            continue
        s = tri.simplices[t].tolist()
        assert s in holders
        a, b, c = (F[i] for i in s)
        area = _fr_orient(a, b, c)
        w = [_fr_orient(b, c, qf) / area, _fr_orient(c, a, qf) / area, _fr_orient(a, b, qf) / area]
        exact = sum(wi * Fraction(v[i]) for wi, i in zip(w, s, strict=True))
        assert abs(val - float(exact)) <= 1e-12 * max(1.0, abs(float(exact)))


@pytest.mark.parametrize("seed", range(8))
def test_clough_tocher_anisotropic_same_arithmetic_as_scipy(seed):
    """1e5-anisotropic data (x * 1000, y * 0.01), no rescale. On the same
    triangulation scipy's own code gives bit-identical gradients and values equal
    to 1e-12. (scipy on its Qhull triangulation differs from both by 2e-12 to
    3e-10 here: Qhull lists the same triangles in another order, so its
    vertex_neighbor_vertices, and with them the sums of the Gauss-Seidel gradient
    sweeps, come in another order; the anisotropic system amplifies that rounding.
    No arithmetic order of geoent's can reproduce an order taken from Qhull.)"""
    rng = np.random.default_rng(seed)
    pts = rng.random((200, 2)) * [1000.0, 0.01]
    v = np.sin(6 * pts[:, 0] / 1000) * np.cos(5 * pts[:, 1] / 0.01)
    q = (rng.random((3000, 2)) * 1.2 - 0.1) * [1000.0, 0.01]
    tri = geoent.Delaunay(pts)
    ours = CloughTocher2DInterpolator(pts, v)
    theirs = si.CloughTocher2DInterpolator(tri, v)
    np.testing.assert_array_equal(ours.grad, theirs.grad)
    a, b = ours(q), theirs(q)
    assert np.array_equal(np.isnan(a), np.isnan(b)) and np.isfinite(a).any()
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
