"""The 2D hull of a small point set (up to a few thousand points) in one call.

Issue 13: a call on under 1,000 points should cost tens of microseconds, and most
of that went to the steps around the work: a range pass, a copy, numpy's argsort of
every point, then the chain, each a separate call. :func:`small_hull` does them in
one compiled call and sorts only the points that can be vertices:

1. one pass for the exponent window and non-finite values (``range_stats``);
2. the extreme points along x + y and x - y (four input points, so their
   quadrilateral lies inside the hull) and an axis-parallel box inside it, its four
   corners checked to lie strictly inside the quadrilateral with the exact orient2d
   (a box that fails the check is not used). A point strictly inside the box is
   strictly inside the hull, never a vertex: it is dropped after four comparisons,
   which are exact. On uniform input about nine points in ten go;
3. the survivors sorted by (x, y, index) (a merge sort written here: numba's own
   sorts take seconds to compile) and Andrew's monotone chain (``chain_sorted``).

Same conventions and same result as ``hull2d.sorted_hull`` on all the points.
"""

import numpy as np
from numba import njit

from .floats import range_stats
from .hull2d import chain_sorted
from .predicates import orient2d

#: exponent window of orient2d (``geoent._validation.EXPONENT_LIMITS[2]``): nonzero
#: |coordinates| in [2**-398, 2**490); checked equal by tests/test_small_calls.py
WINDOW_LO = 2.0**-398
WINDOW_HI = 2.0**490

#: more survivors than this: hand them back, numpy's argsort sorts them faster
SORT_HERE_MAX = 1024

OK = 0
NOT_FINITE = 1
RESCALE = 2
SURVIVORS = 3


@njit(cache=True)
def _lex_less(x0, y0, i0, x1, y1, i1):
    if x0 != x1:
        return x0 < x1
    if y0 != y1:
        return y0 < y1
    return i0 < i1


@njit(cache=True)
def _merge_sort(xs, ys, ids):
    """Sort (xs, ys, ids) by (x, y, id) in place: bottom-up merge sort, insertion
    sort of runs of 16 first."""
    n = xs.shape[0]
    run = 16
    for lo in range(0, n, run):
        hi = min(n, lo + run)
        for a in range(lo + 1, hi):
            x = xs[a]
            y = ys[a]
            i = ids[a]
            b = a - 1
            while b >= lo and _lex_less(x, y, i, xs[b], ys[b], ids[b]):
                xs[b + 1] = xs[b]
                ys[b + 1] = ys[b]
                ids[b + 1] = ids[b]
                b -= 1
            xs[b + 1] = x
            ys[b + 1] = y
            ids[b + 1] = i
    if n <= run:
        return
    tx = np.empty(n)
    ty = np.empty(n)
    ti = np.empty(n, dtype=np.int64)
    width = run
    swaps = 0
    src_x, src_y, src_i, dst_x, dst_y, dst_i = xs, ys, ids, tx, ty, ti
    while width < n:
        for lo in range(0, n, 2 * width):
            mid = min(n, lo + width)
            hi = min(n, lo + 2 * width)
            a = lo
            b = mid
            for k in range(lo, hi):
                if b >= hi or (
                    a < mid
                    and not _lex_less(src_x[b], src_y[b], src_i[b], src_x[a], src_y[a], src_i[a])
                ):
                    dst_x[k] = src_x[a]
                    dst_y[k] = src_y[a]
                    dst_i[k] = src_i[a]
                    a += 1
                else:
                    dst_x[k] = src_x[b]
                    dst_y[k] = src_y[b]
                    dst_i[k] = src_i[b]
                    b += 1
        src_x, src_y, src_i, dst_x, dst_y, dst_i = dst_x, dst_y, dst_i, src_x, src_y, src_i
        width *= 2
        swaps += 1
    if swaps % 2 == 1:  # the sorted data is in the scratch arrays
        xs[:] = src_x
        ys[:] = src_y
        ids[:] = src_i


@njit(cache=True)
def _inner_box(q, n):
    """``(x0, x1, y0, y1, ok)``: a box whose closed area lies strictly inside the hull
    of the points (``ok`` False when none was found)."""
    a = b = c = e = 0  # argmin x+y, argmax x-y, argmax x+y, argmin x-y
    smin = smax = q[0] + q[1]
    dmin = dmax = q[0] - q[1]
    for i in range(1, n):
        x = q[2 * i]
        y = q[2 * i + 1]
        s = x + y
        d = x - y
        if s < smin:
            smin = s
            a = i
        if s > smax:
            smax = s
            c = i
        if d > dmax:
            dmax = d
            b = i
        if d < dmin:
            dmin = d
            e = i
    x0 = max(q[2 * a], q[2 * e])
    x1 = min(q[2 * b], q[2 * c])
    y0 = max(q[2 * a + 1], q[2 * b + 1])
    y1 = min(q[2 * c + 1], q[2 * e + 1])
    w = x1 - x0
    h = y1 - y0
    if not (w > 0.0 and h > 0.0):
        return x0, x1, y0, y1, False
    # pulled in a little: corners taken from the quadrilateral's own vertices would
    # lie on its boundary (a disk), not strictly inside
    x0 += w / 64.0
    x1 -= w / 64.0
    y0 += h / 64.0
    y1 -= h / 64.0
    quad = (a, b, c, e)
    cx = (x0, x1, x1, x0)
    cy = (y0, y0, y1, y1)
    # every corner strictly left of every edge p -> r (exact; fails on a degenerate
    # quadrilateral, where an edge has p == r). One orient2d call site in a loop,
    # not sixteen: each site inlines the predicate, and compile time grows with them
    for t in range(16):
        p = quad[t // 4]
        r = quad[(t // 4 + 1) % 4]
        if not orient2d(q[2 * p], q[2 * p + 1], q[2 * r], q[2 * r + 1], cx[t % 4], cy[t % 4]) > 0.0:
            return x0, x1, y0, y1, False
    return x0, x1, y0, y1, True


@njit(cache=True)
def small_hull(q, sort_max):
    """``(ids, status)`` for the flat coordinates ``q`` (x0, y0, x1, y1, ...).

    status ``OK``: ``ids`` is the hull (strictly convex vertices, counter-clockwise
    from the lexicographically smallest, lowest index among duplicates);
    ``NOT_FINITE`` / ``RESCALE``: NaN or inf present / coordinates outside orient2d's
    exponent window (``ids`` empty, nothing computed); ``SURVIVORS``: ``ids`` are
    the points that may be vertices, ascending, when there are more than
    ``sort_max`` of them (``sort_max < 0``: always; ``SORT_HERE_MAX`` is the
    measured crossover with numpy's argsort).
    """
    n = q.shape[0] // 2
    amax, amin, bad = range_stats(q)
    if bad:
        return np.empty(0, dtype=np.int64), NOT_FINITE
    if amax != 0.0 and not (amin >= WINDOW_LO and amax < WINDOW_HI):
        return np.empty(0, dtype=np.int64), RESCALE
    x0, x1, y0, y1, ok = _inner_box(q, n)
    xs = np.empty(n)
    ys = np.empty(n)
    ids = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        x = q[2 * i]
        y = q[2 * i + 1]
        if ok and x0 < x < x1 and y0 < y < y1:
            continue
        xs[k] = x
        ys[k] = y
        ids[k] = i
        k += 1
    if sort_max < 0 or k > sort_max:
        return ids[:k].copy(), SURVIVORS
    xs = xs[:k]
    ys = ys[:k]
    ids = ids[:k]
    _merge_sort(xs, ys, ids)
    return chain_sorted(xs, ys, ids), OK
