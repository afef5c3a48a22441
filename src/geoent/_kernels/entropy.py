"""Kernels for the certified range-partition entropy (exact, on the exact orient2d).

The partition is a triangulation of the hull polygon built like quickhull's recursion
(each *pocket*, the hull chain beyond a chord, is split at a far vertex), and every
point is located by descending that hierarchy with exact orientation tests. The
containment tests (closed triangles, possibly degenerate, and convex polygons from
``geometry``; the region under an upper hull, here) serve both the construction and
``is_respectful``.

Arrays in, arrays out; nothing here validates its input (``geoent.entropy`` does).
"""

import numpy as np
from numba import njit, prange

from .geometry import in_closed_triangle, in_convex_polygon
from .hull_measures import pairwise_sum
from .predicates import orient2d

# ---------------------------------------------------------------------------
# containment predicates (closed sets, exact); the general ones live in geometry
# ---------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def below_upper_chain(ux, uy, px, py):
    """Whether p lies in U = {x in [x_0, x_k], y <= upper hull(x)}.

    (ux, uy) is the upper hull from its leftmost to its rightmost vertex, x strictly
    increasing (a single vertex when the set has no horizontal extent).
    """
    k = ux.shape[0]
    if px < ux[0] or px > ux[k - 1]:
        return False
    if k == 1:
        return py <= uy[0]
    lo = 0
    hi = k - 1
    # edge i with ux[i] <= px <= ux[i + 1]
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ux[mid] <= px:
            lo = mid
        else:
            hi = mid
    return orient2d(ux[lo], uy[lo], ux[lo + 1], uy[lo + 1], px, py) <= 0.0


@njit(cache=True, nogil=True)
def parts_in_triangles(x, y, labels, tx, ty):
    """Per point: 1 when it lies in the closed triangle of its part (or is a singleton).

    ``tx``, ``ty`` (t, 3) are the corners of the part triangles.
    """
    n = x.shape[0]
    ok = np.ones(n, dtype=np.uint8)
    for i in range(n):
        t = labels[i]
        if t >= 0 and not in_closed_triangle(
            tx[t, 0], ty[t, 0], tx[t, 1], ty[t, 1], tx[t, 2], ty[t, 2], x[i], y[i]
        ):
            ok[i] = 0
    return ok


@njit(cache=True, nogil=True)
def corners_in_hull(cx, cy, hx, hy):
    """Per corner: 1 when it lies in the closed convex polygon (hx, hy)."""
    k = cx.shape[0]
    ok = np.ones(k, dtype=np.uint8)
    for i in range(k):
        if not in_convex_polygon(hx, hy, cx[i], cy[i]):
            ok[i] = 0
    return ok


@njit(cache=True, nogil=True)
def corners_below_upper(cx, cy, ux, uy):
    """Per corner: 1 when it lies under the upper hull (see ``below_upper_chain``)."""
    k = cx.shape[0]
    ok = np.ones(k, dtype=np.uint8)
    for i in range(k):
        if not below_upper_chain(ux, uy, cx[i], cy[i]):
            ok[i] = 0
    return ok


@njit(cache=True, nogil=True)
def line_side(x, y, ax, ay, bx, by):
    """Sign (-1, 0, 1) of orient2d(a, b, p) for every point p."""
    n = x.shape[0]
    out = np.empty(n, dtype=np.int8)
    for i in range(n):
        o = orient2d(ax, ay, bx, by, x[i], y[i])
        out[i] = 1 if o > 0.0 else (-1 if o < 0.0 else 0)
    return out


@njit(cache=True, nogil=True)
def count_in_triangles(x, y, sample, tri):
    """For each candidate triangle (row of ``tri``: ax, ay, bx, by, cx, cy), how many
    points of ``sample`` lie in it (closed)."""
    k = tri.shape[0]
    out = np.zeros(k, dtype=np.int64)
    for j in range(k):
        c = 0
        for s in range(sample.shape[0]):
            i = sample[s]
            if in_closed_triangle(
                tri[j, 0], tri[j, 1], tri[j, 2], tri[j, 3], tri[j, 4], tri[j, 5], x[i], y[i]
            ):
                c += 1
        out[j] = c
    return out


# ---------------------------------------------------------------------------
# the pocket hierarchy
# ---------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def build_pockets(hx, hy, chord_a, chord_b, free_depth):
    """Split every pocket recursively into triangles of hull vertices.

    ``chord_a[k] < chord_b[k]`` are unrolled positions on the counter-clockwise hull
    (hx, hy) (position p is vertex p mod m); the pocket is the chain strictly between
    them. A pocket of chain length L >= 2 gets the apex c farthest from its chord (the
    largest triangle on that chord), the node triangle (a, c, b), and two sub-pockets
    (a, c) and (c, b). Below depth ``free_depth`` the apex is sought only among the
    middle half of the chain, so the depth stays below free_depth + log_{4/3} m and
    point location costs O(log m) per point in the worst case.

    Returns ``(na, nc, nb, nl, nr, roots)``: per node its three corners (positions mod
    m), its left and right child node (-1 for none), and per pocket its top node (-1
    when the chord is a hull edge). Parents come before their children.
    """
    m = hx.shape[0]
    cap = max(m, 1)
    na = np.empty(cap, dtype=np.int64)
    nc = np.empty(cap, dtype=np.int64)
    nb = np.empty(cap, dtype=np.int64)
    nl = np.empty(cap, dtype=np.int64)
    nr = np.empty(cap, dtype=np.int64)
    roots = np.empty(chord_a.shape[0], dtype=np.int64)
    stack = np.empty((5, cap + 8), dtype=np.int64)
    count = _pockets_into(hx, hy, chord_a, chord_b, free_depth, na, nc, nb, nl, nr, roots, stack)
    return na[:count], nc[:count], nb[:count], nl[:count], nr[:count], roots


@njit(cache=True, nogil=True)
def _pockets_into(hx, hy, chord_a, chord_b, free_depth, na, nc, nb, nl, nr, roots, stack):
    """``build_pockets`` into the caller's arrays (at least m entries each, ``stack``
    (5, m + 8)); returns the number of nodes."""
    m = hx.shape[0]
    for k in range(chord_a.shape[0]):
        roots[k] = -1
    # stack entries: (a, b, parent node, side: 0 root of pocket k / 1 left / 2 right)
    sa = stack[0]
    sb = stack[1]
    sp = stack[2]
    ss = stack[3]
    sd = stack[4]
    top = 0
    for k in range(chord_a.shape[0]):
        sa[top] = chord_a[k]
        sb[top] = chord_b[k]
        sp[top] = k
        ss[top] = 0
        sd[top] = 0
        top += 1
    count = 0
    while top > 0:
        top -= 1
        a = sa[top]
        b = sb[top]
        parent = sp[top]
        side = ss[top]
        depth = sd[top]
        length = b - a
        if length < 2:
            continue
        q = 1
        if depth >= free_depth:
            q = max(1, length // 4)
        lo = a + q
        hi = b - q
        ia = a % m
        ib = b % m
        ax = hx[ia]
        ay = hy[ia]
        dx = hx[ib] - ax
        dy = hy[ib] - ay
        best = lo
        bestv = np.inf
        for p in range(lo, hi + 1):
            ip = p % m
            # chain vertices lie right of a -> b: the most negative cross is farthest
            v = dx * (hy[ip] - ay) - dy * (hx[ip] - ax)
            if v < bestv:
                bestv = v
                best = p
        node = count
        count += 1
        na[node] = ia
        nc[node] = best % m
        nb[node] = ib
        nl[node] = -1  # its children, if any, come later (parents first)
        nr[node] = -1
        if side == 0:
            roots[parent] = node
        elif side == 1:
            nl[parent] = node
        else:
            nr[parent] = node
        sa[top] = a
        sb[top] = best
        sp[top] = node
        ss[top] = 1
        sd[top] = depth + 1
        top += 1
        sa[top] = best
        sb[top] = b
        sp[top] = node
        ss[top] = 2
        sd[top] = depth + 1
        top += 1
    return count


# The descent is written out in the loop of `locate` instead of in a helper taking the
# arrays: numba increments and decrements (atomically) the reference count of every
# array passed to a function, inlined or not, on every call; with 13 arrays per point
# that was three quarters of the time of a small call (perf on the compiled module;
# issue 13). The parallel variant calls ``locate`` once per block of points.
_LOCATE_BLOCK = 4096


@njit(cache=True, nogil=True)
def locate(x, y, hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr, labels):
    """Label every point with the first region of the hierarchy whose closed triangle
    holds it: a root triangle (labels 0..R-1, tried in order) or a node (R + node).

    A point strictly beyond pocket chord k (orient2d(a_k, b_k, p) < 0) descends into
    that pocket; at node (a, c, b) it stays when it is on the inner side of (or on)
    both a -> c and c -> b, else it goes to the sub-pocket whose chord it is strictly
    beyond. Points that end nowhere get -1 (cannot happen for points inside the hull).
    """
    nroot = rtri.shape[0]
    nchord = chord_a.shape[0]
    for i in range(x.shape[0]):
        px = x[i]
        py = y[i]
        lab = -1
        pocket = -1
        for k in range(nchord):
            a = chord_a[k]
            b = chord_b[k]
            if orient2d(hx[a], hy[a], hx[b], hy[b], px, py) < 0.0:
                pocket = k
                break
        if pocket < 0:
            if nchord == 3:
                # full hull: the chords are the root triangle's edges and p is on the
                # inner side of (or on) all three, so it is in the closed root triangle
                lab = 0
            else:
                for r in range(nroot):
                    if in_closed_triangle(rtri[r, 0], rtri[r, 1], rtri[r, 2], rtri[r, 3],
                                          rtri[r, 4], rtri[r, 5], px, py):  # fmt: skip
                        lab = r
                        break
        else:
            node = roots[pocket]
            while node >= 0:
                a = na[node]
                c = nc[node]
                b = nb[node]
                if orient2d(hx[a], hy[a], hx[c], hy[c], px, py) < 0.0:
                    node = nl[node]
                elif orient2d(hx[c], hy[c], hx[b], hy[b], px, py) < 0.0:
                    node = nr[node]
                else:
                    lab = nroot + node
                    break
        labels[i] = lab


@njit(cache=True, parallel=True, nogil=True)
def locate_parallel(x, y, hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr, labels):
    """``locate`` over numba threads (worth it for millions of points): the points
    in blocks of ``_LOCATE_BLOCK``, each block a call of :func:`locate` (one
    reference-count update per array a block, not a point: see above)."""
    n = x.shape[0]
    nblock = (n + _LOCATE_BLOCK - 1) // _LOCATE_BLOCK
    for blk in prange(nblock):
        lo = blk * _LOCATE_BLOCK
        hi = min(lo + _LOCATE_BLOCK, n)
        locate(x[lo:hi], y[lo:hi], hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl,
               nr, labels[lo:hi])  # fmt: skip


@njit(cache=True, nogil=True)
def regroup_apexes(hidx, nroot, nc, nl, nr, labels, counts, nonapex):
    """Move hull vertices to bigger parts whose triangles have them as a corner.

    Every non-root hull vertex is the apex c of exactly one node N and is also a corner
    of the nodes along the right spine of N's left subtree and the left spine of N's
    right subtree. Visiting nodes parents first, c moves to the biggest such part that
    holds a point other than its own apex (``nonapex`` > 0) when that part is at least
    as big as c's own: moving one point from a part of size A to one of size B >= A
    lowers the entropy. ``labels`` and ``counts`` are updated in place.
    """
    nn = nc.shape[0]
    for node in range(nn):
        lab = nroot + node
        c = hidx[nc[node]]
        if labels[c] != lab:
            continue
        own = counts[lab]
        best = -1
        bestc = -1
        t = nl[node]
        while t >= 0:
            if nonapex[nroot + t] > 0 and counts[nroot + t] > bestc:
                bestc = counts[nroot + t]
                best = nroot + t
            t = nr[t]
        t = nr[node]
        while t >= 0:
            if nonapex[nroot + t] > 0 and counts[nroot + t] > bestc:
                bestc = counts[nroot + t]
                best = nroot + t
            t = nl[t]
        if best >= 0 and bestc >= own:
            labels[c] = best
            counts[lab] -= 1
            counts[best] += 1


@njit(cache=True, nogil=True)
def part_counts(labels, t):
    """Points per part (labels -1 ignored), shape (t,)."""
    out = np.empty(t, dtype=np.int64)
    _counts_into(labels, t, out)
    return out


@njit(cache=True, nogil=True)
def _counts_into(labels, t, out):
    """``part_counts`` into ``out[:t]``."""
    for j in range(t):
        out[j] = 0
    for i in range(labels.shape[0]):
        if labels[i] >= 0:
            out[labels[i]] += 1


@njit(cache=True, nogil=True)
def small_parts(labels, counts, max_size):
    """Indices of the points that are singletons or in parts of at most max_size."""
    out = np.empty(labels.shape[0], dtype=np.int64)
    k = _small_into(labels, counts, max_size, out)
    return out[:k].copy()


@njit(cache=True, nogil=True)
def _small_into(labels, counts, max_size, out):
    """``small_parts`` into ``out``; returns how many."""
    k = 0
    for i in range(labels.shape[0]):
        t = labels[i]
        if t < 0 or counts[t] <= max_size:
            out[k] = i
            k += 1
    return k


@njit(cache=True, nogil=True)
def order_by_label(idx, labels, t):
    """``idx`` stably sorted by ``labels[idx]`` (values in -1..t-1): a counting sort."""
    cnt = np.empty(t + 2, dtype=np.int64)
    out = np.empty_like(idx)
    _order_into(idx, idx.shape[0], labels, t, cnt, out)
    return out


@njit(cache=True, nogil=True)
def _order_into(idx, k, labels, t, cnt, out):
    """``order_by_label`` of ``idx[:k]`` into ``out`` (``cnt``: t + 2 scratch)."""
    for j in range(t + 2):
        cnt[j] = 0
    for s in range(k):
        cnt[labels[idx[s]] + 2] += 1
    for j in range(1, t + 2):
        cnt[j] += cnt[j - 1]
    for s in range(k):
        i = idx[s]
        j = labels[i] + 1
        out[cnt[j]] = i
        cnt[j] += 1


@njit(cache=True, nogil=True)
def renumber(labels, new):
    """labels[i] <- new[labels[i]] (-1 stays -1), in place."""
    for i in range(labels.shape[0]):
        t = labels[i]
        if t >= 0:
            labels[i] = new[t]


@njit(cache=True, nogil=True)
def _try_join(x, y, tri, g, p):
    """Whether point p can join group g with triangle tri[g] (3 corners): p inside, or
    p replacing a corner that then lies inside the new triangle. Updates tri."""
    a = tri[g, 0]
    b = tri[g, 1]
    c = tri[g, 2]
    if in_closed_triangle(x[a], y[a], x[b], y[b], x[c], y[c], x[p], y[p]):
        return True
    # replace corner a: fine when a lies in (p, b, c), which then holds the old triangle
    if in_closed_triangle(x[p], y[p], x[b], y[b], x[c], y[c], x[a], y[a]):
        tri[g, 0] = p
        return True
    if in_closed_triangle(x[a], y[a], x[p], y[p], x[c], y[c], x[b], y[b]):
        tri[g, 1] = p
        return True
    if in_closed_triangle(x[a], y[a], x[b], y[b], x[p], y[p], x[c], y[c]):
        tri[g, 2] = p
        return True
    return False


@njit(cache=True, nogil=True)
def group_small(x, y, pts):
    """Pack points (in the given order) into groups, each in a triangle of its points.

    Any three points span a (possibly degenerate) triangle with input points as corners,
    which lies in the hull, so points from parts of one or two points can always be
    regrouped into parts of three, which lowers the entropy (the new sizes majorise the
    old). A group keeps growing while the next point lies in its triangle or can
    replace a corner (the old triangle then lies in the new one). Leftover points of an
    unfinished last group try every earlier group before staying in pairs/singletons.

    Returns ``(group, tri, ngroups)``: group of each entry of ``pts`` and the corner
    point indices of each group's triangle.
    """
    k = pts.shape[0]
    group = np.empty(k, dtype=np.int64)
    tri = np.empty((max(k, 1), 3), dtype=np.int64)
    size = np.empty(max(k, 1), dtype=np.int64)
    ng = _group_into(x, y, pts, k, group, tri, size)
    return group, tri[:ng].copy(), ng


@njit(cache=True, nogil=True)
def _group_into(x, y, pts, k, group, tri, size):
    """``group_small`` of ``pts[:k]`` into ``group``, ``tri`` (rows of the groups'
    corners) and ``size`` (scratch), each of at least k entries (rows); returns the
    number of groups."""
    for s in range(k):
        group[s] = -1
        size[s] = 0
    g = -1
    for s in range(k):
        p = pts[s]
        if g >= 0 and size[g] < 3:
            if size[g] == 1:
                tri[g, 1] = p
                tri[g, 2] = p
            else:
                tri[g, 2] = p
            size[g] += 1
            group[s] = g
            continue
        if g >= 0 and _try_join(x, y, tri, g, p):
            size[g] += 1
            group[s] = g
            continue
        g += 1
        tri[g, 0] = p
        tri[g, 1] = p
        tri[g, 2] = p
        size[g] = 1
        group[s] = g
    ng = g + 1
    if ng >= 2 and size[ng - 1] < 3:
        last = ng - 1
        moved = 0
        for s in range(k):
            if group[s] != last:
                continue
            for h in range(last):
                if _try_join(x, y, tri, h, pts[s]):
                    group[s] = h
                    size[h] += 1
                    moved += 1
                    break
        if moved == size[last]:
            ng -= 1
        elif moved > 0:
            # rebuild the last group's corners from its remaining members
            j = 0
            for s in range(k):
                if group[s] == last:
                    if j == 0:
                        tri[last, 0] = pts[s]
                        tri[last, 1] = pts[s]
                        tri[last, 2] = pts[s]
                    else:
                        tri[last, j] = pts[s]
                        if j == 1:
                            tri[last, 2] = pts[s]
                    j += 1
            size[last] = j
    return ng


@njit(cache=True, nogil=True)
def fan_labels(x, y, poly, convex, labels):
    """Label each point with the first fan triangle (poly[0], poly[t+1], poly[t+2])
    containing it (closed), or -1.

    ``convex``: the polygon is strictly convex and counter-clockwise, so the wedge is
    found by binary search (O(log k) per point); otherwise every triangle is tried in
    order (O(k) per point).
    """
    n = x.shape[0]
    k = poly.shape[0]
    ox = x[poly[0]]
    oy = y[poly[0]]
    for i in range(n):
        px = x[i]
        py = y[i]
        lab = -1
        if k >= 3 and convex:
            if orient2d(ox, oy, x[poly[1]], y[poly[1]], px, py) >= 0.0 and (
                orient2d(ox, oy, x[poly[k - 1]], y[poly[k - 1]], px, py) <= 0.0
            ):
                # j* = smallest j >= 1 with orient(o, poly[j], p) <= 0 (p on or right of
                # ray j); p then lies in wedge j* - 2 (or 0), the first one holding it
                lo = 0
                hi = k - 1
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    if orient2d(ox, oy, x[poly[mid]], y[poly[mid]], px, py) <= 0.0:
                        hi = mid
                    else:
                        lo = mid
                t = hi - 2 if hi >= 2 else 0
                a = poly[t + 1]
                b = poly[t + 2]
                if in_closed_triangle(ox, oy, x[a], y[a], x[b], y[b], px, py):
                    lab = t
        elif k >= 3:
            for t in range(k - 2):
                a = poly[t + 1]
                b = poly[t + 2]
                if in_closed_triangle(ox, oy, x[a], y[a], x[b], y[b], px, py):
                    lab = t
                    break
        else:
            b = poly[k - 1]
            if in_closed_triangle(ox, oy, x[b], y[b], x[b], y[b], px, py):
                lab = 0
        labels[i] = lab


@njit(cache=True, nogil=True)
def is_strictly_convex_ccw(x, y, poly):
    """Whether the vertices poly (k >= 3) form a strictly convex counter-clockwise
    polygon (every consecutive triple turns strictly left, total turn one loop)."""
    k = poly.shape[0]
    if k < 3:
        return False
    for t in range(k):
        a = poly[t]
        b = poly[(t + 1) % k]
        c = poly[(t + 2) % k]
        if orient2d(x[a], y[a], x[b], y[b], x[c], y[c]) <= 0.0:
            return False
    # all left turns: convex iff the vertices wind once around vertex 0
    for t in range(1, k - 1):
        a = poly[t]
        b = poly[t + 1]
        if orient2d(x[poly[0]], y[poly[0]], x[a], y[a], x[b], y[b]) <= 0.0:
            return False
    return True


# ---------------------------------------------------------------------------
# choosing the root triangle (geoent.entropy._choose_root), in one call each:
# the Python loops of the same steps cost about 2 ms on 100 points (issue 13)
# ---------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def farthest_in_arc(hx, hy, i, j, k, m):
    """``geoent.entropy._farthest_in_arc`` compiled (same steps, same float
    operations, same ties: the first position of the largest distance).

    The distance is written out in each loop rather than in a helper taking
    ``hx``, ``hy``: numba counts references (atomically) to every array passed to a
    function, on every call (issue 13)."""
    lo = i + 1
    hi = (k if k > i else k + m) - 1
    if lo > hi:
        return j
    ax = hx[i % m]
    ay = hy[i % m]
    dx = hx[k % m] - ax
    dy = hy[k % m] - ay
    while hi - lo > 32:
        third = (hi - lo) // 3
        p = (lo + third) % m
        q = (hi - third) % m
        if -(dx * (hy[p] - ay) - dy * (hx[p] - ax)) < -(dx * (hy[q] - ay) - dy * (hx[q] - ax)):
            lo = lo + third + 1
        else:
            hi = hi - third
    best = lo
    p = lo % m
    bd = -(dx * (hy[p] - ay) - dy * (hx[p] - ax))
    for r in range(lo + 1, hi + 1):
        p = r % m
        d = -(dx * (hy[p] - ay) - dy * (hx[p] - ax))
        if d > bd:
            best = r
            bd = d
    return best % m


@njit(cache=True, nogil=True)
def _sorted3(a, b, c):
    """The three values ascending (np.sort would compile a whole sort routine into
    the caller: seconds of cold start for three values)."""
    if a > b:
        a, b = b, a
    if b > c:
        b, c = c, b
    if a > b:
        a, b = b, a
    return a, b, c


@njit(cache=True, nogil=True)
def root_candidate_rows(hx, hy, starts):
    """Candidate root triangles (hull positions, each row ascending, repeats
    included: the caller takes the unique rows) from each start position o: the
    triangle (o, o + m/3, o + 2m/3), then after each of two rounds of moving every
    corner to the farthest vertex of its arc, when the corners are distinct."""
    m = hx.shape[0]
    rows = np.empty((3 * starts.shape[0], 3), dtype=np.int64)
    r = 0
    tri = np.empty(3, dtype=np.int64)
    for s in range(starts.shape[0]):
        o = starts[s]
        tri[0] = o
        tri[1] = (o + m // 3) % m
        tri[2] = (o + (2 * m) // 3) % m
        rows[r, 0], rows[r, 1], rows[r, 2] = _sorted3(tri[0], tri[1], tri[2])
        r += 1
        for _ in range(2):
            for c in range(3):
                a = tri[(c + 2) % 3]
                b = tri[(c + 1) % 3]
                # farthest_in_arc(hx, hy, a, tri[c], b, m), written out (no array
                # passed to a function in this loop; see farthest_in_arc)
                lo = a + 1
                hi = (b if b > a else b + m) - 1
                if lo > hi:
                    continue
                ax = hx[a % m]
                ay = hy[a % m]
                dx = hx[b % m] - ax
                dy = hy[b % m] - ay
                while hi - lo > 32:
                    third = (hi - lo) // 3
                    p = (lo + third) % m
                    q = (hi - third) % m
                    if -(dx * (hy[p] - ay) - dy * (hx[p] - ax)) < -(
                        dx * (hy[q] - ay) - dy * (hx[q] - ax)
                    ):
                        lo = lo + third + 1
                    else:
                        hi = hi - third
                best = lo
                p = lo % m
                bd = -(dx * (hy[p] - ay) - dy * (hx[p] - ax))
                for r2 in range(lo + 1, hi + 1):
                    p = r2 % m
                    d = -(dx * (hy[p] - ay) - dy * (hx[p] - ax))
                    if d > bd:
                        best = r2
                        bd = d
                tri[c] = best % m
            if tri[0] != tri[1] and tri[1] != tri[2] and tri[0] != tri[2]:
                rows[r, 0], rows[r, 1], rows[r, 2] = _sorted3(tri[0], tri[1], tri[2])
                r += 1
    return rows[:r].copy()


@njit(cache=True, nogil=True)
def _free_depth(m):
    """``2 * int(m).bit_length() + 8``: ``geoent.entropy._assign``'s depth of
    unrestricted apexes."""
    bits = 0
    while m > 0:
        bits += 1
        m >>= 1
    return 2 * bits + 8


#: rows of the int64 workspace of ``_construct`` (``_workspace``)
_NA, _NC, _NB, _NL, _NR, _ROOTS, _STACK = 0, 1, 2, 3, 4, 5, 6  # stack: 5 rows
_COUNTS, _NONAPEX, _SMALL, _ORDERED, _CNT, _GROUP, _GSIZE = 11, 12, 13, 14, 15, 16, 17
_CHA, _CHB, _CA, _CB = 18, 19, 20, 21


@njit(cache=True, nogil=True)
def _workspace(n, m):
    """The arrays ``_construct`` works in, allocated once for all the candidates
    (it allocated about thirty arrays per candidate: most of its time on 100
    points; issue 13): the int64 rows above, the groups' triangles, the root."""
    cap = n + m + 8
    return np.empty((22, cap), dtype=np.int64), np.empty((cap, 3), dtype=np.int64), np.empty((1, 6))


@njit(cache=True, nogil=True)
def _construct(x, y, hidx, hx, hy, i0, i1, i2, free_depth, labels, W, gtri, rtri):
    """The whole construction under the full-hull root (i0, i1, i2) (hull positions,
    ascending): ``geoent.entropy._assign`` (pockets, location, apex regrouping, the
    regrouping of parts of one or two points), the same steps in the same order, in
    the workspace ``W, gtri, rtri`` (``_workspace``). Writes ``labels``; returns
    ``(t, nnode, ng)``: the number of parts, of nodes (corners in rows ``_NA``,
    ``_NC``, ``_NB``, hull positions) and of groups (corners in ``gtri``, point
    indices). Parts are the root (0), the nodes (1 + node), then the groups."""
    m = hidx.shape[0]
    chord_a = W[_CHA]
    chord_b = W[_CHB]
    ca = W[_CA]
    cb = W[_CB]
    chord_a[0] = i0
    chord_a[1] = i1
    chord_a[2] = i2
    chord_b[0] = i1
    chord_b[1] = i2
    chord_b[2] = i0 + m
    rtri[0, 0] = hx[i0]
    rtri[0, 1] = hy[i0]
    rtri[0, 2] = hx[i1]
    rtri[0, 3] = hy[i1]
    rtri[0, 4] = hx[i2]
    rtri[0, 5] = hy[i2]
    na = W[_NA]
    nc = W[_NC]
    nb = W[_NB]
    nl = W[_NL]
    nr = W[_NR]
    roots = W[_ROOTS, :3]
    nnode = _pockets_into(hx, hy, chord_a[:3], chord_b[:3], free_depth, na, nc, nb, nl, nr,
                          roots, W[_STACK : _STACK + 5])  # fmt: skip
    for j in range(3):
        ca[j] = chord_a[j] % m
        cb[j] = chord_b[j] % m
    locate(x, y, hx, hy, ca[:3], cb[:3], roots, rtri, na, nc, nb, nl, nr, labels)
    nroot = 1
    t = nroot + nnode
    counts = W[_COUNTS]
    nonapex = W[_NONAPEX]
    _counts_into(labels, t, counts)
    for j in range(t):
        nonapex[j] = counts[j]
    for j in range(nroot, t):
        nonapex[j] -= 1  # each node's apex is located at its own node
    regroup_apexes(hidx, nroot, nc[:nnode], nl[:nnode], nr[:nnode], labels, counts, nonapex)
    # _regroup_small
    _counts_into(labels, t, counts)
    small = W[_SMALL]
    k = _small_into(labels, counts, 2, small)
    ng = 0
    if k >= 2:
        ordered = W[_ORDERED]
        _order_into(small, k, labels, t, W[_CNT], ordered)
        group = W[_GROUP]
        ng = _group_into(x, y, ordered, k, group, gtri, W[_GSIZE])
        for s in range(k):
            labels[ordered[s]] = t + group[s]
        t += ng
    return t, nnode, ng


@njit(cache=True, nogil=True)
def root_part_sizes(x, y, hidx, hx, hy, ranked):
    """For each candidate root (rows of hull positions i0 < i1 < i2), the sizes of
    the parts of at least two points of the whole construction under that root, in
    part order: ``geoent.entropy._assign`` (``_construct``) then ``_compact``.
    Returns ``(sizes, offsets)``: candidate r's sizes are
    ``sizes[offsets[r]:offsets[r + 1]]``."""
    n = x.shape[0]
    m = hidx.shape[0]
    nr_ = ranked.shape[0]
    free_depth = _free_depth(m)
    offsets = np.zeros(nr_ + 1, dtype=np.int64)
    out = np.empty(nr_ * (n // 2 + 1), dtype=np.int64)
    labels = np.empty(n, dtype=np.int64)
    W, gtri, rtri = _workspace(n, m)
    counts = W[_COUNTS]
    for r in range(nr_):
        t, _, _ = _construct(x, y, hidx, hx, hy, ranked[r, 0], ranked[r, 1], ranked[r, 2],
                             free_depth, labels, W, gtri, rtri)  # fmt: skip
        # _compact: parts of at least two points, in part order
        _counts_into(labels, t, counts)
        k = offsets[r]
        for j in range(t):
            if counts[j] >= 2:
                out[k] = counts[j]
                k += 1
        offsets[r + 1] = k
    return out[: offsets[nr_]].copy(), offsets


# ---------------------------------------------------------------------------
# the whole default construction of a small set in two calls (issue 13):
# ``geoent.entropy._build`` for n <= 4096 points (no sampling), whose numpy
# steps and dozen kernel calls cost far more than the work on 100 points
# ---------------------------------------------------------------------------

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)
_U1 = np.uint64(1)
_U2 = np.uint64(2)
_U4 = np.uint64(4)
_U56 = np.uint64(56)


@njit(cache=True, nogil=True)
def _popcount(v):
    v = v - ((v >> _U1) & _M1)
    v = (v & _M2) + ((v >> _U2) & _M2)
    v = (v + (v >> _U4)) & _M4
    return (v * _H01) >> _U56


#: ``geoent.entropy._ALL_TRIPLES_UP_TO``: every triple of hull vertices is a
#: candidate root up to this many vertices
ALL_TRIPLES_UP_TO = 12
#: ``geoent.entropy._ROOT_TRIALS``
ROOT_TRIALS = 12


@njit(cache=True, nogil=True)
def _triple_rows(m):
    """``itertools.combinations(range(m), 3)`` as rows, in its order."""
    k = m * (m - 1) * (m - 2) // 6
    rows = np.empty((k, 3), dtype=np.int64)
    r = 0
    for i in range(m):
        for j in range(i + 1, m):
            for l in range(j + 1, m):
                rows[r, 0] = i
                rows[r, 1] = j
                rows[r, 2] = l
                r += 1
    return rows


@njit(cache=True, nogil=True)
def _spread_rows(hx, hy):
    """``geoent.entropy._root_candidates`` above ``ALL_TRIPLES_UP_TO`` vertices: the
    distinct rows of ``root_candidate_rows`` from the 24 spread starts, in
    lexicographic order."""
    m = hx.shape[0]
    starts = np.empty(24, dtype=np.int64)
    ns = 0
    step = m / 24
    for i in range(24):
        # np.linspace(0, m, 24, endpoint=False)'s values, truncated (ascending)
        v = np.int64(float(i) * step + 0.0)
        if ns == 0 or v != starts[ns - 1]:
            starts[ns] = v
            ns += 1
    rows = root_candidate_rows(hx, hy, starts[:ns])
    k = rows.shape[0]
    key = np.empty(k, dtype=np.int64)
    for r in range(k):
        key[r] = (rows[r, 0] * m + rows[r, 1]) * m + rows[r, 2]
    # insertion sort of at most 72 keys, then the distinct ones
    for r in range(1, k):
        v = key[r]
        j = r - 1
        while j >= 0 and key[j] > v:
            key[j + 1] = key[j]
            j -= 1
        key[j + 1] = v
    out = np.empty((k, 3), dtype=np.int64)
    u = 0
    for r in range(k):
        if r > 0 and key[r] == key[r - 1]:
            continue
        v = key[r]
        out[u, 2] = v % m
        v //= m
        out[u, 1] = v % m
        out[u, 0] = v // m
        u += 1
    return out[:u].copy()


@njit(cache=True, nogil=True)
def _triple_counts(x, y, hx, hy, cand):
    """``count_in_triangles`` of every triple of hull vertices (``cand`` from
    ``_triple_rows``) on every point: the sign of each point against each chord
    (u, v) is computed once, as bit sets, and a triple (i, j, k) (counter-clockwise:
    the hull is) holds p iff p is on or left of i -> j and j -> k and on or right of
    i -> k (orient2d(k, i, p) and orient2d(i, k, p) have opposite exact signs)."""
    n = x.shape[0]
    m = hx.shape[0]
    words = (n + 63) // 64
    left = np.zeros((m, m, words), dtype=np.uint64)  # orient2d(u, v, p) >= 0, u < v
    right = np.zeros((m, m, words), dtype=np.uint64)  # <= 0
    for u in range(m):
        ux = hx[u]
        uy = hy[u]
        for v in range(u + 1, m):
            vx = hx[v]
            vy = hy[v]
            for i in range(n):
                o = orient2d(ux, uy, vx, vy, x[i], y[i])
                w = i >> 6
                bit = _U1 << np.uint64(i & 63)
                if o >= 0.0:
                    left[u, v, w] |= bit
                if o <= 0.0:
                    right[u, v, w] |= bit
    k = cand.shape[0]
    counts = np.empty(k, dtype=np.int64)
    for r in range(k):
        a = cand[r, 0]
        b = cand[r, 1]
        c = cand[r, 2]
        tot = np.uint64(0)
        for w in range(words):
            tot += _popcount(left[a, b, w] & left[b, c, w] & right[a, c, w])
        counts[r] = np.int64(tot)
    return counts


@njit(cache=True, nogil=True)
def _rows_counts(x, y, hx, hy, cand):
    """``count_in_triangles`` of the candidate rows on every point, each triangle's
    own orientation computed once (the same exact decisions as
    ``in_closed_triangle``)."""
    n = x.shape[0]
    k = cand.shape[0]
    counts = np.zeros(k, dtype=np.int64)
    for r in range(k):
        ax = hx[cand[r, 0]]
        ay = hy[cand[r, 0]]
        bx = hx[cand[r, 1]]
        by = hy[cand[r, 1]]
        cx = hx[cand[r, 2]]
        cy = hy[cand[r, 2]]
        o = orient2d(ax, ay, bx, by, cx, cy)
        c = 0
        if o > 0.0:
            for i in range(n):
                px = x[i]
                py = y[i]
                if (
                    orient2d(ax, ay, bx, by, px, py) >= 0.0
                    and orient2d(bx, by, cx, cy, px, py) >= 0.0
                    and orient2d(cx, cy, ax, ay, px, py) >= 0.0
                ):
                    c += 1
        else:  # not for vertices of a strictly convex hull; kept general
            for i in range(n):
                if in_closed_triangle(ax, ay, bx, by, cx, cy, x[i], y[i]):
                    c += 1
        counts[r] = c
    return counts


@njit(cache=True, nogil=True)
def _lex_less(xi, yi, i, xj, yj, j):
    """(xi, yi, i) < (xj, yj, j) lexicographically (scalars: no array is passed to a
    function in a loop, see ``locate``)."""
    if xi != xj:
        return xi < xj
    if yi != yj:
        return yi < yj
    return i < j


@njit(cache=True, nogil=True)
def small_hull(x, y):
    """``geoent.convex_hull`` of the points (x, y) (the same array: the strictly
    convex vertices counter-clockwise from the lexicographically smallest, the
    lowest index among duplicates), by a merge sort on (x, y, index) and Andrew's
    monotone chain with the exact orient2d; for the small entropy path, where a
    ``convex_hull`` call cost a fifth of the whole call (issue 13). Collinear
    input gives its two extremes, one distinct point its lowest index."""
    n = x.shape[0]
    ids = np.empty(n, dtype=np.int64)
    tmp = np.empty(n, dtype=np.int64)
    for i in range(n):
        ids[i] = i
    # bottom-up merge sort (keys distinct: the index breaks ties)
    width = 1
    while width < n:
        lo = 0
        while lo < n:
            mid = min(lo + width, n)
            hi = min(lo + 2 * width, n)
            a = lo
            b = mid
            o = lo
            while a < mid and b < hi:
                ib = ids[b]
                ia = ids[a]
                if _lex_less(x[ib], y[ib], ib, x[ia], y[ia], ia):
                    tmp[o] = ids[b]
                    b += 1
                else:
                    tmp[o] = ids[a]
                    a += 1
                o += 1
            while a < mid:
                tmp[o] = ids[a]
                a += 1
                o += 1
            while b < hi:
                tmp[o] = ids[b]
                b += 1
                o += 1
            lo = hi
        ids, tmp = tmp, ids
        width *= 2
    # the first of each run of equal points (its lowest index)
    k = 0
    for s in range(n):
        i = ids[s]
        if k > 0 and x[i] == x[ids[k - 1]] and y[i] == y[ids[k - 1]]:
            continue
        ids[k] = i
        k += 1
    if k == 1:
        out = np.empty(1, dtype=np.int64)
        out[0] = ids[0]
        return out
    h = tmp  # the chain (at most 2k entries: k + 1 fit in n >= k + 1 when k < n)
    if h.shape[0] < 2 * k:
        h = np.empty(2 * k, dtype=np.int64)
    c = 0
    for s in range(k):
        i = ids[s]
        while c >= 2 and orient2d(x[h[c - 2]], y[h[c - 2]], x[h[c - 1]], y[h[c - 1]],
                                  x[i], y[i]) <= 0.0:  # fmt: skip
            c -= 1
        h[c] = i
        c += 1
    lower = c
    for s in range(k - 2, -1, -1):
        i = ids[s]
        while c > lower and orient2d(x[h[c - 2]], y[h[c - 2]], x[h[c - 1]], y[h[c - 1]],
                                     x[i], y[i]) <= 0.0:  # fmt: skip
            c -= 1
        h[c] = i
        c += 1
    # the last entry is the first vertex again
    return h[: c - 1].copy()


@njit(cache=True, nogil=True)
def small_roots(x, y, hidx):
    """``geoent.entropy._build``'s hull (``hidx``, or ``small_hull`` when ``hidx``
    is empty), then ``_choose_root``'s ranking and constructions, for at most 4096
    points (every point is evaluated, no sample).

    The candidates (every triple up to ``ALL_TRIPLES_UP_TO`` vertices, else the
    spread rows), the points each holds (``count_in_triangles``), the first
    ``ROOT_TRIALS`` by (count descending, area descending, position) as
    ``np.lexsort((-area, -counts))`` orders them, plus the largest by area when it
    is not among them (the first of the largest); then ``root_part_sizes`` of those.
    Returns ``(hidx, ranked, sizes, offsets)``; with fewer than 3 hull vertices,
    ``ranked`` is empty (the caller takes the general path)."""
    if hidx.shape[0] == 0:
        hidx = small_hull(x, y)
    if hidx.shape[0] < 3:
        return (
            hidx,
            np.empty((0, 3), dtype=np.int64),
            np.empty(0, dtype=np.int64),
            np.zeros(1, dtype=np.int64),
        )
    m = hidx.shape[0]
    hx = np.empty(m)
    hy = np.empty(m)
    for j in range(m):
        hx[j] = x[hidx[j]]
        hy[j] = y[hidx[j]]
    if m <= ALL_TRIPLES_UP_TO:
        cand = _triple_rows(m)
        counts = _triple_counts(x, y, hx, hy, cand)
    else:
        cand = _spread_rows(hx, hy)
        counts = _rows_counts(x, y, hx, hy, cand)
    k = cand.shape[0]
    area = np.empty(k)
    for r in range(k):
        t0 = hx[cand[r, 0]]
        t1 = hy[cand[r, 0]]
        t2 = hx[cand[r, 1]]
        t3 = hy[cand[r, 1]]
        t4 = hx[cand[r, 2]]
        t5 = hy[cand[r, 2]]
        area[r] = abs((t2 - t0) * (t5 - t1) - (t3 - t1) * (t4 - t0))
    # the first ROOT_TRIALS of the stable order by (-counts, -area), by selection
    taken = np.zeros(k, dtype=np.bool_)
    ntake = min(ROOT_TRIALS, k)
    first = np.empty(ntake + 1, dtype=np.int64)
    for s in range(ntake):
        best = -1
        for r in range(k):
            if taken[r]:
                continue
            if (
                best < 0
                or counts[r] > counts[best]
                or (counts[r] == counts[best] and area[r] > area[best])
            ):
                best = r
        taken[best] = True
        first[s] = best
    nf = ntake
    biggest = 0
    for r in range(1, k):
        if area[r] > area[biggest]:
            biggest = r
    if not taken[biggest]:
        first[nf] = biggest
        nf += 1
    ranked = np.empty((nf, 3), dtype=np.int64)
    for s in range(nf):
        for j in range(3):
            ranked[s, j] = cand[first[s], j]
    sizes, offsets = root_part_sizes(x, y, hidx, hx, hy, ranked)
    return hidx, ranked, sizes, offsets


@njit(cache=True, nogil=True)
def small_build(x, y, hidx, ranked, sizes, offsets, terms, log_n):
    """``geoent.entropy._choose_root``'s choice from ``small_roots``' sizes and
    their entropy terms (``terms = sizes * (log(n) - log(sizes))``, numpy's log:
    computed by the caller), then ``_assign`` under that root and ``_compact``.

    Each candidate's entropy is ``max(0.0, (sum(terms) + single * log_n) / n)`` with
    numpy's pairwise sum (``hull_measures.pairwise_sum``); the first candidate
    beating the best so far by more than 1e-12 wins. Returns ``(labels, tris, h)``:
    the compacted labels and triangles (point indices) and the winner's entropy."""
    n = x.shape[0]
    m = hidx.shape[0]
    best = 0
    best_h = np.inf
    for r in range(ranked.shape[0]):
        lo = offsets[r]
        hi = offsets[r + 1]
        held = 0
        for j in range(lo, hi):
            held += sizes[j]
        single = n - held
        total = pairwise_sum(terms[lo:hi]) + float(single) * log_n
        h = total / n
        if not h > 0.0:  # Python's max(0.0, h)
            h = 0.0
        if h < best_h - 1e-12:
            best = r
            best_h = h
    hx = np.empty(m)
    hy = np.empty(m)
    for j in range(m):
        hx[j] = x[hidx[j]]
        hy[j] = y[hidx[j]]
    labels = np.empty(n, dtype=np.int64)
    W, gtri, rtri = _workspace(n, m)
    t, nnode, _ = _construct(x, y, hidx, hx, hy, ranked[best, 0], ranked[best, 1],
                             ranked[best, 2], _free_depth(m), labels, W, gtri, rtri)  # fmt: skip
    # _compact: parts of at least two points, renumbered in order
    counts = W[_COUNTS]
    _counts_into(labels, t, counts)
    new = np.full(t, -1, dtype=np.int64)
    kept = 0
    for j in range(t):
        if counts[j] >= 2:
            new[j] = kept
            kept += 1
    tris = np.empty((kept, 3), dtype=np.int64)
    for j in range(t):
        q = new[j]
        if q < 0:
            continue
        if j == 0:
            tris[q, 0] = hidx[ranked[best, 0]]
            tris[q, 1] = hidx[ranked[best, 1]]
            tris[q, 2] = hidx[ranked[best, 2]]
        elif j <= nnode:
            tris[q, 0] = hidx[W[_NA, j - 1]]
            tris[q, 1] = hidx[W[_NC, j - 1]]
            tris[q, 2] = hidx[W[_NB, j - 1]]
        else:
            g = j - 1 - nnode
            tris[q, 0] = gtri[g, 0]
            tris[q, 1] = gtri[g, 1]
            tris[q, 2] = gtri[g, 2]
    renumber(labels, new)
    return labels, tris, best_h
