"""2D convex hull: exact against independent oracles.

Oracles: the exact brute force ``naive.convex_hull_2d`` (integer arithmetic on the
doubles' exact values, every ordered pair of distinct points tested as a hull edge) on
small and degenerate input;
scipy (Qhull) on random general-position input; the original monotone-chain kernel
(lexsort + Andrew, no filters) on large input, which checks that the filters never
drop a vertex. Hypothesis checks the exact properties on degenerate-prone input.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.spatial
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import geoent
from geoent import hull as H
from geoent._kernels import hull2d as K
from geoent.datasets import make_points
from geoent.errors import GeometryError, InputError, RangeError

from . import naive

METHODS = ("auto", "monotone", "instance_optimal")


# ---------------------------------------------------------------------------
# oracles
# ---------------------------------------------------------------------------


def reference_hull(pts):
    """The original exact kernel: lexsort + dedupe + Andrew's chain, no filters."""
    pts = np.ascontiguousarray(pts, dtype=np.float64)
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    s = pts[order]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])
    return K.monotone_chain(pts[:, 0].copy(), pts[:, 1].copy(), order[keep])


def check_properties(pts, h):
    """Exact properties of a canonical 2D hull (naive.orient2d is exact)."""
    pts = np.asarray(pts, dtype=np.float64)
    h = [int(i) for i in h]
    assert len(set(h)) == len(h)
    keys = [tuple(p) for p in pts.tolist()]
    # start: lexicographically smallest point, lowest index among its copies
    smallest = min(keys)
    assert keys[h[0]] == smallest
    assert h[0] == keys.index(smallest)
    # every vertex is the lowest index of its coordinates
    for i in h:
        assert keys.index(keys[i]) == i
    assert len({keys[i] for i in h}) == len(h)
    if len(h) == 1:
        assert all(k == keys[h[0]] for k in keys)
        return
    if len(h) == 2:
        a, b = pts[h[0]], pts[h[1]]
        for p in pts:
            assert naive.orient2d(a, b, p) == 0
        return
    m = len(h)
    for t in range(m):
        a, b, c = pts[h[t]], pts[h[(t + 1) % m]], pts[h[(t + 2) % m]]
        assert naive.orient2d(a, b, c) > 0, "not strictly convex / not counter-clockwise"
    for p in pts:
        for t in range(m):
            assert naive.orient2d(pts[h[t]], pts[h[(t + 1) % m]], p) >= 0, "point outside"


# ---------------------------------------------------------------------------
# the hull kernels' own exact predicates on the project's hard cases
# ---------------------------------------------------------------------------

# vendored hard cases (provenance and licence in tests/data/robust-predicates/README.md)
FIXTURES = Path(__file__).resolve().parent / "data" / "robust-predicates"


def test_kernel_predicates_on_hard_fixtures():
    """The kernels' orient2d and the exact cross_diff that the KS kernel uses (with
    c = a, cross_diff(a, b, a, c) is orient2d(a, b, c)) on the 1000 hard orient2d cases."""
    from geoent._kernels import predicates as KS

    path = FIXTURES / "orient2d.txt"
    # shipped with the repository: a missing file is a failure, never a skip
    assert path.is_file(), f"vendored fixture missing: {path}"
    rows = np.loadtxt(path)
    assert len(rows) == 1000
    for r in rows:
        ax, ay, bx, by, cx, cy, want = r[1:]
        assert np.sign(K.orient2d(ax, ay, bx, by, cx, cy)) == want
        assert np.sign(KS.cross_diff(ax, ay, bx, by, ax, ay, cx, cy)) == want
        # and with the pairs' roles swapped: (c - a) x (b - a) = -orient2d
        assert np.sign(KS.cross_diff(ax, ay, cx, cy, ax, ay, bx, by)) == -want


# ---------------------------------------------------------------------------
# small and degenerate input against the brute force
# ---------------------------------------------------------------------------


def _degenerate_sets():
    rng = np.random.default_rng(7)
    sets = {
        "single": [[1.5, -2.0]],
        "all_equal": [[3.0, 3.0]] * 5,
        "two": [[1.0, 0.0], [0.0, 0.0]],
        "collinear": [[2, 2], [0, 0], [1, 1], [3, 3], [1, 1]],
        "vertical": [[1, 3], [1, 0], [1, 2], [1, 0]],
        "horizontal": [[4, 1], [0, 1], [2, 1]],
        "square_with_edges": [[i, j] for i in range(3) for j in range(3)],
        "duplicated_corners": [[0, 0], [1, 0], [0, 0], [1, 1], [1, 0], [0, 1], [1, 1]],
        "grid": [[i, j] for i in range(4) for j in range(4)],
        "cocircular": [[np.cos(t), np.sin(t)] for t in np.linspace(0, 2 * np.pi, 13)[:-1]],
        "octagon_int": [[2, 0], [4, 0], [6, 2], [6, 4], [4, 6], [2, 6], [0, 4], [0, 2], [3, 3]],
    }
    # 1-ulp perturbations of collinear points
    base = np.array([[0.1 * i, 0.1 * i] for i in range(8)])
    ulp = base.copy()
    ulp[3, 1] = np.nextafter(ulp[3, 1], 1.0)
    ulp[5, 1] = np.nextafter(ulp[5, 1], -1.0)
    sets["collinear_1ulp"] = ulp
    sets["collinear_0.1"] = base
    # points within a few ulps of a line with a huge offset
    off = np.array([[1e8 + 0.5 * i, 1e8 + 0.5 * i] for i in range(7)])
    off[2, 0] = np.nextafter(off[2, 0], 2e8)
    off[4, 1] = np.nextafter(off[4, 1], 2e8)
    sets["offset_near_collinear"] = off
    sets["unit_square_offset"] = rng.random((12, 2)) + 1e8
    sets["random_small"] = rng.random((9, 2))
    sets["int_cluster"] = rng.integers(0, 3, (15, 2)).astype(float)
    sets["huge"] = rng.random((8, 2)) * 1e200
    sets["tiny"] = rng.random((8, 2)) * 1e-300
    return sets


DEGENERATE = _degenerate_sets()


@pytest.mark.parametrize("name", sorted(DEGENERATE))
@pytest.mark.parametrize("method", METHODS)
def test_degenerate_against_brute_force(name, method):
    pts = np.asarray(DEGENERATE[name], dtype=np.float64)
    want = naive.convex_hull_2d(pts)
    got = geoent.convex_hull(pts, method=method)
    assert got.dtype == np.int64
    assert got.tolist() == want
    check_properties(pts, got)


def test_collinear_gives_extremes_in_lexicographic_order():
    assert geoent.convex_hull([[2, 2], [0, 0], [1, 1]]).tolist() == [1, 0]
    assert geoent.convex_hull([[5, 5], [5, 5]]).tolist() == [0]
    assert geoent.convex_hull([[0, 3], [0, 1], [0, 2]]).tolist() == [1, 0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from(METHODS),
)
def test_hypothesis_small_integer_sets(coords, method):
    pts = np.array(coords, dtype=np.float64)
    got = geoent.convex_hull(pts, method=method)
    assert got.tolist() == naive.convex_hull_2d(pts)
    check_properties(pts, got)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=3, max_size=12),
    st.lists(st.integers(-2, 2), min_size=12, max_size=12),
    st.sampled_from([0.1, 1.0, 1e8, 3.0e-5]),
)
def test_hypothesis_near_collinear(ts, nudges, scale):
    """Points on a line, a few of them moved by a few ulps: exact or nothing."""
    pts = np.array([[scale * (1 + 0.1 * t), scale * (1 + 0.1 * t)] for t in ts])
    for i in range(len(pts)):
        for _ in range(abs(nudges[i])):
            pts[i, 1] = np.nextafter(pts[i, 1], np.inf if nudges[i] > 0 else -np.inf)
    for method in METHODS:
        got = geoent.convex_hull(pts, method=method)
        assert got.tolist() == naive.convex_hull_2d(pts)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(5, 3000),
    st.sampled_from(["uniform", "disk", "circle", "grid", "duplicates", "annulus", "kuzmin"]),
    st.integers(0, 2**31),
)
def test_hypothesis_properties_medium(n, dist, seed):
    pts = make_points(dist, n, seed=seed)
    got = geoent.convex_hull(pts)
    assert np.array_equal(got, reference_hull(pts))
    if n <= 120:  # the exact oracle is Python integer arithmetic: O(n h) calls
        check_properties(pts, got)


# ---------------------------------------------------------------------------
# large input: the filters must never drop a vertex
# ---------------------------------------------------------------------------

LARGE = ["uniform", "disk", "gaussian", "circle", "annulus", "kuzmin", "grid", "rotated_grid"]
LARGE += ["duplicates", "offset"]


@pytest.mark.parametrize("dist", LARGE)
def test_large_against_reference(dist):
    pts = make_points(dist, 120_000, seed=3)
    want = reference_hull(pts)
    for method in METHODS:
        assert np.array_equal(geoent.convex_hull(pts, method=method), want), method


def test_points_hugging_the_hull():
    """Interior points within an ulp of hull edges, where float filters would err."""
    rng = np.random.default_rng(11)
    t = np.sort(rng.random(400)) * 2 * np.pi
    ring = np.column_stack((np.cos(t), np.sin(t)))
    # points on chords between consecutive ring points, then nudged by one ulp
    a = ring[:-1]
    b = ring[1:]
    lam = rng.random((399, 1))
    chord = a + lam * (b - a)
    nudged = chord * (1 + rng.choice([-1, 1], (399, 1)) * 2.0**-52)
    filler = rng.random((60_000, 2)) * 1.2 - 0.6
    pts = np.concatenate((filler, ring, chord, nudged))
    want = reference_hull(pts)
    for method in METHODS:
        assert np.array_equal(geoent.convex_hull(pts, method=method), want)


def test_offset_and_scaled_inputs():
    rng = np.random.default_rng(5)
    base = rng.random((40_000, 2))
    want = geoent.convex_hull(base)
    for shift in (1e8, -3e12):
        assert np.array_equal(geoent.convex_hull(base + shift), reference_hull(base + shift))
    for s in (2.0**600, 2.0**-700, 2.0**-1000):
        # a power-of-two scale is exact and changes no orientation
        assert np.array_equal(geoent.convex_hull(base * s), want)


def test_range_error_when_exponents_span_too_much():
    pts = np.array([[1e-300, 0.0], [1e300, 1.0], [0.5, 0.25]])
    with pytest.raises(RangeError):
        geoent.convex_hull(pts)


# ---------------------------------------------------------------------------
# against scipy on random general-position input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("dist", ["uniform", "disk", "gaussian", "kuzmin"])
@pytest.mark.parametrize("n", [4, 50, 1000, 30_000, 200_000])
def test_against_scipy(dist, n):
    pts = make_points(dist, n, seed=n)
    sc = scipy.spatial.ConvexHull(pts)
    got = geoent.convex_hull(pts)
    assert sorted(got.tolist()) == sorted(sc.vertices.tolist())
    # scipy lists 2D vertices counter-clockwise too, from another start
    r = sc.vertices.tolist().index(int(got[0]))
    assert np.roll(sc.vertices, -r).tolist() == got.tolist()


# ---------------------------------------------------------------------------
# hints and methods
# ---------------------------------------------------------------------------


class _Hinter:
    def __init__(self, form):
        self.form = form
        self.calls = 0

    def hull_hint(self, points):
        self.calls += 1
        assert not points.flags.writeable
        if self.form == "dirs":
            t = np.linspace(0, 2 * np.pi, 12, endpoint=False)
            return np.column_stack((np.cos(t), np.sin(t)))
        return np.arange(0, len(points), 97)


@pytest.mark.parametrize("dist", ["uniform", "circle", "grid", "duplicates", "offset", "annulus"])
def test_hints_give_identical_results(dist):
    pts = make_points(dist, 50_000, seed=1)
    want = geoent.convex_hull(pts)
    t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    hints = [
        np.column_stack((np.cos(t), np.sin(t))),
        np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]),
        np.arange(0, 50_000, 1009),
        want[::2].copy(),  # a polygon of true hull vertices: the best possible hint
        np.array([3, 3, 7], dtype=np.int32),  # degenerate polygon: no filtering
        np.empty(0, dtype=np.int64),
        _Hinter("dirs"),
        _Hinter("ids"),
    ]
    for hint in hints:
        for method in METHODS:
            got = geoent.convex_hull(pts, method=method, hint=hint)
            assert np.array_equal(got, want), (type(hint), method)


def test_hint_polygon_of_an_ulp_thin_triangle():
    """Regression (found by hypothesis in test_entropynet): the hint polygon is the
    whole, nearly flat hull; o lies within rounding of an edge, the inradius rounds to
    0 and the octagon builder divided by it (ZeroDivisionError). It must simply build
    no octagon."""
    pts = np.array([(-1.0, 1.0287855583912705e-59), (2.0, -4.0), (-4.0, 4.0)])
    want = naive.convex_hull_2d(pts)
    for method in METHODS:
        for hint in (np.array([2, 1, 0]), np.array([0, 1, 2]), None):
            got = geoent.convex_hull(pts, method=method, hint=hint)
            assert got.tolist() == want, (method, hint)


def test_hint_object_is_called():
    pts = make_points("uniform", 20_000, seed=2)
    h = _Hinter("ids")
    geoent.convex_hull(pts, hint=h)
    assert h.calls == 1


def test_direction_kind_hint_object_is_not_called():
    """An object declaring its hints directions (EntropyNet) is not evaluated: the
    filters would ignore them (issue 12: the inference made the call slower)."""

    class _Directions:
        hull_hint_kind = "directions"

        def hull_hint(self, points):
            raise AssertionError("called")

    pts = make_points("uniform", 20_000, seed=2)
    assert np.array_equal(geoent.convex_hull(pts, hint=_Directions()), geoent.convex_hull(pts))
    from geoent._entropynet_infer import HullHintNet

    assert HullHintNet.hull_hint_kind == "directions"


@pytest.mark.parametrize(
    "bad",
    [np.array([[1.0, np.nan]]), np.array([0, 5000]), "x", np.ones((3, 3)), np.array([1.5, 2.5])],
)
def test_bad_hints(bad):
    pts = make_points("uniform", 100, seed=2)
    with pytest.raises(ValueError):
        geoent.convex_hull(pts, hint=bad)


def test_unknown_method():
    with pytest.raises(ValueError, match="method"):
        geoent.convex_hull([[0, 0], [1, 1]], method="quickhull")


# ---------------------------------------------------------------------------
# input handling
# ---------------------------------------------------------------------------


def test_accepts_lists_ints_float32_views_without_touching_input():
    rng = np.random.default_rng(3)
    base = rng.integers(-50, 50, (300, 2))
    want = geoent.convex_hull(base.astype(np.float64))
    assert np.array_equal(geoent.convex_hull(base.tolist()), want)
    assert np.array_equal(geoent.convex_hull(base), want)
    assert np.array_equal(geoent.convex_hull(base.astype(np.float32)), want)
    wide = np.zeros((300, 4))
    wide[:, ::2] = base
    view = wide[:, ::2]
    before = view.copy()
    assert np.array_equal(geoent.convex_hull(view), want)
    assert np.array_equal(view, before)
    big = make_points("uniform", 30_000, seed=4)
    copy = big.copy()
    geoent.convex_hull(big)
    assert np.array_equal(big, copy)


@pytest.mark.parametrize("n", [10, 40_000])
def test_nan_and_inf_name_the_row(n):
    pts = make_points("uniform", n, seed=1)
    for bad in (np.nan, np.inf, -np.inf):
        p = pts.copy()
        p[7, 1] = bad
        with pytest.raises(ValueError, match="row 7"):
            geoent.convex_hull(p)
        with pytest.raises(ValueError, match="row 7"):
            geoent.ConvexHull(p)


def test_bad_shapes_and_empty():
    for bad in (np.empty((0, 2)), np.ones(4), np.ones((3, 4)), [[1, 2], [3]]):
        with pytest.raises(ValueError):
            geoent.convex_hull(bad)


# ---------------------------------------------------------------------------
# instance-optimal statistics
# ---------------------------------------------------------------------------


def test_instance_optimal_stats_contract():
    pts = make_points("uniform", 20_000, seed=9)
    s = H.instance_optimal_stats(pts)
    per = s["examined_per_level"]
    assert per[0] == 20_000
    assert s["examined_total"] == sum(per)
    assert s["levels"] == len(per) and all(v > 0 for v in per)
    assert s["h"] == len(geoent.convex_hull(pts))
    hull = geoent.ConvexHull(pts)
    assert hull.stats == s
    hull2 = geoent.ConvexHull(pts, method="instance_optimal")
    assert hull2.stats == s


def test_instance_optimal_work_tracks_structure():
    """Uniform points (low entropy) cost O(n); points in convex position
    (h = n, the worst case) cost about n log n: levels halve the subproblems."""
    n = 1 << 13
    lo = H.instance_optimal_stats(make_points("uniform", n, seed=1))
    hi = H.instance_optimal_stats(make_points("circle", n, seed=1))
    assert lo["examined_total"] < 4 * n
    assert hi["examined_total"] > 6 * n
    assert hi["examined_total"] <= n * (2 + np.log2(n))
    assert hi["h"] == n


# ---------------------------------------------------------------------------
# ConvexHull
# ---------------------------------------------------------------------------


def test_convexhull_matches_scipy():
    pts = make_points("gaussian", 3000, seed=12)
    ours = geoent.ConvexHull(pts)
    sc = scipy.spatial.ConvexHull(pts)
    assert ours.ndim == 2 and ours.npoints == 3000
    assert ours.nsimplex == len(sc.simplices) == len(ours.vertices)
    edges = sorted(map(sorted, ours.simplices.tolist()))
    assert edges == sorted(map(sorted, sc.simplices.tolist()))
    assert ours.volume == pytest.approx(sc.volume, rel=1e-12)
    assert ours.area == pytest.approx(sc.area, rel=1e-12)
    np.testing.assert_allclose(ours.min_bound, sc.min_bound)
    np.testing.assert_allclose(ours.max_bound, sc.max_bound)
    # equations: same hyperplanes per edge, unit outward normals, points inside
    eq_sc = {tuple(sorted(s)): e for s, e in zip(sc.simplices.tolist(), sc.equations, strict=True)}
    for s, e in zip(ours.simplices.tolist(), ours.equations, strict=True):
        np.testing.assert_allclose(e, eq_sc[tuple(sorted(s))], atol=1e-12)
    np.testing.assert_allclose(np.hypot(ours.equations[:, 0], ours.equations[:, 1]), 1.0)
    assert (pts @ ours.equations[:, :2].T + ours.equations[:, 2]).max() <= 1e-12
    # neighbours: facet i's k-th neighbour shares every vertex of facet i but the k-th
    for i, s in enumerate(ours.simplices):
        for k in range(2):
            other = ours.simplices[ours.neighbors[i, k]]
            assert s[1 - k] in other and s[k] not in other
    assert ours.coplanar.shape == (0, 3)
    assert not ours.points.flags.writeable


def test_convexhull_offset_area_is_accurate():
    sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]]) + 1e8
    h = geoent.ConvexHull(sq)
    assert h.volume == 1.0 and h.area == 4.0


@pytest.mark.parametrize(
    "pts", [[[1, 1]], [[1, 1], [1, 1]], [[0, 0], [1, 1], [2, 2]], [[0, 0], [0, 5]]]
)
def test_convexhull_no_extent_raises(pts):
    with pytest.raises(GeometryError, match="no 2D extent"):
        geoent.ConvexHull(pts)
    assert issubclass(GeometryError, ValueError)


def test_convexhull_to_shapely_and_plot():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    pts = make_points("disk", 500, seed=3)
    h = geoent.ConvexHull(pts)
    poly = h.to_shapely()
    assert poly.area == pytest.approx(h.volume, rel=1e-12)
    assert poly.length == pytest.approx(h.area, rel=1e-12)
    ax = h.plot()
    assert len(ax.lines) == 2
    import matplotlib.pyplot as plt

    plt.close("all")


def test_convexhull_bad_input():
    with pytest.raises(InputError):
        geoent.ConvexHull(np.ones((4, 5)))
    with pytest.raises(InputError):
        geoent.ConvexHull([[0, 0], [1, 0], [0, 1]], method="nope")


# ---------------------------------------------------------------------------
# 3D dispatch (engine written separately; skipped until it lands)
# ---------------------------------------------------------------------------


def _hull3d_available():
    try:
        import geoent._hull3d  # noqa: F401
    except ImportError:
        return False
    return True


needs3d = pytest.mark.skipif(not _hull3d_available(), reason="geoent._hull3d not available yet")


@needs3d
def test_3d_dispatch_against_scipy():
    pts = make_points("ball", 2000, seed=4)
    sc = scipy.spatial.ConvexHull(pts)
    got = geoent.convex_hull(pts)
    assert got.tolist() == sorted(sc.vertices.tolist())
    h = geoent.ConvexHull(pts)
    assert h.ndim == 3 and h.nsimplex == len(h.simplices)
    assert h.volume == pytest.approx(sc.volume, rel=1e-9)
    assert h.area == pytest.approx(sc.area, rel=1e-9)
    assert (pts @ h.equations[:, :3].T + h.equations[:, 3]).max() <= 1e-9
    np.testing.assert_allclose(np.linalg.norm(h.equations[:, :3], axis=1), 1.0)


@needs3d
def test_3d_no_extent_raises():
    flat = np.column_stack((np.random.default_rng(1).random((50, 2)), np.zeros(50)))
    with pytest.raises(GeometryError):
        geoent.ConvexHull(flat)
    assert len(geoent.convex_hull(flat)) >= 3


def test_3d_hint_rejected():
    with pytest.raises(InputError):
        geoent.convex_hull(np.random.default_rng(1).random((10, 3)), hint=np.arange(3))


# ---------------------------------------------------------------------------
# instance_optimal: subproblems left to the sorted chain (issue 12)
# ---------------------------------------------------------------------------


def _ks_hull(pts, sort_below):
    """The Kirkpatrick-Seidel engine alone (no filters) with the given threshold."""
    from geoent import _hull2d as H2

    # scaled by a power of two into the exact window, as the engine does first
    q = H2._rescaled(np.ascontiguousarray(pts, dtype=np.float64)).reshape(-1)
    levels = np.zeros(2 * 64 + 8, dtype=np.int64)
    return H2._ks_subset(q, np.arange(len(pts), dtype=np.int64), levels, sort_below)


@pytest.mark.parametrize("name", sorted(DEGENERATE))
@pytest.mark.parametrize("sort_below", [0, 1, 2, 3, 1024])
def test_ks_deferred_subproblems_on_degenerate_sets(name, sort_below):
    pts = np.asarray(DEGENERATE[name], dtype=np.float64)
    got = _ks_hull(pts, sort_below)
    assert got.tolist() == naive.convex_hull_2d(pts)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=1, max_size=40),
    st.sampled_from([1, 2, 3, 5, 8]),
)
def test_ks_deferred_hypothesis_small_integer_sets(coords, sort_below):
    """Bridges above the threshold, deferred subproblems below it (and caps of
    bridge candidates), mixed, on duplicates and collinear points."""
    pts = np.array(coords, dtype=np.float64)
    assert _ks_hull(pts, sort_below).tolist() == naive.convex_hull_2d(pts)


@pytest.mark.parametrize(
    "dist", ["circle", "annulus", "disk", "duplicates", "grid", "rotated_grid", "offset"]
)
@pytest.mark.parametrize("sort_below", [0, 16, 1024])
def test_ks_deferred_medium_against_reference(dist, sort_below):
    """Points on a circle (every subproblem a cap of bridge candidates), a thin
    annulus and heavy duplicates, above and below the threshold."""
    pts = make_points(dist, 20_000, seed=11)
    assert np.array_equal(_ks_hull(pts, sort_below), reference_hull(pts))
    # the public path (filters, then the same engine) agrees with the default
    assert np.array_equal(
        geoent.convex_hull(pts, method="instance_optimal"), geoent.convex_hull(pts)
    )


def test_instance_optimal_stats_count_the_pure_algorithm():
    """The stats path runs no deferral: on a circle every level examines points."""
    s = geoent.hull.instance_optimal_stats(make_points("circle", 4096, seed=1))
    assert s["h"] == 4096
    assert s["levels"] >= 12  # about log2(4096 / 2) levels per half


@pytest.mark.parametrize("angle", [0.0, 0.3, np.pi / 4, 1.0])
def test_ks_root_caps_on_circles_with_a_centre(angle):
    """Points on a (rotated, offset) circle, alone and with a dense centre cluster
    (the root problems then are no caps), duplicated vertices among them."""
    rng = np.random.default_rng(5)
    t = rng.random(6000) * 2 * np.pi + angle
    ring = np.column_stack((np.cos(t), np.sin(t))) * 3.0 + [1e3, -7.0]
    centre = rng.normal(size=(30_000, 2)) * 0.1 + [1e3, -7.0]
    for pts in (ring, np.vstack((ring, centre)), np.vstack((ring, ring[:500], centre))):
        pts = np.ascontiguousarray(rng.permutation(pts))
        want = reference_hull(pts)
        for sort_below in (0, 8, 1024):
            assert np.array_equal(_ks_hull(pts, sort_below), want), sort_below
