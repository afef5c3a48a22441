"""Exact predicates against an independent exact oracle (tests/naive.py).

Every test compares signs with exact rational arithmetic, or checks a property
that holds exactly (zero on exactly degenerate input, sign changes under
permutations, invariance under power-of-two scaling). The inputs are built to
defeat plain floating-point formulas; ``test_inputs_are_hard`` checks that they do.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoent import predicates as P
from geoent._kernels import predicates as K
from geoent._validation import EXPONENT_LIMITS

from . import naive

# name -> (dimension, number of points)
SPEC = {"orient2d": (2, 3), "incircle": (2, 4), "orient3d": (3, 4), "insphere": (3, 5)}
DEGREE = {"orient2d": 2, "orient3d": 3, "incircle": 4, "insphere": 5}
NAMES = list(SPEC)
# vendored hard cases (provenance and licence in tests/data/robust-predicates/README.md)
FIXTURES = Path(__file__).resolve().parent / "data" / "robust-predicates"


def run(name, q):
    """The public predicate on queries q of shape (k, m, dim)."""
    return getattr(P, name)(*(q[:, j] for j in range(q.shape[1])))


def oracle(name, q):
    return naive.signs(name, *(q[:, j] for j in range(q.shape[1])))


def assert_exact(name, q):
    got = run(name, q)
    want = oracle(name, q)
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, (
        f"{name}: {bad.size} wrong signs of {len(q)}, first query {q[bad[0]].tolist()}: "
        f"got {got[bad[0]]}, exact {want[bad[0]]}"
    )
    return want


def float_sign(name, q):
    """The naive double-precision formula (what the predicates must improve on)."""
    d = q[:, :-1, :] - q[:, -1:, :]
    if name in ("incircle", "insphere"):
        d = np.concatenate([d, (d * d).sum(axis=2, keepdims=True)], axis=2)
    return np.sign(np.linalg.det(d)).astype(np.int8)


def nudge(x, ulps):
    """x moved by ``ulps`` units in the last place (elementwise, any sign)."""
    x = np.array(x, dtype=np.float64)
    ulps = np.broadcast_to(ulps, x.shape)
    for _ in range(int(np.abs(ulps).max(initial=0))):
        live = ulps != 0
        x = np.where(live, np.nextafter(x, np.where(ulps > 0, np.inf, -np.inf)), x)
        ulps = ulps - np.sign(ulps)
    return x


def near_degenerate(name, k, rng, scale=1.0):
    """k queries whose last point lies on the line/circle/plane/sphere of the others
    up to rounding, then moved by -3..3 ulps per coordinate."""
    dim, m = SPEC[name]
    if name in ("orient2d", "orient3d"):
        base = rng.uniform(-1, 1, (k, m - 1, dim)) * scale
        w = rng.uniform(-2, 3, (k, m - 2, 1))
        last = base[:, 0] + (w * (base[:, 1:] - base[:, :1])).sum(axis=1)
    else:
        center = rng.uniform(-1, 1, (k, 1, dim)) * scale
        radius = rng.uniform(0.1, 1, (k, 1, 1)) * scale
        u = rng.standard_normal((k, m, dim))
        pts = center + radius * u / np.linalg.norm(u, axis=2, keepdims=True)
        base, last = pts[:, :-1], pts[:, -1]
    last = nudge(last, rng.integers(-3, 4, last.shape))
    return np.concatenate([base, last[:, None, :]], axis=1)


# ---------------------------------------------------------------------------
# random, near-degenerate, grids
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_random_input(name):
    rng = np.random.default_rng(1)
    dim, m = SPEC[name]
    q = rng.uniform(-1, 1, (300, m, dim)) * 10.0 ** rng.integers(-8, 9, (300, 1, 1))
    want = assert_exact(name, q)
    assert set(want.tolist()) == {-1, 1}


@pytest.mark.parametrize("name", NAMES)
def test_near_degenerate_input(name):
    rng = np.random.default_rng(2)
    want = assert_exact(name, near_degenerate(name, 400, rng))
    assert set(want.tolist()) == {-1, 1}


@pytest.mark.parametrize("name", NAMES)
def test_inputs_are_hard(name):
    """The near-degenerate sets defeat the naive formula (else they test nothing)."""
    rng = np.random.default_rng(2)
    q = near_degenerate(name, 400, rng)
    assert (float_sign(name, q) != oracle(name, q)).sum() >= 10


@pytest.mark.parametrize("name", NAMES)
def test_integer_grid(name):
    """Tuples of points of a small integer grid, offset far from the origin: many
    exact zeros, and large coordinates make the stage-B expansions necessary."""
    rng = np.random.default_rng(3)
    dim, m = SPEC[name]
    side = 4 if dim == 2 else 3
    grid = np.array(list(itertools.product(range(side), repeat=dim)), dtype=np.float64)
    idx = rng.integers(0, len(grid), (1500, m))
    for offset, step in [(0.0, 1.0), (2.0**40, 1.0), (-(2.0**30), 2.0**20), (0.5, 2.0**-30)]:
        q = offset + step * grid[idx]
        want = assert_exact(name, q)
        assert (want == 0).sum() > 100


@pytest.mark.slow
def test_classroom_example():
    """orient2d of a = (0.5 + i u, 0.5 + j u), b = (12, 12), c = (24, 24), u = 2**-53:
    exactly sign(j - i), which plain doubles get wrong in patches."""
    u = 2.0**-53
    i, j = np.meshgrid(np.arange(256), np.arange(256), indexing="ij")
    a = np.column_stack([0.5 + i.ravel() * u, 0.5 + j.ravel() * u])
    q = np.stack(
        [a, np.broadcast_to([12.0, 12.0], a.shape), np.broadcast_to([24.0, 24.0], a.shape)], 1
    )
    got = run("orient2d", q)
    assert np.array_equal(got, np.sign(j.ravel() - i.ravel()))
    assert np.array_equal(got, oracle("orient2d", q))
    assert (float_sign("orient2d", q) != got).sum() > 1000


# ---------------------------------------------------------------------------
# exactly degenerate input: the answer is 0
# ---------------------------------------------------------------------------


def _orders(q, rng, n):
    """Each query with its points in n random orders (a zero stays zero)."""
    perms = [rng.permutation(q.shape[1]) for _ in range(n)]
    return np.concatenate([q[:, p] for p in perms])


def degenerate(name, rng):
    """Exactly degenerate queries: exact differences (integers, dyadic offsets) and
    inexact ones (random doubles, whose differences round)."""
    k = 200
    if name == "orient2d":
        a = rng.integers(-(2**20), 2**20, (k, 1, 2)).astype(float)
        v = rng.integers(-50, 50, (k, 1, 2)).astype(float)
        line = a + rng.integers(-(2**20), 2**20, (k, 3, 1)) * v  # up to 2**26: big products
        x = rng.uniform(-1, 1, (k, 3, 1))
        diagonal = np.concatenate([x, x], axis=2)  # on y = x
        doubled = np.concatenate([x, 2 * x], axis=2)  # on y = 2x (doubling is exact)
        vertical = np.concatenate([np.full((k, 3, 1), 0.1), x], axis=2)
        qs = [line, diagonal, doubled, vertical]
    elif name == "incircle":
        # rectangles: cyclic for any corners; integer (small and far out), random doubles
        x = np.sort(rng.uniform(-1, 1, (k, 2)), axis=1)
        y = np.sort(rng.uniform(-1, 1, (k, 2)), axis=1)
        corners = [(0, 0), (1, 0), (1, 1), (0, 1)]
        rect = np.stack([np.column_stack([x[:, i], y[:, j]]) for i, j in corners], 1)
        lo = rng.integers(-1000, 1000, (k, 1, 2)).astype(float)
        unit = lo + np.array(corners, dtype=float)
        big = rng.integers(-(2**30), 2**30, (k, 1, 2)) + 2.0**25 * np.array(corners, float)
        # integer points on x^2 + y^2 = 25**2 * 13**2, about an integer centre
        g = np.arange(-325, 326)
        gx, gy = np.meshgrid(g, g, indexing="ij")
        on = gx**2 + gy**2 == (25 * 13) ** 2
        ring = np.column_stack([gx[on], gy[on]])
        pyth = rng.integers(-(2**20), 2**20, (k, 1, 2)) + ring[rng.integers(0, len(ring), (k, 4))]
        qs = [rect, unit, big, pyth]
    elif name == "orient3d":
        pq = rng.integers(-5, 6, (k, 1, 3)).astype(float)
        xy = rng.integers(-(2**20), 2**20, (k, 4, 2)).astype(float)
        z = pq[..., :1] * xy[..., :1] + pq[..., 1:2] * xy[..., 1:2] + pq[..., 2:]
        plane = np.concatenate([xy, z], axis=2)  # on z = px + qy + r
        u = rng.uniform(-1, 1, (k, 4, 2))
        flat = np.concatenate([u, np.full((k, 4, 1), 0.3)], axis=2)  # z = 0.3
        slanted = np.concatenate([u, u[..., :1]], axis=2)  # z = x
        qs = [plane, flat, slanted]
    else:
        # integer points on x^2 + y^2 + z^2 = 9**2 * 7**2, about an integer centre
        g = np.arange(-63, 64)
        gx, gy, gz = np.meshgrid(g, g, g, indexing="ij")
        on = gx**2 + gy**2 + gz**2 == (9 * 7) ** 2
        shell = np.column_stack([gx[on], gy[on], gz[on]])
        cen = rng.integers(-(2**12), 2**12, (k, 1, 3))
        pts = shell[rng.integers(0, len(shell), (k, 5))]
        sphere = (cen + pts).astype(float)
        # differences up to 2**27: the determinant needs the stage-B expansion
        big = (cen * 2.0**30 + pts * 2.0**20).astype(float)
        # any five corners of a box (random doubles) lie on its circumsphere
        lo = rng.uniform(-1, 0, (k, 1, 3))
        hi = rng.uniform(0, 1, (k, 1, 3))
        bits = np.array(list(itertools.product((0, 1), repeat=3)))
        pick = np.array([rng.choice(8, 5, replace=False) for _ in range(k)])
        box = np.where(bits[pick] == 1, hi, lo)
        cube = rng.integers(-1000, 1000, (k, 1, 3)) + bits[pick].astype(float)
        qs = [sphere, big, box, cube]
    return [_orders(q, rng, 3) for q in qs]


@pytest.mark.parametrize("name", NAMES)
def test_exactly_degenerate_input_gives_zero(name):
    rng = np.random.default_rng(4)
    for q in degenerate(name, rng):
        got = run(name, q)
        assert np.all(got == 0), f"{name}: nonzero sign on {q[np.flatnonzero(got)[0]].tolist()}"
    assert np.all(oracle(name, q[:50]) == 0)  # the oracle agrees (on the last family)


@pytest.mark.parametrize("name", NAMES)
def test_degenerate_plus_one_ulp_is_not_zero(name):
    """Moving one coordinate of an exactly degenerate query by one ulp gives the
    exact nonzero sign."""
    rng = np.random.default_rng(5)
    for q in degenerate(name, rng):
        q = q[:120].copy()
        q[:, -1, 0] = nudge(q[:, -1, 0], rng.choice([-1, 1], len(q)))
        assert_exact(name, q)


# ---------------------------------------------------------------------------
# scales, prescale and the Fraction fallback
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_scales_powers_of_ten(name):
    """A near-degenerate set scaled by 1e-60 .. 1e60 (each scaled set is a different,
    rounded configuration: compared with the oracle)."""
    rng = np.random.default_rng(6)
    q = near_degenerate(name, 40, rng)
    for e in range(-60, 61, 10):
        assert_exact(name, q * 10.0**e)


@pytest.mark.parametrize("name", NAMES)
def test_scales_powers_of_two(name):
    """Scaling by 2**e is exact and changes no sign, up to 1e200 and down to
    1e-300 (those go through the prescale)."""
    rng = np.random.default_rng(7)
    q = near_degenerate(name, 60, rng)
    want = assert_exact(name, q)
    for e in [-997, -600, -400, -200, -100, -50, 50, 100, 200, 400, 664, 1000]:
        scaled = np.ldexp(q, e)
        assert np.array_equal(np.ldexp(scaled, -e), q)  # the scaling was exact
        assert np.array_equal(run(name, scaled), want), e


@pytest.mark.parametrize("name", NAMES)
def test_huge_and_tiny_coordinates(name):
    rng = np.random.default_rng(8)
    q = near_degenerate(name, 40, rng)
    for s in (1e200, 1e-300, 1e300, 4e-320):
        assert_exact(name, q * s)


@pytest.mark.parametrize("name", NAMES)
def test_exponent_span_too_wide_goes_to_fraction_fallback(name):
    """Rows whose nonzero coordinates span more than the exact window are decided
    with Fractions; mixed with ordinary rows in one batch."""
    rng = np.random.default_rng(9)
    lo, hi = EXPONENT_LIMITS[DEGREE[name]]
    q = near_degenerate(name, 60, rng)
    wide = q.copy()
    wide[0::3, 0, 0] = 1e-300  # beside coordinates near 1
    wide[1::3] *= 1e300
    wide[1::3, -1, -1] = 3e-310  # subnormal beside coordinates near 1e300
    flat = np.abs(wide.reshape(len(wide), -1))
    emin = np.frexp(np.where(flat > 0, flat, np.inf).min(axis=1))[1] - 1
    emax = np.frexp(flat.max(axis=1))[1]
    assert np.all((emax - emin > hi - lo) == (np.arange(len(wide)) % 3 != 2))
    assert_exact(name, wide)


@pytest.mark.parametrize("name", NAMES)
def test_window_edges_without_prescale(name):
    """Coordinates at the top and the bottom of the exact window are used as they
    are (no prescale) and must still be exact: this is what the window promises."""
    rng = np.random.default_rng(10)
    lo, hi = EXPONENT_LIMITS[DEGREE[name]]
    q = near_degenerate(name, 40, rng)
    emax = np.frexp(np.abs(q).max())[1]
    top = np.ldexp(q, hi - emax)
    assert np.frexp(np.abs(top).max())[1] == hi
    assert_exact(name, top)
    nz = np.abs(q[q != 0]).min()
    bottom = np.ldexp(q, lo - (np.frexp(nz)[1] - 1))
    assert np.frexp(np.abs(bottom[bottom != 0]).min())[1] - 1 == lo
    assert_exact(name, bottom)
    # both ends in one query: the configuration near the bottom, a far point at the top
    both = np.ldexp(q, lo + 60)
    both[:, 0, 0] = 2.0 ** (hi - 1)
    nz = np.abs(both[both != 0])
    assert np.frexp(nz.min())[1] - 1 >= lo and np.frexp(nz.max())[1] <= hi
    assert_exact(name, both)


# ---------------------------------------------------------------------------
# vendored hard cases (mourner/robust-predicates, tests/data/robust-predicates)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_hard_fixtures(name):
    path = FIXTURES / f"{name}.txt"
    # shipped with the repository: a missing file is a failure, never a skip
    assert path.is_file(), f"vendored fixture missing: {path}"
    data = np.loadtxt(path)
    dim, m = SPEC[name]
    q = data[:, 1:-1].reshape(len(data), m, dim)
    want = data[:, -1].astype(np.int8)
    got = run(name, q)
    assert len(data) == 1000
    assert np.array_equal(got, want), f"{(got != want).sum()} wrong, ids {data[got != want, 0]}"
    assert np.array_equal(oracle(name, q[:100]), want[:100])


# ---------------------------------------------------------------------------
# symmetry
# ---------------------------------------------------------------------------


def _parity(perm):
    perm = list(perm)
    sign = 1
    for i in range(len(perm)):
        while perm[i] != i:
            j = perm[i]
            perm[i], perm[j] = perm[j], perm[i]
            sign = -sign
    return sign


@pytest.mark.parametrize("name", NAMES)
def test_permutations_change_sign_by_parity(name):
    """Each predicate is a determinant with one row per point: an odd permutation of
    the points flips the sign, an even one (a cyclic rotation of three) keeps it."""
    rng = np.random.default_rng(11)
    dim, m = SPEC[name]
    q = np.concatenate([near_degenerate(name, 150, rng), degenerate(name, rng)[0][:50]])
    base = run(name, q)
    perms = list(itertools.permutations(range(m)))
    if m == 5:
        perms = [perms[i] for i in rng.choice(len(perms), 20, replace=False)]
    for perm in perms:
        assert np.array_equal(run(name, q[:, list(perm)]), _parity(perm) * base), perm


def test_orient2d_swap_and_rotation():
    rng = np.random.default_rng(12)
    q = near_degenerate("orient2d", 300, rng)
    a, b, c = q[:, 0], q[:, 1], q[:, 2]
    s = P.orient2d(a, b, c)
    assert np.array_equal(P.orient2d(b, c, a), s)
    assert np.array_equal(P.orient2d(c, a, b), s)
    assert np.array_equal(P.orient2d(b, a, c), -s)


def test_incircle_rotation_and_swap():
    rng = np.random.default_rng(13)
    q = near_degenerate("incircle", 300, rng)
    a, b, c, d = (q[:, i] for i in range(4))
    s = P.incircle(a, b, c, d)
    assert np.array_equal(P.incircle(b, c, a, d), s)
    assert np.array_equal(P.incircle(b, a, c, d), -s)


# ---------------------------------------------------------------------------
# hypothesis: arbitrary doubles and rounded affine images of integer configurations
# ---------------------------------------------------------------------------

_doubles = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300)


@st.composite
def queries(draw, name):
    dim, m = SPEC[name]
    mode = draw(st.sampled_from(["doubles", "integers", "affine"]))
    if mode == "doubles":
        vals = draw(st.lists(_doubles, min_size=m * dim, max_size=m * dim))
        return np.array(vals, dtype=np.float64).reshape(1, m, dim)
    ints = draw(st.lists(st.integers(-3, 3), min_size=m * dim, max_size=m * dim))
    q = np.array(ints, dtype=np.float64).reshape(1, m, dim)
    if mode == "integers":
        return q
    # an affine image of an integer configuration, rounded: nearly degenerate
    scale = draw(st.floats(min_value=1e-3, max_value=1e3))
    offset = draw(st.lists(st.floats(-1e6, 1e6), min_size=dim, max_size=dim))
    return q * scale + np.array(offset)


def _fuzz(name):
    @settings(max_examples=150, deadline=None)
    @given(q=queries(name))
    def check(q):
        assert_exact(name, q)

    return check


test_fuzz_orient2d = _fuzz("orient2d")
test_fuzz_incircle = _fuzz("incircle")
test_fuzz_orient3d = _fuzz("orient3d")
test_fuzz_insphere = _fuzz("insphere")


# ---------------------------------------------------------------------------
# API: broadcasting, shapes, docstrings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_single_points_broadcast_against_batches(name):
    rng = np.random.default_rng(14)
    dim, m = SPEC[name]
    q = near_degenerate(name, 50, rng)
    fn = getattr(P, name)
    full = fn(*(q[:, j] for j in range(m)))
    for j in range(m):
        one = q[:1, j]
        # argument j fixed to the first query's point, as (dim,) and as (1, dim)
        fixed = q.copy()
        fixed[:, j] = one
        want = fn(*(fixed[:, i] for i in range(m)))
        args = [q[:, i] for i in range(m)]
        args[j] = one[0]
        assert np.array_equal(fn(*args), want)
        args[j] = one[0].tolist()
        assert np.array_equal(fn(*args), want)
        args[j] = one
        assert np.array_equal(fn(*args), want)
    assert fn(*(q[0, j] for j in range(m))).shape == (1,)
    assert fn(*(q[0, j] for j in range(m)))[0] == full[0]
    assert fn(*(q[:0, j] for j in range(m))).shape == (0,)


@pytest.mark.parametrize("name", NAMES)
def test_shape_errors(name):
    dim, m = SPEC[name]
    fn = getattr(P, name)
    good = [np.zeros((3, dim))] * m
    with pytest.raises(ValueError, match="rows"):
        fn(*good[:-1], np.zeros((4, dim)))
    with pytest.raises(ValueError, match=rf"\([nk], {dim}\)"):
        fn(*good[:-1], np.zeros((3, dim + 1)))
    with pytest.raises(ValueError, match=rf"\({dim},\)"):
        fn(*good[:-1], np.zeros(dim + 1))
    with pytest.raises(ValueError):
        fn(*good[:-1], np.zeros((3, dim, 1)))
    with pytest.raises(TypeError):
        fn(*good[:-1])


def test_results_are_int8_signs():
    out = P.orient2d([[0, 0]], [[1, 0]], [[0, 1], [1, 0], [0, -1]])
    assert out.dtype == np.int8 and out.tolist() == [1, 0, -1]


def test_oracle_matches_fraction_determinant():
    """The integer (Bareiss) oracle against plain Fraction elimination."""
    rng = np.random.default_rng(15)
    for name in NAMES:
        for q in (near_degenerate(name, 30, rng), degenerate(name, rng)[-1][:10]):
            for row in q:
                assert naive.ORACLES[name](*row) == naive.fraction_sign(name, *row)


# ---------------------------------------------------------------------------
# the adaptive stages allocate nothing
# ---------------------------------------------------------------------------


def _allocations(fn, *args):
    from numba.core.runtime import _nrt_python as nrt  # numba's own allocation counters

    was = nrt.memsys_stats_enabled()
    nrt.memsys_enable_stats()
    try:
        before = nrt.memsys_get_stats_alloc() + nrt.memsys_get_stats_mi_alloc()
        fn(*args)
        return nrt.memsys_get_stats_alloc() + nrt.memsys_get_stats_mi_alloc() - before
    finally:
        if not was:
            nrt.memsys_disable_stats()


@pytest.mark.parametrize("name", NAMES)
def test_degenerate_paths_allocate_nothing(name):
    """Exactly degenerate queries (stage B, and for all but insphere the exact stage
    on inexact differences) run without heap allocation: the count of numba
    allocations does not grow with the number of queries."""
    rng = np.random.default_rng(16)
    families = degenerate(name, rng)
    if name == "insphere":
        families = [families[0], families[1], families[3]]  # exact differences only
    kernel = getattr(K, f"{name}_batch")
    for q in families:
        cols = [np.ascontiguousarray(q[:, j]) for j in range(q.shape[1])]
        out = np.empty(len(q), dtype=np.int8)
        kernel(*cols, out)  # compile
        assert np.all(out == 0)
        small = _allocations(kernel, *(c[:2] for c in cols), out[:2])
        large = _allocations(kernel, *cols, out)
        assert large == small, f"{name}: {large - small} allocations in {len(q)} queries"


# ---------------------------------------------------------------------------
# the heap expansion helpers other kernels use
# ---------------------------------------------------------------------------


def test_heap_expansion_helpers_are_exact():
    from fractions import Fraction

    rng = np.random.default_rng(17)

    def value(e):
        return sum(Fraction(float(c)) for c in e)

    for _ in range(200):
        a, b, c, d = rng.uniform(-1, 1, 4) * 10.0 ** rng.integers(-20, 20, 4)
        ea, eb = K.expansion_from_diff(a, b), K.expansion_from_diff(c, d)
        assert value(ea) == Fraction(a) - Fraction(b)
        assert value(K.expansion_sum(ea, eb)) == value(ea) + value(eb)
        assert value(K.expansion_diff(ea, eb)) == value(ea) - value(eb)
        assert value(K.expansion_product(ea, eb)) == value(ea) * value(eb)
        cross = K._cross_exact(ea, eb, eb, ea)
        want = value(ea) * value(ea) - value(eb) * value(eb)
        assert value(cross) == want
        assert K.expansion_sign(cross) == (want > 0) - (want < 0)


@pytest.mark.parametrize(
    "name, bound", [("incircle", 4096), ("orient3d", 65536), ("insphere", 512)]
)
def test_small_integer_shortcut_at_its_bound(name, bound):
    """Integer differences up to ``bound`` are evaluated in plain doubles (proven
    exact below 2**53); at the bound and just beyond it (where the general exact
    path takes over) the answers must stay exact."""
    rng = np.random.default_rng(18)
    dim, m = SPEC[name]
    for b in (bound, bound + 1, 2 * bound):
        if name == "incircle":
            corners = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)
        elif name == "orient3d":
            corners = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], dtype=float)
        else:
            corners = np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], float)
        # degenerate shapes with every difference b, about a far integer offset
        q = np.repeat(corners[None] * b, 200, axis=0)
        q = q + rng.integers(-(2**30), 2**30, (200, 1, dim))
        q = np.concatenate([q, q[:, ::-1]])
        assert np.all(run(name, q) == 0)
        moved = q.copy()
        moved[:, -1, -1] += rng.choice([-1.0, 1.0], len(q))
        assert np.all(assert_exact(name, moved) != 0)
