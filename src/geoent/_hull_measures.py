"""Facet equations, volume and area of an exact hull, accurate to ~1e-12 or exact.

Floating-point formulas are used where a certified error bound shows they are
accurate to a relative 2**-40 (about 1e-12); the rest (a facet whose corners are
nearly collinear, a hull of ulp-thin volume) is computed with
``fractions.Fraction`` and rounded once. So no equation is NaN, and the volume
always has the right sign (it is positive for a full-dimensional hull) -- two
bugs of the plain float formulas (issue 15).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

__all__ = ["measures2d", "measures3d"]

_EPS = np.finfo(float).eps
_TRUST = 2.0**40  # accept a float result when its error bound is below 2**-40 of it


def measures2d(pts, v):
    """``(equations, perimeter, area)`` of the 2D hull with counter-clockwise vertices ``v``.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._hull_measures import measures2d
    >>> eq, per, area = measures2d(np.array([[0.0, 0], [1, 0], [0, 1]]), np.array([0, 1, 2]))
    >>> per == 2 + 2**0.5, area
    (True, 0.5)
    """
    nxt = np.roll(v, -1)
    a = pts[v]
    b = pts[nxt]
    e = b - a  # distinct vertices: never a zero difference
    length = np.hypot(e[:, 0], e[:, 1])
    normal = np.column_stack((e[:, 1], -e[:, 0])) / length[:, None]
    offset = 0.0 - np.einsum("ij,ij->i", normal, a)  # 0.0 - x: no -0.0 offsets
    equations = np.column_stack((normal, offset))
    perimeter = float(length.sum())
    r = a - a[0]  # relative to one vertex: no cancellation from large offsets
    rn = np.roll(r, -1, axis=0)
    t1 = r[:, 0] * rn[:, 1]
    t2 = r[:, 1] * rn[:, 0]
    twice = float(np.sum(t1 - t2))
    # |error| <= (h + 8) eps sum(|t1| + |t2|): rounded differences, products,
    # subtraction and a summation of h terms (pairwise is better; this bound is
    # the sequential one, so it is safe)
    bound = (v.shape[0] + 8) * _EPS * float(np.sum(np.abs(t1) + np.abs(t2)))
    if not abs(twice) > _TRUST * bound:
        twice = _exact_twice_area(pts, v)
    return equations, perimeter, 0.5 * twice


def _exact_twice_area(pts, v):
    xs = [Fraction(x) for x in pts[v, 0].tolist()]
    ys = [Fraction(y) for y in pts[v, 1].tolist()]
    h = len(xs)
    s = sum(xs[i] * ys[(i + 1) % h] - xs[(i + 1) % h] * ys[i] for i in range(h))
    return float(s)


def _cross_rows_exact(pts, simplices, rows):
    """Exact normals (b - a) x (c - a) of facets ``rows``, rounded once at the end:
    ``(unit normals, lengths |n|)``. Each row is divided by its largest
    component before the square root, so nothing overflows or underflows."""
    units = np.empty((rows.shape[0], 3))
    lengths = np.empty(rows.shape[0])
    for k, r in enumerate(rows.tolist()):
        a, b, c = ([Fraction(x) for x in pts[i].tolist()] for i in simplices[r].tolist())
        u = [b[j] - a[j] for j in range(3)]
        w = [c[j] - a[j] for j in range(3)]
        n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]]
        big = max(abs(x) for x in n)
        if big == 0:  # degenerate facet (cannot happen for an exact hull)
            units[k] = np.nan
            lengths[k] = 0.0
            continue
        q = np.array([float(x / big) for x in n])
        nq = math.sqrt(float(sum((x / big) ** 2 for x in n)))
        units[k] = q / nq
        lengths[k] = float(big) * nq
    return units, lengths


def measures3d(pts, simplices, vertices):
    """``(equations, area, volume)`` of the 3D hull with outward-oriented
    triangles ``simplices`` (counter-clockwise seen from outside)."""
    a = pts[simplices[:, 0]]
    u = pts[simplices[:, 1]] - a
    w = pts[simplices[:, 2]] - a
    cr = np.cross(u, w)
    # error bound of each component (2x2 determinant of rounded differences)
    perm = np.stack(
        (
            np.abs(u[:, 1] * w[:, 2]) + np.abs(u[:, 2] * w[:, 1]),
            np.abs(u[:, 2] * w[:, 0]) + np.abs(u[:, 0] * w[:, 2]),
            np.abs(u[:, 0] * w[:, 1]) + np.abs(u[:, 1] * w[:, 0]),
        ),
        axis=1,
    )
    err = 8.0 * _EPS * perm.max(axis=1)
    norm = np.linalg.norm(cr, axis=1)
    bad = ~(norm > _TRUST * err) | ~np.isfinite(norm)
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = cr / norm[:, None]
    if bad.any():
        rows = np.flatnonzero(bad)
        normal[rows], norm[rows] = _cross_rows_exact(pts, simplices, rows)
    offset = -np.einsum("ij,ij->i", normal, a)
    equations = np.column_stack((normal, offset))
    area = float(0.5 * norm.sum())
    # volume: tetrahedra from one hull vertex; the float sum is kept only when its
    # error bound certifies 2**-40 relative accuracy, else summed exactly
    c0 = pts[vertices[0]]
    p = pts[simplices[:, 0]] - c0
    q = pts[simplices[:, 1]] - c0
    r = pts[simplices[:, 2]] - c0
    t = np.einsum("ij,ij->i", p, np.cross(q, r))
    absperm = (
        np.abs(p[:, 0]) * (np.abs(q[:, 1] * r[:, 2]) + np.abs(q[:, 2] * r[:, 1]))
        + np.abs(p[:, 1]) * (np.abs(q[:, 2] * r[:, 0]) + np.abs(q[:, 0] * r[:, 2]))
        + np.abs(p[:, 2]) * (np.abs(q[:, 0] * r[:, 1]) + np.abs(q[:, 1] * r[:, 0]))
    )
    six = float(t.sum())
    bound = (simplices.shape[0] + 16) * _EPS * float(absperm.sum())
    if not abs(six) > _TRUST * bound:
        six = _exact_six_volume(pts, simplices, vertices[0])
    return equations, area, six / 6.0


def _exact_six_volume(pts, simplices, v0):
    c0 = [Fraction(x) for x in pts[v0].tolist()]
    total = Fraction(0)
    P = pts.tolist()
    for i, j, k in simplices.tolist():
        p = [Fraction(P[i][d]) - c0[d] for d in range(3)]
        q = [Fraction(P[j][d]) - c0[d] for d in range(3)]
        r = [Fraction(P[k][d]) - c0[d] for d in range(3)]
        total += (
            p[0] * (q[1] * r[2] - q[2] * r[1])
            + p[1] * (q[2] * r[0] - q[0] * r[2])
            + p[2] * (q[0] * r[1] - q[1] * r[0])
        )
    return float(total)
