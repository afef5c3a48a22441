"""Files of many geometries (GeoParquet, GeoPackage) and zarr arrays of points, as
``geoent hull`` reads them."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

import geoent
from geoent.errors import InputError

gpd = pytest.importorskip("geopandas")
zarr = pytest.importorskip("zarr")
pytest.importorskip("dask.array")

from geoent.geofiles import hull_geofile, hull_zarr, is_zarr  # noqa: E402


def _table():
    rng = np.random.default_rng(0)
    geoms = list(shapely.multipoints(rng.random((20, 9, 2))))
    geoms += [
        shapely.Polygon([(0, 0), (4, 0), (4, 4), (2, 1), (0, 4)]),
        shapely.LineString([(0, 0), (1, 1), (3, 3)]),
        shapely.Point(1, 2),
        None,
        shapely.Polygon(),
    ]
    return gpd.GeoDataFrame(
        {"name": [f"g{i}" for i in range(len(geoms))], "v": np.arange(len(geoms)) * 1.5},
        geometry=geoms,
        crs="EPSG:3857",
    )


@pytest.mark.parametrize("src_suffix", [".parquet", ".gpkg"])
@pytest.mark.parametrize("out_suffix", [".parquet", ".gpkg", ".geojson"])
def test_one_hull_per_row(tmp_path, src_suffix, out_suffix):
    table = _table()
    src = tmp_path / f"in{src_suffix}"
    if src_suffix == ".gpkg":
        table.to_file(src, driver="GPKG")
    else:
        table.to_parquet(src)
    out = tmp_path / f"hulls{out_suffix}"
    hull_geofile(src, out)
    back = gpd.read_file(out) if out_suffix != ".parquet" else gpd.read_parquet(out)
    assert len(back) == len(table)
    assert back["name"].tolist() == table["name"].tolist()
    assert back.crs == table.crs
    want = shapely.convex_hull(table.geometry.values)
    for got, ref in zip(back.geometry.values, want, strict=True):
        if ref is None or ref.is_empty:
            # GeoPackage and GeoJSON store an empty collection as missing
            assert got is None or got.is_empty
            continue
        assert got.geom_type == ref.geom_type
        assert {tuple(c) for c in shapely.get_coordinates(got)} == {
            tuple(c) for c in shapely.get_coordinates(ref)
        }


def test_geofile_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        hull_geofile(tmp_path / "missing.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_text("not parquet")
    with pytest.raises(InputError, match="could not read"):
        hull_geofile(bad)
    with pytest.raises(InputError, match="cannot write .txt"):
        hull_geofile(bad, tmp_path / "out.txt")


@pytest.mark.parametrize("d", [2, 3])
def test_zarr_hull_equals_in_memory(tmp_path, d):
    pts = np.random.default_rng(d).standard_normal((50_000, d))
    path = tmp_path / "pts.zarr"
    z = zarr.create_array(str(path), shape=pts.shape, chunks=(7000, d), dtype="f8")
    z[:] = pts
    assert is_zarr(path)
    out = tmp_path / "hull.csv"
    idx, coords, shape = hull_zarr(path, out)
    want = geoent.convex_hull(pts)
    np.testing.assert_array_equal(idx, want)
    np.testing.assert_array_equal(coords, pts[want])
    assert shape == pts.shape
    rows = np.loadtxt(out, delimiter=",", skiprows=1)
    np.testing.assert_array_equal(rows[:, 0].astype(np.int64), want)
    np.testing.assert_array_equal(rows[:, 1:], pts[want])
    hull_zarr(path, tmp_path / "hull.npy")
    np.testing.assert_array_equal(np.load(tmp_path / "hull.npy"), want)
    hull_zarr(path, tmp_path / "hull.geojson")
    feature = json.loads((tmp_path / "hull.geojson").read_text())
    assert feature["properties"]["indices"] == want.tolist()


def test_zarr_errors(tmp_path):
    with pytest.raises(InputError, match="no such zarr"):
        hull_zarr(tmp_path / "missing.zarr")
    path = tmp_path / "bad.zarr"
    z = zarr.create_array(str(path), shape=(10, 2), chunks=(3, 2), dtype="f8")
    z[:] = np.arange(20.0).reshape(10, 2)
    z[7, 0] = np.nan
    with pytest.raises(InputError, match="row 7 is not finite"):
        hull_zarr(path)
    wide = tmp_path / "wide.zarr"
    z = zarr.create_array(str(wide), shape=(10, 4), chunks=(3, 4), dtype="f8")
    with pytest.raises(InputError, match=r"shape \(n, 2\) or \(n, 3\)"):
        hull_zarr(wide)
