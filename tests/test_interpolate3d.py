"""geoent.interpolate on 3D data: LinearNDInterpolator and griddata against
scipy.interpolate (general position) and exact arithmetic (degenerate input)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import scipy.interpolate as si
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.interpolate import CloughTocher2DInterpolator, LinearNDInterpolator, griddata


def _data(seed, n=400, m=3000):
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 3))
    v = np.sin(6 * pts[:, 0]) * np.cos(5 * pts[:, 1]) + pts[:, 2] ** 2
    q = rng.random((m, 3)) * 1.2 - 0.1  # some outside the hull
    return pts, v, q


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_linear3d_matches_scipy_general_position(seed):
    pts, v, q = _data(seed)
    a = LinearNDInterpolator(pts, v)(q)
    b = si.LinearNDInterpolator(pts, v)(q)
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.isnan(a).any() and np.isfinite(a).any()
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)


def test_linear3d_reproduces_affine_functions():
    # barycentric interpolation is exact for affine data (up to rounding)
    pts, _, q = _data(3, 300, 2000)
    v = 3 * pts[:, 0] - 2 * pts[:, 1] + 0.5 * pts[:, 2] + 1
    a = LinearNDInterpolator(pts, v)(q)
    ok = np.isfinite(a)
    assert ok.sum() > 500
    np.testing.assert_allclose(a[ok], (q @ [3, -2, 0.5] + 1)[ok], rtol=0, atol=1e-12)


def test_linear3d_value_shapes_complex_fill_rescale():
    pts, v, q = _data(5, 200, 500)
    vals = np.stack([v, v**2, (1 + 2j) * v], axis=1).reshape(-1, 3, 1)
    for kw in ({}, {"fill_value": -7.0}, {"rescale": True}):
        if kw.get("rescale"):
            # anisotropic: rescaling changes the tetrahedralisation
            pts, q = pts * [1000.0, 0.01, 1.0], q * [1000.0, 0.01, 1.0]
        a = LinearNDInterpolator(pts, vals, **kw)(q)
        b = si.LinearNDInterpolator(pts, vals, **kw)(q)
        assert a.shape == b.shape == (q.shape[0], 3, 1)
        assert a.dtype == b.dtype == np.complex128
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)


def test_linear3d_call_forms():
    pts, v, _ = _data(3, 100)
    f, g = LinearNDInterpolator(pts, v), si.LinearNDInterpolator(pts, v)
    gx, gy, gz = np.mgrid[0.2:0.8:4j, 0.1:0.9:5j, 0.3:0.7:3j]
    for args in [(gx, gy, gz), ((gx, gy, gz),), (np.array([0.5, 0.5, 0.5]),), (0.4, 0.6, 0.5)]:
        a, b = f(*args), g(*args)
        assert np.shape(a) == np.shape(b)
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_linear3d_accepts_a_geoent_delaunay_and_scipy_accepts_it():
    pts, v, q = _data(7, 300)
    tri = geoent.Delaunay(pts)
    a = LinearNDInterpolator(tri, v)(q)
    np.testing.assert_array_equal(a, LinearNDInterpolator(pts, v)(q))
    b = si.LinearNDInterpolator(tri, v)(q)  # scipy's class on geoent's tetrahedra
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
    with pytest.raises(ValueError, match="Rescaling"):
        LinearNDInterpolator(tri, v, rescale=True)


@pytest.mark.parametrize("method", ["linear", "nearest"])
def test_griddata3d_matches_scipy(method):
    pts, v, _ = _data(11, 500)
    gx, gy, gz = np.mgrid[-0.1:1.1:12j, -0.1:1.1:10j, 0:1:7j]
    a = griddata(pts, v, (gx, gy, gz), method=method)
    b = si.griddata(pts, v, (gx, gy, gz), method=method)
    assert a.shape == b.shape == gx.shape
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12, equal_nan=True)
    flat = np.c_[gx.ravel(), gy.ravel(), gz.ravel()]
    a = griddata(tuple(pts.T), v, flat, method=method, fill_value=3.0)
    b = si.griddata(pts, v, flat, method=method, fill_value=3.0)
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_3d_bad_input():
    pts, v, _ = _data(0, 30)
    with pytest.raises(ValueError, match="Unknown interpolation method 'cubic' for 3 dimensional"):
        griddata(pts, v, pts, method="cubic")
    with pytest.raises(ValueError):  # Clough-Tocher is 2D only, as scipy's
        CloughTocher2DInterpolator(pts, v)
    with pytest.raises(ValueError, match="dimensions"):
        LinearNDInterpolator(pts, v)(np.zeros((3, 2)))
    with pytest.raises(ValueError):
        LinearNDInterpolator(pts, v)([[np.nan, 0.0, 0.0]])
    with pytest.raises(ValueError):  # coplanar: no tetrahedralisation (a QhullError)
        LinearNDInterpolator([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], [1, 2, 3, 4])
    with pytest.raises(ValueError):  # 4-D is scipy's, not geoent's
        LinearNDInterpolator(np.random.default_rng(0).random((20, 4)), np.ones(20))
    # but griddata passes 4-D to scipy unchanged
    p4 = np.random.default_rng(0).random((40, 4))
    assert griddata(p4, p4.sum(axis=1), np.full((1, 4), 0.5)).shape == (1,)


def test_exact_location_at_the_hull_3d():
    # a query a tiny step outside a hull facet is outside (scipy's tolerance
    # takes it in); on the facet it is inside, with the exact affine value
    cube = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)], float)
    pts = np.r_[cube, [[0.3, 0.6, 0.4]]]
    v = pts @ [2.0, 3.0, 5.0]
    q = np.array(
        [
            [0.5, 0.5, -1e-300],
            [0.5, 0.5, 0.0],
            [1.0, 0.25, 0.5],
            [np.nextafter(1.0, 2.0), 0.25, 0.5],
        ]
    )
    ours = LinearNDInterpolator(pts, v)(q)
    assert np.isnan(ours[0]) and np.isnan(ours[3])
    np.testing.assert_allclose(ours[1:3], [2.5, 2.0 + 0.75 + 2.5], rtol=0, atol=1e-14)
    theirs = si.LinearNDInterpolator(pts, v)(q)
    assert np.isfinite(theirs[[0, 3]]).all()  # scipy's tolerance puts them inside


def _orient(a, b, c, d):
    """Exact orient3d (Shewchuk's sign) on Fractions."""
    ad = [a[i] - d[i] for i in range(3)]
    bd = [b[i] - d[i] for i in range(3)]
    cd = [c[i] - d[i] for i in range(3)]
    return (
        ad[0] * (bd[1] * cd[2] - bd[2] * cd[1])
        - ad[1] * (bd[0] * cd[2] - bd[2] * cd[0])
        + ad[2] * (bd[0] * cd[1] - bd[1] * cd[0])
    )


@settings(deadline=None, max_examples=40)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
        min_size=4,
        max_size=20,
    ),
    st.lists(
        st.tuples(st.integers(-1, 7), st.integers(-1, 7), st.integers(-1, 7)),
        min_size=1,
        max_size=12,
    ),
)
def test_linear3d_exact_on_degenerate_lattices(pts, qs):
    """Lattice points (coplanar and cospherical everywhere, duplicates), queries
    on a half lattice (on faces, edges and vertices): every query inside the hull
    is located in a tetrahedron that holds it exactly and its value is the exact
    barycentric value; queries outside get NaN and no tetrahedron holds them."""
    P = np.array(pts, dtype=float)
    if np.linalg.matrix_rank(P - P[0]) < 3:
        return
    Q = np.array(qs, dtype=float) / 2
    v = P[:, 0] * 3 - P[:, 1] * 5 + P[:, 0] * P[:, 2]
    out = LinearNDInterpolator(P, v)(Q)
    tri = geoent.Delaunay(P)
    loc = tri.find_simplex(Q)
    F = [tuple(Fraction(x) for x in p) for p in P.tolist()]
    for q, t, val in zip(Q.tolist(), loc.tolist(), out.tolist(), strict=True):
        qf = tuple(Fraction(x) for x in q)
        holders = []
        for s in tri.simplices.tolist():
            a, b, c, d = (F[i] for i in s)
            if min(_orient(qf, b, c, d), _orient(a, qf, c, d), _orient(a, b, qf, d),
                   _orient(a, b, c, qf)) >= 0:  # fmt: skip
                holders.append(s)
        if t < 0:
            assert not holders and np.isnan(val)
            continue
        s = tri.simplices[t].tolist()
        assert s in holders
        a, b, c, d = (F[i] for i in s)
        vol = _orient(a, b, c, d)
        w = [
            _orient(qf, b, c, d) / vol,
            _orient(a, qf, c, d) / vol,
            _orient(a, b, qf, d) / vol,
            _orient(a, b, c, qf) / vol,
        ]
        exact = sum(wi * Fraction(v[i]) for wi, i in zip(w, s, strict=True))
        assert abs(val - float(exact)) <= 1e-12 * max(1.0, abs(float(exact)))
