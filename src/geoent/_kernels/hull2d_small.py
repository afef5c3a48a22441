"""The points of a small 2D set (up to a few thousand) that can be hull vertices.

Issue 13: a call on under 1,000 points should cost tens of microseconds, and most
of it went to sorting every point (numpy's argsort) and running the chain on all of
them. :func:`small_survivors` makes, in one compiled pass,

1. the exponent-window and non-finite check (``range_stats``);
2. the extreme points along x + y and x - y (four input points, so their
   quadrilateral lies inside the hull) and an axis-parallel box inside it, its four
   corners checked to lie strictly inside the quadrilateral with the exact orient2d
   (a box that fails the check is not used). A point strictly inside the box is
   strictly inside the hull, never a vertex: it is dropped after four comparisons,
   which are exact. On uniform input about nine points in ten go.

The caller sorts and chains the survivors (``hull2d.sorted_hull``). A one-call
variant that also sorted (a merge sort) and chained in this kernel answered 999
uniform points in 29-33 us instead of 46 us (interleaved medians, loaded machine,
``benchmarks/small_calls.py``) but raised the hull2d family's cold compile from
about 7 to 11 s of CPU (``benchmarks/cold_start.py``), so the sort stays numpy's and
the chain the existing kernel's.
"""

import numpy as np
from numba import njit

from .floats import range_stats
from .predicates import orient2d

#: exponent window of orient2d (``geoent._validation.EXPONENT_LIMITS[2]``): nonzero
#: |coordinates| in [2**-398, 2**490); checked equal by tests/test_small_calls.py
WINDOW_LO = 2.0**-398
WINDOW_HI = 2.0**490

OK = 0
NOT_FINITE = 1
RESCALE = 2


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
def small_survivors(q):
    """``(ids, status)`` for the flat coordinates ``q`` (x0, y0, x1, y1, ...).

    status ``OK``: ``ids`` are the points that may be hull vertices, ascending (the
    others lie strictly inside the hull); ``NOT_FINITE`` / ``RESCALE``: NaN or inf
    present / coordinates outside orient2d's exponent window (``ids`` empty,
    nothing computed).
    """
    n = q.shape[0] // 2
    amax, amin, bad = range_stats(q)
    if bad:
        return np.empty(0, dtype=np.int64), NOT_FINITE
    if amax != 0.0 and not (amin >= WINDOW_LO and amax < WINDOW_HI):
        return np.empty(0, dtype=np.int64), RESCALE
    x0, x1, y0, y1, ok = _inner_box(q, n)
    ids = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        x = q[2 * i]
        y = q[2 * i + 1]
        if ok and x0 < x < x1 and y0 < y < y1:
            continue
        ids[k] = i
        k += 1
    return ids[:k].copy(), OK
