"""``geoent hull`` on files of many geometries (GeoParquet, GeoPackage: one hull per
row) and on zarr arrays of points (through dask)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from typer.testing import CliRunner

import geoent
from geoent.cli import app

gpd = pytest.importorskip("geopandas")
zarr = pytest.importorskip("zarr")
pytest.importorskip("dask.array")

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _table(n=50):
    rng = np.random.default_rng(3)
    geoms = list(shapely.multipoints(rng.random((n, 10, 2)) * 100))
    geoms += [shapely.LineString([(0, 0), (1, 1), (2, 2)]), shapely.Point(4, 5), None]
    return gpd.GeoDataFrame({"id": np.arange(len(geoms))}, geometry=geoms, crs="EPSG:4326")


@pytest.mark.parametrize("src_suffix", [".parquet", ".gpkg"])
def test_hull_of_every_row(tmp_path, src_suffix):
    table = _table()
    src = tmp_path / f"in{src_suffix}"
    if src_suffix == ".gpkg":
        table.to_file(src, driver="GPKG")
    else:
        table.to_parquet(src)
    out = tmp_path / "hulls.parquet"
    res = _invoke("hull", src, "-o", out)
    assert res.exit_code == 0, res.output
    assert f"{len(table)} geometries" in res.output
    assert "50 Polygon" in res.output and "1 LineString" in res.output
    back = gpd.read_parquet(out)
    assert back["id"].tolist() == table["id"].tolist() and back.crs == table.crs
    want = shapely.convex_hull(table.geometry.values)
    for got, ref in zip(back.geometry.values, want, strict=True):
        if ref is None:
            assert got is None
        else:
            assert {tuple(c) for c in shapely.get_coordinates(got)} == {
                tuple(c) for c in shapely.get_coordinates(ref)
            }
    # without --output: a summary, nothing written
    res = _invoke("hull", src)
    assert res.exit_code == 0, res.output
    assert "hulls not written" in res.output


def test_geofile_bad_output_and_missing_file(tmp_path):
    src = tmp_path / "in.parquet"
    _table(3).to_parquet(src)
    res = _invoke("hull", src, "-o", tmp_path / "out.npy")
    assert res.exit_code == 2 and "cannot write .npy" in res.output
    res = _invoke("hull", tmp_path / "missing.gpkg")
    assert res.exit_code == 2 and "no such file" in res.output


def test_zarr_points(tmp_path):
    pts = np.random.default_rng(4).standard_normal((30_000, 2))
    path = tmp_path / "pts.zarr"
    z = zarr.create_array(str(path), shape=pts.shape, chunks=(4000, 2), dtype="f8")
    z[:] = pts
    want = geoent.convex_hull(pts)
    res = _invoke("hull", path, "-o", tmp_path / "hull.npy", "--progress")
    assert res.exit_code == 0, res.output
    assert f"{len(want)} hull vertices" in res.output and "30,000 points" in res.output
    np.testing.assert_array_equal(np.load(tmp_path / "hull.npy"), want)
    res = _invoke("hull", path)
    assert res.exit_code == 0, res.output
    assert "vertices: " + " ".join(map(str, want[:5].tolist())) in res.output
    z[123, 1] = np.nan
    res = _invoke("hull", path)
    assert res.exit_code == 2 and "row 123 is not finite" in res.output
