"""Small exact point-in-region tests on the exact orient2d, shared by the kernel
families (the 2D hull filters certify their shapes with them, the entropy kernels
build and check partitions with them). Closed sets unless the name says strictly.
"""

from numba import njit

from .predicates import orient2d


@njit(inline="always", cache=True)
def _lex_le(ax, ay, bx, by):
    return ax < bx or (ax == bx and ay <= by)


@njit(cache=True)
def in_closed_triangle(ax, ay, bx, by, cx, cy, px, py):
    """Whether p lies in the closed triangle abc, of either orientation.

    A degenerate triangle is the segment (or point) its corners span; p belongs to it
    when it is collinear with it and between its lexicographic extremes.
    """
    o = orient2d(ax, ay, bx, by, cx, cy)
    if o > 0.0:
        return (
            orient2d(ax, ay, bx, by, px, py) >= 0.0
            and orient2d(bx, by, cx, cy, px, py) >= 0.0
            and orient2d(cx, cy, ax, ay, px, py) >= 0.0
        )
    if o < 0.0:
        return (
            orient2d(ax, ay, bx, by, px, py) <= 0.0
            and orient2d(bx, by, cx, cy, px, py) <= 0.0
            and orient2d(cx, cy, ax, ay, px, py) <= 0.0
        )
    # collinear corners: the extremes in lexicographic order span the segment
    ex, ey, fx, fy = ax, ay, ax, ay
    if not _lex_le(ex, ey, bx, by):
        ex, ey = bx, by
    if not _lex_le(ex, ey, cx, cy):
        ex, ey = cx, cy
    if _lex_le(fx, fy, bx, by):
        fx, fy = bx, by
    if _lex_le(fx, fy, cx, cy):
        fx, fy = cx, cy
    if ex == fx and ey == fy:
        return px == ex and py == ey
    if orient2d(ex, ey, fx, fy, px, py) != 0.0:
        return False
    return _lex_le(ex, ey, px, py) and _lex_le(px, py, fx, fy)


@njit(cache=True)
def in_convex_polygon(hx, hy, px, py):
    """Whether p lies in the closed convex polygon (hx, hy).

    The polygon is strictly convex and counter-clockwise with at least 3 vertices, or
    a segment (2 vertices) or a point (1 vertex). Binary search over the fan from
    vertex 0, so O(log m) exact orientation tests.
    """
    m = hx.shape[0]
    if m == 1:
        return px == hx[0] and py == hy[0]
    if m == 2:
        return in_closed_triangle(hx[0], hy[0], hx[1], hy[1], hx[1], hy[1], px, py)
    if orient2d(hx[0], hy[0], hx[1], hy[1], px, py) < 0.0:
        return False
    if orient2d(hx[0], hy[0], hx[m - 1], hy[m - 1], px, py) > 0.0:
        return False
    lo = 1
    hi = m - 1
    # largest i with orient(h0, h_i, p) >= 0 (monotone in i inside the cone)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if orient2d(hx[0], hy[0], hx[mid], hy[mid], px, py) >= 0.0:
            lo = mid
        else:
            hi = mid
    if lo < m - 1 and orient2d(hx[0], hy[0], hx[lo + 1], hy[lo + 1], px, py) >= 0.0:
        lo += 1
    if lo == m - 1:
        lo = m - 2
    return orient2d(hx[lo], hy[lo], hx[lo + 1], hy[lo + 1], px, py) >= 0.0


@njit(cache=True)
def strictly_inside_convex(vx, vy, px, py):
    """True when (px, py) lies strictly inside the CCW convex polygon (exact, O(m))."""
    m = vx.shape[0]
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        if orient2d(vx[i], vy[i], vx[j], vy[j], px, py) <= 0.0:
            return False
    return True
