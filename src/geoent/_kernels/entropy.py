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
    nl = np.full(cap, -1, dtype=np.int64)
    nr = np.full(cap, -1, dtype=np.int64)
    roots = np.full(chord_a.shape[0], -1, dtype=np.int64)
    # stack entries: (a, b, parent node, side: 0 root of pocket k / 1 left / 2 right)
    sa = np.empty(cap + 8, dtype=np.int64)
    sb = np.empty(cap + 8, dtype=np.int64)
    sp = np.empty(cap + 8, dtype=np.int64)
    ss = np.empty(cap + 8, dtype=np.int64)
    sd = np.empty(cap + 8, dtype=np.int64)
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
    return na[:count], nc[:count], nb[:count], nl[:count], nr[:count], roots


@njit(inline="always", cache=True)
def _locate_one(px, py, hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr):
    nroot = rtri.shape[0]
    pocket = -1
    for k in range(chord_a.shape[0]):
        a = chord_a[k]
        b = chord_b[k]
        if orient2d(hx[a], hy[a], hx[b], hy[b], px, py) < 0.0:
            pocket = k
            break
    if pocket < 0:
        if chord_a.shape[0] == 3:
            # full hull: the chords are the root triangle's edges and p is on the
            # inner side of (or on) all three, so it is in the closed root triangle
            return 0
        for r in range(nroot):
            if in_closed_triangle(
                rtri[r, 0], rtri[r, 1], rtri[r, 2], rtri[r, 3], rtri[r, 4], rtri[r, 5], px, py
            ):
                return r
        return -1
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
            return nroot + node
    return -1


@njit(cache=True, nogil=True)
def locate(x, y, hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr, labels):
    """Label every point with the first region of the hierarchy whose closed triangle
    holds it: a root triangle (labels 0..R-1, tried in order) or a node (R + node).

    A point strictly beyond pocket chord k (orient2d(a_k, b_k, p) < 0) descends into
    that pocket; at node (a, c, b) it stays when it is on the inner side of (or on)
    both a -> c and c -> b, else it goes to the sub-pocket whose chord it is strictly
    beyond. Points that end nowhere get -1 (cannot happen for points inside the hull).
    """
    for i in range(x.shape[0]):
        labels[i] = _locate_one(
            x[i], y[i], hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr
        )


@njit(cache=True, parallel=True, nogil=True)
def locate_parallel(x, y, hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr, labels):
    """``locate`` over numba threads (worth it for millions of points)."""
    for i in prange(x.shape[0]):
        labels[i] = _locate_one(
            x[i], y[i], hx, hy, chord_a, chord_b, roots, rtri, na, nc, nb, nl, nr
        )


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
    out = np.zeros(t, dtype=np.int64)
    for i in range(labels.shape[0]):
        if labels[i] >= 0:
            out[labels[i]] += 1
    return out


@njit(cache=True, nogil=True)
def small_parts(labels, counts, max_size):
    """Indices of the points that are singletons or in parts of at most max_size."""
    n = labels.shape[0]
    out = np.empty(n, dtype=np.int64)
    k = 0
    for i in range(n):
        t = labels[i]
        if t < 0 or counts[t] <= max_size:
            out[k] = i
            k += 1
    return out[:k].copy()


@njit(cache=True, nogil=True)
def order_by_label(idx, labels, t):
    """``idx`` stably sorted by ``labels[idx]`` (values in -1..t-1): a counting sort."""
    cnt = np.zeros(t + 2, dtype=np.int64)
    for i in idx:
        cnt[labels[i] + 2] += 1
    for j in range(1, t + 2):
        cnt[j] += cnt[j - 1]
    out = np.empty_like(idx)
    for i in idx:
        j = labels[i] + 1
        out[cnt[j]] = i
        cnt[j] += 1
    return out


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
    group = np.full(k, -1, dtype=np.int64)
    tri = np.empty((max(k, 1), 3), dtype=np.int64)
    size = np.zeros(max(k, 1), dtype=np.int64)
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
    return group, tri[:ng].copy(), ng


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
def _arc_dist(hx, hy, i, k, m, p):
    """``geoent.entropy._farthest_in_arc``'s ``dist``: the same float operations."""
    p %= m
    ax = hx[i % m]
    ay = hy[i % m]
    dx = hx[k % m] - ax
    dy = hy[k % m] - ay
    return -(dx * (hy[p] - ay) - dy * (hx[p] - ax))


@njit(cache=True, nogil=True)
def farthest_in_arc(hx, hy, i, j, k, m):
    """``geoent.entropy._farthest_in_arc`` compiled (same steps, same ties: the
    first position of the largest distance)."""
    lo = i + 1
    hi = (k if k > i else k + m) - 1
    if lo > hi:
        return j
    while hi - lo > 32:
        third = (hi - lo) // 3
        if _arc_dist(hx, hy, i, k, m, lo + third) < _arc_dist(hx, hy, i, k, m, hi - third):
            lo = lo + third + 1
        else:
            hi = hi - third
    best = lo
    bd = _arc_dist(hx, hy, i, k, m, lo)
    for p in range(lo + 1, hi + 1):
        d = _arc_dist(hx, hy, i, k, m, p)
        if d > bd:
            best = p
            bd = d
    return best % m


@njit(cache=True, nogil=True)
def _put_sorted3(rows, r, tri):
    """rows[r] = the three values of tri ascending (np.sort would compile a whole
    sort routine into the caller: seconds of cold start for three values)."""
    a, b, c = tri[0], tri[1], tri[2]
    if a > b:
        a, b = b, a
    if b > c:
        b, c = c, b
    if a > b:
        a, b = b, a
    rows[r, 0] = a
    rows[r, 1] = b
    rows[r, 2] = c


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
        _put_sorted3(rows, r, tri)
        r += 1
        for _ in range(2):
            for c in range(3):
                a = tri[(c + 2) % 3]
                b = tri[(c + 1) % 3]
                tri[c] = farthest_in_arc(hx, hy, a, tri[c], b, m)
            if tri[0] != tri[1] and tri[1] != tri[2] and tri[0] != tri[2]:
                _put_sorted3(rows, r, tri)
                r += 1
    return rows[:r].copy()


@njit(cache=True, nogil=True)
def root_part_sizes(x, y, hidx, hx, hy, ranked):
    """For each candidate root (rows of hull positions i0 < i1 < i2), the sizes of
    the parts of at least two points of the whole construction under that root, in
    part order: ``geoent.entropy._assign`` (pockets, location, apex regrouping, the
    regrouping of parts of one or two points) then ``_compact``, the same kernels
    in the same order. Returns ``(sizes, offsets)``: candidate r's sizes are
    ``sizes[offsets[r]:offsets[r + 1]]``."""
    m = hidx.shape[0]
    n = x.shape[0]
    nr_ = ranked.shape[0]
    free_depth = 2
    mm = m
    bits = 0
    while mm > 0:  # int(m).bit_length()
        bits += 1
        mm >>= 1
    free_depth = 2 * bits + 8
    offsets = np.zeros(nr_ + 1, dtype=np.int64)
    out = np.empty(nr_ * (n // 2 + 1), dtype=np.int64)
    labels = np.empty(n, dtype=np.int64)
    chord_a = np.empty(3, dtype=np.int64)
    chord_b = np.empty(3, dtype=np.int64)
    ca = np.empty(3, dtype=np.int64)
    cb = np.empty(3, dtype=np.int64)
    rtri = np.empty((1, 6))
    for r in range(nr_):
        i0 = ranked[r, 0]
        i1 = ranked[r, 1]
        i2 = ranked[r, 2]
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
        na, nc, nb, nl, nr, roots = build_pockets(hx, hy, chord_a, chord_b, free_depth)
        for j in range(3):
            ca[j] = chord_a[j] % m
            cb[j] = chord_b[j] % m
        locate(x, y, hx, hy, ca, cb, roots, rtri, na, nc, nb, nl, nr, labels)
        nroot = 1
        t = nroot + na.shape[0]
        counts = part_counts(labels, t)
        nonapex = counts.copy()
        for j in range(nroot, t):
            nonapex[j] -= 1  # each node's apex is located at its own node
        regroup_apexes(hidx, nroot, nc, nl, nr, labels, counts, nonapex)
        # _regroup_small
        counts = part_counts(labels, t)
        small = small_parts(labels, counts, 2)
        if small.shape[0] >= 2:
            small = order_by_label(small, labels, t)
            group, _, ng = group_small(x, y, small)
            for s in range(small.shape[0]):
                labels[small[s]] = t + group[s]
            t += ng
        # _compact: parts of at least two points, in part order
        counts = part_counts(labels, t)
        k = offsets[r]
        for j in range(t):
            if counts[j] >= 2:
                out[k] = counts[j]
                k += 1
        offsets[r + 1] = k
    return out[: offsets[nr_]].copy(), offsets
