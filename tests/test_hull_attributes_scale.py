"""ConvexHull's float attributes at every scale (issue 18, item 3 of the probe).

The hull is exact at any scale; ``equations``, ``volume`` and ``area`` must then be
finite and accurate wherever their value fits a double, ``inf`` where it is beyond
the double range and 0 (or a subnormal) where it is below. The oracle computes each
value exactly from the hull's facets in ``fractions.Fraction`` (square roots in
``decimal`` at 50 digits, whose exponent range covers 1e+-1000 easily) and rounds it
to a double only at the end.
"""

from __future__ import annotations

import decimal
from fractions import Fraction

import numpy as np
import pytest

import geoent

_CTX = decimal.Context(prec=50, Emax=100000, Emin=-100000)
_TINY = 2.0**-1074

#: from the smallest subnormals (integers below 2**20 times 2**-1070 are all
#: subnormal, and exact) to 1e300
SCALES = [2.0**-1070, 1e-300, 1e-200, 1e-150, 1e-100, 1e-10, 1.0, 1e10, 1e100, 1e150, 1e200, 1e300]


def _sqrt(q: Fraction) -> decimal.Decimal:
    return _CTX.divide(
        _CTX.sqrt(decimal.Decimal(q.numerator)), _CTX.sqrt(decimal.Decimal(q.denominator))
    )


def _dec(q: Fraction) -> decimal.Decimal:
    return _CTX.divide(decimal.Decimal(q.numerator), decimal.Decimal(q.denominator))


def _close(got: float, exact: decimal.Decimal, scale_abs: float = 0.0) -> bool:
    """got is exact rounded to a double up to a relative 1e-12 (plus an absolute
    term for subnormal results and for offsets that cancel against coordinates);
    a value beyond the double range must be inf, one below it 0 or subnormal."""
    want = float(exact)  # correctly rounded: inf beyond the range, 0 below
    if np.isinf(want):
        return got == want
    tol = 1e-12 * abs(want) + 1e-12 * scale_abs + 8 * _TINY
    return np.isfinite(got) and abs(got - want) <= tol


def _cross(u, v):
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def _check_2d(h, pts):
    F = [(Fraction(x), Fraction(y)) for x, y in pts]
    v = h.vertices
    amax = float(np.max(np.abs(pts)))
    area2 = Fraction(0)
    perim = decimal.Decimal(0)
    for i, (p, q) in enumerate(zip(v, np.roll(v, -1), strict=True)):
        (ax, ay), (bx, by) = F[p], F[q]
        area2 += ax * by - ay * bx
        ex, ey = bx - ax, by - ay
        n2 = ex * ex + ey * ey
        ln = _sqrt(n2)
        perim = _CTX.add(perim, ln)
        # outward normal of a counter-clockwise edge: (ey, -ex) / |e|
        nx, ny = _CTX.divide(_dec(ey), ln), _CTX.divide(_dec(-ex), ln)
        off = -(_CTX.add(_CTX.multiply(nx, _dec(ax)), _CTX.multiply(ny, _dec(ay))))
        eq = h.equations[i]
        assert _close(eq[0], nx) and _close(eq[1], ny), (eq, nx, ny)
        assert _close(eq[2], off, amax), (eq[2], off)
    assert _close(h.volume, _dec(area2 / 2)), (h.volume, area2 / 2)
    assert _close(h.area, perim), (h.area, perim)


def _check_3d(h, pts):
    F = [tuple(Fraction(c) for c in p) for p in pts]
    amax = float(np.max(np.abs(pts)))
    o = F[h.vertices[0]]
    vol6 = Fraction(0)
    area2 = decimal.Decimal(0)
    for i, (p, q, r) in enumerate(h.simplices):
        a, b, c = F[p], F[q], F[r]
        u = tuple(b[k] - a[k] for k in range(3))
        w = tuple(c[k] - a[k] for k in range(3))
        n = _cross(u, w)
        ln = _sqrt(sum(x * x for x in n))
        area2 = _CTX.add(area2, ln)
        ra = tuple(a[k] - o[k] for k in range(3))
        rb = tuple(b[k] - o[k] for k in range(3))
        rc = tuple(c[k] - o[k] for k in range(3))
        cr = _cross(rb, rc)
        vol6 += sum(ra[k] * cr[k] for k in range(3))
        unit = [_CTX.divide(_dec(x), ln) for x in n]
        off = -sum((_CTX.multiply(unit[k], _dec(a[k])) for k in range(3)), decimal.Decimal(0))
        eq = h.equations[i]
        for k in range(3):
            assert _close(eq[k], unit[k]), (i, eq, unit)
        assert _close(eq[3], off, amax), (i, eq[3], off)
    assert vol6 > 0
    assert _close(h.volume, _dec(vol6 / 6)), (h.volume, vol6 / 6)
    assert _close(h.area, area2 / 2), (h.area, area2 / 2)


@pytest.mark.parametrize("scale", SCALES)
def test_2d_attributes_at_every_scale(scale):
    rng = np.random.default_rng(11)
    pts = rng.integers(0, 2**20, size=(40, 2)).astype(np.float64) * scale
    h = geoent.ConvexHull(pts)
    assert np.isfinite(h.equations).all()
    _check_2d(h, pts)


@pytest.mark.parametrize("scale", SCALES)
def test_3d_attributes_at_every_scale(scale):
    rng = np.random.default_rng(12)
    pts = rng.integers(-(2**20), 2**20, size=(40, 3)).astype(np.float64) * scale
    h = geoent.ConvexHull(pts)
    assert np.isfinite(h.equations).all()
    _check_3d(h, pts)


def test_2d_volume_inf_beyond_range_and_3d_area_fits():
    # the probe's reproducers: 2D area NaN at 1e200 (should be inf), 3D area inf at
    # 1e100 / NaN at 1e150 though about 1e300 fits
    sq = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    h = geoent.ConvexHull(sq * 1e200)
    assert h.volume == np.inf and h.area == pytest.approx(4e200, rel=1e-15)
    cube = np.array([[i, j, k] for i in (0.0, 1.0) for j in (0.0, 1.0) for k in (0.0, 1.0)])
    h3 = geoent.ConvexHull(cube * 1e150)
    assert h3.area == pytest.approx(6e300, rel=1e-15) and h3.volume == np.inf
    h3 = geoent.ConvexHull(cube * 1e-100)
    assert h3.area == pytest.approx(6e-200, rel=1e-15) and h3.volume == pytest.approx(1e-300)
    assert np.isfinite(h3.equations).all()


def test_translated_far_from_origin():
    # a unit-ish polygon at 1e15: offsets large, extent small; values from the
    # relative coordinates, not from products of huge numbers
    rng = np.random.default_rng(5)
    pts = rng.integers(0, 2**10, size=(30, 2)).astype(np.float64) + 2.0**50
    _check_2d(geoent.ConvexHull(pts), pts)
    pts3 = rng.integers(0, 2**10, size=(30, 3)).astype(np.float64) - 2.0**45
    _check_3d(geoent.ConvexHull(pts3), pts3)
