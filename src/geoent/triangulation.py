"""Delaunay triangulation: ``delaunay`` (triangles) and the scipy-compatible ``Delaunay``.

Both accept (n, 2) and (n, 3) points; (n, 3) input gives positively oriented
tetrahedra (see :mod:`geoent._delaunay3d` for the 3D engine, its insertion order
and its tie rule). The rest of this text is about the 2D engine.

The triangulation is exact: every orientation and in-circle decision is an exact
predicate (floating-point filter, exact expansion arithmetic when the filter cannot
decide), so every distinct input point is a vertex -- points one ulp apart included
-- and every interior edge satisfies the empty-circle test exactly. Exact
duplicates are left out of the triangulation and reported in
:attr:`Delaunay.coplanar`, as scipy does; of each group of copies the lowest index
is the one used as a vertex.

Insertion order. The kernel inserts points one by one (Lawson flips, walking point
location), so the order matters for speed by orders of magnitude, never for
validity. ``order`` is one of

* ``"hilbert"`` (default): along a Hilbert curve, in rounds: every 8**k-th point
  of the curve first (largest k first), then the next level, down to all the
  rest. Each round is a subsequence of the curve, so locality is kept, and the
  coarse early rounds spread over the whole set, so later points fall inside the
  triangulation instead of on a growing frontier; that saves about a third of
  the flips of the plain curve order (fastest in practice; deterministic);
* ``"brio"``: biased randomized insertion order (seeded, so repeatable): rounds of
  geometrically growing size drawn at random, each along the Hilbert curve; the
  expected-time guarantee of randomized insertion with the locality of the curve;
* ``"none"``: the input order. Walks then start from a multi-level grid of
  remembered triangles, so shuffled input costs cache misses rather than long
  walks (a few times slower than ``"hilbert"``); but some input orders force
  quadratic work on any incremental algorithm (points of two parallel lines,
  one line after the other), which the spatial orders avoid;
* an integer array, a permutation of ``range(n)`` (an insertion order);
* an object with a method ``delaunay_order(points) -> int array`` returning such a
  permutation (the ``geoent._protocols.DelaunayOrder`` protocol; how a learned
  ordering such as EntropyNet's plugs in).

Ties. Where four or more points are cocircular the Delaunay triangulation is not
unique. geoent flips an edge only when the in-circle test is strictly positive, so
the diagonals chosen in cocircular groups are the ones the insertion order made
first: the same points with the same ``order`` always give the same triangles;
different orders may pick different (equally valid) diagonals. Every result passes
:func:`geoent.testing.validate_triangulation`.
"""

from __future__ import annotations

import numpy as np

from . import _ordering
from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint, interruptible
from ._protocols import DelaunayOrder
from ._validation import (
    EXPONENT_LIMITS,
    as_points,
    check_exponent_range,
    check_permutation,
    in_exponent_window,
    readonly_view,
)
from ._vertex_maps import vertex_maps
from .errors import InputError

# kernels compiled ahead of time where built (geoent._aot), else numba's JIT
_k, _ord, _gather, _small = (
    kernels_of(m) for m in ("delaunay2d", "ordering", "gather", "delaunay2d_small")
)

__all__ = ["delaunay", "Delaunay"]  # noqa: F822 (lazy)

_ORDERS = ("hilbert", "brio", "none")


def _insertion_order(pts, order):
    """``(permutation, spatial)``: the insertion order as int64 indices, and whether
    it is one of our spatial sorts (walks then start from the last triangle made;
    otherwise from a grid of remembered triangles)."""
    n = pts.shape[0]
    if isinstance(order, str):
        if order == "hilbert":
            return _ordering.multiscale_hilbert_order(pts[:, 0], pts[:, 1]), True
        if order == "brio":
            return _ordering.brio_order(pts[:, 0], pts[:, 1]), True
        if order == "none":
            return np.arange(n, dtype=np.int64), False
        raise InputError(
            f"order: unknown order {order!r}; expected one of {_ORDERS}, an integer "
            "permutation array, or an object with a delaunay_order(points) method"
        )
    if isinstance(order, DelaunayOrder):
        perm = check_permutation(
            order.delaunay_order(readonly_view(pts)), n, "order.delaunay_order(points)"
        )
        return perm, False
    if isinstance(order, (np.ndarray, list, tuple)):
        return check_permutation(order, n, "order"), False
    raise InputError(
        f"order: expected one of {_ORDERS}, an integer permutation array, or an object "
        f"with a delaunay_order(points) method; got {type(order).__name__}"
    )


class _Result:
    """Everything one kernel run produces, in original point indices."""

    __slots__ = ("simplices", "neighbors", "hull_edges", "coplanar", "vertex_to_simplex")


def _lazy(name):
    """A property backed by ``_<name>`` that first brings a Delaunay whose kernel
    state changed (``add_points``) up to date."""
    key = "_" + name

    def get(self):
        if self._stale:
            self._refresh()
        return self.__dict__[key]

    def set(self, value):
        self.__dict__[key] = value

    return property(get, set, doc=f"scipy's ``{name}``.")


def _furthest_result(pts):
    from ._scipy_compat import furthest_result

    return furthest_result(pts)


def _build(pts, order, full):
    """Run the kernel; ``None`` when the points have no 2D extent."""
    n = pts.shape[0]
    perm, spatial = _insertion_order(pts, order)
    if n < 3:
        return None
    # start grid for orders without locality: finest level about n / 4 cells
    levels = 0 if spatial else max(1, (max(n // 4, 1).bit_length() - 1) // 2)
    checkpoint()  # between kernels: stop here once the caller was interrupted
    xs, ys, amax, amin = _gather.gather_xy_extent(pts, perm, cancel_flag())
    checkpoint()  # a cancelled gather is unfinished
    if not in_exponent_window(amax, amin, 4):
        # the scale check_exponent_range would apply, from the extremes alone
        _, k = check_exponent_range(np.array([amax, amin]), 4)
        if k:
            xs = np.ldexp(xs, k)
            ys = np.ldexp(ys, k)
    itype = np.int32 if 6 * n < 2**31 - 1 else np.int64
    tri = np.empty(6 * n, itype)
    opp = np.empty(6 * n, itype)
    dup = np.full(n, -1, itype)
    checkpoint()
    nt, status = _k.triangulate(xs, ys, tri, opp, dup, levels, cancel_flag())
    checkpoint()
    if status != _k.OK:
        return None
    # Peak memory is the kernel state plus the output: drop what the output no
    # longer needs before it is allocated (coordinates; for ``delaunay`` also the
    # twins and the duplicate map).
    del xs, ys
    # Vertex labels: original indices, the lowest of each group of exact copies.
    dups = np.flatnonzero(dup >= 0)
    label = _k.vertex_labels(perm, dup) if dups.size else perm
    cancel = cancel_flag()  # the extraction kernels read it too (0.4-1.3 s at 1e7)
    m = _k.count_finite(tri, nt, n, cancel)
    checkpoint()
    res = _Result()
    if not full:
        del opp, dup
        res.simplices = np.empty((m, 3), np.int64)
        _k.extract_simplices(tri, nt, n, label, res.simplices, cancel)
        checkpoint()
        return res
    # scipy's index dtype written directly: no converted copies in ``_set``
    from ._scipy_compat import INDEX as ix

    res.simplices = np.empty((m, 3), ix)
    res.neighbors = np.empty((m, 3), ix)
    vtri = np.full(n, -1, ix)
    newid = np.empty(nt, np.int32 if nt < 2**31 else np.int64)
    _k.extract_into(tri, opp, nt, n, label, res.simplices, res.neighbors, vtri, newid, cancel)
    checkpoint()
    del newid
    res.hull_edges = _k.hull_cycle(tri, opp, nt, n, label, cancel)
    checkpoint()
    res.vertex_to_simplex, res.coplanar = vertex_maps(n, vtri, label, dup, dups, perm)
    return res


def _d3_order(order):
    # the 2D default names the 2D curve; in 3D the default is multiscale Morton
    return "morton" if isinstance(order, str) and order == "hilbert" else order


def delaunay(points, *, order="hilbert"):
    """Delaunay triangulation of a 2D or 3D point set, exactly.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        Coordinates. Ints, float32, lists and views are accepted.
    order : {"hilbert", "brio", "none"}, int array or object, optional
        Insertion order (see the module documentation): it changes the running
        time, never the validity of the result; cocircular ties are broken by it.
        In 3D the strings are "morton" (the default; "hilbert" means it too),
        "brio" and "none" (see :mod:`geoent._delaunay3d`).

    Returns
    -------
    numpy.ndarray of int64, shape (m, 3) or (m, 4)
        2D: counter-clockwise triangles as point indices. 3D: tetrahedra
        ``(a, b, c, d)`` with ``orient3d(a, b, c, d) > 0`` (Shewchuk's
        convention: ``d`` lies below the plane of ``a, b, c``, which turn
        counter-clockwise seen from above). Every distinct point is a vertex
        (the lowest index of each group of exact copies). Empty (0, 3) when the
        points have no 2D extent (all collinear, or fewer than three distinct
        points); in 3D empty (0, 4) when they have no 3D extent (all coplanar,
        or fewer than four distinct points).

    Raises
    ------
    InputError
        For NaN/inf, wrong shape, no points, or a bad ``order``.
    RangeError
        When the coordinates span too many binary orders of magnitude for exact
        in-circle tests (about 2**430).

    Examples
    --------
    >>> import numpy as np, geoent
    >>> pts = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])
    >>> tri = geoent.delaunay(pts)
    >>> tri.shape
    (2, 3)
    >>> geoent.delaunay([[0, 0], [1, 1], [2, 2]]).shape
    (0, 3)

    In 3D, positively oriented tetrahedra (``orient3d > 0``):

    >>> cube = [[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)]
    >>> geoent.delaunay(cube + [[0.5, 0.5, 0.5]]).shape
    (12, 4)
    """
    pts = as_points(points, ndim=(2, 3))
    if pts.shape[1] == 3:
        from ._delaunay3d import delaunay3d

        return delaunay3d(pts, _d3_order(order))
    if pts.shape[0] <= SMALL_UP_TO and isinstance(order, str) and order == "hilbert":
        if _one_call_small():
            status, simplices = _small.small_delaunay(
                pts, _ordering.HILBERT_TABLE, *_WINDOW4, cancel_flag()
            )
            if status != _SMALL_RESCALE:  # rescaling: the general path does it
                return simplices  # empty when the points have no 2D extent
    res = interruptible(pts.shape[0], _build, pts, order, False)
    if res is None:
        return np.empty((0, 3), np.int64)
    return res.simplices


#: up to this many points (and the default order) ``delaunay`` runs in one compiled
#: call (``geoent._kernels.delaunay2d_small``: the same kernels as ``_build``, so the
#: same triangles; its seven calls and numpy steps cost more than the work there).
#: Above, numpy's sort of the curve keys wins over the kernel's: one call / general
#: path, wall median us, ``python benchmarks/small_delaunay_cutoff.py`` (load 2.3):
#: 64 points 17 / 35-37, 256: 56-57 / 69, 600: 131-139 / 146-147, 999: 260-262 / 238-262
SMALL_UP_TO = 512
_SMALL_RESCALE = 3  # geoent._kernels.delaunay2d_small.RESCALE (read without numba)
_WINDOW4 = EXPONENT_LIMITS[4]
#: whether small calls take that path: None means where the compiled module is in
#: use (with numba's JIT alone its kernel would be one more compile, with a sort, in
#: the family's first call). The tests set True.
ONE_CALL_SMALL = None


def _one_call_small():
    if ONE_CALL_SMALL is None:
        from ._aot import status

        return status() == "aot"
    return ONE_CALL_SMALL


def __getattr__(name):
    # Delaunay subclasses scipy's: scipy.spatial is imported when it is asked for
    if name == "Delaunay":
        from ._delaunay_class import Delaunay

        globals()["Delaunay"] = Delaunay
        return Delaunay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
