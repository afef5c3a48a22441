"""Ragged hull output: many hulls (as ``convex_hulls`` returns them) turned into the
flat coordinate arrays that shapely's ragged-array constructors take.

No predicate is evaluated here: the hulls are already exact; these kernels only
copy coordinates and compare them for the starting vertex (a comparison of two
doubles is exact).
"""

import numpy as np
from numba import njit


@njit(cache=True)
def hull_pieces(coords, offs, hidx, hoff, real):
    """Split hulls into polygons (3+ vertices), segments (2) and points (1).

    Parameters
    ----------
    coords : float64 (N, d)
        Every set's coordinates back to back (d >= 2; columns beyond the second
        are copied along, for instance z).
    offs : int64 (m + 1,)
        Set s is ``coords[offs[s]:offs[s + 1]]``.
    hidx, hoff : int64
        The hulls as ``convex_hulls`` returns them (indices local to the set,
        counter-clockwise from the lexicographically smallest vertex).
    real : int64 (m',)
        The sets to build (set ``real[i]`` becomes output ``i``); other sets, such
        as the closures of :func:`split_closures`, are skipped.

    Returns
    -------
    poly_ids, ring_offsets, ring
        Sets with a 2D hull and their closed rings, written the way GEOS writes a
        convex hull: clockwise, starting (and ending) at the vertex of lowest y,
        then lowest x.
    line_ids, line
        Sets with collinear hulls, two rows each: the lower (y, then x) extreme
        first, as GEOS orders the hull of three or more collinear points.
    point_ids, point
        Sets with one distinct point.
    """
    m = real.shape[0]
    d = coords.shape[1]
    # flat 1-D views: numba indexes 2-D arrays through run-time strides, which
    # blocks vectorisation of the copies
    cf = coords.reshape(-1)
    npoly = 0
    nline = 0
    npt = 0
    nring = 0
    for i in range(m):
        s = real[i]
        k = hoff[s + 1] - hoff[s]
        if k >= 3:
            npoly += 1
            nring += k + 1
        elif k == 2:
            nline += 1
        elif k == 1:
            npt += 1
    poly_ids = np.empty(npoly, dtype=np.int64)
    ring_off = np.empty(npoly + 1, dtype=np.int64)
    ring = np.empty(nring * d, dtype=np.float64)
    line_ids = np.empty(nline, dtype=np.int64)
    line = np.empty(2 * nline * d, dtype=np.float64)
    pt_ids = np.empty(npt, dtype=np.int64)
    pt = np.empty(npt * d, dtype=np.float64)
    ring_off[0] = 0
    ip = 0
    il = 0
    it = 0
    r = 0
    for i in range(m):
        s = real[i]
        h0 = hoff[s]
        k = hoff[s + 1] - h0
        base = offs[s]
        if k >= 3:
            # strictly convex vertices are distinct, so (y, x) has a unique minimum
            j0 = 0
            p = base + hidx[h0]
            by = cf[d * p + 1]
            bx = cf[d * p]
            for j in range(1, k):
                p = base + hidx[h0 + j]
                y = cf[d * p + 1]
                x = cf[d * p]
                if y < by or (y == by and x < bx):
                    j0 = j
                    by = y
                    bx = x
            for t in range(k + 1):
                p = base + hidx[h0 + (j0 - t + k) % k]  # backwards: clockwise
                for c in range(d):
                    ring[d * r + c] = cf[d * p + c]
                r += 1
            poly_ids[ip] = i
            ip += 1
            ring_off[ip] = r
        elif k == 2:
            p = base + hidx[h0]
            q = base + hidx[h0 + 1]
            if cf[d * q + 1] < cf[d * p + 1] or (
                cf[d * q + 1] == cf[d * p + 1] and cf[d * q] < cf[d * p]
            ):
                p, q = q, p
            for c in range(d):
                line[2 * il * d + c] = cf[d * p + c]
                line[(2 * il + 1) * d + c] = cf[d * q + c]
            line_ids[il] = i
            il += 1
        elif k == 1:
            p = base + hidx[h0]
            for c in range(d):
                pt[it * d + c] = cf[d * p + c]
            pt_ids[it] = i
            it += 1
    return (
        poly_ids,
        ring_off,
        ring.reshape(nring, d),
        line_ids,
        line.reshape(2 * nline, d),
        pt_ids,
        pt.reshape(npt, d),
    )


@njit(cache=True)
def split_closures(coords, counts):
    """Offsets that put each set's closing row (its last, when x and y repeat the
    set's first row) in a one-row set of its own, so the hull of the set proper
    never sees it; no coordinate is copied.

    Returns
    -------
    offs : int64 (m + c + 1,)
        Offsets of the new sets (c the number of closures split off).
    real : int64 (m,)
        Index among the new sets of each original set.
    """
    m = counts.shape[0]
    cf = coords.reshape(-1)
    d = coords.shape[1]
    closed = np.zeros(m, dtype=np.bool_)
    start = 0
    c = 0
    for s in range(m):
        k = counts[s]
        last = start + k - 1
        if k >= 2 and cf[d * last] == cf[d * start] and cf[d * last + 1] == cf[d * start + 1]:
            closed[s] = True
            c += 1
        start += k
    offs = np.empty(m + c + 1, dtype=np.int64)
    real = np.empty(m, dtype=np.int64)
    offs[0] = 0
    j = 0
    for s in range(m):
        real[s] = j
        if closed[s]:
            offs[j + 1] = offs[j] + counts[s] - 1
            offs[j + 2] = offs[j + 1] + 1
            j += 2
        else:
            offs[j + 1] = offs[j] + counts[s]
            j += 1
    return offs, real
