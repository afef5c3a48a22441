"""scipy-compatible signatures, attributes, errors and incremental mode of
geoent.Delaunay / geoent.ConvexHull (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.spatial as ss
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent._scipy_compat import QhullOptionsError, parse_qhull_options
from geoent.testing import validate_triangulation


def _sorted_rows(a):
    return sorted(tuple(sorted(r)) for r in np.asarray(a).tolist())


def test_scipy_positional_signatures_and_dtypes():
    pts = np.random.default_rng(0).random((50, 2))
    d = geoent.Delaunay(pts, False, False, None)
    h = geoent.ConvexHull(pts, False, None)
    assert isinstance(d, ss.Delaunay) and isinstance(h, ss.ConvexHull)
    for arr in (
        d.simplices,
        d.neighbors,
        d.convex_hull,
        d.coplanar,
        d.vertex_to_simplex,
        *d.vertex_neighbor_vertices,
        h.vertices,
        h.simplices,
        h.neighbors,
        h.coplanar,
    ):
        assert arr.dtype == np.intc
    # the functional API keeps int64
    assert geoent.delaunay(pts).dtype == np.int64 and geoent.convex_hull(pts).dtype == np.int64
    # scipy's own Cython helper accepts the arrays
    from scipy.spatial._qhull import _get_barycentric_transforms

    tr = _get_barycentric_transforms(d.points, d.simplices, np.finfo(float).eps)
    np.testing.assert_allclose(tr, d.transform, rtol=1e-10, atol=1e-10)


def test_attributes_match_scipy_on_general_position():
    pts = np.random.default_rng(1).random((300, 2))
    d, s = geoent.Delaunay(pts), ss.Delaunay(pts)
    assert _sorted_rows(d.simplices) == _sorted_rows(s.simplices)
    assert _sorted_rows(d.convex_hull) == _sorted_rows(s.convex_hull)
    np.testing.assert_array_equal(d.min_bound, s.min_bound)
    np.testing.assert_array_equal(d.max_bound, s.max_bound)
    # transform: barycentric coordinates of the centroids are 1/3 each
    c = pts[d.simplices].mean(axis=1)
    b = np.einsum("ijk,ik->ij", d.transform[:, :2], c - d.transform[:, 2])
    np.testing.assert_allclose(b, 1 / 3, atol=1e-9)
    # lifted planes: each vertex of a triangle is on its plane, others above
    z = d.lift_points(pts)
    dist = z @ d.equations[:, :3].T + d.equations[:, 3]
    on = dist[d.simplices, np.arange(d.nsimplex)[:, None]]
    assert np.abs(on).max() < 1e-12
    assert (dist < 1e-12).all()  # outward (downward) normals: every lifted point above
    np.testing.assert_allclose(d.plane_distance(pts[:7]), dist[:7], atol=1e-15)
    # the same function as scipy's lifted distance, up to scipy's paraboloid scaling
    assert d.lift_points(np.array([1.0, 2.0])).tolist() == [1.0, 2.0, 5.0]
    vi, vj = d.vertex_neighbor_vertices
    si, sj = s.vertex_neighbor_vertices
    for k in range(len(pts)):
        assert sorted(vj[vi[k] : vi[k + 1]]) == sorted(sj[si[k] : si[k + 1]])


def test_qhullerror_is_both():
    for cls, pts in (
        (geoent.Delaunay, [[0, 0], [1, 1], [2, 2]]),
        (geoent.ConvexHull, [[0, 0], [1, 1], [2, 2]]),
        (geoent.ConvexHull, [[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]]),
    ):
        with pytest.raises(ss.QhullError):
            cls(pts)
        with pytest.raises(ValueError):
            cls(pts)
        with pytest.raises(geoent.GeometryError):
            cls(pts)


def test_find_simplex_errors_tol_and_far_queries():
    d = geoent.Delaunay([[0, 0], [0, 1.1], [1, 0], [1, 1]])
    with pytest.raises(IndexError):
        d.find_simplex(1)
    with pytest.raises(IndexError):
        d.find_simplex(d)
    with pytest.raises(ValueError):
        d.find_simplex([2, 2, 2])
    far = d.find_simplex([[1e300, 0.0], [-1e300, 1e300], [0.5, 0.5]])
    assert far.dtype == np.intc and far[:2].tolist() == [-1, -1] and far[2] >= 0
    just_out = [[-1e-14, 0.5]]
    assert d.find_simplex(just_out)[0] == -1  # exact
    j = d.find_simplex(just_out, tol=1e-12)[0]  # scipy's tolerance
    assert j >= 0 and 0 in d.simplices[j] and 1 in d.simplices[j]
    assert d.find_simplex(just_out, tol=1e-16)[0] == -1
    assert d.find_simplex([[0.5, 0.5]], bruteforce=True)[0] >= 0


def test_qhull_options_parsing():
    o = parse_qhull_options(b"Qbb Qc Qz Q12 QJ Pp", "Delaunay")
    assert o.good is None and not o.furthest and len(o.ignored) == 6
    assert parse_qhull_options("QG-3 Qt", "ConvexHull").good == (3, False)
    assert parse_qhull_options("Qu", "Delaunay").furthest
    for bad, owner in (("Qnonsense", "Delaunay"), ("QG2", "Delaunay"), ("Qu", "ConvexHull")):
        with pytest.raises(QhullOptionsError):
            parse_qhull_options(bad, owner)
    with pytest.raises(ValueError, match="unknown option 'Xyz'"):
        geoent.Delaunay(np.random.default_rng(0).random((5, 2)), qhull_options="Qbb Xyz")
    with pytest.raises(ValueError, match="QG9"):
        geoent.ConvexHull(np.random.default_rng(0).random((5, 2)), qhull_options="QG9")


def test_vertex_to_simplex_for_duplicates():
    p = np.random.default_rng(2).random((10, 2))
    d = geoent.Delaunay(np.r_[p, p])
    assert (d.vertex_to_simplex >= 0).all()
    for k in range(10, 20):
        assert k - 10 in d.simplices[d.vertex_to_simplex[k]]


def test_furthest_site_exact_property():
    rng = np.random.default_rng(4)
    pts = np.r_[rng.random((40, 2)), [[0, 0], [1, 0], [1, 1], [0, 1]]]  # square: ties
    d = geoent.Delaunay(pts, furthest_site=True)
    assert d.furthest_site
    hull = geoent.convex_hull(pts)
    assert d.nsimplex == len(hull) - 2
    assert set(np.unique(d.simplices).tolist()) == set(hull.tolist())
    from geoent.predicates import incircle, orient2d

    a, b, c = (pts[d.simplices[:, j]] for j in range(3))
    assert (orient2d(a, b, c) > 0).all()
    for k in range(len(pts)):
        assert (incircle(a, b, c, pts[k]) >= 0).all()  # every point in every circle
    assert np.array_equal(geoent.Delaunay(pts, qhull_options="Qu").simplices, d.simplices)
    # same triangles as scipy on general position
    g = rng.random((30, 2))
    assert _sorted_rows(geoent.Delaunay(g, furthest_site=True).simplices) == _sorted_rows(
        ss.Delaunay(g, furthest_site=True).simplices
    )


def test_add_points_inserts_and_matches_batch():
    rng = np.random.default_rng(5)
    pts = rng.random((2000, 2))
    d = geoent.Delaunay(pts[:100], incremental=True)
    inc = d._inc
    for lo in range(100, 2000, 300):
        d.add_points(pts[lo : lo + 300])
        assert d._inc is inc  # the same kernel state, extended in place
    full = geoent.Delaunay(pts)
    assert d.npoints == 2000
    assert _sorted_rows(d.simplices) == _sorted_rows(full.simplices)
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
    d.add_points(pts[:5])  # exact copies: reported in coplanar, as a batch would
    assert d.coplanar[:, 0].tolist() == list(range(2000, 2005))
    assert d.coplanar[:, 2].tolist() == list(range(5))
    d.close()
    with pytest.raises(RuntimeError):
        d.add_points(pts[:3])
    with pytest.raises(RuntimeError):
        geoent.Delaunay(pts[:10]).add_points(pts[10:20])


def test_add_points_new_scale_rebuilds_exactly():
    d = geoent.Delaunay([[0, 0], [1, 0], [0, 1]], incremental=True)
    inc0 = d._inc
    d.add_points([[1e-60, 1e-60], [1e60, 1e60]])  # outside the exact window at scale 1
    assert d._inc is not inc0 and d._inc.k != 0  # rebuilt by geoent's kernel, new scale
    validate_triangulation(d.points, d.simplices, neighbors=d.neighbors)
    assert d.nsimplex == len(geoent.delaunay(d.points))


@settings(deadline=None, max_examples=60)
@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=4, max_size=40),
    st.integers(3, 10),
)
def test_add_points_degenerate_grids_valid(pts, first):
    """Grid points (duplicates, collinear and cocircular runs) added in chunks: the
    result is a valid exact Delaunay triangulation using every distinct point."""
    P = np.array(pts, dtype=float)
    if np.linalg.matrix_rank(P[:first] - P[0]) < 2:
        return
    d = geoent.Delaunay(P[:first], incremental=True)
    for lo in range(first, len(P), 7):
        d.add_points(P[lo : lo + 7])
    rep = validate_triangulation(P, d.simplices, neighbors=d.neighbors)
    assert rep["distinct_points"] == len(np.unique(P, axis=0))
    assert d.npoints == len(P) and len(d.coplanar) == len(P) - len(np.unique(P, axis=0))


def test_convex_hull_incremental_and_good():
    rng = np.random.default_rng(6)
    pts = rng.random((500, 3))
    h = geoent.ConvexHull(pts[:10], incremental=True)
    for lo in range(10, 500, 70):
        h.add_points(pts[lo : lo + 70])
    full = geoent.ConvexHull(pts)
    assert sorted(h.vertices.tolist()) == sorted(full.vertices.tolist())
    assert _sorted_rows(h.simplices) == _sorted_rows(full.simplices)
    assert abs(h.volume - full.volume) <= 1e-14 and abs(h.area - full.area) <= 1e-13
    h.close()
    with pytest.raises(RuntimeError):
        h.add_points(pts[:2])
    # good in 3D: the QG point is left out, facets it sees are good (as scipy)
    g = geoent.ConvexHull(pts[:40], qhull_options="QG0")
    s = ss.ConvexHull(pts[:40], qhull_options="QG0")

    def good_set(h):
        return {
            tuple(sorted(f)): bool(x) for f, x in zip(h.simplices.tolist(), h.good, strict=True)
        }

    assert good_set(g) == good_set(s)
    assert 0 not in g.vertices


def test_message_says_dimensions():
    with pytest.raises(ValueError, match="dimensions"):
        geoent.Delaunay(np.zeros((4, 10, 3)))
