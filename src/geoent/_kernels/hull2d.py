"""2D convex hull kernels: Andrew's monotone chain on the exact orient2d, and the
sort helpers around it (many small hulls at once are in ``hulls_batched``).

Conventions shared by every kernel here: the hull is the list of its
strictly convex vertices, counter-clockwise, starting at the lexicographically
smallest point (x, then y); among exact duplicates the lowest index stands for the
point; collinear input gives its two extremes, a single distinct point one index.
"""

import numpy as np
from numba import njit

from .gather import gather_xy
from .predicates import orient2d


@njit(cache=True)
def monotone_chain(x, y, order):
    """Andrew's monotone chain over points visited in lexicographic ``order``.

    The plain reference kernel (two full sweeps, no filters); the tests check the
    filtered engine against it.

    ``order`` holds distinct points sorted by (x, y). Returns the strictly convex
    vertices, counter-clockwise, from the lexicographically smallest; collinear
    boundary points are dropped because a turn must be strictly left
    (orient2d > 0) to be kept.
    """
    n = order.shape[0]
    hull = np.empty(2 * n + 1, dtype=np.int64)
    k = 0
    for t in range(n):
        i = order[t]
        while (
            k >= 2
            and orient2d(x[hull[k - 2]], y[hull[k - 2]], x[hull[k - 1]], y[hull[k - 1]], x[i], y[i])
            <= 0.0
        ):
            k -= 1
        hull[k] = i
        k += 1
    lower = k
    for t in range(n - 2, -1, -1):
        i = order[t]
        while (
            k > lower
            and orient2d(x[hull[k - 2]], y[hull[k - 2]], x[hull[k - 1]], y[hull[k - 1]], x[i], y[i])
            <= 0.0
        ):
            k -= 1
        hull[k] = i
        k += 1
    # the chain closes on its first vertex; drop the repeat (a single point has none)
    if k > 1:
        k -= 1
    return hull[:k].copy()


@njit(cache=True)
def chain_sorted(xs, ys, ids):
    """Hull (as ids) of points already sorted by (x, y, id).

    The points are first split by the line from the first (smallest) to the last
    (largest) distinct point, so that each point enters one chain only: about two
    orient2d per point instead of the four of the classic two full sweeps.
    """
    n = xs.shape[0]
    r = n - 1
    while r > 0 and xs[r] == xs[r - 1] and ys[r] == ys[r - 1]:
        r -= 1
    if r == 0:
        out = np.empty(1, dtype=np.int64)
        out[0] = ids[0]
        return out
    # positions fit 32 bits below 2**31 points: half the memory of 64
    if r < 2**31 - 1:
        return _split_chain(xs, ys, ids, r, np.empty(r + 1, np.int32), np.empty(r + 1, np.int32))
    return _split_chain(xs, ys, ids, r, np.empty(r + 1, np.int64), np.empty(r + 1, np.int64))


@njit(inline="always")
def _split_chain(xs, ys, ids, r, low, up):
    """:func:`chain_sorted` after its first steps: ``r`` the last distinct point,
    ``low`` and ``up`` (length r + 1) scratch for the positions of each chain's
    points.

    Each point is appended to both lists and the counts advance by the compare
    results, without a branch on its side: a branch per point on a random side,
    taken again in each chain's loop, cost more than the chain's own work (session
    7, thread CPU: 4,099 sample points of a 1e6 strip 77 -> 54 us, 1e5 points in a
    square 2.6 -> 1.55 ms).
    """
    n = xs.shape[0]
    lx = xs[0]
    ly = ys[0]
    rx = xs[r]
    ry = ys[r]
    low[0] = 0
    up[0] = 0
    nl = 1
    nu = 1
    for t in range(1, r):
        o = orient2d(lx, ly, rx, ry, xs[t], ys[t])
        # duplicates: only the first (lowest id) takes part; on the line: neither
        first = not (xs[t] == xs[t - 1] and ys[t] == ys[t - 1])
        low[nl] = t
        up[nu] = t
        nl += (o < 0.0) & first
        nu += (o > 0.0) & first
    low[nl] = r
    nl += 1
    hull = np.empty(n + 1, dtype=np.int64)
    k = 0
    for a in range(nl):
        t = low[a]
        while (
            k >= 2
            and orient2d(
                xs[hull[k - 2]], ys[hull[k - 2]], xs[hull[k - 1]], ys[hull[k - 1]], xs[t], ys[t]
            )
            <= 0.0
        ):
            k -= 1
        hull[k] = t
        k += 1
    lower = k
    # the upper chain from the last upper point back to the first point (r, the
    # lower chain's end, starts it)
    for a in range(nu - 1, -1, -1):
        t = up[a]
        while (
            k > lower
            and orient2d(
                xs[hull[k - 2]], ys[hull[k - 2]], xs[hull[k - 1]], ys[hull[k - 1]], xs[t], ys[t]
            )
            <= 0.0
        ):
            k -= 1
        hull[k] = t
        k += 1
    k -= 1  # the upper chain ends on the first point again
    out = np.empty(k, dtype=np.int64)
    for t in range(k):
        out[t] = ids[hull[t]]
    return out


@njit(inline="always")
def _lex_less(x0, y0, i0, x1, y1, i1):
    if x0 != x1:
        return x0 < x1
    if y0 != y1:
        return y0 < y1
    return i0 < i1


@njit(inline="always")
def _insertion_sort(xs, ys, ids, lo, hi):
    """Sort (xs, ys, ids)[lo:hi] by (x, y, id) in place."""
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


@njit(inline="always")
def _shell_sort_run(ys, ids, lo, hi):
    """Sort (ys, ids)[lo:hi] by (y, id) in place (Shell sort, Ciura's gaps): long
    runs of equal x (grids, heavy duplicates) without numba's own sorts, whose
    compilation would cost seconds."""
    gaps = (701, 301, 132, 57, 23, 10, 4, 1)
    n = hi - lo
    for gi in range(len(gaps)):
        g = gaps[gi]
        if g >= n:
            continue
        for a in range(lo + g, hi):
            y = ys[a]
            i = ids[a]
            b = a
            while b - g >= lo and (ys[b - g] > y or (ys[b - g] == y and ids[b - g] > i)):
                ys[b] = ys[b - g]
                ids[b] = ids[b - g]
                b -= g
            ys[b] = y
            ids[b] = i


@njit(cache=True)
def fix_ties(xs, ys, ids):
    """Given arrays sorted by x only, sort each run of equal x by (y, id) in place."""
    n = xs.shape[0]
    a = 0
    while a < n:
        b = a + 1
        while b < n and xs[b] == xs[a]:
            b += 1
        if b - a > 16:
            _shell_sort_run(ys, ids, a, b)
        elif b - a > 1:
            _insertion_sort(xs, ys, ids, a, b)
        a = b


@njit(cache=True)
def sorted_hull(q, ids):
    """Hull of the points ``ids``, given in order of x (ties in any order).

    One call for gather, tie fixing and chain: each numba call costs microseconds
    of dispatch, which matter for small inputs.
    """
    xs, ys = gather_xy(q, ids, ids.shape[0])
    ids = ids.copy()
    fix_ties(xs, ys, ids)
    return chain_sorted(xs, ys, ids)


@njit(cache=True)
def outside_extreme_quad(xs, ys):
    """Positions (ascending) of the points (xs, ys) not strictly inside the
    quadrilateral of their extremes: a leftmost, a lowest, a rightmost and a topmost
    point (first found), in that (counter-clockwise) order.

    The extremes along directions 90 degrees apart, taken in angular order, are
    corners of the set's hull in counter-clockwise order (weakly convex: repeats and
    collinear triples allowed), so a point strictly left of the four edges (exact
    orient2d) is strictly inside the hull: no vertex, and no duplicate of one (a
    repeated corner gives an edge of length 0, left of which nothing lies). The hull
    of what is returned is that of all the points, found with a sort of fewer: the
    engine's sample polygons (4,096 points of a 1e6 strip: about 20% left;
    session 7).
    """
    n = xs.shape[0]
    out = np.empty(n, dtype=np.int64)
    if n < 5:
        for i in range(n):
            out[i] = i
        return out
    a = 0
    b = 0
    c = 0
    d = 0
    for i in range(1, n):
        x = xs[i]
        y = ys[i]
        if x < xs[a]:
            a = i
        if y < ys[b]:
            b = i
        if x > xs[c]:
            c = i
        if y > ys[d]:
            d = i
    # distinct corners only: an edge of length 0 makes every orient2d on it an exact
    # zero, which the filter cannot certify (the slow exact stage on every point,
    # then nothing dropped). Of a triangle, the last edge is tested twice
    cand = (a, b, c, d)
    cor = np.empty(4, dtype=np.int64)
    m = 0
    for t in range(4):
        i = cand[t]
        if m == 0 or xs[i] != xs[cor[m - 1]] or ys[i] != ys[cor[m - 1]]:
            cor[m] = i
            m += 1
    if m > 1 and xs[cor[m - 1]] == xs[cor[0]] and ys[cor[m - 1]] == ys[cor[0]]:
        m -= 1
    # no area (collinear corners, a vertical line): every orient2d would be an exact
    # zero (slow) and nothing strictly inside
    c0, c1, c2, c3 = cor[0], cor[1], cor[2], cor[min(3, m - 1)]
    if m < 3 or (
        orient2d(xs[c0], ys[c0], xs[c1], ys[c1], xs[c2], ys[c2]) == 0.0
        and orient2d(xs[c0], ys[c0], xs[c2], ys[c2], xs[c3], ys[c3]) == 0.0
    ):
        for i in range(n):
            out[i] = i
        return out
    # edge t from corner t to corner t + 1 (a triangle tests its last edge twice)
    e0 = np.empty(4, dtype=np.int64)
    e1 = np.empty(4, dtype=np.int64)
    for t in range(4):
        e0[t] = cor[min(t, m - 1)]
        e1[t] = cor[(min(t, m - 1) + 1) % m]
    p0x, p0y, q0x, q0y = xs[e0[0]], ys[e0[0]], xs[e1[0]], ys[e1[0]]
    p1x, p1y, q1x, q1y = xs[e0[1]], ys[e0[1]], xs[e1[1]], ys[e1[1]]
    p2x, p2y, q2x, q2y = xs[e0[2]], ys[e0[2]], xs[e1[2]], ys[e1[2]]
    p3x, p3y, q3x, q3y = xs[e0[3]], ys[e0[3]], xs[e1[3]], ys[e1[3]]
    k = 0
    for i in range(n):
        x = xs[i]
        y = ys[i]
        # & not and: no branch per test (most points are inside)
        inside = (
            (orient2d(p0x, p0y, q0x, q0y, x, y) > 0.0)
            & (orient2d(p1x, p1y, q1x, q1y, x, y) > 0.0)
            & (orient2d(p2x, p2y, q2x, q2y, x, y) > 0.0)
            & (orient2d(p3x, p3y, q3x, q3y, x, y) > 0.0)
        )
        out[k] = i
        k += not inside
    return out[:k]


@njit(cache=True)
def few_descents(xs):
    """True when xs is made of few ascending runs (then a merge sort wins)."""
    d = 0
    for t in range(1, xs.shape[0]):
        d += xs[t] < xs[t - 1]
    return 32 * d < xs.shape[0]
