"""Many small 2D hulls at once (``geoent.convex_hulls``): one parallel task per chunk
of consecutive sets; sets of at most 64 points on the fast path of :func:`_small_hull`.

Sets of 65 to :data:`BIG_SET` points are solved in the same task by
:func:`_big_hull` (an octagon filter, a sort and a monotone chain), so a batch of
many large sets (MultiPoints of hundreds or thousands of points) never goes back to
Python set by set; larger sets are left to the caller (the 2D engine, whose filters
and sorts are made for them).

Same conventions as ``hull2d``: strictly convex vertices, counter-clockwise, from the
lexicographically smallest point; among exact duplicates the lowest index. Each set
is first solved on the signs of orient2d's floating-point filter alone; a set where
any sign is uncertain is solved again with the exact orient2d throughout.
"""

import numpy as np
from numba import njit, prange

from .floats import range_stats
from .hull2d_small import WINDOW_HI, WINDOW_LO
from .predicates import CCWERRBOUND_A, orient2d

#: Sets of more than 64 and at most this many points are solved inside the batched
#: kernels (:func:`_big_hull`); larger ones are left to the caller.
BIG_SET = 1 << 16


@njit(inline="always")
def _sort_side(xs, ys, part, cnt, kx, ky):
    """Insertion-sort the positions part[:cnt] by (x, y, position), in place, with
    the sorted coordinates in kx, ky (compares read kx, ky directly rather than
    through part: no load waits on the store just made)."""
    for a in range(cnt):
        i = part[a]
        x = xs[i]
        y = ys[i]
        b = a - 1
        while b >= 0 and (
            kx[b] > x or (kx[b] == x and (ky[b] > y or (ky[b] == y and part[b] > i)))
        ):
            kx[b + 1] = kx[b]
            ky[b + 1] = ky[b]
            part[b + 1] = part[b]
            b -= 1
        kx[b + 1] = x
        ky[b + 1] = y
        part[b + 1] = i


@njit(inline="always")
def _of(ax, ay, bx, by, cx, cy):
    """orient2d's filter alone: the rounded determinant, and whether its sign is
    certain (Shewchuk's bound A, or both products exactly zero)."""
    l = (ax - cx) * (by - cy)
    r = (ay - cy) * (bx - cx)
    det = l - r
    detsum = abs(l) + abs(r)
    return det, (abs(det) > CCWERRBOUND_A * detsum) | (detsum == 0.0)


@njit(inline="always")
def _orient(ax, ay, bx, by, cx, cy, exact):
    """(orient2d value, whether its sign is certain): exact, or the filter alone."""
    if exact:
        return orient2d(ax, ay, bx, by, cx, cy), True
    return _of(ax, ay, bx, by, cx, cy)


@njit(inline="always")
def _ear_points(idx, cnt, f, ax, ay, bx, by, xs, ys, exact):
    """Compact idx[:cnt] (the points on one side of line a-b) to ``f``, the farthest
    of them, and those not strictly inside triangle (a, f, b): the "ears" beyond
    a-f and f-b. Returns (count kept, whether every sign was certain)."""
    fx = xs[f]
    fy = ys[f]
    sure = True
    k = 0
    for a in range(cnt):
        t = idx[a]
        o1, c1 = _orient(ax, ay, fx, fy, xs[t], ys[t], exact)
        o2, c2 = _orient(fx, fy, bx, by, xs[t], ys[t], exact)
        sure &= c1 & c2
        keep = (t == f) | (o1 >= 0.0) | (o2 >= 0.0)
        idx[k] = t
        k += keep
    return k, sure


@njit(inline="always")
def _chain_push(x, y, t, k, floor, ux, uy, vx, vy, sx, sy, sp, exact):
    """One step of a monotone chain: pop the stack (sx, sy, sp; k points, never fewer
    than ``floor``) while its top two points and (x, y) do not turn strictly left,
    then push (x, y) with index t. The top two points also live in (ux, uy) under
    (vx, vy), so that the stack in memory is read only after a pop. Returns
    (k, ux, uy, vx, vy, whether every sign was certain)."""
    sure = True
    while k > floor:
        o, c = _orient(ux, uy, vx, vy, x, y, exact)
        sure &= c
        if o > 0.0:
            break
        k -= 1
        vx = ux
        vy = uy
        ux = sx[k - 2] if k >= 2 else ux
        uy = sy[k - 2] if k >= 2 else uy
    sx[k] = x
    sy[k] = y
    sp[k] = t
    return k + 1, vx, vy, x, y, sure


@njit(inline="always")
def _small_hull(q, lo, n, xs, ys, low, upp, kx, ky, sx, sy, sp, od, out, out_at, exact):
    """Hull of the points q[lo:lo + n] written at out[out_at:]; local indices.

    No full sort: the smallest and largest points (lowest index among duplicates)
    split the rest by one orient2d each (branch-free bookkeeping); each side is
    insertion-sorted on its own (two sorts of n/2 cost half of one of n) and
    chained, the chain's stack holding coordinates, not indices to look up.
    Exact duplicates are adjacent after the sort, the lowest index first; only that
    one enters the chain. Scratch arrays hold at least n + 2 entries.

    With ``exact`` false (a literal, so the unused branch compiles away) every sign
    comes from orient2d's filter alone and the function returns -1 as soon as one is
    uncertain; the caller then reruns the set with ``exact`` true. Every decision
    the filtered run takes is the exact one, so the results agree. Keeping the
    adaptive stages out of the hot loops is what makes the filtered run fast (no
    call sites: measured 10% on 100,000 x 16 points), as are the lexicographic
    extremes in three branch-free passes (min/max x, then y among those, then the
    lowest index) rather than one pass of dependent compares, and the chain's two
    top points kept in registers rather than re-read from its stack.
    """
    mnx = q[2 * lo]
    mxx = mnx
    for t in range(n):
        x = q[2 * (lo + t)]
        xs[t] = x
        ys[t] = q[2 * (lo + t) + 1]
        mnx = min(mnx, x)
        mxx = max(mxx, x)
    mny = np.inf  # the input is finite (checked before any kernel runs)
    mxy = -np.inf
    for t in range(n):
        mny = min(mny, ys[t] if xs[t] == mnx else np.inf)
        mxy = max(mxy, ys[t] if xs[t] == mxx else -np.inf)
    L = n
    R = n
    for t in range(n):
        L = min(L, t if (xs[t] == mnx) & (ys[t] == mny) else n)
        R = min(R, t if (xs[t] == mxx) & (ys[t] == mxy) else n)
    lx = mnx
    ly = mny
    rx = mxx
    ry = mxy
    if lx == rx and ly == ry:
        out[out_at] = L
        return 1
    # the filter over all points first, branch-free (vectorises)
    sure = True
    for t in range(n):
        o, c = _of(lx, ly, rx, ry, xs[t], ys[t])
        sure &= c
        od[t] = o
    if not sure:
        if not exact:
            return -1
        for t in range(n):
            od[t] = orient2d(lx, ly, rx, ry, xs[t], ys[t])
        sure = True
    nl = 0
    nu = 0
    fu = -1
    fl = -1
    omax = 0.0
    omin = 0.0
    for t in range(n):
        o = od[t]
        low[nl] = t
        nl += o < 0.0
        upp[nu] = t
        nu += o > 0.0
        bu = o > omax
        bd = o < omin
        fu = t if bu else fu
        omax = max(o, omax)
        fl = t if bd else fl
        omin = min(o, omin)
    # Quickhull's first step: the points strictly inside triangle (L, F, R), F the
    # farthest from line L-R on its side, are inside the hull; only the two "ears"
    # beyond L-F and F-R go on to the sorts and chains.
    if nu > 2:
        nu, c = _ear_points(upp, nu, fu, lx, ly, rx, ry, xs, ys, exact)
        sure &= c
    if nl > 2:
        nl, c = _ear_points(low, nl, fl, rx, ry, lx, ly, xs, ys, exact)
        sure &= c
    # lower chain L -> R
    _sort_side(xs, ys, low, nl, kx, ky)
    sx[0] = lx
    sy[0] = ly
    sp[0] = L
    k = 1
    ux = lx
    uy = ly
    vx = lx
    vy = ly
    for a in range(nl + 1):
        if a < nl:
            if a > 0 and kx[a] == kx[a - 1] and ky[a] == ky[a - 1]:
                continue
            x = kx[a]
            y = ky[a]
            t = low[a]
        else:
            x = rx
            y = ry
            t = R
        k, ux, uy, vx, vy, c = _chain_push(x, y, t, k, 1, ux, uy, vx, vy, sx, sy, sp, exact)
        sure &= c
    lower = k
    # upper chain R -> L over the upper points, right to left
    _sort_side(xs, ys, upp, nu, kx, ky)
    for a in range(nu, -1, -1):
        if a > 0:
            if a > 1 and kx[a - 1] == kx[a - 2] and ky[a - 1] == ky[a - 2]:
                continue  # the first copy (lowest index) comes next in this sweep
            x = kx[a - 1]
            y = ky[a - 1]
            t = upp[a - 1]
        else:
            x = lx
            y = ly
            t = L
        k, ux, uy, vx, vy, c = _chain_push(x, y, t, k, lower, ux, uy, vx, vy, sx, sy, sp, exact)
        sure &= c
    if not sure:
        return -1
    k -= 1  # L closes the chain: drop the repeat
    for t in range(k):
        out[out_at + t] = sp[t]
    return k


@njit(cache=True)
def _small_hull_exact(q, lo, n, xs, ys, low, upp, kx, ky, sx, sy, sp, od, out, out_at):
    """:func:`_small_hull` with exact orient2d throughout: the rerun for sets where
    the filter alone cannot decide (compiled apart, so the hot loop has no call)."""
    return _small_hull(q, lo, n, xs, ys, low, upp, kx, ky, sx, sy, sp, od, out, out_at, True)


@njit(inline="always")
def _inside_octagon(ox, oy, ne, x, y):
    """Whether (x, y) is certainly strictly left of each of the ne edges
    (ox[e], oy[e]) -> (ox[e + 1], oy[e + 1]): the filter's sign alone, so an
    uncertain sign counts as not inside (the point is kept)."""
    inside = True
    for e in range(ne):
        o, c = _of(ox[e], oy[e], ox[e + 1], oy[e + 1], x, y)
        inside &= (o > 0.0) & c
    return inside


@njit(cache=True)
def _big_hull(q, lo, n, out, out_at):
    """Hull of the points q[lo:lo + n] (any n >= 1) written at out[out_at:]; local
    indices, the conventions of :func:`_small_hull`. Returns the vertex count.

    1. Akl-Toussaint: the input points extreme in the eight directions of the
       compass (ties to the first) form a closed polygon V. A point strictly left
       of every edge of V has positive winding number about V, so it lies in the
       hull of V's vertices and is none of them (it is on no edge): it is not a
       hull vertex and is dropped. This holds whichever points the rounded sums
       x + y, x - y pick, convex or not; a sign the filter cannot certify keeps the
       point. Exact duplicates of a dropped point are dropped with it.
    2. The survivors, in ascending index order, are sorted by (x, y) with two
       stable sorts (y, then x), so the lowest index leads each run of duplicates.
    3. Andrew's monotone chain over the distinct survivors with the exact orient2d.
    """
    xs = np.empty(n)
    ys = np.empty(n)
    for t in range(n):
        xs[t] = q[2 * (lo + t)]
        ys[t] = q[2 * (lo + t) + 1]
    # extremes for the directions (0,-1), (1,-1), (1,0), (1,1), (0,1), (-1,1),
    # (-1,0), (-1,-1): counter-clockwise
    e0 = e1 = e2 = e3 = e4 = e5 = e6 = e7 = 0
    b0 = -ys[0]
    b1 = xs[0] - ys[0]
    b2 = xs[0]
    b3 = xs[0] + ys[0]
    b4 = ys[0]
    b5 = ys[0] - xs[0]
    b6 = -xs[0]
    b7 = -xs[0] - ys[0]
    for t in range(1, n):
        x = xs[t]
        y = ys[t]
        if -y > b0:
            b0 = -y
            e0 = t
        if x - y > b1:
            b1 = x - y
            e1 = t
        if x > b2:
            b2 = x
            e2 = t
        if x + y > b3:
            b3 = x + y
            e3 = t
        if y > b4:
            b4 = y
            e4 = t
        if y - x > b5:
            b5 = y - x
            e5 = t
        if -x > b6:
            b6 = -x
            e6 = t
        if -x - y > b7:
            b7 = -x - y
            e7 = t
    ext = np.array([e0, e1, e2, e3, e4, e5, e6, e7, e0])
    ox = np.empty(9)
    oy = np.empty(9)
    ne = 0  # V's vertices with repeats (same coordinates) merged
    for k in range(9):
        x = xs[ext[k]]
        y = ys[ext[k]]
        if ne == 0 or x != ox[ne - 1] or y != oy[ne - 1]:
            ox[ne] = x
            oy[ne] = y
            ne += 1
    ne -= 1  # edges: the last vertex repeats the first
    keep = np.empty(n, dtype=np.int64)
    m = 0
    if ne >= 3:
        for t in range(n):
            keep[m] = t
            m += not _inside_octagon(ox, oy, ne, xs[t], ys[t])
    else:
        for t in range(n):
            keep[t] = t
        m = n
    keep = keep[:m]
    kept = keep[np.argsort(ys[keep], kind="mergesort")]
    order = kept[np.argsort(xs[kept], kind="mergesort")]
    # distinct points (the first of each run of duplicates: the lowest index)
    u = np.empty(m, dtype=np.int64)
    r = 0
    for a in range(m):
        t = order[a]
        if r > 0 and xs[t] == xs[u[r - 1]] and ys[t] == ys[u[r - 1]]:
            continue
        u[r] = t
        r += 1
    if r == 1:
        out[out_at] = u[0]
        return 1
    h = np.empty(2 * r, dtype=np.int64)
    k = 0
    for a in range(r):
        t = u[a]
        while k >= 2 and (
            orient2d(xs[h[k - 2]], ys[h[k - 2]], xs[h[k - 1]], ys[h[k - 1]], xs[t], ys[t]) <= 0.0
        ):
            k -= 1
        h[k] = t
        k += 1
    lower = k + 1
    for a in range(r - 2, -1, -1):
        t = u[a]
        while k >= lower and (
            orient2d(xs[h[k - 2]], ys[h[k - 2]], xs[h[k - 1]], ys[h[k - 1]], xs[t], ys[t]) <= 0.0
        ):
            k -= 1
        h[k] = t
        k += 1
    k -= 1  # the first point closes the chain: drop the repeat
    for a in range(k):
        out[out_at + a] = h[a]
    return k


@njit(cache=True)
def _hull_range(q, offsets, s0, s1, buf, counts, cancel):
    """Hulls of the sets s0..s1-1, written back to back from buf[offsets[s0]] (a
    set's hull is never longer than the set, so the chunk stays in its own range).
    Sets of 65 to BIG_SET points go to :func:`_big_hull` (insertion sorts are
    quadratic); a larger set keeps count -1 and its n slots for the caller.
    Returns whether the chunk holds such a set. ``cancel`` is read before each
    set of more than 64 points (a chunk of them can hold 16M points): once set,
    the chunk is left unfinished (Ctrl-C; the caller drops the result)."""
    kmax = 1
    for s in range(s0, s1):
        kmax = max(kmax, min(64, offsets[s + 1] - offsets[s]))
    w = kmax + 2
    xs = np.empty(w)
    ys = np.empty(w)
    kx = np.empty(w)
    ky = np.empty(w)
    sx = np.empty(w)
    sy = np.empty(w)
    low = np.empty(w, dtype=np.int64)
    upp = np.empty(w, dtype=np.int64)
    sp = np.empty(w, dtype=np.int64)
    od = np.empty(w)
    pos = offsets[s0]
    big = False
    for s in range(s0, s1):
        lo = offsets[s]
        n = offsets[s + 1] - lo
        if n > BIG_SET:
            counts[s] = -1
            pos += n
            big = True
        elif n > 64:
            # an index that varies with s: a fixed cancel[0] can be loaded once
            # for the whole loop (see many_hulls)
            if cancel[s % cancel.shape[0]]:
                return big
            c = _big_hull(q, lo, n, buf, pos)
            counts[s] = c
            pos += c
        elif n > 0:
            c = _small_hull(q, lo, n, xs, ys, low, upp, kx, ky, sx, sy, sp, od, buf, pos, False)
            if c < 0:
                c = _small_hull_exact(q, lo, n, xs, ys, low, upp, kx, ky, sx, sy, sp, od, buf, pos)
            counts[s] = c
            pos += c
    return big


@njit(cache=True, parallel=True, nogil=True)
def many_hulls(q, offsets, chunk, cancel):
    """Hulls of the sets q-points [offsets[i], offsets[i+1]) of at most
    :data:`BIG_SET` points.

    Returns ``(buf, counts, big)``: the sets go in chunks of ``chunk`` consecutive
    sets, one chunk per parallel task (scratch buffers allocated once per chunk;
    the parallel loop only dispatches, as numba compiles a parallel loop body far
    more slowly than a plain function). Each chunk writes its hulls (local indices)
    back to back from ``buf[offsets[first set]]``; ``counts[i] == -1`` marks a set
    too big for this kernel, whose n slots are left for the caller, and ``big[c]``
    whether chunk c holds one. :func:`compact_hulls` gathers the result.
    ``cancel`` (uint8, length 1) is read once per chunk: once set, the remaining
    chunks are skipped, and it is read again before each set of more than 64
    points (``geoent._interrupt``: Ctrl-C; the caller drops the result).
    """
    m = offsets.shape[0] - 1
    buf = np.empty(offsets[m], dtype=np.int64)
    counts = np.zeros(m, dtype=np.int64)
    nchunks = (m + chunk - 1) // chunk
    big = np.zeros(nchunks, dtype=np.bool_)
    for c in prange(nchunks):
        # cancel[c % 1], not cancel[0]: a fixed address is loaded once per thread's
        # block of chunks (the loop's arrays are noalias), so a flag set meanwhile
        # was never seen (measured); an index that varies with c is loaded each time
        if not cancel[c % cancel.shape[0]]:
            big[c] = _hull_range(
                q, offsets, c * chunk, min(m, (c + 1) * chunk), buf, counts, cancel
            )
    return buf, counts, big


@njit(cache=True, nogil=True)
def many_hulls_serial(q, offsets, chunk, cancel):
    """:func:`many_hulls` on the calling thread, for small calls: a parallel region
    costs tens of microseconds to start and, on a loaded machine, milliseconds of
    waiting for a busy worker thread, more than a few hundred small hulls take."""
    m = offsets.shape[0] - 1
    buf = np.empty(offsets[m], dtype=np.int64)
    counts = np.zeros(m, dtype=np.int64)
    nchunks = (m + chunk - 1) // chunk
    big = np.zeros(nchunks, dtype=np.bool_)
    for c in range(nchunks):
        if cancel[0]:
            break
        big[c] = _hull_range(q, offsets, c * chunk, min(m, (c + 1) * chunk), buf, counts, cancel)
    return buf, counts, big


@njit(cache=True)
def compact_hulls(buf, offsets, counts, chunk, big):
    """Ragged (indices, index_offsets) from :func:`many_hulls`' chunks, once the
    caller has written each big set's hull at the start of its slots and its
    count in ``counts``. A chunk without big sets is one block copy."""
    m = counts.shape[0]
    out_off = np.empty(m + 1, dtype=np.int64)
    out_off[0] = 0
    for s in range(m):
        out_off[s + 1] = out_off[s] + counts[s]
    out = np.empty(out_off[m], dtype=np.int64)
    for c in range(big.shape[0]):
        s0 = c * chunk
        s1 = min(m, s0 + chunk)
        pos = offsets[s0]
        if not big[c]:
            o = out_off[s0]
            for t in range(out_off[s1] - o):
                out[o + t] = buf[pos + t]
            continue
        for s in range(s0, s1):
            n = offsets[s + 1] - offsets[s]
            o = out_off[s]
            for t in range(counts[s]):
                out[o + t] = buf[pos + t]
            pos += n if n > BIG_SET else counts[s]
    return out, out_off


#: ``status`` of :func:`small_batch`
BATCH_OK = 0
BATCH_NOT_FINITE = 1  # some coordinate is NaN or infinite
BATCH_OTHER = 2  # rescaling or a set of more than BIG_SET points: the general path


@njit(cache=True)
def small_batch(q, offsets, cancel):
    """``convex_hulls`` of a small batch in one call: ``(status, indices,
    index_offsets)``.

    The general path (``geoent._hull2d.hulls_batched``) makes four calls on the
    serial path (``range_stats``, :func:`many_hulls_serial`, a test of the big-set
    flags, :func:`compact_hulls`); this is the same kernels in the same order, so
    the same result, without the three calls' overhead (issue 13: small calls).
    ``status`` is :data:`BATCH_OK`, or :data:`BATCH_NOT_FINITE`, or
    :data:`BATCH_OTHER` (coordinates outside orient2d's exponent window, which the
    general path rescales, or a set of more than :data:`BIG_SET` points, which it
    solves in Python); the arrays are then empty. ``cancel`` as for
    :func:`many_hulls_serial` (the caller drops a cancelled result).
    """
    empty = np.empty(0, dtype=np.int64)
    m = offsets.shape[0] - 1
    if q.shape[0]:
        amax, amin, bad = range_stats(q)
        if bad:
            return BATCH_NOT_FINITE, empty, empty
        if amax != 0.0 and not (amin >= WINDOW_LO and amax < WINDOW_HI):
            return BATCH_OTHER, empty, empty
    for s in range(m):
        if offsets[s + 1] - offsets[s] > BIG_SET:
            return BATCH_OTHER, empty, empty
    chunk = max(1, min(256, m))
    buf, counts, big = many_hulls_serial(q, offsets, chunk, cancel)
    out, out_off = compact_hulls(buf, offsets, counts, chunk, big)
    return BATCH_OK, out, out_off
