"""Scattered-data interpolation on a 2D triangulation or a 3D tetrahedralisation
(numba kernels).

Arrays in, arrays out; the triangle (tetrahedron) holding each query comes from
the exact point location (``delaunay2d.locate``, ``delaunay3d.locate``), so
nothing here decides anything combinatorial. The formulas are scipy's
(``scipy/interpolate/_interpnd.pyx``): barycentric linear interpolation,
Nielson's global gradient estimate (a Gauss-Seidel sweep minimising the
edge-wise second derivative of the Clough-Tocher interpolant) and the
Clough-Tocher cubic on the three sub-triangles with affine-invariant
cross-boundary directions. They are reimplemented here (scipy's Cython helpers
are private), in the same order of operations where it matters for agreement
with scipy to about 1e-14.

Barycentric coordinates are relative to the simplex's last vertex, with the
inverse edge matrix by cofactors over its determinant (scipy inverts it by LU):
so a query located in a sliver still gets finite weights.

Ctrl-C (``geoent._interrupt``): the evaluation kernels are ``nogil`` and read
``cancel`` (uint8, length 1) every 16,384 queries; once it is set they stop, and
the caller's ``checkpoint()`` drops their unfinished output.
"""

import numpy as np
from numba import njit

# no fastmath anywhere: the results are compared with scipy's to 1e-12

#: kernels read the cancel flag once every this many queries (a mask)
_EVERY = 16383


@njit(cache=True, inline="always")
def _fill_row(out, i, fill):
    """``out[i, :] = fill``: the value of a query outside the hull."""
    for j in range(fill.shape[0]):
        out[i, j] = fill[j]


@njit(cache=True, inline="always")
def _bary(x, y, simp, t, px, py):
    """Barycentric coordinates of (px, py) in triangle t (sum exactly 1 after the
    last is taken as 1 - b0 - b1, as scipy does)."""
    a = simp[t, 0]
    b = simp[t, 1]
    c = simp[t, 2]
    x2 = x[c]
    y2 = y[c]
    t00 = x[a] - x2
    t01 = x[b] - x2
    t10 = y[a] - y2
    t11 = y[b] - y2
    det = t00 * t11 - t01 * t10
    dx = px - x2
    dy = py - y2
    b0 = (t11 * dx - t01 * dy) / det
    b1 = (-t10 * dx + t00 * dy) / det
    return b0, b1, 1.0 - b0 - b1


@njit(cache=True, inline="always")
def _locate_query(x, y, simp, loc, qx, qy, i, fill, out):
    """``(t, b0, b1, b2)``: the triangle of query ``i`` and its barycentric
    coordinates there; ``t < 0`` outside the hull, with ``out[i, :]`` filled."""
    t = loc[i]
    if t < 0:
        _fill_row(out, i, fill)
        return t, 0.0, 0.0, 0.0
    b0, b1, b2 = _bary(x, y, simp, t, qx[i], qy[i])
    return t, b0, b1, b2


@njit(cache=True, nogil=True)
def linear(x, y, simp, loc, qx, qy, vals, fill, out, cancel):
    """``out[i] = sum_j b_j vals[simp[loc[i], j]]``, ``fill`` where ``loc[i] < 0``."""
    m = loc.shape[0]
    k = vals.shape[1]
    for i in range(m):
        if (i & _EVERY) == 0 and cancel[0]:
            return
        t, b0, b1, b2 = _locate_query(x, y, simp, loc, qx, qy, i, fill, out)
        if t < 0:
            continue
        v0 = simp[t, 0]
        v1 = simp[t, 1]
        v2 = simp[t, 2]
        for j in range(k):
            out[i, j] = b0 * vals[v0, j] + b1 * vals[v1, j] + b2 * vals[v2, j]


@njit(cache=True, nogil=True)
def linear_grid(x, y, simp, loc, qx, qy, vals, fill, out, cancel):
    """As :func:`linear` for one value column (the common griddata case)."""
    for i in range(loc.shape[0]):
        if (i & _EVERY) == 0 and cancel[0]:
            return
        t = loc[i]
        if t < 0:
            out[i] = fill
            continue
        b0, b1, b2 = _bary(x, y, simp, t, qx[i], qy[i])
        out[i] = b0 * vals[simp[t, 0]] + b1 * vals[simp[t, 1]] + b2 * vals[simp[t, 2]]


@njit(cache=True, nogil=True)
def estimate_gradients(x, y, indptr, indices, data, maxiter, tol, grad, cancel):
    """Nielson's global gradient estimate (scipy's ``estimate_gradients_2d_global``)
    for one value column; ``grad`` (n, 2) is filled. Returns the number of sweeps,
    0 when ``tol`` was not reached in ``maxiter`` sweeps, -1 once ``cancel[0]`` was
    set (read every 16,384 points: ``grad`` is then unfinished)."""
    n = x.shape[0]
    for i in range(n):
        # a point with no neighbours (an exact duplicate, left out of the
        # triangulation) has no estimate: NaN, as scipy's 0 / 0 gives, and no
        # triangle reads it
        g = 0.0 if indptr[i + 1] > indptr[i] else np.nan
        grad[i, 0] = g
        grad[i, 1] = g
    for it in range(maxiter):
        err = 0.0
        for i in range(n):
            if (i & _EVERY) == 0 and cancel[0]:
                return -1
            if indptr[i + 1] == indptr[i]:
                continue
            q0 = 0.0
            q1 = 0.0
            q3 = 0.0
            s0 = 0.0
            s1 = 0.0
            for jj in range(indptr[i], indptr[i + 1]):
                i2 = indices[jj]
                ex = x[i2] - x[i]
                ey = y[i2] - y[i]
                L = np.sqrt(ex**2 + ey**2)
                L3 = L * L * L
                f1 = data[i]
                f2 = data[i2]
                df2 = -ex * grad[i2, 0] - ey * grad[i2, 1]
                q0 += 4 * ex * ex / L3
                q1 += 4 * ex * ey / L3
                q3 += 4 * ey * ey / L3
                s0 += (6 * (f1 - f2) - 2 * df2) * ex / L3
                s1 += (6 * (f1 - f2) - 2 * df2) * ey / L3
            q2 = q1
            det = q0 * q3 - q1 * q2
            r0 = (q3 * s0 - q1 * s1) / det
            r1 = (-q2 * s0 + q0 * s1) / det
            change = max(abs(grad[i, 0] + r0), abs(grad[i, 1] + r1))
            grad[i, 0] = -r0
            grad[i, 1] = -r1
            change /= max(1.0, max(abs(r0), abs(r1)))
            err = max(err, change)
        if err < tol:
            return it + 1
    return 0


@njit(cache=True, inline="always")
def _sub_cubic(u, v, s, a300, a210, a120, a030, a201, a111, a021, a102, a012, a003):
    """The cubic in Bernstein form on one of the three sub-triangles: ``u`` and ``v``
    the weights of its two outer corners, ``s`` that of the centre (three times the
    smallest barycentric coordinate), ``a...`` its ten control values."""
    return (
        (u**3) * a300
        + 3 * (u**2) * v * a210
        + 3 * u * (v**2) * a120
        + (v**3) * a030
        + 3 * (u**2) * s * a201
        + 6 * u * v * s * a111
        + 3 * (v**2) * s * a021
        + 3 * u * (s**2) * a102
        + 3 * v * (s**2) * a012
        + (s**3) * a003
    )


@njit(cache=True)
def _ct_single(x, y, simp, nb, t, b0, b1, b2, f1, f2, f3, g):
    """Clough-Tocher value at barycentric (b0, b1, b2) of triangle t; ``g`` is
    (3, 2): the gradients at its vertices."""
    p0 = simp[t, 0]
    p1 = simp[t, 1]
    p2 = simp[t, 2]
    e12x = x[p1] - x[p0]
    e12y = y[p1] - y[p0]
    e23x = x[p2] - x[p1]
    e23y = y[p2] - y[p1]
    e31x = x[p0] - x[p2]
    e31y = y[p0] - y[p2]

    df12 = +(g[0, 0] * e12x + g[0, 1] * e12y)
    df21 = -(g[1, 0] * e12x + g[1, 1] * e12y)
    df23 = +(g[1, 0] * e23x + g[1, 1] * e23y)
    df32 = -(g[2, 0] * e23x + g[2, 1] * e23y)
    df31 = +(g[2, 0] * e31x + g[2, 1] * e31y)
    df13 = -(g[0, 0] * e31x + g[0, 1] * e31y)

    c3000 = f1
    c2100 = (df12 + 3 * c3000) / 3
    c2010 = (df13 + 3 * c3000) / 3
    c0300 = f2
    c1200 = (df21 + 3 * c0300) / 3
    c0210 = (df23 + 3 * c0300) / 3
    c0030 = f3
    c1020 = (df31 + 3 * c0030) / 3
    c0120 = (df32 + 3 * c0030) / 3

    c2001 = (c2100 + c2010 + c3000) / 3
    c0201 = (c1200 + c0300 + c0210) / 3
    c0021 = (c1020 + c0120 + c0030) / 3

    # affine-invariant cross-boundary directions: towards the neighbour's centroid
    gg0 = -0.5
    gg1 = -0.5
    gg2 = -0.5
    for k in range(3):
        it = nb[t, k]
        if it < 0:
            continue
        cx = (x[simp[it, 0]] + x[simp[it, 1]] + x[simp[it, 2]]) / 3
        cy = (y[simp[it, 0]] + y[simp[it, 1]] + y[simp[it, 2]]) / 3
        c0, c1, c2 = _bary(x, y, simp, t, cx, cy)
        if k == 0:
            gg0 = (2 * c2 + c1 - 1) / (2 - 3 * c2 - 3 * c1)
        elif k == 1:
            gg1 = (2 * c0 + c2 - 1) / (2 - 3 * c0 - 3 * c2)
        else:
            gg2 = (2 * c1 + c0 - 1) / (2 - 3 * c1 - 3 * c0)

    c0111 = (
        gg0 * (-c0300 + 3 * c0210 - 3 * c0120 + c0030)
        + (-c0300 + 2 * c0210 - c0120 + c0021 + c0201)
    ) / 2
    c1011 = (
        gg1 * (-c0030 + 3 * c1020 - 3 * c2010 + c3000)
        + (-c0030 + 2 * c1020 - c2010 + c2001 + c0021)
    ) / 2
    c1101 = (
        gg2 * (-c3000 + 3 * c2100 - 3 * c1200 + c0300)
        + (-c3000 + 2 * c2100 - c1200 + c2001 + c0201)
    ) / 2

    c1002 = (c1101 + c1011 + c2001) / 3
    c0102 = (c1101 + c0111 + c0201) / 3
    c0012 = (c1011 + c0111 + c0021) / 3

    c0003 = (c1002 + c0102 + c0012) / 3

    minval = min(b0, b1, b2)
    bb1 = b0 - minval
    bb2 = b1 - minval
    bb3 = b2 - minval
    bb4 = 3 * minval

    # the sub-triangle facing the smallest coordinate's vertex
    if b0 == minval:
        return _sub_cubic(
            bb2, bb3, bb4, c0300, c0210, c0120, c0030, c0201, c0111, c0021, c0102, c0012, c0003
        )
    if b1 == minval:
        return _sub_cubic(
            bb1, bb3, bb4, c3000, c2010, c1020, c0030, c2001, c1011, c0021, c1002, c0012, c0003
        )
    return _sub_cubic(
        bb1, bb2, bb4, c3000, c2100, c1200, c0300, c2001, c1101, c0201, c1002, c0102, c0003
    )


@njit(cache=True, nogil=True)
def clough_tocher(x, y, simp, nb, loc, qx, qy, vals, grads, fill, out, cancel):
    """Clough-Tocher values: ``vals`` (n, k), ``grads`` (n, k, 2); ``fill`` where
    ``loc[i] < 0``."""
    m = loc.shape[0]
    k = vals.shape[1]
    g = np.empty((3, 2))
    for i in range(m):
        if (i & _EVERY) == 0 and cancel[0]:
            return
        t, b0, b1, b2 = _locate_query(x, y, simp, loc, qx, qy, i, fill, out)
        if t < 0:
            continue
        v0 = simp[t, 0]
        v1 = simp[t, 1]
        v2 = simp[t, 2]
        for j in range(k):
            g[0, 0] = grads[v0, j, 0]
            g[0, 1] = grads[v0, j, 1]
            g[1, 0] = grads[v1, j, 0]
            g[1, 1] = grads[v1, j, 1]
            g[2, 0] = grads[v2, j, 0]
            g[2, 1] = grads[v2, j, 1]
            out[i, j] = _ct_single(
                x, y, simp, nb, t, b0, b1, b2, vals[v0, j], vals[v1, j], vals[v2, j], g
            )


# ---------------------------------------------------------------------------
# 3D: barycentric linear interpolation in tetrahedra
# ---------------------------------------------------------------------------


@njit(cache=True, inline="always")
def _bary3(P, simp, t, px, py, pz):
    """Barycentric coordinates of p in tetrahedron t, in scipy's arithmetic:
    relative to the last vertex r, ``c = A^-1 (p - r)`` with the columns of A the
    edges ``v_j - r`` (here A^-1 by cofactors, scipy's by LU), and the last one
    ``((1 - c0) - c1) - c2`` (scipy's order). A tetrahedron whose floating-point
    volume rounds to zero (never seen on geoent's exact tetrahedra, which all have
    nonzero volume, but possible for ulp-thin slivers) gets the normalised
    sub-volumes instead, clamped at zero: still a convex combination."""
    a = simp[t, 0]
    b = simp[t, 1]
    c = simp[t, 2]
    r = simp[t, 3]
    rx = P[r, 0]
    ry = P[r, 1]
    rz = P[r, 2]
    ax = P[a, 0] - rx
    ay = P[a, 1] - ry
    az = P[a, 2] - rz
    bx = P[b, 0] - rx
    by = P[b, 1] - ry
    bz = P[b, 2] - rz
    cx = P[c, 0] - rx
    cy = P[c, 1] - ry
    cz = P[c, 2] - rz
    dx = px - rx
    dy = py - ry
    dz = pz - rz
    # rows of A^-1 times det: b x c, c x a, a x b
    u0 = by * cz - bz * cy
    u1 = bz * cx - bx * cz
    u2 = bx * cy - by * cx
    v0 = cy * az - cz * ay
    v1 = cz * ax - cx * az
    v2 = cx * ay - cy * ax
    w0 = ay * bz - az * by
    w1 = az * bx - ax * bz
    w2 = ax * by - ay * bx
    det = ax * u0 + ay * u1 + az * u2
    if det != 0.0:
        c0 = (u0 / det) * dx + (u1 / det) * dy + (u2 / det) * dz
        c1 = (v0 / det) * dx + (v1 / det) * dy + (v2 / det) * dz
        c2 = (w0 / det) * dx + (w1 / det) * dy + (w2 / det) * dz
        return c0, c1, c2, ((1.0 - c0) - c1) - c2
    r0 = u0 * dx + u1 * dy + u2 * dz
    r1 = v0 * dx + v1 * dy + v2 * dz
    r2 = w0 * dx + w1 * dy + w2 * dz
    s3 = max(det - (r0 + r1 + r2), 0.0)  # the four sub-volumes sum to det
    s0 = max(r0, 0.0)
    s1 = max(r1, 0.0)
    s2 = max(r2, 0.0)
    tot = s0 + s1 + s2 + s3
    if tot == 0.0:
        return 0.25, 0.25, 0.25, 0.25
    return s0 / tot, s1 / tot, s2 / tot, s3 / tot


@njit(cache=True, nogil=True)
def linear3d(P, simp, loc, Q, vals, fill, out, cancel):
    """``out[i] = sum_j c_j vals[simp[loc[i], j]]`` (scipy's summation order),
    ``fill`` where ``loc[i] < 0``; ``P`` (n, 3), ``Q`` (m, 3), ``vals`` (n, k)."""
    k = vals.shape[1]
    for i in range(loc.shape[0]):
        if (i & _EVERY) == 0 and cancel[0]:
            return
        t = loc[i]
        if t < 0:
            _fill_row(out, i, fill)
            continue
        c0, c1, c2, c3 = _bary3(P, simp, t, Q[i, 0], Q[i, 1], Q[i, 2])
        v0 = simp[t, 0]
        v1 = simp[t, 1]
        v2 = simp[t, 2]
        v3 = simp[t, 3]
        for j in range(k):
            acc = 0.0
            acc = acc + c0 * vals[v0, j]
            acc = acc + c1 * vals[v1, j]
            acc = acc + c2 * vals[v2, j]
            acc = acc + c3 * vals[v3, j]
            out[i, j] = acc
