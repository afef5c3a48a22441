"""Round-1 filter of the 2D hull that follows the input's shape (issue 12).

The fixed-normal octagon of ``hull2d_filter`` (tests on x, y, x + y, x - y) covers
little of a thin or rotated hull: inside a 1 x 0.01 strip turned by 0.6 rad, the
largest octagon with those normals is a sliver. Here the filter polygon Q is a few
vertices of the sample hull P itself (input points, so Q lies in the hull), chosen
by Visvalingam's simplification (drop the corner whose triangle with its two
neighbours has least area, while the area lost stays small), so Q takes P's shape
whatever its orientation and aspect ratio. A point is dropped when it is certainly
strictly inside Q: inside Q's bounding box (exact compares) and strictly left of
every edge by more than a proven floating-point margin (derived below). Every other
point survives to the exact stages, so the hull is exact.

No range statistics are gathered over all points: every dropped point lies in Q's
bounding box, whose coordinates are those of Q's corners, which survive (a corner is
not strictly inside Q). The exponent-window check on the survivors therefore also
bounds every value this pass computed, and a NaN or inf fails the box compares, so
it survives too and the caller's check on the survivors catches it.

Speed: one block of 512 points at a time. :func:`polygon_pass` (any edge count) runs
the box test and the centred coordinates in one vectorised loop, then one loop per
edge; :func:`polygon_pass_unrolled` (round 1, at most 16 edges) tests the box and
every edge in one loop of compares joined by ``&``, each edge form one multiply and
one FMA (``floats.fma``), with 512-bit vectors where the CPU has them
(``floats.prefer_wide_vectors``); a block with survivors is compacted 8 mask bytes at
a time, copying the survivors' coordinates for the later rounds
(``floats.compact_keep``). Session 5 measured, 1e6 points of a rotated strip, thread
CPU time: round 1 from 3.4 to about 1.6-2.0 ms warm (compaction 0.6 -> 0.2-0.3 ms,
FMA and compares 0.3 ms, 512 bits 15-20% of what was left).

No ``fastmath`` anywhere: compares, plain arithmetic and explicit FMAs only (``extremes8``, the
read-pass floor used by the benchmarks, uses min/max with the ``nnan nsz`` flags, as
``hull2d_filter`` does, because it decides nothing).
"""

import math

import numpy as np
from numba import njit

from .floats import MAXF as _MAXF
from .floats import TINY as _TINY
from .floats import U as _U
from .floats import compact_keep as _compact_keep
from .floats import fma as _fma
from .floats import fmax as _fmax
from .floats import fmin as _fmin
from .floats import prefer_wide_vectors as _prefer_wide_vectors
from .floats import prefetch as _prefetch
from .hull2d_filter import _pseudo_angle, fan_build_affine  # noqa: F401 (re-exported)
from .hull2d_filter import octagon_constants as _octagon_constants
from .predicates import orient2d as _orient2d

_BLOCK = 512
_SUB = 128  # frame_octagon_pass: prefetch hints per quarter block


# ---------------------------------------------------------------------------
# the physical floor: one read pass computing eight extreme values
# ---------------------------------------------------------------------------


@njit(cache=True)
def extremes8(q):
    """min and max of x, y, x + y and x - y over a flat (2n,) array: one read pass.

    The floor for a hull with few vertices (every point must be read once); the
    benchmarks report geoent's time over this pass's.
    """
    n = q.shape[0] // 2
    r = np.empty(8)
    a0 = np.inf
    a1 = -np.inf
    a2 = np.inf
    a3 = -np.inf
    a4 = np.inf
    a5 = -np.inf
    a6 = np.inf
    a7 = -np.inf
    for base in range(0, n, 4 * _BLOCK):
        c_n = min(4 * _BLOCK, n - base)
        qb = q[2 * base : 2 * (base + c_n)]
        for j in range(c_n):
            x = qb[2 * j]
            y = qb[2 * j + 1]
            s = x + y
            t = x - y
            a0 = _fmin(a0, x)
            a1 = _fmax(a1, x)
            a2 = _fmin(a2, y)
            a3 = _fmax(a3, y)
            a4 = _fmin(a4, s)
            a5 = _fmax(a5, s)
            a6 = _fmin(a6, t)
            a7 = _fmax(a7, t)
    r[0] = a0
    r[1] = a1
    r[2] = a2
    r[3] = a3
    r[4] = a4
    r[5] = a5
    r[6] = a6
    r[7] = a7
    return r


# ---------------------------------------------------------------------------
# choosing Q: Visvalingam simplification of the sample hull, keeping it inside
# ---------------------------------------------------------------------------


@njit(cache=True)
def simplify_inner(vx, vy, max_loss, kmin, kmax):
    """Positions (ascending) of the corners of P = (vx, vy) that Q keeps.

    P is counter-clockwise and strictly convex. Corners are removed one at a time,
    always the one whose triangle with its two current neighbours has the least
    area (the area Q loses by dropping it), while more than ``kmax`` corners remain
    or the total area lost stays within ``max_loss`` times P's area, never below
    ``kmin`` corners. A subsequence of a strictly convex polygon's corners is
    strictly convex, so Q needs no check; the areas only steer the choice (floating
    point is fine here).
    """
    m = vx.shape[0]
    alive = np.ones(m, dtype=np.uint8)
    prv = np.empty(m, dtype=np.int64)
    nxt = np.empty(m, dtype=np.int64)
    for i in range(m):
        prv[i] = i - 1 if i > 0 else m - 1
        nxt[i] = i + 1 if i + 1 < m else 0
    ox = vx[0]
    oy = vy[0]
    area = 0.0
    for i in range(1, m - 1):
        area += (vx[i] - ox) * (vy[i + 1] - oy) - (vy[i] - oy) * (vx[i + 1] - ox)
    area *= 0.5
    tri = np.empty(m)
    for i in range(m):
        a = prv[i]
        b = nxt[i]
        tri[i] = 0.5 * abs((vx[i] - vx[a]) * (vy[b] - vy[a]) - (vy[i] - vy[a]) * (vx[b] - vx[a]))
    lost = 0.0
    left = m
    while left > kmin:
        best = -1
        for i in range(m):
            if alive[i] and (best < 0 or tri[i] < tri[best]):
                best = i
        if left <= kmax and lost + tri[best] > max_loss * area:
            break
        lost += tri[best]
        alive[best] = 0
        left -= 1
        a = prv[best]
        b = nxt[best]
        nxt[a] = b
        prv[b] = a
        for i in (a, b):
            p = prv[i]
            s = nxt[i]
            tri[i] = 0.5 * abs(
                (vx[i] - vx[p]) * (vy[s] - vy[p]) - (vy[i] - vy[p]) * (vx[s] - vx[p])
            )
    out = np.empty(left, dtype=np.int64)
    k = 0
    for i in range(m):
        if alive[i]:
            out[k] = i
            k += 1
    return out


# ---------------------------------------------------------------------------
# the test constants of Q and the pass
# ---------------------------------------------------------------------------


@njit(cache=True)
def polygon_forms(vx, vy):
    """Box, centre and edge forms of the filter polygon Q = (vx, vy).

    Q is counter-clockwise and strictly convex (at least 3 corners), its corners
    input points. o is the mean of the corners (any point would do: centring keeps
    the forms' magnitudes, and so their margins, at Q's size, not at the data's
    offset). Edge i from v_i to v_{i+1}, e = v_{i+1} - v_i, d0 = v_i - o: the point p
    is strictly left of it when cross(e, p - v_i) = A* dx* + B* dy* + C* > 0 with
    A* = -e_y, B* = e_x, C* = -(e_x d0_y - e_y d0_x), dx* = x - o_x, dy* = y - o_y.

    Margins. For p in the box [xlo, xhi] x [ylo, yhi] (tested exactly), |fl(dx*)| <=
    wx with wx = max(xhi - ox, ox - xlo)(1 + 4u) (likewise y). With A = fl(A*), dx =
    fl(dx*), the computed fl(fl(A dx) + fl(B dy)) differs from A* dx* + B* dy* by at
    most (3u + O(u^2))(|A*| |dx*| + |B*| |dy*|) + u |sum| <= 4.1u (|A| wx + |B| wy),
    and the computed C (from the rounded e and d0) differs from C* by at most
    4.1u (|e_x| |d0_y| + |e_y| |d0_x|); 8u covers both and the rounding of T (the
    same derivation as ``hull2d_filter.fan_build``; products that underflow are off
    by less than 2**-1074, far below the absolute slack 1e-280). So fl(A dx + B dy) >
    T with T = -C + 8u (|A| wx + |B| wy) + 8u (|e_x| |d0_y| + |e_y| |d0_x|) + 1e-280
    implies cross(e, p - v_i) > 0 exactly.

    Returns ``(box, o, F)``: box = [xlo, xhi, ylo, yhi], o = [ox, oy], F flat (3K,)
    holding [A, B, T] per edge.
    """
    m = vx.shape[0]
    ox = 0.0
    oy = 0.0
    for i in range(m):
        ox += vx[i]
        oy += vy[i]
    ox /= m
    oy /= m
    xlo = vx[0]
    xhi = vx[0]
    ylo = vy[0]
    yhi = vy[0]
    for i in range(m):
        xlo = min(xlo, vx[i])
        xhi = max(xhi, vx[i])
        ylo = min(ylo, vy[i])
        yhi = max(yhi, vy[i])
    box = np.empty(4)
    box[0] = xlo
    box[1] = xhi
    box[2] = ylo
    box[3] = yhi
    o = np.empty(2)
    o[0] = ox
    o[1] = oy
    wx = max(xhi - ox, ox - xlo) * (1.0 + 4.0 * _U)
    wy = max(yhi - oy, oy - ylo) * (1.0 + 4.0 * _U)
    F = np.empty(3 * m)
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        ex = vx[j] - vx[i]
        ey = vy[j] - vy[i]
        d0x = vx[i] - ox
        d0y = vy[i] - oy
        A = -ey
        B = ex
        C = -(ex * d0y - ey * d0x)
        F[3 * i] = A
        F[3 * i + 1] = B
        F[3 * i + 2] = (
            -C
            + 8.0 * _U * (abs(A) * wx + abs(B) * wy)
            + 8.0 * _U * (abs(ex) * abs(d0y) + abs(ey) * abs(d0x))
            + _TINY
        )
    return box, o, F


@njit(cache=True)
def polygon_pass(q, box, o, F, out):
    """Indices (ascending, in ``out[:k]``) of the points of the flat array ``q`` not
    certainly strictly inside the polygon of :func:`polygon_forms`; returns k."""
    n = q.shape[0] // 2
    K = F.shape[0] // 3
    xlo = box[0]
    xhi = box[1]
    ylo = box[2]
    yhi = box[3]
    ox = o[0]
    oy = o[1]
    inside = np.empty(_BLOCK, dtype=np.uint8)
    dx = np.empty(_BLOCK)
    dy = np.empty(_BLOCK)
    k = 0
    for base in range(0, n, _BLOCK):
        c_n = min(_BLOCK, n - base)
        qb = q[2 * base : 2 * (base + c_n)]
        ib = inside[:c_n]
        bx = dx[:c_n]
        by = dy[:c_n]
        for j in range(c_n):
            x = qb[2 * j]
            y = qb[2 * j + 1]
            # NaN fails every compare: such a point survives (the caller checks them)
            ib[j] = np.uint8((x > xlo) & (x < xhi) & (y > ylo) & (y < yhi))
            bx[j] = x - ox
            by[j] = y - oy
        for e in range(K):
            A = F[3 * e]
            B = F[3 * e + 1]
            T = F[3 * e + 2]
            for j in range(c_n):
                ib[j] &= np.uint8(A * bx[j] + B * by[j] > T)
        cnt = 0
        for j in range(c_n):
            cnt += ib[j]
        if cnt < c_n:
            for j in range(c_n):
                if not ib[j]:
                    out[k] = base + j
                    k += 1
    return k


# ---------------------------------------------------------------------------
# round 1, the fast form: Q with 4, 8 or 16 edges, unrolled
# ---------------------------------------------------------------------------


@njit(inline="always")
def _block(qb, box, o, F, keep, W):
    """Round-1 test of one block against the first W (4, 8 or 16, a literal after
    inlining) forms of F; returns the survivors in the block.

    Compares joined by ``&``, no min chain: a NaN or infinite coordinate fails a box
    compare (the box is finite), so such a point always survives and is counted
    among the survivors (:func:`polygon_pass_unrolled`); nothing non-finite needs
    counting in this loop. Each form is one multiply and one fused multiply-add:
    ``fma(A, dx, fl(B dy))`` is off from A* dx* + B* dy* by at most
    (3u + O(u^2))(|A*| |dx*| + |B*| |dy*|), within the bound :func:`polygon_forms`
    derives its margin from (an FMA skips one rounding), and ``f > T`` is the
    sign test ``fl(f - T) > 0`` of that derivation (a nonzero difference never
    rounds to 0).
    """
    xlo = box[0]
    xhi = box[1]
    ylo = box[2]
    yhi = box[3]
    ox = o[0]
    oy = o[1]
    # forms loaded once into locals (loop-invariant registers; F could alias keep as
    # far as LLVM knows, so loads inside the loop would be repeated)
    a0, b0, t0 = F[0], F[1], F[2]
    a1, b1, t1 = F[3], F[4], F[5]
    a2, b2, t2 = F[6], F[7], F[8]
    a3, b3, t3 = F[9], F[10], F[11]
    a4, b4, t4 = F[12], F[13], F[14]
    a5, b5, t5 = F[15], F[16], F[17]
    a6, b6, t6 = F[18], F[19], F[20]
    a7, b7, t7 = F[21], F[22], F[23]
    a8, b8, t8 = F[24], F[25], F[26]
    a9, b9, t9 = F[27], F[28], F[29]
    a10, b10, t10 = F[30], F[31], F[32]
    a11, b11, t11 = F[33], F[34], F[35]
    a12, b12, t12 = F[36], F[37], F[38]
    a13, b13, t13 = F[39], F[40], F[41]
    a14, b14, t14 = F[42], F[43], F[44]
    a15, b15, t15 = F[45], F[46], F[47]
    cnt = 0
    for j in range(keep.shape[0]):
        x = qb[2 * j]
        y = qb[2 * j + 1]
        dx = x - ox
        dy = y - oy
        ins = (x > xlo) & (x < xhi) & (y > ylo) & (y < yhi)
        ins &= (_fma(a0, dx, b0 * dy) > t0) & (_fma(a1, dx, b1 * dy) > t1)
        ins &= (_fma(a2, dx, b2 * dy) > t2) & (_fma(a3, dx, b3 * dy) > t3)
        if W >= 8:
            ins &= (_fma(a4, dx, b4 * dy) > t4) & (_fma(a5, dx, b5 * dy) > t5)
            ins &= (_fma(a6, dx, b6 * dy) > t6) & (_fma(a7, dx, b7 * dy) > t7)
        if W >= 16:
            ins &= (_fma(a8, dx, b8 * dy) > t8) & (_fma(a9, dx, b9 * dy) > t9)
            ins &= (_fma(a10, dx, b10 * dy) > t10) & (_fma(a11, dx, b11 * dy) > t11)
            ins &= (_fma(a12, dx, b12 * dy) > t12) & (_fma(a13, dx, b13 * dy) > t13)
            ins &= (_fma(a14, dx, b14 * dy) > t14) & (_fma(a15, dx, b15 * dy) > t15)
        k = np.uint8(1) - np.uint8(ins)
        keep[j] = k
        cnt += k
    return cnt


@njit(cache=True, nogil=True)
def polygon_pass_unrolled(q, box, o, F, W, out, xy, cancel):
    """:func:`polygon_pass` for Q of at most 16 edges, unrolled: one vectorised loop
    per block. ``F`` holds 16 forms (:func:`pad_forms`: a polygon of fewer edges
    repeats one, which repeats a test and changes nothing); only the first ``W`` (4,
    8 or 16, at least Q's edge count) are tested.

    Returns ``(k, bad)``: survivors in ``out[:k]`` (ascending), the coordinates of
    the first ``len(xy) // 2`` of them in ``xy`` (interleaved), and the count of
    non-finite values (every point holding one survives; when nonzero the caller
    raises).
    ``cancel`` (uint8, length 1) is read every 64 blocks (32,768 points): once set
    (Ctrl-C, ``geoent._interrupt``) the pass returns ``(-1, 0)`` at once and the
    caller's checkpoint raises.
    """
    _prefer_wide_vectors()  # 512-bit vectors where the CPU has them (floats.py)
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
        qb = q[2 * base : 2 * (base + c_n)]
        if W <= 4:
            cnt = _block(qb, box, o, F, kb, 4)
        elif W <= 8:
            cnt = _block(qb, box, o, F, kb, 8)
        else:
            cnt = _block(qb, box, o, F, kb, 16)
        if cnt:
            # the non-finite are among the survivors: counted there
            k, b = _compact_keep(keep, c_n, cnt, base, qb, out, xy, k)
            bad += b
    return k, bad


@njit(cache=True)
def pad_forms(F):
    """Forms of 3..16 edges as exactly 16 (repeating the last edge's form)."""
    K = F.shape[0] // 3
    G = np.empty(48)
    for e in range(16):
        s = min(e, K - 1)
        G[3 * e] = F[3 * s]
        G[3 * e + 1] = F[3 * s + 1]
        G[3 * e + 2] = F[3 * s + 2]
    return G


# ---------------------------------------------------------------------------
# later rounds: the fan of hull2d_filter, bucketed in a frame that rounds the shape
# (built by hull2d_filter.fan_build_affine; see the comment there)
# ---------------------------------------------------------------------------


@njit(cache=True)
def fan_pass_affine(q, idx, k_in, o, bbox, F, M, out):
    """:func:`geoent._kernels.hull2d_filter.fan_pass` with the buckets of
    :func:`fan_build_affine` (same ``M``); ``out`` may be ``idx``."""
    nb = F.shape[0] // 9
    ox = o[0]
    oy = o[1]
    xlo = bbox[0]
    xhi = bbox[1]
    ylo = bbox[2]
    yhi = bbox[3]
    m00 = M[0, 0]
    m01 = M[0, 1]
    m10 = M[1, 0]
    m11 = M[1, 1]
    scale = nb / 4.0
    keep = np.empty(_BLOCK, dtype=np.uint8)
    fb = np.empty(_BLOCK, dtype=np.int64)
    bx = np.empty(_BLOCK)
    by = np.empty(_BLOCK)
    k = 0
    for base in range(0, k_in, _BLOCK):
        c_n = min(_BLOCK, k_in - base)
        ib = idx[base : base + c_n]
        for j in range(c_n):
            i = ib[j]
            bx[j] = q[2 * i]
            by[j] = q[2 * i + 1]
        # the buckets in a loop of their own: it vectorises (the tests' loads from F
        # at each point's bucket do not), 0.22 -> 0.14 ms for the 28,761 survivors
        # of a 1e6 strip (session 7, thread CPU)
        for j in range(c_n):
            dx = bx[j] - ox
            dy = by[j] - oy
            b = np.int64(_pseudo_angle(m00 * dx + m01 * dy, m10 * dx + m11 * dy) * scale)
            fb[j] = 9 * min(max(b, 0), nb - 1)
        cnt = 0
        for j in range(c_n):
            x = bx[j]
            y = by[j]
            dx = x - ox
            dy = y - oy
            f = fb[j]
            v = _fmin(_fmin(x - xlo, xhi - x), _fmin(y - ylo, yhi - y))
            v = _fmin(v, F[f] * dx + F[f + 1] * dy - F[f + 2])
            v = _fmin(v, F[f + 3] * dx + F[f + 4] * dy - F[f + 5])
            v = _fmin(v, F[f + 6] * dx + F[f + 7] * dy - F[f + 8])
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
# helpers of the engine's choices (floating point: they steer, never decide)
# ---------------------------------------------------------------------------


@njit(cache=True)
def polygon_area(vx, vy):
    """Area of the counter-clockwise polygon (vx, vy), relative to its first corner."""
    m = vx.shape[0]
    a = 0.0
    for i in range(1, m - 1):
        a += (vx[i] - vx[0]) * (vy[i + 1] - vy[0]) - (vy[i] - vy[0]) * (vx[i + 1] - vx[0])
    return 0.5 * a


@njit(cache=True)
def octagon_area(c8):
    """Area of {xlo < x < xhi, ylo < y < yhi, slo < x + y < shi, tlo < x - y < thi}
    (``c8`` as ``hull2d_filter.octagon_pass`` takes it): the box clipped by the four
    diagonal half-planes (Sutherland-Hodgman). 0 for a disabled octagon."""
    if not (c8[0] < c8[1] and c8[2] < c8[3]):
        return 0.0
    px = np.empty(16)
    py = np.empty(16)
    qx = np.empty(16)
    qy = np.empty(16)
    px[0], py[0] = c8[0], c8[2]
    px[1], py[1] = c8[1], c8[2]
    px[2], py[2] = c8[1], c8[3]
    px[3], py[3] = c8[0], c8[3]
    m = 4
    # half-planes a x + b y <= c
    for h in range(4):
        if h == 0:
            a, b, c = 1.0, 1.0, c8[5]
        elif h == 1:
            a, b, c = -1.0, -1.0, -c8[4]
        elif h == 2:
            a, b, c = 1.0, -1.0, c8[7]
        else:
            a, b, c = -1.0, 1.0, -c8[6]
        k = 0
        for i in range(m):
            j = i + 1 if i + 1 < m else 0
            si = a * px[i] + b * py[i] - c
            sj = a * px[j] + b * py[j] - c
            if si <= 0.0:
                qx[k] = px[i]
                qy[k] = py[i]
                k += 1
            if (si < 0.0 < sj) or (sj < 0.0 < si):
                t = si / (si - sj)
                qx[k] = px[i] + t * (px[j] - px[i])
                qy[k] = py[i] + t * (py[j] - py[i])
                k += 1
        m = k
        for i in range(m):
            px[i] = qx[i]
            py[i] = qy[i]
        if m < 3:
            return 0.0
    return polygon_area(px[:m], py[:m])


@njit(cache=True)
def shape_frame(vx, vy):
    """A linear map M (2 x 2, det > 0) that makes the polygon's corners round: the
    principal axes of their covariance, each scaled to unit spread (the identity when
    the corners are degenerate). Closed form for the symmetric 2 x 2 eigenproblem."""
    m = vx.shape[0]
    M = np.eye(2)
    if m < 3:
        return M
    mx = 0.0
    my = 0.0
    for i in range(m):
        mx += vx[i]
        my += vy[i]
    mx /= m
    my /= m
    sxx = 0.0
    syy = 0.0
    sxy = 0.0
    for i in range(m):
        dx = vx[i] - mx
        dy = vy[i] - my
        sxx += dx * dx
        syy += dy * dy
        sxy += dx * dy
    tr = sxx + syy
    if not (tr > 0.0 and tr < np.inf):
        return M
    half = 0.5 * (sxx - syy)
    disc = np.sqrt(half * half + sxy * sxy)
    l1 = 0.5 * tr + disc  # major
    l2 = 0.5 * tr - disc  # minor
    if not l2 > 1e-12 * l1:
        return M
    # unit eigenvector of the major axis
    if disc > 0.0:
        ex = half + disc
        ey = sxy
        nrm = np.sqrt(ex * ex + ey * ey)
        if nrm > 0.0:
            ex /= nrm
            ey /= nrm
        else:
            ex = 0.0
            ey = 1.0
    else:
        ex = 1.0
        ey = 0.0
    s1 = 1.0 / np.sqrt(l1)
    s2 = 1.0 / np.sqrt(l2)
    # rows: major axis (ex, ey) and minor axis (-ey, ex): a rotation, det > 0
    M[0, 0] = ex * s1
    M[0, 1] = ey * s1
    M[1, 0] = -ey * s2
    M[1, 1] = ex * s2
    return M


@njit(cache=True)
def count_not_inside(vx, vy, q, probe):
    """How many of the probe points (indices into the flat ``q``) are not strictly
    inside the convex CCW polygon (vx, vy), in floating point (a heuristic: it only
    decides whether a hint polygon is good enough to skip the sample)."""
    m = vx.shape[0]
    cnt = 0
    for t in range(probe.shape[0]):
        i = probe[t]
        px = q[2 * i]
        py = q[2 * i + 1]
        # binary search of the wedge at corner 0, then one edge test
        if (vx[1] - vx[0]) * (py - vy[0]) - (vy[1] - vy[0]) * (px - vx[0]) <= 0.0:
            cnt += 1
            continue
        if (vx[m - 1] - vx[0]) * (py - vy[0]) - (vy[m - 1] - vy[0]) * (px - vx[0]) >= 0.0:
            cnt += 1
            continue
        lo = 1
        hi = m - 1
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if (vx[mid] - vx[0]) * (py - vy[0]) - (vy[mid] - vy[0]) * (px - vx[0]) >= 0.0:
                lo = mid
            else:
                hi = mid
        if (vx[hi] - vx[lo]) * (py - vy[lo]) - (vy[hi] - vy[lo]) * (px - vx[lo]) <= 0.0:
            cnt += 1
    return cnt


@njit(cache=True)
def range_stats_idx(q, idx, k):
    """(max |v|, min nonzero |v|, non-finite count) over the points idx[:k]."""
    amax = 0.0
    amin = np.inf
    bad = 0
    for j in range(k):
        i = idx[j]
        for v in (q[2 * i], q[2 * i + 1]):
            a = abs(v)
            if not a <= _MAXF:
                bad += 1
                continue
            amax = max(amax, a)
            if a > 0.0:
                amin = min(amin, a)
    return amax, amin, bad


@njit(cache=True)
def count_not_in_octagon(c8, q, probe):
    """How many probe points the octagon test of ``hull2d_filter.octagon_pass`` keeps
    (an estimate of round 1's survivors, for the engine's choice of filter)."""
    cnt = 0
    for t in range(probe.shape[0]):
        i = probe[t]
        x = q[2 * i]
        y = q[2 * i + 1]
        s = x + y
        d = x - y
        inside = (
            (c8[0] < x)
            & (x < c8[1])
            & (c8[2] < y)
            & (y < c8[3])
            & (c8[4] < s)
            & (s < c8[5])
            & (c8[6] < d)
            & (d < c8[7])
        )
        cnt += not inside
    return cnt


# ---------------------------------------------------------------------------
# round 1: the octagon in an integer frame (a rotated, stretched octagon)
# ---------------------------------------------------------------------------


@njit(inline="always")
def _frame_octagon_block(qb, fr, c, keep, centred):
    ox = fr[0]
    oy = fr[1]
    m00 = fr[2]
    m01 = fr[3]
    m10 = fr[4]
    m11 = fr[5]
    ulo = c[0]
    uhi = c[1]
    vlo = c[2]
    vhi = c[3]
    slo = c[4]
    shi = c[5]
    tlo = c[6]
    thi = c[7]
    cnt = 0
    for j in range(keep.shape[0]):
        if centred:  # a literal after inlining: no branch in the loop
            dx = qb[2 * j] - ox
            dy = qb[2 * j + 1] - oy
        else:
            dx = qb[2 * j]
            dy = qb[2 * j + 1]
        u = _fma(m00, dx, m01 * dy)
        v = _fma(m10, dx, m11 * dy)
        s = u + v
        t = u - v
        # compares joined by &: a NaN fails them all, so such a point survives
        ins = (u > ulo) & (u < uhi) & (v > vlo) & (v < vhi)
        ins &= (s > slo) & (s < shi) & (t > tlo) & (t < thi)
        k = np.uint8(1) - np.uint8(ins)
        keep[j] = k
        cnt += k
    return cnt


@njit(cache=True, nogil=True)
def frame_octagon_pass(q, fr, c, out, xy, cancel):
    """Indices of the points not certainly inside the frame octagon
    (:func:`frame_octagon_constants`): ``fr = [ox, oy, m00, m01, m10, m11]``, ``c`` the
    eight thresholds ``[ulo, uhi, vlo, vhi, slo, shi, tlo, thi]`` (margins applied);
    a point is dropped when, with ``dx = fl(x - ox)``, ``dy = fl(y - oy)``,
    ``u = fl(m00 dx + m01 dy)``, ``v = fl(m10 dx + m11 dy)`` (one multiply and one
    FMA each), ``s = fl(u + v)``, ``t = fl(u - v)``, all eight strict compares hold.
    Returns ``(k, bad)`` as :func:`polygon_pass_unrolled` (same ``out``, ``xy`` and
    ``cancel`` conventions)."""
    _prefer_wide_vectors()
    n = q.shape[0] // 2
    keep = np.empty(_BLOCK, dtype=np.uint8)
    # o = 0 (the constants chose it for input near the origin): two subtractions a
    # point fewer (measured 0.1-0.2 ms of 2.3 per 1e6 points, cold cache)
    centred = fr[0] != 0.0 or fr[1] != 0.0
    k = 0
    bad = 0
    for base in range(0, n, _BLOCK):
        if (base & (64 * _BLOCK - 1)) == 0 and cancel[base % cancel.shape[0]]:
            return -1, 0
        c_n = min(_BLOCK, n - base)
        kb = keep[:c_n]
        qb = q[2 * base : 2 * (base + c_n)]
        # 4 blocks ahead, one hint per 64-byte line, spread over the block: the
        # hints for each quarter just before its tests. All 128 at the block's start
        # stalled the loop behind them when q was in cache (session 7, 1e6 strip,
        # thread CPU: 1.49 -> 1.29 ms warm, 1.96 -> 1.75 cold; none: 1.12 warm but
        # 2.24 cold)
        ahead = 2 * (base + 4 * _BLOCK)
        hint = ahead + 2 * _BLOCK <= q.shape[0]
        cnt = 0
        for s0 in range(0, c_n, _SUB):
            s1 = min(c_n, s0 + _SUB)
            if hint:
                for line in range(2 * s0, 2 * s1, 8):
                    _prefetch(q, ahead + line)
            if centred:
                cnt += _frame_octagon_block(qb[2 * s0 : 2 * s1], fr, c, kb[s0:s1], True)
            else:
                cnt += _frame_octagon_block(qb[2 * s0 : 2 * s1], fr, c, kb[s0:s1], False)
        if cnt:
            # the non-finite are among the survivors: counted there
            k, b = _compact_keep(keep, c_n, cnt, base, qb, out, xy, k)
            bad += b
    return k, bad


_FRAME_BITS = 16  # the frame's integer entries are at most 2**16 (see frame_octagon_constants)


@njit(cache=True)
def rectangle_frame(px, py):
    """A linear map (2 x 2, det > 0) taking the smallest-area rectangle around the
    convex polygon (px, py) (one side along an edge of it) to a unit square: rows the
    edge's direction over the rectangle's length and its normal over its width.
    Floating point (it steers only); the identity when the polygon has no area.
    Unlike the corners' principal axes (``shape_frame``), whose direction is off by a
    few thousandths of a radian on a sample hull, which a 50:1 frame turns into a
    shear of a tenth, an edge of a thin polygon lies along it."""
    m = px.shape[0]
    M = np.eye(2)
    best = np.inf
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        ex = px[j] - px[i]
        ey = py[j] - py[i]
        ln = math.hypot(ex, ey)
        if not ln > 0.0:
            continue
        ex /= ln
        ey /= ln
        alo = np.inf
        ahi = -np.inf
        blo = np.inf
        bhi = -np.inf
        for t in range(m):
            a = ex * px[t] + ey * py[t]
            b = ey * px[t] - ex * py[t]
            alo = min(alo, a)
            ahi = max(ahi, a)
            blo = min(blo, b)
            bhi = max(bhi, b)
        area = (ahi - alo) * (bhi - blo)
        if area < best and ahi > alo and bhi > blo:
            best = area
            M[0, 0] = ex / (ahi - alo)
            M[0, 1] = ey / (ahi - alo)
            M[1, 0] = -ey / (bhi - blo)
            M[1, 1] = ex / (bhi - blo)
    return M


@njit(cache=True)
def frame_octagon_constants(vx, vy):
    """Constants of an octagon in an integer frame, inside the convex polygon (vx, vy).

    The axis octagon of ``hull2d_filter`` (tests on x, y, x + y, x - y) in the
    coordinates u = m00 dx + m01 dy, v = m10 dx + m11 dy, (dx, dy) = p - o, with M an
    integer matrix near :func:`rectangle_frame`'s (the polygon's smallest enclosing
    rectangle made a square) and o on a grid: on a rotated or thin polygon it is what
    the axis octagon is on a square (the same share of points survives), at the cost
    of two subtractions, two multiplies and two FMAs a point more. The polygon is
    counter-clockwise and strictly convex with input points as corners; more than
    256 corners are thinned first (still inside).

    Construction (floating point, it only steers): the polygon mapped by M, the
    octagon ``hull2d_filter.octagon_constants`` grows in it, shrunk by 1e-9. Then
    the eight thresholds are divided by det M and rounded inward onto a grid
    G = 2**g0 (a'_k), with o on the same grid and g0 chosen so that every corner of
    Q* = {p : det a'_lo < L(p - o) < det a'_hi for the four forms L = u, v, u + v,
    u - v} (exact reals) is an exact double: the corner where u = det a', v = det b'
    is o + adj(M) (a', b'), integer combinations of multiples of G below 2**(g0 + 52)
    (checked). Q* lies in the hull of its eight corners w_k = L_k ∩ L_{k+1} (the
    normals of the forms in angular order, 45 degrees apart in (u, v): for x in Q*
    and a direction n = λ n_k + μ n_{k+1}, λ, μ >= 0, n·x <= n·w_k), so Q* lies in
    the polygon when every corner does, checked exactly with orient2d; Q* is open,
    so its points are then strictly inside the hull.

    Margins of the pass (:func:`frame_octagon_pass`). With dx = fl(dx*) and
    fl(u) = fl(fma(m00, dx, fl(m01 dy))): |fl(u) - u*| <= 4u (|m00| + |m01|) W for a
    point with |dx*|, |dy*| <= W (two roundings of the coordinates, one product, one
    FMA; underflow below the absolute slack 1e-280). A point whose fl(u), fl(v) pass
    the compares has |fl(u)|, |fl(v)| <= H (the largest threshold), so (u*, v*) =
    M d* gives W <= ||M^-1|| (H + e) and e <= 4u κ (H + e), κ = ||M|| ||M^-1|| (max
    row sums, exact integers over det): e <= 4.01 u κ H; fl(u ± v) is then off by
    at most 2e + 2.01 u H. The thresholds are moved inward by (10 κ + 8) u H +
    1e-280, which covers that and the rounding of det a' and of the shift itself;
    so a point passing all eight compares has all four exact forms strictly within
    det a', i.e. lies in Q*. A point whose arithmetic overflows or holds a NaN or
    inf fails a compare and survives.

    Returns ``(ok, fr, c)``: ``fr = [ox, oy, m00, m01, m10, m11]`` and ``c = [ulo,
    uhi, vlo, vhi, slo, shi, tlo, thi]`` for :func:`frame_octagon_pass`.
    """
    fr = np.zeros(6)
    c = np.empty(8)
    for k in range(4):
        c[2 * k] = np.inf  # a disabled octagon: nothing is "inside"
        c[2 * k + 1] = -np.inf
    m0 = vx.shape[0]
    if m0 < 3:
        return False, fr, c
    step = (m0 + 255) // 256
    m = (m0 + step - 1) // step
    px = np.empty(m)
    py = np.empty(m)
    for i in range(m):
        px[i] = vx[i * step]
        py[i] = vy[i * step]
    Mf = rectangle_frame(px, py)
    # the integer frame: Mf scaled so that its largest entry is 2**_FRAME_BITS
    big_m = max(max(abs(Mf[0, 0]), abs(Mf[0, 1])), max(abs(Mf[1, 0]), abs(Mf[1, 1])))
    if not (big_m > 0.0 and big_m < np.inf):
        return False, fr, c
    sc = 2.0**_FRAME_BITS / big_m
    m00 = math.floor(Mf[0, 0] * sc + 0.5)
    m01 = math.floor(Mf[0, 1] * sc + 0.5)
    m10 = math.floor(Mf[1, 0] * sc + 0.5)
    m11 = math.floor(Mf[1, 1] * sc + 0.5)
    det = m00 * m11 - m01 * m10  # integers below 2**34: exact
    if not det > 0.0:
        return False, fr, c
    # max row sums: ||M|| and ||adj M|| (the column sums of M); κ = ||M|| ||M^-1||
    n_row = max(abs(m00) + abs(m01), abs(m10) + abs(m11))
    n_col = max(abs(m00) + abs(m10), abs(m01) + abs(m11))
    na = max(n_row, n_col)
    kappa = n_row * n_col / det * (1.0 + 1e-12)
    if not kappa < 1e8:
        return False, fr, c
    # o: the corners' mean (inside), later put on the grid
    ox = 0.0
    oy = 0.0
    big = 0.0
    for i in range(m):
        ox += px[i]
        oy += py[i]
        big = max(big, abs(px[i]), abs(py[i]))
    ox /= m
    oy /= m
    if not (big > 0.0 and big < np.inf):
        return False, fr, c
    ext = 0.0
    for i in range(m):
        ext = max(ext, abs(px[i] - ox), abs(py[i] - oy))
    if max(abs(ox), abs(oy)) <= 2.0 * ext:
        # near the origin: o = 0 spares the pass two subtractions a point; the
        # thresholds, and so the margins, grow at most 3-fold
        ox = 0.0
        oy = 0.0
    # the polygon in the frame (floating point: steering only)
    U = np.empty(m)
    V = np.empty(m)
    for i in range(m):
        dx = px[i] - ox
        dy = py[i] - oy
        U[i] = m00 * dx + m01 * dy
        V[i] = m10 * dx + m11 * dy
    ok, c8 = _octagon_constants(U, V)
    if not ok:
        return False, fr, c
    # thresholds per det, shrunk by 1e-9 towards o (inside the octagon: it grew from
    # the corners' mean), and their size
    a = np.empty(8)
    S = 0.0
    for k in range(8):
        a[k] = c8[k] * (1.0 - 1e-9) / det
        S = max(S, abs(a[k]))
    if not (S > 0.0 and S < np.inf):
        return False, fr, c
    # the grid: o exact on it (|o| < 2**(g0 + 52)), and every corner's d = adj (a', b')
    # (|a'|, |b'| <= 2 S + G) an integer combination below 2**(g0 + 52)
    e_o = math.frexp(big)[1]
    e_c = math.frexp(4.0 * na * S * (1.0 + 1e-6))[1]
    g0 = max(e_o - 51, e_c - 51)
    g = math.ldexp(1.0, g0)
    ox = math.floor(ox / g) * g
    oy = math.floor(oy / g) * g
    for k in range(8):
        if k % 2 == 0:
            a[k] = math.ceil(a[k] / g) * g  # lower bounds up
        else:
            a[k] = math.floor(a[k] / g) * g  # upper bounds down
    ulo, uhi, vlo, vhi, slo, shi, tlo, thi = a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]
    if not (ulo < uhi and vlo < vhi and slo < shi and tlo < thi):
        return False, fr, c
    # the eight corners (u', v') in angular order of the constraints
    cu = np.empty(8)
    cv = np.empty(8)
    cu[0], cv[0] = uhi, shi - uhi
    cu[1], cv[1] = shi - vhi, vhi
    cu[2], cv[2] = tlo + vhi, vhi
    cu[3], cv[3] = ulo, ulo - tlo
    cu[4], cv[4] = ulo, slo - ulo
    cu[5], cv[5] = slo - vlo, vlo
    cu[6], cv[6] = thi + vlo, vlo
    cu[7], cv[7] = uhi, uhi - thi
    lim = math.ldexp(1.0, g0 + 52)
    for k in range(8):
        # |u'|, |v'| are sums of two multiples of G below 2 S + 2 G: exact; the
        # products and their sum below lim: exact (checked, not assumed)
        if not (
            abs(m11) * abs(cu[k]) + abs(m01) * abs(cv[k]) < 0.5 * lim
            and abs(m10) * abs(cu[k]) + abs(m00) * abs(cv[k]) < 0.5 * lim
        ):
            return False, fr, c
        wx = ox + (m11 * cu[k] - m01 * cv[k])
        wy = oy + (m00 * cv[k] - m10 * cu[k])
        if not (abs(wx) < lim and abs(wy) < lim):
            return False, fr, c
        for i in range(m):
            j = i + 1 if i + 1 < m else 0
            if _orient2d(px[i], py[i], px[j], py[j], wx, wy) < 0.0:
                return False, fr, c
    # the pass's thresholds, in u units, moved inward by the margin
    T = np.empty(8)
    H = 0.0
    for k in range(8):
        T[k] = det * a[k]
        H = max(H, abs(T[k]))
    mu = (10.0 * kappa + 8.0) * _U * H + _TINY
    for k in range(8):
        c[k] = T[k] + mu if k % 2 == 0 else T[k] - mu
    if not (c[0] < c[1] and c[2] < c[3] and c[4] < c[5] and c[6] < c[7]):
        for k in range(4):
            c[2 * k] = np.inf
            c[2 * k + 1] = -np.inf
        return False, fr, c
    fr[0] = ox
    fr[1] = oy
    fr[2] = m00
    fr[3] = m01
    fr[4] = m10
    fr[5] = m11
    return True, fr, c


@njit(cache=True)
def count_not_in_frame_octagon(fr, c, q, probe):
    """How many probe points :func:`frame_octagon_pass` keeps (the engine's estimate)."""
    cnt = 0
    for t in range(probe.shape[0]):
        i = probe[t]
        dx = q[2 * i] - fr[0]
        dy = q[2 * i + 1] - fr[1]
        u = _fma(fr[2], dx, fr[3] * dy)
        v = _fma(fr[4], dx, fr[5] * dy)
        s = u + v
        d = u - v
        inside = (
            (c[0] < u)
            & (u < c[1])
            & (c[2] < v)
            & (v < c[3])
            & (c[4] < s)
            & (s < c[5])
            & (c[6] < d)
            & (d < c[7])
        )
        cnt += not inside
    return cnt
