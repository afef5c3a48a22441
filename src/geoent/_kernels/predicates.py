"""Exact geometric predicates as numba kernels: a floating-point filter, then exact.

Port of the ideas in J. R. Shewchuk, "Adaptive Precision Floating-Point Arithmetic
and Fast Robust Geometric Predicates" (1997), predicates.c (public domain):

* stage A: evaluate the determinant in plain double arithmetic and accept its
  sign when it exceeds a proven forward-error bound (the common case, no
  allocation, a handful of flops more than the naive formula);
* otherwise evaluate the determinant *exactly* as a floating-point expansion
  (a sum of non-overlapping doubles) with error-free transformations
  (two_sum, two_product) and return the sign of its largest component.

The exact stage assumes no overflow or underflow in intermediates; the API layer
guarantees that by scaling the input by a power of two (which changes no sign) and
refusing coordinate sets whose binary exponents span more than the window in
``geoent._validation.EXPONENT_LIMITS``.

Never compile anything here, or anything these functions are inlined into, with
``fastmath=True``: reassociation cancels the error terms that make them exact.

Scalar functions return a float whose sign is the predicate's sign (the value itself
is only meaningful in sign); ``sign_*`` wrappers return -1, 0 or 1.
"""

import numpy as np
from numba import njit

_EPS = 2.0**-53  # half an ulp of 1.0: the unit roundoff
_SPLITTER = 134217729.0  # 2**27 + 1, Veltkamp/Dekker splitting constant

RESULTERRBOUND = (3.0 + 8.0 * _EPS) * _EPS
CCWERRBOUND_A = (3.0 + 16.0 * _EPS) * _EPS
CCWERRBOUND_B = (2.0 + 12.0 * _EPS) * _EPS
CCWERRBOUND_C = (9.0 + 64.0 * _EPS) * _EPS * _EPS
O3DERRBOUND_A = (7.0 + 56.0 * _EPS) * _EPS
ICCERRBOUND_A = (10.0 + 96.0 * _EPS) * _EPS
ISPERRBOUND_A = (16.0 + 224.0 * _EPS) * _EPS


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


# ---------------------------------------------------------------------------
# Expansion arithmetic (exact stage only: these allocate)
# An expansion is a 1-D float64 array of non-overlapping components in
# increasing magnitude; zero is the one-element array [0.0].
# ---------------------------------------------------------------------------


@njit(cache=True)
def expansion_from_diff(a, b):
    """The exact difference a - b as an expansion of one or two components."""
    x, y = two_diff(a, b)
    if y == 0.0:
        out = np.empty(1)
        out[0] = x
    else:
        out = np.empty(2)
        out[0] = y
        out[1] = x
    return out


@njit(cache=True)
def expansion_sum(e, f):
    """Exact e + f (Shewchuk's fast_expansion_sum_zeroelim)."""
    elen = e.shape[0]
    flen = f.shape[0]
    h = np.empty(elen + flen)
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
    return h[:hindex]


@njit(cache=True)
def expansion_scale(e, b):
    """Exact e * b for a double b (Shewchuk's scale_expansion_zeroelim)."""
    elen = e.shape[0]
    h = np.empty(2 * elen)
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
    return h[:hindex]


@njit(cache=True)
def expansion_product(e, f):
    """Exact e * f, summing the scalings of e by each component of f."""
    acc = expansion_scale(e, f[0])
    for i in range(1, f.shape[0]):
        acc = expansion_sum(acc, expansion_scale(e, f[i]))
    return acc


@njit(cache=True)
def expansion_neg(e):
    return -e


@njit(cache=True)
def expansion_diff(e, f):
    return expansion_sum(e, -f)


@njit(cache=True)
def expansion_sign(e):
    """Sign of an expansion: the sign of its largest (last) component."""
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
    """Sign of (a - c) x (b - c), computed exactly; slow path of orient2d."""
    acx = expansion_from_diff(ax, cx)
    acy = expansion_from_diff(ay, cy)
    bcx = expansion_from_diff(bx, cx)
    bcy = expansion_from_diff(by, cy)
    return expansion_sign(_cross_exact(acx, acy, bcx, bcy))


@njit(inline="always", cache=True)
def orient2d(ax, ay, bx, by, cx, cy):
    """> 0 when a, b, c turn counter-clockwise, < 0 clockwise, 0 collinear (exact).

    Returns the filtered determinant when its sign is certain, else +-1.0 / 0.0
    from the exact stage.
    """
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    if detleft > 0.0:
        if detright <= 0.0:
            return det
        detsum = detleft + detright
    elif detleft < 0.0:
        if detright >= 0.0:
            return det
        detsum = -detleft - detright
    else:
        return det
    errbound = CCWERRBOUND_A * detsum
    if det >= errbound or -det >= errbound:
        return det
    return orient2d_adapt(ax, ay, bx, by, cx, cy, detsum)


@njit(cache=True)
def orient2d_adapt(ax, ay, bx, by, cx, cy, detsum):
    """Shewchuk's stage B (no allocation), then the exact stage.

    Stage B evaluates the determinant of the *rounded* differences exactly; when
    the differences were exact (integer grids, shared coordinates) that is the
    answer, which keeps degenerate inputs off the allocating path.
    """
    acx = ax - cx
    bcx = bx - cx
    acy = ay - cy
    bcy = by - cy
    dl, dlt = two_product(acx, bcy)
    dr, drt = two_product(acy, bcx)
    # B = (dl + dlt) - (dr + drt) exactly, as four components (two_two_diff)
    i, b0 = two_diff(dlt, drt)
    j, t0 = two_sum(dl, i)
    i, b1 = two_diff(t0, dr)
    b3, b2 = two_sum(j, i)
    det = ((b0 + b1) + b2) + b3
    errbound = CCWERRBOUND_B * detsum
    if det >= errbound or -det >= errbound:
        return det
    _, acxtail = two_diff(ax, cx)
    _, bcxtail = two_diff(bx, cx)
    _, acytail = two_diff(ay, cy)
    _, bcytail = two_diff(by, cy)
    if acxtail == 0.0 and acytail == 0.0 and bcxtail == 0.0 and bcytail == 0.0:
        # B is the exact determinant; the float sum of a non-overlapping
        # expansion has the sign of the expansion.
        return det
    return orient2d_exact(ax, ay, bx, by, cx, cy)


# ---------------------------------------------------------------------------
# incircle
# ---------------------------------------------------------------------------


@njit(cache=True)
def incircle_exact(ax, ay, bx, by, cx, cy, dx, dy):
    adx = expansion_from_diff(ax, dx)
    ady = expansion_from_diff(ay, dy)
    bdx = expansion_from_diff(bx, dx)
    bdy = expansion_from_diff(by, dy)
    cdx = expansion_from_diff(cx, dx)
    cdy = expansion_from_diff(cy, dy)
    alift = expansion_sum(expansion_product(adx, adx), expansion_product(ady, ady))
    blift = expansion_sum(expansion_product(bdx, bdx), expansion_product(bdy, bdy))
    clift = expansion_sum(expansion_product(cdx, cdx), expansion_product(cdy, cdy))
    bc = _cross_exact(bdx, bdy, cdx, cdy)
    ca = _cross_exact(cdx, cdy, adx, ady)
    ab = _cross_exact(adx, ady, bdx, bdy)
    det = expansion_sum(
        expansion_sum(expansion_product(alift, bc), expansion_product(blift, ca)),
        expansion_product(clift, ab),
    )
    return expansion_sign(det)


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
    if det > errbound or -det > errbound:
        return det
    return incircle_exact(ax, ay, bx, by, cx, cy, dx, dy)


# ---------------------------------------------------------------------------
# orient3d
# ---------------------------------------------------------------------------


@njit(cache=True)
def orient3d_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz):
    adx = expansion_from_diff(ax, dx)
    ady = expansion_from_diff(ay, dy)
    adz = expansion_from_diff(az, dz)
    bdx = expansion_from_diff(bx, dx)
    bdy = expansion_from_diff(by, dy)
    bdz = expansion_from_diff(bz, dz)
    cdx = expansion_from_diff(cx, dx)
    cdy = expansion_from_diff(cy, dy)
    cdz = expansion_from_diff(cz, dz)
    bc = _cross_exact(bdx, bdy, cdx, cdy)
    ca = _cross_exact(cdx, cdy, adx, ady)
    ab = _cross_exact(adx, ady, bdx, bdy)
    det = expansion_sum(
        expansion_sum(expansion_product(adz, bc), expansion_product(bdz, ca)),
        expansion_product(cdz, ab),
    )
    return expansion_sign(det)


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
    if det > errbound or -det > errbound:
        return det
    return orient3d_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz)


# ---------------------------------------------------------------------------
# insphere
# ---------------------------------------------------------------------------


@njit(cache=True)
def _lift3(x, y, z):
    return expansion_sum(
        expansion_sum(expansion_product(x, x), expansion_product(y, y)),
        expansion_product(z, z),
    )


@njit(cache=True)
def _det3_col(z1, c1, z2, c2, z3, c3):
    """Exact z1*c1 + z2*c2 + z3*c3 for expansions."""
    return expansion_sum(
        expansion_sum(expansion_product(z1, c1), expansion_product(z2, c2)),
        expansion_product(z3, c3),
    )


@njit(cache=True)
def insphere_exact(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz, ex, ey, ez):
    aex = expansion_from_diff(ax, ex)
    aey = expansion_from_diff(ay, ey)
    aez = expansion_from_diff(az, ez)
    bex = expansion_from_diff(bx, ex)
    bey = expansion_from_diff(by, ey)
    bez = expansion_from_diff(bz, ez)
    cex = expansion_from_diff(cx, ex)
    cey = expansion_from_diff(cy, ey)
    cez = expansion_from_diff(cz, ez)
    dex = expansion_from_diff(dx, ex)
    dey = expansion_from_diff(dy, ey)
    dez = expansion_from_diff(dz, ez)
    ab = _cross_exact(aex, aey, bex, bey)
    bc = _cross_exact(bex, bey, cex, cey)
    cd = _cross_exact(cex, cey, dex, dey)
    da = _cross_exact(dex, dey, aex, aey)
    ac = _cross_exact(aex, aey, cex, cey)
    bd = _cross_exact(bex, bey, dex, dey)
    # abc = aez*bc - bez*ac + cez*ab, etc. (Shewchuk's insphereexact layout)
    abc = _det3_col(aez, bc, bez, -ac, cez, ab)
    bcd = _det3_col(bez, cd, cez, -bd, dez, bc)
    cda = _det3_col(cez, da, dez, ac, aez, cd)
    dab = _det3_col(dez, ab, aez, bd, bez, da)
    alift = _lift3(aex, aey, aez)
    blift = _lift3(bex, bey, bez)
    clift = _lift3(cex, cey, cez)
    dlift = _lift3(dex, dey, dez)
    det = expansion_sum(
        expansion_diff(expansion_product(dlift, abc), expansion_product(clift, dab)),
        expansion_diff(expansion_product(blift, cda), expansion_product(alift, bcd)),
    )
    return expansion_sign(det)


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
        (
            (cexdeyp + dexceyp) * bezp
            + (dexbeyp + bexdeyp) * cezp
            + (bexceyp + cexbeyp) * dezp
        )
        * alift
        + (
            (dexaeyp + aexdeyp) * cezp
            + (aexceyp + cexaeyp) * dezp
            + (cexdeyp + dexceyp) * aezp
        )
        * blift
        + (
            (aexbeyp + bexaeyp) * dezp
            + (bexdeyp + dexbeyp) * aezp
            + (dexaeyp + aexdeyp) * bezp
        )
        * clift
        + (
            (bexceyp + cexbeyp) * aezp
            + (cexaeyp + aexceyp) * bezp
            + (aexbeyp + bexaeyp) * cezp
        )
        * dlift
    )
    errbound = ISPERRBOUND_A * permanent
    if det > errbound or -det > errbound:
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
