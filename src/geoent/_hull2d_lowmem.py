"""The 2D hull's last stage (sort + monotone chain) in bounded memory, for huge
inputs where most points survive the filters (points on a circle, a thin annulus).

The engine's own last stage (``geoent._hull2d._sorted_chain``) holds four arrays
as long as the survivors (their indices, their x, the argsort, the sorted indices)
plus the chain's: on 1e8 points on a circle that is about 4x the input's memory
beyond the input (issue 16). Here the survivors are instead

1. counted into buckets by x (bucket bounds: x-quantiles of a strided sample; a
   bucket is a half-open x interval, so equal x never straddles two buckets), then
   placed bucket by bucket into one index array (int32 when n < 2**31), in
   ascending index order within each bucket;
2. sorted one bucket at a time by (x, y, index) (numpy's argsort on x, a merge
   sort when x comes in few runs, then ``fix_ties`` on runs of equal x, as the
   engine sorts);
3. fed in that order to Andrew's monotone chain, streamed across buckets: the lower
   and upper chains are stacks of indices (int32 when n < 2**31) that live from the
   first bucket to the last. As in ``chain_sorted``, each point enters one chain by
   its side of the line from the lexicographically smallest point L to the largest
   R (found in the counting pass); points on that line are vertices of neither.

The decisions are those of the engine's chain (same order, same exact orient2d,
the lowest index standing for exact duplicates), so the output is identical.
Peak memory beyond the input: the index array (4 bytes a survivor), one bucket's
work arrays (about 56 bytes a point of the bucket, :data:`BUCKET_POINTS` points),
the two stacks (4 bytes a hull vertex) and the output (8 bytes a hull vertex); the
index array is released before the output is built.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ._interrupt import cancel_flag, checkpoint, wait_for
from ._kernels.hull2d import few_descents, fix_ties
from ._kernels.predicates import orient2d

__all__ = ["MIN_SURVIVORS", "BUCKET_POINTS", "sorted_chain_lowmem"]

#: The engine hands its last stage here from this many survivors on (below it the
#: engine's arrays are at most a few hundred MB).
MIN_SURVIVORS = 1 << 23
#: Points per bucket (the work arrays of one bucket: about 56 bytes a point).
BUCKET_POINTS = 1 << 21


@njit(cache=True)
def _bucket_of(bounds, x):
    """Index of the half-open interval of ``bounds`` holding x (binary search)."""
    lo = 0
    hi = bounds.shape[0]
    while lo < hi:
        mid = (lo + hi) >> 1
        if bounds[mid] <= x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _count(q, idx, k, bounds, counts, cancel):
    """Bucket sizes of the points idx[:k] (all points when idx is empty and k = n),
    and the positions (into idx, or point indices) of the lexicographically
    smallest and largest points, the lowest index among duplicates.

    This kernel, :func:`_place` and :func:`_chain_bucket` read ``cancel[0]``
    (Ctrl-C, ``geoent._interrupt``) every 65,536 points and stop once it is set:
    their output is then unfinished and the caller's ``checkpoint()`` drops it."""
    use = idx.shape[0] > 0
    lo = 0
    hi = 0
    for t in range(k):
        if (t & 65535) == 0 and cancel[0]:
            break
        i = idx[t] if use else t
        x = q[2 * i]
        y = q[2 * i + 1]
        counts[_bucket_of(bounds, x)] += 1
        il = idx[lo] if use else lo
        ih = idx[hi] if use else hi
        xl = q[2 * il]
        yl = q[2 * il + 1]
        xh = q[2 * ih]
        yh = q[2 * ih + 1]
        if x < xl or (x == xl and y < yl):
            lo = t
        if x > xh or (x == xh and y > yh):
            hi = t
    return lo, hi


@njit(cache=True, nogil=True)
def _place(q, idx, k, bounds, starts, perm, cancel):
    """perm[starts[b]:...] = the point indices of bucket b, ascending."""
    use = idx.shape[0] > 0
    for t in range(k):
        if (t & 65535) == 0 and cancel[0]:
            return
        i = idx[t] if use else t
        b = _bucket_of(bounds, q[2 * i])
        perm[starts[b]] = i
        starts[b] += 1


@njit(cache=True)
def _gather_x(q, ids):
    xs = np.empty(ids.shape[0])
    for t in range(ids.shape[0]):
        xs[t] = q[2 * ids[t]]
    return xs


@njit(cache=True, nogil=True)
def _chain_bucket(q, ids, order, lx, ly, rx, ry, last, lower, nl, upper, nu, cancel):
    """Feed one bucket (ids sorted by ``order`` on x) to the two chains.

    ``last`` holds the previous distinct point (x, y) across buckets (for the
    duplicate test; NaN before the first). Returns the new chain lengths."""
    m = ids.shape[0]
    xs = np.empty(m)
    ys = np.empty(m)
    si = np.empty(m, dtype=np.int64)
    for t in range(m):
        if (t & 65535) == 0 and cancel[0]:
            return nl, nu
        i = ids[order[t]]
        si[t] = i
        xs[t] = q[2 * i]
        ys[t] = q[2 * i + 1]
    fix_ties(xs, ys, si)
    px = last[0]
    py = last[1]
    for t in range(m):
        if (t & 65535) == 0 and cancel[0]:
            return nl, nu
        x = xs[t]
        y = ys[t]
        if x == px and y == py:
            continue  # duplicates: only the first (lowest index) takes part
        px = x
        py = y
        i = si[t]
        end = (x == lx and y == ly) or (x == rx and y == ry)
        o = 0.0 if end else orient2d(lx, ly, rx, ry, x, y)
        if end or o < 0.0:
            while nl >= 2:
                a = lower[nl - 2]
                b = lower[nl - 1]
                if orient2d(q[2 * a], q[2 * a + 1], q[2 * b], q[2 * b + 1], x, y) > 0.0:
                    break
                nl -= 1
            lower[nl] = i
            nl += 1
        if end or o > 0.0:
            # the upper chain, built left to right: keep clockwise turns only
            while nu >= 2:
                a = upper[nu - 2]
                b = upper[nu - 1]
                if orient2d(q[2 * a], q[2 * a + 1], q[2 * b], q[2 * b + 1], x, y) < 0.0:
                    break
                nu -= 1
            upper[nu] = i
            nu += 1
    last[0] = px
    last[1] = py
    return nl, nu


@njit(cache=True)
def _join(lower, nl, upper, nu):
    """Counter-clockwise hull from L: the lower chain, then the upper one backwards
    without its two ends (L and R, already in the lower chain)."""
    if nl == 1:  # one distinct point
        out = np.empty(1, dtype=np.int64)
        out[0] = lower[0]
        return out
    h = nl + max(nu - 2, 0)
    out = np.empty(h, dtype=np.int64)
    for t in range(nl):
        out[t] = lower[t]
    for t in range(nu - 2):
        out[nl + t] = upper[nu - 2 - t]
    return out


def sorted_chain_lowmem(q, idx=None, bucket_points=None):
    """Exact hull (int64 indices, the engine's order) of the points ``idx``
    (ascending int64, or None for all points) of the flat coordinates ``q``,
    already checked finite and inside the exponent window.

    Examples
    --------
    >>> import numpy as np
    >>> a = np.linspace(0, 2 * np.pi, 50, endpoint=False)
    >>> q = np.column_stack((np.cos(a), np.sin(a))).reshape(-1)
    >>> h = sorted_chain_lowmem(q, bucket_points=7)  # 8 buckets of x
    >>> from geoent._hull2d import _sorted_chain
    >>> np.array_equal(h, _sorted_chain(q, np.arange(50)))
    True
    """
    n = q.shape[0] // 2
    k = n if idx is None else int(idx.shape[0])
    use = np.empty(0, dtype=np.int64) if idx is None else idx
    if bucket_points is None:
        bucket_points = BUCKET_POINTS
    nb = max(1, -(-k // bucket_points))
    # bucket bounds: x-quantiles of a strided sample of the points
    step = max(1, k // (64 * nb))
    sample = np.arange(0, k, step, dtype=np.int64)
    sx = np.sort(q[2 * (sample if idx is None else use[sample])])
    bounds = np.unique(sx[(np.arange(1, nb) * sx.shape[0]) // nb]) if nb > 1 else sx[:0]
    counts = np.zeros(bounds.shape[0] + 1, dtype=np.int64)
    cancel = cancel_flag()
    checkpoint()  # between passes and buckets: Ctrl-C (geoent._interrupt)
    lo, hi = _count(q, use, k, bounds, counts, cancel)
    checkpoint()
    il = lo if idx is None else int(use[lo])
    ih = hi if idx is None else int(use[hi])
    lx, ly, rx, ry = q[2 * il], q[2 * il + 1], q[2 * ih], q[2 * ih + 1]
    ityp = np.int32 if n < 2**31 else np.int64
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    perm = np.empty(k, dtype=ityp)
    _place(q, use, k, bounds, starts.copy(), perm, cancel)
    checkpoint()
    # stacks: only the pages the chains reach are ever touched
    lower = np.empty(k + 1, dtype=ityp)
    upper = np.empty(k + 1, dtype=ityp)
    nl = nu = 0
    last = np.array([np.nan, np.nan])
    for b in range(counts.shape[0]):
        if counts[b] == 0:
            continue
        checkpoint()
        ids = perm[starts[b] : starts[b] + counts[b]]
        xs = _gather_x(q, ids)
        # the engine's choice of sort: a merge sort when x comes in few runs
        # numpy's argsort reads no flag: wait_for lets Ctrl-C release us at once
        order = wait_for(np.argsort, xs, -1, "stable" if few_descents(xs) else "quicksort")
        del xs
        nl, nu = _chain_bucket(q, ids, order, lx, ly, rx, ry, last, lower, nl, upper, nu, cancel)
        checkpoint()
        del order
    ids = perm = None  # release the index array (ids is a view of it) before the output
    return _join(lower, nl, upper, nu)
