"""Convex hulls: ``convex_hull`` (indices), ``convex_hulls`` (many at once) and the
scipy-compatible ``ConvexHull``.

How a 2D hull is computed (``method="monotone"``, the default):

1. A *filter polygon* of input points (so inside the hull): the exact hull of a
   strided sample of 4096 points, or the polygon a ``hint`` gives.
2. Round 1, one pass over all points: a fixed-normal octagon (tests on x, y, x + y,
   x - y only: branch-free, eight lanes at a time) certified to lie inside that
   polygon; a point certainly strictly inside it is dropped. The same pass
   collects the coordinate range for the exponent-window check, so that check
   costs no extra pass.
3. Later rounds on the survivors while they are many: a fan of triangles inside
   the hull of a sample of the survivors, one bucket lookup and three linear tests
   per point. By Efron's identity the expected fraction of points outside the hull
   of a random sample of m points is h/m (h the sample hull's size), so a round runs
   only when the sample says it will pay (h/m < 1/4; round 1 is skipped, all but
   its range check, when h/m > 1/2, as for points on a circle).
4. Andrew's monotone chain with the exact orient2d on what is left, after a sort by
   (x, y, index).

Every filter only drops points that are strictly inside the hull, decided with a
proven floating-point error margin, so the result is exact and identical with or
without a hint. ``method="instance_optimal"`` is the pruned Kirkpatrick-Seidel
algorithm (``geoent._kernels.hull2d_ks``), whose per-level work is reported.
"""

from __future__ import annotations

import math

import numpy as np
from numba import get_num_threads
from scipy.spatial import ConvexHull as _ScipyConvexHull

from . import _scipy_compat as _compat
from ._hull_measures import measures2d as _measures2d
from ._hull_measures import measures3d as _measures3d
from ._kernels import hull2d as _k
from ._kernels import hull2d_filter as _f
from ._kernels import hull2d_ks as _ks
from ._validation import EXPONENT_LIMITS, as_points, check_exponent_range
from .errors import InputError, RangeError

__all__ = ["ConvexHull", "convex_hull", "convex_hulls", "instance_optimal_stats"]

_METHODS = ("auto", "monotone", "instance_optimal")
_SMALL = 4096  # at most this many points: sort them all, no filter
_SAMPLE = 4096  # sample size for the filter polygons
_ROUND_MIN = 16384  # fewer survivors than this: no further filter round
_EFRON_MAX = 0.25  # run a round only if the sample predicts < 25% survivors


def _in_window(amax, amin):
    """Whether exact orient2d needs no rescaling (as ``check_exponent_range``)."""
    if amax == 0.0:
        return True
    lo, hi = EXPONENT_LIMITS[2]
    return lo <= math.frexp(amin)[1] - 1 and math.frexp(amax)[1] <= hi


def _rescaled(pts):
    """``pts`` scaled by a power of two into the exact window (or RangeError)."""
    scaled, _ = check_exponent_range(pts, 2)
    return np.ascontiguousarray(scaled)


def _fast_points(points):
    """A float64 C-contiguous (n >= 1, 2) ndarray is used as is, its finiteness left
    to the first kernel pass (which counts non-finite values at no extra cost;
    ``_raise_bad`` then lets ``as_points`` name the row); anything else goes through
    ``as_points`` now. This saves ``as_points``' separate ``isfinite`` pass over the
    input, about a third of the time of a 10**7-point hull."""
    if (
        type(points) is np.ndarray
        and points.dtype == np.float64
        and points.ndim == 2
        and points.shape[1] == 2
        and points.shape[0] >= 1
        and points.flags.c_contiguous
    ):
        return points
    return as_points(points)


def _raise_bad(points):
    as_points(points, ndim=2)  # raises, naming the first non-finite row
    raise AssertionError("non-finite values were counted but as_points accepted them")


def _check_method(method):
    if method not in _METHODS:
        raise InputError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {method!r}")


# ---------------------------------------------------------------------------
# hints
# ---------------------------------------------------------------------------


def _hint_ids(pts, q, hint):
    """Input-point indices of the filter polygon a hint describes."""
    if hasattr(hint, "hull_hint"):
        view = pts.view()
        view.flags.writeable = False
        hint = hint.hull_hint(view)
    arr = np.asarray(hint)
    n = pts.shape[0]
    if arr.ndim == 1 and (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        ids = arr.astype(np.int64, copy=False)
        if ids.size and (ids.min() < -n or ids.max() >= n):
            raise InputError(f"hint: point index out of range for {n} points")
        return np.unique(np.where(ids < 0, ids + n, ids))
    if arr.ndim == 2 and arr.shape[1] == 2 and np.issubdtype(arr.dtype, np.floating):
        dirs = np.ascontiguousarray(arr, dtype=np.float64)
        if not np.isfinite(dirs).all():
            raise InputError("hint: directions must be finite")
        if dirs.shape[0] == 0:
            return np.empty(0, dtype=np.int64)
        return np.unique(_f.extremes_along(q, dirs))
    raise InputError(
        "hint: expected an integer array (k,) of point indices, a float array (k, 2) of "
        f"directions, or an object with hull_hint(points); got shape {arr.shape} and "
        f"dtype {arr.dtype}"
    )


# ---------------------------------------------------------------------------
# the 2D engine
# ---------------------------------------------------------------------------


def _hull_of_subset(q, idx):
    """Exact hull (canonical order) of the points idx, a small set in any order."""
    xs, _ = _k.gather(q, idx, idx.shape[0])
    return _k.sorted_hull(q, idx[np.argsort(xs)])


def _sorted_chain(q, idx):
    """Exact hull of the points idx (ascending) by sort + monotone chain."""
    k = idx.shape[0]
    if k == q.shape[0] // 2:
        xs = q[0::2].copy()
    else:
        xs, _ = _k.gather(q, idx, k)
    # numpy's sorts: a merge sort when x comes in few runs (points listed along a
    # curve), else the vectorised quicksort; equal-x runs are fixed in the kernel
    kind = "stable" if k > 4096 and _k.few_descents(xs) else "quicksort"
    return _k.sorted_hull(q, idx[np.argsort(xs, kind=kind)])


def _ks_subset(q, idx, levels):
    """Instance-optimal hull of the points idx (ascending), indices mapped back."""
    if idx.shape[0] == q.shape[0] // 2:
        sub = q
    else:
        xs, ys = _k.gather(q, idx, idx.shape[0])
        sub = np.empty(2 * idx.shape[0])
        sub[0::2] = xs
        sub[1::2] = ys
    ext, vu, vl = _ks.ks_vertices(sub, levels)
    ll, lh, rl, rh = (int(v) for v in ext)
    x = sub[0::2]
    y = sub[1::2]
    if x[ll] == x[rl]:  # one vertical line, or a single distinct point
        h = np.array([ll] if y[ll] == y[lh] else [ll, lh], dtype=np.int64)
    else:
        # vertices of a strictly convex chain have distinct x: order by x
        lower = np.unique(np.concatenate(([ll, rl], vl)))
        lower = lower[np.argsort(x[lower], kind="stable")]
        upper = np.unique(np.concatenate(([lh, rh], vu)))
        upper = upper[np.argsort(x[upper], kind="stable")][::-1]
        if upper[0] == lower[-1]:
            upper = upper[1:]
        if upper.shape[0] and upper[-1] == lower[0]:
            upper = upper[:-1]
        h = np.concatenate((lower, upper))
    return h if sub is q else idx[h]


def _stats(levels, n, h):
    per = [int(v) for v in levels]
    while len(per) > 1 and per[-1] == 0:
        per.pop()
    return {
        "examined_per_level": per,
        "examined_total": int(sum(per)),
        "levels": len(per),
        "n": int(n),
        "h": int(h),
    }


def _filter(pts, q, poly_ids):
    """Survivor indices (ascending) after the filter rounds, and range statistics
    (``idx`` is None when the range or finiteness check failed)."""
    n = pts.shape[0]
    vx, vy = _k.gather(q, poly_ids, poly_ids.shape[0])
    _, c8 = _f.octagon_constants(vx, vy)
    idx = np.empty(n, dtype=np.int64)
    k, amax, amin, bad = _f.octagon_pass(q, c8, idx)
    if bad or not _in_window(amax, amin):
        return None, bad
    while k > _ROUND_MIN:
        step = max(1, k // _SAMPLE)
        sample = idx[:k:step]
        hs = _hull_of_subset(q, np.concatenate((sample, poly_ids)))
        if hs.shape[0] > _EFRON_MAX * sample.shape[0]:
            break
        vx, vy = _k.gather(q, hs, hs.shape[0])
        ok, o, bbox, F = _f.fan_build(vx, vy)
        if not ok:
            break
        k_new = _f.fan_pass(q, idx, k, o, bbox, F, idx)
        poly_ids = hs
        shrunk = k_new < 0.75 * k
        k = k_new
        if not shrunk:
            break
    return idx[:k], 0


def _hull2d(pts, method="monotone", hint=None):
    """(vertex indices, stats or None) of an (n, 2) float64 C-contiguous array.

    ``pts`` need not have been through ``as_points``: the first pass counts
    non-finite values, and then ``as_points`` raises about them.
    """
    n = pts.shape[0]
    q = pts.reshape(-1)
    use_ks = method == "instance_optimal"
    levels = np.zeros(2 * 64 + 8, dtype=np.int64)
    if hint is not None:
        poly_ids = _hint_ids(pts, q, hint)
        if poly_ids.shape[0] >= 3:
            poly_ids = _hull_of_subset(q, poly_ids)
    elif n > _SMALL and not use_ks:
        step = max(4, n // _SAMPLE)  # small inputs: a quarter of the points
        sample = np.arange(0, n, step, dtype=np.int64)
        poly_ids = _hull_of_subset(q, sample)
        if poly_ids.shape[0] > 2 * _EFRON_MAX * sample.shape[0]:
            poly_ids = None  # most points on the hull (Efron): filtering cannot pay
    else:
        poly_ids = None
    if poly_ids is None or poly_ids.shape[0] < 3:
        amax, amin, bad = _f.range_stats(q)
        if bad:
            _raise_bad(pts)
        if not _in_window(amax, amin):
            return _hull2d(_rescaled(pts), method, hint)
        idx = np.arange(n, dtype=np.int64)
    else:
        idx, bad = _filter(pts, q, poly_ids)
        if bad:
            _raise_bad(pts)
        if idx is None:
            return _hull2d(_rescaled(pts), method, hint)
    if use_ks:
        h = _ks_subset(q, idx, levels)
        return h, _stats(levels, idx.shape[0], h.shape[0])
    return _sorted_chain(q, idx), None


def convex_hull(points, *, method="auto", hint=None):
    """Vertices of the convex hull, exactly.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Coordinates; lists, integer and float32 arrays and views are accepted.
    method : {"auto", "monotone", "instance_optimal"}
        2D algorithm: ``"monotone"`` filters with an octagon and a fan of triangles
        (inside the hull, decided with certified floating-point margins) and runs
        Andrew's monotone chain on the survivors; ``"instance_optimal"`` is the
        pruned Kirkpatrick-Seidel algorithm, O(n (H + 1)) for structural entropy H;
        ``"auto"`` is ``"monotone"``. Measured (``python benchmarks/bench_hull2d.py``,
        10 distributions x sizes 1e3..1e7, 50 cases, one process, shared 2-core
        EPYC): monotone was faster in 49 cases, typically 10-100 times (uniform 1e7:
        26 ms against 1.9 s; circle 1e6: 60 ms against 0.94 s); the exception was
        the 100 x 100 grid (0.11 ms against 0.07 ms), too small to matter. The
        filters' first pass costs about what reading the input costs, less than any
        test that could pick a method up front.
    hint : None, int array (k,), float array (k, 2) or object with ``hull_hint``
        Filter hint (2D only): indices of input points (their hull must lie inside
        the hull, which any input points' hull does), directions along which the
        extreme input points are taken, or an object whose
        ``hull_hint(points)`` returns one of these (``geoent.torch.EntropyNet``).
        Points strictly inside the hinted polygon are dropped early; the result is
        identical with and without a hint, only the time changes.

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
    pts = _fast_points(points)
    if pts.shape[1] == 3:
        if hint is not None:
            raise InputError("hint: only 2D hulls take a hint")
        return _hull3d(pts).vertices
    return _hull2d(pts, "monotone" if method == "auto" else method, hint)[0]


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
    return _hull2d(pts, "instance_optimal")[1]


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
    again with the exact predicates, so every hull is exact. Sets of more than 64
    points go to the engine of :func:`convex_hull`.

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
        # a plain non-empty float64 (n, 2) array skips as_points' isfinite pass:
        # range_stats below counts non-finite values in the pass it makes anyway
        plain = (
            type(points) is np.ndarray
            and points.dtype == np.float64
            and points.ndim == 2
            and points.shape[1] == 2
            and points.shape[0] >= 1
            and points.flags.c_contiguous
        )
        pts = points if plain else as_points(points, ndim=2, min_points=0)
        offs = np.asarray(offsets)
        if offs.ndim != 1 or offs.shape[0] < 1 or not np.issubdtype(offs.dtype, np.integer):
            raise InputError(f"offsets: expected a 1-D integer array (m + 1,), got {offs!r}")
        offs = offs.astype(np.int64)
        if offs[0] != 0 or offs[-1] != pts.shape[0] or np.any(np.diff(offs) < 0):
            raise InputError(
                "offsets: must start at 0, never decrease, and end at the number of "
                f"points ({pts.shape[0]})"
            )
    q = pts.reshape(-1)
    m = offs.shape[0] - 1
    if q.shape[0]:
        amax, amin, bad = _f.range_stats(q)
        if bad:
            _raise_bad(pts)
        if not _in_window(amax, amin):
            try:
                q = _rescaled(pts).reshape(-1)
            except RangeError:
                return _hulls_one_by_one(pts, offs)
    chunk = max(1, min(256, m // (8 * get_num_threads()) or 1))
    buf, counts, big = _k.many_hulls(q, offs, chunk)
    for c in np.flatnonzero(big):  # chunks with sets of more than 64 points
        s0, s1 = c * chunk, min(m, (c + 1) * chunk)
        pos = int(offs[s0])
        for s in range(s0, s1):
            lo, hi = int(offs[s]), int(offs[s + 1])
            if counts[s] < 0:
                sub = np.ascontiguousarray(q[2 * lo : 2 * hi].reshape(-1, 2))
                h = _hull2d(sub)[0]
                buf[pos : pos + h.shape[0]] = h
                counts[s] = h.shape[0]
                pos += hi - lo
            else:
                pos += int(counts[s])
    return _k.compact_hulls(buf, offs, counts, chunk, big)


def _hulls_one_by_one(pts, offs):
    """Sets that need different power-of-two scales: each its own (slow, rare)."""
    hulls = []
    for s in range(offs.shape[0] - 1):
        sub = pts[offs[s] : offs[s + 1]]
        hulls.append(
            _hull2d(np.ascontiguousarray(sub))[0] if sub.shape[0] else np.empty(0, np.int64)
        )
    counts = np.array([h.shape[0] for h in hulls], dtype=np.int64)
    out_off = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    idx = np.concatenate(hulls).astype(np.int64) if hulls else np.empty(0, np.int64)
    return idx, out_off


# ---------------------------------------------------------------------------
# 3D (engine in geoent._hull3d, written separately)
# ---------------------------------------------------------------------------


def _hull3d(pts):
    try:
        from ._hull3d import hull3d
    except ImportError as exc:  # pragma: no cover - until the 3D engine lands
        raise NotImplementedError("3D hulls need geoent._hull3d, which is not available") from exc
    return hull3d(pts)


# ---------------------------------------------------------------------------
# scipy-compatible object
# ---------------------------------------------------------------------------


def _good_facets(pts, simplices, g, visible):
    """scipy's ``good`` for ``QGg`` (visible) / ``QG-g``: facets strictly visible
    from point ``g``, decided by exact orientation."""
    from .predicates import orient2d, orient3d

    p = pts[g]
    if pts.shape[1] == 2:
        side = orient2d(pts[simplices[:, 0]], pts[simplices[:, 1]], p)
    else:
        side = orient3d(pts[simplices[:, 0]], pts[simplices[:, 1]], pts[simplices[:, 2]], p)
    vis = side < 0
    return vis if visible else ~vis


class ConvexHull(_ScipyConvexHull):
    """Convex hull with scipy.spatial.ConvexHull's attributes, computed exactly.

    A subclass of ``scipy.spatial.ConvexHull`` (for code that checks
    ``isinstance``); every attribute is geoent's own.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
    incremental : bool, optional
        Allow :meth:`add_points`.
    qhull_options : str, optional
        ``QGn`` / ``QG-n``: leave point n out and mark in ``good`` the facets
        visible / not visible from it (exact orientation). Qhull's tolerance
        options are accepted and ignored; unknown options raise ``ValueError``
        (see :mod:`geoent._scipy_compat`).
    method, hint
        As for :func:`convex_hull` (2D).

    Attributes
    ----------
    points : ndarray of double, shape (n, ndim)
        The input coordinates (read-only view).
    vertices : ndarray of intc, shape (nvertices,)
        Hull vertices; in 2D counter-clockwise from the lexicographically smallest
        (scipy: counter-clockwise, any start), in 3D ascending (scipy: input order).
    simplices : ndarray of intc, shape (nfacet, ndim)
        Facets: 2D edges ``[vertices[i], vertices[i + 1]]`` (counter-clockwise); 3D
        triangles counter-clockwise seen from outside.
    neighbors : ndarray of intc, shape (nfacet, ndim)
        ``neighbors[i, k]`` is the facet opposite vertex k of facet i.
    equations : ndarray of double, shape (nfacet, ndim + 1)
        ``[normal, offset]`` with a unit outward normal: ``normal . x + offset`` is 0
        on the facet's hyperplane and negative inside.
    volume : float
        Area in 2D, volume in 3D (scipy's meaning).
    area : float
        Perimeter in 2D, surface area in 3D (scipy's meaning).
    nsimplex, ndim, npoints : int
    min_bound, max_bound : ndarray of double
    coplanar : ndarray of intc, shape (0, 3)
        Always empty: no input point is dropped for numerical reasons.
    good : ndarray of bool or None
        With ``QGn``: per facet, whether point n sees it (``QG-n``: the opposite).
    stats : dict
        2D only: the instance-optimal algorithm's per-level work (see
        :func:`geoent.hull.instance_optimal_stats`); computed on first access unless
        ``method="instance_optimal"`` already produced it.

    Raises
    ------
    QhullError
        (both ``GeometryError``, a ``ValueError``, and ``scipy.spatial.QhullError``)
        when the points have no full-dimensional extent (all equal, collinear in
        2D, coplanar in 3D); :func:`convex_hull` returns the lower-dimensional hull.

    Notes
    -----
    Index arrays are ``np.intc`` as in scipy; :func:`convex_hull` keeps int64.
    ``equations`` and ``volume`` are accurate to a relative 1e-12 or computed
    exactly (``fractions``) where floating point cannot certify that.

    Examples
    --------
    >>> import geoent
    >>> h = geoent.ConvexHull([[0, 0], [2, 0], [2, 1], [0, 1], [1, 0.5]])
    >>> h.vertices.tolist(), h.volume, h.area
    ([0, 1, 2, 3], 2.0, 6.0)
    >>> h.equations[0].tolist()  # the edge y = 0: outward normal (0, -1)
    [0.0, -1.0, 0.0]
    """

    # scipy's base class defines these as read-only properties: plain class
    # attributes here let the instance hold its own values.
    points = None
    vertices = None

    def __init__(self, points, incremental=False, qhull_options=None, *, method="auto", hint=None):
        _check_method(method)
        opts = _compat.parse_qhull_options(qhull_options, "ConvexHull")
        pts = as_points(points)
        self._method = method
        self._incremental = bool(incremental)
        self._closed = False
        self._good_spec = opts.good
        self._stats = None
        self._setup(pts, None, hint)

    def _setup(self, pts, keep, hint=None):
        """Hull of ``pts[keep]`` (all points when None; never the ``QGn`` point),
        indices reported in ``pts``."""
        n = pts.shape[0]
        if self._good_spec is not None:
            g = self._good_spec[0]
            if not 0 <= g < n:
                raise _compat.QhullOptionsError(
                    f"qhull_options: QG{g} names point {g}, but there are {n} points"
                )
            keep = np.arange(n) if keep is None else keep
            keep = keep[keep != g]
        sub = pts if keep is None else np.ascontiguousarray(pts[keep])
        view = pts.view()
        view.flags.writeable = False
        self.points = view
        self.npoints, self.ndim = pts.shape
        self.coplanar = np.empty((0, 3), dtype=_compat.INDEX)
        if self.ndim == 2:
            self._init2d(sub, self._method, hint)
        else:
            if hint is not None:
                raise InputError("hint: only 2D hulls take a hint")
            self._init3d(sub)
        if keep is not None:
            self.vertices = keep[self.vertices]
            self.simplices = keep[self.simplices]
            self._stats = None
        self.vertices = _compat.as_index(self.vertices)
        self.simplices = _compat.as_index(self.simplices)
        self.neighbors = _compat.as_index(self.neighbors)
        self.nsimplex = self.simplices.shape[0]
        # the extreme coordinates are attained at hull vertices (and the QGn point)
        corners = pts[self.vertices]
        if self._good_spec is not None:
            corners = np.vstack((corners, pts[self._good_spec[0]]))
        self.min_bound = corners.min(axis=0)
        self.max_bound = corners.max(axis=0)
        self.good = None
        if self._good_spec is not None:
            self.good = _good_facets(pts, self.simplices, *self._good_spec)

    def add_points(self, points, restart=False):
        """Add points to the hull (``incremental=True`` only).

        The new hull is the hull of the current vertices and the new points: a
        point that is not a vertex now can never become one, so the interior is
        never looked at again. ``restart=True`` recomputes from all points.

        Raises
        ------
        RuntimeError
            If the object was not made with ``incremental=True`` or is closed.

        Examples
        --------
        >>> import geoent
        >>> h = geoent.ConvexHull([[0, 0], [1, 0], [0, 1]], incremental=True)
        >>> h.add_points([[1, 1], [0.5, 0.5]])
        >>> sorted(h.vertices.tolist()), h.volume
        ([0, 1, 2, 3], 1.0)
        """
        if not self._incremental or self._closed:
            raise RuntimeError("incremental mode not enabled or already closed")
        new = as_points(points, ndim=self.ndim, min_points=0)
        old_n = self.npoints
        pts = np.concatenate((self.points, new))
        keep = None
        if not restart:
            keep = np.concatenate(
                (self.vertices.astype(np.int64), np.arange(old_n, pts.shape[0], dtype=np.int64))
            )
            if self._good_spec is not None:
                keep = np.append(keep, self._good_spec[0])
            keep = np.unique(keep)
        self._setup(pts, keep)

    def close(self):
        """End incremental mode: later :meth:`add_points` calls raise RuntimeError."""
        self._closed = True

    def _init2d(self, pts, method, hint):
        meth = "monotone" if method == "auto" else method
        v, stats = _hull2d(pts, meth, hint)
        if v.shape[0] < 3:
            what = "a single point" if v.shape[0] == 1 else "collinear"
            raise _compat.QhullError(
                f"points: the input is {what} (no 2D extent), so it has no 2D convex hull; "
                "geoent.convex_hull returns its lower-dimensional hull"
            )
        self._stats = stats
        h = v.shape[0]
        self.vertices = v
        self.simplices = np.column_stack((v, np.roll(v, -1)))
        i = np.arange(h)
        self.neighbors = np.column_stack(((i + 1) % h, (i - 1) % h)).astype(np.int64)
        self.equations, self.area, self.volume = _measures2d(pts, v)

    def _init3d(self, pts):
        res = _hull3d(pts)
        if getattr(res, "dim", 3) < 3 or res.simplices is None:
            raise _compat.QhullError(
                "points: the input is coplanar, collinear or a single point (no 3D "
                "extent), so it has no 3D convex hull; geoent.convex_hull returns its "
                "lower-dimensional hull"
            )
        self.vertices = np.asarray(res.vertices, dtype=np.int64)
        self.simplices = np.asarray(res.simplices, dtype=np.int64)
        self.neighbors = np.asarray(res.neighbors, dtype=np.int64)
        self.equations, self.area, self.volume = _measures3d(pts, self.simplices, self.vertices)

    @property
    def stats(self):
        """Instance-optimal work per level (2D), computed on first access."""
        if self.ndim != 2:
            raise AttributeError("stats: available for 2D hulls only")
        if self._stats is None:
            self._stats = instance_optimal_stats(self.points)
        return self._stats

    def to_shapely(self):
        """The hull as a shapely geometry (2D: Polygon; 3D: MultiPolygon of facets)."""
        import shapely

        if self.ndim == 2:
            return shapely.Polygon(self.points[self.vertices])
        return shapely.MultiPolygon([shapely.Polygon(self.points[s]) for s in self.simplices])

    def plot(self, ax=None, **kwargs):
        """Draw the points and the hull with matplotlib (imported only here).

        Returns the axes; extra keyword arguments go to the hull's line (2D) or
        surface (3D).
        """
        import matplotlib.pyplot as plt

        if self.ndim == 2:
            if ax is None:
                _, ax = plt.subplots()
            p = self.points
            ax.plot(p[:, 0], p[:, 1], ".", ms=2, color="0.5")
            ring = np.append(self.vertices, self.vertices[0])
            ax.plot(p[ring, 0], p[ring, 1], kwargs.pop("color", "C0"), **kwargs)
            ax.set_aspect("equal", adjustable="datalim")
            return ax
        if ax is None:
            fig = plt.figure()
            ax = fig.add_subplot(projection="3d")
        p = self.points
        ax.plot_trisurf(p[:, 0], p[:, 1], p[:, 2], triangles=self.simplices, **kwargs)
        return ax

    def __repr__(self):
        return (
            f"ConvexHull(npoints={self.npoints}, ndim={self.ndim}, "
            f"nvertices={self.vertices.shape[0]}, nsimplex={self.nsimplex})"
        )
