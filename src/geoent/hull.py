"""Convex hulls: ``convex_hull`` (indices), ``convex_hulls`` (many at once) and the
scipy-compatible ``ConvexHull``.

This module validates and dispatches; the 2D engine (filters, hints, the
Kirkpatrick-Seidel glue, rescaling) is ``geoent._hull2d``, the 3D one
``geoent._hull3d``. ``ConvexHull`` (a subclass of scipy's) lives in
``geoent._convex_hull_class`` and is loaded on first use: ``convex_hull`` and
``convex_hulls`` import no scipy (issue 13: ``scipy.spatial`` is ~0.2-0.3 s of a
first call).
"""

from __future__ import annotations

import numpy as np

from ._hull2d import fast_points, hull2d, hulls_batched
from ._hull3d import hull3d
from ._interrupt import interruptible
from ._validation import as_points, is_plain_float64, readonly_view
from .errors import InputError

__all__ = ["ConvexHull", "convex_hull", "convex_hulls", "instance_optimal_stats"]  # noqa: F822 (lazy)

_METHODS = ("auto", "monotone", "instance_optimal")


def _check_method(method):
    if method not in _METHODS:
        raise InputError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {method!r}")


def convex_hull(points, *, method="auto", hint=None):
    """Vertices of the convex hull, exactly.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Coordinates; lists, integer and float32 arrays and views are accepted.
    method : {"auto", "monotone", "instance_optimal"}
        2D algorithm. Both first drop points proven strictly inside the hull
        (filters that follow the input's shape: a polygon with the sample hull's own
        edge normals, or a fixed octagon, then fans of triangles; certified
        floating-point margins), then ``"monotone"`` runs Andrew's monotone chain on
        the survivors and ``"instance_optimal"`` the pruned Kirkpatrick-Seidel
        algorithm, O(n (H + 1)) for structural entropy H, whose subproblems of at
        most 1,024 points, or where most points are candidates for the bridge, are
        left to one sort and chain. ``"auto"`` is ``"monotone"``: measured (shared
        2-core machine, CPU time, min of 3-7; ``benchmarks/ks_vs_default.py``),
        Kirkpatrick-Seidel took 0.90-1.32x the chain's time at 1e5 points (points
        on a circle 1.32x) and 0.94-1.21x at 1e6, less only on grids (0.90-0.94x),
        so no input seen pays for a test that would pick it.
    hint : None, int array (k,), float array (k, 2) or object with ``hull_hint``
        Filter hint (2D only): indices of input points (their hull, which lies inside
        the hull, joins the sample polygon the filters start from, or replaces it
        when a probe of the input finds no point outside it: the exact hull's
        vertices as hint skip the sample), directions (validated, then not used:
        the extreme points along a direction cost a pass over the input, more than
        they save; measured in ``geoent._hull2d_shape``), or an object whose
        ``hull_hint(points)`` returns one of these; an object declaring
        ``hull_hint_kind = "directions"`` (``geoent.torch.EntropyNet``) is not
        called, its directions being unused: such a hint costs nothing and gains
        nothing. The hint is decoded once; the result is identical with and without it, only
        the time changes.

    Returns
    -------
    numpy.ndarray of int64
        2D: the strictly convex vertices, counter-clockwise, starting at the
        lexicographically smallest (x, then y); among exact duplicates the lowest
        index. Collinear input gives its two extremes, a single distinct point one
        index. 3D: the vertex indices, ascending (lower-dimensional input gives the
        lower-dimensional hull's vertices).

    Raises
    ------
    ValueError
        (``InputError``) for bad input (NaN, wrong shape, no points, bad hint);
        ``RangeError`` when the coordinates span too many binary orders of
        magnitude for exact arithmetic.

    Examples
    --------
    >>> import geoent
    >>> geoent.convex_hull([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [0.5, 0]]).tolist()
    [0, 1, 2, 3]
    >>> geoent.convex_hull([[2, 2], [0, 0], [1, 1]]).tolist()  # collinear: the extremes
    [1, 0]
    """
    _check_method(method)
    pts = fast_points(points)
    if pts.shape[1] == 3:
        if hint is not None:
            raise InputError("hint: only 2D hulls take a hint")
        return interruptible(pts.shape[0], lambda: hull3d(pts, facets=False)).vertices
    return interruptible(
        pts.shape[0], hull2d, pts, "monotone" if method == "auto" else method, hint
    )[0]


def instance_optimal_stats(points):
    """Per-level work of the instance-optimal (pruned Kirkpatrick-Seidel) 2D hull.

    Parameters
    ----------
    points : array_like, shape (n, 2)

    Returns
    -------
    dict
        ``examined_per_level`` (list of int): points examined at each recursion
        level, level 0 being the pass that finds the extremes and splits the input
        into the upper and lower problems (n), level j >= 1 the points in all
        subproblems at depth j of both halves; ``examined_total`` (their sum, the
        algorithm's work up to a constant, O(n (H + 1))); ``levels``; ``n``; ``h``
        (hull vertices).

    Examples
    --------
    >>> from geoent.hull import instance_optimal_stats
    >>> s = instance_optimal_stats([[0, 0], [4, 0], [4, 4], [0, 4], [1, 2], [2, 1]])
    >>> s["examined_per_level"][0], s["examined_total"] >= 6, s["h"]
    (6, True, 4)
    """
    pts = as_points(points, ndim=2)
    return interruptible(pts.shape[0], lambda: hull2d(pts, "instance_optimal", filters=False))[1]


# ---------------------------------------------------------------------------
# many hulls
# ---------------------------------------------------------------------------


def convex_hulls(points, offsets=None):
    """Many 2D hulls in one call, in parallel over the sets.

    Parameters
    ----------
    points : array_like, shape (N, 2) or (m, k, 2)
        Every set back to back, or a dense batch of m sets of k points.
    offsets : array_like of int, shape (m + 1,), optional
        Set i is ``points[offsets[i]:offsets[i + 1]]``; ``offsets[0] == 0``,
        non-decreasing, ``offsets[-1] == N``. Not given for a dense batch.

    Returns
    -------
    indices : numpy.ndarray of int64
        The hulls back to back; each exactly as :func:`convex_hull` gives it for its
        set, with indices local to the set (an empty set has an empty hull).
    index_offsets : numpy.ndarray of int64, shape (m + 1,)
        Hull i is ``indices[index_offsets[i]:index_offsets[i + 1]]``.

    Notes
    -----
    Each set is first solved on the signs of orient2d's floating-point filter alone;
    a set where one of those signs is uncertain (degenerate or nearly so) is solved
    again with the exact predicates, so every hull is exact. Sets of 65 to 65,536
    points are solved in the same parallel tasks by an octagon filter, a sort and
    the exact monotone chain; larger sets go to the engine of :func:`convex_hull`.

    Coordinates that need rescaling for exact arithmetic (huge or tiny) are scaled by
    one power of two for the whole batch, or set by set when no single scale fits
    them all (slower, in Python).

    Examples
    --------
    >>> import numpy as np, geoent
    >>> pts = np.array([[0, 0], [1, 0], [0, 1], [0.2, 0.2], [5, 5], [6, 6]])
    >>> idx, off = geoent.convex_hulls(pts, [0, 4, 6])
    >>> [idx[off[i]:off[i + 1]].tolist() for i in range(2)]
    [[0, 1, 2], [0, 1]]
    """
    if offsets is None:
        arr = np.asarray(points)
        if arr.ndim != 3 or arr.shape[2] != 2:
            raise InputError(
                "points: expected (N, 2) with offsets, or a dense batch (m, k, 2); "
                f"got shape {arr.shape}"
            )
        m, kk = arr.shape[0], arr.shape[1]
        pts = as_points(arr.reshape(m * kk, 2), ndim=2, min_points=0)
        offs = np.arange(m + 1, dtype=np.int64) * kk
    else:
        # a plain float64 (n, 2) array skips as_points' isfinite pass: the engine's
        # range pass counts non-finite values anyway
        pts = (
            readonly_view(points)
            if is_plain_float64(points, 2)
            else as_points(points, ndim=2, min_points=0)
        )
        offs = np.asarray(offsets)
        # dtype kinds "i" and "u" are exactly numpy's integer dtypes (np.issubdtype
        # costs a microsecond or two, much of a small call)
        if offs.ndim != 1 or offs.shape[0] < 1 or offs.dtype.kind not in "iu":
            raise InputError(f"offsets: expected a 1-D integer array (m + 1,), got {offs!r}")
        offs = offs.astype(np.int64)  # a copy: the kernels never see the caller's array
        if offs[0] != 0 or offs[-1] != pts.shape[0] or (offs[1:] < offs[:-1]).any():
            raise InputError(
                "offsets: must start at 0, never decrease, and end at the number of "
                f"points ({pts.shape[0]})"
            )
    return interruptible(pts.shape[0], hulls_batched, pts, offs)


def __getattr__(name):
    # ConvexHull subclasses scipy's: scipy.spatial is imported when it is asked for
    if name == "ConvexHull":
        from ._convex_hull_class import ConvexHull

        globals()["ConvexHull"] = ConvexHull
        return ConvexHull
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
