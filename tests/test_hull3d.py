"""Tests of the exact 3D convex hull (``geoent._hull3d.hull3d``).

Oracles: scipy (Qhull) vertex sets on random general-position input; the exact
brute force ``naive.hull3d_vertices`` (Python integers / Fractions) on small sets,
where a point is a vertex iff it is not in the convex hull of the other distinct
points (decided by Caratheodory: it lies in no closed tetrahedron, triangle or segment
of them);
exact structural properties checked with geoent's orient3d on everything else.
"""

from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.spatial import ConvexHull

import geoent._hull3d as hull3d_module
from geoent._hull3d import hull3d
from geoent._kernels.predicates import orient3d_batch
from geoent._validation import as_points, check_exponent_range
from geoent.datasets import make_points
from geoent.errors import RangeError
from geoent.predicates import orient3d

from . import naive


def run(points):
    return hull3d(as_points(points, ndim=3))


# ---------------------------------------------------------------------------
# Exact properties of a 3D result
# ---------------------------------------------------------------------------


def signs3d(a, b, c, d):
    """Exact orient3d signs of rows already in the exact exponent window (the
    kernel behind ``geoent.predicates.orient3d``, without its per-row scaling)."""
    out = np.empty(len(a), dtype=np.int8)
    orient3d_batch(a, b, c, d, out)
    return out


def check_hull(pts, h):
    pts = np.asarray(pts, dtype=float)
    pts, _ = check_exponent_range(pts, 3)  # a power of two: no sign changes
    n = len(pts)
    if h.dim < 3:
        assert h.simplices is None and h.neighbors is None
        return
    T, N = h.simplices, h.neighbors
    assert T.dtype == np.int64 and N.dtype == np.int64
    m = len(T)
    assert T.shape == (m, 3) and N.shape == (m, 3) and m >= 4
    # vertices: ascending, exactly the triangle corners, lowest among duplicates
    assert np.array_equal(h.vertices, np.unique(T))
    for v in h.vertices:
        assert not np.any(np.all(pts[:v] == pts[v], axis=1)), "not the lowest duplicate"
    # neighbours: across edge (T[t, j+1], T[t, j+2]) lies the triangle with it reversed
    for t in range(m):
        for j in range(3):
            g = N[t, j]
            u, v = T[t, (j + 1) % 3], T[t, (j + 2) % 3]
            row = list(T[g])
            assert g != t and u in row and v in row
            k = row.index(v)
            assert row[(k + 1) % 3] == u, "neighbour edge not reversed"
            apex = [x for x in row if x not in (u, v)][0]
            assert N[g, row.index(apex)] == t
    # Euler's formula for a triangulated sphere
    V = len(h.vertices)
    assert V - 3 * m // 2 + m == 2
    # every point inside or on every facet's plane; each facet has a point strictly
    # below it (outward orientation); no degenerate facet
    step = max(1, 500_000 // n)
    for lo in range(0, m, step):
        tt = T[lo : lo + step]
        k = len(tt)
        a = np.repeat(pts[tt[:, 0]], n, axis=0)
        b = np.repeat(pts[tt[:, 1]], n, axis=0)
        c = np.repeat(pts[tt[:, 2]], n, axis=0)
        s = signs3d(a, b, c, np.tile(pts, (k, 1))).reshape(k, n)
        assert (s >= 0).all(), "a point lies outside the hull"
        assert (s > 0).any(axis=1).all(), "a facet is oriented inwards"
    # no vertex in the relative interior of a face or an edge: around each vertex
    # at least three incident edges are folds (their two triangles not coplanar)
    apex = np.empty((m, 3), dtype=np.int64)
    for t in range(m):
        for j in range(3):
            g = N[t, j]
            row = list(T[g])
            apex[t, j] = [x for x in row if x not in (T[t, (j + 1) % 3], T[t, (j + 2) % 3])][0]
    fold = (
        signs3d(
            np.repeat(pts[T[:, 0]], 3, axis=0),
            np.repeat(pts[T[:, 1]], 3, axis=0),
            np.repeat(pts[T[:, 2]], 3, axis=0),
            pts[apex.ravel()],
        ).reshape(m, 3)
        != 0
    )
    folds = {}
    for t in range(m):
        for j in range(3):
            if fold[t, j]:
                for v in (T[t, (j + 1) % 3], T[t, (j + 2) % 3]):
                    folds[v] = folds.get(v, 0) + 1
    for v in h.vertices:
        # each undirected fold edge is seen from both of its triangles
        assert folds.get(v, 0) // 2 >= 3, f"vertex {v} is not a corner"


def same_as_scipy(pts):
    h = run(pts)
    ref = ConvexHull(pts)
    assert h.dim == 3
    assert np.array_equal(h.vertices, np.sort(ref.vertices))
    return h


# ---------------------------------------------------------------------------
# Random general-position input against scipy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cube", "ball", "gaussian3d", "sphere"])
@pytest.mark.parametrize("n", [5, 50, 1000, 6000, 40000])
def test_random_matches_scipy(name, n):
    pts = make_points(name, n, seed=n + 7)
    h = same_as_scipy(pts)
    if n <= 1000:
        check_hull(pts, h)


def test_orientation_convention_matches_predicates():
    # a facet (a, b, c) is counter-clockwise seen from outside: orient3d > 0 inside
    pts = make_points("ball", 200, seed=3)
    h = run(pts)
    centre = pts[h.vertices].mean(axis=0, keepdims=True)
    T = h.simplices
    s = orient3d(pts[T[:, 0]], pts[T[:, 1]], pts[T[:, 2]], centre)
    assert (s > 0).all()


# ---------------------------------------------------------------------------
# Exact brute force on small and degenerate sets
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_small_random_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 13))
    pts = rng.integers(-3, 4, size=(n, 3)).astype(float)
    h = run(pts)
    assert h.dim == naive.hull3d_dim(pts)
    assert h.vertices.tolist() == naive.hull3d_vertices(pts)
    check_hull(pts, h)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(*[st.integers(-2, 2)] * 3),
        min_size=1,
        max_size=11,
    )
)
def test_hypothesis_small_integers(coords):
    pts = np.array(coords, dtype=float)
    h = run(pts)
    assert h.dim == naive.hull3d_dim(pts)
    assert h.vertices.tolist() == naive.hull3d_vertices(pts)
    check_hull(pts, h)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(*[st.integers(0, 4)] * 3), min_size=4, max_size=120),
    st.sampled_from([1.0, 0.125, 2.0**-600, 3.0e8, 2.0**700]),
)
def test_hypothesis_lattice_properties(coords, scale):
    pts = np.array(coords, dtype=float) * scale
    h = run(pts)
    check_hull(pts, h)
    # exact scalings (powers of two, integers times 3e8) change no corner
    ref = run(np.array(coords, dtype=float))
    assert np.array_equal(h.vertices, ref.vertices)
    assert h.dim == ref.dim


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(*[st.integers(0, 5)] * 3), min_size=5, max_size=300),
    st.integers(1, 60),
    st.integers(0, 2**31 - 1),
)
def test_hypothesis_filter_path_on_small_sets(coords, sample, seed):
    # the sample-hull filter normally starts at 4096 points: force it here, with
    # small samples of degenerate sets, and check the result exactly
    pts = np.array(coords, dtype=float)
    pts = pts[np.random.default_rng(seed).permutation(len(pts))]
    with mock.patch.object(hull3d_module, "_sample_size", lambda n: min(n, sample)):
        h = run(pts)
    ref = run(pts)
    assert h.dim == ref.dim
    assert np.array_equal(h.vertices, ref.vertices)
    check_hull(pts, h)


# ---------------------------------------------------------------------------
# Degeneracies
# ---------------------------------------------------------------------------


def lattice(k):
    g = np.arange(k, dtype=float)
    return np.array(np.meshgrid(g, g, g, indexing="ij")).reshape(3, -1).T.copy()


def corner_indices(pts):
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    on = [np.isin(pts[:, ax], (lo[ax], hi[ax])) for ax in range(3)]
    return np.flatnonzero(on[0] & on[1] & on[2])


@pytest.mark.parametrize("k", [2, 3, 5, 20])
def test_lattice_gives_the_eight_corners(k):
    pts = lattice(k)
    h = run(pts)
    assert h.dim == 3
    assert np.array_equal(h.vertices, corner_indices(pts))
    assert len(h.simplices) == 12  # six square faces, two triangles each
    if k <= 5:
        check_hull(pts, h)


def test_shuffled_lattice_with_duplicates():
    rng = np.random.default_rng(5)
    pts = lattice(6)
    pts = np.vstack([pts, pts[rng.integers(0, len(pts), 300)]])
    pts = pts[rng.permutation(len(pts))]
    h = run(pts)
    check_hull(pts, h)
    expected = []
    for c in corner_indices(pts):
        same = np.flatnonzero(np.all(pts == pts[c], axis=1))
        expected.append(same.min())
    assert h.vertices.tolist() == sorted(set(expected))


def test_points_on_cube_faces_and_edges_are_not_vertices():
    rng = np.random.default_rng(11)
    corners = lattice(2)
    face = rng.random((3000, 3))
    ax = rng.integers(0, 3, 3000)
    face[np.arange(3000), ax] = rng.integers(0, 2, 3000)  # on a face
    edge = rng.random((1000, 3))
    for i in range(1000):
        a, b = rng.choice(3, 2, replace=False)
        edge[i, a], edge[i, b] = rng.integers(0, 2, 2)  # on an edge
    inner = 0.01 + 0.98 * rng.random((3000, 3))
    pts = np.vstack([face, edge, inner, corners])
    pts = pts[rng.permutation(len(pts))]
    h = run(pts)
    assert np.array_equal(h.vertices, corner_indices(pts))
    assert len(h.simplices) == 12


@pytest.mark.slow
def test_sphere_with_coplanar_equator_and_duplicates():
    # every point of a sphere is a corner; the equator is a coplanar, cocircular
    # ring; the last five points repeat the first five
    t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    eq = np.column_stack([np.cos(t), np.sin(t), np.zeros_like(t)])
    pts = np.vstack([eq, [[0, 0, 1], [0, 0, -1]], make_points("sphere", 4500, 2), eq[:5]])
    h = run(pts)
    assert h.vertices.tolist() == list(range(len(pts) - 5))
    check_hull(pts, h)


def test_duplicates_keep_lowest_index():
    base = make_points("ball", 60, seed=1)
    pts = np.vstack([base, base[::-1], base])
    h = run(pts)
    ref = run(base)
    assert np.array_equal(h.vertices, ref.vertices)
    check_hull(pts, h)


def test_coplanar_input_gives_planar_hull():
    rng = np.random.default_rng(2)
    uv = rng.random((500, 2))
    uv = np.vstack([uv, [[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0], [0.5, 0.5]]])
    # the plane x + 2y - z = 3 (exact on these dyadic grid points)
    uv = np.round(uv * 1024) / 1024
    pts = np.column_stack([uv[:, 0], uv[:, 1], uv[:, 0] + 2 * uv[:, 1] - 3])
    h = run(pts)
    assert h.dim == 2 and h.simplices is None and h.neighbors is None
    assert np.array_equal(h.vertices, np.sort(np.unique(ConvexHull(uv).vertices)))
    small = pts[[0, 1, 2, 3, 4, 5, 6, 7, 500, 501, 502, 503, 504, 505]]
    assert run(small).vertices.tolist() == naive.hull3d_vertices(small)


def test_vertical_plane_projection():
    # a plane containing the z axis: the xy projection is degenerate
    rng = np.random.default_rng(4)
    s = rng.integers(0, 50, 25).astype(float)
    z = rng.integers(0, 50, 25).astype(float)
    pts = np.column_stack([s, 2 * s, z])
    h = run(pts)
    assert h.dim == 2
    assert h.vertices.tolist() == naive.hull3d_vertices(pts)


def test_collinear_and_single_point():
    t = np.array([3.0, -1.0, 7.0, 2.0, -1.0, 7.0, 0.0])
    pts = np.column_stack([t, 2 * t + 1, -t])
    h = run(pts)
    assert h.dim == 1 and h.vertices.tolist() == [1, 2]
    h = run(np.tile([[1.5, -2.0, 3.0]], (5, 1)))
    assert h.dim == 0 and h.vertices.tolist() == [0]
    h = run([[1.0, 2.0, 3.0]])
    assert h.dim == 0 and h.vertices.tolist() == [0]
    h = run([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]])
    assert h.dim == 2 and h.vertices.tolist() == [0, 1, 2, 3]


def test_tetrahedron_and_tiny_sets():
    pts = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], float)
    h = run(pts)
    assert h.dim == 3 and h.vertices.tolist() == [0, 1, 2, 3] and len(h.simplices) == 4
    check_hull(pts, h)
    pts = np.vstack([pts, [[0.25, 0.25, 0.25], [0.5, 0.5, 0], [0, 0, 0]]])
    h = run(pts)
    assert h.vertices.tolist() == [0, 1, 2, 3]
    check_hull(pts, h)


# ---------------------------------------------------------------------------
# Exactness at extreme coordinates
# ---------------------------------------------------------------------------


def test_large_offset_is_a_translation():
    base = make_points("cube", 3000, seed=9)
    off = base + 1e8
    # off - 1e8 is exact (Sterbenz), so both sets are translates of each other
    h = run(off)
    assert np.array_equal(h.vertices, run(off - 1e8).vertices)
    assert np.array_equal(h.vertices, np.sort(ConvexHull(off - 1e8).vertices))


@pytest.mark.parametrize("k", [-1000, -300, 300, 900])
def test_power_of_two_scaling_changes_nothing(k):
    pts = make_points("ball", 2000, seed=4)
    assert np.array_equal(run(np.ldexp(pts, k)).vertices, run(pts).vertices)


def test_exponent_range_error():
    pts = make_points("cube", 10, seed=1)
    pts[0, 0] = 1e-300
    pts[1, 0] = 1e300
    with pytest.raises(RangeError):
        run(pts)


# four points (found by search) whose tetrahedron contains no double strictly inside
THIN = [
    [6754390031159965.0, 6754336274082854.0, 6757472017924413.0],
    [6756088329597017.0, 6756307100169036.0, 6753802893401179.0],
    [6755633935606529.0, 6755904109330417.0, 6754660278230286.0],
    [6755495373426499.0, 6756356175433502.0, 6754346774307233.0],
]


def test_near_degenerate_thin_tetrahedron():
    # four points (found by search) whose tetrahedron contains no double strictly
    # inside: the hull starts without an interior point and must still be exact
    thin = THIN
    rng = np.random.default_rng(0)
    base = np.array(thin[0])
    extra = []
    for _ in range(6):
        v = rng.integers(-(2**38), 2**38, 2).astype(float)
        extra.append([base[0] + v[0], base[1] + v[1], base[2] - v[0] - v[1] + rng.integers(-2, 3)])
    pts = np.array(thin + extra)
    h = run(pts)
    assert h.dim == naive.hull3d_dim(pts)
    assert h.vertices.tolist() == naive.hull3d_vertices(pts)
    check_hull(pts, h)


def thin_disk(n, off, seed=3):
    t = np.sort(np.random.default_rng(seed).random(n)) * 2 * np.pi
    x = np.cos(t) + off
    y = np.sin(t) + off
    return np.column_stack([x, y, 3 * off - (x + y) + 0.5])  # z rounded: ulps off a plane


@pytest.mark.parametrize("off", [0.0, 3.0, 1e3])
def test_thin_disk_all_points_are_corners(off):
    # a disk a few ulps thick (at offset 3 no double lies strictly inside the
    # first tetrahedron: the hull is computed on an exact translate)
    pts = thin_disk(600, off)
    h = run(pts)
    assert h.dim == 3 and h.vertices.tolist() == list(range(600))
    check_hull(pts, h)


def first_tetra_has_interior_double(pts):
    """Whether the kernel's first tetrahedron holds a double strictly inside."""
    K = hull3d_module._k
    pts = as_points(pts, ndim=3)
    _, a, b, c, d = K.find_tetra(pts, np.arange(len(pts)), np.zeros(1, np.uint8))
    cnt = np.zeros(K.NCNT, dtype=np.int64)
    tri, nbr, dead, _ = K.new_state(4)
    K.init_tetra(pts[:, 0], pts[:, 1], pts[:, 2], a, b, c, d, tri, nbr, dead, cnt, np.zeros(3))
    return bool(cnt[K.HASC])


@pytest.mark.parametrize("case", ["disk", "tetra"])
def test_scan_mode_without_interior_point(case):
    # forbid the exact translation: locating then scans every facet until the
    # hull holds a double strictly inside it; the answer must not change
    if case == "disk":
        pts = thin_disk(300, 3.0, seed=5)  # a first tetrahedron without one
    else:
        pts = np.array(THIN + THIN[::-1] + THIN[1:3])  # with duplicates
    with mock.patch.object(hull3d_module._k, "shift_exact", lambda p, *c: (False, p)):
        h = run(pts)
    assert np.array_equal(h.vertices, run(pts).vertices)
    check_hull(pts, h)
    assert not first_tetra_has_interior_double(pts)
    if case == "disk":
        assert len(h.vertices) == len(pts)
    else:
        assert h.vertices.tolist() == naive.hull3d_vertices(pts)


def test_points_a_few_ulps_off_a_plane():
    rng = np.random.default_rng(8)
    uv = rng.random((9, 2))
    z = 0.3 * uv[:, 0] + 0.7 * uv[:, 1]
    z = z + rng.integers(-2, 3, 9) * np.spacing(z)
    pts = np.column_stack([uv, z])
    h = run(pts)
    assert h.dim == naive.hull3d_dim(pts)
    assert h.vertices.tolist() == naive.hull3d_vertices(pts)
    check_hull(pts, h)


# ---------------------------------------------------------------------------
# The vertices-only path (``facets=False``, what ``convex_hull`` uses) and the
# kernel's memory-saving bookkeeping (marks in ``dead``, caller's indices)
# ---------------------------------------------------------------------------


def _sphere_with_lower_duplicates(n, seed):
    # duplicates of hull corners placed *before* them (lower indices) and after
    base = make_points("sphere", n, seed=seed)
    rng = np.random.default_rng(seed)
    pick = rng.choice(n, 40, replace=False)
    return np.vstack([base[pick[:20]], base, base[pick[20:]]])


VERTEX_CASES = {
    "sphere_filter": lambda: make_points("sphere", 20_000, seed=3),
    "ball_filter": lambda: make_points("ball", 30_000, seed=4),
    "sphere_lower_duplicates": lambda: _sphere_with_lower_duplicates(6_000, 5),
    "lattice_duplicates": lambda: np.vstack([lattice(7), lattice(7)[::-1]]),
    "cube_faces": lambda: np.vstack(
        [lattice(2), np.random.default_rng(6).integers(0, 2, (3000, 3)) * 1.0, lattice(9) / 8]
    ),
}


@pytest.mark.parametrize("case", sorted(VERTEX_CASES))
def test_vertices_alone_match_the_full_hull(case):
    pts = as_points(VERTEX_CASES[case](), ndim=3)
    full = hull3d(pts)
    alone = hull3d(pts, facets=False)
    assert alone.simplices is None and alone.neighbors is None
    assert alone.vertices.dtype == np.int64
    assert np.array_equal(alone.vertices, full.vertices)
    assert alone.stats == full.stats
    check_hull(pts, full)


@pytest.mark.parametrize("case", sorted(VERTEX_CASES) + ["sphere", "sphere_and_ball"])
def test_int32_facets_compacted_in_place_match_the_int64_ones(case):
    # facets="int32" (geoent.ConvexHull) compacts the hull's own arrays in place
    # unless coplanar faces were merged: the same triangles, in the same order
    if case == "sphere":
        pts = as_points(make_points("sphere", 20_000, seed=8), ndim=3)
    elif case == "sphere_and_ball":
        pts = np.vstack([make_points("sphere", 9000, seed=8), make_points("ball", 9000, seed=9)])
        pts = as_points(np.vstack([pts, pts[:500]]), ndim=3)  # exact duplicates too
    else:
        pts = as_points(VERTEX_CASES[case](), ndim=3)
    full = hull3d(pts)
    small = hull3d(pts, facets="int32")
    assert small.simplices.dtype == np.int32 and small.neighbors.dtype == np.int32
    assert np.array_equal(small.simplices, full.simplices)
    assert np.array_equal(small.neighbors, full.neighbors)
    assert np.array_equal(small.vertices, full.vertices)
    assert small.stats == full.stats


def test_vertices_alone_general_position_match_scipy():
    pts = make_points("sphere", 20_000, seed=8)
    pts = np.vstack([pts, make_points("ball", 20_000, seed=9) * 0.999])
    alone = hull3d(as_points(pts, ndim=3), facets=False)
    assert np.array_equal(alone.vertices, np.sort(ConvexHull(pts).vertices))


def test_visible_region_larger_than_the_scratch_rows():
    # A shallow dome of 2,000 points over a base, then one point above it that
    # sees every dome facet (far more than the 256 scratch rows the insertion
    # starts with): the search overflows, its marks are cleared, the scratch
    # grows and the point is inserted again. The preconditions are asserted, so
    # the test cannot silently stop exercising that path.
    from geoent._kernels.ordering import morton_order

    rng = np.random.default_rng(12)
    r = 2.0 * np.sqrt(rng.random(2000))
    t = 2 * np.pi * rng.random(2000)
    x, y = r * np.cos(t), r * np.sin(t)
    dome = np.column_stack([x, y, -0.01 * (x * x + y * y)])
    base = np.array([[0.0, 0.0, -1.5], [0.3, 0.2, -1.5], [-0.2, 0.3, -1.5]])
    apex = np.array([[0.1, 0.1, 1.0]])
    pts = as_points(np.vstack([dome, base, apex]), ndim=3)
    far = len(pts) - 1
    below = ConvexHull(pts[:far])
    seen = int(np.sum(below.equations[:, :3] @ pts[far] + below.equations[:, 3] > 0))
    assert seen > 256
    _, a, b, c, d = hull3d_module._k.find_tetra(pts, np.arange(len(pts)), np.zeros(1, np.uint8))
    assert far not in (a, b, c, d)
    rest = np.setdiff1d(np.arange(len(pts)), [a, b, c, d])
    # inserted last, into the full dome
    assert morton_order(pts, rest, np.zeros(1, np.uint8))[-1] == far
    h = hull3d(pts)
    check_hull(pts, h)
    assert np.array_equal(h.vertices, np.sort(ConvexHull(pts).vertices))
    assert np.array_equal(hull3d(pts, facets=False).vertices, h.vertices)
