"""Tests of geoent.delaunay / geoent.Delaunay and geoent.testing.validate_triangulation.

Oracles: scipy (Qhull) on random general-position input only; on degenerate input
the exact, oracle-free validator; the exact brute force of ``tests/naive.py`` for
point location.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Delaunay as ScipyDelaunay

import geoent
import geoent.datasets
from geoent import Delaunay, GeometryError, delaunay
from geoent.testing import validate_triangulation

from . import naive

ORDERS = ("hilbert", "brio", "none")


def tri_set(tris):
    """Triangles as a set of vertex triples rotated to start at the smallest index."""
    out = set()
    for a, b, c in np.asarray(tris).tolist():
        k = min(range(3), key=lambda i: (a, b, c)[i])
        out.add(((a, b, c)[k], (a, b, c)[(k + 1) % 3], (a, b, c)[(k + 2) % 3]))
    return out


def rotate(p, angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.column_stack((c * p[:, 0] - s * p[:, 1], s * p[:, 0] + c * p[:, 1]))


def grid(k, m=None):
    m = k if m is None else m
    return np.array([[i, j] for i in range(k) for j in range(m)], dtype=float)


def lattice_circle(r2):
    """All integer points on the circle x^2 + y^2 = r2 (exactly cocircular)."""
    r = int(np.sqrt(r2)) + 1
    return np.array(
        [[x, y] for x in range(-r, r + 1) for y in range(-r, r + 1) if x * x + y * y == r2],
        dtype=float,
    )


def _rng(seed):
    return np.random.default_rng(seed)


def degenerate_cases():
    rng = _rng(7)
    base = rng.random((60, 2))
    t = rng.random(150) * 2 * np.pi
    x = np.arange(80.0)
    cases = {
        "grid": grid(17),
        "grid_rect": grid(40, 3),
        "grid_rot_0.3": rotate(grid(15), 0.3),
        "grid_rot_1e-3": rotate(grid(15), 1e-3),
        "grid_rot_pi/7": rotate(grid(15), np.pi / 7),
        "grid_rot_45": rotate(grid(15), np.pi / 4),
        "grid_with_centres": np.vstack((grid(12), grid(11) + 0.5)),
        "circle": np.column_stack((np.cos(t), np.sin(t))),
        "lattice_circle_5525": lattice_circle(5525),  # 48 exactly cocircular points
        "lattice_circles_and_centre": np.vstack(
            (lattice_circle(25), lattice_circle(65 * 65), [[0.0, 0.0]])
        ),
        "near_collinear_rows": np.vstack(
            (
                np.column_stack((x, np.where(x % 2 == 0, 1.0, np.nextafter(1.0, 2.0)))),
                np.column_stack((x, np.full(80, 2.0))),
                np.column_stack((x + 0.5, np.where(x % 3 == 0, 3.0, np.nextafter(3.0, 0.0)))),
            )
        ),
        "one_ulp_copies": np.vstack((base, np.nextafter(base, 2.0), np.nextafter(base, -1.0))),
        "heavy_duplicates": base[rng.integers(0, 60, 3000)],
        "offset_1e8": rng.random((400, 2)) + 1e8,
        "grid_offset_1e8": grid(12) * 2.0**-20 + 1e8,
        "tiny_1e-200": rng.random((400, 2)) * 1e-200,
        "huge_1e200": rng.random((400, 2)) * 1e200,
        "near_overflow": (rng.random((300, 2)) * 2 - 1) * 1.7e308,
        "grid_times_1e300": grid(9) * 1e300,
        "collinear_then_other": np.vstack(
            (np.column_stack((x, 3 * x + 1)), rng.random((40, 2)) * 80)
        ),
        "copies_then_collinear_then_other": np.vstack(
            ([[1.0, 1.0]] * 20, [[2.0, 2.0], [3.0, 3.0], [1.0, 1.0], [4.0, 4.0]], [[0, 5.0]])
        ),
        "small_ints": rng.integers(0, 5, (80, 2)).astype(float),
        "square_corners_and_diagonals": np.array(
            [[0, 0], [4, 0], [4, 4], [0, 4], [1, 1], [2, 2], [3, 3], [1, 3], [3, 1]], float
        ),
    }
    return cases


DEGENERATE = degenerate_cases()


# --------------------------------------------------------------------------
# agreement with scipy on general-position input
# --------------------------------------------------------------------------


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("dist", ["uniform", "gaussian", "kuzmin", "disk"])
@pytest.mark.parametrize("n", [4, 50, 3000])
def test_matches_scipy_general_position(dist, n, order):
    pts = geoent.datasets.make_points(dist, n, seed=n)
    ours = delaunay(pts, order=order)
    ref = ScipyDelaunay(pts).simplices
    # scipy's triangles are not all counter-clockwise: compare as vertex sets
    assert {frozenset(t) for t in ours.tolist()} == {frozenset(t) for t in ref.tolist()}
    validate_triangulation(pts, ours)


def test_output_layout():
    pts = _rng(0).random((200, 2))
    tri = delaunay(pts)
    assert tri.dtype == np.int64 and tri.ndim == 2 and tri.shape[1] == 3
    assert tri.flags.c_contiguous
    d = Delaunay(pts)
    # the scipy-compatible class uses scipy's index dtype; delaunay() keeps int64
    for arr in (d.simplices, d.neighbors, d.convex_hull, d.coplanar, d.vertex_to_simplex):
        assert arr.dtype == np.intc
    assert d.nsimplex == len(d.simplices) and d.npoints == 200 and d.ndim == 2


# --------------------------------------------------------------------------
# degenerate input: exact validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_inputs_validate(name, order):
    pts = DEGENERATE[name]
    d = Delaunay(pts, order=order)
    report = validate_triangulation(pts, d.simplices, neighbors=d.neighbors)
    assert report["distinct_points"] == len(np.unique(pts, axis=0))
    assert np.array_equal(delaunay(pts, order=order), d.simplices)


def test_one_ulp_neighbours_are_all_vertices():
    pts = DEGENERATE["one_ulp_copies"]
    tri = delaunay(pts)
    assert np.unique(tri).size == len(pts)  # no two of them merged


def test_cocircular_square_grid_counts():
    # a k x k integer grid: (k-1)^2 squares, two triangles each, whatever diagonals
    for k in (2, 3, 10):
        tri = delaunay(grid(k))
        assert len(tri) == 2 * (k - 1) ** 2
        validate_triangulation(grid(k), tri)


def test_points_on_a_circle_fan():
    pts = lattice_circle(5525)
    tri = delaunay(pts)
    assert len(tri) == len(pts) - 2  # h = n: no interior vertex
    validate_triangulation(pts, tri)


def test_order_does_not_matter_for_validity_and_general_position():
    pts = _rng(3).random((500, 2))
    ref = tri_set(delaunay(pts, order="none"))
    perm = _rng(4).permutation(500)
    for order in ("hilbert", "brio", perm, perm[::-1].copy()):
        assert tri_set(delaunay(pts, order=order)) == ref


# --------------------------------------------------------------------------
# duplicates and coplanar
# --------------------------------------------------------------------------


def check_coplanar(pts, d):
    cop = d.coplanar
    used = np.unique(d.simplices)
    # every point is either a vertex or listed once
    assert np.array_equal(np.sort(np.concatenate((used, cop[:, 0]))), np.arange(len(pts)))
    for p, t, v in cop.tolist():
        assert p != v and np.array_equal(pts[p], pts[v])
        assert v in d.simplices[t]
        same = np.flatnonzero((pts == pts[v]).all(axis=1))
        assert v == same.min()  # the lowest index of each group is the vertex
    assert np.all(np.diff(cop[:, 0]) > 0)


@pytest.mark.parametrize("order", ORDERS)
def test_duplicates_reported_in_coplanar(order):
    pts = DEGENERATE["heavy_duplicates"]
    d = Delaunay(pts, order=order)
    check_coplanar(pts, d)
    assert len(d.coplanar) == len(pts) - len(np.unique(pts, axis=0))
    # as scipy: a duplicate's vertex_to_simplex is a triangle holding the vertex it
    # coincides with (issue 15; it was -1)
    dup = d.coplanar[:, 0]
    assert np.array_equal(d.vertex_to_simplex[dup], d.coplanar[:, 1])
    assert (d.simplices[d.vertex_to_simplex[dup]] == d.coplanar[:, 2:3]).any(axis=1).all()


def test_duplicates_small_and_matching_scipy_vertex_choice():
    pts = np.array([[0, 0], [1, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 0]], float)
    d = Delaunay(pts)
    check_coplanar(pts, d)
    assert d.coplanar[:, [0, 2]].tolist() == [[3, 1], [5, 0], [6, 0]]


def test_same_vertex_set_whatever_the_order():
    pts = DEGENERATE["heavy_duplicates"]
    sets = {tuple(np.unique(delaunay(pts, order=o)).tolist()) for o in ORDERS}
    assert len(sets) == 1


# --------------------------------------------------------------------------
# no 2D extent, bad input
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pts",
    [
        [[0.0, 0.0]],
        [[0.0, 0.0], [1.0, 1.0]],
        [[2.0, 3.0]] * 10,
        [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1]],
        [[0, 5], [0, 1], [0, -7]],
        [[i, 2 * i + 1] for i in range(100)],
    ],
)
def test_no_2d_extent(pts):
    tri = delaunay(pts)
    assert tri.shape == (0, 3) and tri.dtype == np.int64
    with pytest.raises(GeometryError, match="no 2D extent"):
        Delaunay(pts)
    validate_triangulation(pts, tri)


@pytest.mark.parametrize(
    "bad",
    [np.empty((0, 2)), [[0, 0], [1, np.nan], [0, 1]], [[0, 0, 0, 0]], "abc", [[1, 2], [3]]],
)
def test_bad_points(bad):
    with pytest.raises(ValueError):
        delaunay(bad)
    with pytest.raises(ValueError):
        Delaunay(bad)


def test_range_error_names_the_limit():
    with pytest.raises(geoent.RangeError, match="2\\*\\*"):
        delaunay([[0, 0], [1e300, 0], [0, 1e-300]])


class _Reverse:
    def __init__(self):
        self.seen = None

    def delaunay_order(self, points):
        self.seen = points
        return np.arange(len(points))[::-1]


def test_order_argument_forms():
    pts = _rng(5).random((100, 2))
    hint = _Reverse()
    a = delaunay(pts, order=hint)
    assert hint.seen.shape == (100, 2) and not hint.seen.flags.writeable
    b = delaunay(pts, order=np.arange(100)[::-1])
    c = delaunay(pts, order=list(range(99, -1, -1)))
    assert np.array_equal(a, b) and np.array_equal(a, c)
    for bad in ("random", np.arange(99), np.zeros(100, int), np.arange(100.0), 3):
        with pytest.raises(ValueError):
            delaunay(pts, order=bad)


def test_input_not_modified_and_types_accepted():
    base = _rng(6).random((300, 2)) * 100
    ref = tri_set(delaunay(base.astype(np.float32).astype(np.float64)))
    f32 = base.astype(np.float32)
    keep = f32.copy()
    assert tri_set(delaunay(f32)) == ref
    assert np.array_equal(f32, keep)
    big = np.zeros((300, 4))
    big[:, ::2] = base.astype(np.float32)
    assert tri_set(delaunay(big[:, ::2])) == ref  # non-contiguous view
    ints = np.round(base).astype(np.int32)
    validate_triangulation(ints, delaunay(ints.tolist()))


# --------------------------------------------------------------------------
# determinism
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["grid", "lattice_circles_and_centre", "small_ints"])
def test_deterministic(name):
    pts = DEGENERATE[name]
    for order in ORDERS:
        a = delaunay(pts, order=order)
        b = delaunay(pts.copy(), order=order)
        assert np.array_equal(a, b)
        validate_triangulation(pts, a)


# --------------------------------------------------------------------------
# Delaunay object: neighbours, hull, vertex neighbours, find_simplex, plot
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["grid", "circle", "heavy_duplicates", "grid_rot_0.3"])
def test_convex_hull_edges(name):
    pts = DEGENERATE[name]
    d = Delaunay(pts)
    hull = d.convex_hull
    # a closed counter-clockwise cycle
    assert np.array_equal(hull[:, 1], np.roll(hull[:, 0], -1))
    # exactly the triangle edges with no twin, same direction
    s = d.simplices
    directed = set(zip(s.ravel().tolist(), s[:, [1, 2, 0]].ravel().tolist(), strict=True))
    boundary = {(a, b) for a, b in directed if (b, a) not in directed}
    assert {tuple(e) for e in hull.tolist()} == boundary
    assert geoent.predicates.orient2d(pts[hull[:, 0]], pts[hull[:, 1]], pts[hull[0, 0]]).min() >= 0


def test_vertex_neighbor_vertices():
    pts = DEGENERATE["small_ints"]
    d = Delaunay(pts)
    indptr, indices = d.vertex_neighbor_vertices
    edges = set()
    for a, b, c in d.simplices.tolist():
        edges |= {(a, b), (b, a), (b, c), (c, b), (c, a), (a, c)}
    got = {(k, int(v)) for k in range(len(pts)) for v in indices[indptr[k] : indptr[k + 1]]}
    assert got == edges


@pytest.mark.parametrize("name", ["grid", "random", "offset"])
def test_find_simplex_against_brute_force(name):
    rng = _rng(11)
    if name == "grid":
        pts = grid(6)
        q = np.vstack(
            (
                pts,  # vertices
                (pts[:-1] + pts[1:]) / 2,  # many on edges
                rng.integers(-2, 14, (80, 2)) / 2,  # lattice of half-integers
                [[-(2.0**-400), 0.0], [0.0, -(2.0**-400)], [2.0**-400, 0.0], [5.0, 5.0 + 2**-50]],
            )
        )
    elif name == "random":
        pts = rng.random((40, 2))
        q = np.vstack((rng.random((150, 2)) * 1.2 - 0.1, pts[:10]))
    else:
        pts = rng.random((40, 2)) + 1e8
        q = rng.random((150, 2)) * 1.2 - 0.1 + 1e8
    d = Delaunay(pts)
    got = d.find_simplex(q)
    assert got.shape == (len(q),)
    for qq, g in zip(q, got.tolist(), strict=True):
        want = naive.containing_triangles(pts, d.simplices, qq)
        if want:
            assert g in want
        else:
            assert g == -1
    # shapes follow scipy: xi.shape[:-1]
    assert d.find_simplex(q[:6].reshape(2, 3, 2)).shape == (2, 3)
    assert d.find_simplex(q[0]).shape == ()
    if name == "grid":
        with pytest.raises(geoent.RangeError):
            d.find_simplex([[5e-324, 1.0]])


def test_find_simplex_many_queries_match_scipy_away_from_edges():
    rng = _rng(12)
    pts = rng.random((2000, 2))
    q = rng.random((5000, 2)) * 1.4 - 0.2
    d = Delaunay(pts)
    ours = d.find_simplex(q)
    sd = ScipyDelaunay(pts)
    ref = sd.find_simplex(q)
    # map scipy triangles to ours by vertex set; random queries are off the edges
    index = {frozenset(t): i for i, t in enumerate(d.simplices.tolist())}
    mapped = np.array([index[frozenset(sd.simplices[r])] if r >= 0 else -1 for r in ref])
    assert np.array_equal(ours, mapped)


def test_plot_smoke():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    d = Delaunay(grid(4))
    ax = d.plot()
    assert len(ax.lines) >= 1
    plt.close("all")


# --------------------------------------------------------------------------
# the validator itself must reject wrong triangulations
# --------------------------------------------------------------------------


def test_validator_rejects_wrong_triangulations():
    pts = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [1, 0.2]], float)
    good = delaunay(pts)
    validate_triangulation(pts, good)
    sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    rhombus = np.array([[0, 0], [2, -1], [4, 0], [2, 1]], float)
    cases = [
        (sq, [[0, 2, 1], [0, 3, 2]], "counter-clockwise"),
        (sq, [[0, 1, 2]], "not a vertex"),
        (sq, [[0, 1, 2], [0, 2, 3], [0, 1, 3]], "directed edge"),
        (pts, good[:-1], None),
        # a valid triangulation, but not Delaunay: the flipped diagonal
        (rhombus, [[0, 1, 2], [0, 2, 3]], "locally Delaunay"),
        (np.array([[0, 0], [4, 0], [5, 3], [0, 1]], float), [[0, 1, 2]], None),
        (np.array([[0, 0], [1, 0], [2, 0], [1, 1]], float), [[0, 2, 3]], None),
        (np.array([[0, 0], [1, 1], [2, 2]], float), [[0, 1, 2]], "no 2D extent"),
        (np.array([[0, 0], [1, 0], [0, 1], [0, 1]], float), [[0, 1, 2], [0, 1, 3]], None),
        (sq, [[0, 1, 5]], "indices"),
        (sq, [[0.0, 1.0, 2.0]], "integer"),
    ]
    for p, t, msg in cases:
        with pytest.raises(AssertionError, match=msg):
            validate_triangulation(p, np.array(t))
    # the long diagonal of the rhombus is wrong, the short one right
    validate_triangulation(rhombus, [[0, 1, 3], [1, 2, 3]])
    d = Delaunay(pts)
    nb = d.neighbors.copy()
    nb[0, 0] = 3 if nb[0, 0] != 3 else 2
    with pytest.raises(AssertionError, match="neighbors"):
        validate_triangulation(pts, d.simplices, neighbors=nb)


def test_validator_accepts_scipy_in_general_position():
    pts = _rng(13).random((300, 2))
    s = ScipyDelaunay(pts)
    simp = s.simplices.copy()
    o = geoent.predicates.orient2d(pts[simp[:, 0]], pts[simp[:, 1]], pts[simp[:, 2]])
    simp[o < 0] = simp[o < 0][:, [0, 2, 1]]
    validate_triangulation(pts, simp)


# --------------------------------------------------------------------------
# fuzzing: small integer coordinates are the nastiest (collinear, cocircular)
# --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    pts=st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=45),
    order=st.sampled_from(ORDERS),
    scale=st.sampled_from([1.0, 0.1, 2.0**-40, 1e8]),
    shift=st.sampled_from([0.0, 1e8, -3.5]),
)
def test_fuzz_small_integer_coordinates(pts, order, scale, shift):
    p = np.array(pts, dtype=float) * scale + shift
    tri = delaunay(p, order=order)
    validate_triangulation(p, tri)
    if len(tri):
        d = Delaunay(p, order=order)
        assert np.array_equal(d.simplices, tri)
        validate_triangulation(p, d.simplices, neighbors=d.neighbors)
        check_coplanar(p, d)


@settings(max_examples=60, deadline=None)
@given(
    pts=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=3, max_size=40),
    data=st.data(),
)
def test_fuzz_random_insertion_orders(pts, data):
    p = np.array(pts, dtype=float)
    perm = np.array(data.draw(st.permutations(range(len(p)))), dtype=np.int64)
    validate_triangulation(p, delaunay(p, order=perm))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(3, 60),
    seed=st.integers(0, 2**32 - 1),
    angle=st.one_of(st.just(0.0), st.floats(1e-9, 3.2)),
)
def test_fuzz_rotated_grids_and_near_copies(n, seed, angle):
    rng = _rng(seed)
    g = rotate(rng.integers(0, 6, (n, 2)).astype(float), angle)
    some = g[: n // 3]
    # one ulp away (zero stays zero: its neighbour ulp is a denormal, out of range)
    near = np.where(some == 0, some, np.nextafter(some, rng.choice([-1e9, 1e9], size=some.shape)))
    p = np.vstack((g, near))
    validate_triangulation(p, delaunay(p))


def test_int64_index_arrays_give_the_same_triangulation():
    # inputs above ~3.5e8 points use int64 halfedge arrays; same kernel, same result
    from geoent._kernels import delaunay2d as K

    p = np.vstack((DEGENERATE["small_ints"], _rng(14).random((300, 2)) * 4))
    n = len(p)
    out = []
    for itype in (np.int32, np.int64):
        tri = np.empty(6 * n, itype)
        opp = np.empty(6 * n, itype)
        dup = np.full(n, -1, np.int64)
        nt, status = K.triangulate(
            p[:, 0].copy(), p[:, 1].copy(), tri, opp, dup, 0, np.zeros(1, np.uint8)
        )
        assert status == K.OK
        out.append((tri[: 3 * nt].astype(np.int64), opp[: 3 * nt].astype(np.int64), dup))
    for a, b in zip(out[0], out[1], strict=True):
        assert np.array_equal(a, b)
    simp, _, _ = K.extract(
        out[1][0], out[1][1], len(out[1][0]) // 3, n, np.arange(n), False, np.zeros(1, np.uint8)
    )
    validate_triangulation(p, simp)
