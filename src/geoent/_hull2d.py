"""The 2D hull engine behind ``geoent.hull`` (its inputs already validated there).

How a 2D hull is computed (``method="monotone"``, the default):

1. Filters (``geoent._hull2d_shape``, inputs of more than 4096 points): a polygon P
   of input points (the exact hull of a strided sample of 4096 points, merged with
   an index hint's polygon), then round 1, one pass over all points with the
   cheapest of the fixed-normal octagon and 4, 8 or 16 corners of P (P's own edge
   normals, so thin and rotated inputs are covered as well as a square), then
   fan rounds on the survivors, bucketed in P's principal frame. Every filter drops
   only points proven strictly inside the hull (floating-point tests with proven
   error margins), so the result is exact and identical with or without a hint.
2. Andrew's monotone chain with the exact orient2d on what is left, after a sort by
   (x, y, index).

``method="instance_optimal"`` runs the pruned Kirkpatrick-Seidel algorithm
(``geoent._kernels.hull2d_ks``) on the same survivors (``filters=False``: on every
point, for its per-level work). A hint is decoded once per call, also when the
coordinates must be rescaled by a power of two for exact arithmetic.
:func:`hulls_batched` is the many-small-hulls path (``geoent._kernels.hulls_batched``).
"""

from __future__ import annotations

import sys

import numpy as np

from . import _hull2d_shape as _shape
from . import _kernels
from ._aot import kernels_of
from ._interrupt import MIN_POINTS, cancel_flag, checkpoint, wait_for
from ._kernels import get_num_threads
from ._protocols import HullHint
from ._validation import (
    as_points,
    check_exponent_range,
    in_exponent_window,
    is_plain_float64,
    readonly_view,
)
from .errors import InputError, RangeError

# The kernels, compiled ahead of time where built (geoent._aot): named, not
# imported, so that a call the compiled exports answer imports no numba.
_k, _floats, _gather, _ks, _small, _batched = (
    kernels_of(m)
    for m in ("hull2d", "floats", "gather", "hull2d_ks", "hull2d_small", "hulls_batched")
)

_LOWMEM = f"{__package__}._hull2d_lowmem"


def _lowmem():
    """``geoent._hull2d_lowmem`` (its kernels import numba: loaded on first use)."""
    from . import _hull2d_lowmem

    return _hull2d_lowmem


def _lowmem_at(count):
    """Whether ``count`` survivors go to the bounded-memory last stage (from
    ``_hull2d_lowmem.MIN_SURVIVORS`` on). That module is not imported for fewer
    than ``MIN_POINTS`` (the JIT calls start there, and its threshold is above it:
    tests/test_cold_import.py), unless it is loaded already (tests lower the
    threshold)."""
    lm = sys.modules.get(_LOWMEM)
    if lm is None:
        if count < MIN_POINTS:
            return False
        lm = _lowmem()
    return count >= lm.MIN_SURVIVORS


_SMALL = 4096  # at most this many points: sort them all, no filter


def _rescaled(pts):
    """``pts`` scaled by a power of two into the exact window (or RangeError)."""
    scaled, _ = check_exponent_range(pts, 2)
    return np.ascontiguousarray(scaled)


def fast_points(points):
    """Points for :func:`hull2d`: a plain float64 (n, 2) array as it is, read-only
    like every ``as_points`` result (its finiteness left to the first kernel pass,
    see ``is_plain_float64``), anything else through ``as_points`` now (2 or 3
    columns)."""
    return readonly_view(points) if is_plain_float64(points, 2) else as_points(points)


def _raise_bad(points):
    as_points(points, ndim=2)  # raises, naming the first non-finite row
    raise AssertionError("non-finite values were counted but as_points accepted them")


# ---------------------------------------------------------------------------
# hints
# ---------------------------------------------------------------------------


def _decode_hint(pts, hint):
    """``(ids, dirs)`` a hint describes, decoded once per call: input-point indices of
    a filter polygon (or None) and directions (or None; validated, then unused by the
    filters, see ``geoent._hull2d_shape``).

    An object declaring ``hull_hint_kind = "directions"`` (EntropyNet) is not
    called: its directions would be ignored, and its inference (about 0.1 ms) made
    the call 3-10% slower at 1e6 points than no hint (issue 12)."""
    if getattr(hint, "hull_hint_kind", None) == "directions":
        return None, None
    if isinstance(hint, HullHint):
        hint = hint.hull_hint(readonly_view(pts))
    arr = np.asarray(hint)
    n = pts.shape[0]
    if arr.ndim == 1 and (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        ids = arr.astype(np.int64, copy=False)
        if ids.size and (ids.min() < -n or ids.max() >= n):
            raise InputError(f"hint: point index out of range for {n} points")
        return np.unique(np.where(ids < 0, ids + n, ids)), None
    if arr.ndim == 2 and arr.shape[1] == 2 and np.issubdtype(arr.dtype, np.floating):
        dirs = np.ascontiguousarray(arr, dtype=np.float64)
        if not np.isfinite(dirs).all():
            raise InputError("hint: directions must be finite")
        return None, dirs
    raise InputError(
        "hint: expected an integer array (k,) of point indices, a float array (k, 2) of "
        f"directions, or an object with hull_hint(points); got shape {arr.shape} and "
        f"dtype {arr.dtype}"
    )


# ---------------------------------------------------------------------------
# the 2D engine
# ---------------------------------------------------------------------------


#: from this many sorted points on, the chain's steps (gather, tie fixing, chain:
#: 0.25 s each at 1e7 points) are separate calls with Ctrl-C checkpoints between;
#: below, one call (its dispatch costs matter for small inputs)
_SPLIT_CHAIN = 1 << 22


#: sorts of fewer points run on the calling thread (at most a few ms: Ctrl-C waits)
_WAIT_SORT = 1 << 16


def _sorted_chain(q, idx):
    """Exact hull of the points idx (ascending) by sort + monotone chain."""
    k = idx.shape[0]
    if k == q.shape[0] // 2:
        xs = q[0::2].copy()
    else:
        xs, _ = _gather.gather_xy(q, idx, k)
    # numpy's sorts: a merge sort when x comes in few runs (points listed along a
    # curve), else the vectorised quicksort; equal-x runs are fixed in the kernel
    few = k > 4096 and _k.few_descents(xs)
    kind = "stable" if few else "quicksort"
    checkpoint()  # between kernels: Ctrl-C (geoent._interrupt)
    # numpy's argsort (0.4 s per 1e7 points) reads no flag: wait_for lets Ctrl-C
    # release the caller at once. Not for a short sort (a few ms at most): the
    # helper thread cost more than the sort (session 7: the 1,305 survivors of a
    # 1e6 strip sort in 23 us)
    order = np.argsort(xs, -1, kind) if k < _WAIT_SORT else wait_for(np.argsort, xs, -1, kind)
    checkpoint()
    ids = idx[order]
    if k < _SPLIT_CHAIN:
        return _k.sorted_hull(q, ids)
    # sorted_hull's three steps, with checkpoints between
    xs, ys = _gather.gather_xy(q, ids, k)
    checkpoint()
    _k.fix_ties(xs, ys, ids)  # ids is our own array
    checkpoint()
    return _k.chain_sorted(xs, ys, ids)


#: Kirkpatrick-Seidel subproblems of at most this many points (and those where most
#: points are bridge candidates) are left to one sort and monotone chain over all
#: the points the algorithm returns (``hull2d_ks._upper_hull``); measured, see
#: docs/issue12.md.
KS_SORT_BELOW = 1024


def _ks_subset(q, idx, levels, sort_below=KS_SORT_BELOW):
    """Instance-optimal hull of the points idx (ascending), indices mapped back."""
    if idx.shape[0] == q.shape[0] // 2:
        sub = q
    else:
        xs, ys = _gather.gather_xy(q, idx, idx.shape[0])
        sub = np.empty(2 * idx.shape[0])
        sub[0::2] = xs
        sub[1::2] = ys
        sub.flags.writeable = False  # as q is: ks_vertices compiled once
    ext, vu, vl = _ks.ks_vertices(sub, levels, sort_below)
    ll, lh, rl, rh = (int(v) for v in ext)
    x = sub[0::2]
    y = sub[1::2]
    if x[ll] == x[rl]:  # one vertical line, or a single distinct point
        h = np.array([ll] if y[ll] == y[lh] else [ll, lh], dtype=np.int64)
    elif sort_below:
        # vertices and the points of subproblems left unsolved: the sorted chain
        # over them all (every hull vertex is among them) gives the exact hull,
        # the same as the default engine's
        cand = np.concatenate((ext, vu, vl))
        if 4 * cand.shape[0] > 3 * x.shape[0]:
            # most points (a circle): all of them, a superset, skips the gather
            cand = np.arange(x.shape[0], dtype=np.int64)
        elif 16 * cand.shape[0] > x.shape[0]:
            mark = np.zeros(x.shape[0], dtype=np.bool_)
            mark[cand] = True
            cand = np.flatnonzero(mark)
        else:
            cand = np.unique(cand)
        h = _sorted_chain(sub, cand)
    else:
        # vertices of a strictly convex chain have distinct x: order by x
        lower = np.unique(np.concatenate(([ll, rl], vl)))
        lower = lower[np.argsort(x[lower], kind="stable")]
        upper = np.unique(np.concatenate(([lh, rh], vu)))
        upper = upper[np.argsort(x[upper], kind="stable")][::-1]
        if upper[0] == lower[-1]:
            upper = upper[1:]
        if upper.shape[0] and upper[-1] == lower[0]:
            upper = upper[:-1]
        h = np.concatenate((lower, upper))
    return h if sub is q else idx[h]


def _stats(levels, n, h):
    per = [int(v) for v in levels]
    while len(per) > 1 and per[-1] == 0:
        per.pop()
    return {
        "examined_per_level": per,
        "examined_total": int(sum(per)),
        "levels": len(per),
        "n": int(n),
        "h": int(h),
    }


def hull2d(pts, method="monotone", hint=None, *, filters=True, _decoded=None):
    """(vertex indices, stats or None) of an (n, 2) float64 C-contiguous array.

    ``pts`` need not have been through ``as_points``: the first pass counts
    non-finite values, and then ``as_points`` raises about them. The hint is decoded
    once (``_decoded`` carries it into the rescaled rerun). ``filters=False`` runs
    the chosen algorithm on every point (``instance_optimal_stats`` reports the
    algorithm's own work); stats are returned only then.
    """
    n = pts.shape[0]
    q = pts.reshape(-1)
    if q.flags.writeable:  # internal arrays (rescaled, sub-sets): one flag, one compile
        q = readonly_view(q)
    use_ks = method == "instance_optimal"
    if _decoded is None:
        _decoded = (None, None) if hint is None else _decode_hint(pts, hint)
    ids, _ = _decoded  # directions: validated, not used by the filters (_hull2d_shape)
    idx = None
    if filters and n <= _SMALL and not use_ks:
        # small input: range check and exact box filter in one compiled pass, then
        # the sort and the chain on the survivors only. (Not before
        # Kirkpatrick-Seidel: the gather it then needs cost more than it saved,
        # measured with benchmarks/small_calls.py.)
        idx, status = _small.small_survivors(q)
        if status == _small.RESCALE:
            return hull2d(_rescaled(pts), method, filters=filters, _decoded=_decoded)
        if status == _small.NOT_FINITE:
            _raise_bad(pts)
        return _sorted_chain(q, idx), None
    P = _shape.filter_polygon(q, n, ids) if (filters and n > _SMALL) else None
    if P is not None:
        checkpoint()  # between kernels: Ctrl-C (geoent._interrupt)
        idx, status = _shape.survivors(q, n, P)
        checkpoint()
        if status == 1:
            _raise_bad(pts)
        if status == 2:
            return hull2d(_rescaled(pts), method, filters=filters, _decoded=_decoded)
    if idx is None:
        amax, amin, bad = _floats.range_stats(q)
        if bad:
            _raise_bad(pts)
        if not in_exponent_window(amax, amin, 2):
            return hull2d(_rescaled(pts), method, filters=filters, _decoded=_decoded)
        idx = None if (_lowmem_at(n) and not use_ks) else np.arange(n, dtype=np.int64)
    checkpoint()
    if use_ks:
        levels = np.zeros(2 * 64 + 8, dtype=np.int64)
        # the stats report the pure algorithm's work per level
        h = _ks_subset(q, idx, levels, KS_SORT_BELOW if filters else 0)
        return h, (_stats(levels, idx.shape[0], h.shape[0]) if not filters else None)
    if idx is None or _lowmem_at(idx.shape[0]):
        return _lowmem().sorted_chain_lowmem(q, idx), None  # bounded memory (issue 16)
    return _sorted_chain(q, idx), None


# ---------------------------------------------------------------------------
# many small hulls
# ---------------------------------------------------------------------------


#: A batched call on fewer points than this runs on the calling thread: at about
#: 20 ns a point (16-point sets) that is under a millisecond of work, less than what
#: starting a parallel region can cost on a loaded machine (issue 13: 20-27 ms for
#: 1 to 10 sets of 10 points when a worker thread was busy elsewhere).
SERIAL_BATCH_POINTS = 50_000


def batched_runs_serially(n_sets, n_points, threads=None):
    """Whether ``convex_hulls`` on ``n_sets`` sets of ``n_points`` points in all
    skips the parallel region: with one thread, fewer sets than threads, or less
    work than :data:`SERIAL_BATCH_POINTS`.

    Examples
    --------
    >>> batched_runs_serially(1, 10), batched_runs_serially(100_000, 1_600_000, threads=2)
    (True, False)
    """
    if n_points < SERIAL_BATCH_POINTS:
        return True  # decided without numba's thread count (a lock and two calls)
    if threads is None:
        threads = get_num_threads()
    return threads < 2 or n_sets < threads


def hulls_batched(pts, offs):
    """``(indices, index_offsets)`` of the sets ``pts[offs[i]:offs[i + 1]]`` (see
    ``geoent.convex_hulls``); ``pts`` float64 C-contiguous (n, 2), its finiteness
    checked here (``is_plain_float64``), ``offs`` checked int64 offsets."""
    q = pts.reshape(-1)
    if q.flags.writeable:
        q = readonly_view(q)
    m = offs.shape[0] - 1
    if pts.shape[0] < SERIAL_BATCH_POINTS:
        # the serial path below in one compiled call (the same kernels, so the
        # same result); its rare cases (rescaling, huge sets) take the path below
        status, idx, out_off = _batched.small_batch(q, offs, cancel_flag())
        checkpoint()  # Ctrl-C (geoent._interrupt): a cancelled result is dropped
        if status == _batched.BATCH_OK:
            return idx, out_off
        if status == _batched.BATCH_NOT_FINITE:
            _raise_bad(pts)
    if q.shape[0]:
        amax, amin, bad = _floats.range_stats(q)
        if bad:
            _raise_bad(pts)
        if not in_exponent_window(amax, amin, 2):
            try:
                q = readonly_view(_rescaled(pts).reshape(-1))
            except RangeError:
                return _hulls_one_by_one(pts, offs)
    if batched_runs_serially(m, pts.shape[0]):
        # the chunk only groups sets for the big-set pass below: the largest is fine
        chunk = max(1, min(256, m))
        buf, counts, big = _batched.many_hulls_serial(q, offs, chunk, cancel_flag())
    else:
        chunk = max(1, min(256, m // (8 * get_num_threads()) or 1))
        # workqueue (the fork-safe layer) cannot run two parallel regions at once
        # (parallel: never compiled ahead of time; numba compiles it on the first
        # call that gets here, see geoent._aot)
        with _kernels.parallel_lock:
            buf, counts, big = _batched.many_hulls(q, offs, chunk, cancel_flag())
    checkpoint()  # Ctrl-C (geoent._interrupt): the kernel skipped the remaining chunks
    if big.any():
        for c in np.flatnonzero(big):  # chunks with sets of more than 64 points
            checkpoint()
            s0, s1 = c * chunk, min(m, (c + 1) * chunk)
            pos = int(offs[s0])
            for s in range(s0, s1):
                lo, hi = int(offs[s]), int(offs[s + 1])
                if counts[s] < 0:
                    sub = np.ascontiguousarray(q[2 * lo : 2 * hi].reshape(-1, 2))
                    h = hull2d(sub)[0]
                    buf[pos : pos + h.shape[0]] = h
                    counts[s] = h.shape[0]
                    pos += hi - lo
                else:
                    pos += int(counts[s])
    return _batched.compact_hulls(buf, offs, counts, chunk, big)


def _hulls_one_by_one(pts, offs):
    """Sets that need different power-of-two scales: each its own (slow, rare)."""
    hulls = []
    for s in range(offs.shape[0] - 1):
        sub = pts[offs[s] : offs[s + 1]]
        hulls.append(
            hull2d(np.ascontiguousarray(sub))[0] if sub.shape[0] else np.empty(0, np.int64)
        )
    counts = np.array([h.shape[0] for h in hulls], dtype=np.int64)
    out_off = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
    idx = np.concatenate(hulls).astype(np.int64) if hulls else np.empty(0, np.int64)
    return idx, out_off
