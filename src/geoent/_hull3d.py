"""Exact 3D convex hull: ``hull3d(pts) -> Hull3D``.

Called by :mod:`geoent.hull` for 3-column input (already validated by
``as_points``). Every decision is an exact ``orient3d`` / ``orient2d``; see
``geoent._kernels.hull3d`` for the algorithm.

Choices worth knowing:

* **Coplanar facets are triangulated**, not merged: a planar face of the hull
  with k corners appears as k - 2 triangles (a fan from one of its corners),
  using only true corners: points in the relative interior of a face or an edge
  are never triangle corners. Coplanarity is decided exactly. (Qhull, behind
  scipy, merges facets that are coplanar within its floating-point tolerance
  and then triangulates them for ``simplices``.)
* ``vertices`` holds the corners only (points on faces or edges excluded), the
  lowest index among exact duplicates, ascending.
* Degenerate input: ``dim`` 2 (all points coplanar) gives the strictly convex
  vertices of the planar hull; ``dim`` 1 the two extreme points of the segment;
  ``dim`` 0 a single index. In all three, ascending order and ``simplices`` /
  ``neighbors`` are None.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint
from ._validation import check_exponent_range, in_exponent_window
from .errors import GeometryError, RangeError

# kernels compiled ahead of time where built (geoent._aot), else numba's JIT
_k, _k2, _ks, _ord, _pred = (
    kernels_of(m) for m in ("hull3d", "hull2d", "hull3d_small", "ordering", "predicates")
)

__all__ = ["Hull3D", "hull3d"]

# Below this many points the filter does not pay: insert everything.
_NO_FILTER_BELOW = 4096
_SMALL_OK = 0  # geoent._kernels.hull3d_small.OK (read here without importing numba)
#: whether small inputs take the one-call path (``geoent._kernels.hull3d_small``):
#: None means where the compiled module is in use. With numba's JIT alone, that
#: kernel would be one more large compile in the family's first call (measured:
#: the hull3d family's cold first call, JIT only, 18.5 s CPU before it, 33-35 s
#: with it, ``benchmarks/cold_start.py --families hull3d`` at load 9-11), for
#: tens of microseconds a call. The tests set True.
ONE_CALL_SMALL = None


def _one_call_small():
    if ONE_CALL_SMALL is None:
        from ._aot import status

        return status() == "aot"
    return ONE_CALL_SMALL


@dataclass(frozen=True)
class Hull3D:
    """Result of :func:`hull3d`.

    Attributes
    ----------
    vertices : numpy.ndarray of int64
        Indices of the hull's corners, ascending (lowest index among duplicates).
    simplices : numpy.ndarray of int64 (int32 if asked), shape (m, 3), or None
        Triangles of the hull surface, each counter-clockwise seen from outside:
        ``orient3d(a, b, c, p) > 0`` for every point p strictly inside. None
        unless ``dim == 3`` (and when asked for ``facets=False``).
    neighbors : numpy.ndarray of int64, shape (m, 3), or None
        ``neighbors[t, j]`` is the triangle across the edge opposite vertex j.
    dim : int
        Affine dimension of the input: 3, or 2 / 1 / 0 for degenerate input.
    stats : dict
        Diagnostics: sample size, filter survivors, whether coplanar facets were
        merged, points found on the surface.
    """

    vertices: np.ndarray
    simplices: np.ndarray | None
    neighbors: np.ndarray | None
    dim: int
    stats: dict


def _sample_size(n):
    if n <= _NO_FILTER_BELOW:
        return n
    # sample hull cost ~ s, survivors ~ n / sqrt(s) for round data: s ~ n^(2/3)
    return int(min(n, max(_NO_FILTER_BELOW, 1.5 * n ** (2.0 / 3.0))))


#: rows per call of ``abs_range``: a pass over 3e7 points took 0.8 s on the loaded
#: dev machine, so huge inputs are read in blocks with a Ctrl-C checkpoint between
_RANGE_BLOCK = 1 << 22


def _abs_range(pts):
    """``_k.abs_range`` over row blocks (one block, one call, below 4M points)."""
    hi, lo = 0.0, np.inf
    for s in range(0, pts.shape[0], _RANGE_BLOCK):
        checkpoint()
        bhi, blo = _k.abs_range(pts[s : s + _RANGE_BLOCK])
        hi, lo = max(hi, bhi), min(lo, blo)
    return hi, lo


def _planar_vertices(pts, a, b, c):
    """Strictly convex vertices of coplanar points, ascending."""
    pa, pb, pc = pts[a], pts[b], pts[c]
    normal = np.cross(pb - pa, pc - pa)
    for drop in np.argsort(-np.abs(normal), kind="stable"):
        keep = [ax for ax in range(3) if ax != drop]
        # the projection along ``drop`` is one-to-one on the plane exactly when
        # it keeps the (non-collinear) a, b, c non-collinear
        if _pred.orient2d(
            pa[keep[0]], pa[keep[1]], pb[keep[0]], pb[keep[1]], pc[keep[0]], pc[keep[1]]
        ):
            break
    u = np.ascontiguousarray(pts[:, keep[0]])
    v = np.ascontiguousarray(pts[:, keep[1]])
    order = np.lexsort((v, u))  # stable: duplicates keep index order
    su, sv = u[order], v[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (su[1:] != su[:-1]) | (sv[1:] != sv[:-1])
    return np.sort(_k2.monotone_chain(u, v, order[first]))


def _columns(P):
    """Read-only column views of an (n, 3) array: the one array type the hull
    kernels see for coordinates (gathered sample or the caller's points), so
    each is compiled once; the kernels never write the points."""
    view = P.view()
    view.flags.writeable = False
    return view[:, 0], view[:, 1], view[:, 2]


def _hull_full(pts, a, b, c, d, in_sample, facets, shifted=False):
    """The 3D pipeline (see ``geoent._kernels.hull3d``), phase by phase.

    Driven from Python on purpose: each kernel is then compiled once on its own,
    instead of once more inside one jitted driver that links all of them.
    Returns ``(simplices, neighbors, vertices, stats)``; the first two are None
    unless ``facets``.

    Memory: the sample (small) is gathered; the survivors are inserted reading
    the caller's array through column views, with the caller's point indices as
    vertex ids (no gathered copy of all points, no index map); every array that
    the next phase does not need is dropped before that phase allocates (peak
    about 2.6x the input for points in convex position).
    """
    n = pts.shape[0]
    for i in (a, b, c, d):  # scalar stores: a fancy-index store costs microseconds
        in_sample[i] = 1
    sample = np.flatnonzero(in_sample)
    rest = sample[(sample != a) & (sample != b) & (sample != c) & (sample != d)]
    sidx = np.concatenate(
        (np.array([a, b, c, d], dtype=np.int64), _ord.morton_order(pts, rest, cancel_flag()))
    )
    del sample, rest
    s = sidx.shape[0]

    # 1. hull of the sample (the filter), inserted in Morton order, on a gathered
    # copy of the sample (small, and local ids keep its walks in cache)
    checkpoint()  # between kernels: Ctrl-C (geoent._interrupt)
    X, Y, Z = _columns(pts[sidx])
    local = np.arange(s, dtype=np.int64)
    cnt = np.zeros(_k.NCNT, dtype=np.int64)
    cnt[_k.RNG] = 12345
    oc = np.zeros(3)
    tri, nbr, dead, freestk = _k.new_state(s)
    _k.init_tetra(X, Y, Z, 0, 1, 2, 3, tri, nbr, dead, cnt, oc)
    if not cnt[_k.HASC] and not shifted:
        # no double strictly inside the first tetrahedron: an extremely thin
        # input. Translated exactly towards the origin, where doubles are denser,
        # it usually has one; otherwise locating scans every facet (slow, exact).
        centre = (float(X.mean()), float(Y.mean()), float(Z.mean()))
        ok, moved = _k.shift_exact(pts, *centre)
        if ok and not np.array_equal(moved, pts):
            try:
                moved, _ = check_exponent_range(moved, 3)
            except RangeError:
                moved = None
            if moved is not None:
                return _hull_full(moved, a, b, c, d, in_sample, facets, shifted=True)
    on_list = np.empty(s, dtype=np.int64)
    start_of = np.empty(s, dtype=np.int32)
    stop = cancel_flag()  # Ctrl-C (geoent._interrupt); checkpoint() raises once set
    _k.insert_range(X, Y, Z, local, 4, s, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, stop)
    checkpoint()
    surv = None
    if s < n and not cnt[_k.ERR]:
        # 2. discard the points certified strictly inside the sample hull
        if cnt[_k.HASC]:
            # a central interior point evens out the cone cells and enlarges the
            # inner ball: the sample mean, when it is strictly inside
            mean = (X.mean(), Y.mean(), Z.mean())
            if _k.strictly_inside(X, Y, Z, tri, dead, cnt[_k.HW], *mean):
                oc[:] = mean
            # about four cells per facet, but not many more than points to filter
            cells = min(4 * (cnt[_k.HW] - cnt[_k.NFREE]), max(384, (n - s) // 2))
            G = max(4, min(256, int(math.sqrt(cells / 6)) + 1))
            R = float(np.max(np.abs(X - oc[0]) + np.abs(Y - oc[1]) + np.abs(Z - oc[2])))
            table = _k.build_cubemap(X, Y, Z, tri, nbr, dead, cnt, oc, G, R)
            PL = _k.facet_planes(X, Y, Z, tri, dead, cnt[_k.HW], oc)
            r2 = _k.inner_radius2(PL, dead, cnt[_k.HW], oc)
            box = _k.inner_box(X, Y, Z, tri, nbr, dead, cnt, oc, PL, s)
            checkpoint()
            surv = _k.filter_points(
                pts, in_sample, X, Y, Z, tri, nbr, oc, table, G, PL, r2, box, stop
            )
            del table, PL
        else:
            surv = np.flatnonzero(in_sample == 0)
        checkpoint()
    # from here on vertex ids are the caller's indices, and the coordinates are
    # column views of the caller's array
    _k.relabel(tri, dead, cnt[_k.HW], sidx, on_list, cnt[_k.NON])
    X, Y, Z = _columns(pts)
    del local, start_of
    nsurv = 0
    if surv is not None:
        # 3. the survivors, in Morton order, into the same hull
        nsurv = surv.shape[0]
        order = _ord.morton_order(pts, surv, cancel_flag())
        del surv
        L = s + nsurv
        checkpoint()
        tri, nbr, dead, freestk = _k.grow_state(tri, nbr, dead, freestk, cnt, L)
        on2 = np.empty(L, dtype=np.int64)
        on2[: cnt[_k.NON]] = on_list[: cnt[_k.NON]]
        on_list = on2
        start_of = np.empty(n, dtype=np.int32)  # touched only at vertices
        checkpoint()
        _k.insert_range(
            X, Y, Z, order, 0, nsurv, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, stop
        )
        checkpoint()
        del order, start_of
    if cnt[_k.ERR]:
        raise GeometryError("internal error in the 3D hull (walk); please report it")
    # 4. triangles of coplanar faces over corners only; lowest index per duplicate
    T = N = None
    if facets == "int32" and not cnt[_k.FLAT]:
        # compacted in place, int32 (scipy's index type): no second copy of the
        # facets, which would double the peak memory of points in convex position
        vertices = _k.corners(tri, dead, cnt[_k.HW], n)
        m = _k.compact_inplace(tri, nbr, dead, cnt[_k.HW], freestk)
        T, N = tri[:m], nbr[:m]
        del tri, nbr, dead, freestk
    elif facets or cnt[_k.FLAT]:
        del freestk
        T, N = _k.compact(tri, nbr, dead, cnt[_k.HW])
        del tri, nbr, dead
        if cnt[_k.FLAT]:
            T, N, ok = _k.merge_coplanar(X, Y, Z, T, N, n)
            if not ok:
                raise GeometryError("internal error in the 3D hull (faces); please report it")
        vertices = _k.corners(T, np.zeros(T.shape[0], dtype=np.uint8), T.shape[0], n)
        if facets == "int32":
            T, N = T.astype(np.int32), N.astype(np.int32)
    else:
        del freestk
        vertices = _k.corners(tri, dead, cnt[_k.HW], n)
        del tri, nbr, dead
    vertices, old, new = _k.lowest_duplicates(X, Y, Z, vertices, on_list, cnt[_k.NON])
    if T is not None:
        _k.rename(T, old, new)
    stats = {
        "sample": int(s),
        "survivors": int(nsurv),
        "coplanar_merged": bool(cnt[_k.FLAT]),
        "on_surface": int(cnt[_k.NON]),
        "walk_steps": int(cnt[_k.WSTEPS]),
        "visible": int(cnt[_k.NVIS]),
        "horizon": int(cnt[_k.NHOR]),
    }
    if not facets:
        T = N = None
    return T, N, vertices, stats


def hull3d(pts, facets=True):
    """Exact convex hull of 3D points.

    Parameters
    ----------
    pts : numpy.ndarray, float64, shape (n, 3), C-contiguous
        Validated finite points (``geoent._validation.as_points``), n >= 1.
    facets : bool or "int32"
        False: ``simplices`` and ``neighbors`` are None (the vertices alone need
        no compacted copy of the facets, which would double the peak memory of
        points in convex position). ``"int32"``: both are int32 (scipy's index
        type), compacted in place in the hull's own arrays (no copy).

    Returns
    -------
    Hull3D

    Raises
    ------
    RangeError
        When the coordinates span more binary orders of magnitude than exact
        orient3d supports.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._hull3d import hull3d
    >>> cube = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], float)
    >>> pts = np.vstack([cube, [[0.5, 0.5, 0.5], [0.5, 0.5, 0.0]]])
    >>> h = hull3d(pts)
    >>> h.vertices.tolist(), h.simplices.shape, h.dim
    ([0, 1, 2, 3, 4, 5, 6, 7], (12, 3), 3)
    """
    # one compiled pass decides whether scaling is needed at all (the common case
    # is not); check_exponent_range then scales or raises exactly as it would
    amax, amin = _abs_range(pts)
    if not in_exponent_window(amax, amin, 3):
        pts, _ = check_exponent_range(pts, 3)
    pts = np.ascontiguousarray(pts, dtype=np.float64)
    n = pts.shape[0]
    if 4 <= n <= _NO_FILTER_BELOW and facets in (False, "int32") and _one_call_small():
        # every point in the sample, no filter: the whole pipeline in one compiled
        # call (geoent._kernels.hull3d_small; the same kernels in the same order,
        # so the same result); its rare cases take the general path below
        if pts.flags.writeable:  # read-only, as the general path's kernels see it
            pts = pts.view()
            pts.flags.writeable = False
        status, T, N, vertices, st = _ks.small_hull(pts, facets == "int32")
        if status == _SMALL_OK:
            stats = {
                "sample": int(st[0]),
                "survivors": 0,
                "coplanar_merged": bool(st[2]),
                "on_surface": int(st[3]),
                "walk_steps": int(st[4]),
                "visible": int(st[5]),
                "horizon": int(st[6]),
            }
            if not facets:
                T = N = None
            return Hull3D(vertices, T, N, 3, stats)
    checkpoint()  # between kernels: Ctrl-C (geoent._interrupt)
    in_sample, sample = _k.choose_sample(n, _sample_size(n), 0x9E3779B9)
    checkpoint()
    dim, a, b, c, d = _k.find_tetra(pts, sample, cancel_flag())
    checkpoint()  # a cancelled find_tetra returned a made-up dim
    empty_stats = {}
    if dim == 0:
        return Hull3D(np.zeros(1, dtype=np.int64), None, None, 0, empty_stats)
    if dim == 1:
        lo, hi = _k.lex_extremes(pts)
        return Hull3D(np.array(sorted((lo, hi)), dtype=np.int64), None, None, 1, empty_stats)
    if dim == 2:
        return Hull3D(_planar_vertices(pts, a, b, c), None, None, 2, empty_stats)
    simplices, neighbors, vertices, stats = _hull_full(pts, a, b, c, d, in_sample, facets)
    return Hull3D(vertices, simplices, neighbors, 3, stats)
