"""The disk filter of round 1 (``hull2d_filter.circle_pass``, issue 12) and the
hint polygon used as a whole: exact against rational arithmetic and the reference
hull, results identical with and without hints."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geoent import _hull2d_shape as S
from geoent._hull2d import hull2d
from geoent._kernels import hull2d_filter as F
from geoent.datasets import make_points

from .test_hull2d import reference_hull

_NO_CANCEL = np.zeros(1, np.uint8)


def _min_sq_dist(poly, cx, cy):
    """Exact squared distance from (cx, cy) to the nearest edge line of the CCW
    polygon, and whether the point is strictly inside (rationals)."""
    cx, cy = Fraction(cx), Fraction(cy)
    m = len(poly)
    best = None
    inside = True
    for i in range(m):
        ax, ay = map(Fraction, poly[i])
        bx, by = map(Fraction, poly[(i + 1) % m])
        cr = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        inside &= cr > 0
        d2 = cr * cr / ((bx - ax) ** 2 + (by - ay) ** 2)
        best = d2 if best is None else min(best, d2)
    return best, inside


def _ring(rng, m, offset, scale, aspect):
    t = np.sort(rng.random(m)) * 2 * np.pi
    z = np.column_stack((np.cos(t), np.sin(t) / aspect)) * scale + offset
    h = reference_hull(z)
    return np.ascontiguousarray(z[h])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    m=st.integers(3, 40),
    offset=st.sampled_from([0.0, 1.0, 1e8, -3e15, 2.0**40]),
    scale=st.sampled_from([1.0, 1e-6, 1e6, 3.0, 1e-100, 1e100]),
    aspect=st.sampled_from([1.0, 1.5, 10.0, 1000.0]),
)
def test_circle_threshold_is_below_every_edge_distance(seed, m, offset, scale, aspect):
    """sqrt(T) is at most the exact distance from the (rounded) centre to every edge
    line, and points at the edge of the disk, one ulp either side, are dropped only
    when exactly strictly inside the polygon."""
    rng = np.random.default_rng(seed)
    poly = _ring(rng, m, offset, scale, aspect)
    if len(poly) < 3:
        return
    ok, c = F.circle_constants(poly[:, 0].copy(), poly[:, 1].copy())
    if not ok:
        return
    d2, inside = _min_sq_dist(poly, c[0], c[1])
    assert inside
    assert Fraction(c[2]) < d2
    # probe points on the disk's rim and just beyond, in every direction, plus the
    # corners and points on the edges: each dropped point is exactly inside the disk
    r = np.sqrt(max(c[2], 0.0))
    t = rng.random(200) * 2 * np.pi
    rim = np.column_stack((c[0] + r * np.cos(t), c[1] + r * np.sin(t)))
    pts = [poly, rim, np.nextafter(rim, rim + 1.0), np.nextafter(rim, rim - 1.0)]
    for i in range(len(poly)):
        a, b = poly[i], poly[(i + 1) % len(poly)]
        pts.append(a + rng.random(5)[:, None] * (b - a))
    pts = np.ascontiguousarray(np.vstack(pts))
    idx = np.empty(len(pts), dtype=np.int64)
    xy = np.empty(2 * len(pts))
    k, bad = F.circle_pass(pts.reshape(-1), c, idx, xy, _NO_CANCEL)
    assert bad == 0
    kept = set(idx[:k].tolist())
    assert set(range(len(poly))) <= kept  # corners never dropped
    cx, cy = Fraction(c[0]), Fraction(c[1])
    for i in set(range(len(pts))) - kept:
        px, py = map(Fraction, pts[i])
        assert (px - cx) ** 2 + (py - cy) ** 2 < d2, i


def test_circle_constants_refuse_degenerate_polygons():
    # collinear corners: no area, no disk
    ok, _ = F.circle_constants(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]))
    assert not ok
    ok, _ = F.circle_constants(np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    assert not ok


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_circle_pass_keeps_and_counts_non_finite(value):
    pts = make_points("disk", 3001, seed=2)
    pts[1234, 1] = value
    fin = pts[np.isfinite(pts).all(axis=1)]
    poly = fin[reference_hull(fin)]
    ok, c = F.circle_constants(poly[:, 0].copy(), poly[:, 1].copy())
    assert ok
    idx = np.empty(len(pts), dtype=np.int64)
    k, bad = F.circle_pass(pts.reshape(-1), c, idx, np.empty(2 * len(pts)), _NO_CANCEL)
    assert bad == 1 and 1234 in idx[:k].tolist()


def test_hinted_disk_and_annulus_take_the_disk_filter():
    """What the filter is for: with the exact hull as hint, round 1 on a disk or an
    annulus is the disk and leaves under 1% of the points (a 16-gon: 2.5% of a disk,
    ~97% of a 1%-thick annulus), and the result is unchanged."""
    for fam in ("disk", "annulus"):
        pts = make_points(fam, 400_000, seed=3)
        q = pts.reshape(-1)
        want = reference_hull(pts)
        P = S.filter_polygon(q, len(pts), want.astype(np.int64))
        info = {}
        idx, status = S.survivors(q, len(pts), P, info)
        assert status == 0 and info["round1"] == 1, (fam, info)
        assert info["k"][0] < 0.01 * len(pts), (fam, info)
        assert np.array_equal(hull2d(pts, hint=want)[0], want)


def _perturbed_polygon(pts, hull, rng):
    """A convex-position-free polygon of input points that is not the hull: hull
    vertices replaced here and there by interior points, shuffled."""
    ids = hull.copy()
    swap = rng.random(len(ids)) < 0.3
    ids[swap] = rng.integers(0, len(pts), swap.sum())
    rng.shuffle(ids)
    return ids


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(4097, 30_000),
    family=st.sampled_from(["disk", "annulus", "circle_interior", "grid", "collinear"]),
    offset=st.sampled_from([0.0, 1e9]),
    scale=st.sampled_from([1e-6, 1.0, 1e6]),
    kind=st.sampled_from([None, 1]),
)
def test_hints_leave_the_hull_unchanged(seed, n, family, offset, scale, kind):
    """The exact hull, a subset of it and a perturbed non-hull polygon of input
    points as hints: the same hull as without a hint, and as the reference."""
    rng = np.random.default_rng(seed)
    if family == "disk":
        pts = make_points("disk", n, seed=seed % 1000)
    elif family == "annulus":
        pts = make_points("annulus", n, seed=seed % 1000)
    elif family == "circle_interior":
        pts = np.vstack(
            (
                make_points("circle", n // 3, seed=seed % 1000),
                0.9999 * make_points("disk", n - n // 3, seed=seed % 997),
            )
        )
    elif family == "grid":
        pts = np.round((rng.random((n, 2)) - 0.5) * 60)
    else:  # degenerate: all on one line, with repeats
        t = np.round(rng.random(n) * 1000)
        pts = np.column_stack((t, 3 * t - 7))
    pts = np.ascontiguousarray(pts * scale + offset)
    want = reference_hull(pts)
    S._FORCE = kind
    try:
        assert np.array_equal(hull2d(pts)[0], want)
        for hint in (want.copy(), want[::2].copy(), _perturbed_polygon(pts, want, rng)):
            assert np.array_equal(hull2d(pts, hint=hint)[0], want)
    finally:
        S._FORCE = None


def test_circle_pass_stops_at_a_set_flag(monkeypatch):
    """Like the other round-1 passes (tests/test_interrupt.py): a set Ctrl-C flag
    returns k = -1 and the call raises, never a hull of a partial survivor list."""
    import geoent

    pts = make_points("disk", 300_000, seed=18)
    q = pts.reshape(-1)
    P = S.filter_polygon(q, len(pts))
    ok, c = F.circle_constants(np.ascontiguousarray(pts[P, 0]), np.ascontiguousarray(pts[P, 1]))
    assert ok
    out = np.empty(len(pts), np.int64)
    xy = np.empty(2 * len(pts))
    assert F.circle_pass(q, c, out, xy, np.ones(1, np.uint8))[0] == -1
    assert F.circle_pass(q, c, out, xy, np.zeros(1, np.uint8))[0] > 0
    real = S.cancel_flag

    def flagged():
        f = real()
        f[0] = 1
        return f

    monkeypatch.setattr(S, "_FORCE", 1)
    monkeypatch.setattr(S, "cancel_flag", flagged)
    with pytest.raises(KeyboardInterrupt):
        geoent.convex_hull(pts)
