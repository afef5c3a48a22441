"""Certified range-partition entropy: exactness of the certificate, the bound against
an exact brute-force oracle, and values derived by hand.

Hand derivations used below (n points, H in nats):

* Convex position (every point a strictly convex hull vertex). A hull vertex is an
  extreme point of the hull, so a triangle inside the hull holds it only as one of its
  three corners: every part has at most 3 points. Among partitions into parts of size
  <= 3, taking as many triples as possible majorises every other one (its top-j sums
  min(3j, n) are the largest possible), and entropy is Schur-concave, so with
  n = 3q + r: H = [3q ln(n/3) + (r == 2) 2 ln(n/2) + (r == 1) ln n] / n.
* A cluster of c points inside a triangle of three of the k hull vertices (all other
  points hull vertices). Every part holds at most 3 hull vertices, so the j largest
  parts hold at most c + 3j points; (c + 3, 3, ..., 3, r) with r = (k - 3) mod 3
  reaches that bound for every j, hence is optimal by the same majorisation argument.
* Points on a convex parabola y = x^2, upper-hull variant: the upper hull is the single
  segment between the extremes and every point lies on or below it, so one triangle
  (the extremes and a corner far below) holds all points: H_upper = 0.
"""

from __future__ import annotations

import math
from fractions import Fraction as Fr

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.datasets import make_points
from geoent.entropy import partition_entropy, respectful_violation

from . import naive as bf


def _convex_position_h(n):
    q, r = divmod(n, 3)
    total = 3 * q * math.log(n / 3)
    if r == 2:
        total += 2 * math.log(n / 2)
    elif r == 1:
        total += math.log(n)
    return total / n


def _check(pts, res, upper=False):
    assert res.labels.shape == (len(pts),)
    assert res.labels.dtype == np.int64 and res.triangles.dtype == np.int64
    assert res.entropy == pytest.approx(partition_entropy(res.labels), abs=1e-12)
    assert 0.0 <= res.entropy <= math.log(max(len(pts), 1)) + 1e-12
    assert res.n_parts == len(res.triangles) + res.n_singletons
    assert (res.sizes >= 2).all()  # parts of one point are reported as singletons
    why = respectful_violation(pts, res.labels, res.triangles, upper=upper, steiner=res.steiner)
    assert why is None, why


# ---------------------------------------------------------------------------
# hand-derived exact values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 4, 5, 6, 7, 8, 10, 11, 31, 100])
def test_convex_position_is_optimal(n):
    x = np.arange(n, dtype=float)
    pts = np.column_stack([x, x * x])  # exactly convex, every point a hull vertex
    res = geoent.range_partition_entropy(pts)
    _check(pts, res)
    q, r = divmod(n, 3)
    assert sorted(res.sizes.tolist(), reverse=True) == [3] * q + ([2] if r == 2 else [])
    assert res.n_singletons == (1 if r == 1 else 0)
    assert res.entropy == pytest.approx(_convex_position_h(n), abs=1e-12)
    if n <= 8:
        assert bf.exact_entropy(pts) == pytest.approx(_convex_position_h(n), abs=1e-12)


@pytest.mark.parametrize("k,c", [(5, 3), (7, 20), (9, 50), (12, 400)])
def test_cluster_inside_a_triangle_of_hull_vertices(k, c):
    rng = np.random.default_rng(k)
    ang = 2 * np.pi * np.arange(k) / k
    hull = np.round(1000 * np.column_stack([np.cos(ang), np.sin(ang)]))
    # the triangle (0, k//3, 2k//3) contains the centre; the cluster sits near it
    cluster = rng.integers(-40, 41, (c, 2)).astype(float)
    pts = np.vstack([hull, cluster])
    assert len(geoent.convex_hull(pts)) == k
    res = geoent.range_partition_entropy(pts)
    _check(pts, res)
    q, r = divmod(k - 3, 3)
    expect = [c + 3] + [3] * q + ([r] if r == 2 else [])
    assert sorted(res.sizes.tolist(), reverse=True) == expect
    n = k + c
    h = ((c + 3) * math.log(n / (c + 3)) + 3 * q * math.log(n / 3)) / n
    h += {0: 0.0, 1: math.log(n) / n, 2: 2 * math.log(n / 2) / n}[r]
    assert res.entropy == pytest.approx(h, abs=1e-12)
    if n <= 9:
        assert bf.exact_entropy(pts) == pytest.approx(h, abs=1e-12)


def test_upper_variant_of_a_convex_parabola_is_zero():
    x = np.arange(-20, 21, dtype=float)
    pts = np.column_stack([x, x * x])
    full = geoent.range_partition_entropy(pts)
    up = geoent.range_partition_entropy(pts, upper=True)
    _check(pts, up, upper=True)
    assert full.entropy == pytest.approx(_convex_position_h(len(pts)), abs=1e-12)
    assert up.entropy == 0.0 and up.n_parts == 1 and len(up.steiner) == 1
    # the Steiner corner really is needed: the hull alone does not certify it
    assert not geoent.is_respectful(pts, up.labels, up.triangles, steiner=up.steiner)


def test_upper_variant_of_a_concave_parabola_is_convex_position():
    x = np.arange(-6, 7, dtype=float)
    pts = np.column_stack([x, -x * x])
    up = geoent.range_partition_entropy(pts, upper=True)
    _check(pts, up, upper=True)
    assert up.entropy == pytest.approx(_convex_position_h(len(pts)), abs=1e-12)


@pytest.mark.parametrize(
    "pts",
    [
        [[1.0, 2.0]],
        [[1.0, 2.0]] * 5,
        [[0, 0], [1, 1], [2, 2], [3, 3], [1, 1]],  # collinear with a duplicate
        [[0, 0], [0, 1], [0, 5]],  # vertical
        [[0, 0], [10, 0], [0, 10], [1, 1], [2, 3], [3, 2], [1, 1]],  # inside a triangle
    ],
)
def test_sets_in_one_triangle_have_zero_entropy(pts):
    pts = np.asarray(pts, dtype=float)
    for upper in (False, True):
        res = geoent.range_partition_entropy(pts, upper=upper)
        _check(pts, res, upper=upper)
        assert res.entropy == 0.0
        assert res.n_parts == 1


# ---------------------------------------------------------------------------
# the certified value is an upper bound on the exact minimum
# ---------------------------------------------------------------------------


def _families(seed, n):
    rng = np.random.default_rng(seed)
    kind = seed % 4
    if kind == 0:
        return rng.random((n, 2))
    if kind == 1:
        return rng.standard_normal((n, 2))
    if kind == 2:
        return rng.integers(0, 4, (n, 2)).astype(float)  # collinear and duplicates
    t = rng.random(n) * 2 * np.pi
    r = np.where(rng.random(n) < 0.5, 1.0, 0.1 * rng.random(n))
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(24))
def test_certified_value_is_never_below_the_exact_minimum(seed):
    n = 5 + seed % 4
    pts = _families(seed, n)
    exact = bf.exact_entropy(pts)
    res = geoent.range_partition_entropy(pts)
    _check(pts, res)
    assert res.entropy >= exact - 1e-12
    # the oracle agrees that our parts are admissible
    ok = bf.admissible_sets(pts)
    for t in range(len(res.triangles)):
        mask = sum(1 << int(i) for i in np.flatnonzero(res.labels == t))
        assert ok[mask]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_upper_certified_value_is_never_below_the_exact_minimum(seed):
    pts = _families(seed + 100, 6 + seed % 2)
    res = geoent.range_partition_entropy(pts, upper=True)
    _check(pts, res, upper=True)
    full = geoent.range_partition_entropy(pts)
    assert res.entropy <= full.entropy + 1e-12
    # truncate U below every Steiner corner we used, so our partition stays admissible
    low = min([float(pts[:, 1].min())] + [float(v) for v in res.steiner[:, 1]])
    depth = float(pts[:, 1].min()) - low + 1.0
    assert res.entropy >= bf.exact_entropy(pts, upper=True, depth=depth) - 1e-12


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-3, 3), st.integers(-3, 3)),
        min_size=1,
        max_size=7,
    )
)
def test_bound_on_small_integer_sets(coords):
    pts = np.array(coords, dtype=float)
    res = geoent.range_partition_entropy(pts)
    _check(pts, res)
    assert res.entropy >= bf.exact_entropy(pts) - 1e-12
    up = geoent.range_partition_entropy(pts, upper=True)
    _check(pts, up, upper=True)
    assert up.entropy <= res.entropy + 1e-12


# ---------------------------------------------------------------------------
# the oracle's nested-triangle decision
# ---------------------------------------------------------------------------


def _f(*v):
    return tuple(Fr(x) for x in v)


def test_nested_triangle_known_cases():
    big_tri = bf.frac_hull([_f(0, 0), _f(10, 0), _f(0, 10)])
    square = bf.frac_hull([_f(0, 0), _f(10, 0), _f(10, 10), _f(0, 10)])
    small = bf.frac_hull([_f(1, 1), _f(2, 1), _f(2, 2), _f(1, 2)])
    near = bf.frac_hull([_f(1, 1), _f(9, 1), _f(9, 9), _f(1, 9)])
    w = bf.nested_triangle(small, big_tri)
    assert w is not None and all(bf.in_triangle(*w, p) for p in small)
    assert bf.nested_triangle(near, square) is None
    centre = bf.frac_hull([_f(4, 4), _f(6, 4), _f(6, 6), _f(4, 6)])
    assert bf.nested_triangle(centre, square) is not None
    # a square of side 5 in a square of side 10 fits (e.g. corners (0,0),(10,0),(0,10)
    # hold [0,5]^2)... but touching two opposite sides it does not
    assert bf.nested_triangle(bf.frac_hull([_f(0, 0), _f(5, 0), _f(5, 5), _f(0, 5)]), square)
    assert bf.nested_triangle(
        bf.frac_hull([_f(0, 3), _f(10, 3), _f(10, 6), _f(0, 6)]), square
    ) is None  # fmt: skip


def _in_polygon(q, c):
    return all(bf._orient(q[i], q[(i + 1) % len(q)], c) >= 0 for i in range(len(q)))


@pytest.mark.slow
def test_nested_triangle_agrees_with_random_search():
    """One-sided: whenever random triangles with corners on the boundary of Q find one
    holding P, the oracle must say yes; every witness it gives lies in Q and holds P."""
    rng = np.random.default_rng(7)
    yes = no = searched_yes = 0
    for _ in range(60):
        pts = [_f(int(a), int(b)) for a, b in rng.integers(0, 24, (9, 2))]
        q = bf.frac_hull(pts)
        p = bf.frac_hull([v for v in pts if v not in q])
        if len(q) < 3 or len(p) < 4:
            continue
        got = bf.nested_triangle(p, q)
        if got is not None:
            yes += 1
            assert all(bf.in_triangle(*got, v) for v in p)
            assert all(_in_polygon(q, c) for c in got)
        else:
            no += 1
        b = bf._Boundary(q)
        for s in rng.integers(0, 64 * len(q), (400, 3)):
            tri = [b.point(Fr(int(v), 64)) for v in s]
            if all(bf.in_triangle(*tri, v) for v in p):
                assert got is not None, (p, q, tri)
                searched_yes += 1
                break
    # both answers occur, so the test exercises both sides
    assert yes >= 3 and no >= 1 and searched_yes >= 1, (yes, no, searched_yes)


# ---------------------------------------------------------------------------
# is_respectful: exact decisions on near-degenerate input
# ---------------------------------------------------------------------------


def test_rejects_a_point_one_ulp_outside_its_triangle():
    up = np.nextafter(0.5, 1.0)
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.5, up], [0.2, 0.2]])
    tri = [[0, 1, 2]]
    assert geoent.is_respectful(pts, [0, 0, 0, 0, -1, 0], tri)  # on the edge: closed
    assert not geoent.is_respectful(pts, [0, 0, 0, 0, 0, 0], tri)
    assert "point 4" in respectful_violation(pts, [0, 0, 0, 0, 0, 0], tri)


def test_rejects_a_triangle_one_ulp_outside_the_hull():
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.9, 0.5]])
    out = np.array([[np.nextafter(1.0, 2.0), 0.5]])
    on = np.array([[1.0, 0.5]])
    lab = [0, -1, -1, 0, 0]
    assert geoent.is_respectful(pts, lab, [[0, 5, 3]], steiner=on)
    assert not geoent.is_respectful(pts, lab, [[0, 5, 3]], steiner=out)
    assert "not inside the hull" in respectful_violation(pts, lab, [[0, 5, 3]], steiner=out)


def test_upper_region_accepts_below_and_rejects_outside_the_strip():
    pts = np.array([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0]])
    deep = np.array([[1.0, -1e6]])
    lab = [0, 0, -1]
    assert geoent.is_respectful(pts, lab, [[0, 3, 1]], upper=True, steiner=deep)
    assert not geoent.is_respectful(pts, lab, [[0, 3, 1]], steiner=deep)
    wide = np.array([[np.nextafter(2.0, 3.0), -1.0]])
    assert not geoent.is_respectful(pts, lab, [[0, 3, 1]], upper=True, steiner=wide)
    above = np.array([[1.0, np.nextafter(1.0, 2.0)]])
    assert not geoent.is_respectful(pts, lab, [[0, 3, 1]], upper=True, steiner=above)


@pytest.mark.parametrize("seed", range(4))
def test_containment_matches_fractions_on_near_collinear_points(seed):
    # points within a few ulps of the line y = x through (0.5, 0.5): the naive float
    # orientation is wrong on many of them
    rng = np.random.default_rng(seed)
    k = 60
    base = 0.5 + rng.integers(-20, 20, (k, 2)) * 2.0**-53
    corners = np.array([[12.0, 12.0], [24.0, 24.0], [0.5, 0.5]])
    pts = np.vstack([corners, base])
    tri = np.array([[0, 1, 2]])
    fr = [(Fr(float(a)), Fr(float(b))) for a, b in pts]
    for i in range(3, len(pts)):
        lab = np.full(len(pts), -1)
        lab[i] = 0
        expect = bf.in_triangle(fr[0], fr[1], fr[2], fr[i])
        # corners are input points, so the triangle lies in the hull
        assert geoent.is_respectful(pts, lab, tri) == expect


def test_bad_arrays_raise():
    pts = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match="labels"):
        geoent.is_respectful(pts, [0, 0], [[0, 1, 2]])
    with pytest.raises(ValueError, match="labels"):
        geoent.is_respectful(pts, [0, 0, 1], [[0, 1, 2]])
    with pytest.raises(ValueError, match="triangles"):
        geoent.is_respectful(pts, [0, 0, 0], [[0, 1, 3]])
    with pytest.raises(ValueError, match="triangles"):
        geoent.is_respectful(pts, [0, 0, 0], [0, 1, 2])


# ---------------------------------------------------------------------------
# the fan of a given polygon (the hard limit of the soft respectful entropy)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_fan_assigns_the_first_triangle_holding_each_point(seed):
    rng = np.random.default_rng(seed)
    pts = rng.integers(0, 12, (40, 2)).astype(float)
    hull = geoent.convex_hull(pts)
    polys = [hull, hull[::-1], rng.permutation(40)[:6]]  # convex CCW, CW, arbitrary
    fr = [(Fr(float(a)), Fr(float(b))) for a, b in pts]
    for poly in polys:
        res = geoent.range_partition_entropy(pts, polygon=poly)
        _check(pts, res)
        raw = []
        for i in range(len(pts)):
            lab = -1
            for t in range(len(poly) - 2):
                a, b, c = (fr[poly[0]], fr[poly[t + 1]], fr[poly[t + 2]])
                if bf.in_triangle(a, b, c, fr[i]):
                    lab = t
                    break
            raw.append(lab)
        raw = np.array(raw)
        # same partition up to renumbering, one-point parts becoming singletons
        assert partition_entropy(raw) == pytest.approx(res.entropy, abs=1e-12)
        for t in np.unique(res.labels[res.labels >= 0]):
            members = res.labels == t
            assert len(np.unique(raw[members])) == 1


def test_polygon_errors():
    pts = np.random.default_rng(0).random((10, 2))
    with pytest.raises(ValueError, match="polygon"):
        geoent.range_partition_entropy(pts, polygon=[0, 1, 10])
    with pytest.raises(ValueError, match="polygon"):
        geoent.range_partition_entropy(pts, polygon=[[0, 1, 2]])
    with pytest.raises(ValueError, match="upper"):
        geoent.range_partition_entropy(pts, polygon=[0, 1, 2], upper=True)


# ---------------------------------------------------------------------------
# bad input, extreme coordinates, larger sets
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [np.empty((0, 2)), [[0.0, np.nan]], [[0.0, 1.0, 2.0]], [[0.0, np.inf], [1.0, 1.0]]]
)
def test_bad_points_raise(bad):
    with pytest.raises(ValueError):
        geoent.range_partition_entropy(bad)


@pytest.mark.parametrize("scale", [1e200, 1e-300, 1.0])
def test_extreme_coordinates(scale):
    pts = np.random.default_rng(1).random((300, 2)) * scale
    for upper in (False, True):
        res = geoent.range_partition_entropy(pts, upper=upper)
        _check(pts, res, upper=upper)
    # scaling by a power of two changes no predicate, hence nothing
    a = geoent.range_partition_entropy(pts)
    b = geoent.range_partition_entropy(pts * 2.0**-7)
    assert a.entropy == b.entropy and (a.labels == b.labels).all()


@pytest.mark.parametrize("name", ["uniform", "circle", "grid", "duplicates", "kuzmin", "clusters"])
def test_generated_sets_are_certified(name):
    pts = make_points(name, 20_000, seed=3)
    for upper in (False, True):
        res = geoent.range_partition_entropy(pts, upper=upper)
        _check(pts, res, upper=upper)
    full = geoent.range_partition_entropy(pts)
    assert geoent.range_partition_entropy(pts, upper=True).entropy <= full.entropy + 1e-12


def test_circle_entropy_is_that_of_convex_position():
    n = 3001
    t = 2 * np.pi * np.arange(n) / n
    pts = np.column_stack([np.cos(t), np.sin(t)])
    h = len(geoent.convex_hull(pts))
    res = geoent.range_partition_entropy(pts)
    _check(pts, res)
    if h == n:  # rounding may leave some points off the strict hull
        assert res.entropy == pytest.approx(_convex_position_h(n), abs=1e-12)
    assert res.entropy <= _convex_position_h(n) + 1e-12


def test_input_is_not_modified_and_lists_work():
    pts = np.random.default_rng(0).random((50, 2))
    keep = pts.copy()
    a = geoent.range_partition_entropy(pts)
    b = geoent.range_partition_entropy(pts.tolist())
    assert (pts == keep).all()
    assert a.entropy == b.entropy
    assert (a.labels == b.labels).all()


# ---------------------------------------------------------------------------
# the command line
# ---------------------------------------------------------------------------


def test_cli_entropy(tmp_path):
    from typer.testing import CliRunner

    from geoent.cli import app

    pts = np.random.default_rng(0).random((300, 2))
    want = geoent.range_partition_entropy(pts).entropy
    runner = CliRunner()
    files = {"p.npy": None, "p.csv": ",", "p.txt": " "}
    for name, sep in files.items():
        path = tmp_path / name
        if sep is None:
            np.save(path, pts)
        else:
            np.savetxt(path, pts, delimiter=sep, fmt="%.17g")
        out = runner.invoke(app, ["entropy", str(path)])
        assert out.exit_code == 0, out.output
        assert f"{want:.6f} nats" in out.output
        assert "certified   yes" in out.output
    png = tmp_path / "part.png"
    out = runner.invoke(app, ["entropy", str(tmp_path / "p.npy"), "--upper", "--plot", str(png)])
    assert out.exit_code == 0, out.output
    assert png.stat().st_size > 1000
    (tmp_path / "bad.csv").write_text("1,2\n3,oops\n")
    np.save(tmp_path / "p3.npy", np.zeros((4, 3)))
    for bad, msg in [
        ("missing.npy", "no such file"),
        ("bad.csv", "bad.csv"),
        ("p3.npy", "shape"),
    ]:
        out = runner.invoke(app, ["entropy", str(tmp_path / bad)])
        assert out.exit_code == 2
        assert msg in out.output and "Traceback" not in out.output


def test_parallel_location_equals_serial(monkeypatch):
    # locate_parallel splits the points into blocks of _LOCATE_BLOCK, each a call
    # of the serial locate: with several blocks and a ragged last one, the result
    # must be the serial path's, field by field
    import geoent.entropy as ent
    from geoent._kernels import entropy as kent

    rng = np.random.default_rng(17)
    pts = rng.normal(size=(3 * kent._LOCATE_BLOCK + 123, 2))
    serial = geoent.range_partition_entropy(pts)
    monkeypatch.setattr(ent, "_PARALLEL_FROM", 1000)
    parallel = geoent.range_partition_entropy(pts)
    assert parallel.entropy == serial.entropy and parallel.n_parts == serial.n_parts
    np.testing.assert_array_equal(parallel.labels, serial.labels)
    np.testing.assert_array_equal(parallel.triangles, serial.triangles)
