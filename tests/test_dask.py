"""geoent.dask.convex_hull: identical to the in-memory hull (same indices, order and
tie rules) for any chunking, on dask's local schedulers and on a distributed
LocalCluster (loopback only, started and closed here); same errors as in memory."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.errors import InputError, RangeError

from . import naive

da = pytest.importorskip("dask.array")
gdask = pytest.importorskip("geoent.dask")


def both(pts, chunks, **kw):
    """(dask answer, in-memory answer) for the same points."""
    x = da.from_array(pts, chunks=chunks)
    return gdask.convex_hull(x, **kw), geoent.convex_hull(x.compute())


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("chunks", [1000, 3333, 20_000, (1, 999, 1, 5000, 13_999)])
def test_random_equal_to_in_memory(d, chunks):
    pts = np.random.default_rng(d).standard_normal((20_000, d))
    got, want = both(pts, (chunks, d))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)


def test_lazy_result_and_split_every():
    pts = np.random.default_rng(1).random((30_000, 2))
    x = da.from_array(pts, chunks=(500, 2))  # 60 blocks: a three-level merge tree
    lazy = gdask.convex_hull(x, compute=False, split_every=3)
    assert isinstance(lazy, da.Array) and np.isnan(lazy.shape[0])
    np.testing.assert_array_equal(lazy.compute(scheduler="sync"), geoent.convex_hull(pts))
    np.testing.assert_array_equal(lazy.compute(scheduler="threads"), geoent.convex_hull(pts))


def test_column_chunks_and_unknown_row_chunks():
    pts = np.random.default_rng(2).random((5000, 2))
    x = da.from_array(pts, chunks=(700, 1))
    np.testing.assert_array_equal(gdask.convex_hull(x), geoent.convex_hull(pts))
    y = x[x[:, 0] > 0.3]  # unknown chunk sizes
    assert np.isnan(y.chunks[0][0])
    np.testing.assert_array_equal(gdask.convex_hull(y), geoent.convex_hull(pts[pts[:, 0] > 0.3]))


def _square_with_duplicates(rng):
    """A square's corners repeated in many blocks (lowest index must win), points
    on its edges (collinear boundary points: never vertices), interior points."""
    corners = np.array([[0, 0], [4, 0], [4, 4], [0, 4]], dtype=float)
    edges = np.array([[2, 0], [4, 1], [4, 3], [1, 4], [0, 2], [3, 0]], dtype=float)
    inside = rng.integers(1, 4, (300, 2)).astype(float)
    pts = np.vstack([inside, np.repeat(corners, 5, axis=0), edges, corners, inside])
    rng.shuffle(pts)
    return pts


@pytest.mark.parametrize("chunk", [1, 2, 7, 50, 1000])
def test_duplicates_across_chunks_and_collinear_boundary(chunk):
    pts = _square_with_duplicates(np.random.default_rng(chunk))
    got, want = both(pts, (chunk, 2))
    np.testing.assert_array_equal(got, want)
    # the lowest index at each corner, independently of the in-memory engine
    for v in got:
        same = np.flatnonzero((pts == pts[v]).all(axis=1))
        assert v == same.min()


def test_degenerate_blocks():
    rng = np.random.default_rng(3)
    line = np.column_stack((np.arange(100.0), 2 * np.arange(100.0) + 1))
    # first block all collinear, a block of one point, then random
    pts = np.vstack([line, [[50.0, -7.0]], rng.random((500, 2)) * 100])
    got, want = both(pts, ((100, 1, 500), 2))
    np.testing.assert_array_equal(got, want)
    # whole input collinear: the two extremes, lexicographic order
    got, want = both(line[::-1].copy(), (7, 2))
    np.testing.assert_array_equal(got, want)
    assert got.tolist() == [99, 0]
    # one distinct point everywhere: the lowest index
    same = np.full((50, 2), 3.25)
    got, want = both(same, (9, 2))
    assert got.tolist() == want.tolist() == [0]
    # one point
    got, want = both(np.array([[1.0, 2.0]]), (1, 2))
    assert got.tolist() == want.tolist() == [0]


def test_degenerate_3d():
    rng = np.random.default_rng(4)
    plane = np.column_stack((rng.integers(0, 5, (400, 2)), np.zeros(400))).astype(float)
    for chunk in (1, 13, 400):
        got, want = both(plane, (chunk, 3))
        np.testing.assert_array_equal(got, want)
    cube = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=float)
    pts = np.vstack([rng.random((200, 3)), cube, cube, rng.random((200, 3))])
    got, want = both(pts, (37, 3))
    np.testing.assert_array_equal(got, want)
    assert got.tolist() == list(range(200, 208))


@pytest.mark.parametrize("d", [2, 3])
def test_huge_offset_and_rescaled_blocks(d):
    rng = np.random.default_rng(5)
    pts = rng.random((5000, d)) + 1e8
    got, want = both(pts, (600, d))
    np.testing.assert_array_equal(got, want)
    pts = rng.random((5000, d)) * 1e200
    np.testing.assert_array_equal(*both(pts, (600, d)))
    pts = rng.random((5000, d)) * 1e-300
    np.testing.assert_array_equal(*both(pts, (600, d)))


@settings(deadline=None, max_examples=40)
@given(
    st.integers(1, 120),
    st.integers(1, 40),
    st.integers(0, 2**32 - 1),
    st.sampled_from([2, 3]),
)
def test_hypothesis_small_integer_sets(n, chunk, seed, d):
    pts = np.random.default_rng(seed).integers(-3, 4, (n, d)).astype(float)
    x = da.from_array(pts, chunks=(chunk, d))
    got = gdask.convex_hull(x, compute=False).compute(scheduler="sync")
    np.testing.assert_array_equal(got, geoent.convex_hull(pts))
    # and against exact brute force, independently of the engine (small sets only)
    if d == 2 and n <= 60:
        assert got.tolist() == naive.convex_hull_2d(pts)
    elif d == 3 and n <= 10:
        assert got.tolist() == naive.hull3d_vertices(pts)


def same_error(pts, chunks):
    """The dask error equals the in-memory error: same type, same message."""
    with pytest.raises(ValueError) as mem:
        geoent.convex_hull(pts)
    with pytest.raises(ValueError) as lazy:
        gdask.convex_hull(da.from_array(pts, chunks=chunks))
    assert type(lazy.value) is type(mem.value)
    assert str(lazy.value) == str(mem.value)
    return lazy.value


def test_bad_input_same_errors():
    rng = np.random.default_rng(6)
    pts = rng.random((1000, 2))
    pts[737, 1] = np.nan
    pts[901, 0] = np.inf
    err = same_error(pts, (100, 2))
    assert "row 737" in str(err) and isinstance(err, InputError)
    pts3 = rng.random((1000, 3))
    pts3[999] = -np.inf
    assert "row 999" in str(same_error(pts3, (64, 3)))
    same_error(rng.random((10, 4)), (5, 4))  # wrong shape
    same_error(rng.random((10, 2, 1)), (5, 2, 1))
    same_error(rng.random(10), 5)
    same_error((rng.random((10, 2)) + 1j), (5, 2))  # complex
    same_error(np.zeros((0, 2)), (1, 2))  # no points
    big = np.array([[0, 0], [1, 2], [2**53 + 1, 0], [3, 3]], dtype=np.int64)
    assert "row 2" in str(same_error(big, (2, 2)))
    # each block alone is in range, the whole array is not
    wide = np.array([[1e-300, 0.0], [0.5, 0.5], [1e200, 1.0], [0.7, 0.1]])
    assert isinstance(same_error(wide, (2, 2)), RangeError)
    with pytest.raises(InputError, match="dask array"):
        gdask.convex_hull(pts)
    with pytest.raises(InputError, match="split_every"):
        gdask.convex_hull(da.from_array(pts), split_every=1)


def test_integer_and_float32_input():
    rng = np.random.default_rng(7)
    pts = rng.integers(-1000, 1000, (3000, 2))
    np.testing.assert_array_equal(*both(pts, (250, 2)))
    pts = rng.random((3000, 3)).astype(np.float32)
    np.testing.assert_array_equal(*both(pts, (250, 3)))


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        host="127.0.0.1",
    )
    c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.mark.slow
def test_local_cluster_arrays(client):
    rng = np.random.default_rng(8)
    for d in (2, 3):
        pts = rng.standard_normal((40_000, d))
        x = da.from_array(pts, chunks=(3000, d))
        np.testing.assert_array_equal(gdask.convex_hull(x), geoent.convex_hull(pts))
    pts = _square_with_duplicates(rng)
    np.testing.assert_array_equal(
        gdask.convex_hull(da.from_array(pts, chunks=(9, 2))), geoent.convex_hull(pts)
    )
    pts[200] = np.nan
    with pytest.raises(InputError, match="row 200 is not finite"):
        gdask.convex_hull(da.from_array(pts, chunks=(9, 2)))


@pytest.mark.slow
def test_local_cluster_dask_geopandas(client):
    gpd = pytest.importorskip("geopandas")
    dgpd = pytest.importorskip("dask_geopandas")
    import shapely

    from geoent.geo import convex_hull as geo_hull

    rng = np.random.default_rng(9)
    geoms = list(shapely.multipoints(rng.random((300, 12, 2)) * 10))
    geoms += [None, shapely.Point(1, 1), shapely.LineString([(0, 0), (1, 1), (2, 2)])]
    geoms += [shapely.Polygon()]
    gs = gpd.GeoSeries(geoms, crs="EPSG:4326", index=np.arange(len(geoms)) + 100)
    dgs = dgpd.from_geopandas(gs, npartitions=4)
    lazy = gdask.convex_hull(dgs, compute=False)
    assert isinstance(lazy, dgpd.GeoSeries)
    got = lazy.compute()
    want = geo_hull(gs)
    assert got.crs == gs.crs and (got.index == gs.index).all()
    same = [
        (a is None and b is None) or (a is not None and b is not None and a.equals_exact(b, 0))
        for a, b in zip(got.values, want.values, strict=True)
    ]
    assert all(same)
    gdf = dgpd.from_geopandas(gpd.GeoDataFrame({"v": np.arange(len(gs))}, geometry=gs), 3)
    got = gdask.convex_hull(gdf)
    assert isinstance(got, gpd.GeoSeries) and got.crs == gs.crs and len(got) == len(gs)
