"""Element-wise parts of the hull measures (``geoent._hull_measures``) in one pass.

The API module computes equations, volume and area with numpy expressions; on a
small hull those are dozens of array operations of a microsecond or more each,
most of the call. These kernels compute the same element-wise values, in the same
floating-point operations in the same order (so the same bits: every operation
here is one IEEE operation, no fused multiply-add, no ``fastmath``), and leave the
reductions whose rounding depends on numpy's summation order (``sum``, ``fsum``)
to the caller, which applies the very same reductions to these arrays.

No decision here is combinatorial: the hull is exact already; these are rounded
measurements, certified by the caller's error bounds.
"""

import math

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def scaled_max_exponent(P, v):
    """k with max |P[v]| * 2**-k in [0.5, 1) (0 when every coordinate is zero):
    ``_global_exponent(P[v])`` without the gathered copy."""
    amax = 0.0
    for i in range(v.shape[0]):
        for c in range(P.shape[1]):
            amax = max(amax, abs(P[v[i], c]))
    if amax == 0.0:
        return 0
    return math.frexp(amax)[1]


# error_model numpy: a zero-length normal divides to inf/nan as in numpy (the
# caller's bound then rejects it), never a ZeroDivisionError
@njit(cache=True, nogil=True, error_model="numpy")
def polygon_parts(P, v, k):
    """Per edge of the counter-clockwise polygon ``P[v]`` scaled by ``2**-k``:
    ``(equations (h, 3), parts (3, h))``: unit normals and the offsets scaled
    back by ``2**k`` (the equations at the input's scale); rows of ``parts``: the
    edge lengths, the fan terms ``d`` of twice the area and their error weights
    ``s = |t1| + |t2|`` (see ``geoent._hull_measures._certified_2d``)."""
    h = v.shape[0]
    eq = np.empty((h, 3))
    # one array for the three per-edge rows: each returned array costs a boxing
    parts = np.empty((3, h))
    length = parts[0]
    d = parts[1]
    s = parts[2]
    x0 = math.ldexp(P[v[0], 0], -k)
    y0 = math.ldexp(P[v[0], 1], -k)
    for i in range(h):
        j = v[i + 1] if i + 1 < h else v[0]
        ax = math.ldexp(P[v[i], 0], -k)
        ay = math.ldexp(P[v[i], 1], -k)
        ex = math.ldexp(P[j, 0], -k) - ax
        ey = math.ldexp(P[j, 1], -k) - ay
        ln = math.hypot(ex, ey)
        length[i] = ln
        nx = ey / ln
        ny = -ex / ln
        eq[i, 0] = nx
        eq[i, 1] = ny
        # offset at the input's scale (ldexp rounds once; inf beyond the range)
        eq[i, 2] = math.ldexp(0.0 - (nx * ax + ny * ay), k)
        t1 = (ax - x0) * ey
        t2 = (ay - y0) * ex
        d[i] = t1 - t2
        s[i] = abs(t1) + abs(t2)
    return eq, parts


@njit(cache=True, nogil=True, error_model="numpy")
def facet_parts(P, T, c0i, k, eps, trust):
    """Per triangle of ``T`` over ``P`` scaled by ``2**-k`` (see
    ``geoent._hull_measures._facet_blocks``): ``(norm, term, per_term, nbad)``
    with ``norm`` the lengths of the cross products, ``term = (a - c0) . cr`` the
    volume terms, ``per_term`` their error bounds and ``nbad`` the number of facets
    whose float normal is not certified (the caller then takes the path that
    redoes those exactly)."""
    m = T.shape[0]
    norm = np.empty(m)
    term = np.empty(m)
    per_term = np.empty(m)
    nbad = 0
    cx = math.ldexp(P[c0i, 0], -k)
    cy = math.ldexp(P[c0i, 1], -k)
    cz = math.ldexp(P[c0i, 2], -k)
    for t in range(m):
        a, b, c = T[t, 0], T[t, 1], T[t, 2]
        ax = math.ldexp(P[a, 0], -k)
        ay = math.ldexp(P[a, 1], -k)
        az = math.ldexp(P[a, 2], -k)
        ux = math.ldexp(P[b, 0], -k) - ax
        uy = math.ldexp(P[b, 1], -k) - ay
        uz = math.ldexp(P[b, 2], -k) - az
        wx = math.ldexp(P[c, 0], -k) - ax
        wy = math.ldexp(P[c, 1], -k) - ay
        wz = math.ldexp(P[c, 2], -k) - az
        crx = uy * wz - uz * wy
        cry = uz * wx - ux * wz
        crz = ux * wy - uy * wx
        e0 = abs(uy * wz) + abs(uz * wy)
        e1 = abs(uz * wx) + abs(ux * wz)
        e2 = abs(ux * wy) + abs(uy * wx)
        err = 8.0 * eps * max(e0, max(e1, e2))
        nn = np.sqrt(crx * crx + cry * cry + crz * crz)
        norm[t] = nn
        if not (nn > trust * err) or not np.isfinite(nn):
            nbad += 1
        px = ax - cx
        py = ay - cy
        pz = az - cz
        apx, apy, apz = abs(px), abs(py), abs(pz)
        # the dot products in the order the caller's block path sums them,
        # (x + z) + y (numpy's einsum order on x86-64, written out there)
        per_term[t] = (apx + apy + apz) * err + 5.0 * eps * (
            (apx * abs(crx) + apz * abs(crz)) + apy * abs(cry)
        )
        term[t] = (px * crx + pz * crz) + py * cry
    return norm, term, per_term, nbad


@njit(cache=True, nogil=True, inline="always")
def _bounds_at(P, v, bounds):
    """``bounds[0, c]`` / ``bounds[1, c]``: the min / max of ``P[v, c]`` per column
    (the extreme coordinates of a hull are attained at its vertices ``v``)."""
    for c in range(P.shape[1]):
        lo = P[v[0], c]
        hi = lo
        for i in range(1, v.shape[0]):
            x = P[v[i], c]
            if x < lo:
                lo = x
            if x > hi:
                hi = x
        bounds[0, c] = lo
        bounds[1, c] = hi


@njit(cache=True, nogil=True)
def ring_arrays(P, v, idx, bounds):
    """scipy's 2D ``simplices`` (``idx[0]``: edge i runs from vertex i to i + 1)
    and ``neighbors`` (``idx[1]``: edges i + 1 and i - 1, cyclically) of the
    counter-clockwise ring ``v``, and the per-coordinate min (``bounds[0]``) and
    max (``bounds[1]``) over ``P[v]``, written into the caller's arrays."""
    h = v.shape[0]
    for i in range(h):
        j = i + 1 if i + 1 < h else 0
        idx[0, i, 0] = v[i]
        idx[0, i, 1] = v[j]
        idx[1, i, 0] = j
        idx[1, i, 1] = i - 1 if i > 0 else h - 1
    _bounds_at(P, v, bounds)


@njit(cache=True)
def pairwise_sum(a):
    """numpy's ``a.sum()`` of a contiguous float64 array, bit for bit: its pairwise
    summation (blocks of at most 128 summed in eight interleaved accumulators, longer
    runs halved at a multiple of 8, left sum + right sum), added to the identity 0.0
    (tested against ``numpy.sum`` in tests/test_small_fused.py). The halving runs on
    an explicit stack: pycc cannot compile a recursive function."""
    n = a.shape[0]
    if n <= 128:
        return 0.0 + _pairwise_leaf(a, 0, n)
    # post-order over the halving tree: (start, length, children pushed so far)
    seg = np.empty((64, 3), dtype=np.int64)
    vals = np.empty(64)
    seg[0, 0], seg[0, 1], seg[0, 2] = 0, n, 0
    sp = 1
    vp = 0
    while sp > 0:
        lo, m, st = seg[sp - 1, 0], seg[sp - 1, 1], seg[sp - 1, 2]
        if m <= 128:
            sp -= 1
            vals[vp] = _pairwise_leaf(a, lo, m)
            vp += 1
            continue
        n2 = m // 2
        n2 -= n2 % 8
        if st == 0:
            seg[sp - 1, 2] = 1
            seg[sp, 0], seg[sp, 1], seg[sp, 2] = lo, n2, 0
            sp += 1
        elif st == 1:
            seg[sp - 1, 2] = 2
            seg[sp, 0], seg[sp, 1], seg[sp, 2] = lo + n2, m - n2, 0
            sp += 1
        else:
            sp -= 1
            vals[vp - 2] = vals[vp - 2] + vals[vp - 1]
            vp -= 1
    return 0.0 + vals[0]


@njit(cache=True)
def _pairwise_leaf(a, lo, n):
    """numpy's pairwise_sum on a run of at most 128 values."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True, nogil=True, error_model="numpy")
def facet_sums_bounds(P, T, c0i, k, eps, trust, V):
    """:func:`facet_parts` with the two sums its caller takes (``norm.sum()`` and
    ``per_term.sum()``, numpy's arithmetic) and the coordinate bounds over the
    vertices ``V`` (rows min, max): what ``ConvexHull`` needs of a small 3D hull in
    one call (issue 13). Returns ``(norm_sum, per_term_sum, term, nbad, bounds)``."""
    norm, term, per_term, nbad = facet_parts(P, T, c0i, k, eps, trust)
    bounds = np.empty((2, 3))
    _bounds_at(P, V, bounds)
    return pairwise_sum(norm), pairwise_sum(per_term), term, nbad, bounds


@njit(cache=True, nogil=True)
def ring_measures(P, v, idx, bounds):
    """What ``ConvexHull`` needs of a 2D ring ``v`` in one call (issue 13):
    :func:`ring_arrays` (into ``idx`` and ``bounds``), then :func:`scaled_max_exponent`
    and :func:`polygon_parts` with the two sums ``geoent._hull_measures.measures_2d_at``
    takes (numpy's arithmetic, :func:`pairwise_sum`). Returns ``(equations, k,
    perimeter at scale 2**-k, fan terms d, sum of their error weights)``."""
    ring_arrays(P, v, idx, bounds)
    k = scaled_max_exponent(P, v)
    eq, parts = polygon_parts(P, v, k)
    return eq, k, pairwise_sum(parts[0]), parts[1], pairwise_sum(parts[2])
