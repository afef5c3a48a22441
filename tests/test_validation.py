"""The bad-input table of docs/design.md, for ``as_points`` and the public predicates,
and the exponent windows of ``check_exponent_range``."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from geoent import predicates as P
from geoent._validation import EXPONENT_LIMITS, as_points, check_exponent_range
from geoent.errors import InputError, RangeError

from . import naive

PREDICATES = {"orient2d": (2, 3), "incircle": (2, 4), "orient3d": (3, 4), "insphere": (3, 5)}


def _points(n=6, d=2, seed=0):
    return np.random.default_rng(seed).uniform(-10, 10, (n, d))


# ---------------------------------------------------------------------------
# as_points: rejected input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("row", [0, 3, 5])
def test_non_finite_names_the_first_offending_row(bad, row):
    x = _points()
    x[row, 1] = bad
    x[5, 0] = np.nan  # a later offender is not the one named (unless it is the first)
    with pytest.raises(InputError, match=rf"row {row} .*not finite"):
        as_points(x)


def test_non_finite_in_a_list_and_in_float32():
    with pytest.raises(ValueError, match="row 1"):
        as_points([[0, 0], [float("nan"), 1]])
    x = _points().astype(np.float32)
    x[2, 0] = np.inf
    with pytest.raises(ValueError, match="row 2"):
        as_points(x)


@pytest.mark.parametrize(
    "shape, ndim",
    [((3,), None), ((2, 2, 2), None), ((), None), ((4, 4), None), ((4, 1), None),
     ((4, 3), 2), ((4, 2), 3), ((4, 3), (2,))],
)  # fmt: skip
def test_wrong_shape_says_what_was_expected(shape, ndim):
    allowed = (2, 3) if ndim is None else ((ndim,) if isinstance(ndim, int) else ndim)
    with pytest.raises(InputError, match="expected") as info:
        as_points(np.zeros(shape), ndim=ndim)
    for d in allowed:
        assert f"(n, {d})" in str(info.value)
    assert f"got shape {shape}" in str(info.value)


def test_dimension_choices():
    assert as_points(np.zeros((4, 2)), ndim=(2, 3)).shape == (4, 2)
    assert as_points(np.zeros((4, 3)), ndim=(2, 3)).shape == (4, 3)
    assert as_points(np.zeros((4, 3)), ndim=3).shape == (4, 3)


@pytest.mark.parametrize(
    "masked",
    [np.ma.array(np.zeros((3, 2))), np.ma.masked_invalid([[0.0, np.nan], [1.0, 2.0]])],
)
def test_masked_arrays_are_rejected(masked):
    with pytest.raises(InputError, match="masked.*\\(n, 2\\)"):
        as_points(masked, ndim=2)


@pytest.mark.parametrize(
    "bad",
    [
        [["a", "b"], ["c", "d"]],
        np.array([[1, None], [2, 3]], dtype=object),
        [[Fraction(1), Fraction(2)]],
        np.zeros((3, 2), dtype=np.complex128),
        np.zeros((3, 2), dtype="datetime64[s]"),
        np.zeros((3, 2), dtype="timedelta64[s]"),  # numpy: a subtype of integer
        [[0, 0], [1]],  # ragged
        None,
        {"x": 1},
    ],
)
def test_non_numeric_is_rejected(bad):
    with pytest.raises(InputError, match="\\(n, 2\\)|complex"):
        as_points(bad, ndim=2)


def test_zero_points_is_an_error():
    for empty in (np.empty((0, 2)), [], np.empty((0, 3))):
        with pytest.raises(InputError):
            as_points(empty)
    with pytest.raises(InputError, match="at least 3 points, got 2"):
        as_points(np.zeros((2, 2)), min_points=3)
    assert as_points(np.empty((0, 2)), min_points=0).shape == (0, 2)


def test_int64_beyond_2_53_is_rejected_unless_exact():
    ok = np.array([[2**53, 0], [2**60, -(2**63)], [-(2**53), 3]], dtype=np.int64)
    got = as_points(ok)
    assert [int(v) for v in got.ravel()] == ok.ravel().tolist()
    for v in (2**53 + 1, 2**63 - 1, -(2**62) - 1):
        x = np.array([[0, 0], [1, 1], [v, 2]], dtype=np.int64)
        with pytest.raises(InputError, match="row 2 .*cannot represent exactly"):
            as_points(x)
    with pytest.raises(InputError, match="row 0"):
        as_points(np.array([[2**64 - 1, 0]], dtype=np.uint64))


@pytest.mark.skipif(np.finfo(np.longdouble).nmant <= 52, reason="long double is float64 here")
def test_long_double_that_would_round_is_rejected():
    x = np.ones((2, 2), dtype=np.longdouble)
    assert np.array_equal(as_points(x), np.ones((2, 2)))
    x[1, 1] += np.longdouble(2) ** -60
    with pytest.raises(InputError, match="row 1"):
        as_points(x)


# ---------------------------------------------------------------------------
# as_points: accepted input, and the caller's array is never changed
# ---------------------------------------------------------------------------


def _variants():
    base = _points(8, 2, seed=1).round(3)
    wide = np.zeros((8, 5))
    wide[:, ::2][:, :2] = base
    return {
        "int32": base.round().astype(np.int32),
        "int64": base.round().astype(np.int64),
        "uint8": np.abs(base).round().astype(np.uint8),
        "bool": base > 0,
        "float16": base.astype(np.float16),
        "float32": base.astype(np.float32),
        "float64": base.copy(),
        "fortran": np.asfortranarray(base),
        "strided view": wide[:, ::2][:, :2],
        "transposed": np.ascontiguousarray(base.T).T,
        "reversed": base[::-1],
        "readonly": np.frombuffer(base.tobytes(), dtype=np.float64).reshape(8, 2),
    }


@pytest.mark.parametrize("kind", list(_variants()))
def test_accepted_and_the_caller_array_is_unchanged(kind):
    x = _variants()[kind]
    before = x.tobytes()
    out = as_points(x)
    assert out.dtype == np.float64 and out.flags.c_contiguous and out.shape == x.shape
    assert np.array_equal(out, x.astype(np.float64))
    assert x.tobytes() == before
    # writing to the result can never change the input: it is either a new array
    # or a read-only view
    if out.flags.writeable:
        assert not np.shares_memory(out, x)
        out[...] = 12345.0
    else:
        with pytest.raises(ValueError):
            out[0, 0] = 12345.0
    assert x.tobytes() == before


def test_float64_input_is_not_copied():
    """No copy when none is needed (1e8 points must not double the memory)."""
    x = _points(1000)
    out = as_points(x)
    assert np.shares_memory(out, x) and not out.flags.writeable
    assert x.flags.writeable  # the caller's own array stays writeable


def test_lists_and_tuples():
    for x in ([[0, 1], [2, 3]], ((0, 1), (2, 3)), [np.array([0, 1]), np.array([2, 3])]):
        out = as_points(x)
        # read-only like every as_points result (one numba specialisation per kernel)
        assert out.tolist() == [[0.0, 1.0], [2.0, 3.0]] and not out.flags.writeable


def test_huge_and_tiny_coordinates_pass_unchanged():
    x = np.array([[1e300, -1e-300], [5e-324, 1.7976931348623157e308]])
    assert np.array_equal(as_points(x), x)


# ---------------------------------------------------------------------------
# exponent windows
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("degree", sorted(EXPONENT_LIMITS))
def test_windows_satisfy_the_documented_derivation(degree):
    """Degree-d products of values that are multiples of 2**(lo - 52) stay at or
    above 2**-900 when nonzero (so that stage-C error bounds, about 2**-103 times
    them, are normal doubles); those of values below 2**(hi + 1), summed over at most
    2**7 terms and split (x 2**28), stay below 2**1017."""
    lo, hi = EXPONENT_LIMITS[degree]
    assert degree * (lo - 52) >= -900
    assert (9.0 + 64.0 * 2.0**-53) * 2.0**-106 * 2.0 ** (degree * (lo - 52)) >= 2.0**-1022
    assert degree * (hi + 1) + 7 + 28 <= 1017


@pytest.mark.parametrize("degree", sorted(EXPONENT_LIMITS))
def test_window_edges(degree):
    lo, hi = EXPONENT_LIMITS[degree]
    top = np.nextafter(2.0**hi, 0)  # frexp exponent hi: inside
    bottom = 2.0**lo  # frexp exponent lo + 1, so lowest exponent lo: inside
    inside = np.array([[top, 0.0], [bottom, -top], [1.0, -bottom]])
    scaled, k = check_exponent_range(inside, degree)
    assert k == 0 and scaled is inside
    # one binary order beyond either end: scaled by the least power of two
    for pts, want_k in [
        (np.array([[2.0**hi, 1.0]]), -1),
        (np.array([[np.nextafter(2.0**lo, 0), 1.0]]), 1),
        (np.array([[2.0 ** (hi + 100), 0.0]]), -101),  # frexp exponent hi + 101
        (np.array([[2.0 ** (lo - 300), 0.0]]), 300),
    ]:
        scaled, k = check_exponent_range(pts, degree)
        assert k == want_k
        assert np.array_equal(scaled, np.ldexp(pts, k))
        assert np.array_equal(np.ldexp(scaled, -k), pts)  # exact
        nz = np.abs(scaled[scaled != 0])
        assert np.frexp(nz.min())[1] - 1 >= lo and np.frexp(nz.max())[1] <= hi


@pytest.mark.parametrize("degree", sorted(EXPONENT_LIMITS))
def test_widest_span_fits_and_one_more_is_a_range_error(degree):
    lo, hi = EXPONENT_LIMITS[degree]
    span = hi - lo
    # nonzero exponents 2**e .. just below 2**(e + span): span exactly hi - lo
    e = -500
    fits = np.array([[2.0**e, 0.0], [np.nextafter(2.0 ** (e + span), 0), -(2.0**e)]])
    scaled, k = check_exponent_range(fits, degree)
    nz = np.abs(scaled[scaled != 0])
    assert np.frexp(nz.min())[1] - 1 == lo and np.frexp(nz.max())[1] == hi
    too_wide = np.array([[2.0**e, 0.0], [2.0 ** (e + span), 0.0]])
    with pytest.raises(RangeError, match=rf"2\*\*{span} range.*degree-{degree}") as info:
        check_exponent_range(too_wide, degree, name="pts")
    assert str(info.value).startswith("pts:")
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)


def test_zero_and_empty_sets_need_no_scale():
    z = np.zeros((3, 2))
    scaled, k = check_exponent_range(z, 4)
    assert scaled is z and k == 0
    e = np.empty((0, 3))
    scaled, k = check_exponent_range(e, 5)
    assert scaled is e and k == 0


def test_huge_and_tiny_sets_are_scaled_into_the_window():
    rng = np.random.default_rng(2)
    for s, sign in ((1e200, -1), (1e-300, 1)):
        pts = rng.uniform(1, 2, (20, 2)) * s
        scaled, k = check_exponent_range(pts, 4)
        assert np.sign(k) == sign
        assert np.array_equal(np.ldexp(scaled, -k), pts)


# ---------------------------------------------------------------------------
# the public predicates: the same table
# ---------------------------------------------------------------------------


def _args(name, k=5, seed=3):
    d, m = PREDICATES[name]
    rng = np.random.default_rng(seed)
    return [rng.uniform(-5, 5, (k, d)) for _ in range(m)]


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_name_argument_and_row_of_non_finite(name):
    fn = getattr(P, name)
    for bad in (np.nan, np.inf):
        args = _args(name)
        args[-1][3, 0] = bad
        last = "abcde"[len(args) - 1]
        with pytest.raises(InputError, match=rf"^{last}: row 3 .*not finite"):
            fn(*args)


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_reject_wrong_shape_masked_non_numeric(name):
    fn = getattr(P, name)
    d, m = PREDICATES[name]
    other = 5 - d  # the other dimension
    cases = [
        np.zeros((5, other)),
        np.zeros((5, d, 2)),
        np.zeros(other),
        np.ma.array(np.zeros((5, d))),
        np.full((5, d), "x"),
        np.zeros((5, d), dtype=complex),
        np.array([[None] * d] * 5, dtype=object),
    ]
    for bad in cases:
        args = _args(name)
        args[0] = bad
        with pytest.raises(InputError, match=rf"^a: .*\({d},\)|^a: .*, {d}\)|^a: .*complex"):
            fn(*args)


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_accept_ints_float32_lists_views_unchanged(name):
    fn = getattr(P, name)
    d, m = PREDICATES[name]
    rng = np.random.default_rng(4)
    base = [rng.integers(-1, 2, (40, d)) for _ in range(m)]  # many exact zeros
    want = fn(*[b.astype(np.float64) for b in base])
    assert (want == 0).any()
    big = np.zeros((40, 2 * d), dtype=np.int64)
    big[:, ::2] = base[0]
    variants = [
        [b.astype(np.int32) for b in base],
        [b.astype(np.float32) for b in base],
        [b.tolist() for b in base],
        [np.asfortranarray(b.astype(np.float64)) for b in base],
        [big[:, ::2]] + [b for b in base[1:]],
    ]
    for args in variants:
        before = [np.array(a, copy=True) for a in args]
        assert np.array_equal(fn(*args), want)
        for a, b in zip(args, before, strict=True):
            assert np.array_equal(np.asarray(a), b) and np.asarray(a).dtype == b.dtype


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_do_not_modify_inputs_when_prescaling(name):
    """Huge and tiny rows are scaled inside: the caller's arrays stay as they were."""
    args = [a * 1e200 for a in _args(name)]
    args[1][::2] = _args(name)[1][::2] * 1e-300  # these rows span too much: Fractions
    before = [a.tobytes() for a in args]
    got = getattr(P, name)(*args)
    assert [a.tobytes() for a in args] == before
    assert np.array_equal(got, naive.signs(name, *args))


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_empty_batch_and_empty_point(name):
    fn = getattr(P, name)
    d, m = PREDICATES[name]
    out = fn(*[np.empty((0, d))] * m)
    assert out.shape == (0,) and out.dtype == np.int8
    with pytest.raises(InputError):
        fn(*[[]] * m)


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_reject_inexact_int64(name):
    d, m = PREDICATES[name]
    args = [np.zeros((2, d), dtype=np.int64)] * m
    args[1] = np.full((2, d), 2**53 + 1, dtype=np.int64)
    with pytest.raises(InputError, match="^b: row 0"):
        getattr(P, name)(*args)


@pytest.mark.parametrize("name", list(PREDICATES))
def test_predicates_exact_on_huge_tiny_and_too_wide_rows(name):
    """1e200 and 1e-300 rows are prescaled; rows spanning more than the window go to
    the Fraction fallback; all exact."""
    d, m = PREDICATES[name]
    rng = np.random.default_rng(5)
    base = rng.integers(-3, 4, (30, m, d)).astype(np.float64) + rng.uniform(-1e-9, 1e-9)
    q = np.concatenate([base * 1e200, base * 1e-300, base])
    q[-10:, 0, 0] = 1e-300  # spans about 2 * 1000 binary orders with the others
    want = naive.signs(name, *(q[:, j] for j in range(m)))
    assert np.array_equal(getattr(P, name)(*(q[:, j] for j in range(m))), want)


def test_timedelta64_rejected_by_every_entry_point():
    import geoent

    td = np.arange(12, dtype="timedelta64[ms]").reshape(6, 2)
    for call in (geoent.convex_hull, geoent.delaunay, geoent.range_partition_entropy):
        with pytest.raises(InputError, match="timedelta64"):
            call(td)
