"""One place that checks and converts user input.

Every public function calls :func:`as_points` once; kernels validate nothing.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from ._interrupt import checkpoint
from .errors import InputError, RangeError

__all__ = [
    "as_points",
    "check_exponent_range",
    "check_permutation",
    "exponent_range",
    "in_exponent_window",
    "is_masked",
    "is_plain_float64",
    "readonly_view",
    "EXPONENT_LIMITS",
]

#: values per numpy pass over a large input, with Ctrl-C looked at between passes:
#: one pass over 1e7+ values took up to 1.2 s at load 13 (issue 18); smaller
#: arrays take one pass, as before
_BLOCK_VALUES = 1 << 22


def _row_blocks(a):
    """Row slices of ``a`` of about :data:`_BLOCK_VALUES` values each (one slice
    covering ``a`` when it is small)."""
    n = a.shape[0]
    if a.size <= _BLOCK_VALUES or n <= 1:
        return [slice(0, n)]
    rows = max(1, _BLOCK_VALUES // (a.size // n))
    return [slice(s, s + rows) for s in range(0, n, rows)]


def is_masked(x):
    """``x`` is a numpy masked array. Without reading ``np.ma``: numpy imports
    ``numpy.ma`` on that first read (30-70 ms, most of a first call that needs no
    kernel compile, issue 13), and no masked array exists before it is imported.

    Examples
    --------
    >>> import numpy as np
    >>> is_masked(np.zeros(2)), is_masked(np.ma.masked_array([1.0]))
    (False, True)
    """
    ma = sys.modules.get("numpy.ma")
    return ma is not None and isinstance(x, ma.MaskedArray)


def as_points(points, ndim=None, *, name="points", min_points=1):
    """Return ``points`` as a C-contiguous float64 array of shape (n, d).

    Parameters
    ----------
    points : array_like
        Coordinates, one row a point. Lists, integer and float32 arrays and
        non-contiguous views are accepted and converted; the caller's array is
        never modified.
    ndim : int or tuple of int, optional
        Allowed point dimensions (columns). ``None`` accepts 2 or 3.
    name : str
        Argument name used in error messages.
    min_points : int
        Fewest rows accepted.

    Returns
    -------
    numpy.ndarray
        float64, C-contiguous, shape (n, d), always read-only: a new array when a
        conversion was needed; otherwise a *read-only view* of the input (no copy),
        so writing to the result can never change the caller's array. (One flag
        for every input: numba compiles each kernel once per flag.)

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
    if (
        type(points) is np.ndarray
        and points.dtype == np.float64
        and points.ndim == 2
        and points.shape[1] in allowed
        and points.shape[0] >= min_points
        and points.flags.c_contiguous
    ):
        # the common case, checked in a few attribute reads (small calls, issue 13):
        # only finiteness is left to check, and the caller's memory to protect
        if not _all_finite(points):
            _raise_not_finite(points, name)
        return readonly_view(points)
    expected = " or ".join(f"(n, {d})" for d in allowed)
    if is_masked(points):
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
    if arr.dtype.kind in "mM":  # numpy counts timedelta64 as an integer type
        raise InputError(
            f"{name}: expected numeric coordinates of shape {expected}, got dtype {arr.dtype}"
        )
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise InputError(f"{name}: complex coordinates are not accepted")
    if arr.ndim != 2 or arr.shape[1] not in allowed:
        got = f"shape {arr.shape}" + (f" ({arr.ndim} dimensions)" if arr.ndim != 2 else "")
        raise InputError(f"{name}: expected an array of shape {expected}, got {got}")
    if arr.shape[0] < min_points:
        raise InputError(
            f"{name}: expected at least {min_points} point{'s' if min_points != 1 else ''}, "
            f"got {arr.shape[0]}"
        )
    out = np.ascontiguousarray(arr, dtype=np.float64)
    # 64-bit integers (beyond 2**53) and long doubles can be rounded on conversion:
    # say so instead of silently computing on other points.
    lossy = arr.dtype.itemsize > (8 if arr.dtype.kind == "f" else 7)
    if arr.size and arr.dtype.kind in "iuf" and lossy:
        inexact = _rounded_on_conversion(arr, out)
        if inexact.any():
            row = int(np.argmax(inexact.any(axis=1)))
            raise InputError(
                f"{name}: row {row} ({arr[row].tolist()}) has a coordinate that float64 "
                "cannot represent exactly (it would be rounded; integers beyond 2**53 "
                "must be multiples of the float64 spacing there)"
            )
    if out.size and not _all_finite(out):
        _raise_not_finite(out, name)
    if out is arr and not isinstance(points, (list, tuple)):
        # No conversion was needed, so ``out`` is the caller's memory: hand back a
        # read-only view (no copy, which matters at 1e8 points) so that nothing
        # downstream can write into the caller's array by mistake.
        out = readonly_view(out)
    else:
        # our own new array, read-only too: numba compiles a kernel once per
        # read-only flag, so one flag for every input halves what a mix of list and
        # array inputs makes it compile (issue 13)
        out.flags.writeable = False
    return out


def _all_finite(a):
    """``np.isfinite(a).all()``, in blocks of rows for a large ``a``: Python runs
    SIGINT's handler between them (and inside a ``geoent._interrupt`` call,
    :func:`checkpoint` raises), so Ctrl-C does not wait for one long pass."""
    if a.size <= _BLOCK_VALUES:
        return bool(np.isfinite(a).all())
    for b in _row_blocks(a):
        checkpoint()
        if not np.isfinite(a[b]).all():
            return False
    return True


def _raise_not_finite(out, name):
    bad = ~np.isfinite(out)
    row = int(np.argmax(bad.any(axis=1)))
    raise InputError(
        f"{name}: row {row} is not finite ({out[row].tolist()}); NaN and inf are not accepted"
    )


def readonly_view(arr):
    """A read-only view of ``arr`` (no copy): what user code (hints, orders) and
    the caller of ``as_points`` may see of arrays the library keeps using."""
    view = arr.view()
    view.flags.writeable = False
    return view


def is_plain_float64(points, ndim):
    """Whether ``points`` is a float64 C-contiguous ndarray of shape (n >= 1, ndim).

    Such an array can go to the kernels (as a :func:`readonly_view`, the flag
    ``as_points`` gives every input, so kernels are compiled once), skipping ``as_points``' separate
    ``isfinite`` pass (about a third of the time of a 10**7-point hull): the caller
    promises that its first kernel pass counts non-finite values and, if there are
    any, calls ``as_points`` to raise the error that names the row.
    """
    return (
        type(points) is np.ndarray
        and points.dtype == np.float64
        and points.ndim == 2
        and points.shape[1] == ndim
        and points.shape[0] >= 1
        and points.flags.c_contiguous
    )


def _rounded_on_conversion(arr, out):
    """Mask of the entries of ``arr`` that its float64 conversion ``out`` changed."""
    if arr.dtype.kind == "f":
        with np.errstate(over="ignore"):
            return out.astype(arr.dtype) != arr
    # float -> integer casts of out-of-range values are undefined: compare only
    # inside the integer type's range (values rounded up to 2**63 or 2**64 are
    # outside it, and were rounded).
    info = np.iinfo(arr.dtype)
    inside = (out >= float(info.min)) & (out < 2.0 ** (info.bits - (info.min < 0)))
    back = np.where(inside, out, 0.0).astype(arr.dtype)
    return ~inside | (back != arr)


# Exponent windows for the exact predicates, per degree d (2 orient2d, 3 orient3d,
# 4 incircle, 5 insphere). Write every nonzero |coordinate| as 2**e * m with
# 1 <= m < 2 and require lo <= e < hi (``frexp`` exponents: |x| >= 2**emin and
# |x| < 2**emax). Then:
#
# * Lower end. A double of exponent e >= emin is an integer multiple of
#   2**(emin - 52). Sums, differences and their roundings stay multiples of it (a
#   rounding that changes such a value happens where the grid of doubles is coarser
#   than 2**(emin - 52), so it lands on a multiple of it again), products of
#   j such factors are multiples of 2**(j * (emin - 52)), and so are the error terms
#   of two_sum, two_diff, Dekker's split and two_product, because they are exact
#   differences of such values. So every nonzero value a degree-d predicate
#   computes (filter, stages B and C, exact stage) has magnitude at least
#   2**(d * (lo - 52)) >= 2**-900: it is a normal double, every rounding has
#   relative error <= 2**-53 (the model behind Shewchuk's error bounds and the
#   error-free transformations), and even the smallest error bound,
#   CCWERRBOUND_C * detsum (about 2**-103 times a value >= 2**-900), stays a
#   normal double (>= 2**-1003), as Shewchuk's stage-C bounds require.
# * Upper end. |coordinate| < 2**hi, so |difference| < 2**(hi + 1), degree-d
#   products are below 2**(d * (hi + 1)), determinants, permanents and expansion
#   components built from at most 2**7 such terms are below 2**(d * (hi + 1) + 7),
#   and Veltkamp's split multiplies by 2**27 + 1 < 2**28: everything stays below
#   2**(d * (hi + 1) + 35) <= 2**1017 < 2**1024 (no overflow, no inf).
#
# The windows (checked by tests/test_validation.py):
#   d  lo    hi   d*(lo-52)  d*(hi+1)+35
#   2  -398  490  -900       1017
#   3  -248  320  -900       998
#   4  -173  240  -900       999
#   5  -128  190  -900       990
# A point set whose nonzero coordinates span at most hi - lo binary orders of
# magnitude is moved into the window by one power-of-two scale, which is exact and
# changes no predicate sign (every determinant here is homogeneous: scaling all
# coordinates by s > 0 multiplies it by a positive power of s).
EXPONENT_LIMITS = {
    2: (-398, 490),  # orient2d
    3: (-248, 320),  # orient3d
    4: (-173, 240),  # incircle
    5: (-128, 190),  # insphere
}


def exponent_range(a, axis=None):
    """Binary exponents ``(emin, emax, nonzero)`` of the nonzero ``|a|`` along ``axis``.

    ``2**emin <= |x| < 2**emax`` for every nonzero x; ``nonzero`` is False where
    every value is zero (then emin and emax are 0).

    A large ``a`` (over :data:`_BLOCK_VALUES` values, ``axis`` None or 0) is read
    in blocks of rows with Ctrl-C checkpoints between them (``geoent._interrupt``);
    the values are the same.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._validation import exponent_range
    >>> emin, emax, nz = exponent_range(np.array([[0.0, 0.75], [-3.0, 0.0]]))
    >>> int(emin), int(emax), bool(nz)
    (-1, 2, True)
    """
    if a.ndim >= 1 and axis in (None, 0) and a.size > _BLOCK_VALUES:
        amax = amin = None
        for b in _row_blocks(a):
            checkpoint()
            bmax, bmin = _abs_extremes(a[b], axis)
            amax = bmax if amax is None else np.maximum(amax, bmax)
            amin = bmin if amin is None else np.minimum(amin, bmin)
        checkpoint()
    else:
        amax, amin = _abs_extremes(a, axis)
    nonzero = amax > 0
    _, emax = np.frexp(amax)
    _, emin = np.frexp(np.where(nonzero, amin, 1.0))
    return np.where(nonzero, emin - 1, 0), np.where(nonzero, emax, 0), nonzero


def _abs_extremes(a, axis):
    """Largest ``|x|`` and smallest nonzero ``|x|`` (inf if none) along ``axis``."""
    a = np.abs(a)
    return a.max(axis=axis), np.where(a > 0, a, np.inf).min(axis=axis)


def in_exponent_window(amax, amin, degree):
    """Whether values whose nonzero magnitudes lie in [amin, amax] are inside the
    exponent window of ``degree`` (so :func:`check_exponent_range` would not scale
    them). ``amax == 0`` means every value is zero, which is inside.

    Lets a kernel pass that already has the extremes skip ``exponent_range``'s pass.

    Examples
    --------
    >>> from geoent._validation import in_exponent_window
    >>> in_exponent_window(1e6, 1e-6, 2), in_exponent_window(1e300, 1.0, 4)
    (True, False)
    """
    if amax == 0.0:
        return True
    lo, hi = EXPONENT_LIMITS[degree]
    # frexp exponents, as exponent_range: 2**(e - 1) <= |x| < 2**e
    return lo <= math.frexp(amin)[1] - 1 and math.frexp(amax)[1] <= hi


def check_exponent_range(points, degree, *, name="points"):
    """Scale ``points`` by a power of two so exact predicates of ``degree`` stay in range.

    A power-of-two scale is exact and changes no predicate sign. Call it once on a
    validated point set before handing it to kernels that use the exact predicates
    of ``geoent._kernels.predicates``.

    Parameters
    ----------
    points : numpy.ndarray
        Finite coordinates, as returned by :func:`as_points`.
    degree : {2, 3, 4, 5}
        Highest predicate degree the caller uses: 2 orient2d, 3 orient3d,
        4 incircle, 5 insphere.
    name : str
        Argument name used in error messages.

    Returns
    -------
    scaled : numpy.ndarray
        ``points * 2.0**k`` (``points`` itself when ``k == 0``).
    k : int
        The exponent of the scale.

    Raises
    ------
    RangeError
        (an ``InputError``, so a ``ValueError``) when the nonzero coordinates span
        more binary orders of magnitude than the window of ``degree`` allows, so
        that no single scale fits them all. The message names the limit.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._validation import check_exponent_range
    >>> scaled, k = check_exponent_range(np.array([[1e200, 0.0], [3e199, 1e199]]), 4)
    >>> bool(k < 0 and np.all(scaled * 2.0**-k == [[1e200, 0.0], [3e199, 1e199]]))
    True
    """
    lo, hi = EXPONENT_LIMITS[degree]
    if points.size == 0:
        return points, 0
    emin, emax, nonzero = exponent_range(points)
    if not nonzero:
        return points, 0
    emin, emax = int(emin), int(emax)
    if emax - emin > hi - lo:
        raise RangeError(
            f"{name}: nonzero coordinates span 2**{emin}..2**{emax}, wider than the "
            f"2**{hi - lo} range that exact degree-{degree} predicates support; "
            "rescale or round the tiny coordinates"
        )
    if lo <= emin and emax <= hi:
        return points, 0
    # Move the largest coordinate to the top of the window, or the smallest to its
    # bottom, only as far as needed.
    k = (hi - emax) if emax > hi else (lo - emin)
    return np.ldexp(points, k), k


def check_permutation(perm, n, what):
    """``perm`` as a new int64 array, checked to be a permutation of ``range(n)``.

    Parameters
    ----------
    perm : array_like
        A user-given insertion order (or what a ``delaunay_order`` method returned).
    n : int
        Number of points.
    what : str
        Argument name used in error messages.

    Raises
    ------
    InputError
        (a ``ValueError``) when ``perm`` is not a 1-D integer array of length ``n``
        holding each of ``0 .. n - 1`` once.

    Examples
    --------
    >>> from geoent._validation import check_permutation
    >>> check_permutation([2, 0, 1], 3, "order").tolist()
    [2, 0, 1]
    >>> check_permutation([0, 0, 1], 3, "order")
    Traceback (most recent call last):
    ...
    geoent.errors.InputError: order: is not a permutation of range(3)
    """
    arr = np.asarray(perm)
    if arr.ndim != 1 or arr.shape[0] != n or not np.issubdtype(arr.dtype, np.integer):
        raise InputError(
            f"{what}: expected an integer array of shape ({n},), a permutation of "
            f"range({n}); got {arr.dtype} array of shape {arr.shape}"
        )
    arr = arr.astype(np.int64, copy=True)
    if n and (arr.min() < 0 or arr.max() >= n or np.bincount(arr, minlength=n).max() != 1):
        raise InputError(f"{what}: is not a permutation of range({n})")
    return arr
