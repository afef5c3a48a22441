"""Spatial insertion orders for incremental constructions (numba kernels).

* :func:`hilbert_order` -- Hilbert-curve order: coordinates quantised on a square
  grid over the bounding box, curve keys computed four levels at a time from a
  lookup table and packed with the point's position into one 64-bit word, so a
  single plain integer sort does the work (several times faster than an argsort).
  Cells that stay crowded (clustered, heavy-tailed data) are re-keyed on their own
  bounding box, so the order adapts to the data instead of depending on one grid.
* :func:`multiscale` -- rounds cut from a curve order: every ``base**L``-th point
  of the curve first, then the next level, each round a subsequence of the curve.
* :func:`hilbert_keys_unit` -- Hilbert keys of points already mapped to the unit
  square (EntropyNet's learned curve);
* :func:`morton_order` -- a 3D Morton order (the 3D hull's insertion order);
* :func:`brio_order` -- Biased Randomized Insertion Order (Amenta, Choi and Rote
  2003): rounds of geometrically growing size drawn at random (seeded), each
  round Hilbert-sorted. It keeps the expected-case guarantees of randomized
  incremental construction while keeping the locality of a space-filling curve.

Orders are permutations of point indices (int64); nothing here makes a geometric
decision, so plain floating-point comparisons are all that is needed.

Ctrl-C (``geoent._interrupt``): the long kernels take ``cancel`` (uint8, length 1)
and read it every 65,536 steps; once it is set they return early with a partial
result, which the Python drivers drop at their next ``checkpoint()``. The one
numpy sort runs through ``wait_for`` (the caller is released at once on Ctrl-C).
"""

import numpy as np
from numba import njit

# The Python drivers (hilbert_order, multiscale_hilbert_order, brio_order, ...) and
# the Hilbert table live in geoent._ordering, which imports no numba (a call the
# compiled exports answer loads no kernel module): re-exported here.
from .._ordering import (  # noqa: F401
    _NO_PREFIX,
    HILBERT_TABLE,
    _aotk,
    _hilbert_table,
    brio_order,
    hilbert_order,
    hilbert_sort_indices,
    multiscale_hilbert_order,
)

#: kernels read the cancel flag once every this many steps (a power of two: a mask)
_EVERY = 65535


@njit(inline="always", cache=True)
def _hilbert_index(qx, qy, steps, state, table):
    """Position of grid cell (qx, qy) along the curve, ``steps`` table lookups of four
    levels each, from curve state ``state`` (the one walk every Hilbert key uses)."""
    d = np.int64(0)
    for s in range(steps - 1, -1, -1):
        cell = (((qx >> (4 * s)) & 15) << 4) | ((qy >> (4 * s)) & 15)
        e = np.int64(table[(state << 8) | cell])
        d = (d << 8) | (e & 255)
        state = e >> 8
    return d


@njit(cache=True, nogil=True)
def hilbert_keys(x, y, idx, table, idx_bits, prefix, prefix_bits, cancel):
    """Hilbert keys of the points ``idx`` packed with their position: ``key << idx_bits | k``.

    Coordinates are quantised on a square grid of ``2**(4 * c)`` cells per side
    over the bounding box of the points, with ``c = (64 - idx_bits - prefix_bits)
    // 8`` table steps; sorting the packed words (one plain integer sort) orders
    the points along the curve, ties by position. When ``prefix`` is not empty,
    ``prefix[k]`` goes in the top ``prefix_bits`` bits, so the sort groups points
    by prefix first (the rounds of BRIO). Also returns whether the box is a single
    point (nothing left to separate). Once ``cancel[0]`` is set the keys are
    left unfinished.
    """
    m = idx.shape[0]
    xmin = np.inf
    ymin = np.inf
    xmax = -np.inf
    ymax = -np.inf
    out = np.empty(m, np.uint64)
    for k in range(m):
        if (k & _EVERY) == 0 and cancel[0]:
            return out, False
        i = idx[k]
        xmin = min(xmin, x[i])
        xmax = max(xmax, x[i])
        ymin = min(ymin, y[i])
        ymax = max(ymax, y[i])
    steps = (64 - idx_bits - prefix_bits) // 8
    bits = 4 * steps
    side = float(2**bits)
    # half-extents: x - xmin can overflow for coordinates near +-1.8e308
    ext = max(0.5 * xmax - 0.5 * xmin, 0.5 * ymax - 0.5 * ymin)
    scale = 0.0 if ext == 0.0 else side * (1.0 - 2.0**-40) / ext
    for k in range(m):
        if (k & _EVERY) == 0 and cancel[0]:
            return out, False
        i = idx[k]
        qx = np.int64(min((0.5 * x[i] - 0.5 * xmin) * scale, side - 1.0))
        qy = np.int64(min((0.5 * y[i] - 0.5 * ymin) * scale, side - 1.0))
        d = _hilbert_index(qx, qy, steps, np.int64(0), table)
        w = (np.uint64(d) << np.uint64(idx_bits)) | np.uint64(k)
        if prefix.shape[0] > 0:
            w |= np.uint64(prefix[k]) << np.uint64(64 - prefix_bits)
        out[k] = w
    return out, ext == 0.0


@njit(cache=True, nogil=True)
def radix_sort_u64(a, cancel):
    """Sort uint64 words in place: LSD radix, 16-bit digits, skipping constant digits.

    Several times faster than numba's comparison sort on large arrays. Once
    ``cancel[0]`` is set ``a`` is left unsorted (a permutation of itself or, when
    stopped in the middle of a pass, not even that: drop it).
    """
    n = a.shape[0]
    if n < 256:
        # insertion sort: small, and far cheaper to compile than numba's sort
        for i in range(1, n):
            v = a[i]
            j = i - 1
            while j >= 0 and a[j] > v:
                a[j + 1] = a[j]
                j -= 1
            a[j + 1] = v
        return
    buf = np.empty(n, np.uint64)
    count = np.empty(65536, np.int64)
    in_buf = False  # where the current data lives
    for p in range(4):
        src = buf if in_buf else a
        dst = a if in_buf else buf
        sh = np.uint64(16 * p)
        if cancel[0]:
            return
        for d in range(65536):
            count[d] = 0
        for i in range(n):
            count[np.int64((src[i] >> sh) & np.uint64(65535))] += 1
        if count[np.int64((src[0] >> sh) & np.uint64(65535))] == n:
            continue  # this digit is the same everywhere
        total = 0
        for d in range(65536):
            c = count[d]
            count[d] = total
            total += c
        if cancel[0]:
            return
        for i in range(n):
            d = np.int64((src[i] >> sh) & np.uint64(65535))
            dst[count[d]] = src[i]
            count[d] += 1
        in_buf = not in_buf
    if in_buf:
        for i in range(n):
            a[i] = buf[i]


@njit(cache=True)
def _bits_for(m):
    b = 1
    while (1 << b) < m:
        b += 1
    return b


@njit(cache=True, nogil=True)
def refine_runs(x, y, idx, words, idx_bits, table, leaf, noprefix, cancel):
    """Apply the sorted packed ``words`` to ``idx``, then re-sort crowded cells.

    A run of points sharing one grid cell (clustered data crowd a fixed grid) is
    sorted again on its own bounding box, repeatedly, until every cell holds at
    most ``leaf`` points or only copies of one point. Once ``cancel[0]`` is set
    ``idx`` is left unfinished (drop it).
    """
    n = idx.shape[0]
    mask = (np.uint64(1) << np.uint64(idx_bits)) - np.uint64(1)
    tmp = idx.copy()
    for k in range(n):  # two plain passes (no flag read: cheaper, 0.01 s per 1e6)
        idx[k] = tmp[np.int64(words[k] & mask)]
    # Work list of crowded ranges [lo, hi) of idx: they are disjoint and each
    # holds more than ``leaf`` points, which bounds their number.
    cap = n // (leaf + 1) + 1
    wl_lo = np.empty(cap, np.int64)
    wl_hi = np.empty(cap, np.int64)
    top = 0
    sh = np.uint64(idx_bits)
    start = 0
    for k in range(1, n + 1):
        if k == n or (words[k] >> sh) != (words[start] >> sh):
            if k - start > leaf:
                wl_lo[top] = start
                wl_hi[top] = k
                top += 1
            start = k
    while top > 0:
        # a range takes at most three kernel passes over itself between reads
        if cancel[0]:
            return
        top -= 1
        lo = wl_lo[top]
        hi = wl_hi[top]
        sub = idx[lo:hi]
        b = _bits_for(hi - lo)
        w, single = hilbert_keys(x, y, sub, table, b, noprefix, idx_bits - idx_bits, cancel)
        if single:
            continue
        radix_sort_u64(w, cancel)
        if cancel[0]:
            return
        m = hi - lo
        msk = (np.uint64(1) << np.uint64(b)) - np.uint64(1)
        old = sub.copy()
        for k in range(m):
            sub[k] = old[np.int64(w[k] & msk)]
        s = 0
        for k in range(1, m + 1):
            if k == m or (w[k] >> np.uint64(b)) != (w[s] >> np.uint64(b)):
                # (a run as long as the range made no progress: leave it)
                if k - s > leaf and k - s < m:
                    wl_lo[top] = lo + s
                    wl_hi[top] = lo + k
                    top += 1
                s = k


@njit(cache=True, nogil=True)
def multiscale(h, base, cancel):
    """Rounds taken from a curve order ``h``: every ``base**L``-th point first.

    A position ``p`` of ``h`` belongs to round ``L`` = the number of times
    ``base`` divides ``p`` (capped at the top level, position 0 included there);
    rounds go from the top level down, each keeping the curve order. The first
    rounds spread a coarse sample over the whole set, so later points land inside
    an already triangulated region instead of on a growing frontier, which saves
    flips; every round is a subsequence of the curve, so locality is kept.
    Once ``cancel[0]`` is set the result is left unfinished (drop it).
    """
    n = h.shape[0]
    top = 0
    span = 1
    while span * base * base <= n:
        span *= base
        top += 1
    level = np.empty(n, np.int64)
    count = np.zeros(top + 2, np.int64)
    out = np.empty(n, np.int64)
    # blocks of 65,536 with one flag read each: a read inside the loops cost 1.5x
    # here (in-process A/B, 1e6 points)
    for b in range(0, n, _EVERY + 1):
        if cancel[0]:
            return out
        for p in range(b, min(n, b + _EVERY + 1)):
            lv = 0
            q = p
            while lv < top and q % base == 0:
                q //= base
                lv += 1
            if p == 0:
                lv = top
            level[p] = lv
            count[top - lv + 1] += 1
    for r in range(1, top + 2):
        count[r] += count[r - 1]
    for b in range(0, n, _EVERY + 1):
        if cancel[0]:
            return out
        for p in range(b, min(n, b + _EVERY + 1)):
            r = top - level[p]
            out[count[r]] = h[p]
            count[r] += 1
    return out


@njit(cache=True, nogil=True)
def _brio_rounds(n, ratio, top, seed, cancel):
    """Round of each point: level L with probability ratio**L (1 - ratio), capped
    at ``top``; returned as ``top - L`` so the sparsest round sorts first. The
    random numbers are a hash of the index (splitmix64): the same every call."""
    out = np.empty(n, np.int64)
    lr = np.log(ratio)
    for i in range(n):
        if (i & _EVERY) == 0 and cancel[0]:
            return out
        z = np.uint64(i) + np.uint64(seed)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
        u = (np.float64(z >> np.uint64(11)) + 0.5) * 2.0**-53
        lv = min(top, np.int64(np.log(u) / lr))
        out[i] = top - lv
    return out


# ---------------------------------------------------------------------------
# Hilbert keys on the unit square (EntropyNet's learned curve)
# ---------------------------------------------------------------------------


@njit(cache=True)
def hilbert_keys_unit(u, v, bits):
    """Hilbert-curve index of each (u[i], v[i]) in [0, 1]^2 on a 2^bits grid (bits <= 31).

    The curve is the one of :func:`hilbert_keys` (from (0, 0) to (1, 0)). The table
    walks four levels at a time, so a grid of ``bits`` levels is walked as one of
    ``4 * steps`` levels whose ``pad`` leading levels are zero bits: each such level
    adds digit 0 and swaps x and y, so starting from state ``pad & 1`` (swap) leaves
    the walk in the start state after the padding, with the same keys as a walk of
    exactly ``bits`` levels.
    """
    n = u.shape[0]
    side = np.int64(1) << bits
    pad = (4 - bits % 4) % 4
    steps = (bits + pad) // 4
    state0 = np.int64(pad & 1)
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        x = np.int64(min(max(u[i], 0.0), 1.0) * (side - 1))
        y = np.int64(min(max(v[i], 0.0), 1.0) * (side - 1))
        keys[i] = _hilbert_index(x, y, steps, state0, HILBERT_TABLE)
    return keys


# ---------------------------------------------------------------------------
# Morton order (a counting sort on grid cells)
# ---------------------------------------------------------------------------


@njit(cache=True)
def _spread3(v):
    """Spread the low 10 bits of v to every third bit."""
    r = 0
    for k in range(10):
        r |= ((v >> k) & 1) << (3 * k)
    return r


@njit(cache=True)
def _morton_grid(lo, hi):
    """The table spreading 10-bit cell numbers to every third bit, and the one scale
    of the Morton grid over the box ``lo``-``hi``.

    One scale for the three axes (the box's longest side): the curve's cells are
    cubes, so on a thin slab consecutive points are neighbours in space, not a
    stretched cell apart (3D Delaunay of a 1 x 1 x 0.05 slab: 15% faster than
    with a scale per axis, measured).
    """
    spread = np.empty(1024, dtype=np.int64)
    for v in range(1024):
        spread[v] = _spread3(v)
    ext = max(hi[0] - lo[0], max(hi[1] - lo[1], hi[2] - lo[2]))
    return spread, 1024.0 / ext if ext > 0.0 else 0.0


@njit(inline="always", cache=True)
def _morton_key(P, i, lo, scale, spread):
    """The 30-bit Morton key of point ``P[i]`` on :func:`_morton_grid`'s grid."""
    key = 0
    for ax in range(3):
        q = int((P[i, ax] - lo[ax]) * scale)
        if q >= 1024:
            q = 1023
        if q < 0:
            q = 0
        key |= spread[q] << ax
    return key


@njit(cache=True, nogil=True)
def morton_order(P, idx, cancel):
    """``idx`` reordered along a Morton curve over the bounding cube of P[idx] (the
    bounding box's longest side on every axis).

    Keys have 10 bits per axis (a 2**30 grid, fine enough that consecutive points
    are neighbours even for points on a surface), sorted by a three-pass radix
    sort on 10-bit digits (stable, linear time).

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read between the passes and
    every 65,536 points inside the key passes; once set it returns at once a
    permutation of ``idx`` not in Morton order (the caller's ``checkpoint()``
    drops it).
    """
    m = idx.shape[0]
    if m <= 2:
        return idx.copy()
    lo = np.empty(3)
    hi = np.empty(3)
    for ax in range(3):
        lo[ax] = P[idx[0], ax]
        hi[ax] = P[idx[0], ax]
    for t in range(m):
        if (t & 65535) == 0 and cancel[0]:
            return idx.copy()
        i = idx[t]
        for ax in range(3):
            v = P[i, ax]
            if v < lo[ax]:
                lo[ax] = v
            if v > hi[ax]:
                hi[ax] = v
    side = 1024
    spread, scale = _morton_grid(lo, hi)
    keys = np.empty(m, dtype=np.int64)
    if cancel[0]:
        return idx.copy()
    for t in range(m):
        if (t & 65535) == 0 and cancel[0]:
            return idx.copy()
        keys[t] = _morton_key(P, idx[t], lo, scale, spread)
    out = idx.copy()
    out2 = np.empty(m, dtype=idx.dtype)
    keys2 = np.empty(m, dtype=np.int64)
    count = np.empty(side + 1, dtype=np.int64)
    for shift in range(0, 30, 10):
        if cancel[0]:
            return out
        count[:] = 0
        for t in range(m):
            count[((keys[t] >> shift) & 1023) + 1] += 1
        for c in range(side):
            count[c + 1] += count[c]
        for t in range(m):
            d = (keys[t] >> shift) & 1023
            r = count[d]
            out2[r] = out[t]
            keys2[r] = keys[t]
            count[d] = r + 1
        out, out2 = out2, out
        keys, keys2 = keys2, keys
    return out


@njit(cache=True, nogil=True)
def morton_multiscale(pts, base, perm, G, box, cancel):
    """``multiscale(morton_order(pts, arange(n)), base)`` (``base`` a power of two)
    into ``perm``, and
    ``pts[perm]`` into ``G`` unless ``G`` has no rows; the smallest and largest
    coordinate on each axis into ``box`` (2, 3) (of two zeros of either sign, the
    first); returns the largest and smallest nonzero ``|coordinate|`` (0.0 and inf
    when all are zero).

    The same permutation as the two kernels, in fewer passes (3D Delaunay's
    default order, issue 14): the Morton key ``k`` of the point at position ``t``
    is packed as ``k << 34 | t``, so the words are distinct and any sort of them
    is the stable sort by key (ties by position); the three 10-bit histograms
    are counted in the key pass, one array moves in each radix pass instead of
    two, a digit the same everywhere is skipped, and the last pass writes each
    point straight to its multiscale position, gathering its coordinates there.
    The key arithmetic is ``morton_order``'s, operation for operation.

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read between the passes and
    every 65,536 points inside them; once set the call returns at once,
    unfinished (the caller's ``checkpoint()`` drops it).
    """
    n = pts.shape[0]
    gather = G.shape[0] > 0
    amax = 0.0
    amin = np.inf
    lo = np.empty(3)
    hi = np.empty(3)
    for ax in range(3):
        lo[ax] = pts[0, ax]
        hi[ax] = pts[0, ax]
    for t in range(n):
        if (t & _EVERY) == 0 and cancel[0]:
            return amax, amin
        for ax in range(3):
            v = pts[t, ax]
            if v < lo[ax]:
                lo[ax] = v
            if v > hi[ax]:
                hi[ax] = v
            av = abs(v)
            amax = max(amax, av)
            if av > 0.0:
                amin = min(amin, av)
    for ax in range(3):
        box[0, ax] = lo[ax]
        box[1, ax] = hi[ax]
    if n <= 2:  # morton_order leaves two points as they are
        for t in range(n):
            perm[t] = t
            if gather:
                for ax in range(3):
                    G[t, ax] = pts[t, ax]
        return amax, amin
    side = 1024
    spread, scale = _morton_grid(lo, hi)
    sh = np.uint64(34)  # position bits: n < 2**34
    words = np.empty(n, np.uint64)
    count = np.zeros((3, side), np.int64)
    for t in range(n):
        if (t & _EVERY) == 0 and cancel[0]:
            return amax, amin
        key = _morton_key(pts, t, lo, scale, spread)
        words[t] = (np.uint64(key) << sh) | np.uint64(t)
        for d in range(3):
            count[d, (key >> (10 * d)) & 1023] += 1
    tmp = np.empty(n, np.uint64)
    for d in range(3):
        if cancel[0]:
            return amax, amin
        dsh = np.uint64(34 + 10 * d)
        if count[d, np.int64((words[0] >> dsh) & np.uint64(1023))] == n:
            continue  # this digit is the same everywhere
        total = 0
        for c in range(side):
            k = count[d, c]
            count[d, c] = total
            total += k
        for t in range(n):
            w = words[t]
            c = np.int64((w >> dsh) & np.uint64(1023))
            tmp[count[d, c]] = w
            count[d, c] += 1
        words, tmp = tmp, words
    # multiscale: position p of the curve goes to round top - (times base divides
    # p, capped at top; p = 0 at top), rounds in order, each keeping curve order
    top = 0
    span = 1
    while span * base * base <= n:
        span *= base
        top += 1
    bshift = 0
    while (1 << bshift) < base:
        bshift += 1
    bmask = base - 1
    start = np.zeros(top + 2, np.int64)
    mult = 1
    for lv in range(top + 1):  # multiples of base**lv in [0, n): (n - 1) // base**lv + 1
        cnt = (n - 1) // mult + 1
        start[top - lv + 1] += cnt
        if lv > 0:
            start[top - lv + 2] -= cnt  # they are not at level lv - 1
        mult *= base
    for r in range(1, top + 2):
        start[r] += start[r - 1]
    mask = (np.uint64(1) << sh) - np.uint64(1)
    for p in range(n):
        if (p & _EVERY) == 0 and cancel[0]:
            return amax, amin
        lv = top
        if p > 0:
            lv = 0
            q = p
            while lv < top and (q & bmask) == 0:  # a division here cost 10% of the call
                q >>= bshift
                lv += 1
        r = top - lv
        dst = start[r]
        start[r] = dst + 1
        i = np.int64(words[p] & mask)
        perm[dst] = i
        if gather:
            for ax in range(3):
                G[dst, ax] = pts[i, ax]
    return amax, amin
