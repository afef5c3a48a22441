"""Exact geometric predicates, vectorised.

Each function takes arrays of shape (k, dim) (or a single point of shape (dim,),
broadcast against the others) and returns int8 signs (-1, 0, 1) of shape (k,),
exact for every finite double. An empty batch (k = 0) gives an empty result; bad
input raises ``geoent.errors.InputError`` (a ``ValueError``) as for every geoent
function. Conventions are Shewchuk's (predicates.c):

* ``orient2d(a, b, c) > 0`` when a, b, c turn counter-clockwise;
* ``incircle(a, b, c, d) > 0`` when d is inside the circle through
  counter-clockwise a, b, c;
* ``orient3d(a, b, c, d) > 0`` when d lies below the plane of a, b, c, "below"
  meaning a, b, c appear counter-clockwise seen from above;
* ``insphere(a, b, c, d, e) > 0`` when e is inside the sphere through a, b, c, d,
  which must be positively oriented (``orient3d(a, b, c, d) > 0``).

How exactness is obtained: a floating-point filter decides almost every call; the
rest are decided by exact expansion arithmetic (see ``geoent._kernels.predicates``).
Rows are scaled by a power of two when their coordinates are huge or tiny (no sign
changes), and the rare row whose nonzero coordinates span more binary orders of
magnitude than double-precision expansions can carry is decided with Python's
``fractions.Fraction``.

Examples
--------
>>> import numpy as np
>>> from geoent.predicates import orient2d
>>> orient2d([[0, 0]], [[1, 0]], [[0, 1], [1, 0], [0, -1]]).tolist()
[1, 0, -1]
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ._aot import kernels_of
from ._validation import EXPONENT_LIMITS, as_points, exponent_range, is_masked
from .errors import InputError

# kernels compiled ahead of time where built (geoent._aot), else numba's JIT
_k = kernels_of("predicates")

__all__ = ["orient2d", "incircle", "orient3d", "insphere"]


def _rows(x, name, dim):
    """One argument as a (k, dim) float64 array; a single point (dim,) becomes (1, dim)."""
    if not is_masked(x):
        try:
            a = np.asarray(x)
        except (ValueError, TypeError):
            a = None  # as_points explains what is wrong with it
        if a is not None and a.ndim == 1 and a.dtype != object:
            if a.shape[0] != dim:
                raise InputError(
                    f"{name}: expected a point of shape ({dim},) or an array of shape "
                    f"(k, {dim}), got shape {a.shape}"
                )
            x = a.reshape(1, dim)
    return as_points(x, ndim=dim, name=name, min_points=0)


def _prepare(args, names, dim, degree):
    """Validate, broadcast and stack the arguments into one (k, m, dim) array.

    Returns ``(stacked, exotic)``: ``stacked`` scaled row by row into the exact
    window of ``degree`` (a power of two per row, which changes no sign), and a
    boolean mask of rows that no single scale fits (decided with Fractions by the
    caller).
    """
    arrs = [_rows(x, name, dim) for x, name in zip(args, names, strict=True)]
    lengths = {a.shape[0] for a in arrs} - {1}
    if len(lengths) > 1:
        raise InputError(
            "arguments have "
            + ", ".join(f"{name}: {a.shape[0]}" for a, name in zip(arrs, names, strict=True))
            + f" rows; expected (k, {dim}) arrays of one common k, or single points "
            f"of shape ({dim},)"
        )
    k = lengths.pop() if lengths else 1
    stacked = np.empty((k, len(arrs), dim))
    for j, a in enumerate(arrs):
        stacked[:, j, :] = a
    exotic = np.zeros(k, dtype=bool)
    if k == 0:
        return stacked, exotic
    lo, hi = EXPONENT_LIMITS[degree]
    emin, emax, nonzero = exponent_range(stacked.reshape(k, -1), axis=1)
    out_of_window = nonzero & ((emax > hi) | (emin < lo))
    if out_of_window.any():
        exotic = out_of_window & (emax - emin > hi - lo)
        fix = out_of_window & ~exotic
        shift = np.where(emax > hi, hi - emax, lo - emin)
        stacked[fix] = np.ldexp(stacked[fix], shift[fix][:, None, None])
    return stacked, exotic


def _fraction_sign(v):
    return (v > 0) - (v < 0)


def _det(m):
    """Exact determinant of a small square matrix of Fractions (Laplace expansion)."""
    n = len(m)
    if n == 1:
        return m[0][0]
    total = Fraction(0)
    for j in range(n):
        if m[0][j] == 0:
            continue
        minor = [row[:j] + row[j + 1 :] for row in m[1:]]
        total += (-1) ** j * m[0][j] * _det(minor)
    return total


def _exact_rows(queries, lifted):
    """Decide (r, m, dim) ``queries`` with rational arithmetic: the sign of
    det [p_i - p_last (, |p_i - p_last|^2)] over the first m - 1 points."""
    out = np.empty(len(queries), dtype=np.int8)
    for r, query in enumerate(queries):
        pts = [[Fraction(float(v)) for v in p] for p in query]
        last = pts[-1]
        mat = []
        for p in pts[:-1]:
            d = [u - w for u, w in zip(p, last, strict=True)]
            if lifted:
                d.append(sum(x * x for x in d))
            mat.append(d)
        out[r] = _fraction_sign(_det(mat))
    return out


def _run(args, names, dim, degree, kernel, lifted):
    stacked, exotic = _prepare(args, names, dim, degree)
    exotic_queries = None
    if exotic.any():
        # Out of the kernels' exact range: decide them apart, and hand the kernel
        # zeros in their place (it would overflow or underflow on them).
        exotic_queries = stacked[exotic]
        stacked[exotic] = 0.0
    out = np.empty(stacked.shape[0], dtype=np.int8)
    cols = [np.ascontiguousarray(stacked[:, j, :]) for j in range(stacked.shape[1])]
    kernel(*cols, out)
    if exotic_queries is not None:
        out[exotic] = _exact_rows(exotic_queries, lifted)
    return out


def orient2d(a, b, c):
    """Orientation of triangles (a, b, c) in the plane, exactly.

    Parameters
    ----------
    a, b, c : array_like, shape (k, 2) or (2,)
        Vertices; single points broadcast against the others.

    Returns
    -------
    numpy.ndarray of int8, shape (k,)
        1 when a, b, c turn counter-clockwise, -1 clockwise, 0 when collinear.

    Examples
    --------
    >>> from geoent.predicates import orient2d
    >>> orient2d([0.5, 0.5], [12, 12], [24, 24]).tolist()
    [0]
    """
    return _run((a, b, c), ("a", "b", "c"), 2, 2, _k.orient2d_batch, False)


def incircle(a, b, c, d):
    """Whether d lies inside the circle through a, b, c, exactly.

    Parameters
    ----------
    a, b, c, d : array_like, shape (k, 2) or (2,)

    Returns
    -------
    numpy.ndarray of int8, shape (k,)
        1 when d is inside the circle through counter-clockwise a, b, c (the sign
        flips when a, b, c are clockwise), -1 outside, 0 on the circle.

    Examples
    --------
    >>> from geoent.predicates import incircle
    >>> incircle([0, 0], [1, 0], [0, 1], [[0.5, 0.5], [1, 1], [2, 2]]).tolist()
    [1, 0, -1]
    """
    # det [a-d, |a-d|^2; b-d, ...; c-d, ...] is the incircle determinant.
    return _run((a, b, c, d), ("a", "b", "c", "d"), 2, 4, _k.incircle_batch, True)


def orient3d(a, b, c, d):
    """Side of the plane through a, b, c on which d lies, exactly.

    Parameters
    ----------
    a, b, c, d : array_like, shape (k, 3) or (3,)

    Returns
    -------
    numpy.ndarray of int8, shape (k,)
        1 when d lies below the plane (a, b, c counter-clockwise seen from above),
        -1 above, 0 coplanar.

    Examples
    --------
    >>> from geoent.predicates import orient3d
    >>> orient3d([0, 0, 0], [1, 0, 0], [0, 1, 0], [[0, 0, -1], [0, 0, 1]]).tolist()
    [1, -1]
    """
    # Shewchuk's orient3d is det[a-d; b-d; c-d].
    return _run((a, b, c, d), ("a", "b", "c", "d"), 3, 3, _k.orient3d_batch, False)


def insphere(a, b, c, d, e):
    """Whether e lies inside the sphere through a, b, c, d, exactly.

    Parameters
    ----------
    a, b, c, d, e : array_like, shape (k, 3) or (3,)

    Returns
    -------
    numpy.ndarray of int8, shape (k,)
        1 when e is inside the sphere through positively oriented a, b, c, d
        (``orient3d(a, b, c, d) > 0``; the sign flips otherwise), -1 outside,
        0 on the sphere.

    Examples
    --------
    >>> from geoent.predicates import insphere
    >>> a, b, c, d = [1, 0, 0], [0, 1, 0], [-1, 0, 0], [0, 0, -1]
    >>> insphere(a, b, c, d, [[0, 0, 0], [0, 0, 1], [0, 0, 2]]).tolist()
    [1, 0, -1]
    """
    # Shewchuk's insphere equals det[p - e, |p - e|^2] over rows p = a..d.
    return _run((a, b, c, d, e), ("a", "b", "c", "d", "e"), 3, 5, _k.insphere_batch, True)
