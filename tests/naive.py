"""Slow, obviously correct reference implementations for tests (importable by all).

The predicate oracles evaluate the classical lifted determinants in exact rational
arithmetic, without the coordinate differences the kernels use:

* ``orient2d(a, b, c)  = det [[ax, ay, 1], [bx, by, 1], [cx, cy, 1]]``
* ``incircle(a, b, c, d) = det [[px, py, px^2 + py^2, 1] for p in a, b, c, d]``
* ``orient3d(a, b, c, d) = det [[px, py, pz, 1] for p in a, b, c, d]``
* ``insphere(a, b, c, d, e) = det [[px, py, pz, |p|^2, 1] for p in a..e]``

Subtracting the last row from the others turns each into Shewchuk's difference
form (for the lifted ones after a column operation that leaves the determinant
unchanged), so the signs follow Shewchuk's conventions: orient2d > 0 for a
counter-clockwise turn, incircle > 0 for d inside the circle of counter-clockwise
a, b, c, orient3d > 0 for d below the plane of a, b, c, insphere > 0 for e inside
the sphere of positively oriented a, b, c, d.

Every finite double is a dyadic rational. ``fraction_det`` computes with
``fractions.Fraction``; the predicates bring the coordinates of one query to a
common power-of-two denominator (Python integers, exact and some ten times faster
than Fractions) and take a fraction-free (Bareiss) determinant. The tests check the
two against each other.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

__all__ = [
    "fraction_det",
    "fraction_sign",
    "bareiss_det",
    "orient2d",
    "incircle",
    "orient3d",
    "insphere",
    "signs",
    "ORACLES",
]


def fraction_det(matrix):
    """Exact determinant of a square matrix of Fractions (Gaussian elimination)."""
    m = [list(row) for row in matrix]
    n = len(m)
    result = Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            result = -result
        p = m[col][col]
        result *= p
        for r in range(col + 1, n):
            f = m[r][col]
            if f:
                f = f / p
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return result


def _sign(v):
    return (v > 0) - (v < 0)


def bareiss_det(matrix):
    """Exact determinant of a square matrix of Python integers (Bareiss fraction-free
    elimination: every division is exact)."""
    m = [list(row) for row in matrix]
    n = len(m)
    sign = 1
    prev = 1
    for k in range(n - 1):
        if m[k][k] == 0:
            swap = next((r for r in range(k + 1, n) if m[r][k] != 0), None)
            if swap is None:
                return 0
            m[k], m[swap] = m[swap], m[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) // prev
        prev = m[k][k]
    return sign * m[n - 1][n - 1]


def _int_rows(points, lifted):
    """The lifted matrix of ``points`` with every coordinate multiplied by one common
    power of two that makes them all integers (exact: ``float.as_integer_ratio``).

    Scaling every coordinate by D > 0 multiplies these determinants by a positive
    power of D (the lift column scales by D**2, the column of ones not at all), so
    the sign is unchanged.
    """
    ratios = [[float(v).as_integer_ratio() for v in p] for p in points]
    denom = max(d for row in ratios for _, d in row)
    rows = []
    for row in ratios:
        q = [n * (denom // d) for n, d in row]
        rows.append(q + ([sum(x * x for x in q)] if lifted else []) + [1])
    return rows


def fraction_sign(name, *points):
    """Sign of predicate ``name`` from the Fraction determinant (slower cross-check)."""
    lifted = name in ("incircle", "insphere")
    rows = []
    for p in points:
        q = [Fraction(float(v)) for v in p]
        rows.append(q + ([sum(x * x for x in q)] if lifted else []) + [Fraction(1)])
    return _sign(fraction_det(rows))


def orient2d(a, b, c):
    """Exact sign (-1, 0, 1) of orient2d for three 2D points."""
    return _sign(bareiss_det(_int_rows((a, b, c), False)))


def incircle(a, b, c, d):
    """Exact sign of incircle for four 2D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d), True)))


def orient3d(a, b, c, d):
    """Exact sign of orient3d for four 3D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d), False)))


def insphere(a, b, c, d, e):
    """Exact sign of insphere for five 3D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d, e), True)))


ORACLES = {
    "orient2d": orient2d,
    "incircle": incircle,
    "orient3d": orient3d,
    "insphere": insphere,
}


def signs(name, *arrays):
    """The oracle ``name`` applied row by row to (k, dim) arrays: int8 signs, shape (k,)."""
    fn = ORACLES[name]
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    k = arrays[0].shape[0]
    return np.array([fn(*(a[i] for a in arrays)) for i in range(k)], dtype=np.int8)
