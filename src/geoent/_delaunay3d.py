"""3D Delaunay tetrahedralisation behind ``geoent.delaunay`` / ``geoent.Delaunay`` on
(n, 3) input.

The tetrahedralisation is exact: every orientation and in-sphere decision is an
exact predicate (floating-point filter, exact expansion arithmetic when the filter
cannot decide), so every distinct input point is a vertex and every interior facet
passes the empty-sphere test exactly. Tetrahedra are positively oriented:
``orient3d(a, b, c, d) > 0`` for each row ``(a, b, c, d)``, in Shewchuk's
convention (``d`` lies below the plane of ``a, b, c``, which turn
counter-clockwise seen from above). Exact duplicates are left out and reported in
``coplanar``, the lowest index of each group of copies being the vertex.

Insertion order (``order``), which changes the running time, never validity:

* ``"morton"`` (default): Morton (Z-order) curve order in multiscale rounds:
  every 8**k-th point of the curve first (largest k first), then the next level,
  down to all the rest; a deterministic biased insertion order whose rounds are
  subsequences of the curve (about 12% faster than ``"brio"`` on a uniform
  cube, same session);
* ``"brio"``: biased randomized insertion order (Amenta, Choi and Rote 2003),
  rounds of geometrically growing size (ratio 1/4, drawn from a fixed hash of
  the index, so repeatable), each round along the Morton curve;
* ``"none"``: the input order (slow on shuffled input: walks get long);
* an integer permutation array, or an object with ``delaunay_order(points)``.

Ties. Where five or more points are cospherical the tetrahedralisation is not
unique. geoent enlarges an insertion cavity only on a *strict* in-sphere conflict,
so ties are kept as the insertion order made them (a fixed rule, no symbolic
perturbation): the same points with the same ``order`` always give the same
tetrahedra, and every interior facet passes ``insphere <= 0``.

Flat input (all points coplanar, or fewer than four distinct points) has no 3D
triangulation: ``delaunay`` returns an empty (0, 4) array and ``Delaunay`` raises
:class:`~geoent.errors.GeometryError` saying so (the 2D triangulation of the plane
can be had by projecting the points to two coordinates and calling 2D Delaunay).
"""

from __future__ import annotations

import numpy as np

from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint, interruptible
from ._validation import as_points, check_exponent_range, check_permutation
from ._vertex_maps import vertex_maps
from .errors import GeometryError, InputError

__all__ = [
    "delaunay3d",
    "build3d",
    "fill_delaunay3d",
    "full_arrays",
    "find_simplex3d",
    "barycentric_transform",
    "lift_points",
    "lifted_equations",
]

_ORDERS = ("brio", "morton", "none")
_NO_GATHER = np.empty((0, 3))  # morton_multiscale: the order only

# compiled ahead of time where built (geoent._aot), else the @njit kernels: a call
# answered by the compiled exports imports no numba (issue 13)
_k, _ord = kernels_of("delaunay3d"), kernels_of("ordering")


def _morton(pts, idx):
    return _ord.morton_order(pts, idx, cancel_flag())


def _brio3(pts, ratio=0.25, seed=0x9E3779B97F4A7C15):
    n = pts.shape[0]
    idx = np.arange(n, dtype=np.int64)
    if n <= 64:
        return _morton(pts, idx)
    top = 0
    while n * ratio ** (top + 1) >= 64 and top < 31:
        top += 1
    rounds = _ord._brio_rounds(n, float(ratio), top, np.uint64(seed), cancel_flag())
    checkpoint()  # a cancelled _brio_rounds is unfinished
    by_round = np.argsort(rounds, kind="stable")
    bounds = np.searchsorted(rounds[by_round], np.arange(top + 2))
    parts = [
        _morton(pts, by_round[bounds[r] : bounds[r + 1]])
        for r in range(top + 1)
        if bounds[r + 1] > bounds[r]
    ]
    return np.concatenate(parts).astype(np.int64, copy=False)


def insertion_order3(pts, order):
    """The insertion order as an int64 permutation."""
    n = pts.shape[0]
    if isinstance(order, str):
        if order == "brio":
            return _brio3(pts)
        if order == "morton":
            perm = np.empty(n, np.int64)
            _ord.morton_multiscale(pts, 8, perm, _NO_GATHER, np.empty((2, 3)), cancel_flag())
            checkpoint()  # a cancelled morton_multiscale is unfinished
            return perm
        if order == "none":
            return np.arange(n, dtype=np.int64)
        raise InputError(
            f"order: unknown order {order!r}; expected one of {_ORDERS}, an integer "
            "permutation array, or an object with a delaunay_order(points) method"
        )
    if hasattr(order, "delaunay_order"):
        view = pts.view()
        view.flags.writeable = False
        return check_permutation(order.delaunay_order(view), n, "order.delaunay_order(points)")
    if isinstance(order, (np.ndarray, list, tuple)):
        return check_permutation(order, n, "order")
    raise InputError(
        f"order: expected one of {_ORDERS}, an integer permutation array, or an object "
        f"with a delaunay_order(points) method; got {type(order).__name__}"
    )


class Result3D:
    """Everything one kernel run produces, in original point indices."""

    __slots__ = ("simplices", "neighbors", "hull_facets", "coplanar", "vertex_to_simplex", "box")


def build3d(pts, order="morton", full=True, index=np.int64):
    """Run the kernel on validated (n, 3) points; ``None`` when they have no 3D extent.

    With ``full``, the simplices, neighbours and hull facets are of dtype ``index``
    (``geoent.Delaunay`` asks for scipy's ``intc``); without, the simplices are
    int64."""
    n = pts.shape[0]
    if n < 4:
        insertion_order3(pts, order)  # a bad order raises all the same
        return None
    if isinstance(order, str) and order == "morton":
        # the default order and the gather in one kernel (the same permutation);
        # allocated here, not in the kernel: numpy asks for huge pages
        perm = np.empty(n, np.int64)
        P = np.empty((n, 3))
        box = np.empty((2, 3))
        amax, amin = _ord.morton_multiscale(pts, 8, perm, P, box, cancel_flag())
    else:
        box = None
        perm = insertion_order3(pts, order)
        checkpoint()
        P, amax, amin = _k.gather3(pts, perm, cancel_flag())
    checkpoint()  # a cancelled morton_multiscale or gather3 is unfinished
    if amax > 0.0:
        # the scale check_exponent_range would apply, from the extremes alone
        _, k = check_exponent_range(np.array([amax, amin]), 5)
        if k:
            P = np.ldexp(P, k)
    cap = max(64, int(6.9 * n + 64))
    # halffaces 4t + k of up to about 2 * cap slots (capacity may double) in int32
    itype = np.int32 if 8 * 2 * cap < 2**31 - 1 else np.int64
    T = np.empty(8 * cap, itype)
    dup = np.full(n, -1, np.int64)
    checkpoint()
    T, nt, status = _k.tetrahedralize(P, T, dup, cancel_flag())
    checkpoint()  # raises after a cancelled run (Ctrl-C, geoent._interrupt)
    if status != _k.OK:
        return None
    dups = np.flatnonzero(dup >= 0)
    label = _k.vertex_labels(perm, dup) if dups.size else perm
    res = Result3D()
    res.box = box
    if not full:
        del P, dup
        # the rows overwrite T's own storage (extract_tets says why that is safe):
        # no fresh 32 bytes a tetrahedron to fault in
        out = T.view(np.int64).reshape(-1, 4)
        m = _k.extract_tets(T, nt, n, label, out, cancel_flag())
        checkpoint()  # a cancelled extract_tets is unfinished
        # a T the kernel had to grow (or an int64 T, 64 bytes a slot) holds more
        # than twice the rows: copy them out, T is freed
        res.simplices = out[:m] if 2 * m >= out.shape[0] else out[:m].copy()
        return res
    del P
    res.simplices, res.neighbors, res.hull_facets, vtet = full_arrays(T, nt, n, n, label, index)
    del T
    res.vertex_to_simplex, res.coplanar = vertex_maps(n, vtet, label, dup, dups, perm)
    return res


def full_arrays(T, nt, inf, n, label, index):
    """Simplices, neighbours and hull facets (dtype ``index``) and ``vtet`` (one
    tetrahedron a vertex id below ``n``, -1 for none) of a finished kernel state.

    Two passes, ``number_tets`` then ``extract_into``, into arrays numpy allocates
    (huge pages). The one full extraction: :func:`build3d` and the incremental
    ``geoent.Delaunay`` (``_scipy_compat``) both call it.
    """
    newid = np.empty(nt, np.int32 if nt < 2**31 else np.int64)
    m, h = _k.number_tets(T, nt, inf, newid, cancel_flag())
    checkpoint()  # a cancelled number_tets is unfinished
    simp = np.empty((m, 4), index)
    nb = np.empty((m, 4), index)
    hull = np.empty((h, 3), index)
    vtet = np.full(n, -1, np.int64)
    _k.extract_into(T, nt, inf, label, newid, simp, nb, hull, vtet, cancel_flag())
    checkpoint()  # a cancelled extract_into is unfinished
    return simp, nb, hull, vtet


def delaunay3d(pts, order="morton"):
    """(m, 4) positively oriented tetrahedra of validated (n, 3) points; empty (0, 4)
    for flat input."""
    res = interruptible(pts.shape[0], build3d, pts, order, False)
    if res is None:
        return np.empty((0, 4), np.int64)
    return res.simplices


def fill_delaunay3d(obj, pts, order):
    """Set the attributes of a :class:`geoent.Delaunay` for (n, 3) points."""
    # scipy's index dtype written directly (geoent.Delaunay would convert to it);
    # _scipy_compat is loaded already by geoent.Delaunay
    from ._scipy_compat import INDEX

    res = interruptible(pts.shape[0], build3d, pts, order, True, INDEX)
    if res is None:
        raise GeometryError(
            "Delaunay: the points have no 3D extent (they are all coplanar, or there "
            "are fewer than four distinct points); geoent.delaunay returns an empty "
            "(0, 4) array for such input, and the 2D Delaunay of two coordinates "
            "triangulates a plane"
        )
    obj.points = pts
    obj.simplices = res.simplices
    obj.neighbors = res.neighbors
    obj.convex_hull = res.hull_facets
    obj.coplanar = res.coplanar
    obj.vertex_to_simplex = res.vertex_to_simplex
    obj.ndim = 3
    obj.npoints = pts.shape[0]
    obj.nsimplex = res.simplices.shape[0]
    obj._vnv = None
    if res.box is not None and res.box.all():
        obj.min_bound, obj.max_bound = res.box  # the order kernel's, exact
    else:  # a zero extreme: numpy's own reductions (the sign of a zero)
        obj.min_bound, obj.max_bound = pts.min(axis=0), pts.max(axis=0)


def find_simplex3d(obj, xi):
    """Exact location of (..., 3) queries in the tetrahedralisation of ``obj``."""
    arr = np.asarray(xi)
    if arr.ndim == 0 or arr.shape[-1] != 3:
        raise InputError(f"xi: expected an array of shape (..., 3), got shape {arr.shape}")
    shape = arr.shape[:-1]
    q = as_points(arr.reshape(-1, 3), ndim=3, name="xi", min_points=0)
    out = np.empty(q.shape[0], np.int64)
    if q.shape[0] == 0:
        return out.reshape(shape)
    both = np.concatenate((obj.points, q))
    both, _ = check_exponent_range(both, 3, name="xi")
    pts = both[: obj.npoints]
    qs = both[obj.npoints :]
    if q.shape[0] > 32:
        qorder = _morton(qs, np.arange(q.shape[0], dtype=np.int64)).astype(np.int64)
    else:
        qorder = np.arange(q.shape[0], dtype=np.int64)
    _k.locate(
        np.ascontiguousarray(qs),
        qorder,
        np.ascontiguousarray(pts),
        obj.simplices,
        obj.neighbors,
        out,
        cancel_flag(),
    )
    checkpoint()  # a cancelled walk leaves ``out`` unfinished
    return out.reshape(shape)


def barycentric_transform(points, simplices):
    """scipy's ``Delaunay.transform`` for any dimension: (m, d + 1, d); NaN rows
    for degenerate simplices (never produced by geoent)."""
    d = points.shape[1]
    m = simplices.shape[0]
    out = np.empty((m, d + 1, d))
    r = points[simplices[:, d]]
    out[:, d, :] = r
    if m == 0:
        return out
    # rows of A are v_j - r; T = inv(A^T) so that T (x - r) are the coefficients
    A = points[simplices[:, :d]] - r[:, None, :]
    with np.errstate(all="ignore"):
        try:
            out[:, :d, :] = np.linalg.inv(np.swapaxes(A, 1, 2))
        except np.linalg.LinAlgError:
            for i in range(m):
                try:
                    out[i, :d, :] = np.linalg.inv(A[i].T)
                except np.linalg.LinAlgError:
                    out[i, :d, :] = np.nan
    return out


def lift_points(x, ndim):
    """Points on the paraboloid ``z = |x|**2`` (scale 1, shift 0)."""
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1] != ndim:
        raise InputError(f"x: expected an array of shape (..., {ndim}), got shape {x.shape}")
    z = np.empty(x.shape[:-1] + (ndim + 1,))
    z[..., :ndim] = x
    z[..., ndim] = np.sum(x * x, axis=-1)
    return z


def lifted_equations(points, simplices):
    """Unit normals and offsets (m, d + 2) of the lifted simplices' hyperplanes,
    oriented so the paraboloid direction (last coordinate) has a negative normal
    component, as Qhull's lower-hull facets."""
    d = points.shape[1]
    m = simplices.shape[0]
    L = lift_points(points, d)
    V = L[simplices]  # (m, d + 1, d + 1)
    base = V[:, -1, :]
    D = V[:, :-1, :] - base[:, None, :]  # (m, d, d + 1)
    normal = np.empty((m, d + 1))
    for k in range(d + 1):
        cols = [c for c in range(d + 1) if c != k]
        normal[:, k] = (-1) ** k * np.linalg.det(D[:, :, cols]) if m else 0.0
    flip = normal[:, d] > 0
    normal[flip] *= -1.0
    norm = np.linalg.norm(normal, axis=1)
    with np.errstate(all="ignore"):
        normal /= norm[:, None]
    off = -np.einsum("ij,ij->i", normal, base)
    return np.column_stack((normal, off))
