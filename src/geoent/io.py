"""Reading point sets from files and writing results (used by ``geoent hull``/``delaunay``).

Formats are chosen by the file's suffix:

========================  ====================================================
``.npy``                  a float or integer array of shape (n, 2) or (n, 3)
``.csv``                  comma-separated rows; a non-numeric first line is a
                          header and is skipped
``.txt`` ``.xyz`` ``.dat``  whitespace-separated rows (``#`` starts a comment)
``.geojson`` ``.json``    every coordinate of every geometry (Feature,
                          FeatureCollection or bare geometry), read with shapely
``.wkt``                  one or more WKT geometries (one per line, or a single
                          geometry spanning lines), read with shapely
========================  ====================================================

Every reader checks the result with :func:`geoent._validation.as_points`, so a bad
file raises :class:`geoent.InputError` (a ``ValueError``) with a one-line message
that names the file.

Examples
--------
>>> import numpy as np, tempfile, os
>>> from geoent.io import read_points, write_points
>>> path = os.path.join(tempfile.mkdtemp(), "pts.csv")
>>> write_points(path, np.array([[0.0, 1.0], [2.0, 3.5]]))
>>> read_points(path).tolist()
[[0.0, 1.0], [2.0, 3.5]]
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np

from ._validation import as_points
from .errors import InputError

__all__ = [
    "READ_FORMATS",
    "WRITE_FORMATS",
    "read_points",
    "write_points",
    "write_hull",
    "write_triangles",
]

READ_FORMATS = (".npy", ".csv", ".txt", ".xyz", ".dat", ".geojson", ".json", ".wkt")
WRITE_FORMATS = (".npy", ".csv", ".geojson", ".json")


def _suffix(path: Path, allowed, verb: str) -> str:
    suf = path.suffix.lower()
    if suf not in allowed:
        raise InputError(
            f"{path}: cannot {verb} {suf or 'files without a suffix'}; "
            f"expected one of {', '.join(allowed)}"
        )
    return suf


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _read_delimited(path: Path, delimiter) -> np.ndarray:
    # Every message names the file's own 1-based line (blank and comment lines
    # counted), the number an editor shows.
    with open(path, encoding="utf-8-sig") as f:
        numbered = [
            (no, ln) for no, ln in enumerate(f, 1) if ln.strip() and not ln.lstrip().startswith("#")
        ]
    if not numbered:
        raise InputError(f"{path}: no data rows")

    def split(line):
        parts = line.split(delimiter) if delimiter else line.split()
        return [p.strip() for p in parts]

    first = split(numbered[0][1])
    try:
        [float(x) for x in first]
        start = 0
    except ValueError:
        start = 1  # a header line
    numbered = numbered[start:]
    rows = [split(ln) for _, ln in numbered]
    if not rows:
        raise InputError(f"{path}: only a header, no data rows")
    width = len(rows[0])
    for (no, _), r in zip(numbered, rows, strict=True):
        if len(r) != width:
            raise InputError(f"{path}: line {no} has {len(r)} columns, the first data line {width}")
    try:
        arr = np.array(rows, dtype=np.float64)
    except ValueError:
        for (no, _), r in zip(numbered, rows, strict=True):
            try:
                [float(x) for x in r]
            except ValueError as exc:
                raise InputError(f"{path}: line {no} is not numeric: {_one_line(exc)}") from None
        raise  # not reached: np.array and float() accept the same strings
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        i = int(np.argmin(finite))
        raise InputError(
            f"{path}: line {numbered[i][0]} is not finite ({arr[i].tolist()}); "
            "NaN and inf are not accepted"
        )
    return arr


def _coords_of_geometries(geoms, path: Path) -> np.ndarray:
    import shapely

    geoms = np.atleast_1d(np.asarray(geoms, dtype=object))
    has_z = bool(np.any(shapely.has_z(geoms)))
    coords = shapely.get_coordinates(geoms, include_z=has_z)
    if has_z and np.isnan(coords[:, 2]).any():
        raise InputError(f"{path}: some geometries have a z coordinate and some do not")
    return coords


def _read_geojson(path: Path) -> np.ndarray:
    import shapely

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON: {_one_line(exc)}") from None
    geoms = []

    def walk(obj):
        if not isinstance(obj, dict):
            raise InputError(f"{path}: expected GeoJSON objects, found {type(obj).__name__}")
        kind = obj.get("type")
        if kind == "FeatureCollection":
            for feat in obj.get("features") or []:
                walk(feat)
        elif kind == "Feature":
            if obj.get("geometry") is not None:
                walk(obj["geometry"])
        elif kind in (
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "GeometryCollection",
        ):
            try:
                geoms.append(shapely.from_geojson(json.dumps(obj)))
            except Exception as exc:
                raise InputError(f"{path}: bad {kind} geometry: {_one_line(exc)}") from None
        else:
            raise InputError(f"{path}: not a GeoJSON geometry, Feature or FeatureCollection")

    walk(doc)
    if not geoms:
        raise InputError(f"{path}: no geometries")
    return _coords_of_geometries(geoms, path)


def _read_wkt(path: Path) -> np.ndarray:
    import shapely

    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise InputError(f"{path}: empty file")
    try:
        geoms = [shapely.from_wkt(text)]
    except Exception:
        # one geometry per line
        geoms = []
        for i, line in enumerate(text.splitlines()):
            if not line.strip():
                continue
            try:
                geoms.append(shapely.from_wkt(line.strip()))
            except Exception as exc:
                raise InputError(f"{path}: line {i + 1} is not WKT: {_one_line(exc)}") from None
    return _coords_of_geometries(geoms, path)


def read_points(path, *, ndim=None) -> np.ndarray:
    """Read a point set from ``path`` (format by suffix, see the module docstring).

    Parameters
    ----------
    path : str or os.PathLike
    ndim : int or tuple of int, optional
        Allowed dimensions (columns); default 2 or 3.

    Returns
    -------
    numpy.ndarray, float64, shape (n, d)

    Raises
    ------
    InputError
        Missing or unreadable file, unknown suffix, unparsable content, wrong
        shape, or NaN/inf (the message names the file and, for text files, the
        file's 1-based line, blank and comment lines counted).

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "pts.wkt")
    >>> _ = open(path, "w").write("MULTIPOINT ((0 0), (1 2))")
    >>> read_points(path).tolist()
    [[0.0, 0.0], [1.0, 2.0]]
    """
    p = Path(path)
    suf = _suffix(p, READ_FORMATS, "read")
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if not p.is_file():
        raise InputError(f"{p}: not a file")
    try:
        if suf == ".npy":
            try:
                arr = np.load(p, allow_pickle=False)
            except ValueError as exc:
                raise InputError(f"{p}: not a plain numeric .npy array: {_one_line(exc)}") from None
        elif suf == ".csv":
            arr = _read_delimited(p, ",")
        elif suf in (".txt", ".xyz", ".dat"):
            arr = _read_delimited(p, None)
        elif suf in (".geojson", ".json"):
            arr = _read_geojson(p)
        else:
            arr = _read_wkt(p)
    except InputError:
        raise
    except UnicodeDecodeError:
        raise InputError(f"{p}: not a text file") from None
    except (OSError, ValueError, EOFError) as exc:
        raise InputError(f"{p}: could not read: {_one_line(exc)}") from None
    try:
        return as_points(arr, ndim=ndim, name=str(p))
    except InputError as exc:
        raise InputError(_one_line(exc)) from None


def _geojson_dump(path: Path, obj) -> None:
    path.write_text(json.dumps(obj, separators=(",", ":")), encoding="utf-8")


def write_points(path, points) -> None:
    """Write points: ``.npy`` array, ``.csv`` with an ``x,y[,z]`` header, or GeoJSON MultiPoint.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "pts.geojson")
    >>> write_points(path, np.array([[0.0, 1.0], [2.0, 3.0]]))
    >>> read_points(path).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
    """
    p = Path(path)
    suf = _suffix(p, WRITE_FORMATS, "write")
    pts = np.asarray(points, dtype=np.float64)
    if suf == ".npy":
        np.save(p, pts)
    elif suf == ".csv":
        with open(p, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow("xyz"[: pts.shape[1]])
            w.writerows((repr(float(v)) for v in row) for row in pts)
    else:
        _geojson_dump(p, {"type": "MultiPoint", "coordinates": pts.tolist()})


def write_hull(path, points, vertices) -> None:
    """Write a hull: ``.npy`` int64 vertex indices; ``.csv`` rows ``index,x,y[,z]``;
    GeoJSON a Feature (a Polygon in 2D with three or more vertices, otherwise a
    MultiPoint) whose ``properties.indices`` are the vertex indices.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "hull.npy")
    >>> write_hull(path, np.array([[0.0, 0], [1, 0], [0, 1]]), np.array([0, 1, 2]))
    >>> np.load(path).tolist()
    [0, 1, 2]
    """
    p = Path(path)
    suf = _suffix(p, WRITE_FORMATS, "write")
    pts = np.asarray(points, dtype=np.float64)
    idx = np.asarray(vertices, dtype=np.int64)
    if suf == ".npy":
        np.save(p, idx)
    elif suf == ".csv":
        with open(p, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["index", *"xyz"[: pts.shape[1]]])
            w.writerows([int(i), *(repr(float(v)) for v in pts[i])] for i in idx)
    else:
        coords = pts[idx].tolist()
        if pts.shape[1] == 2 and len(idx) >= 3:
            geom = {"type": "Polygon", "coordinates": [coords + coords[:1]]}
        else:
            geom = {"type": "MultiPoint", "coordinates": coords}
        _geojson_dump(
            p,
            {"type": "Feature", "geometry": geom, "properties": {"indices": idx.tolist()}},
        )


def write_triangles(path, points, simplices) -> None:
    """Write a triangulation: ``.npy`` (m, 3) int64; ``.csv`` rows ``i,j,k``; GeoJSON a
    FeatureCollection of triangles (Polygons) with ``properties.indices``.

    Examples
    --------
    >>> import numpy as np, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "tri.csv")
    >>> write_triangles(path, np.array([[0.0, 0], [1, 0], [0, 1]]), np.array([[0, 1, 2]]))
    >>> open(path).read().splitlines()
    ['i,j,k', '0,1,2']
    """
    p = Path(path)
    suf = _suffix(p, WRITE_FORMATS, "write")
    pts = np.asarray(points, dtype=np.float64)
    tri = np.asarray(simplices, dtype=np.int64).reshape(-1, 3)
    if suf == ".npy":
        np.save(p, tri)
    elif suf == ".csv":
        with open(p, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["i", "j", "k"])
            w.writerows(tri.tolist())
    else:
        feats = []
        for t in tri.tolist():
            ring = pts[t + t[:1]].tolist()
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Polygon", "coordinates": [ring]},
                    "properties": {"indices": t},
                }
            )
        _geojson_dump(p, {"type": "FeatureCollection", "features": feats})
