"""The 2D hull's filters, following the input's shape (issue 12).

How the survivors of the filters are found (every filter drops only points proven
strictly inside the hull, so the hull computed from the survivors is exact):

1. A polygon P of input points: the exact hull of a strided sample of 4096 points,
   merged with a hint's points when one is given (or the hint's polygon alone, when
   a probe of 512 sample points finds none outside it). When P has more than half
   the sample's points as vertices (points on a circle), no filter can pay (Efron:
   the expected share of points outside a sample's hull is h/m) and none runs.
2. Round 1, one pass over all points, with the cheapest of the filters inside P,
   chosen by a cost model (pass cost plus the survivors' later cost; constants
   measured, see ``_COST_*``): the fixed-normal octagon of ``hull2d_filter``
   (tests on x, y, x + y, x - y: cheapest, but it covers little of a thin or
   rotated P), the same octagon in P's own frame (``hull2d_adaptive.
   frame_octagon_pass``: u, v from an integer matrix that makes P's smallest
   enclosing rectangle a square, then the tests on u, v, u + v, u - v; a rotated or
   thin strip then keeps what the square keeps, for two multiplies and two FMAs a
   point more: 1.17-1.19x the octagon's pass warm, 1.05-1.1x with a cold cache),
   a disk inside P (``hull2d_filter.circle_pass``: as cheap, and on a
   round P with many corners, a disk's or an annulus's hull, it leaves only the
   points near the hull: 2,966 of 1e7 on a disk with the exact hull as hint, where
   16 edges left 303,683), or 4, 8 or 16 corners of P kept by Visvalingam's
   simplification (tests on P's own edge normals, whatever the orientation or
   aspect ratio). The octagon, then the frame octagon,
   is taken at once when it keeps at most 5% of the probes (``_OCTAGON_GOOD``):
   the choice itself costs about 0.1 ms, a sixth of a 1e5-point hull.
3. Later rounds on the survivors while they are many: a fan of triangles inside the
   hull of a sample of the survivors (the first round adds all of P's surviving
   corners, so a hint's polygon filters as a whole, O(1) a point), bucketed by angle
   in a frame that makes P round, so a 1000:1 strip is as well covered as a square.

Direction hints (``hint=`` a (k, 2) float array, EntropyNet's kind) are not used by
these filters: the extreme input points along a direction cost a pass over the
points (the old engine made one per direction: 16 directions took 4x the hull), and
taken among round 1's survivors instead (where every hull vertex is) they made round 2
worse, not better (measured, 1e6 uniform: 1,265 survivors of round 2 against 467
without; CPU 4.4 ms against 4.0). The sample polygon already holds what they add.

The exponent-window check (exact arithmetic needs no rescaling) runs on the final
survivors: every dropped point lies in the bounding box of the last filter polygon,
whose corners survive, and a non-finite coordinate is counted by the round-1 pass.
"""

from __future__ import annotations

import numpy as np

from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint
from ._validation import in_exponent_window, readonly_view

# the kernels through geoent._aot: the compiled exports where built (the filters of
# convex_hull from 4,097 points then start without a compile), else the @njit ones
_k, _a, _f, _floats, _gather = (
    kernels_of(m) for m in ("hull2d", "hull2d_adaptive", "hull2d_filter", "floats", "gather")
)

__all__ = ["filter_polygon", "survivors"]

_SAMPLE = 4096  # sample size for the filter polygons
_PROBE = 512  # probe points deciding whether a hint polygon makes the sample unneeded
_ROUND_SAMPLE = 4096  # sample size for the fan of a later round
_ROUND_MIN = 8192  # fewer survivors than this: no further round (sorting them is cheaper)
_EFRON_MAX = 0.25  # run a later round only if the sample predicts < 25% survivors
_Q_LOSS = 0.01  # Visvalingam: drop corners while the area lost stays within 1% of P
# Round-1 cost model, per input point, in units of the octagon pass. Session 5's
# passes (compares, FMA forms, 512-bit vectors, 8-byte mask scan; 1e6 points, thread
# CPU time, min of 31 interleaved rounds on the shared 2-core Xeon at load 7-9, so
# +-10%): the octagon pass 1.4 ns per point warm, 8 edges 1.39x that, 16 edges
# 1.6x (4 edges measured 1.55x with 3x the survivors to compact). The survivor cost
# was fitted to whole-hull times with each kind forced (1e6 uniform, disk, Gaussian,
# Kuzmin, rotated strip: benchmarks/round1_kinds.py): compaction, coordinate
# copy, fan round and sort, about 16 octagon-point units (session 4's 8 units
# picked the octagon on the disk, 1.2x slower than 16 edges).
_COST_OCTAGON = 1.0
_COST_CIRCLE = 1.0  # the disk pass (hull2d_filter.circle_pass): measured as the octagon's
_COST_FRAME = 1.2  # the frame octagon (2): 1.17-1.19x the axis octagon's pass (session 6)
_COST_Q = {4: 1.35, 8: 1.45, 16: 1.6}
_COST_SURVIVOR = 16.0
_ROUND_FRAME = 2.0  # a later round buckets in P's principal frame past this axis ratio
# The octagon keeps at most this share of the probes: taken without trying the
# polygons (the square, Gaussian, Kuzmin: a polygon's pass would save at most a few
# % of a pass, measured 1e6 uniform: 8 edges 1.06x the octagon's CPU time), which
# spares their choice (~0.1 ms: 1e5 uniform 1.2x d4970ef's time before this rule).
# 5%: by the model above a polygon beats such an octagon only when it keeps under
# 2.2% (the uniform square: octagon 4.7%, 8 edges 2.1%; the octagon measured 1.2x
# faster end to end)
_OCTAGON_GOOD = 0.05
_COPY_SHARE = 8  # round 1 copies the coordinates of at most n / 8 survivors
# 0 (octagon), 1 (disk), 2 (frame octagon), 4, 8 or 16: the tests' and study's
# override of the choice
_FORCE = None


def _hull_of_subset(q, idx):
    """Exact hull (canonical order) of the points idx, a small set in any order."""
    xs, ys = _gather.gather_xy(q, idx, idx.shape[0])
    return _hull_of_gathered(q, idx, xs, ys)


def _hull_of_gathered(q, idx, xs, ys):
    """:func:`_hull_of_subset` given the points' coordinates: those strictly inside
    the quadrilateral of their extremes (exact, ``hull2d.outside_extreme_quad``)
    are left out of the sort and the chain (session 7, the 4,096-point samples of a
    1e6 strip: about 80% of them, sort and chain 0.10 -> 0.03 ms)."""
    keep = _k.outside_extreme_quad(xs, ys)
    idx = idx[keep]
    return _k.sorted_hull(q, idx[np.argsort(xs[keep])])


_P_MAX = 1024  # P is thinned to at most this many corners


def _thin(P):
    """Every k-th corner: a subsequence of a strictly convex polygon's corners is a
    strictly convex polygon inside it (so inside the hull), and later rounds sort P's
    corners with their samples, so it must stay small."""
    if P.shape[0] <= _P_MAX:
        return P
    # contiguous: the compiled kernels (geoent._aot) take C-contiguous index arrays
    return np.ascontiguousarray(P[:: (P.shape[0] + _P_MAX - 1) // _P_MAX])


def _in_window(q, ids):
    """Whether the points ids are finite and inside the exact exponent window: P's
    corners must be, or the sample hull and the filter constants built from them
    mean nothing (then the caller checks every point and rescales)."""
    xs, ys = _gather.gather_xy(q, ids, ids.shape[0])
    return _window_ok(xs, ys)


def _window_ok(xs, ys):
    ax, ix, bx = _floats.range_stats(xs)
    ay, iy, by = _floats.range_stats(ys)
    return not (bx or by) and in_exponent_window(max(ax, ay), min(ix, iy), 2)


def _checked_hull(q, idx):
    """Exact hull of the points idx, or None when their coordinates are not finite
    or not in the exact window (one gather for both)."""
    xs, ys = _gather.gather_xy(q, idx, idx.shape[0])
    if not _window_ok(xs, ys):
        return None
    return _hull_of_gathered(q, idx, xs, ys)


def filter_polygon(q, n, hint_ids=None):
    """Vertex indices (CCW) of the polygon P of input points the filters start from,
    or None when filtering cannot pay (or P has no area, or the sample's coordinates
    need rescaling first)."""
    step = max(4, n // _SAMPLE)  # small inputs: a quarter of the points
    sample = np.arange(0, n, step, dtype=np.int64)
    if hint_ids is not None and hint_ids.shape[0] >= 3:
        H = _checked_hull(q, hint_ids)
        if H is None:
            return None
        if H.shape[0] >= 3:
            vx, vy = _gather.gather_xy(q, H, H.shape[0])
            probe = np.arange(step // 2, n, max(step, n // _PROBE), dtype=np.int64)
            if _in_window(q, probe) and _a.count_not_inside(vx, vy, q, probe) == 0:
                return _thin(H)  # the hint alone is as good as the sample: skip it
            P = _checked_hull(q, np.concatenate((sample, _thin(H))))
            return _thin(P) if P is not None and P.shape[0] >= 3 else None
    P = _checked_hull(q, sample)
    if P is None or P.shape[0] < 3 or P.shape[0] > 2 * _EFRON_MAX * sample.shape[0]:
        return None  # most points on the hull (Efron): filtering cannot pay
    return P


def _round1(q, n, P, idx, xy):
    """Round 1 with the polygon the cost model picks: ``(k, bad, Q, kind)``, kind 0
    for the octagon, 1 for the disk, 2 for the octagon in P's frame (Q is then P),
    else the number of edge forms tested (4, 8, 16) (survivors in
    idx[:k], ``bad`` the count of non-finite points, all among them; k = -1 when
    Ctrl-C cancelled the pass)."""
    vx, vy = _gather.gather_xy(q, P, P.shape[0])
    # the share of round 1's survivors, estimated on probe points (any density: the
    # area would mislead on clustered, heavy-tailed input)
    probe = np.arange(0, n, max(1, n // _PROBE), dtype=np.int64)
    m = probe.shape[0]
    ok, c8 = _f.octagon_constants(vx, vy)
    if _FORCE is None and ok:
        f0 = _a.count_not_in_octagon(c8, q, probe) / m
        if f0 <= _OCTAGON_GOOD:
            k, bad = _f.octagon_pass(q, c8, idx, xy, cancel_flag())
            return k, bad, P, 0
    # the same octagon in P's own frame (P's smallest enclosing rectangle made a
    # square: a rotated or thin P is then what the square is to the axis octagon),
    # taken at once on the same rule
    okf = False
    if _FORCE is None or _FORCE == 2:
        okf, fr, cf = _a.frame_octagon_constants(vx, vy)
    if okf:
        f2 = _a.count_not_in_frame_octagon(fr, cf, q, probe) / m
        if _FORCE == 2 or f2 <= _OCTAGON_GOOD:
            k, bad = _a.frame_octagon_pass(q, fr, cf, idx, xy, cancel_flag())
            return k, bad, P, 2
    # Visvalingam from at most 256 corners (a subsequence of P's corners is still a
    # strictly convex polygon inside the hull), down to 16, then 8, then 4 corners
    step = (P.shape[0] + 255) // 256
    base = np.arange(0, P.shape[0], step, dtype=np.int64)
    cost = {}
    frac = {}
    keeps = {}
    for w in (16, 8, 4):
        sub = _a.simplify_inner(vx[base], vy[base], _Q_LOSS if w > 4 else 1.0, min(4, len(base)), w)
        base = base[sub]
        if w > 4 and base.shape[0] <= w // 2:
            continue  # the same polygon as the smaller kind: its cheaper pass wins
        keeps[w] = base
        frac[w] = _a.count_not_inside(vx[base], vy[base], q, probe) / m
        cost[w] = _COST_Q[w] + _COST_SURVIVOR * frac[w]
    if ok:
        frac[0] = _a.count_not_in_octagon(c8, q, probe) / m
        cost[0] = _COST_OCTAGON + _COST_SURVIVOR * frac[0]
    if okf:
        frac[2] = f2
        cost[2] = _COST_FRAME + _COST_SURVIVOR * f2
    okc, cc = _f.circle_constants(vx, vy)
    if okc:
        frac[1] = _f.count_not_in_circle(cc, q, probe) / m
        cost[1] = _COST_CIRCLE + _COST_SURVIVOR * frac[1]
    kind = _FORCE if _FORCE is not None else min(cost, key=cost.get)
    if _FORCE is None and ok and min(frac.values()) > 0.5:
        # most points survive any polygon (a thin annulus): later rounds cost a few
        # ns per survivor, not the model's 28, and the octagon's pass is the cheapest
        # (measured, 1e7 annulus: 16 edges 188.6 ms CPU against 178.2 for the octagon)
        kind = 0
    if kind == 1 and okc:
        k, bad = _f.circle_pass(q, cc, idx, xy, cancel_flag())
        return k, bad, P, kind
    if kind == 2 and okf:
        k, bad = _a.frame_octagon_pass(q, fr, cf, idx, xy, cancel_flag())
        return k, bad, P, 2
    if kind <= 2:
        k, bad = _f.octagon_pass(q, c8, idx, xy, cancel_flag())
        return k, bad, P, 0
    keep = keeps.get(kind, base)  # forced by _FORCE to a kind not worth a pass: base
    box, o, F = _a.polygon_forms(vx[keep], vy[keep])
    k, bad = _a.polygon_pass_unrolled(
        q, box, o, _a.pad_forms(F), keep.shape[0], idx, xy, cancel_flag()
    )
    return k, bad, P[keep], kind


def _found(ids, P):
    """Positions in the ascending array ``ids`` of those of P's corners it holds
    (round 1's survivors: with the octagon a corner of P may be dropped)."""
    pos = np.searchsorted(ids, P)
    ok = pos < ids.shape[0]
    pos, Pk = pos[ok], P[ok]
    return pos[ids[pos] == Pk]


def _frame(q, P):
    """P's principal frame M and whether later rounds bucket in it (a round P:
    hull2d_filter's fan, no frame map per point, does as well)."""
    vx, vy = _gather.gather_xy(q, P, P.shape[0])
    M = _a.shape_frame(vx, vy)
    return M, np.hypot(*M[1]) > _ROUND_FRAME * np.hypot(*M[0])


def survivors(q, n, P, info=None):
    """Survivor indices (ascending) of the filters started from polygon P, and a
    status: 0 fine, 1 non-finite input, 2 the coordinates need rescaling, 3 run
    without filters (a safeguard that should never trigger)."""
    idx = np.empty(n, dtype=np.int64)
    # round 1 copies its survivors' coordinates here while they are in L1: the later
    # rounds read them from this short array instead of gathering each from q
    # (a cache miss per survivor once round 1 has streamed q through the cache).
    # At most n / 8 of them (2 bytes per input point: issue 16's memory bound); when
    # more survive, the later rounds gather from q as before.
    xy = np.empty(2 * max(_ROUND_MIN, n // _COPY_SHARE))
    k, bad, poly_ids, kind = _round1(q, n, P, idx, xy)
    checkpoint()  # a cancelled pass returned k = -1: raise KeyboardInterrupt here
    if bad:
        return None, 1
    if k == 0:
        # P's corners always survive (none is strictly inside anything built from
        # P); none left means the floating-point assumptions failed: check all
        return None, 2
    # the window check on round 1's survivors (every dropped point lies in the box of
    # P's corners, which survive) before later rounds compute with them
    copied = 2 * k <= xy.shape[0]
    if copied:
        amax, amin, _ = _floats.range_stats(xy[: 2 * k])
    else:
        amax, amin, _ = _a.range_stats_idx(q, idx, k)
    if not in_exponent_window(amax, amin, 2):
        return None, 2
    if info is not None:
        info["round1"] = kind
        info["k"] = [k]
        info["framed"] = bool(_frame(q, P)[1])
    if k <= _ROUND_MIN:
        return idx[:k], 0
    if copied:
        # later rounds in the survivors' own numbering: point i is xs[2i], xs[2i + 1]
        # (idx ascending, so the numbering keeps the input's order)
        xs = readonly_view(xy[: 2 * k])
        poly = np.searchsorted(idx[:k], poly_ids)  # Q's corners survive: all found
        loc = np.arange(k, dtype=np.int64)
        corners = _found(idx[:k], P)
    else:
        xs, poly, loc = q, poly_ids, idx  # the input's numbering
        corners = P
    M, framed = _frame(q, P)
    while k > _ROUND_MIN:
        step = max(4, k // _ROUND_SAMPLE)  # at most a quarter: the round must beat a sort
        sample = loc[:k:step]
        # the first later round's polygon holds all of P's surviving corners, not
        # only round 1's few (Q): a hint's polygon (up to 1024 corners, the exact hull
        # at best) then filters the survivors as a whole, O(1) a point through the
        # fan's buckets (measured, 1e7 disk with the exact hull as hint, h = 721:
        # 303,683 survivors of round 1 -> 745 in one round, against 11,723 then
        # 1,762 in two rounds with the sample's polygon)
        extra = poly if corners is None else np.concatenate((poly, corners))
        corners = None
        hs = _hull_of_subset(xs, np.concatenate((sample, extra)))
        if hs.shape[0] > _EFRON_MAX * (sample.shape[0] + extra.shape[0]):
            break
        hx, hy = _gather.gather_xy(xs, hs, hs.shape[0])
        if framed:
            ok, o, bbox, F = _a.fan_build_affine(hx, hy, M)
        else:
            ok, o, bbox, F = _f.fan_build(hx, hy)
        if not ok:
            break
        if framed:
            k_new = _a.fan_pass_affine(xs, loc, k, o, bbox, F, M, loc)
        else:
            k_new = _f.fan_pass(xs, loc, k, o, bbox, F, loc)
        poly = hs
        shrunk = k_new < 0.75 * k
        k = k_new
        if info is not None:
            info["k"].append(k)
        if not shrunk:
            break
    if k == 0:
        return None, 2  # as above: the corners of the last polygon always survive
    return (idx[loc[:k]] if copied else loc[:k]), 0
