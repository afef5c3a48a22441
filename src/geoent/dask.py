"""Hulls of data larger than memory: dask arrays (and zarr stores read through them)
and dask-geopandas GeoSeries, on dask's local schedulers or ``distributed``.

Install with ``pip install "geoent[dask]"``. This module is named ``geoent.dask``;
``import dask`` inside it still means the top-level dask package (Python 3 imports
are absolute), and nothing here is imported by ``import geoent``.

How a hull of a dask array is computed
--------------------------------------
1. Each block of rows (a task per chunk, memory one chunk at a time) computes its
   exact hull with :func:`geoent.convex_hull` and keeps the vertices as candidates:
   their indices (local to the block) and coordinates, plus what the validation of
   the whole array needs (the first row that is not finite, the coordinate range).
2. Candidates are merged in a tree (``split_every`` blocks at a time, in row order):
   the merged candidates are the exact hull vertices of the union.
3. The root takes the exact hull of the last candidates, in the order
   :func:`geoent.convex_hull` gives, and maps it to global int64 row indices.

Why the candidates are enough, with the same tie rules (2D and 3D). A hull vertex
(2D: a strictly convex vertex; collinear boundary points are not vertices; 3D: a
corner) is an *extreme point* of the point set S: a point of S not in the convex
hull of the other points of S at other locations. If p is extreme in S and p lies in
a subset B of S, then p is extreme in B (the hull of B's other locations is inside
the hull of S's). So every vertex of S is a vertex of the hull of the block that
holds it, and, since each block reports the lowest row among exact duplicates, the
globally lowest row at that location is reported by its block. The candidates C
satisfy ext(S) within C within S, so hull(C) = hull(S), the vertices of C are those
of S, and the lowest row at each vertex location is in C. Candidates are kept
sorted by global row, so "lowest local index among duplicates" on C is "lowest
global row" on S; the order of the output (2D counter-clockwise from the
lexicographically smallest vertex, collinear input as its two extremes, 3D
ascending) depends only on the vertex locations. Merging in a tree applies the same
argument to each union of blocks. Every decision is an exact predicate inside
:func:`geoent.convex_hull`; nothing here compares coordinates but for equality.

Bad input gets the errors of the in-memory API, with the same messages: the shape
and dtype are checked on the dask array's metadata before anything runs; the first
non-finite (or, for 64-bit integers, inexactly convertible) row is found by the
blocks and reported with its global row number (a block is examined row by row
only when its hull raises, so valid input costs no validation pass); and the
coordinate range of the candidates (the largest magnitude is always a hull
vertex's) is reduced in the tree, so that input whose hull vertices span more
binary orders of magnitude than exact arithmetic supports raises the same
``RangeError`` even when each block alone would be fine.
"""

from __future__ import annotations

import numpy as np

from ._validation import _rounded_on_conversion, as_points, check_exponent_range
from .errors import InputError
from .hull import convex_hull as _convex_hull

__all__ = ["convex_hull"]

_LOSSY_KINDS = "iuf"


# ---------------------------------------------------------------------------
# block and merge steps (plain numpy in, plain tuples out: cheap to send between
# workers)
# ---------------------------------------------------------------------------


def _range_stats(q):
    """(max |v|, min nonzero |v| or inf, count of non-finite values) of a flat array."""
    from ._kernels.floats import range_stats

    amax, amin, bad = range_stats(q)
    return float(amax), float(amin), int(bad)


def _first_bad_rows(block):
    """(first row float64 cannot hold exactly, first non-finite row), -1 for none,
    in the order ``as_points`` checks them."""
    arr = np.asarray(block)
    out = np.asarray(arr, dtype=np.float64)
    lossy = -1
    if arr.size and arr.dtype.kind in _LOSSY_KINDS:
        if arr.dtype.itemsize > (8 if arr.dtype.kind == "f" else 7):
            rows = _rounded_on_conversion(arr, out).any(axis=1)
            if rows.any():
                lossy = int(np.argmax(rows))
    rows = ~np.isfinite(out).all(axis=1)
    bad = int(np.argmax(rows)) if rows.any() else -1
    return lossy, bad


def _block_hull(block):
    """Candidates of one block of rows: a dict of plain arrays and numbers."""
    block = np.asarray(block)
    n = block.shape[0]
    res = {
        "n": n,
        "idx": np.empty(0, dtype=np.int64),
        "pts": np.empty((0, block.shape[1]), dtype=np.float64),
        "amax": 0.0,
        "amin": np.inf,
        "lossy": None,
        "bad": None,
    }
    if n == 0:
        return res
    lossy_dtype = block.dtype.kind in _LOSSY_KINDS and block.dtype.itemsize > (
        8 if block.dtype.kind == "f" else 7
    )
    pts = np.ascontiguousarray(block, dtype=np.float64)
    if lossy_dtype and _flag_bad_rows(block, res):
        return res
    try:
        # no pass of its own for validation: the hull's first pass counts
        # non-finite values, and only a block that fails is examined again
        h = _convex_hull(pts)
    except InputError:
        if _flag_bad_rows(block, res):
            return res
        # the block's own coordinates span too many binary orders of magnitude: so
        # does the whole array, and the root raises (with this block's range)
        res["amax"], res["amin"], _ = _range_stats(pts.reshape(-1))
        return res
    idx = np.sort(h)
    res["idx"] = idx
    res["pts"] = pts[idx]
    # the range the root checks: that of the candidates (max |v| is attained at a
    # hull vertex; a tiny coordinate strictly inside a block's hull does not enter
    # the exact predicates, in a block or in memory)
    res["amax"], res["amin"], _ = _range_stats(res["pts"].reshape(-1))
    return res


def _flag_bad_rows(block, res):
    """Record the block's first inexact or non-finite row in ``res``; whether any."""
    lossy, bad = _first_bad_rows(block)
    if lossy >= 0:
        res["lossy"] = (lossy, block[lossy].copy())
        return True
    if bad >= 0:
        res["bad"] = (bad, block[bad].copy())
        return True
    return False


def _merge(parts):
    """Candidates of consecutive blocks (in row order): the exact hull vertices of
    their union, indices relative to the first block's first row."""
    n = 0
    idx, pts = [], []
    out = {"amax": 0.0, "amin": np.inf, "lossy": None, "bad": None}
    for p in parts:
        for key in ("lossy", "bad"):
            if p[key] is not None and out[key] is None:
                row, values = p[key]
                out[key] = (row + n, values)
        out["amax"] = max(out["amax"], p["amax"])
        out["amin"] = min(out["amin"], p["amin"])
        idx.append(p["idx"] + n)
        pts.append(p["pts"])
        n += p["n"]
    out["n"] = n
    idx = np.concatenate(idx)
    pts = np.concatenate(pts)
    if out["lossy"] is None and out["bad"] is None and idx.shape[0] > 3:
        try:
            keep = np.sort(_convex_hull(pts))
        except InputError:
            keep = None  # the range check at the root raises
        if keep is not None:
            idx, pts = idx[keep], pts[keep]
    out["idx"], out["pts"] = idx, np.ascontiguousarray(pts)
    return out


def _row_error(row, values):
    """The error ``as_points`` raises for ``values`` at global row ``row``."""
    try:
        as_points(np.asarray(values)[None, :])
    except InputError as exc:
        msg = str(exc).replace("points: row 0 ", f"points: row {row} ", 1)
        raise type(exc)(msg) from None
    raise AssertionError("as_points accepted a row the blocks rejected")


def _finish(parts, ndim, with_coords=False):
    """Root: errors as the in-memory API raises them, else the ordered hull (and,
    with ``with_coords``, the vertices' coordinates, which the root holds anyway)."""
    res = _merge(parts)
    for key in ("lossy", "bad"):
        if res[key] is not None:
            _row_error(*res[key])
    if res["n"] == 0:
        as_points(np.empty((0, ndim)))  # raises: at least one point expected
    if res["amax"] > 0.0:
        # the whole array's range, as the in-memory API checks it: the degree of
        # the predicate (orient2d or orient3d) is the dimension
        check_exponent_range(np.array([[res["amin"], res["amax"]]]), ndim)
    h = _convex_hull(res["pts"])
    idx = res["idx"][h].astype(np.int64)
    return (idx, res["pts"][h]) if with_coords else idx


# ---------------------------------------------------------------------------
# the public function
# ---------------------------------------------------------------------------


def _check_meta(x):
    """The in-memory API's shape and dtype errors, decided on metadata alone."""
    meta = getattr(x, "_meta", None)
    if isinstance(meta, np.ma.MaskedArray):
        as_points(np.ma.masked_array(np.zeros((1, 2))))  # raises
    dtype = np.dtype(x.dtype)
    shape = tuple(x.shape)
    ok_dtype = dtype.kind in "fiub"  # as_points: float, integer or bool
    ok_shape = len(shape) == 2 and shape[1] in (2, 3)
    if not (ok_dtype and ok_shape):
        # a zero-strided stand-in of the same shape and dtype (no memory): as_points
        # raises on it before it converts anything
        known = tuple(0 if np.isnan(s) else int(s) for s in shape)
        stand_in = np.lib.stride_tricks.as_strided(
            np.zeros(1, dtype=dtype), shape=known, strides=(0,) * len(known)
        )
        as_points(stand_in)
        raise AssertionError("as_points accepted a shape or dtype it should reject")
    if not np.isnan(shape[0]) and shape[0] < 1:
        as_points(np.empty((0, shape[1]), dtype=dtype))  # raises


def _hull_graph(x, split_every, with_coords=False):
    import dask
    import dask.array as da

    if x.numblocks[1] != 1:
        x = x.rechunk({1: -1})
    blocks = x.to_delayed().ravel()
    ndim = int(x.shape[1])
    block_hull = dask.delayed(_block_hull, pure=True)
    merge = dask.delayed(_merge, pure=True)
    level = [block_hull(b) for b in blocks]
    while len(level) > split_every:
        level = [merge(level[i : i + split_every]) for i in range(0, len(level), split_every)]
    result = dask.delayed(_finish, pure=True)(level, ndim, with_coords)
    if with_coords:
        return result
    return da.from_delayed(result, shape=(np.nan,), dtype=np.int64)


def hull_with_coords(x, *, split_every=16):
    """``(indices, coordinates)`` of the hull of a dask array, computed now: the
    coordinates come from the merge tree, so no chunk is read twice (for
    ``geoent hull`` on a zarr array)."""
    import dask.array as da

    if not isinstance(x, da.Array):
        raise InputError(f"x: expected a dask array, got {type(x).__name__}")
    _check_meta(x)
    idx, pts = _hull_graph(x, int(split_every), with_coords=True).compute()
    return idx, pts


def convex_hull(x, *, compute=True, split_every=16):
    """Exact convex hull of a dask array of points, or of every geometry of a
    dask-geopandas GeoSeries.

    Parameters
    ----------
    x : dask.array.Array of shape (n, 2) or (n, 3), or dask_geopandas.GeoSeries
        Points in blocks of rows (any row chunking; column chunks are joined; a
        zarr store is read with ``dask.array.from_zarr``), or geometries in
        partitions.
    compute : bool
        True (default): compute now, on the current scheduler (a
        ``distributed.Client`` when one is active, else dask's default) and return
        the result in memory. False: return the lazy result (a dask array of
        unknown length, or a dask-geopandas GeoSeries) to compute or persist
        yourself.
    split_every : int
        Blocks whose candidates one merge task combines (the tree's fan-in).

    Returns
    -------
    numpy.ndarray of int64 (or a lazy dask array)
        For an array: exactly ``geoent.convex_hull(x.compute())``: global row
        indices, with the same order and tie rules.
    geopandas.GeoSeries (or a lazy dask_geopandas.GeoSeries)
        For a GeoSeries: ``geoent.geo.convex_hull`` of each partition, CRS kept.

    Raises
    ------
    InputError
        (a ``ValueError``) with the in-memory API's messages: wrong shape or
        dtype (at once), NaN or inf (naming the first global row), no rows;
        ``RangeError`` when the coordinates span too many binary orders of
        magnitude for exact arithmetic.

    Notes
    -----
    Memory: each task holds one block and its hull; the merges hold candidates
    only (the hull vertices of their blocks, small unless most points are on the
    hull, as for points on a circle, where the candidates are all points).

    Examples
    --------
    >>> import numpy as np, dask.array as da, geoent, geoent.dask
    >>> pts = np.random.default_rng(0).random((10_000, 2))
    >>> x = da.from_array(pts, chunks=(1_000, 2))
    >>> h = geoent.dask.convex_hull(x, compute=False)  # lazy
    >>> np.array_equal(h.compute(scheduler="sync"), geoent.convex_hull(pts))
    True
    """
    import dask.array as da

    if _is_dask_geoseries(x):
        return _geoseries_hull(x, compute)
    if not isinstance(x, da.Array):
        raise InputError(
            "x: expected a dask array of shape (n, 2) or (n, 3) or a dask-geopandas "
            f"GeoSeries, got {type(x).__name__}; for in-memory data use "
            "geoent.convex_hull or geoent.geo.convex_hull"
        )
    if int(split_every) < 2:
        raise InputError(f"split_every: expected an integer >= 2, got {split_every!r}")
    _check_meta(x)
    lazy = _hull_graph(x, int(split_every))
    return lazy.compute() if compute else lazy


def _is_dask_geoseries(x):
    import sys

    dgpd = sys.modules.get("dask_geopandas")
    return dgpd is not None and isinstance(x, (dgpd.GeoSeries, dgpd.GeoDataFrame))


def _geoseries_hull(x, compute):
    from .geo import convex_hull as geo_hull

    dgpd = __import__("dask_geopandas")
    if isinstance(x, dgpd.GeoDataFrame):
        x = x.geometry
    lazy = x.map_partitions(geo_hull, meta=x._meta)
    return lazy.compute() if compute else lazy
