"""The 2D Delaunay triangulation of a small point set in one compiled call (issue 13).

``geoent.delaunay`` on a few hundred points made seven kernel calls (the Hilbert
order's three, the gather, the triangulation, the count, the extraction) and as many
numpy steps, which cost more than the work: about 45 us on 10 points, of which the
triangulation itself is about 1 us. :func:`small_delaunay` runs the same kernels in
the same order (``geoent.triangulation._build`` with ``order="hilbert"``, without
the neighbours), so the triangles are the same, index for index.

Arrays in, arrays out; nothing here validates its input (``geoent.triangulation``
does).
"""

import math

import numpy as np
from numba import njit

from .delaunay2d import (
    NO_EXTENT,
    OK,
    count_finite,
    extract_into,
    extract_simplices,
    hull_cycle,
    triangulate,
    vertex_labels,
)
from .gather import gather_xy_extent
from .ordering import hilbert_keys, multiscale, refine_runs

#: the coordinates need rescaling for exact in-circle tests (the caller takes the
#: general path, which scales them)
RESCALE = 3
#: ``geoent._ordering.multiscale_hilbert_order``'s ``base`` and ``leaf``
BASE = 8
LEAF = 8


@njit(cache=True, nogil=True)
def _hilbert_perm(pts, table, cancel):
    """``geoent._ordering.multiscale_hilbert_order`` of the (n, 2) points: fixed-grid
    keys, one sort of the keys (distinct: they hold the index), the refinement of
    crowded cells, then the rounds (``hilbert_sort_indices``, ``multiscale``). One
    call per triangulation, so the arrays it is passed cost nothing per point."""
    n = pts.shape[0]
    x = pts[:, 0]
    y = pts[:, 1]
    idx = np.arange(n, dtype=np.int64)
    noprefix = np.empty(0, dtype=np.int64)
    if n > 1:
        idx_bits = 0
        v = n - 1
        while v > 0:  # int(n - 1).bit_length()
            idx_bits += 1
            v >>= 1
        idx_bits = max(1, idx_bits)
        words, single = hilbert_keys(x, y, idx, table, idx_bits, noprefix, 0, cancel)
        if not single:
            words.sort()
            refine_runs(x, y, idx, words, idx_bits, table, LEAF, noprefix, cancel)
    perm = multiscale(idx, BASE, cancel)
    return perm


@njit(cache=True, nogil=True)
def small_delaunay(pts, table, win_lo, win_hi, cancel):
    """``(status, simplices)`` of the (n, 2) points ``pts``: ``geoent.triangulation.
    _build(pts, "hilbert", full=False)``'s steps in one call.

    The insertion order is :func:`_hilbert_perm`'s, ``table`` being
    ``geoent._ordering.HILBERT_TABLE``. ``(win_lo, win_hi)`` is the exponent window
    of the in-circle test (``geoent._validation.EXPONENT_LIMITS[4]``): outside it,
    status ``RESCALE`` and no triangulation. ``NO_EXTENT``: fewer than three
    non-collinear distinct points. ``OK``: the counter-clockwise triangles (int64).
    """
    n = pts.shape[0]
    perm = _hilbert_perm(pts, table, cancel)
    empty = np.empty((0, 3), dtype=np.int64)
    if n < 3:
        return NO_EXTENT, empty
    xs, ys, amax, amin = gather_xy_extent(pts, perm, cancel)
    # geoent._validation.in_exponent_window(amax, amin, 4)
    if amax != 0.0 and not (win_lo <= math.frexp(amin)[1] - 1 and math.frexp(amax)[1] <= win_hi):
        return RESCALE, empty
    tri = np.empty(6 * n, np.int32)
    opp = np.empty(6 * n, np.int32)
    dup = np.full(n, -1, np.int32)
    nt, status = triangulate(xs, ys, tri, opp, dup, 0, cancel)
    if status != OK:
        return status, empty
    anydup = False
    for i in range(n):
        if dup[i] >= 0:
            anydup = True
            break
    label = vertex_labels(perm, dup) if anydup else perm
    m = count_finite(tri, nt, n, cancel)
    out = np.empty((m, 3), np.int64)
    extract_simplices(tri, nt, n, label, out, cancel)
    return OK, out


#: exact duplicates among the points (the caller takes the general path, whose
#: ``vertex_maps`` lists them in ``coplanar``)
DUPLICATES = 4


@njit(cache=True, nogil=True)
def small_delaunay_full(pts, table, win_lo, win_hi, cancel):
    """``(status, simplices, neighbors, hull_edges, vertex_to_simplex, min_bound,
    max_bound)``:
    ``geoent.triangulation._build(pts, "hilbert", full=True)``'s steps and the
    arrays ``Delaunay`` keeps, in one call (scipy's index dtype, int32; the hull
    edges int64 as ``hull_cycle`` gives them; the bounds empty when one is zero).
    Status as :func:`small_delaunay`,
    or ``DUPLICATES`` (nothing computed past the triangulation)."""
    n = pts.shape[0]
    perm = _hilbert_perm(pts, table, cancel)
    e32 = np.empty((0, 3), dtype=np.int32)
    e64 = np.empty((0, 2), dtype=np.int64)
    ev = np.empty(0, dtype=np.int32)
    ef = np.empty(0)
    if n < 3:
        return NO_EXTENT, e32, e32, e64, ev, ef, ef
    xs, ys, amax, amin = gather_xy_extent(pts, perm, cancel)
    if amax != 0.0 and not (win_lo <= math.frexp(amin)[1] - 1 and math.frexp(amax)[1] <= win_hi):
        return RESCALE, e32, e32, e64, ev, ef, ef
    tri = np.empty(6 * n, np.int32)
    opp = np.empty(6 * n, np.int32)
    dup = np.full(n, -1, np.int32)
    nt, status = triangulate(xs, ys, tri, opp, dup, 0, cancel)
    if status != OK:
        return status, e32, e32, e64, ev, ef, ef
    for i in range(n):
        if dup[i] >= 0:
            return DUPLICATES, e32, e32, e64, ev, ef, ef
    label = perm
    m = count_finite(tri, nt, n, cancel)
    simplices = np.empty((m, 3), np.int32)
    neighbors = np.empty((m, 3), np.int32)
    vtri = np.full(n, -1, np.int32)
    newid = np.empty(nt, np.int32)
    extract_into(tri, opp, nt, n, label, simplices, neighbors, vtri, newid, cancel)
    hull_edges = hull_cycle(tri, opp, nt, n, label, cancel)
    # geoent._vertex_maps.vertex_maps without duplicates
    v2s = np.full(n, -1, np.int32)
    for j in range(n):
        if vtri[j] >= 0:
            v2s[label[j]] = vtri[j]
    # pts.min(axis=0) and pts.max(axis=0), unless an extreme is zero: numpy's
    # reductions may give either sign of a zero, so the caller takes those then
    lo = np.empty(2)
    hi = np.empty(2)
    for c in range(2):
        a = pts[0, c]
        b = pts[0, c]
        for i in range(1, n):
            w = pts[i, c]
            if w < a:
                a = w
            if w > b:
                b = w
        lo[c] = a
        hi[c] = b
        if a == 0.0 or b == 0.0:
            lo = np.empty(0)
            hi = np.empty(0)
            break
    return OK, simplices, neighbors, hull_edges, v2s, lo, hi
