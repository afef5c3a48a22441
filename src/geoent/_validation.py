"""One place that checks and converts user input.

Every public function calls :func:`as_points` once; kernels validate nothing.
"""

from __future__ import annotations

import math

import numpy as np

from .errors import InputError, RangeError

__all__ = ["as_points", "check_exponent_range", "EXPONENT_LIMITS"]


def as_points(points, ndim=None, *, name="points", min_points=1):
    """Return ``points`` as a C-contiguous float64 array of shape (n, d).

    Parameters
    ----------
    points : array_like
        Coordinates, one row a point. Lists, integer and float32 arrays and
        non-contiguous views are accepted and converted; the caller's array is
        never modified (a copy is made whenever a conversion is needed, and the
        returned array is never the caller's when it is writeable and shared).
    ndim : int or tuple of int, optional
        Allowed point dimensions (columns). ``None`` accepts 2 or 3.
    name : str
        Argument name used in error messages.
    min_points : int
        Fewest rows accepted.

    Returns
    -------
    numpy.ndarray
        float64, C-contiguous, shape (n, d). It may share memory with the input
        when the input already had that exact layout; geoent never writes to it.

    Raises
    ------
    InputError
        (a ``ValueError``) for masked arrays, non-numeric data, wrong shape,
        too few points, or NaN/inf (the message names the first offending row).

    Examples
    --------
    >>> from geoent._validation import as_points
    >>> as_points([[0, 0], [1, 2]]).dtype
    dtype('float64')
    """
    allowed = (2, 3) if ndim is None else ((ndim,) if isinstance(ndim, int) else tuple(ndim))
    expected = " or ".join(f"(n, {d})" for d in allowed)
    if isinstance(points, np.ma.MaskedArray):
        raise InputError(
            f"{name}: masked arrays are not accepted; fill or compress the mask first "
            f"(expected a plain array of shape {expected})"
        )
    try:
        arr = np.asarray(points)
    except (ValueError, TypeError) as exc:  # ragged nested lists, odd objects
        raise InputError(f"{name}: could not read as an array of shape {expected}: {exc}") from exc
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.floating)
        or np.issubdtype(arr.dtype, np.integer)
        or arr.dtype == np.bool_
    ):
        raise InputError(
            f"{name}: expected numeric coordinates of shape {expected}, got dtype {arr.dtype}"
        )
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise InputError(f"{name}: complex coordinates are not accepted")
    if arr.ndim != 2 or arr.shape[1] not in allowed:
        raise InputError(f"{name}: expected an array of shape {expected}, got shape {arr.shape}")
    if arr.shape[0] < min_points:
        raise InputError(
            f"{name}: expected at least {min_points} point{'s' if min_points != 1 else ''}, "
            f"got {arr.shape[0]}"
        )
    if np.issubdtype(arr.dtype, np.integer) and arr.dtype.itemsize == 8 and arr.size:
        # int64 beyond 2**53 would be rounded on conversion: say so instead of
        # silently computing on other points.
        big = np.abs(arr) > 2**53
        if big.any():
            row = int(np.argmax(big.any(axis=1)))
            raise InputError(
                f"{name}: row {row} has an integer coordinate beyond 2**53 that float64 "
                "cannot hold exactly"
            )
    out = np.ascontiguousarray(arr, dtype=np.float64)
    if out.size and not np.isfinite(out).all():
        bad = ~np.isfinite(out)
        row = int(np.argmax(bad.any(axis=1)))
        raise InputError(
            f"{name}: row {row} is not finite ({out[row].tolist()}); NaN and inf are not accepted"
        )
    return out


# Exponent window for exact expansion arithmetic, per predicate degree. With all
# nonzero |coordinates| in [2**lo, 2**hi], no intermediate of the exact stage of a
# degree-d predicate overflows or underflows (see docs in predicates.py):
# products of d factors stay above 2**(-1022 + 53) and below 2**1023 / 2**10.
EXPONENT_LIMITS = {
    2: (-420, 490),  # orient2d
    3: (-270, 320),  # orient3d
    4: (-190, 240),  # incircle
    5: (-140, 190),  # insphere
}


def check_exponent_range(points, degree, *, name="points"):
    """Scale ``points`` by a power of two so exact predicates of ``degree`` stay in range.

    A power-of-two scale changes no predicate sign. Returns ``(scaled, k)`` with
    ``scaled = points * 2.0**k`` (``points`` itself when ``k == 0``).

    Raises
    ------
    RangeError
        When the nonzero coordinates span more binary orders of magnitude than
        the window of ``degree`` allows, so no single scale fits them all. The
        message names the limit.
    """
    lo, hi = EXPONENT_LIMITS[degree]
    a = np.abs(points)
    amax = float(a.max()) if a.size else 0.0
    if amax == 0.0:
        return points, 0
    nz = a[a > 0]
    amin = float(nz.min())
    emax = math.frexp(amax)[1]
    emin = math.frexp(amin)[1] - 1
    if emax - emin > hi - lo:
        raise RangeError(
            f"{name}: nonzero coordinates span 2**{emin}..2**{emax}, wider than the "
            f"2**{hi - lo} range that exact degree-{degree} predicates support; "
            "rescale or round the tiny coordinates"
        )
    if lo <= emin and emax <= hi:
        return points, 0
    # Put the largest coordinate near the top of the window only as far as needed.
    k = (hi - emax) if emax > hi else (lo - emin)
    return np.ldexp(points, k), k
