"""Files that hold many geometries or more points than memory, for ``geoent hull``:
GeoParquet and GeoPackage (one hull per row, through geopandas) and zarr arrays of
points (one hull of all rows, through dask, a few chunks in memory at a time).

Both need the optional extras (``pip install "geoent[geo]"`` for GeoParquet and
GeoPackage, ``"geoent[dask]"`` for zarr); a missing package is reported as an
``InputError`` that says what to install.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from .errors import InputError

__all__ = [
    "GEO_READ_FORMATS",
    "GEO_WRITE_FORMATS",
    "is_geofile",
    "is_zarr",
    "hull_geofile",
    "hull_zarr",
]

GEO_READ_FORMATS = (".parquet", ".geoparquet", ".gpkg")
GEO_WRITE_FORMATS = (".parquet", ".geoparquet", ".gpkg", ".geojson", ".json")
ZARR_WRITE_FORMATS = (".npy", ".csv", ".geojson", ".json")


def is_geofile(path) -> bool:
    """Whether ``path`` names a GeoParquet or GeoPackage file (by suffix)."""
    return Path(path).suffix.lower() in GEO_READ_FORMATS


def is_zarr(path) -> bool:
    """Whether ``path`` is a zarr array: a ``.zarr`` suffix, or a directory holding
    zarr metadata (``zarr.json`` for format 3, ``.zarray`` for format 2)."""
    p = Path(path)
    if p.suffix.lower() == ".zarr":
        return True
    return p.is_dir() and ((p / "zarr.json").exists() or (p / ".zarray").exists())


def _need(module, extra):
    try:
        return __import__(module)
    except ImportError:
        raise InputError(
            f"reading this file needs {module}: pip install 'geoent[{extra}]'"
        ) from None


def _one_line(exc):
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def hull_geofile(path, output=None):
    """Hull of every geometry (row) of a GeoParquet or GeoPackage file.

    Parameters
    ----------
    path : str or os.PathLike
        ``.parquet``/``.geoparquet`` (GeoParquet) or ``.gpkg`` (GeoPackage, its
        first layer).
    output : str or os.PathLike, optional
        ``.parquet``/``.geoparquet``, ``.gpkg`` or ``.geojson``/``.json``: the input
        table with each geometry replaced by its hull (other columns and the CRS
        kept, one row per input row).

    Returns
    -------
    geopandas.GeoDataFrame
        The table written (or that would be written).

    Raises
    ------
    InputError
        Missing file, unreadable table, unknown output suffix, a missing extra,
        bad geometries (see :func:`geoent.geo.convex_hull`).

    Examples
    --------
    >>> import os, tempfile, geopandas, shapely
    >>> from geoent.geofiles import hull_geofile
    >>> d = tempfile.mkdtemp()
    >>> geopandas.GeoDataFrame(
    ...     {"name": ["a", "b"]},
    ...     geometry=[shapely.MultiPoint([(0, 0), (2, 0), (1, 1), (0, 2)]), shapely.Point(5, 5)],
    ...     crs="EPSG:4326",
    ... ).to_parquet(os.path.join(d, "in.parquet"))
    >>> out = hull_geofile(os.path.join(d, "in.parquet"), os.path.join(d, "hulls.gpkg"))
    >>> out.geometry.to_wkt().tolist(), out["name"].tolist(), out.crs.to_epsg()
    (['POLYGON ((0 0, 0 2, 2 0, 0 0))', 'POINT (5 5)'], ['a', 'b'], 4326)
    """
    from .geo import convex_hull

    p = Path(path)
    if output is not None:
        _check_suffix(output, GEO_WRITE_FORMATS)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    gpd = _need("geopandas", "geo")
    try:
        if p.suffix.lower() == ".gpkg":
            table = gpd.read_file(p)
        else:
            table = gpd.read_parquet(p)
    except ImportError as exc:
        raise InputError(f"{p}: {_one_line(exc)} (pip install 'geoent[geo]')") from None
    except Exception as exc:  # pyarrow, pyogrio and fiona raise their own types
        raise InputError(f"{p}: could not read: {_one_line(exc)}") from None
    try:
        hulls = convex_hull(table.geometry)
    except InputError as exc:
        raise InputError(f"{p}: {_one_line(exc)}") from None
    out = table.set_geometry(hulls.rename(table.geometry.name))
    if output is not None:
        _write_table(out, Path(output))
    return out


def _check_suffix(path, allowed):
    suf = Path(path).suffix.lower()
    if suf not in allowed:
        raise InputError(
            f"{path}: cannot write {suf or 'files without a suffix'}; "
            f"expected one of {', '.join(allowed)}"
        )


def _write_table(table, path: Path):
    suf = path.suffix.lower()
    try:
        if suf in (".parquet", ".geoparquet"):
            table.to_parquet(path)
        elif suf == ".gpkg":
            table.to_file(path, driver="GPKG")
        else:
            # 17 significant figures: every double survives the round trip
            table.to_file(path, driver="GeoJSON", SIGNIFICANT_FIGURES=17)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def hull_zarr(path, output=None, *, progress=False):
    """Exact hull of the points of a zarr array (n, 2) or (n, 3), chunk by chunk.

    Parameters
    ----------
    path : str or os.PathLike
        A zarr array (format 2 or 3) read with ``dask.array.from_zarr``; the hull
        is computed by :func:`geoent.dask.convex_hull` on dask's default scheduler
        (or a running ``distributed`` client), so memory holds a few chunks.
    output : str or os.PathLike, optional
        ``.npy`` (the int64 row indices), ``.csv`` (rows ``index,x,y[,z]``) or
        ``.geojson``/``.json`` (a Feature, as :func:`geoent.io.write_hull` writes).
    progress : bool
        Show dask's progress bar (local schedulers; ``distributed`` has its
        dashboard).

    Returns
    -------
    indices : numpy.ndarray of int64
        Row indices of the hull vertices, as :func:`geoent.convex_hull` gives them.
    coords : numpy.ndarray of float64, shape (h, d)
        Their coordinates.
    shape : tuple
        The array's shape.

    Examples
    --------
    >>> import os, tempfile, numpy as np, zarr
    >>> from geoent.geofiles import hull_zarr
    >>> path = os.path.join(tempfile.mkdtemp(), "pts.zarr")
    >>> z = zarr.create_array(path, shape=(6, 2), chunks=(2, 2), dtype="f8")
    >>> z[:] = [[0, 0], [1, 1], [4, 0], [2, 1], [0, 4], [1, 2]]
    >>> idx, xy, shape = hull_zarr(path)
    >>> idx.tolist(), xy.tolist(), shape
    ([0, 2, 4], [[0.0, 0.0], [4.0, 0.0], [0.0, 4.0]], (6, 2))
    """
    from . import dask as gdask

    p = Path(path)
    if output is not None:
        _check_suffix(output, ZARR_WRITE_FORMATS)
    if not p.exists():
        raise InputError(f"{p}: no such zarr array")
    _need("zarr", "dask")
    da = _need("dask.array", "dask").array
    try:
        x = da.from_zarr(str(p))
    except Exception as exc:  # zarr's own errors: not an array, a group, ...
        raise InputError(f"{p}: could not open as a zarr array: {_one_line(exc)}") from None
    try:
        if progress:
            from dask.diagnostics import ProgressBar

            with ProgressBar():
                idx, coords = gdask.hull_with_coords(x)
        else:
            idx, coords = gdask.hull_with_coords(x)
    except InputError as exc:
        raise InputError(f"{p}: {_one_line(exc)}") from None
    if output is not None:
        _write_zarr_hull(Path(output), idx, coords)
    return idx, coords, tuple(int(s) for s in x.shape)


def _write_zarr_hull(path: Path, idx, coords):
    suf = path.suffix.lower()
    d = coords.shape[1]
    try:
        if suf == ".npy":
            np.save(path, idx)
        elif suf == ".csv":
            with open(path, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["index", *"xyz"[:d]])
                w.writerows(
                    [int(i), *(repr(float(v)) for v in c)] for i, c in zip(idx, coords, strict=True)
                )
        else:
            pts = coords.tolist()
            if d == 2 and len(idx) >= 3:
                geom = {"type": "Polygon", "coordinates": [pts + pts[:1]]}
            else:
                geom = {"type": "MultiPoint", "coordinates": pts}
            feature = {"type": "Feature", "geometry": geom, "properties": {"indices": idx.tolist()}}
            path.write_text(json.dumps(feature, separators=(",", ":")), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
