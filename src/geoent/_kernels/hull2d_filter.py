"""Throw-away filters for the 2D hull: drop points certainly strictly inside the hull.

A point strictly inside a convex polygon whose corners lie in the hull is strictly
inside the hull, so it is no hull vertex and can be discarded before the exact
chain runs. These kernels decide "certainly strictly inside" in plain floating
point with a proven error margin: a point whose floating-point test says "inside
by more than the margin" is inside exactly; every other point is kept and handed
to the exact stage. The margins are derived in the comments next to them; they
assume the coordinates lie in the exponent window of
``geoent._validation.EXPONENT_LIMITS[2]`` (no overflow, no subnormal products),
which the callers check with the range statistics these passes return.

Speed notes (why the loops are shaped as they are; numba 0.68):

* the input (n, 2) array is read through a flat 1-D view (``pts.reshape(-1)``);
  numba indexes 2-D arrays through run-time strides, which blocks vectorisation
  (a 2-D version of the octagon pass ran 5-8 times slower);
* float min/max reductions only vectorise through ``llvm.minnum``/``llvm.maxnum``
  with the ``nnan nsz`` flags; Python's ``min`` compiles to a compare-and-branch
  chain, and a conditional expression inside the loop stops vectorisation too
  (the fan pass below);
* the round-1 octagon pass joins compares with ``&`` instead (no min chain): a NaN
  or infinite coordinate fails a compare with a finite bound, so such a point
  survives and is counted among the survivors only (nothing per point);
* each pass works on blocks: a branch-free, vectorised loop computes a keep mask
  for the block, and only blocks with survivors are compacted, 8 mask bytes at a
  time (``floats.compact_keep``, which also copies the survivors' coordinates
  while they are in L1); the block is a sliced view, which gives LLVM a
  unit-stride base pointer; the octagon pass asks for 512-bit vectors
  (``floats.prefer_wide_vectors``).

No function here is compiled with ``fastmath``: only the min/max calls carry the
two flags, and min/max of non-NaN values return one of their arguments exactly,
so no sign a test depends on can change.
"""

import math

import numpy as np
from numba import njit

from .floats import TINY as _TINY
from .floats import U as _U
from .floats import compact_keep, fma, fmax, fmin, prefer_wide_vectors
from .geometry import in_convex_polygon, strictly_inside_convex
from .predicates import orient2d

_BLOCK = 512


# ---------------------------------------------------------------------------
# round 1: a fixed-normal octagon, one pass over all points
# ---------------------------------------------------------------------------


@njit(inline="always")
def _octagon_block(qb, c, keep):
    xlo = c[0]
    xhi = c[1]
    ylo = c[2]
    yhi = c[3]
    slo = c[4]
    shi = c[5]
    tlo = c[6]
    thi = c[7]
    cnt = 0
    for j in range(keep.shape[0]):
        x = qb[2 * j]
        y = qb[2 * j + 1]
        s = x + y
        t = x - y
        # compares joined by & (no branch, no min chain): a NaN or infinite
        # coordinate fails one of the finite bounds, so such a point survives
        ins = (x > xlo) & (x < xhi) & (y > ylo) & (y < yhi)
        ins &= (s > slo) & (s < shi) & (t > tlo) & (t < thi)
        k = np.uint8(1) - np.uint8(ins)
        keep[j] = k
        cnt += k
    return cnt


@njit(cache=True, nogil=True)
def octagon_pass(q, c, out, xy, cancel):
    """Indices of the points not certainly inside the octagon ``c``.

    ``c = [xlo, xhi, ylo, yhi, slo, shi, tlo, thi]`` (margins already applied, see
    :func:`octagon_constants`): point (x, y) is dropped when every one of
    ``xlo < x < xhi``, ``ylo < y < yhi``, ``slo < fl(x + y) < shi`` and
    ``tlo < fl(x - y) < thi`` holds. Returns ``(k, bad)``: survivors in ``out[:k]``
    (ascending), the coordinates of the first ``len(xy) // 2`` of them in ``xy``
    (interleaved), and the count of
    non-finite values (every point holding one survives). No range
    statistics over all points: every dropped point lies in the octagon, inside the
    polygon its constants came from, whose corners (input points, never strictly
    inside) survive, so the caller's exponent-window check on the survivors bounds
    every value this pass computed. ``cancel`` (uint8, length 1) is read every 64
    blocks: once set (Ctrl-C) the pass returns ``(-1, 0)``.
    """
    prefer_wide_vectors()  # 512-bit vectors where the CPU has them (floats.py)
    n = q.shape[0] // 2
    keep = np.empty(_BLOCK, dtype=np.uint8)
    k = 0
    bad = 0
    for base in range(0, n, _BLOCK):
        # cancel[base % 1], not cancel[0]: a fixed address would be loaded once
        if (base & (64 * _BLOCK - 1)) == 0 and cancel[base % cancel.shape[0]]:
            return -1, 0
        c_n = min(_BLOCK, n - base)
        kb = keep[:c_n]
        # a sliced view gives LLVM a unit-stride base pointer (2 * (base + j) does not)
        qb = q[2 * base : 2 * (base + c_n)]
        cnt = _octagon_block(qb, c, kb)
        if cnt:
            # the non-finite are among the survivors: counted there
            k, b = compact_keep(keep, c_n, cnt, base, qb, out, xy, k)
            bad += b
    return k, bad


# ---------------------------------------------------------------------------
# round 1: a disk inside the polygon, one pass over all points (issue 12)
# ---------------------------------------------------------------------------
#
# On round shapes (a disk, an annulus) many points lie near the hull, and a polygon
# of 16 edges still keeps 2.5% of a disk's points (303,683 of 1e7 with the exact hull
# as hint) and 97% of a 1%-thick annulus's. A disk inscribed in the filter polygon P
# keeps only the points between it and P: with P the exact hull of 1e7 points in a
# disk, a few thousand. Its test is one subtraction pair, one multiply and one FMA
# a point (cheaper than the octagon's compares).

_CIRCLE_SLACK = 2.0**-40  # relative slack of the radius bound, far above the ~40u used


@njit(cache=True)
def circle_constants(vx, vy):
    """Centre and threshold of a disk inside the polygon (vx, vy) (CCW, strictly
    convex, corners input points in the exact exponent window): ``(ok, c)`` with
    ``c = [cx, cy, T]``; a point with ``fl(fma(dy, dy, fl(dx dx))) < T``, dx =
    fl(x - cx), dy = fl(y - cy), is strictly inside the polygon.

    The centre is the polygon's area centroid in floating point (any point would do:
    the bound below is certified for the centre as rounded; the vertex mean would be
    off by about R / sqrt(h) on a disk's hull). For edge i (v_i to v_i+1, e =
    v_i+1 - v_i, d0 = c - v_i), the exact cross(e, d0) is the distance from c to the
    edge's line times |e|; its computed value is off by at most 4.1u S, S = |e_x|
    |d0_y| + |e_y| |d0_x| (the derivation of ``polygon_forms``), so cl = fl(cross) -
    16u S - TINY is below it (the subtraction's own rounding, at most u |cross| <=
    u S, is covered). The edge length is bounded above by sqrt(fl(e_x^2 + e_y^2)
    (1 + 8u)) and each division, square root and square rounds by at most u, so r =
    min_i fl(cl_i / sqrt(...)) (1 - 2**-40) is at most the exact distance from c to
    every edge line (when every cl_i > 0: c strictly inside). The computed squared
    distance s satisfies s >= (1 - u)^3 d^2 - 2**-1073 (relative error of the
    subtraction, the square and the FMA; subnormal products off by at most
    2**-1075 each), so s < T with T = fl(r r) (1 - 2**-40) - TINY implies d^2 < r^2
    <= the squared distance to every edge: p is strictly inside the polygon.
    Only degree-2 quantities are formed (the window of ``EXPONENT_LIMITS[2]``).
    ``ok`` is False when no certified disk exists (c not certainly inside).
    """
    m = vx.shape[0]
    c = np.zeros(3)
    if m < 3:
        return False, c
    # area centroid, relative to the first corner (sizes at the polygon's scale)
    x0 = vx[0]
    y0 = vy[0]
    a2 = 0.0
    sx = 0.0
    sy = 0.0
    for i in range(1, m - 1):
        ax = vx[i] - x0
        ay = vy[i] - y0
        bx = vx[i + 1] - x0
        by = vy[i + 1] - y0
        w = ax * by - ay * bx
        a2 += w
        sx += w * (ax + bx)
        sy += w * (ay + by)
    if not a2 > 0.0:
        return False, c
    cx = x0 + sx / (3.0 * a2)
    cy = y0 + sy / (3.0 * a2)
    r = np.inf
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        ex = vx[j] - vx[i]
        ey = vy[j] - vy[i]
        d0x = cx - vx[i]
        d0y = cy - vy[i]
        S = abs(ex) * abs(d0y) + abs(ey) * abs(d0x)
        cl = (ex * d0y - ey * d0x) - 16.0 * _U * S - _TINY
        e2 = ex * ex + ey * ey
        if not (cl > 0.0 and e2 > 0.0 and e2 < np.inf):
            return False, c
        r = min(r, cl / math.sqrt(e2 * (1.0 + 8.0 * _U)))
    r *= 1.0 - _CIRCLE_SLACK
    c[0] = cx
    c[1] = cy
    c[2] = r * r * (1.0 - _CIRCLE_SLACK) - _TINY
    return True, c


@njit(inline="always")
def _circle_block(qb, c, keep):
    cx = c[0]
    cy = c[1]
    T = c[2]
    cnt = 0
    for j in range(keep.shape[0]):
        dx = qb[2 * j] - cx
        dy = qb[2 * j + 1] - cy
        # a NaN or infinite coordinate makes the sum NaN or inf: the compare
        # fails and the point survives
        k = np.uint8(1) - np.uint8(fma(dy, dy, dx * dx) < T)
        keep[j] = k
        cnt += k
    return cnt


@njit(cache=True, nogil=True)
def circle_pass(q, c, out, xy, cancel):
    """:func:`octagon_pass` with the disk ``c`` of :func:`circle_constants`: the
    points not certainly inside it, ``(k, bad)`` with the same meaning (every
    dropped point lies in the disk, inside the polygon whose corners survive, so
    the caller's window check on the survivors covers it)."""
    prefer_wide_vectors()
    n = q.shape[0] // 2
    keep = np.empty(_BLOCK, dtype=np.uint8)
    k = 0
    bad = 0
    for base in range(0, n, _BLOCK):
        if (base & (64 * _BLOCK - 1)) == 0 and cancel[base % cancel.shape[0]]:
            return -1, 0
        c_n = min(_BLOCK, n - base)
        kb = keep[:c_n]
        qb = q[2 * base : 2 * (base + c_n)]
        cnt = _circle_block(qb, c, kb)
        if cnt:
            # the non-finite are among the survivors: counted there
            k, b = compact_keep(keep, c_n, cnt, base, qb, out, xy, k)
            bad += b
    return k, bad


@njit(cache=True)
def count_not_in_circle(c, q, probe):
    """How many probe points :func:`circle_pass` keeps (the engine's estimate)."""
    cnt = 0
    for t in range(probe.shape[0]):
        i = probe[t]
        dx = q[2 * i] - c[0]
        dy = q[2 * i + 1] - c[1]
        cnt += not (fma(dy, dy, dx * dx) < c[2])
    return cnt


_DIRS = np.array(
    [
        [1.0, 0.0],
        [1.0, 1.0],
        [0.0, 1.0],
        [-1.0, 1.0],
        [-1.0, 0.0],
        [-1.0, -1.0],
        [0.0, -1.0],
        [1.0, -1.0],
    ]
)


@njit(cache=True)
def _octagon_corners(c):
    """Corners w_k = L_k ∩ L_{k+1} of the lines d_k . p = c_k (exact for grid-aligned c)."""
    w = np.empty((8, 2))
    w[0, 0] = c[0]
    w[0, 1] = c[1] - c[0]
    w[1, 0] = c[1] - c[2]
    w[1, 1] = c[2]
    w[2, 0] = c[2] - c[3]
    w[2, 1] = c[2]
    w[3, 0] = -c[4]
    w[3, 1] = c[3] - c[4]
    w[4, 0] = -c[4]
    w[4, 1] = c[4] - c[5]
    w[5, 0] = c[6] - c[5]
    w[5, 1] = -c[6]
    w[6, 0] = c[7] - c[6]
    w[6, 1] = -c[6]
    w[7, 0] = c[0]
    w[7, 1] = c[0] - c[7]
    return w


@njit(inline="always")
def _corner_slope(k, j):
    """d(corner L_k ∩ L_{k+1}) / d(c_j) for j in (k, k + 1)."""
    d = _DIRS
    k1 = (k + 1) % 8
    det = d[k, 0] * d[k1, 1] - d[k, 1] * d[k1, 0]
    if j == k:
        return d[k1, 1] / det, -d[k1, 0] / det
    return -d[k, 1] / det, d[k, 0] / det


@njit(cache=True)
def octagon_constants(vx, vy):
    """Test constants of a fixed-normal octagon Q inside the convex polygon (vx, vy).

    The polygon is counter-clockwise and strictly convex with corners in the hull
    (polygons of more than 256 corners are thinned first: still inside). Q = {p :
    d_k . p < c_k} for the eight directions d_k = (1,0), (1,1), (0,1), ... (every 45
    degrees). Q grows from the polygon's vertex mean o: sweep after sweep, each c_k
    moves out by half (in the last sweeps all) of what keeps the two corners on line
    k, w_{k-1} and w_k (w_k = L_k ∩ L_{k+1}), inside the polygon. Then Q is shrunk
    about o (a homothety keeps corners inside a convex polygon) by enough to absorb
    the next step, rounding the c_k down onto a grid of 2**(E - 45) (E bounds every
    magnitude), which makes the corners exactly representable. Nothing so far needs
    to be exact: Q is accepted only when its eight corners lie in the polygon,
    checked exactly (orient2d), and Q lies in the hull of its corners.

    Returns ``(ok, c8)`` with ``c8`` the constants of :func:`octagon_pass`.
    """
    m0 = vx.shape[0]
    out = np.empty(8)
    for k in range(4):
        out[2 * k] = np.inf  # a disabled octagon: nothing is "inside"
        out[2 * k + 1] = -np.inf
    if m0 < 3:
        return False, out
    # a many-cornered polygon is thinned to at most 256 corners (still inside)
    step = (m0 + 255) // 256
    m = (m0 + step - 1) // step
    px = np.empty(m)
    py = np.empty(m)
    for i in range(m):
        px[i] = vx[i * step]
        py[i] = vy[i * step]
    if m < 3:
        return False, out
    d = _DIRS
    ox = 0.0
    oy = 0.0
    for i in range(m):
        ox += px[i]
        oy += py[i]
    ox /= m
    oy /= m
    ext = 0.0
    big = 0.0
    for i in range(m):
        ext = max(ext, abs(px[i] - px[0]), abs(py[i] - py[0]))
        big = max(big, abs(px[i]), abs(py[i]))
    if not ext > 0.0 or not strictly_inside_convex(px, py, ox, oy):
        return False, out
    # outward edge normals and offsets, relative to o (no cancellation at offsets)
    nx = np.empty(m)
    ny = np.empty(m)
    h = np.empty(m)
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        nx[i] = py[j] - py[i]
        ny[i] = px[i] - px[j]
        h[i] = nx[i] * (px[i] - ox) + ny[i] * (py[i] - oy)
    r_in = np.inf  # distance from o to the polygon's boundary
    for i in range(m):
        length = math.hypot(nx[i], ny[i])
        # a repeated corner has no edge; a rounded offset of 0 (o within rounding of
        # an edge of an ulp-thin polygon) leaves no room: no octagon then, not 0 / 0
        if length > 0.0:
            r_in = min(r_in, h[i] / length)
    if not (r_in > 0.0 and r_in < np.inf):
        return False, out
    c = np.zeros(8)  # relative to o: the octagon starts as the point o
    for sweep in range(24):
        frac = 0.5 if sweep < 20 else 1.0
        for k in range(8):
            kp = (k + 7) % 8
            w = _octagon_corners(c)
            t = np.inf
            for corner in range(2):
                if corner == 0:
                    wk = k
                    gx, gy = _corner_slope(k, k)
                else:
                    wk = kp
                    gx, gy = _corner_slope(kp, k)
                for i in range(m):
                    sl = nx[i] * gx + ny[i] * gy
                    if sl > 0.0:
                        t = min(t, (h[i] - nx[i] * w[wk, 0] - ny[i] * w[wk, 1]) / sl)
            if t > 0.0 and t < np.inf:
                c[k] += frac * t
    for k in range(8):
        big = max(big, abs(c[k]) + abs(ox) + abs(oy))
    e = math.frexp(big)[1] + 1
    g = math.ldexp(1.0, e - 45)
    # Shrink about o (a homothety keeps the corners inside the convex polygon) by
    # enough that rounding the c_k down by up to g cannot push a corner out.
    shrink = 1e-9 + 8.0 * g / r_in
    if not shrink < 0.01:
        return False, out
    for k in range(8):
        c[k] = c[k] * (1.0 - shrink) + d[k, 0] * ox + d[k, 1] * oy
        c[k] = math.floor(c[k] / g) * g
    if c[0] + c[4] <= 0.0 or c[2] + c[6] <= 0.0 or c[1] + c[5] <= 0.0 or c[3] + c[7] <= 0.0:
        return False, out
    # Every point of Q lies in the hull of the corners w_k = L_k ∩ L_{k+1} (along
    # line k, Q cannot pass w_k without leaving constraint k + 1, nor w_{k-1} without
    # leaving k - 1), so corners in the polygon put Q in the polygon. The corners are
    # sums of two grid values: exact.
    w = _octagon_corners(c)
    for a in range(8):
        for i in range(m):
            j = i + 1 if i + 1 < m else 0
            if orient2d(px[i], py[i], px[j], py[j], w[a, 0], w[a, 1]) < 0.0:
                return False, out
    # Margins for fl(x + y), fl(x - y): a point passing the axis tests has |x| <= X,
    # |y| <= Y, so |fl(s) - s| <= u (X + Y); 4u (X + Y) also absorbs the rounding of
    # the shifted constants themselves.
    X = max(abs(c[0]), abs(c[4]))
    Y = max(abs(c[2]), abs(c[6]))
    mu = 4.0 * _U * (X + Y) + _TINY
    out[0] = -c[4]
    out[1] = c[0]
    out[2] = -c[6]
    out[3] = c[2]
    out[4] = -c[5] + mu
    out[5] = c[1] - mu
    out[6] = -c[3] + mu
    out[7] = c[7] - mu
    return True, out


# ---------------------------------------------------------------------------
# later rounds: a fan of triangles inside a many-cornered polygon, O(1) per point
# ---------------------------------------------------------------------------


@njit(inline="always")
def _pseudo_angle(dx, dy):
    """Monotone stand-in for atan2 in [0, 4]: the position on the unit diamond."""
    den = abs(dx) + abs(dy)
    den = den if den > 0.0 else 1.0
    r = dx / den
    return 1.0 - r if dy >= 0.0 else 3.0 + r


# ---------------------------------------------------------------------------
# the fan bucketed in a frame that rounds the shape (later rounds, hull2d_adaptive)
# ---------------------------------------------------------------------------
#
# An unframed fan (M the identity) spreads its rays evenly in angle around o. Around the
# centre of a 1000 x 1 strip, the two ends subtend a few thousandths of a radian, so
# one or two triangles cover each end and most of the points near the ends survive
# (measured: a round on 233,205 survivors of a 10**7-point strip kept 201,777).
# Here the angle is measured after a linear map M (det > 0) that makes the shape
# round (its principal axes, scaled), so the rays spread evenly over the shape
# itself. Only bucketing changes: each triangle lies in the polygon and is tested in
# the input's own coordinates with the same margins, so a wrong M costs filtering
# power, never correctness.


@njit(cache=True)
def fan_build_affine(vx, vy, M):
    """:func:`fan_build` with rays spread evenly in the
    frame ``M`` (2 x 2, det > 0): ``(ok, o, bbox, F)`` with the same meaning (bucket
    b covers pseudo-angles [4b/nb, 4(b+1)/nb) of M (p - o))."""
    m = vx.shape[0]
    o = np.zeros(2)
    bbox = np.zeros(4)
    F = np.zeros(9)
    if m < 3:
        return False, o, bbox, F
    ox = 0.0
    oy = 0.0
    for i in range(m):
        ox += vx[i]
        oy += vy[i]
    ox /= m
    oy /= m
    if not strictly_inside_convex(vx, vy, ox, oy):
        return False, o, bbox, F
    m00 = M[0, 0]
    m01 = M[0, 1]
    m10 = M[1, 0]
    m11 = M[1, 1]
    det = m00 * m11 - m01 * m10
    if not det > 0.0:
        return False, o, bbox, F
    # inverse map: a ray direction in M's frame back to the input's
    i00 = m11 / det
    i01 = -m01 / det
    i10 = -m10 / det
    i11 = m00 / det
    o[0] = ox
    o[1] = oy
    nb = 64
    while nb < 4 * m and nb < 65536:
        nb *= 2
    pa = np.empty(m)
    start = 0
    for i in range(m):
        ux = vx[i] - ox
        uy = vy[i] - oy
        pa[i] = _pseudo_angle(m00 * ux + m01 * uy, m10 * ux + m11 * uy)
        if pa[i] < pa[start]:
            start = i
    rx = np.empty(nb)
    ry = np.empty(nb)
    e = -1
    shrink = 1.0 - 2.0**-20
    for b in range(nb):
        th = 4.0 * b / nb
        if th <= 2.0:
            wx = 1.0 - th
            wy = 1.0 - abs(wx)
        else:
            wx = th - 3.0
            wy = -(1.0 - abs(wx))
        dxr = i00 * wx + i01 * wy
        dyr = i10 * wx + i11 * wy
        while e + 1 < m and pa[(start + e + 1) % m] <= th:
            e += 1
        i0 = (start + e) % m if e >= 0 else (start + m - 1) % m
        i1 = (i0 + 1) % m
        ax = vx[i0] - ox
        ay = vy[i0] - oy
        ex = vx[i1] - vx[i0]
        ey = vy[i1] - vy[i0]
        den = dxr * ey - dyr * ex
        px = ox
        py = oy
        if den > 0.0:
            t = (ax * ey - ay * ex) / den
            if t > 0.0:
                t *= shrink
                px = ox + t * dxr
                py = oy + t * dyr
                if not in_convex_polygon(vx, vy, px, py):
                    px = ox
                    py = oy
        rx[b] = px
        ry[b] = py
    xlo = vx[0]
    xhi = vx[0]
    ylo = vy[0]
    yhi = vy[0]
    for i in range(m):
        xlo = min(xlo, vx[i])
        xhi = max(xhi, vx[i])
        ylo = min(ylo, vy[i])
        yhi = max(yhi, vy[i])
    bbox[0] = xlo
    bbox[1] = xhi
    bbox[2] = ylo
    bbox[3] = yhi
    # |x - ox| <= Wx for points in the box, including the rounding of x - ox
    wx = max(xhi - ox, ox - xlo) * (1.0 + 4.0 * _U)
    wy = max(yhi - oy, oy - ylo) * (1.0 + 4.0 * _U)
    F = np.empty(nb * 9)
    for b in range(nb):
        b1 = b + 1 if b + 1 < nb else 0
        d0x = rx[b] - ox
        d0y = ry[b] - oy
        d1x = rx[b1] - ox
        d1y = ry[b1] - oy
        ex = rx[b1] - rx[b]
        ey = ry[b1] - ry[b]
        # Margins. For a form with exact value A* dx* + B* dy* + C* (dx* = x - ox),
        # the computed fl(fl(A dx) + fl(B dy)) with A = fl(A*), dx = fl(dx*) is off
        # by at most (3u + O(u^2)) (|A*| |dx*| + |B*| |dy*|) + u |sum| <= 4.1u (...);
        # the constant C2 (ray forms have C = 0 exactly) is off by at most
        # 4.1u (|ex| |d0y| + |ey| |d0x|). 8u covers both and the rounding of T.
        A1 = -d0y
        B1 = d0x
        A2 = -ey
        B2 = ex
        C2 = -(ex * d0y - ey * d0x)
        A3 = d1y
        B3 = -d1x
        F[9 * b + 0] = A1
        F[9 * b + 1] = B1
        F[9 * b + 2] = 8.0 * _U * (abs(A1) * wx + abs(B1) * wy) + _TINY
        F[9 * b + 3] = A2
        F[9 * b + 4] = B2
        F[9 * b + 5] = (
            -C2
            + 8.0 * _U * (abs(A2) * wx + abs(B2) * wy)
            + 8.0 * _U * (abs(ex) * abs(d0y) + abs(ey) * abs(d0x))
            + _TINY
        )
        F[9 * b + 6] = A3
        F[9 * b + 7] = B3
        F[9 * b + 8] = 8.0 * _U * (abs(A3) * wx + abs(B3) * wy) + _TINY
    return True, o, bbox, F


_EYE = np.eye(2)


@njit(cache=True)
def fan_build(vx, vy):
    """Triangles (o, r_b, r_{b+1}) of a bucketed fan inside the polygon (vx, vy).

    o is the vertex mean, certified strictly inside. Bucket b covers pseudo-angles
    [4b/nb, 4(b+1)/nb) around o; r_b is the point where the ray at angle 4b/nb leaves
    the polygon, pulled 2**-20 of the way back toward o and certified inside the
    polygon exactly (else replaced by o, which empties its two triangles). Every
    triangle therefore lies in the polygon. For each triangle the three sides are
    stored as linear forms in (x - ox, y - oy) with a threshold that makes the
    floating-point test certain (see the comment on the margins).

    Returns ``(ok, o, bbox, F)``: F is flat (nb * 9,), bucket b holding [A1, B1, T1,
    A2, B2, T2, A3, B3, T3] at 9 b; a point q in the box (bbox = [xlo, xhi, ylo,
    yhi]) with fl(A dx + B dy) > T for all three forms is strictly inside the polygon.
    """
    # the frame's identity: every product with 1 or 0 is exact, so the buckets and
    # the triangles are those of an unframed fan
    return fan_build_affine(vx, vy, _EYE)


@njit(cache=True)
def fan_pass(q, idx, k_in, o, bbox, F, out):
    """Keep the points idx[:k_in] that are not certainly inside the fan; returns count.

    ``out`` may be ``idx`` itself (compaction never overtakes the read position).
    """
    nb = F.shape[0] // 9
    ox = o[0]
    oy = o[1]
    xlo = bbox[0]
    xhi = bbox[1]
    ylo = bbox[2]
    yhi = bbox[3]
    scale = nb / 4.0
    keep = np.empty(_BLOCK, dtype=np.uint8)
    fb = np.empty(_BLOCK, dtype=np.int64)
    bx = np.empty(_BLOCK)
    by = np.empty(_BLOCK)
    k = 0
    for base in range(0, k_in, _BLOCK):
        c_n = min(_BLOCK, k_in - base)
        ib = idx[base : base + c_n]
        # gather first: the test loop below then reads contiguous memory
        for j in range(c_n):
            i = ib[j]
            bx[j] = q[2 * i]
            by[j] = q[2 * i + 1]
        # the buckets in a loop of their own: it vectorises, the tests' loads from F
        # at each point's bucket do not (as hull2d_adaptive.fan_pass_affine)
        for j in range(c_n):
            dx = bx[j] - ox
            dy = by[j] - oy
            b = np.int64(_pseudo_angle(dx, dy) * scale)
            fb[j] = 9 * min(max(b, 0), nb - 1)
        cnt = 0
        for j in range(c_n):
            x = bx[j]
            y = by[j]
            dx = x - ox
            dy = y - oy
            f = fb[j]
            # > 0 exactly when every test passes (see octagon_pass)
            v = fmin(fmin(x - xlo, xhi - x), fmin(y - ylo, yhi - y))
            v = fmin(v, F[f] * dx + F[f + 1] * dy - F[f + 2])
            v = fmin(v, F[f + 3] * dx + F[f + 4] * dy - F[f + 5])
            v = fmin(v, F[f + 6] * dx + F[f + 7] * dy - F[f + 8])
            kk = np.uint8(v <= 0.0)
            keep[j] = kk
            cnt += kk
        if cnt:
            for j in range(c_n):
                if keep[j]:
                    out[k] = ib[j]
                    k += 1
    return k


# ---------------------------------------------------------------------------
# extreme points along given directions (for direction hints)
# ---------------------------------------------------------------------------


@njit(cache=True)
def extremes_along(q, dirs):
    """Index of a point maximising fl(d . p) for each direction d (rows of ``dirs``).

    Any input point is a valid corner of a filter polygon, so rounding in the dot
    products costs at most a little filtering power, never correctness.
    """
    n = q.shape[0] // 2
    K = dirs.shape[0]
    best = np.full(K, -np.inf)
    arg = np.zeros(K, dtype=np.int64)
    nblk = (n + _BLOCK - 1) // _BLOCK
    bmax = np.empty((nblk, K))
    for bi in range(nblk):
        base = bi * _BLOCK
        c_n = min(_BLOCK, n - base)
        qb = q[2 * base : 2 * (base + c_n)]
        for k in range(K):
            ux = dirs[k, 0]
            uy = dirs[k, 1]
            v = -np.inf
            for j in range(c_n):
                v = fmax(v, ux * qb[2 * j] + uy * qb[2 * j + 1])
            bmax[bi, k] = v
    for k in range(K):
        bb = 0
        for bi in range(nblk):
            if bmax[bi, k] > best[k]:
                best[k] = bmax[bi, k]
                bb = bi
        base = bb * _BLOCK
        c_n = min(_BLOCK, n - base)
        ux = dirs[k, 0]
        uy = dirs[k, 1]
        for j in range(c_n):
            i = base + j
            if ux * q[2 * i] + uy * q[2 * i + 1] == best[k]:
                arg[k] = i
                break
    return arg
