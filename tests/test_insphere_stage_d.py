"""insphere's double-double stage D against exact rational arithmetic.

Stage D (``_kernels/predicates.py``) evaluates the filter's insphere formula on the
exact coordinate differences in double-double and accepts its sign beyond
``ISPERRBOUND_D * permanent``. Its correctness rests on one claim derived there:
the double-double result is within 88.2 u**2 * permanent of the exact determinant
(u = 2**-53), in fact within 88.1 u**2 of the permanent of the exact differences.
These tests check that claim with ``fractions.Fraction`` on the inputs stage D is
for (points on a sphere rounded to doubles, integer lattices on a sphere, huge
offsets, tiny scales), with hypothesis, and check the public predicate's sign on
the same inputs against the independent oracle (tests/naive.py).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geoent import predicates as P
from geoent._kernels import predicates as K

from . import naive

U = Fraction(1, 2**53)
CLAIM = Fraction(881, 10) * U * U  # the derived bound, relative to the exact permanent


def _formula(d, absolute=False):
    """The filter's insphere formula on differences d[0..3] (each (x, y, z)), in
    Fractions; with ``absolute`` its permanent (|inputs|, every - a +)."""
    f = (lambda v: abs(v)) if absolute else (lambda v: v)
    s = 1 if absolute else -1
    (ax, ay, az), (bx, by, bz), (cx, cy, cz), (dx, dy, dz) = [[f(v) for v in p] for p in d]
    ab = ax * by + s * bx * ay
    bc = bx * cy + s * cx * by
    cd = cx * dy + s * dx * cy
    da = dx * ay + s * ax * dy
    ac = ax * cy + s * cx * ay
    bd = bx * dy + s * dx * by
    abc = az * bc + s * bz * ac + cz * ab
    bcd = bz * cd + s * cz * bd + dz * bc
    cda = cz * da + dz * ac + az * cd
    dab = dz * ab + az * bd + bz * da
    al, bl, cl, dl = (x * x + y * y + z * z for x, y, z in ((ax, ay, az), (bx, by, bz),
                                                          (cx, cy, cz), (dx, dy, dz)))  # fmt: skip
    return (dl * abc + s * cl * dab) + (bl * cda + s * al * bcd)


def _stage_d(q):
    """Stage D on one query q (5, 3): (hi, lo), the exact determinant, the exact
    permanent (both of the exact differences q[i] - q[4])."""
    args = []
    exact = []
    for i in range(4):
        row = []
        for j in range(3):
            a, b = float(q[i, j]), float(q[4, j])
            hi = a - b
            lo = Fraction(a) - Fraction(b) - Fraction(hi)
            assert float(lo) == lo  # two_diff's tail is a double
            args += [hi, float(lo)]
            row.append(Fraction(a) - Fraction(b))
        exact.append(row)
    hi, lo = K._insphere_stage_d(*args)
    return hi, lo, _formula(exact), _formula(exact, absolute=True)


def _check(q):
    """The claim on one query; returns (decided by stage D, error / permanent)."""
    hi, lo, det, perm = _stage_d(q)
    assert abs(lo) <= abs(hi) * float(U)
    err = abs(Fraction(hi) + Fraction(lo) - det)
    assert err <= CLAIM * perm, (q.tolist(), float(err / perm / U / U))
    # the acceptance test of insphere_adapt, with the exact permanent standing in
    # for the filter's (within a factor 1 + 18u of it)
    decided = abs(hi) > float(Fraction(K.ISPERRBOUND_D) * perm)
    if decided:
        assert np.sign(hi) == (det > 0) - (det < 0)
    return decided, (err / perm if perm else Fraction(0))


def on_sphere(rng, k, centre=0.0, radius=1.0, spread=1.0):
    """k queries of five points on one sphere, rounded to doubles; the points of
    a query lie within ``spread`` (an angle scale) of each other."""
    c = centre + radius * rng.uniform(-1, 1, (k, 1, 3))
    axis = rng.standard_normal((k, 1, 3))
    u = axis + spread * rng.standard_normal((k, 5, 3))
    return c + radius * u / np.linalg.norm(u, axis=2, keepdims=True)


def lattice_sphere(r2):
    """The integer points with x*x + y*y + z*z == r2 (exactly cospherical)."""
    r = int(np.sqrt(r2)) + 1
    g = np.arange(-r, r + 1)
    x, y, z = np.meshgrid(g, g, g, indexing="ij")
    m = x * x + y * y + z * z == r2
    return np.stack([x[m], y[m], z[m]], axis=1).astype(np.float64)


CASES = {
    "unit_sphere": dict(),
    "unit_sphere_local": dict(spread=0.01),
    "huge_offset": dict(centre=1e6, radius=1.0, spread=0.1),
    "huge_offset_tiny_radius": dict(centre=1e3, radius=1e-4),
    "tiny_scale": dict(centre=1e-30, radius=1e-30),
    "huge_scale": dict(centre=3e20, radius=7e19),
}


@pytest.mark.parametrize("case", list(CASES))
def test_stage_d_within_its_bound_on_sphere_points(case):
    rng = np.random.default_rng(14)
    q = on_sphere(rng, 150, **CASES[case])
    res = [_check(x) for x in q]
    # not vacuous: the double-double result is not exact on most queries, and
    # stage D decides most of them (|det| is about u * permanent here)
    assert sum(e > 0 for _, e in res) >= 100
    assert sum(d for d, _ in res) >= 100
    want = naive.signs("insphere", *(q[:, j] for j in range(5)))
    assert (P.insphere(*(q[:, j] for j in range(5))) == want).all()


def test_stage_d_on_lattice_spheres():
    """Exactly cospherical lattice points (scaled and shifted exactly), half of
    the queries with their last point nudged by an ulp: stage D must not claim a
    sign it cannot certify, and the predicate stays exact (zero where exactly
    cospherical)."""
    rng = np.random.default_rng(15)
    pts = lattice_sphere(50) * (3.0 / 128.0) + 0.75
    q = pts[rng.integers(0, len(pts), (200, 5))]
    q[100:, 4] = np.nextafter(q[100:, 4], np.inf)
    for x in q:
        _check(x)
    want = naive.signs("insphere", *(q[:, j] for j in range(5)))
    assert (P.insphere(*(q[:, j] for j in range(5))) == want).all()
    assert (want[:100] == 0).all()  # exactly cospherical
    assert (want[100:] != 0).sum() >= 50


@settings(deadline=None, max_examples=150)
@given(
    seed=st.integers(0, 2**32 - 1),
    centre_exp=st.integers(-40, 40),
    radius_exp=st.integers(-10, 0),
    spread=st.sampled_from([1.0, 0.1, 1e-3]),
    ulps=st.integers(-2, 2),
)
def test_stage_d_fuzz(seed, centre_exp, radius_exp, spread, ulps):
    rng = np.random.default_rng(seed)
    scale = 2.0**centre_exp * 1.3
    q = on_sphere(rng, 4, centre=scale, radius=scale * 2.0**radius_exp, spread=spread)
    if ulps:
        q[:, 4] = np.nextafter(q[:, 4], np.inf if ulps > 0 else -np.inf)
    for x in q:
        _check(x)
    want = naive.signs("insphere", *(q[:, j] for j in range(5)))
    assert (P.insphere(*(q[:, j] for j in range(5))) == want).all()
