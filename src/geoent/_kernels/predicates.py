"""Exact geometric predicates as numba kernels: a floating-point filter, then exact.

Port of J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic and Fast
Robust Geometric Predicates" (1997), predicates.c (public domain). Each predicate:

* stage A (inlined into the caller): the determinant in plain doubles, accepted
  when it clears Shewchuk's forward-error bound. This decides almost every call on
  ordinary input, at about the cost of the naive formula.
* When every coordinate difference is exact (all two_diff tails zero: integer
  grids, shared coordinates, cocircular grid squares) the determinant of the
  rounded differences *is* the answer. It is first evaluated in doubles with an
  error-free transformation beside every operation: if every error term is zero,
  every rounded result was exact and so is the value (a few dozen flops). Else it
  is evaluated exactly as an expansion (stage B below) and the sign of its
  largest component is returned.
* insphere only, before the expansions below: stage D, the determinant of the
  exact differences in double-double (value and error term per quantity, a few
  hundred flops, no memory), accepted beyond ISPERRBOUND_D * permanent (96 u**2,
  derived beside ``_insphere_stage_d``). Points on a sphere rounded to doubles
  fail the filter on most calls (|det| is about u * permanent there) and stage D
  decides them at a fraction of the expansions' cost.
* Otherwise stage B: the determinant of the rounded differences evaluated exactly
  as a floating-point expansion (non-overlapping doubles) in fixed-size buffers on
  the stack; its estimate is accepted beyond Shewchuk's stage-B bound. Then stage
  C: the estimate plus the first-order terms in the difference tails, accepted
  beyond Shewchuk's stage-C bound. Both bounds are his, unchanged.
* Finally the exact stage: the determinant from the exact differences (each a
  one- or two-component expansion), whose sign is the sign of its largest
  component. On the stack for orient2d, orient3d and incircle; insphere's needs up
  to about 10^5 components and takes one heap buffer (its only allocation).

No stage before the exact one allocates memory.

Why an expansion has the sign of its largest component: the components are
non-overlapping (Shewchuk proves this for the outputs of two_sum, two_product,
Two-Two-Diff, scale_expansion and fast_expansion_sum under IEEE
round-to-nearest-even), so the sum of all the smaller ones is, in magnitude,
below the lowest set bit of the largest one and cannot cancel it. With zero
elimination the largest component is the last one, and zero is the single
component 0.0.

The stages assume no overflow or underflow in intermediates; the API layer
guarantees that by scaling the input by a power of two (which changes no sign) and
refusing coordinate sets whose binary exponents span more than the window in
``geoent._validation.EXPONENT_LIMITS`` (the derivation is documented there).
Kernels that call these predicates on user data get the same guarantee from
``geoent._validation.check_exponent_range``.

Never compile anything here, or anything these functions are inlined into, with
``fastmath=True``: reassociation cancels the error terms that make them exact.

The scalar predicates ``orient2d``, ``incircle``, ``orient3d``, ``insphere``
(``inline="always"``, so their filter is compiled into the calling loop) return a
float whose *sign* is the predicate's sign; its magnitude means nothing (an
approximation of the determinant, or one component of it).
"""

import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.arrayobj import make_array, populate_array

_EPS = 2.0**-53  # half an ulp of 1.0: the unit roundoff
_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp/Dekker splitting constant

# Shewchuk's error bounds (predicates.c, exactinit()).
RESULTERRBOUND = (3.0 + 8.0 * _EPS) * _EPS
CCWERRBOUND_A = (3.0 + 16.0 * _EPS) * _EPS
CCWERRBOUND_B = (2.0 + 12.0 * _EPS) * _EPS
CCWERRBOUND_C = (9.0 + 64.0 * _EPS) * _EPS * _EPS
O3DERRBOUND_A = (7.0 + 56.0 * _EPS) * _EPS
O3DERRBOUND_B = (3.0 + 28.0 * _EPS) * _EPS
O3DERRBOUND_C = (26.0 + 288.0 * _EPS) * _EPS * _EPS
ICCERRBOUND_A = (10.0 + 96.0 * _EPS) * _EPS
ICCERRBOUND_B = (4.0 + 48.0 * _EPS) * _EPS
ICCERRBOUND_C = (44.0 + 576.0 * _EPS) * _EPS * _EPS
ISPERRBOUND_A = (16.0 + 224.0 * _EPS) * _EPS
ISPERRBOUND_B = (5.0 + 72.0 * _EPS) * _EPS
ISPERRBOUND_C = (71.0 + 1408.0 * _EPS) * _EPS * _EPS


# ---------------------------------------------------------------------------
# Error-free transformations (scalars; inlined so they cost nothing to call)
# ---------------------------------------------------------------------------


@njit(inline="always", cache=True)
def two_sum(a, b):
    """x + y == a + b exactly, x == fl(a + b)."""
    x = a + b
    bv = x - a
    av = x - bv
    br = b - bv
    ar = a - av
    return x, ar + br


@njit(inline="always", cache=True)
def fast_two_sum(a, b):
    """Like two_sum, valid when |a| >= |b| (or a == 0)."""
    x = a + b
    bv = x - a
    return x, b - bv


@njit(inline="always", cache=True)
def two_diff(a, b):
    """x + y == a - b exactly, x == fl(a - b)."""
    x = a - b
    bv = a - x
    av = x + bv
    br = bv - b
    ar = a - av
    return x, ar + br


@njit(inline="always", cache=True)
def split(a):
    """a == hi + lo with hi, lo holding at most 26 significant bits each."""
    c = _SPLITTER * a
    abig = c - a
    hi = c - abig
    return hi, a - hi


@njit(inline="always", cache=True)
def two_product(a, b):
    """x + y == a * b exactly, x == fl(a * b) (Dekker; no FMA in numba)."""
    x = a * b
    ahi, alo = split(a)
    bhi, blo = split(b)
    err1 = x - ahi * bhi
    err2 = err1 - alo * bhi
    err3 = err2 - ahi * blo
    return x, alo * blo - err3


@njit(cache=True)
def two_two_diff(a1, a0, b1, b0):
    """(a1 + a0) - (b1 + b0) exactly as four non-overlapping components x0..x3
    (increasing magnitude, zeros kept); Shewchuk's Two_Two_Diff."""
    i, x0 = two_diff(a0, b0)
    j, t0 = two_sum(a1, i)
    i, x1 = two_diff(t0, b1)
    x3, x2 = two_sum(j, i)
    return x0, x1, x2, x3


@njit(cache=True)
def _products_diff_into(a, b, c, d, h):
    """h[0:4] = a*b - c*d exactly (zeros kept)."""
    p1, p0 = two_product(a, b)
    q1, q0 = two_product(c, d)
    h[0], h[1], h[2], h[3] = two_two_diff(p1, p0, q1, q0)


@njit(inline="always", cache=True)
def _small_int(x, bound):
    """True when x is an integer of magnitude at most ``bound``."""
    return abs(x) <= bound and np.floor(x) == x


# "Exact in doubles": with exact coordinate differences (integer grids, shared
# coordinates) the determinant is often representable at every step. Each helper
# performs one operation with its error-free transformation and adds |error term|
# to ``err``; a sum of nonnegative doubles is zero only when every term is zero,
# so ``err == 0`` proves that every rounded result equals the exact one and the
# final value *is* the determinant. This costs a few dozen flops and no memory.


@njit(cache=True)
def _xmul(a, b, err):
    x, y = two_product(a, b)
    return x, err + abs(y)


@njit(cache=True)
def _xadd(a, b, err):
    x, y = two_sum(a, b)
    return x, err + abs(y)


@njit(cache=True)
def _xsub(a, b, err):
    x, y = two_diff(a, b)
    return x, err + abs(y)


@njit(cache=True)
def _xcross(a, b, c, d, err):
    """a*b - c*d, tracking exactness."""
    p, err = _xmul(a, b, err)
    q, err = _xmul(c, d, err)
    return _xsub(p, q, err)


@njit(cache=True)
def _xdot(a, b, c, d, err):
    """a*b + c*d, tracking exactness."""
    p, err = _xmul(a, b, err)
    q, err = _xmul(c, d, err)
    return _xadd(p, q, err)


# ---------------------------------------------------------------------------
# Scratch buffers on the stack.
#
# The adaptive stages need expansions of bounded, statically known length (at most
# a few thousand doubles). Heap-allocating them costs more than the arithmetic on
# degenerate input (grids call the exact stages on most queries), so they live in
# the caller's stack frame: an ``alloca`` in the function's entry block, reused by
# every call and never freed. The array has no meminfo (like ``numba.carray``); it
# must not escape the function that created it.
# ---------------------------------------------------------------------------


@intrinsic
def _stack_array(typingctx, n):
    """A float64 array of ``n`` (a literal int) uninitialised elements on the stack."""
    if not isinstance(n, types.IntegerLiteral):
        return None
    size = n.literal_value
    arrty = types.Array(types.float64, 1, "C")

    def codegen(context, builder, signature, args):
        f64 = context.get_value_type(types.float64)
        ptr = cgutils.alloca_once(builder, f64, size=size)
        ary = make_array(arrty)(context, builder)
        itemsize = context.get_constant(types.intp, context.get_abi_sizeof(f64))
        populate_array(
            ary,
            data=ptr,
            shape=[context.get_constant(types.intp, size)],
            strides=[itemsize],
            itemsize=itemsize,
            meminfo=None,
        )
        return ary._getvalue()

    return arrty(n), codegen


# ---------------------------------------------------------------------------
# Expansion arithmetic into caller-provided buffers.
# An expansion is (buffer, length): non-overlapping components in increasing
# magnitude. Outputs are zero-eliminated and have length >= 1 (zero is [0.0]).
# Output buffers must not alias inputs.
# ---------------------------------------------------------------------------


@njit(cache=True)
def _sum_into(e, elen, f, flen, h):
    """h = e + f exactly (Shewchuk's fast_expansion_sum_zeroelim); h needs elen+flen."""
    enow = e[0]
    fnow = f[0]
    eindex = 0
    findex = 0
    if (fnow > enow) == (fnow > -enow):
        q = enow
        eindex += 1
        enow = e[eindex] if eindex < elen else 0.0
    else:
        q = fnow
        findex += 1
        fnow = f[findex] if findex < flen else 0.0
    hindex = 0
    if eindex < elen and findex < flen:
        if (fnow > enow) == (fnow > -enow):
            qnew, hh = fast_two_sum(enow, q)
            eindex += 1
            enow = e[eindex] if eindex < elen else 0.0
        else:
            qnew, hh = fast_two_sum(fnow, q)
            findex += 1
            fnow = f[findex] if findex < flen else 0.0
        q = qnew
        if hh != 0.0:
            h[hindex] = hh
            hindex += 1
        while eindex < elen and findex < flen:
            if (fnow > enow) == (fnow > -enow):
                qnew, hh = two_sum(q, enow)
                eindex += 1
                enow = e[eindex] if eindex < elen else 0.0
            else:
                qnew, hh = two_sum(q, fnow)
                findex += 1
                fnow = f[findex] if findex < flen else 0.0
            q = qnew
            if hh != 0.0:
                h[hindex] = hh
                hindex += 1
    while eindex < elen:
        qnew, hh = two_sum(q, enow)
        eindex += 1
        enow = e[eindex] if eindex < elen else 0.0
        q = qnew
        if hh != 0.0:
            h[hindex] = hh
            hindex += 1
    while findex < flen:
        qnew, hh = two_sum(q, fnow)
        findex += 1
        fnow = f[findex] if findex < flen else 0.0
        q = qnew
        if hh != 0.0:
            h[hindex] = hh
            hindex += 1
    if q != 0.0 or hindex == 0:
        h[hindex] = q
        hindex += 1
    return hindex


@njit(cache=True)
def _scale_into(e, elen, b, h):
    """h = e * b exactly for a double b (Shewchuk's scale_expansion_zeroelim);
    h needs 2*elen. Zero components in e are allowed."""
    bhi, blo = split(b)
    # two_product_presplit(e[0], b)
    q = e[0] * b
    ahi, alo = split(e[0])
    err1 = q - ahi * bhi
    err2 = err1 - alo * bhi
    err3 = err2 - ahi * blo
    hh = alo * blo - err3
    hindex = 0
    if hh != 0.0:
        h[hindex] = hh
        hindex += 1
    for i in range(1, elen):
        enow = e[i]
        p1 = enow * b
        ahi, alo = split(enow)
        err1 = p1 - ahi * bhi
        err2 = err1 - alo * bhi
        err3 = err2 - ahi * blo
        p0 = alo * blo - err3
        s, hh = two_sum(q, p0)
        if hh != 0.0:
            h[hindex] = hh
            hindex += 1
        q, hh = fast_two_sum(p1, s)
        if hh != 0.0:
            h[hindex] = hh
            hindex += 1
    if q != 0.0 or hindex == 0:
        h[hindex] = q
        hindex += 1
    return hindex


@njit(cache=True)
def _mul_into(e, elen, f, flen, h, sc, acc):
    """h = e * f exactly: the sum of e scaled by each component of f.

    h and acc need 2*elen*flen, sc needs 2*elen.
    """
    hlen = _scale_into(e, elen, f[0], h)
    for i in range(1, flen):
        sclen = _scale_into(e, elen, f[i], sc)
        for j in range(hlen):
            acc[j] = h[j]
        hlen = _sum_into(acc, hlen, sc, sclen, h)
    return hlen


@njit(cache=True)
def _diff_into(a, b, h):
    """h = a - b exactly as one or two components; returns the length."""
    x, y = two_diff(a, b)
    if y == 0.0:
        h[0] = x
        return 1
    h[0] = y
    h[1] = x
    return 2


@njit(cache=True)
def _mul2_into(a, alen, b, blen, c, clen, d, dlen, csign, h, w):
    """h = a*b + csign*c*d exactly (csign is 1.0 or -1.0), for expansions of at
    most two components: h needs 16, the workspace w needs 28."""
    p = w[0:8]
    q = w[8:16]
    sc = w[16:20]
    acc = w[20:28]
    plen = _mul_into(a, alen, b, blen, p, sc, acc)
    qlen = _mul_into(c, clen, d, dlen, q, sc, acc)
    if csign < 0.0:
        for i in range(qlen):
            q[i] = -q[i]
    return _sum_into(p, plen, q, qlen, h)


@njit(cache=True)
def _estimate(e, elen):
    """Shewchuk's estimate(): the plain sum of the components, smallest first."""
    q = e[0]
    for i in range(1, elen):
        q += e[i]
    return q


# ---------------------------------------------------------------------------
# Heap expansions: whole-array versions of the above, for exact stages written
# with allocation (cross_diff's, below); numba compiles them only when called.
# ---------------------------------------------------------------------------


@njit(cache=True)
def expansion_from_diff(a, b):
    """The exact difference a - b as an expansion of one or two components."""
    out = np.empty(2)
    return out[: _diff_into(a, b, out)]


@njit(cache=True)
def expansion_sum(e, f):
    """Exact e + f."""
    h = np.empty(e.shape[0] + f.shape[0])
    return h[: _sum_into(e, e.shape[0], f, f.shape[0], h)]


@njit(cache=True)
def expansion_product(e, f):
    """Exact e * f."""
    h = np.empty(2 * e.shape[0] * f.shape[0])
    sc = np.empty(2 * e.shape[0])
    acc = np.empty(h.shape[0])
    return h[: _mul_into(e, e.shape[0], f, f.shape[0], h, sc, acc)]


@njit(cache=True)
def expansion_diff(e, f):
    """Exact e - f."""
    return expansion_sum(e, -f)


@njit(cache=True)
def expansion_sign(e):
    """Sign of a zero-eliminated expansion: the sign of its largest (last) component."""
    v = e[e.shape[0] - 1]
    if v > 0.0:
        return 1.0
    if v < 0.0:
        return -1.0
    return 0.0


@njit(cache=True)
def _cross_exact(ax, ay, bx, by):
    """Exact ax*by - ay*bx for expansions."""
    return expansion_diff(expansion_product(ax, by), expansion_product(ay, bx))


# ---------------------------------------------------------------------------
# orient2d
# ---------------------------------------------------------------------------


@njit(cache=True)
def orient2d_exact(ax, ay, bx, by, cx, cy):
    """Sign of (a - c) x (b - c), computed exactly (stack only); slow path of orient2d."""
    w = _stack_array(52)
    acx = w[0:2]
    acy = w[2:4]
    bcx = w[4:6]
    bcy = w[6:8]
    det = w[8:24]
    acxlen = _diff_into(ax, cx, acx)
    acylen = _diff_into(ay, cy, acy)
    bcxlen = _diff_into(bx, cx, bcx)
    bcylen = _diff_into(by, cy, bcy)
    n = _mul2_into(acx, acxlen, bcy, bcylen, acy, acylen, bcx, bcxlen, -1.0, det, w[24:52])
    return det[n - 1]


@njit(inline="always", cache=True)
def orient2d(ax, ay, bx, by, cx, cy):
    """> 0 when a, b, c turn counter-clockwise, < 0 clockwise, 0 collinear (exact).

    Returns the filtered determinant when its sign is certain, else a value of
    the right sign from the adaptive stages.
    """
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    # Shewchuk's bound |det - exact| <= CCWERRBOUND_A * (|detleft| + |detright|)
    # holds whatever the signs; he skips it when they differ (then no cancellation
    # can occur and |det| is about detsum, far above the bound), which costs two
    # unpredictable branches on random input. Here one test covers every case, also
    # detsum == 0 (both products exactly zero, so det == 0 is exact).
    detsum = abs(detleft) + abs(detright)
    if abs(det) >= CCWERRBOUND_A * detsum:
        return det
    return orient2d_adapt(ax, ay, bx, by, cx, cy, detsum)


@njit(cache=True)
def orient2d_adapt(ax, ay, bx, by, cx, cy, detsum):
    """Shewchuk's stages B and C (no allocation), then the exact stage.

    Stage B evaluates the determinant of the *rounded* differences exactly; when
    the differences were exact (integer grids, shared coordinates) that is the
    answer, which keeps degenerate inputs off the exact stage. ``detsum`` is
    |detleft| + |detright| from the filter.
    """
    acx = ax - cx
    bcx = bx - cx
    acy = ay - cy
    bcy = by - cy
    dl, dlt = two_product(acx, bcy)
    dr, drt = two_product(acy, bcx)
    b0, b1, b2, b3 = two_two_diff(dl, dlt, dr, drt)
    det = ((b0 + b1) + b2) + b3
    errbound = CCWERRBOUND_B * detsum
    if det >= errbound or -det >= errbound:
        return det
    _, acxtail = two_diff(ax, cx)
    _, bcxtail = two_diff(bx, cx)
    _, acytail = two_diff(ay, cy)
    _, bcytail = two_diff(by, cy)
    if acxtail == 0.0 and acytail == 0.0 and bcxtail == 0.0 and bcytail == 0.0:
        # B is the exact determinant. Its components are non-overlapping (zeros
        # kept), so the largest nonzero one carries the sign: this needs nothing
        # more than non-overlap, unlike an argument about the rounded sum ``det``.
        if b3 != 0.0:
            return b3
        if b2 != 0.0:
            return b2
        if b1 != 0.0:
            return b1
        return b0
    # Shewchuk's stage C: add the first-order tail terms to B's estimate.
    errbound = CCWERRBOUND_C * detsum + RESULTERRBOUND * abs(det)
    det += (acx * bcytail + bcy * acxtail) - (acy * bcxtail + bcx * acytail)
    if det >= errbound or -det >= errbound:
        return det
    return orient2d_exact(ax, ay, bx, by, cx, cy)


# ---------------------------------------------------------------------------
# cross_diff: (b - a) x (d - c), orient2d's shape on four free points
# ---------------------------------------------------------------------------


@njit(cache=True)
def _cross_diff_adapt(ax, ay, bx, by, cx, cy, dx, dy, detsum):
    """Stage B (exact product of the rounded differences), then the exact stage."""
    bax = bx - ax
    bay = by - ay
    dcx = dx - cx
    dcy = dy - cy
    dl, dlt = two_product(bax, dcy)
    dr, drt = two_product(bay, dcx)
    i, b0 = two_diff(dlt, drt)
    j, t0 = two_sum(dl, i)
    i, b1 = two_diff(t0, dr)
    b3, b2 = two_sum(j, i)
    det = ((b0 + b1) + b2) + b3
    if det >= CCWERRBOUND_B * detsum or -det >= CCWERRBOUND_B * detsum:
        return det
    _, t1 = two_diff(bx, ax)
    _, t2 = two_diff(by, ay)
    _, t3 = two_diff(dx, cx)
    _, t4 = two_diff(dy, cy)
    if t1 == 0.0 and t2 == 0.0 and t3 == 0.0 and t4 == 0.0:
        return det  # the differences were exact, so B is the exact determinant
    return expansion_sign(
        _cross_exact(
            expansion_from_diff(bx, ax),
            expansion_from_diff(by, ay),
            expansion_from_diff(dx, cx),
            expansion_from_diff(dy, cy),
        )
    )


@njit(inline="always", cache=True)
def cross_diff(ax, ay, bx, by, cx, cy, dx, dy):
    """Sign-exact (b - a) x (d - c) = (bx-ax)(dy-cy) - (by-ay)(dx-cx).

    With b.x > a.x and d.x > c.x it is > 0 exactly when slope(c, d) > slope(a, b);
    with c, d any points it is > 0 exactly when d lies above the line through c
    parallel to a-b (a left of b). Same shape as orient2d (four rounded differences,
    two products, one difference), so orient2d's error bounds apply.
    """
    l = (bx - ax) * (dy - cy)
    r = (by - ay) * (dx - cx)
    det = l - r
    detsum = abs(l) + abs(r)
    if det > CCWERRBOUND_A * detsum or -det > CCWERRBOUND_A * detsum:
        return det
    return _cross_diff_adapt(ax, ay, bx, by, cx, cy, dx, dy, detsum)


# ---------------------------------------------------------------------------
# incircle
# ---------------------------------------------------------------------------


@njit(cache=True)
def _lift2_scale_into(x, xlen, dx, dy, h, w):
    """h = (dx*dx + dy*dy) * x exactly, scaling twice by each coordinate (which
    needs no lift expansion); h needs 8*xlen, w needs 10*xlen."""
    t = w[0 : 2 * xlen]
    xx = w[2 * xlen : 6 * xlen]
    yy = w[6 * xlen : 10 * xlen]
    tlen = _scale_into(x, xlen, dx, t)
    xxlen = _scale_into(t, tlen, dx, xx)
    tlen = _scale_into(x, xlen, dy, t)
    yylen = _scale_into(t, tlen, dy, yy)
    return _sum_into(xx, xxlen, yy, yylen, h)


@njit(cache=True)
def incircle_exact(ax, ay, bx, by, cx, cy, dx, dy):
    """Exact incircle from the exact differences (two components each), on the stack."""
    w = _stack_array(4264)
    d = w[0:12]
    adx = d[0:2]
    ady = d[2:4]
    bdx = d[4:6]
    bdy = d[6:8]
    cdx = d[8:10]
    cdy = d[10:12]
    adxlen = _diff_into(ax, dx, adx)
    adylen = _diff_into(ay, dy, ady)
    bdxlen = _diff_into(bx, dx, bdx)
    bdylen = _diff_into(by, dy, bdy)
    cdxlen = _diff_into(cx, dx, cdx)
    cdylen = _diff_into(cy, dy, cdy)
    alift = w[12:28]
    blift = w[28:44]
    clift = w[44:60]
    bc = w[60:76]
    ca = w[76:92]
    ab = w[92:108]
    ws = w[108:136]
    al = _mul2_into(adx, adxlen, adx, adxlen, ady, adylen, ady, adylen, 1.0, alift, ws)
    bl = _mul2_into(bdx, bdxlen, bdx, bdxlen, bdy, bdylen, bdy, bdylen, 1.0, blift, ws)
    cl = _mul2_into(cdx, cdxlen, cdx, cdxlen, cdy, cdylen, cdy, cdylen, 1.0, clift, ws)
    bcl = _mul2_into(bdx, bdxlen, cdy, cdylen, cdx, cdxlen, bdy, bdylen, -1.0, bc, ws)
    cal = _mul2_into(cdx, cdxlen, ady, adylen, adx, adxlen, cdy, cdylen, -1.0, ca, ws)
    abl = _mul2_into(adx, adxlen, bdy, bdylen, bdx, bdxlen, ady, adylen, -1.0, ab, ws)
    # lift (<= 16) times cross (<= 16): <= 512 components each
    sc = w[136:168]
    acc = w[168:680]
    t1 = w[680:1192]
    t2 = w[1192:1704]
    s = w[1704:2728]
    fin = w[2728:4264]
    t1len = _mul_into(bc, bcl, alift, al, t1, sc, acc)
    t2len = _mul_into(ca, cal, blift, bl, t2, sc, acc)
    slen = _sum_into(t1, t1len, t2, t2len, s)
    t1len = _mul_into(ab, abl, clift, cl, t1, sc, acc)
    n = _sum_into(s, slen, t1, t1len, fin)
    return fin[n - 1]


@njit(inline="always", cache=True)
def incircle(ax, ay, bx, by, cx, cy, dx, dy):
    """> 0 when d lies inside the circle through counter-clockwise a, b, c (exact)."""
    adx = ax - dx
    bdx = bx - dx
    cdx = cx - dx
    ady = ay - dy
    bdy = by - dy
    cdy = cy - dy
    bdxcdy = bdx * cdy
    cdxbdy = cdx * bdy
    alift = adx * adx + ady * ady
    cdxady = cdx * ady
    adxcdy = adx * cdy
    blift = bdx * bdx + bdy * bdy
    adxbdy = adx * bdy
    bdxady = bdx * ady
    clift = cdx * cdx + cdy * cdy
    det = alift * (bdxcdy - cdxbdy) + blift * (cdxady - adxcdy) + clift * (adxbdy - bdxady)
    permanent = (
        (abs(bdxcdy) + abs(cdxbdy)) * alift
        + (abs(cdxady) + abs(adxcdy)) * blift
        + (abs(adxbdy) + abs(bdxady)) * clift
    )
    errbound = ICCERRBOUND_A * permanent
    # one predictable compare: the two-sided test mispredicted half the time
    if abs(det) > errbound:
        return det
    return incircle_adapt(ax, ay, bx, by, cx, cy, dx, dy, permanent)


@njit(cache=True)
def _incircle_stage_b(adx, ady, bdx, bdy, cdx, cdy):
    """Exact incircle determinant of the given differences as an expansion on the
    stack (Shewchuk's stage B layout); returns (its estimate, its largest component)."""
    w = _stack_array(316)
    bc = w[0:4]
    ca = w[4:8]
    ab = w[8:12]
    _products_diff_into(bdx, cdy, cdx, bdy, bc)
    _products_diff_into(cdx, ady, adx, cdy, ca)
    _products_diff_into(adx, bdy, bdx, ady, ab)
    adet = w[12:44]
    bdet = w[44:76]
    cdet = w[76:108]
    ws = w[108:156]
    alen = _lift2_scale_into(bc, bc.shape[0], adx, ady, adet, ws)
    blen = _lift2_scale_into(ca, ca.shape[0], bdx, bdy, bdet, ws)
    clen = _lift2_scale_into(ab, ab.shape[0], cdx, cdy, cdet, ws)
    abdet = w[156:220]
    fin = w[220:316]
    ablen = _sum_into(adet, alen, bdet, blen, abdet)
    n = _sum_into(abdet, ablen, cdet, clen, fin)
    return _estimate(fin, n), fin[n - 1]


@njit(cache=True)
def incircle_adapt(ax, ay, bx, by, cx, cy, dx, dy, permanent):
    """Adaptive stages of incircle (no allocation), then the exact stage."""
    adx, adxt = two_diff(ax, dx)
    ady, adyt = two_diff(ay, dy)
    bdx, bdxt = two_diff(bx, dx)
    bdy, bdyt = two_diff(by, dy)
    cdx, cdxt = two_diff(cx, dx)
    cdy, cdyt = two_diff(cy, dy)
    if abs(adxt) + abs(adyt) + abs(bdxt) + abs(bdyt) + abs(cdxt) + abs(cdyt) == 0.0:
        # Exact differences: the determinant of the rounded differences is the
        # answer. Try it in doubles, else as an exact expansion.
        if (
            _small_int(adx, 4096.0)
            and _small_int(ady, 4096.0)
            and _small_int(bdx, 4096.0)
            and _small_int(bdy, 4096.0)
            and _small_int(cdx, 4096.0)
            and _small_int(cdy, 4096.0)
        ):
            # Integers of magnitude <= 2**12 (grids): lifts and 2x2 minors are
            # integers of magnitude at most 2**25, their products at most 2**50,
            # the sum of three below 2**52: every operation here is exact.
            return (
                (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy)
                + (bdx * bdx + bdy * bdy) * (cdx * ady - adx * cdy)
                + (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady)
            )
        err = 0.0
        bc, err = _xcross(bdx, cdy, cdx, bdy, err)
        ca, err = _xcross(cdx, ady, adx, cdy, err)
        ab, err = _xcross(adx, bdy, bdx, ady, err)
        alift, err = _xdot(adx, adx, ady, ady, err)
        blift, err = _xdot(bdx, bdx, bdy, bdy, err)
        clift, err = _xdot(cdx, cdx, cdy, cdy, err)
        s, err = _xdot(alift, bc, blift, ca, err)
        t, err = _xmul(clift, ab, err)
        det, err = _xadd(s, t, err)
        if err == 0.0:
            return det
        return _incircle_stage_b(adx, ady, bdx, bdy, cdx, cdy)[1]
    # Shewchuk's stage B: its estimate is certain beyond ICCERRBOUND_B * permanent.
    det = _incircle_stage_b(adx, ady, bdx, bdy, cdx, cdy)[0]
    errbound = ICCERRBOUND_B * permanent
    if det >= errbound or -det >= errbound:
        return det
    # Shewchuk's stage C: add the first-order tail terms to B's estimate.
    errbound = ICCERRBOUND_C * permanent + RESULTERRBOUND * abs(det)
    det += (
        (
            (adx * adx + ady * ady) * ((bdx * cdyt + cdy * bdxt) - (bdy * cdxt + cdx * bdyt))
            + 2.0 * (adx * adxt + ady * adyt) * (bdx * cdy - bdy * cdx)
        )
        + (
            (bdx * bdx + bdy * bdy) * ((cdx * adyt + ady * cdxt) - (cdy * adxt + adx * cdyt))
            + 2.0 * (bdx * bdxt + bdy * bdyt) * (cdx * ady - cdy * adx)
        )
        + (
            (cdx * cdx + cdy * cdy) * ((adx * bdyt + bdy * adxt) - (ady * bdxt + bdx * adyt))
            + 2.0 * (cdx * cdxt + cdy * cdyt) * (adx * bdy - ady * bdx)
        )
    )
    if det >= errbound or -det >= errbound:
        return det
    return incircle_exact(ax, ay, bx, by, cx, cy, dx, dy)


# ---------------------------------------------------------------------------
# orient3d
# ---------------------------------------------------------------------------


@njit(cache=True)
def orient3d_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz):
    """Exact orient3d from the exact differences (two components each), on the stack."""
    w = _stack_array(702)
    d = w[0:18]
    adx = d[0:2]
    ady = d[2:4]
    adz = d[4:6]
    bdx = d[6:8]
    bdy = d[8:10]
    bdz = d[10:12]
    cdx = d[12:14]
    cdy = d[14:16]
    cdz = d[16:18]
    adxlen = _diff_into(ax, dx, adx)
    adylen = _diff_into(ay, dy, ady)
    adzlen = _diff_into(az, dz, adz)
    bdxlen = _diff_into(bx, dx, bdx)
    bdylen = _diff_into(by, dy, bdy)
    bdzlen = _diff_into(bz, dz, bdz)
    cdxlen = _diff_into(cx, dx, cdx)
    cdylen = _diff_into(cy, dy, cdy)
    cdzlen = _diff_into(cz, dz, cdz)
    bc = w[18:34]
    ca = w[34:50]
    ab = w[50:66]
    ws = w[66:94]
    bcl = _mul2_into(bdx, bdxlen, cdy, cdylen, cdx, cdxlen, bdy, bdylen, -1.0, bc, ws)
    cal = _mul2_into(cdx, cdxlen, ady, adylen, adx, adxlen, cdy, cdylen, -1.0, ca, ws)
    abl = _mul2_into(adx, adxlen, bdy, bdylen, bdx, bdxlen, ady, adylen, -1.0, ab, ws)
    # cross (<= 16) times z (<= 2): <= 64 components each
    sc = w[94:126]
    acc = w[126:190]
    adet = w[190:254]
    bdet = w[254:318]
    cdet = w[318:382]
    abdet = w[382:510]
    fin = w[510:702]
    alen = _mul_into(bc, bcl, adz, adzlen, adet, sc, acc)
    blen = _mul_into(ca, cal, bdz, bdzlen, bdet, sc, acc)
    clen = _mul_into(ab, abl, cdz, cdzlen, cdet, sc, acc)
    ablen = _sum_into(adet, alen, bdet, blen, abdet)
    n = _sum_into(abdet, ablen, cdet, clen, fin)
    return fin[n - 1]


@njit(inline="always", cache=True)
def orient3d(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz):
    """> 0 when d lies below the plane of a, b, c (a, b, c counter-clockwise seen
    from above), < 0 above, 0 coplanar (exact)."""
    adx = ax - dx
    bdx = bx - dx
    cdx = cx - dx
    ady = ay - dy
    bdy = by - dy
    cdy = cy - dy
    adz = az - dz
    bdz = bz - dz
    cdz = cz - dz
    bdxcdy = bdx * cdy
    cdxbdy = cdx * bdy
    cdxady = cdx * ady
    adxcdy = adx * cdy
    adxbdy = adx * bdy
    bdxady = bdx * ady
    det = adz * (bdxcdy - cdxbdy) + bdz * (cdxady - adxcdy) + cdz * (adxbdy - bdxady)
    permanent = (
        (abs(bdxcdy) + abs(cdxbdy)) * abs(adz)
        + (abs(cdxady) + abs(adxcdy)) * abs(bdz)
        + (abs(adxbdy) + abs(bdxady)) * abs(cdz)
    )
    errbound = O3DERRBOUND_A * permanent
    # one predictable compare: the two-sided test mispredicted half the time
    if abs(det) > errbound:
        return det
    return orient3d_adapt(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, permanent)


@njit(cache=True)
def _orient3d_stage_b(adx, ady, adz, bdx, bdy, bdz, cdx, cdy, cdz):
    """Exact orient3d determinant of the given differences as an expansion on the
    stack (Shewchuk's stage B layout); returns (its estimate, its largest component)."""
    w = _stack_array(76)
    bc = w[0:4]
    ca = w[4:8]
    ab = w[8:12]
    _products_diff_into(bdx, cdy, cdx, bdy, bc)
    _products_diff_into(cdx, ady, adx, cdy, ca)
    _products_diff_into(adx, bdy, bdx, ady, ab)
    adet = w[12:20]
    bdet = w[20:28]
    cdet = w[28:36]
    abdet = w[36:52]
    fin = w[52:76]
    alen = _scale_into(bc, bc.shape[0], adz, adet)
    blen = _scale_into(ca, ca.shape[0], bdz, bdet)
    clen = _scale_into(ab, ab.shape[0], cdz, cdet)
    ablen = _sum_into(adet, alen, bdet, blen, abdet)
    n = _sum_into(abdet, ablen, cdet, clen, fin)
    return _estimate(fin, n), fin[n - 1]


@njit(cache=True)
def orient3d_adapt(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, permanent):
    """Adaptive stages of orient3d (no allocation), then the exact stage."""
    adx, adxt = two_diff(ax, dx)
    bdx, bdxt = two_diff(bx, dx)
    cdx, cdxt = two_diff(cx, dx)
    ady, adyt = two_diff(ay, dy)
    bdy, bdyt = two_diff(by, dy)
    cdy, cdyt = two_diff(cy, dy)
    adz, adzt = two_diff(az, dz)
    bdz, bdzt = two_diff(bz, dz)
    cdz, cdzt = two_diff(cz, dz)
    tails = abs(adxt) + abs(bdxt) + abs(cdxt) + abs(adyt) + abs(bdyt) + abs(cdyt)
    if tails + abs(adzt) + abs(bdzt) + abs(cdzt) == 0.0:
        # Exact differences: the determinant of the rounded differences is the
        # answer. Try it in doubles, else as an exact expansion.
        small = 65536.0
        if (
            _small_int(adx, small)
            and _small_int(ady, small)
            and _small_int(adz, small)
            and _small_int(bdx, small)
            and _small_int(bdy, small)
            and _small_int(bdz, small)
            and _small_int(cdx, small)
            and _small_int(cdy, small)
            and _small_int(cdz, small)
        ):
            # Integers of magnitude <= 2**16 (lattices): 2x2 minors are integers
            # of magnitude at most 2**33, their products with a z difference at
            # most 2**49, the sum of three below 2**51: every operation is exact.
            return (
                adz * (bdx * cdy - cdx * bdy)
                + bdz * (cdx * ady - adx * cdy)
                + cdz * (adx * bdy - bdx * ady)
            )
        err = 0.0
        bc, err = _xcross(bdx, cdy, cdx, bdy, err)
        ca, err = _xcross(cdx, ady, adx, cdy, err)
        ab, err = _xcross(adx, bdy, bdx, ady, err)
        s, err = _xdot(adz, bc, bdz, ca, err)
        t, err = _xmul(cdz, ab, err)
        det, err = _xadd(s, t, err)
        if err == 0.0:
            return det
        return _orient3d_stage_b(adx, ady, adz, bdx, bdy, bdz, cdx, cdy, cdz)[1]
    # Shewchuk's stage B: its estimate is certain beyond O3DERRBOUND_B * permanent.
    det = _orient3d_stage_b(adx, ady, adz, bdx, bdy, bdz, cdx, cdy, cdz)[0]
    errbound = O3DERRBOUND_B * permanent
    if det >= errbound or -det >= errbound:
        return det
    # Shewchuk's stage C: add the first-order tail terms to B's estimate.
    errbound = O3DERRBOUND_C * permanent + RESULTERRBOUND * abs(det)
    det += (
        (
            adz * ((bdx * cdyt + cdy * bdxt) - (bdy * cdxt + cdx * bdyt))
            + adzt * (bdx * cdy - bdy * cdx)
        )
        + (
            bdz * ((cdx * adyt + ady * cdxt) - (cdy * adxt + adx * cdyt))
            + bdzt * (cdx * ady - cdy * adx)
        )
        + (
            cdz * ((adx * bdyt + bdy * adxt) - (ady * bdxt + bdx * adyt))
            + cdzt * (adx * bdy - ady * bdx)
        )
    )
    if det >= errbound or -det >= errbound:
        return det
    return orient3d_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz)


# ---------------------------------------------------------------------------
# insphere
# ---------------------------------------------------------------------------


@njit(cache=True)
def _cofactor_into(x, xlen, p, plen, y, ylen, q, qlen, ysign, z, zlen, r, rlen, h, w):
    """h = x*p + ysign*y*q + z*r exactly, for x, y, z of at most 16 components and
    p, q, r of at most two: h needs 192, w needs 416."""
    sc = w[0:32]
    acc = w[32:96]
    t1 = w[96:160]
    t2 = w[160:224]
    t3 = w[224:288]
    s12 = w[288:416]
    n1 = _mul_into(x, xlen, p, plen, t1, sc, acc)
    n2 = _mul_into(y, ylen, q, qlen, t2, sc, acc)
    if ysign < 0.0:
        for i in range(n2):
            t2[i] = -t2[i]
    n3 = _mul_into(z, zlen, r, rlen, t3, sc, acc)
    n12 = _sum_into(t1, n1, t2, n2, s12)
    return _sum_into(s12, n12, t3, n3, h)


@njit(cache=True)
def _lift_into(x, xlen, y, ylen, z, zlen, h, w):
    """h = x*x + y*y + z*z exactly, for expansions of at most two components:
    h needs 24, w needs 52."""
    xy = w[0:16]
    zz = w[16:24]
    ws = w[24:52]
    nxy = _mul2_into(x, xlen, x, xlen, y, ylen, y, ylen, 1.0, xy, ws)
    nzz = _mul_into(z, zlen, z, zlen, zz, ws[0:4], ws[4:12])
    return _sum_into(xy, nxy, zz, nzz, h)


@njit(cache=True)
def insphere_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez):
    """Exact insphere from the exact differences (two components each).

    Minors, cofactors and lifts are built on the stack; the four lift x cofactor
    products (up to 9216 components each) go to one heap buffer sized from their
    actual lengths: the only allocation of any predicate, on its rarest path
    (stage C failed: the five points are on a sphere or within a few ulps of it,
    with inexact coordinate differences).
    """
    w = _stack_array(1488)
    aex = w[0:2]
    aey = w[2:4]
    aez = w[4:6]
    bex = w[6:8]
    bey = w[8:10]
    bez = w[10:12]
    cex = w[12:14]
    cey = w[14:16]
    cez = w[16:18]
    dex = w[18:20]
    dey = w[20:22]
    dez = w[22:24]
    aexl = _diff_into(ax, ex, aex)
    aeyl = _diff_into(ay, ey, aey)
    aezl = _diff_into(az, ez, aez)
    bexl = _diff_into(bx, ex, bex)
    beyl = _diff_into(by, ey, bey)
    bezl = _diff_into(bz, ez, bez)
    cexl = _diff_into(cx, ex, cex)
    ceyl = _diff_into(cy, ey, cey)
    cezl = _diff_into(cz, ez, cez)
    dexl = _diff_into(dx, ex, dex)
    deyl = _diff_into(dy, ey, dey)
    dezl = _diff_into(dz, ez, dez)
    ws = w[24:52]
    ab = w[52:68]
    bc = w[68:84]
    cd = w[84:100]
    da = w[100:116]
    ac = w[116:132]
    bd = w[132:148]
    abl = _mul2_into(aex, aexl, bey, beyl, aey, aeyl, bex, bexl, -1.0, ab, ws)
    bcl = _mul2_into(bex, bexl, cey, ceyl, bey, beyl, cex, cexl, -1.0, bc, ws)
    cdl = _mul2_into(cex, cexl, dey, deyl, cey, ceyl, dex, dexl, -1.0, cd, ws)
    dal = _mul2_into(dex, dexl, aey, aeyl, dey, deyl, aex, aexl, -1.0, da, ws)
    acl = _mul2_into(aex, aexl, cey, ceyl, aey, aeyl, cex, cexl, -1.0, ac, ws)
    bdl = _mul2_into(bex, bexl, dey, deyl, bey, beyl, dex, dexl, -1.0, bd, ws)
    # cofactors, as in the filter: abc = aez*bc - bez*ac + cez*ab, ...
    cw = w[148:564]
    abc = w[564:756]
    bcd = w[756:948]
    cda = w[948:1140]
    dab = w[1140:1332]
    abcl = _cofactor_into(bc, bcl, aez, aezl, ac, acl, bez, bezl, -1.0, ab, abl, cez, cezl, abc, cw)
    bcdl = _cofactor_into(cd, cdl, bez, bezl, bd, bdl, cez, cezl, -1.0, bc, bcl, dez, dezl, bcd, cw)
    cdal = _cofactor_into(da, dal, cez, cezl, ac, acl, dez, dezl, 1.0, cd, cdl, aez, aezl, cda, cw)
    dabl = _cofactor_into(ab, abl, dez, dezl, bd, bdl, aez, aezl, 1.0, da, dal, bez, bezl, dab, cw)
    lw = w[1332:1384]
    alift = w[1384:1408]
    blift = w[1408:1432]
    clift = w[1432:1456]
    dlift = w[1456:1480]
    all_ = _lift_into(aex, aexl, aey, aeyl, aez, aezl, alift, lw)
    bll = _lift_into(bex, bexl, bey, beyl, bez, bezl, blift, lw)
    cll = _lift_into(cex, cexl, cey, ceyl, cez, cezl, clift, lw)
    dll = _lift_into(dex, dexl, dey, deyl, dez, dezl, dlift, lw)
    # det = (dlift*abc - clift*dab) + (blift*cda - alift*bcd)
    n1 = 2 * abcl * dll
    n2 = 2 * dabl * cll
    n3 = 2 * cdal * bll
    n4 = 2 * bcdl * all_
    nsc = 2 * max(max(abcl, dabl), max(cdal, bcdl))
    nacc = max(max(n1, n2), max(n3, n4))
    total = n1 + n2 + n3 + n4
    heap = np.empty(nsc + nacc + 3 * total)
    sc = heap[0:nsc]
    o = nsc
    acc = heap[o : o + nacc]
    o += nacc
    t1 = heap[o : o + n1]
    o += n1
    t2 = heap[o : o + n2]
    o += n2
    t3 = heap[o : o + n3]
    o += n3
    t4 = heap[o : o + n4]
    o += n4
    s12 = heap[o : o + n1 + n2]
    o += n1 + n2
    s34 = heap[o : o + n3 + n4]
    o += n3 + n4
    fin = heap[o : o + total]
    l1 = _mul_into(abc, abcl, dlift, dll, t1, sc, acc)
    l2 = _mul_into(dab, dabl, clift, cll, t2, sc, acc)
    l3 = _mul_into(cda, cdal, blift, bll, t3, sc, acc)
    l4 = _mul_into(bcd, bcdl, alift, all_, t4, sc, acc)
    for i in range(l2):
        t2[i] = -t2[i]
    for i in range(l4):
        t4[i] = -t4[i]
    l12 = _sum_into(t1, l1, t2, l2, s12)
    l34 = _sum_into(t3, l3, t4, l4, s34)
    n = _sum_into(s12, l12, s34, l34, fin)
    return fin[n - 1]


@njit(inline="always", cache=True)
def insphere(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez):
    """> 0 when e lies inside the sphere through positively oriented a, b, c, d (exact)."""
    aex = ax - ex
    bex = bx - ex
    cex = cx - ex
    dex = dx - ex
    aey = ay - ey
    bey = by - ey
    cey = cy - ey
    dey = dy - ey
    aez = az - ez
    bez = bz - ez
    cez = cz - ez
    dez = dz - ez
    aexbey = aex * bey
    bexaey = bex * aey
    ab = aexbey - bexaey
    bexcey = bex * cey
    cexbey = cex * bey
    bc = bexcey - cexbey
    cexdey = cex * dey
    dexcey = dex * cey
    cd = cexdey - dexcey
    dexaey = dex * aey
    aexdey = aex * dey
    da = dexaey - aexdey
    aexcey = aex * cey
    cexaey = cex * aey
    ac = aexcey - cexaey
    bexdey = bex * dey
    dexbey = dex * bey
    bd = bexdey - dexbey
    abc = aez * bc - bez * ac + cez * ab
    bcd = bez * cd - cez * bd + dez * bc
    cda = cez * da + dez * ac + aez * cd
    dab = dez * ab + aez * bd + bez * da
    alift = aex * aex + aey * aey + aez * aez
    blift = bex * bex + bey * bey + bez * bez
    clift = cex * cex + cey * cey + cez * cez
    dlift = dex * dex + dey * dey + dez * dez
    det = (dlift * abc - clift * dab) + (blift * cda - alift * bcd)
    aezp = abs(aez)
    bezp = abs(bez)
    cezp = abs(cez)
    dezp = abs(dez)
    aexbeyp = abs(aexbey)
    bexaeyp = abs(bexaey)
    bexceyp = abs(bexcey)
    cexbeyp = abs(cexbey)
    cexdeyp = abs(cexdey)
    dexceyp = abs(dexcey)
    dexaeyp = abs(dexaey)
    aexdeyp = abs(aexdey)
    aexceyp = abs(aexcey)
    cexaeyp = abs(cexaey)
    bexdeyp = abs(bexdey)
    dexbeyp = abs(dexbey)
    permanent = (
        ((cexdeyp + dexceyp) * bezp + (dexbeyp + bexdeyp) * cezp + (bexceyp + cexbeyp) * dezp)
        * alift
        + ((dexaeyp + aexdeyp) * cezp + (aexceyp + cexaeyp) * dezp + (cexdeyp + dexceyp) * aezp)
        * blift
        + ((aexbeyp + bexaeyp) * dezp + (bexdeyp + dexbeyp) * aezp + (dexaeyp + aexdeyp) * bezp)
        * clift
        + ((bexceyp + cexbeyp) * aezp + (cexaeyp + aexceyp) * bezp + (aexbeyp + bexaeyp) * cezp)
        * dlift
    )
    errbound = ISPERRBOUND_A * permanent
    # one predictable compare: the two-sided test mispredicted half the time
    if abs(det) > errbound:
        return det
    return insphere_adapt(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez, permanent)


@njit(cache=True)
def _combo3_into(x, p, y, q, z, r, h, w):
    """h = x*p + y*q + z*r exactly for four-component x, y, z and doubles p, q, r;
    h needs 24, w needs 40."""
    t8a = w[0:8]
    t8b = w[8:16]
    t8c = w[16:24]
    t16 = w[24:40]
    alen = _scale_into(x, x.shape[0], p, t8a)
    blen = _scale_into(y, y.shape[0], q, t8b)
    clen = _scale_into(z, z.shape[0], r, t8c)
    ablen = _sum_into(t8a, alen, t8b, blen, t16)
    return _sum_into(t8c, clen, t16, ablen, h)


@njit(cache=True)
def _lift3_scale_into(x, xlen, dx, dy, dz, sign, h, w):
    """h = sign * (dx*dx + dy*dy + dz*dz) * x exactly (sign is 1.0 or -1.0),
    scaling twice by each coordinate; h needs 12*xlen, w needs 22*xlen."""
    t = w[0 : 2 * xlen]
    xx = w[2 * xlen : 6 * xlen]
    yy = w[6 * xlen : 10 * xlen]
    zz = w[10 * xlen : 14 * xlen]
    xy = w[14 * xlen : 22 * xlen]
    tlen = _scale_into(x, xlen, dx, t)
    xxlen = _scale_into(t, tlen, sign * dx, xx)
    tlen = _scale_into(x, xlen, dy, t)
    yylen = _scale_into(t, tlen, sign * dy, yy)
    tlen = _scale_into(x, xlen, dz, t)
    zzlen = _scale_into(t, tlen, sign * dz, zz)
    xylen = _sum_into(xx, xxlen, yy, yylen, xy)
    return _sum_into(xy, xylen, zz, zzlen, h)


@njit(cache=True)
def _insphere_stage_b(aex, aey, aez, bex, bey, bez, cex, cey, cez, dex, dey, dez):
    """Exact insphere determinant of the given differences as an expansion on the
    stack (Shewchuk's stage B layout); returns its estimate, its largest component
    and the top components of the 2x2 minors ab, bc, cd, da, ac, bd (for stage C)."""
    w = _stack_array(4144)
    ab = w[0:4]
    bc = w[4:8]
    cd = w[8:12]
    da = w[12:16]
    ac = w[16:20]
    bd = w[20:24]
    _products_diff_into(aex, bey, bex, aey, ab)
    _products_diff_into(bex, cey, cex, bey, bc)
    _products_diff_into(cex, dey, dex, cey, cd)
    _products_diff_into(dex, aey, aex, dey, da)
    _products_diff_into(aex, cey, cex, aey, ac)
    _products_diff_into(bex, dey, dex, bey, bd)
    ws = w[24:64]
    abc = w[64:88]
    bcd = w[88:112]
    cda = w[112:136]
    dab = w[136:160]
    abclen = _combo3_into(bc, aez, ac, -bez, ab, cez, abc, ws)
    bcdlen = _combo3_into(cd, bez, bd, -cez, bc, dez, bcd, ws)
    cdalen = _combo3_into(da, cez, ac, dez, cd, aez, cda, ws)
    dablen = _combo3_into(ab, dez, bd, aez, da, bez, dab, ws)
    # det = (dlift*abc - clift*dab) + (blift*cda - alift*bcd)
    ws = w[160:688]
    adet = w[688:976]
    bdet = w[976:1264]
    cdet = w[1264:1552]
    ddet = w[1552:1840]
    alen = _lift3_scale_into(bcd, bcdlen, aex, aey, aez, -1.0, adet, ws)
    blen = _lift3_scale_into(cda, cdalen, bex, bey, bez, 1.0, bdet, ws)
    clen = _lift3_scale_into(dab, dablen, cex, cey, cez, -1.0, cdet, ws)
    dlen = _lift3_scale_into(abc, abclen, dex, dey, dez, 1.0, ddet, ws)
    abdet = w[1840:2416]
    cddet = w[2416:2992]
    fin = w[2992:4144]
    ablen = _sum_into(adet, alen, bdet, blen, abdet)
    cdlen = _sum_into(cdet, clen, ddet, dlen, cddet)
    n = _sum_into(abdet, ablen, cddet, cdlen, fin)
    return _estimate(fin, n), fin[n - 1], ab[3], bc[3], cd[3], da[3], ac[3], bd[3]


# ---------------------------------------------------------------------------
# Double-double middle stage of insphere (stage D below).
#
# A value is a pair (hi, lo) standing for the real hi + lo with |lo| <= u|hi|
# (u = 2**-53). The coordinate differences enter exactly (two_diff's pair). Each
# operation below returns a pair within v = 8 u**2 of the exact result, relative
# to |x| |y| (product) or |x| + |y| (sum):
#
# * _dd_mul: x_hi*y_hi exactly by two_product; the dropped x_lo*y_lo is
#   <= u**2 |x_hi y_hi|, the roundings of x_hi*y_lo, x_lo*y_hi, their sum and its
#   addition to the product's error term add <= (1 + 1 + 2 + 3) u**2 (1 + 3u)
#   |x_hi y_hi|; fast_two_sum is exact because that sum is below 4u|product|.
#   Total <= 7 u**2 (1 + 4u) |x||y| / (1 - u)**2 <= v |x||y|.
# * _dd_add: two_sum of the high parts (exact), the low parts added with one
#   rounding (<= u**2 (|x_hi| + |y_hi|)), that added to two_sum's error term
#   (<= 2 u**2 (1 + u) (|x_hi| + |y_hi|)), renormalised by two_sum (exact even
#   when the high parts cancel). Total <= 4 u**2 (|x| + |y|) <= v (|x| + |y|).
#
# Forward error of a +,-,* formula whose operations each err by at most v
# relative as above (induction over the tree: a leaf is exact, k = 0; a product
# of nodes of levels i, j has level i + j + 1, a sum level max(i, j) + 1): a
# node's computed value is within ((1 + v)**k - 1) P of its exact value, P the
# node's permanent (the formula with every input replaced by its absolute value
# and every - by +). insphere's formula below (the filter's, unchanged) has
# level k = 11 (minors 2, cofactors 5, lifts 3, lift x cofactor 9, then two
# sums), so the error is <= 11.01 v P = 88.1 u**2 P. P from the exact differences
# is at most (1 + u)**5 times P from the rounded ones, which the filter's
# ``permanent`` (a float evaluation of nonnegative terms, 12 levels deep)
# underestimates by at most a factor (1 - u)**12: P <= (1 + 18u) permanent.
# So |hi + lo - det| <= 88.2 u**2 permanent; with |lo| <= u|hi|, the sign of hi
# is the sign of det once |hi| > fl(96 u**2 permanent) (>= 95.9 u**2 permanent).
# No underflow: every nonzero value here is a sum or difference of products of
# at most five coordinate differences or their error terms, a multiple of the
# grid that geoent._validation.EXPONENT_LIMITS keeps at or above 2**-900.
# ---------------------------------------------------------------------------

ISPERRBOUND_D = 96.0 * _EPS * _EPS


@njit(inline="always", cache=True)
def _dd_mul(xh, xl, yh, yl):
    p, e = two_product(xh, yh)
    s = xh * yl + xl * yh
    e = e + s
    return fast_two_sum(p, e)


@njit(inline="always", cache=True)
def _dd_add(xh, xl, yh, yl):
    s, e = two_sum(xh, yh)
    t = xl + yl
    e = e + t
    return two_sum(s, e)


@njit(inline="always", cache=True)
def _dd_minor(xh, xl, yh, yl, zh, zl, wh, wl):
    """x*y - z*w in double-double."""
    ph, pl = _dd_mul(xh, xl, yh, yl)
    qh, ql = _dd_mul(zh, zl, wh, wl)
    return _dd_add(ph, pl, -qh, -ql)


@njit(inline="always", cache=True)
def _dd_combo3(xh, xl, ph, pl, yh, yl, qh, ql, zh, zl, rh, rl):
    """(x*p + y*q) + z*r in double-double."""
    sh, sl = _dd_mul(xh, xl, ph, pl)
    th, tl = _dd_mul(yh, yl, qh, ql)
    sh, sl = _dd_add(sh, sl, th, tl)
    th, tl = _dd_mul(zh, zl, rh, rl)
    return _dd_add(sh, sl, th, tl)


@njit(cache=True)
def _insphere_stage_d(
    aex, aext, aey, aeyt, aez, aezt, bex, bext, bey, beyt, bez, bezt,
    cex, cext, cey, ceyt, cez, cezt, dex, dext, dey, deyt, dez, dezt,
):  # fmt: skip
    """insphere's determinant from the exact differences (value, tail pairs) in
    double-double, same formula as the filter: (hi, lo) within 88.2 u**2 * the
    filter's permanent of the exact determinant (derivation above)."""
    abh, abl = _dd_minor(aex, aext, bey, beyt, bex, bext, aey, aeyt)
    bch, bcl = _dd_minor(bex, bext, cey, ceyt, cex, cext, bey, beyt)
    cdh, cdl = _dd_minor(cex, cext, dey, deyt, dex, dext, cey, ceyt)
    dah, dal = _dd_minor(dex, dext, aey, aeyt, aex, aext, dey, deyt)
    ach, acl = _dd_minor(aex, aext, cey, ceyt, cex, cext, aey, aeyt)
    bdh, bdl = _dd_minor(bex, bext, dey, deyt, dex, dext, bey, beyt)
    # abc = aez*bc - bez*ac + cez*ab, ... (the filter's cofactors)
    abch, abcl = _dd_combo3(aez, aezt, bch, bcl, -bez, -bezt, ach, acl, cez, cezt, abh, abl)
    bcdh, bcdl = _dd_combo3(bez, bezt, cdh, cdl, -cez, -cezt, bdh, bdl, dez, dezt, bch, bcl)
    cdah, cdal = _dd_combo3(cez, cezt, dah, dal, dez, dezt, ach, acl, aez, aezt, cdh, cdl)
    dabh, dabl = _dd_combo3(dez, dezt, abh, abl, aez, aezt, bdh, bdl, bez, bezt, dah, dal)
    alh, all_ = _dd_combo3(aex, aext, aex, aext, aey, aeyt, aey, aeyt, aez, aezt, aez, aezt)
    blh, bll = _dd_combo3(bex, bext, bex, bext, bey, beyt, bey, beyt, bez, bezt, bez, bezt)
    clh, cll = _dd_combo3(cex, cext, cex, cext, cey, ceyt, cey, ceyt, cez, cezt, cez, cezt)
    dlh, dll = _dd_combo3(dex, dext, dex, dext, dey, deyt, dey, deyt, dez, dezt, dez, dezt)
    # det = (dlift*abc - clift*dab) + (blift*cda - alift*bcd)
    uh, ul = _dd_minor(dlh, dll, abch, abcl, clh, cll, dabh, dabl)
    vh, vl = _dd_minor(blh, bll, cdah, cdal, alh, all_, bcdh, bcdl)
    return _dd_add(uh, ul, vh, vl)


@njit(cache=True)
def _xcombo3(x, p, y, q, z, r, err):
    """x*p + y*q + z*r, tracking exactness."""
    s, err = _xdot(x, p, y, q, err)
    t, err = _xmul(z, r, err)
    return _xadd(s, t, err)


@njit(cache=True)
def insphere_adapt(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez, permanent):
    """Adaptive stages of insphere (no allocation), then the exact stage."""
    aex, aext = two_diff(ax, ex)
    aey, aeyt = two_diff(ay, ey)
    aez, aezt = two_diff(az, ez)
    bex, bext = two_diff(bx, ex)
    bey, beyt = two_diff(by, ey)
    bez, bezt = two_diff(bz, ez)
    cex, cext = two_diff(cx, ex)
    cey, ceyt = two_diff(cy, ey)
    cez, cezt = two_diff(cz, ez)
    dex, dext = two_diff(dx, ex)
    dey, deyt = two_diff(dy, ey)
    dez, dezt = two_diff(dz, ez)
    tails = abs(aext) + abs(aeyt) + abs(aezt) + abs(bext) + abs(beyt) + abs(bezt)
    tails += abs(cext) + abs(ceyt) + abs(cezt) + abs(dext) + abs(deyt) + abs(dezt)
    if tails == 0.0:
        # Exact differences: the determinant of the rounded differences is the
        # answer. Small integers: plain doubles are exact.
        small = 512.0
        if (
            _small_int(aex, small)
            and _small_int(aey, small)
            and _small_int(aez, small)
            and _small_int(bex, small)
            and _small_int(bey, small)
            and _small_int(bez, small)
            and _small_int(cex, small)
            and _small_int(cey, small)
            and _small_int(cez, small)
            and _small_int(dex, small)
            and _small_int(dey, small)
            and _small_int(dez, small)
        ):
            # Integers of magnitude <= 2**9 (lattices): lifts are integers of
            # magnitude at most 3 * 2**18, 3x3 cofactors at most 3 * 2**28, their
            # products at most 9 * 2**46, and sums of up to four of those at most
            # 36 * 2**46 < 2**52: every operation here is exact.
            ab = aex * bey - bex * aey
            bc = bex * cey - cex * bey
            cd = cex * dey - dex * cey
            da = dex * aey - aex * dey
            ac = aex * cey - cex * aey
            bd = bex * dey - dex * bey
            abc = aez * bc - bez * ac + cez * ab
            bcd = bez * cd - cez * bd + dez * bc
            cda = cez * da + dez * ac + aez * cd
            dab = dez * ab + aez * bd + bez * da
            alift = aex * aex + aey * aey + aez * aez
            blift = bex * bex + bey * bey + bez * bez
            clift = cex * cex + cey * cey + cez * cez
            dlift = dex * dex + dey * dey + dez * dez
            return (dlift * abc - clift * dab) + (blift * cda - alift * bcd)
    # Stage D: the exact determinant in double-double (a few hundred flops, no
    # memory), accepted beyond ISPERRBOUND_D * permanent. On near-cospherical
    # input (points on a sphere rounded to doubles: |det| is about u * permanent)
    # it decides most calls that fail the filter, before the stages below.
    dh, dl = _insphere_stage_d(
        aex, aext, aey, aeyt, aez, aezt, bex, bext, bey, beyt, bez, bezt,
        cex, cext, cey, ceyt, cez, cezt, dex, dext, dey, deyt, dez, dezt,
    )  # fmt: skip
    errbound = ISPERRBOUND_D * permanent
    if dh > errbound or -dh > errbound:
        return dh
    if tails == 0.0:
        # the exact value of the rounded differences' determinant: in doubles
        # with every error term tracked, else an expansion
        err = 0.0
        ab, err = _xcross(aex, bey, bex, aey, err)
        bc, err = _xcross(bex, cey, cex, bey, err)
        cd, err = _xcross(cex, dey, dex, cey, err)
        da, err = _xcross(dex, aey, aex, dey, err)
        ac, err = _xcross(aex, cey, cex, aey, err)
        bd, err = _xcross(bex, dey, dex, bey, err)
        abc, err = _xcombo3(bc, aez, ac, -bez, ab, cez, err)
        bcd, err = _xcombo3(cd, bez, bd, -cez, bc, dez, err)
        cda, err = _xcombo3(da, cez, ac, dez, cd, aez, err)
        dab, err = _xcombo3(ab, dez, bd, aez, da, bez, err)
        alift, err = _xcombo3(aex, aex, aey, aey, aez, aez, err)
        blift, err = _xcombo3(bex, bex, bey, bey, bez, bez, err)
        clift, err = _xcombo3(cex, cex, cey, cey, cez, cez, err)
        dlift, err = _xcombo3(dex, dex, dey, dey, dez, dez, err)
        u, err = _xcross(dlift, abc, clift, dab, err)
        v, err = _xcross(blift, cda, alift, bcd, err)
        det, err = _xadd(u, v, err)
        if err == 0.0:
            return det
        return _insphere_stage_b(aex, aey, aez, bex, bey, bez, cex, cey, cez, dex, dey, dez)[1]
    # Shewchuk's stage B: its estimate is certain beyond ISPERRBOUND_B * permanent.
    det, _, ab3, bc3, cd3, da3, ac3, bd3 = _insphere_stage_b(
        aex, aey, aez, bex, bey, bez, cex, cey, cez, dex, dey, dez
    )
    errbound = ISPERRBOUND_B * permanent
    if det >= errbound or -det >= errbound:
        return det
    # Shewchuk's stage C: add the first-order tail terms to B's estimate.
    errbound = ISPERRBOUND_C * permanent + RESULTERRBOUND * abs(det)
    abeps = (aex * beyt + bey * aext) - (aey * bext + bex * aeyt)
    bceps = (bex * ceyt + cey * bext) - (bey * cext + cex * beyt)
    cdeps = (cex * deyt + dey * cext) - (cey * dext + dex * ceyt)
    daeps = (dex * aeyt + aey * dext) - (dey * aext + aex * deyt)
    aceps = (aex * ceyt + cey * aext) - (aey * cext + cex * aeyt)
    bdeps = (bex * deyt + dey * bext) - (bey * dext + dex * beyt)
    det += (
        (
            (bex * bex + bey * bey + bez * bez)
            * ((cez * daeps + dez * aceps + aez * cdeps) + (cezt * da3 + dezt * ac3 + aezt * cd3))
            + (dex * dex + dey * dey + dez * dez)
            * ((aez * bceps - bez * aceps + cez * abeps) + (aezt * bc3 - bezt * ac3 + cezt * ab3))
        )
        - (
            (aex * aex + aey * aey + aez * aez)
            * ((bez * cdeps - cez * bdeps + dez * bceps) + (bezt * cd3 - cezt * bd3 + dezt * bc3))
            + (cex * cex + cey * cey + cez * cez)
            * ((dez * abeps + aez * bdeps + bez * daeps) + (dezt * ab3 + aezt * bd3 + bezt * da3))
        )
    ) + 2.0 * (
        (
            (bex * bext + bey * beyt + bez * bezt) * (cez * da3 + dez * ac3 + aez * cd3)
            + (dex * dext + dey * deyt + dez * dezt) * (aez * bc3 - bez * ac3 + cez * ab3)
        )
        - (
            (aex * aext + aey * aeyt + aez * aezt) * (bez * cd3 - cez * bd3 + dez * bc3)
            + (cex * cext + cey * ceyt + cez * cezt) * (dez * ab3 + aez * bd3 + bez * da3)
        )
    )
    if det >= errbound or -det >= errbound:
        return det
    return insphere_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez)


# ---------------------------------------------------------------------------
# Vectorised loops behind geoent.predicates (arrays in, int8 signs out)
# ---------------------------------------------------------------------------


@njit(inline="always", cache=True)
def _sign(v):
    return np.int8(1) if v > 0.0 else (np.int8(-1) if v < 0.0 else np.int8(0))


@njit(cache=True)
def orient2d_batch(a, b, c, out):
    for i in range(out.shape[0]):
        out[i] = _sign(orient2d(a[i, 0], a[i, 1], b[i, 0], b[i, 1], c[i, 0], c[i, 1]))


@njit(cache=True)
def incircle_batch(a, b, c, d, out):
    for i in range(out.shape[0]):
        out[i] = _sign(
            incircle(a[i, 0], a[i, 1], b[i, 0], b[i, 1], c[i, 0], c[i, 1], d[i, 0], d[i, 1])
        )


@njit(cache=True)
def orient3d_batch(a, b, c, d, out):
    for i in range(out.shape[0]):
        out[i] = _sign(
            orient3d(
                a[i, 0], a[i, 1], a[i, 2], b[i, 0], b[i, 1], b[i, 2],
                c[i, 0], c[i, 1], c[i, 2], d[i, 0], d[i, 1], d[i, 2],
            )
        )  # fmt: skip


@njit(cache=True)
def insphere_batch(a, b, c, d, e, out):
    for i in range(out.shape[0]):
        out[i] = _sign(
            insphere(
                a[i, 0], a[i, 1], a[i, 2], b[i, 0], b[i, 1], b[i, 2],
                c[i, 0], c[i, 1], c[i, 2], d[i, 0], d[i, 1], d[i, 2],
                e[i, 0], e[i, 1], e[i, 2],
            )
        )  # fmt: skip
