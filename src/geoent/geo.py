"""Geometry arrays in and out: the convex hull of every geometry of a shapely array or
a GeoSeries, on geoent's batched engine (:func:`geoent.convex_hulls`).

The coordinates of all geometries are read in one call
(``shapely.get_coordinates``), their hulls computed in one batched call, and the
output geometries built in one pass per kind (``shapely.from_ragged_array``), so no
Python code runs per geometry. GeoPandas is not imported here unless the input is a
GeoSeries (``pip install "geoent[geo]"``).
"""

from __future__ import annotations

import sys

import numpy as np

from .errors import InputError
from .hull import convex_hulls

__all__ = ["convex_hull"]


def _geopandas_kind(obj):
    """'series', 'array' or None, without importing geopandas if it is not loaded."""
    gpd = sys.modules.get("geopandas")
    if gpd is None:
        return None
    if isinstance(obj, gpd.GeoSeries):
        return "series"
    if isinstance(obj, gpd.array.GeometryArray):
        return "array"
    return None


def _as_geometry_array(geometries):
    import shapely

    arr = np.asarray(geometries, dtype=object)
    if arr.ndim != 1:
        raise InputError(
            f"geometries: expected a 1-D array of shapely geometries, got shape {arr.shape}"
        )
    bad = ~(shapely.is_geometry(arr) | shapely.is_missing(arr))
    if bad.any():
        i = int(np.argmax(bad))
        raise InputError(
            f"geometries: element {i} is {type(arr[i]).__name__} ({arr[i]!r:.60}), "
            "not a shapely geometry or None"
        )
    return arr


def convex_hull(geometries):
    """Convex hull of every geometry, exactly, as ``shapely.convex_hull`` gives it.

    Parameters
    ----------
    geometries : array_like of shapely geometries, GeoSeries or GeometryArray
        Any geometry types, mixed; None (missing) and empty geometries allowed.

    Returns
    -------
    numpy.ndarray of object, GeoSeries or GeometryArray
        The same kind as the input (a list gives an array), one hull per
        geometry in the same order (a GeoSeries keeps its index, name and CRS):
        a Polygon when the coordinates have 2D extent, a LineString (the two
        extremes) when they are collinear, a Point when they are one distinct
        point, ``GEOMETRYCOLLECTION EMPTY`` for an empty geometry (as shapely),
        None for None.

    Raises
    ------
    InputError
        (a ``ValueError``) for elements that are not geometries, an array that is
        not 1-D, or a non-finite coordinate (the message names the geometry).

    Notes
    -----
    Every hull vertex is decided with exact predicates (``convex_hulls``), so the
    vertices are the extreme points of the geometry's coordinates exactly. Shapely
    (GEOS) computes the same hull with its own robust orientation test; the two
    agree as sets of coordinates. The rings are written as GEOS writes a hull
    (clockwise, starting at the vertex of lowest y, then lowest x), so on such
    input the geometries are usually identical too; a collinear hull starts at
    its lower (y, then x) end, where GEOS keeps the input order of a geometry with
    exactly two distinct points. Only x and y decide the hull: z (when present)
    rides along with each vertex, taken from the lowest-index coordinate among
    those with the same x and y.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> from geoent.geo import convex_hull
    >>> geoms = np.array([shapely.MultiPoint([(0, 0), (2, 0), (1, 1), (1, 3)]),
    ...                   shapely.LineString([(0, 0), (1, 1), (2, 2)]), None,
    ...                   shapely.Point(1, 2), shapely.Polygon()])
    >>> [g.wkt if g is not None else None for g in convex_hull(geoms)]
    ['POLYGON ((0 0, 1 3, 2 0, 0 0))', 'LINESTRING (0 0, 2 2)', None, 'POINT (1 2)', \
'GEOMETRYCOLLECTION EMPTY']
    """
    import shapely
    from shapely import GeometryType

    from ._kernels.ragged import hull_pieces, split_closures

    kind = _geopandas_kind(geometries)
    arr = _as_geometry_array(geometries)
    m = arr.shape[0]
    counts = shapely.get_num_coordinates(arr).astype(np.int64)
    has_z = shapely.has_z(arr)
    any_z = bool(has_z.any())
    coords = shapely.get_coordinates(arr, include_z=any_z)
    # Each geometry's last coordinate, when it repeats its first (a ring's closure),
    # goes into a one-point set of its own: a repeat has a higher index than the point
    # it repeats, so it is never a hull vertex (the lowest index stands for
    # duplicates) and no hull changes; but a polygon of 64 vertices then stays within
    # the batched kernel's sets of at most 64 points instead of going to the general
    # engine one by one.
    offs, real = split_closures(coords, counts)
    xy = np.ascontiguousarray(coords[:, :2]) if any_z else coords
    if any_z and not has_z.all():
        # 2D geometries read with include_z carry z = NaN; shapely would take a ring
        # ending in NaN for an open one and close it again, so give them z = 0 (and
        # drop z from their hulls below)
        coords[np.repeat(~has_z, counts), 2] = 0.0
    try:
        hidx, hoff = convex_hulls(xy, offs)
    except InputError as exc:
        bad = ~np.isfinite(xy).all(axis=1)
        if not bad.any():
            raise
        row = int(np.argmax(bad))
        g = int(np.searchsorted(np.cumsum(counts), row, side="right"))
        raise InputError(
            f"geometries: geometry {g} has a coordinate that is not finite "
            f"({xy[row].tolist()}); NaN and inf are not accepted"
        ) from exc
    poly_ids, ring_off, ring, line_ids, line, pt_ids, pt = hull_pieces(
        coords, offs, hidx, hoff, real
    )
    out = np.empty(m, dtype=object)
    empty = (counts == 0) & ~shapely.is_missing(arr)
    if empty.any():
        out[empty] = shapely.from_wkt("GEOMETRYCOLLECTION EMPTY")
    if m and poly_ids.shape[0] == m:  # all polygons: no scatter
        out = shapely.from_ragged_array(
            GeometryType.POLYGON,
            ring,
            (ring_off, np.arange(m + 1, dtype=np.int64)),
        )
    elif poly_ids.shape[0]:
        out[poly_ids] = shapely.from_ragged_array(
            GeometryType.POLYGON,
            ring,
            (ring_off, np.arange(poly_ids.shape[0] + 1, dtype=np.int64)),
        )
    if line_ids.shape[0]:
        out[line_ids] = shapely.from_ragged_array(
            GeometryType.LINESTRING,
            line,
            (np.arange(0, 2 * line_ids.shape[0] + 1, 2, dtype=np.int64),),
        )
    if pt_ids.shape[0]:
        out[pt_ids] = shapely.points(pt)
    if any_z and not has_z.all():
        flat = ~has_z & shapely.is_geometry(out)
        out[flat] = shapely.force_2d(out[flat])
    if kind == "series":
        import geopandas

        return geopandas.GeoSeries(
            out, index=geometries.index, crs=geometries.crs, name=geometries.name
        )
    if kind == "array":
        import geopandas

        return geopandas.array.from_shapely(out, crs=geometries.crs)
    return out
