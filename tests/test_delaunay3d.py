"""Tests of 3D Delaunay (geoent.delaunay / geoent.Delaunay on (n, 3) input) and of
the 3D checks of geoent.testing.validate_triangulation.

Oracles: scipy (Qhull) on random general-position input only (the same set of
tetrahedra); on degenerate input the exact, oracle-free validator; brute force
with exact predicates and ``fractions.Fraction`` for point location.
"""

from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay as ScipyDelaunay

from geoent import Delaunay, GeometryError, InputError, delaunay
from geoent.predicates import orient3d
from geoent.testing import validate_triangulation

FACE = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]])
ORDERS = ("brio", "morton", "none")


def tet_set(tets):
    return {tuple(sorted(t)) for t in np.asarray(tets).tolist()}


def lattice(k, m=None, p=None):
    m = k if m is None else m
    p = k if p is None else p
    g = np.mgrid[0:k, 0:m, 0:p].reshape(3, -1).T
    return g.astype(float)


def sphere_lattice(r2):
    """All integer points with x^2 + y^2 + z^2 == r2 (exactly cospherical)."""
    r = int(np.sqrt(r2)) + 1
    g = np.mgrid[-r : r + 1, -r : r + 1, -r : r + 1].reshape(3, -1).T
    return g[(g**2).sum(1) == r2].astype(float)


def rotation(a, b):
    ca, sa, cb, sb = np.cos(a), np.sin(a), np.cos(b), np.sin(b)
    rz = np.array([[ca, -sa, 0], [sa, ca, 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, cb, -sb], [0, sb, cb]])
    return rz @ rx


def degenerate_cases():
    rng = np.random.default_rng(3)
    base = rng.random((80, 3))
    near = rng.random((150, 3))
    near[:, 2] = np.where(rng.random(150) < 0.5, 1.0, np.nextafter(1.0, 2.0))
    near = np.vstack((near, [[0.5, 0.5, 0.0]]))
    u = rng.normal(size=(200, 3))
    return {
        "lattice_5": lattice(5),
        "lattice_8x3x2": lattice(8, 3, 2),
        "lattice_rotated": lattice(5) @ rotation(0.3, 0.7).T,
        "lattice_with_centres": np.vstack((lattice(4), lattice(3) + 0.5)),
        "sphere_lattice_50": sphere_lattice(50),  # 54 exactly cospherical points
        "sphere_lattice_and_centre": np.vstack((sphere_lattice(27), [[0.0, 0.0, 0.0]])),
        "two_spheres": np.vstack((sphere_lattice(9), sphere_lattice(101))),
        "sphere_float": u / np.linalg.norm(u, axis=1)[:, None],
        "duplicates": np.vstack((base, base[::2], base[::3], base[:5], base[:5])),
        "nearly_coplanar": near,
        "huge_offset": base + 1e8,
        "tiny": base * 1e-300,
        "large": base * 1e200,
        "mixed_scale": np.vstack((base, base[:10] * 1e-30)),
        "cube_corners_and_faces": np.vstack((lattice(2), lattice(3) * 0.5)),
        "collinear_plus_one": np.vstack(
            (np.column_stack((np.arange(20.0), np.zeros(20), np.zeros(20))), [[0, 1, 0], [0, 0, 1]])
        ),
        "coplanar_plus_one": np.vstack(
            (np.column_stack((lattice(6, 6, 1)[:, :2], np.zeros(36))), [[2, 2, 1]])
        ),
    }


@pytest.mark.parametrize("name", list(degenerate_cases()))
def test_degenerate_input_is_exact(name):
    pts = degenerate_cases()[name]
    d = Delaunay(pts)
    info = validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
    assert info["tetrahedra"] == d.nsimplex > 0
    assert np.array_equal(delaunay(pts), d.simplices)


@pytest.mark.parametrize("order", ORDERS)
def test_lattice_all_orders(order):
    pts = lattice(6)
    d = Delaunay(pts, order=order)
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
    # a convex lattice box is tiled by volume 1/6 tetrahedra at least... the
    # exact volume identity in the validator already holds; all 216 points used
    assert np.unique(d.simplices).size == 216


@pytest.mark.parametrize("n", [5, 30, 300, 3000])
@pytest.mark.parametrize("order", ORDERS)
def test_equals_scipy_on_general_position(n, order):
    rng = np.random.default_rng(n)
    pts = rng.random((n, 3))
    d = Delaunay(pts, order=order)
    assert tet_set(d.simplices) == tet_set(ScipyDelaunay(pts).simplices)
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)


@pytest.mark.parametrize("dist", ["ball", "gaussian", "clusters"])
def test_equals_scipy_other_distributions(dist):
    rng = np.random.default_rng(11)
    if dist == "ball":
        pts = rng.normal(size=(4000, 3))
        pts *= (rng.random(4000) ** (1 / 3) / np.linalg.norm(pts, axis=1))[:, None]
    elif dist == "gaussian":
        pts = rng.normal(size=(4000, 3))
    else:
        c = rng.random((8, 3))
        pts = c[rng.integers(0, 8, 4000)] + 0.01 * rng.normal(size=(4000, 3))
    d = Delaunay(pts)
    assert tet_set(d.simplices) == tet_set(ScipyDelaunay(pts).simplices)


def test_scipy_attributes_on_general_position():
    rng = np.random.default_rng(5)
    pts = rng.random((500, 3))
    d = Delaunay(pts)
    s = ScipyDelaunay(pts)
    assert d.simplices.dtype == s.simplices.dtype or d.simplices.dtype == np.int64
    assert d.ndim == 3 and d.npoints == 500 and d.nsimplex == s.nsimplex
    # hull facets: same set, counter-clockwise seen from outside
    assert tet_set(d.convex_hull) == tet_set(s.convex_hull)
    inner = pts.mean(0)
    h = d.convex_hull
    o = orient3d(pts[h[:, 0]], pts[h[:, 1]], pts[h[:, 2]], np.tile(inner, (len(h), 1)))
    assert (o > 0).all()
    # vertex_neighbor_vertices equals scipy's (as sets per vertex)
    ip, ix = d.vertex_neighbor_vertices
    sp, sx = s.vertex_neighbor_vertices
    for k in range(500):
        assert sorted(ix[ip[k] : ip[k + 1]].tolist()) == sorted(sx[sp[k] : sp[k + 1]].tolist())
    # vertex_to_simplex: each vertex is in its simplex
    v2s = d.vertex_to_simplex
    assert all(k in d.simplices[v2s[k]] for k in range(500))
    # neighbors: neighbour j shares the facet opposite vertex j
    for t in range(d.nsimplex):
        for j in range(4):
            u = d.neighbors[t, j]
            if u >= 0:
                assert set(d.simplices[t]) - {d.simplices[t, j]} <= set(d.simplices[u])
    # transform: barycentric coordinates reproduce the points
    T = d.transform
    x = rng.random((500, 3))
    simp = d.find_simplex(x)
    ok = simp >= 0
    c = np.einsum("ijk,ik->ij", T[simp[ok], :3], x[ok] - T[simp[ok], 3])
    bary = np.column_stack((c, 1 - c.sum(1)))
    rec = np.einsum("ij,ijk->ik", bary, pts[d.simplices[simp[ok]]])
    assert np.allclose(rec, x[ok], atol=1e-9)
    assert (bary > -1e-9).all()
    # equations / plane_distance: lifted vertices on their planes, every lifted
    # point on or above each lower-hull plane
    eq = d.equations
    lifted = d.lift_points(pts)
    on = np.einsum("ij,ikj->ik", eq[:, :-1], lifted[d.simplices]) + eq[:, -1:]
    assert np.abs(on).max() < 1e-9
    assert (eq[:, 3] < 0).all()
    dist = d.plane_distance(pts[7])
    assert dist.shape == (d.nsimplex,) and (dist <= 1e-9).all()


def test_duplicates_reported_in_coplanar():
    rng = np.random.default_rng(2)
    base = rng.random((40, 3))
    pts = np.vstack((base, base[[3, 3, 10]], base[[0]]))  # 40, 41 copy 3; 42 copies 10; 43 copies 0
    d = Delaunay(pts)
    used = np.unique(d.simplices)
    assert used.tolist() == list(range(40))
    assert d.coplanar[:, 0].tolist() == [40, 41, 42, 43]
    assert d.coplanar[:, 2].tolist() == [3, 3, 10, 0]
    for _p, t, v in d.coplanar.tolist():
        assert v in d.simplices[t]
    # as scipy (issue 15): a duplicate's vertex_to_simplex holds the vertex it copies
    assert d.vertex_to_simplex[40:].tolist() == d.coplanar[:, 1].tolist()
    # the lowest index of a group is the vertex even when a copy comes first
    pts2 = np.vstack((base[[5]], base))  # point 0 == point 6
    d2 = Delaunay(pts2)
    assert 0 in d2.simplices and 6 not in d2.simplices
    assert d2.coplanar[:, [0, 2]].tolist() == [[6, 0]]


def test_flat_input():
    plane = np.column_stack((np.random.default_rng(0).random((30, 2)), np.full(30, 2.0)))
    tilted = plane @ rotation(0.2, 0.9).T  # rounded: generally no longer coplanar
    assert delaunay(plane).shape == (0, 4)
    with pytest.raises(GeometryError, match="no 3D extent"):
        Delaunay(plane)
    for few in ([[0, 0, 0]], [[0, 0, 0], [1, 1, 1], [0, 0, 0]], [[0, 0, 0], [1, 0, 0], [0, 1, 0]]):
        assert delaunay(few).shape == (0, 4)
    line = np.column_stack((np.arange(10.0), 2 * np.arange(10.0), np.zeros(10)))
    assert delaunay(line).shape == (0, 4)
    validate_triangulation(plane, np.empty((0, 4), np.int64))
    d = delaunay(tilted)  # whatever rounding made of it, the answer is exact
    validate_triangulation(tilted, d)


def test_bad_input():
    with pytest.raises(InputError):
        delaunay(np.zeros((0, 3)))
    with pytest.raises(InputError, match="row 2"):
        delaunay([[0, 0, 0], [1, 0, 0], [0, np.nan, 0], [0, 0, 1]])
    with pytest.raises(InputError):
        delaunay(np.zeros((5, 4)))
    with pytest.raises(InputError):
        Delaunay(np.random.default_rng(0).random((10, 3)), order="zigzag")
    with pytest.raises(InputError):
        Delaunay(np.random.default_rng(0).random((10, 3)), order=np.zeros(10, int))


def test_input_not_modified_and_types():
    rng = np.random.default_rng(4)
    pts = rng.integers(0, 5, (60, 3))
    keep = pts.copy()
    a = delaunay(pts)
    b = delaunay(pts.astype(np.float32))
    c = delaunay(pts.tolist())
    assert np.array_equal(pts, keep)
    assert np.array_equal(a, b) and np.array_equal(a, c)


def test_deterministic():
    pts = lattice(5)
    assert np.array_equal(delaunay(pts), delaunay(pts))
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(pts))
    assert np.array_equal(delaunay(pts, order=perm), delaunay(pts, order=perm))


def _contains_exact(pts, tet, q):
    """q in the closed tetrahedron, by Fraction barycentric coordinates."""
    V = [[Fraction(float(v)) for v in pts[i]] for i in tet]
    Q = [Fraction(float(v)) for v in q]

    def det(a, b, c, d):
        m = [
            [a[k] - d[k] for k in range(3)],
            [b[k] - d[k] for k in range(3)],
            [c[k] - d[k] for k in range(3)],
        ]
        return (
            m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
        )

    total = det(*V)
    parts = []
    for j in range(4):
        W = list(V)
        W[j] = Q
        parts.append(det(*W))
    assert sum(parts) == total
    return all(p >= 0 for p in parts)


def test_find_simplex_exact_on_vertices_edges_facets():
    pts = lattice(4)
    d = Delaunay(pts)
    s = d.simplices
    queries = [pts[v] for v in range(len(pts))]  # vertices
    for t in s[:40]:
        for a, b in combinations(t, 2):
            queries.append((pts[a] + pts[b]) / 2)  # exact midpoints of edges
        for f in FACE:
            queries.append(pts[t[f]].sum(0) / 4 + pts[t[f[0]]] / 4)  # on the facet
    queries += [[-0.5, 1, 1], [3.0000000000000004, 1, 1], [1.5, 1.5, 3.0], [1.5, 1.5, 3.5]]
    q = np.array(queries)
    res = d.find_simplex(q)
    for qi, r in zip(q, res.tolist(), strict=True):
        inside = (qi >= 0).all() and (qi <= 3).all()
        if r < 0:
            assert not inside
        else:
            assert _contains_exact(pts, s[r], qi)
    assert res[-4] == -1 and res[-3] == -1 and res[-2] >= 0 and res[-1] == -1
    assert d.find_simplex(q.reshape(-1, 1, 3)).shape == (len(q), 1)


def test_find_simplex_random_against_bruteforce():
    rng = np.random.default_rng(9)
    pts = rng.random((60, 3))
    d = Delaunay(pts)
    q = rng.random((300, 3)) * 1.4 - 0.2
    res = d.find_simplex(q)
    s = d.simplices
    m = len(s)
    for qi, r in zip(q, res.tolist(), strict=True):
        # brute force: closed tetrahedra holding qi, by exact orient3d on all faces
        qq = np.tile(qi, (m, 1))
        inside = np.ones(m, bool)
        for f in FACE:
            inside &= orient3d(pts[s[:, f[0]]], pts[s[:, f[1]]], pts[s[:, f[2]]], qq) >= 0
        if r < 0:
            assert not inside.any()
        else:
            assert inside[r] and _contains_exact(pts, s[r], qi)


def test_validator_rejects_wrong_answers():
    tri = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]], float)
    pts = np.vstack((tri, [[0.3, 0.3, 1.0], [0.3, 0.3, -1.0]]))
    good = delaunay(pts)
    validate_triangulation(pts, good)

    def orient(ts):
        out = []
        for t in ts:
            t = list(t)
            if orient3d(pts[[t[0]]], pts[[t[1]]], pts[[t[2]]], pts[[t[3]]])[0] < 0:
                t[0], t[1] = t[1], t[0]
            out.append(t)
        return np.array(out)

    two = orient([[0, 1, 2, 3], [0, 1, 2, 4]])
    three = orient([[3, 4, 0, 1], [3, 4, 1, 2], [3, 4, 2, 0]])
    other = three if len(good) == 2 else two
    validate_triangulation(pts, good)
    with pytest.raises(AssertionError, match="not locally Delaunay"):
        validate_triangulation(pts, other)
    with pytest.raises(AssertionError, match="not positively oriented"):
        validate_triangulation(pts, good[:, [1, 0, 2, 3]])
    with pytest.raises(AssertionError, match="not a vertex"):
        validate_triangulation(np.vstack((pts, [[0.1, 0.1, 0.1]])), good)
    with pytest.raises(AssertionError):
        validate_triangulation(pts, good[:1])  # part of the hull missing
    bad_nb = np.zeros_like(good)
    with pytest.raises(AssertionError, match="neighbors"):
        validate_triangulation(pts, good, neighbors=bad_nb)


def test_validator_rejects_nonconvex_union():
    # two separate clusters each tetrahedralised: every check but convexity passes
    a = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    pts = np.vstack((a, a + 10))
    tets = np.array([[0, 1, 2, 3], [4, 5, 6, 7]])
    if orient3d(pts[[0]], pts[[1]], pts[[2]], pts[[3]])[0] < 0:
        tets = tets[:, [1, 0, 2, 3]]
    with pytest.raises(AssertionError):
        validate_triangulation(pts, tets)


points3 = st.lists(st.tuples(*(st.integers(0, 4),) * 3), min_size=1, max_size=40).map(
    lambda p: np.array(p, dtype=float)
)


@settings(deadline=None, max_examples=120)
@given(points3, st.sampled_from(ORDERS))
def test_hypothesis_small_integer_sets(pts, order):
    simp = delaunay(pts, order=order)
    validate_triangulation(pts, simp)


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.tuples(*(st.floats(-1, 1, allow_nan=False, width=32),) * 3), min_size=4, max_size=60
    ),
    st.integers(0, 3),
)
def test_hypothesis_floats_and_scales(raw, shift):
    pts = np.array(raw, dtype=float) * 10.0 ** (3 * shift) + [0, 0, 10.0**shift]
    validate_triangulation(pts, delaunay(pts))


def test_kernel_regrows_storage_mid_insertion():
    """The insertion loop stops before changing anything when its storage runs
    short and is resumed on the same point: a tiny initial capacity (tetrahedron
    slots) and one cavity holding every tetrahedron (larger than the initial
    cavity work space and free list) give the same tetrahedra as ample storage."""
    from geoent._kernels import delaunay3d as k

    u = np.random.default_rng(11).normal(size=(1500, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    # nearly cospherical, and the centre last: its cavity is (almost) everything
    P = np.ascontiguousarray(np.vstack((u, [[0.0, 0.0, 0.0]])))
    n = P.shape[0]
    runs = []
    for cap in (5, 8 * n):
        dup = np.full(n, -1, np.int64)
        T, nt, status = k.tetrahedralize(P, np.empty(8 * cap, np.int32), dup, np.zeros(1, np.uint8))
        assert status == k.OK
        out = np.empty((nt, 4), np.int64)
        simp = out[: k.extract_tets(T, nt, n, np.arange(n), out, np.zeros(1, np.uint8))]
        runs.append(simp)
    assert tet_set(runs[0]) == tet_set(runs[1])
    info = validate_triangulation(P, runs[0])
    assert info["tetrahedra"] == runs[0].shape[0]
    # the centre is a vertex of more tetrahedra than one cavity work space holds
    assert np.count_nonzero(runs[0] == n - 1) > 1024


@pytest.mark.parametrize("m", [20, 31, 32, 45])
def test_star_linking_both_sides_of_the_edge_table_limit(m):
    """The new tetrahedra of a cavity are linked through a 32 x 32 table of
    directed boundary edges when the cavity has at most 58 boundary faces, else
    through an edge hash table. Points on a sphere (in general position), then
    the centre, inserted last: every tetrahedron's sphere is that sphere, so the
    centre's cavity is all of them and its boundary is the hull, 2m - 4 faces
    (58 for m = 31, 60 for m = 32). The result must be the hull's facets coned
    to the centre (scipy's ConvexHull as the oracle), valid and exact."""
    from scipy.spatial import ConvexHull

    u = np.random.default_rng(m).normal(size=(m, 3))
    u /= np.linalg.norm(u, axis=1)[:, None]
    pts = np.vstack((u, [[0.0, 0.0, 0.0]]))
    tets = delaunay(pts, order="none")
    hull = ConvexHull(u).simplices
    assert hull.shape[0] == 2 * m - 4
    assert tet_set(tets) == {tuple(sorted((*f, m))) for f in hull.tolist()}
    d = Delaunay(pts, order="none")
    validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
