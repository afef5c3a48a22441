"""geoent.geo.convex_hull: one hull per geometry, checked against shapely (GEOS, an
independent implementation) as sets of coordinates, and against exact brute force
on small integer sets where GEOS's own answer could be in doubt."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from geoent.errors import InputError
from geoent.geo import convex_hull

from . import naive


def coord_set(g):
    return {tuple(c) for c in shapely.get_coordinates(g, include_z=shapely.has_z(g))}


def assert_same_hulls(got, ref):
    """Same kind (None, empty, Point, LineString, Polygon) and the same vertices."""
    assert len(got) == len(ref)
    for i, (a, b) in enumerate(zip(got, ref, strict=True)):
        if b is None:
            assert a is None, i
            continue
        assert a is not None, i
        assert a.geom_type == b.geom_type, (i, a.wkt, b.wkt)
        assert a.is_empty == b.is_empty, i
        assert coord_set(a) == coord_set(b), (i, a.wkt, b.wkt)
        if a.geom_type == "Polygon":
            # a closed ring, as shapely builds it; clockwise like GEOS's hull
            ring = shapely.get_coordinates(a)
            assert (ring[0] == ring[-1]).all() and len(ring) == len(coord_set(a)) + 1
            assert not a.exterior.is_ccw


EVERY_TYPE = [
    "POINT (1 2)",
    "POINT EMPTY",
    "MULTIPOINT ((0 0), (2 0), (1 1), (1 3), (2 0))",
    "MULTIPOINT ((0 0), (0 0))",
    "MULTIPOINT ((0 0), (1 1), (3 3))",
    "LINESTRING (0 0, 1 1, 2 2)",
    "LINESTRING (2 0, 1 1, 0 2)",
    "LINESTRING (0 0, 0 2, 0 1)",
    "LINESTRING (0 0, 3 1, 1 4)",
    "LINESTRING EMPTY",
    "LINEARRING (0 0, 4 0, 4 4, 0 0)",
    "POLYGON ((0 0, 2 0, 2 2, 1 1, 0 2, 0 0))",
    "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 2, 3 3, 2 2))",
    "POLYGON ((0 0, 1 0, 2 0, 2 2, 0 2, 0 1, 0 0))",
    "POLYGON EMPTY",
    "MULTILINESTRING ((0 0, 1 0), (5 5, 5 6))",
    "MULTIPOLYGON (((0 0, 1 0, 0 1, 0 0)), ((5 5, 6 5, 5 6, 5 5)))",
    "MULTIPOLYGON EMPTY",
    "GEOMETRYCOLLECTION (POINT (0 0), LINESTRING (1 0, 3 3), POLYGON ((5 5, 6 5, 6 6, 5 5)))",
    "GEOMETRYCOLLECTION (POINT (0 0), POINT (0 0))",
    "GEOMETRYCOLLECTION EMPTY",
]


def test_every_geometry_type_empty_and_none():
    geoms = np.array([shapely.from_wkt(w) for w in EVERY_TYPE] + [None], dtype=object)
    got = convex_hull(geoms)
    assert isinstance(got, np.ndarray) and got.dtype == object
    assert_same_hulls(got, shapely.convex_hull(geoms))
    assert got[-1] is None
    assert got[1].wkt == "GEOMETRYCOLLECTION EMPTY"
    # the input array is untouched
    assert [g.wkt if g is not None else None for g in geoms[:-1]] == [
        shapely.from_wkt(w).wkt for w in EVERY_TYPE
    ]


def test_polygons_written_as_geos_writes_them():
    rng = np.random.default_rng(5)
    geoms = shapely.multipoints(rng.random((500, 20, 2)))
    got = convex_hull(geoms)
    assert shapely.equals_exact(got, shapely.convex_hull(geoms), tolerance=0).all()


def test_list_and_empty_input():
    assert convex_hull([]).shape == (0,)
    got = convex_hull([shapely.Point(0, 0), None])
    assert got[0].wkt == "POINT (0 0)" and got[1] is None
    assert convex_hull([None, None]).tolist() == [None, None]


@settings(deadline=None, max_examples=60)
@given(
    st.lists(
        st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3)), min_size=1, max_size=9),
        min_size=1,
        max_size=12,
    )
)
def test_small_integer_sets_against_brute_force(sets):
    geoms = np.array([shapely.MultiPoint(s) for s in sets], dtype=object)
    got = convex_hull(geoms)
    for g, s in zip(got, sets, strict=True):
        pts = np.array(s, dtype=float)
        want = pts[naive.convex_hull_2d(pts)]  # exact brute force
        assert coord_set(g) == {tuple(p) for p in want}
        assert g.geom_type == {1: "Point", 2: "LineString"}.get(len(want), "Polygon")
    assert_same_hulls(got, shapely.convex_hull(geoms))


def test_random_polygons_all_kernel_paths():
    """Star-shaped polygons of 3 to 200 vertices: rings of up to 64 vertices stay in
    the batched kernel once their closure is split off, larger ones go to the
    general engine; holes and multipolygons mixed in."""
    rng = np.random.default_rng(11)
    geoms = []
    for k in list(range(3, 70)) + [100, 200] * 5:
        ang = np.sort(rng.random(k)) * 2 * np.pi
        r = 0.5 + 0.5 * rng.random(k)
        c = rng.random(2) * 100
        geoms.append(shapely.Polygon(np.column_stack((r * np.cos(ang), r * np.sin(ang))) + c))
    geoms.append(shapely.MultiPolygon(geoms[:3]))
    geoms.append(geoms[10].difference(geoms[10].centroid.buffer(0.1)))  # with a hole
    geoms = np.array(geoms, dtype=object)
    got = convex_hull(geoms)
    assert_same_hulls(got, shapely.convex_hull(geoms))


def _large_sets(rng, kind, sizes):
    """Point sets of the given sizes: uniform, on a circle, a small integer grid
    (many duplicates and collinear runs), or on one line."""
    out = []
    for k in sizes:
        if kind == "uniform":
            p = rng.random((k, 2)) * 10
        elif kind == "circle":
            a = rng.random(k) * 2 * np.pi
            p = np.column_stack((np.cos(a), np.sin(a)))
        elif kind == "grid":
            p = rng.integers(0, 4, (k, 2)).astype(float)
        else:
            t = rng.integers(-5, 6, k).astype(float)
            p = np.column_stack((t, 3 * t - 1))
        out.append(p)
    return out


@pytest.mark.parametrize("kind", ["uniform", "circle", "grid", "line"])
def test_batched_sets_of_65_and_more_match_the_engine(kind):
    """Sets of more than 64 points are solved inside the batched kernel (octagon
    filter, sort, exact chain): every hull equals ``convex_hull`` of the set alone,
    index for index (order, duplicates' lowest index, collinear extremes)."""
    from geoent.hull import convex_hull as engine
    from geoent.hull import convex_hulls

    rng = np.random.default_rng(23)
    sets = _large_sets(rng, kind, [65, 66, 100, 1, 64, 300, 2000, 5000])
    off = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    idx, ioff = convex_hulls(np.concatenate(sets), off)
    for i, s in enumerate(sets):
        assert np.array_equal(idx[ioff[i] : ioff[i + 1]], engine(s)), (kind, i, len(s))
        if len(s) <= 300:  # brute force: the same vertex set
            got = {tuple(v) for v in s[idx[ioff[i] : ioff[i + 1]]]}
            assert got == {tuple(v) for v in s[naive.convex_hull_2d(s)]}


def test_batched_sets_beyond_big_set_go_to_the_engine():
    """A set above ``BIG_SET`` points is left to the 2D engine, between kernel sets."""
    from geoent._kernels.hulls_batched import BIG_SET
    from geoent.hull import convex_hull as engine
    from geoent.hull import convex_hulls

    rng = np.random.default_rng(5)
    a = rng.random(BIG_SET + 10)
    sets = [rng.random((70, 2)), np.column_stack((np.cos(a), np.sin(a))), rng.random((9, 2))]
    off = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    idx, ioff = convex_hulls(np.concatenate(sets), off)
    for i, s in enumerate(sets):
        assert np.array_equal(idx[ioff[i] : ioff[i + 1]], engine(s)), i


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.tuples(st.integers(-4, 4), st.integers(-4, 4)), min_size=65, max_size=160),
    st.integers(0, 3),
)
def test_batched_large_integer_sets_against_brute_force(pts, rot):
    """Degenerate large sets (duplicates, collinear runs, all on a line): the big-set
    path against exact brute force; ``rot`` shears the grid so the octagon's
    diagonal extremes are exercised off the axes."""
    from geoent.hull import convex_hulls

    p = np.array(pts, dtype=float)
    p = p @ np.array([[1.0, 0.0], [rot / 3.0, 1.0]])
    idx, ioff = convex_hulls(np.concatenate((p[:3], p)), [0, 3, 3 + len(p)])
    got = p[idx[ioff[1] : ioff[2]]]
    want = p[naive.convex_hull_2d(p)]
    assert {tuple(v) for v in got} == {tuple(v) for v in want}
    assert len(got) == len(want)


def test_airports_by_country_match_shapely():
    """The shipped airports as MultiPoints per country (1 to 12,579 points: most
    points in sets above 64) against GEOS."""
    from geoent.bench.suites.geo import airports_by_country

    geoms = airports_by_country()
    assert_same_hulls(convex_hull(geoms), shapely.convex_hull(geoms))


def test_huge_offsets_and_tiny_coordinates():
    base = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [0.5, 0]])
    geoms = np.array(
        [
            shapely.MultiPoint(base + 1e8),
            shapely.MultiPoint(base * 1e200),
            shapely.MultiPoint(base * 1e-300),
            shapely.MultiPoint(base + [1e15, -1e15]),
        ],
        dtype=object,
    )
    got = convex_hull(geoms)
    for g, s in zip(
        got, [base + 1e8, base * 1e200, base * 1e-300, base + [1e15, -1e15]], strict=True
    ):
        assert coord_set(g) == {tuple(p) for p in s[:4]}


def test_z_rides_along():
    geoms = np.array(
        [
            shapely.from_wkt("POLYGON Z ((0 0 1, 2 0 2, 2 2 3, 0 2 4, 1 1 9, 0 0 1))"),
            shapely.from_wkt("POLYGON ((0 0, 2 0, 2 2, 0 0))"),
            shapely.from_wkt("LINESTRING Z (0 0 5, 1 1 6, 2 2 7)"),
        ],
        dtype=object,
    )
    got = convex_hull(geoms)
    assert_same_hulls(got, shapely.convex_hull(geoms))
    assert got[0].has_z and not got[1].has_z and got[2].has_z


def test_geoseries_in_geoseries_out():
    gpd = pytest.importorskip("geopandas")
    geoms = [shapely.from_wkt(w) for w in EVERY_TYPE] + [None]
    gs = gpd.GeoSeries(geoms, index=np.arange(len(geoms)) * 3 + 7, crs="EPSG:3857", name="g")
    got = convex_hull(gs)
    assert isinstance(got, gpd.GeoSeries)
    assert got.crs == gs.crs and got.name == "g" and (got.index == gs.index).all()
    assert_same_hulls(got.values, gs.convex_hull.values)
    arr = convex_hull(gs.values)
    assert isinstance(arr, gpd.array.GeometryArray) and arr.crs == gs.crs


def test_nan_coordinates_name_the_geometry():
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shapely warns about the NaN
        line = shapely.LineString([(0, 0), (np.nan, 1), (2, 2)])
    geoms = np.array([shapely.Point(0, 0), line], dtype=object)
    with pytest.raises(InputError, match="geometry 1 .*not finite"):
        convex_hull(geoms)
    gpd = pytest.importorskip("geopandas")
    with pytest.raises(ValueError, match="geometry 1 .*not finite"):
        convex_hull(gpd.GeoSeries(geoms))
    with pytest.raises(InputError, match="geometry 0 .*not finite"):
        convex_hull([shapely.Point(np.inf, 0)])


def test_bad_input():
    mixed = np.array([shapely.Point(0, 0), "POINT (1 1)"], dtype=object)
    with pytest.raises(InputError, match="element 1 is str"):
        convex_hull(mixed)
    with pytest.raises(InputError, match="element 0 is float"):
        convex_hull([1.5])
    grid = np.array([[shapely.Point(0, 0)], [shapely.Point(1, 1)]], dtype=object)
    with pytest.raises(InputError, match="1-D"):
        convex_hull(grid)


@pytest.mark.slow
def test_bench_suite_geo_tiny():
    from geoent.bench import run_bench

    res = run_bench(
        ["geo"],
        sizes=[40],
        distributions=["polygons", "multipoints", "airports_by_country"],
        rounds=1,
        progress=False,
    )
    rows = {(r["distribution"], r["contender"]): r for r in res.rows}
    for dist in ("polygons", "multipoints", "airports_by_country"):
        for c in ("geoent", "shapely"):
            r = rows[(dist, c)]
            assert r["median_s"] > 0 and r["error"] == 0.0, r


def test_bench_inputs():
    from geoent.bench.suites.geo import airports_by_country, make_input, random_polygons

    polys = random_polygons(200, seed=3)
    k = shapely.get_num_coordinates(polys) - 1  # rings are closed
    assert polys.shape == (200,) and k.min() >= 16 and k.max() <= 64
    assert shapely.is_valid(polys).all()  # star-shaped around the centre: simple
    groups = airports_by_country()
    assert groups.shape == (234,)
    assert shapely.get_num_coordinates(groups).sum() == 28298
    assert make_input("airports_by_country", 500, 0).shape == (500,)
