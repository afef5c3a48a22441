"""Incremental 3D Delaunay: ``Delaunay(points3d, incremental=True).add_points``
and ``close``, and ``find_simplex``'s ``tol`` and far queries in 3D.

Oracles: geoent's batch 3D Delaunay and scipy (Qhull) on general-position input
(same set of tetrahedra); on degenerate input (lattices: duplicates, coplanar and
cospherical runs) the exact validator ``validate_triangulation`` plus a
brute-force empty-sphere check with exact (integer/Fraction) predicates.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial as ss
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.testing import validate_triangulation

from . import naive


def _tets(s):
    return {tuple(sorted(t)) for t in np.asarray(s).tolist()}


def _empty_spheres(P, simplices):
    """Every tetrahedron's circumsphere holds no input point strictly inside
    (exact insphere of the positively oriented tetrahedron, brute force)."""
    for t in np.asarray(simplices).tolist():
        a, b, c, d = (P[i] for i in t)
        assert naive.orient3d(a, b, c, d) > 0
        for e in P:
            assert naive.insphere(a, b, c, d, e) <= 0


def test_add_points_inserts_in_place_and_matches_batch_and_scipy():
    rng = np.random.default_rng(5)
    pts = rng.random((1500, 3))
    d = geoent.Delaunay(pts[:50], incremental=True)
    inc = d._inc
    for lo in range(50, 1500, 290):
        d.add_points(pts[lo : lo + 290])
        assert d._inc is inc  # the same kernel state, extended in place
        assert d.npoints == min(lo + 290, 1500)
        assert _tets(d.simplices) == _tets(geoent.Delaunay(pts[: d.npoints]).simplices)
    assert _tets(d.simplices) == _tets(ss.Delaunay(pts).simplices)
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
    assert d.simplices.dtype == np.intc and d.neighbors.dtype == np.intc
    assert {tuple(sorted(f)) for f in d.convex_hull.tolist()} == {
        tuple(sorted(f)) for f in ss.ConvexHull(pts).simplices.tolist()
    }
    v2s = d.vertex_to_simplex
    assert all(i in d.simplices[v2s[i]] for i in range(len(pts)))


def test_points_outside_the_hull_one_by_one():
    # every new point outside the current hull: the cavity is ghosts (and the
    # tetrahedra whose spheres hold the point); scipy's own incremental pattern
    rng = np.random.default_rng(1)
    pts = rng.standard_normal((300, 3))
    pts = pts[np.argsort(np.linalg.norm(pts, axis=1))]  # growing radius
    d = geoent.Delaunay(pts[:5], incremental=True)
    for k in range(5, 300):
        d.add_points(pts[k : k + 1])
    assert _tets(d.simplices) == _tets(ss.Delaunay(pts).simplices)
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)


def test_duplicates_restart_close_and_errors():
    rng = np.random.default_rng(2)
    pts = rng.random((40, 3))
    d = geoent.Delaunay(pts, incremental=True)
    extra = np.r_[pts[:3], rng.random((4, 3)), pts[3:4]]
    d.add_points(extra)  # exact copies: in coplanar, as a batch reports them
    allp = np.r_[pts, extra]
    batch = geoent.Delaunay(allp)
    assert _tets(d.simplices) == _tets(batch.simplices)
    assert d.coplanar[:, 0].tolist() == [40, 41, 42, 47]
    assert d.coplanar[:, 2].tolist() == [0, 1, 2, 3]
    for p, s, v in d.coplanar.tolist():
        assert v in d.simplices[s] and d.vertex_to_simplex[p] == s
    # restart=True rebuilds from all points: same tetrahedra
    r = geoent.Delaunay(pts, incremental=True)
    r.add_points(extra, restart=True)
    assert _tets(r.simplices) == _tets(d.simplices)
    d.add_points(np.empty((0, 3)))  # nothing to add
    assert d.npoints == 48
    with pytest.raises(ValueError):
        d.add_points(rng.random((3, 2)))  # wrong dimension
    d.close()
    with pytest.raises(RuntimeError):
        d.add_points(pts[:2])
    with pytest.raises(RuntimeError):
        geoent.Delaunay(pts).add_points(pts[:2])
    with pytest.raises(geoent.QhullError):  # no 3D extent
        geoent.Delaunay([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], incremental=True)


def test_capacity_growth_and_ints():
    # 8 points, then 100x as many: the state's capacity and the vertex at
    # infinity are renamed several times
    rng = np.random.default_rng(3)
    pts = rng.integers(-50, 50, (808, 3))
    d = geoent.Delaunay(pts[:8], incremental=True)
    for lo in range(8, 808, 100):
        d.add_points(pts[lo : lo + 100].tolist())
    rep = validate_triangulation(pts.astype(float), d.simplices, neighbors=d.neighbors)
    assert rep["distinct_points"] == len(np.unique(pts, axis=0))
    assert d.npoints == 808 and d._inc.cap >= 808


def test_new_scale_rebuilds_exactly():
    base = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
    d = geoent.Delaunay(base, incremental=True)
    inc0 = d._inc
    d.add_points([[1e60, 1e60, 1e60]])  # outside insphere's exact window at scale 1
    assert d._inc is not inc0 and d._inc.k != 0  # rebuilt, with a new scale
    validate_triangulation(d.points, d.simplices, neighbors=d.neighbors)
    assert d.nsimplex == len(geoent.delaunay(d.points))
    d.add_points([[0.25, 0.25, 0.25]])  # and keeps inserting in place
    validate_triangulation(d.points, d.simplices, neighbors=d.neighbors)


@settings(deadline=None, max_examples=40)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)),
        min_size=5,
        max_size=30,
    ),
    st.integers(4, 12),
    st.integers(1, 6),
)
def test_degenerate_lattices_in_chunks(pts, first, chunk):
    """Lattice points (exact duplicates, coplanar and cospherical groups) added in
    chunks: an exact Delaunay tetrahedralisation of every distinct point."""
    P = np.array(pts, dtype=float)
    if np.linalg.matrix_rank(P[:first] - P[0]) < 3:
        return
    d = geoent.Delaunay(P[:first], incremental=True)
    for lo in range(first, len(P), chunk):
        d.add_points(P[lo : lo + chunk])
    rep = validate_triangulation(P, d.simplices, neighbors=d.neighbors)
    distinct = len(np.unique(P, axis=0))
    assert rep["distinct_points"] == distinct
    assert d.npoints == len(P) and len(d.coplanar) == len(P) - distinct
    _empty_spheres(P, d.simplices)


@pytest.mark.parametrize("first, chunk", [(40, 1), (40, 33), (150, 500)])
def test_chunks_give_the_batch_tetrahedra_of_the_same_order(first, chunk):
    """``add_points`` runs the batch kernel's insertion loop: on a lattice with
    duplicates (cospherical ties everywhere, so the tetrahedra depend on the
    insertion order) the chunks give exactly the tetrahedra of one batch run in
    the same insertion order."""
    rng = np.random.default_rng(11)
    g = np.mgrid[0:6, 0:6, 0:6].reshape(3, -1).T.astype(float)
    P = np.concatenate([g, g[rng.choice(len(g), 40)]])[rng.permutation(len(g) + 40)]
    d = geoent.Delaunay(P[:first], incremental=True)
    for lo in range(first, len(P), chunk):
        d.add_points(P[lo : lo + chunk])
    order = d._inc.perm[: len(P)].copy()  # the insertion order the chunks used
    batch = geoent.delaunay(P[order], order="none")

    def by_coordinates(Q, simplices):  # copies may be labelled differently
        return {tuple(sorted(tuple(Q[i]) for i in t)) for t in simplices.tolist()}

    assert by_coordinates(P, d.simplices) == by_coordinates(P[order], batch)
    assert len(d.coplanar) == 40
    validate_triangulation(P, d.simplices, neighbors=d.neighbors)


# ---------------------------------------------------------------------------
# find_simplex in 3D: tol (scipy's meaning) and far queries
# ---------------------------------------------------------------------------


def test_find_simplex_tol_and_far_queries_3d():
    rng = np.random.default_rng(4)
    pts = rng.random((200, 3))
    d = geoent.Delaunay(pts)
    c = pts.mean(axis=0)
    # just outside the centroid of each hull facet
    f = pts[d.convex_hull].mean(axis=1)
    out = f + (f - c) * 1e-9
    assert (d.find_simplex(out) == -1).all()  # exact: outside
    got = d.find_simplex(out, tol=1e-6)
    border = np.flatnonzero((d.neighbors < 0).any(axis=1))
    # brute force over the hull tetrahedra: scipy's condition on the barycentric
    # coordinates, all within [-tol, 1 + tol]
    T = d.transform[border]
    bc = np.einsum("bij,kbj->kbi", T[:, :3, :], out[:, None, :] - T[None, :, 3, :])
    bc = np.concatenate((bc, 1 - bc.sum(axis=2, keepdims=True)), axis=2)
    fits = (np.abs(bc - 0.5) <= 0.5 + 1e-6).all(axis=2)  # (queries, border)
    for k, j in enumerate(got.tolist()):
        if j < 0:
            assert not fits[k].any()
        else:
            assert fits[k, np.searchsorted(border, j)] and border[np.searchsorted(border, j)] == j
    assert (got >= 0).mean() > 0.5  # most are taken in
    assert (d.find_simplex(out, tol=1e-14) == -1).all()  # too far for that tol
    # inside queries keep their exact answer with any tol
    q = rng.random((500, 3)) * 0.5 + 0.25
    exact = d.find_simplex(q)
    assert np.array_equal(d.find_simplex(q, tol=1e-3), exact)
    # far and huge queries: -1 without scaling trouble; shape kept
    far = d.find_simplex([[1e300, 0.5, 0.5], [-1e300, 1e300, 0], [2, 2, 2], [0.5, 0.5, 0.5]])
    assert far[:3].tolist() == [-1, -1, -1] and far[3] >= 0
    assert d.find_simplex(np.full((2, 5, 3), 0.5)).shape == (2, 5)
    assert (d.find_simplex([[1e300, 0.5, 0.5], [2, 2, 2]], tol=1e-6) == -1).all()
    # the box pre-filter of far queries changes no answer
    from geoent import _scipy_compat as compat

    qq = np.r_[out, c + (rng.random((300, 3)) - 0.5) * 1.0001, rng.random((50, 3)) * 3 - 1]
    found = d.find_simplex(qq).astype(np.int64)
    for tol in (1e-12, 1e-6, 1e-2, 0.3):
        args = (d.transform, d.neighbors, qq, found, tol)
        assert np.array_equal(
            compat.locate_with_tol(*args, (d.min_bound, d.max_bound)),
            compat.locate_with_tol(*args),
        )
    with pytest.raises(IndexError):
        d.find_simplex(1)
    with pytest.raises(ValueError):
        d.find_simplex([[0.5, 0.5]])
    with pytest.raises(ValueError):
        d.find_simplex([[np.nan, 0.5, 0.5]])


@settings(deadline=None, max_examples=30)
@given(st.integers(0, 2**32 - 1), st.integers(5, 40), st.integers(1, 9))
def test_nearly_cospherical_floats_in_chunks(seed, first, chunk):
    """Points rounded onto a sphere (nearly cospherical: the in-sphere filter
    cannot decide, so the exact stages run), some repeated across chunks: the
    result is an exact Delaunay tetrahedralisation of every distinct point."""
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((80, 3))
    P = v / np.linalg.norm(v, axis=1, keepdims=True)
    P = np.r_[P, P[rng.integers(0, 80, 10)]]  # exact copies, inserted later
    if np.linalg.matrix_rank(P[:first] - P[0]) < 3:
        return
    d = geoent.Delaunay(P[:first], incremental=True)
    for lo in range(first, len(P), chunk):
        d.add_points(P[lo : lo + chunk])
    rep = validate_triangulation(P, d.simplices, neighbors=d.neighbors)
    assert rep["distinct_points"] == len(np.unique(P, axis=0))
    assert len(d.coplanar) == len(P) - len(np.unique(P, axis=0))
