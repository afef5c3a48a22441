"""3D convex hull kernels: an exact incremental hull over a sample-hull filter.

The pipeline (driven phase by phase from ``geoent._hull3d``); every visibility
and location decision is an exact ``orient3d`` (no tolerance):

1. ``find_tetra`` finds four affinely independent points (fat: axis extremes,
   then farthest from their line and from their plane, among a sample), or the
   affine dimension of degenerate input (exact scans decide).
2. A random sample (plus that tetrahedron) is inserted incrementally, in Morton
   order; its hull ``H_s`` is the filter.
3. ``filter_points`` discards every point certified *strictly* inside ``H_s``:
   inside a box whose eight corners are certified inside (``inner_box``), or
   within a ball of rigorously bounded radius (``inner_radius2``), or in the
   closed cone from o of a facet abc and strictly below abc (a cube map of
   directions from o guesses the facet, precomputed planes with a proven error
   bound decide, ``orient3d`` when they cannot). A failed guess only keeps the
   point; nothing is ever discarded without a certificate.
4. The survivors are inserted, Morton order, into the same hull.
5. ``merge_coplanar`` retriangulates faces made of several coplanar triangles as
   a fan over the face's corners, so that no vertex lies in the relative
   interior of a face or an edge; ``lowest_duplicates`` renames each vertex to
   the lowest index among its exact duplicates.

Location uses the central projection from an interior point o: every facet owns
the cone of rays from o through it, the cones tile space, and a point in the
closed cone of facet f is outside the hull exactly when it is strictly above f
(then f is visible; the visible region is grown from f and replaced by a cone
of new facets from the point to its horizon). The walk from the previous
point's facet crosses an edge whenever the point is strictly beyond the edge's
side plane (o, u, v): a remembering stochastic walk, capped, then a scan. Should
no double be strictly inside the starting tetrahedron (an extremely thin input),
points are located by scanning every facet until an interior point is found.

Orientation convention: facets (a, b, c) are counter-clockwise seen from
outside, so ``orient3d(a, b, c, p) > 0`` for interior p; ``nbr[t, j]`` is the
facet across the edge opposite vertex j, i.e. across (tri[t, j+1], tri[t, j+2]).
Facet ids are recycled through a free stack; arrays are never reassigned inside
hot loops (reference counting stays out of them).

Memory. The sample hull (small) is built on a gathered copy of the sample's
coordinates, with local ids, for locality; then its ids are renamed to the
caller's point indices and the survivors are inserted reading X, Y, Z as column
views of the caller's (n, 3) array (no gathered copy of all points), through an
insertion ``order`` (the next points' rows are prefetched). The state is
``tri`` and ``nbr`` (int32; about two facets per vertex), a byte per facet
(``dead``, which also holds the visibility marks of the insertion under way, so
no per-facet stamp) and ``start_of`` (int32 per point); the free stack is
touched only as deep as it gets. For points in convex position (the worst
case) the peak is about 2.6 times the input, the output included
(``benchmarks/mem_peak.py``).
"""

import math

import numpy as np
from numba import njit

from .floats import prefetch as _prefetch
from .predicates import orient2d, orient3d, two_diff

# Slots of the ``cnt`` state vector.
HW = 0  # high-water mark of facet ids
NFREE = 1  # facets on the free stack
FLAT = 2  # 1 once a new facet was made coplanar with its outer neighbour
NON = 3  # points found on the hull surface (candidates for duplicates)
CUR = 4  # facet to start the next walk from
RNG = 5  # state of the walk's random edge order
STAMP = 6  # unused (was the per-insertion stamp; marks now live in ``dead``)
HASC = 7  # 1 when ``oc`` holds a point strictly inside the hull
NINS = 8  # points inserted as vertices
ERR = 9  # nonzero: internal inconsistency (never expected)
WSTEPS = 10  # walk steps (diagnostics)
NVIS = 11  # facets found visible (diagnostics)
NHOR = 12  # horizon edges (diagnostics)
NSCAN = 13  # walks that gave up and scanned (diagnostics)
NCNT = 14

_WALK_CAP = 4096
# Points are read in the caller's array in insertion order, i.e. at random rows:
# their coordinates are requested this many insertions ahead (``_prefetch``), so
# the cache miss overlaps work instead of stalling the walk.
_AHEAD = 4


# ---------------------------------------------------------------------------
# Small exact helpers
# ---------------------------------------------------------------------------


@njit(cache=True)
def _o3d(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz):
    """The exact ``orient3d``, compiled once out of line: inlining the predicate at
    each of the hull's call sites multiplied the compile time. Its stage-A filter
    is inlined here and its adaptive stages stay out of line in predicates.py."""
    return orient3d(ax, ay, az, bx, by, bz, cx, cy, cz, dx, dy, dz)


@njit(cache=True)
def _collinear3(ax, ay, az, bx, by, bz, cx, cy, cz):
    """True when the three points are collinear (exact: all projections flat)."""
    return (
        orient2d(ax, ay, bx, by, cx, cy) == 0.0
        and orient2d(ay, az, by, bz, cy, cz) == 0.0
        and orient2d(az, ax, bz, bx, cz, cx) == 0.0
    )


@njit(cache=True)
def abs_range(P):
    """(max |x|, min nonzero |x|) over all coordinates (0.0, inf when all zero)."""
    hi = 0.0
    lo = np.inf
    for i in range(P.shape[0]):
        for k in range(P.shape[1]):
            v = abs(P[i, k])
            hi = max(hi, v)
            if v > 0.0:
                lo = min(lo, v)
    return hi, lo


@njit(cache=True)
def shift_exact(P, cx, cy, cz):
    """(True, P - c) when every coordinate difference is exact, else (False, _).

    An exact translation changes no orientation, no duplicate and no order, so the
    hull of the shifted points is the hull of P; near the origin doubles are far
    denser, which is what an extremely thin input needs to have a double strictly
    inside its hull.
    """
    out = np.empty_like(P)
    c = (cx, cy, cz)
    for i in range(P.shape[0]):
        for k in range(3):
            d, tail = two_diff(P[i, k], c[k])
            if tail != 0.0:
                return False, out
            out[i, k] = d
    return True, out


@njit(inline="always", cache=True)
def _lex_less(P, i, j):
    """P[i] < P[j] lexicographically (x, then y, then z)."""
    if P[i, 0] != P[j, 0]:
        return P[i, 0] < P[j, 0]
    if P[i, 1] != P[j, 1]:
        return P[i, 1] < P[j, 1]
    return P[i, 2] < P[j, 2]


@njit(cache=True)
def lex_extremes(P):
    """Indices of the lexicographically smallest and largest points (lowest index
    among duplicates)."""
    lo = 0
    hi = 0
    for i in range(1, P.shape[0]):
        if _lex_less(P, i, lo):
            lo = i
        if _lex_less(P, hi, i):
            hi = i
    return lo, hi


# ---------------------------------------------------------------------------
# Affine dimension and a fat initial tetrahedron
# ---------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def find_tetra(P, cand, cancel):
    """Affine dimension of the rows of P and witnesses.

    Returns ``(dim, a, b, c, d)``: dim 0 (all rows equal), 1 (collinear; a, b
    distinct), 2 (coplanar; a, b, c not collinear) or 3 (orient3d(a, b, c, d) != 0).
    a, b are the extremes along the axis of largest extent; c (farthest from the
    line ab) and d (farthest from the plane abc) are chosen in floating point among
    the rows ``cand``, then checked exactly; when that check fails an exact scan of
    every row decides, so the dimension is exact. ``cancel`` (uint8, length 1) is
    read every 65,536 rows of the first pass: once set, the call returns at once
    with a meaningless result (``geoent._interrupt``: Ctrl-C; the caller raises).
    """
    n = P.shape[0]
    imin = np.zeros(3, dtype=np.int64)
    imax = np.zeros(3, dtype=np.int64)
    for i in range(1, n):
        if (i & 65535) == 0 and cancel[0]:
            return 0, 0, 0, 0, 0
        for ax in range(3):
            v = P[i, ax]
            if v < P[imin[ax], ax]:
                imin[ax] = i
            if v > P[imax[ax], ax]:
                imax[ax] = i
    best_ext = -1.0
    a = 0
    b = 0
    for ax in range(3):
        ext = P[imax[ax], ax] - P[imin[ax], ax]
        if ext > best_ext:
            best_ext = ext
            a = imin[ax]
            b = imax[ax]
    if best_ext <= 0.0:
        return 0, 0, 0, 0, 0
    ax_, ay_, az_ = P[a, 0], P[a, 1], P[a, 2]
    bx_, by_, bz_ = P[b, 0], P[b, 1], P[b, 2]
    ux, uy, uz = bx_ - ax_, by_ - ay_, bz_ - az_
    c = cand[0]
    best = -1.0
    for t in range(cand.shape[0]):
        i = cand[t]
        wx, wy, wz = P[i, 0] - ax_, P[i, 1] - ay_, P[i, 2] - az_
        d1 = abs(uy * wz - uz * wy) + abs(uz * wx - ux * wz) + abs(ux * wy - uy * wx)
        if d1 > best:
            best = d1
            c = i
    if _collinear3(ax_, ay_, az_, bx_, by_, bz_, P[c, 0], P[c, 1], P[c, 2]):
        c = -1
        for i in range(n):
            if not _collinear3(ax_, ay_, az_, bx_, by_, bz_, P[i, 0], P[i, 1], P[i, 2]):
                c = i
                break
        if c < 0:
            return 1, a, b, 0, 0
    cx_, cy_, cz_ = P[c, 0], P[c, 1], P[c, 2]
    d = cand[0]
    best = -1.0
    for t in range(cand.shape[0]):
        i = cand[t]
        v = abs(_o3d(ax_, ay_, az_, bx_, by_, bz_, cx_, cy_, cz_, P[i, 0], P[i, 1], P[i, 2]))
        if v > best:
            best = v
            d = i
    if best == 0.0:
        d = -1
        for i in range(n):
            if _o3d(ax_, ay_, az_, bx_, by_, bz_, cx_, cy_, cz_, P[i, 0], P[i, 1], P[i, 2]) != 0:
                d = i
                break
        if d < 0:
            return 2, a, b, c, 0
    return 3, a, b, c, d


# ---------------------------------------------------------------------------
# Hull state: flat arrays, a free stack of facet ids
# ---------------------------------------------------------------------------


# Values of ``dead``: 0 live, 1 dead (on the free stack); during one insertion a
# live facet is marked VIS (strictly visible from the new point) or SEEN (tested,
# not visible), and every mark is cleared before the insertion ends.
VIS = 2
SEEN = 3


@njit(cache=True)
def new_state(L):
    cap = 2 * L + 8
    tri = np.empty((cap, 3), dtype=np.int32)
    nbr = np.empty((cap, 3), dtype=np.int32)
    # entries at or past the high-water mark are never read before ``_insert_some``
    # initialises them, so nothing is touched here (big arrays stay virtual)
    dead = np.empty(cap, dtype=np.uint8)
    freestk = np.empty(cap, dtype=np.int32)
    return tri, nbr, dead, freestk


@njit(cache=True)
def grow_state(tri, nbr, dead, freestk, cnt, L):
    tri2, nbr2, dead2, free2 = new_state(L)
    hw = cnt[HW]
    for t in range(hw):
        for k in range(3):
            tri2[t, k] = tri[t, k]
            nbr2[t, k] = nbr[t, k]
        dead2[t] = dead[t]
    for q in range(cnt[NFREE]):
        free2[q] = freestk[q]
    return tri2, nbr2, dead2, free2


@njit(cache=True)
def strictly_inside(X, Y, Z, tri, dead, hw, ox, oy, oz):
    """True when (ox, oy, oz) is strictly below every live facet."""
    for t in range(hw):
        if dead[t]:
            continue
        a = tri[t, 0]
        b = tri[t, 1]
        c = tri[t, 2]
        if _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], ox, oy, oz) <= 0.0:
            return False
    return True


@njit(cache=True)
def _try_center(X, Y, Z, tri, dead, cnt, oc, cx, cy, cz):
    """Set ``oc`` to a float point strictly inside the hull, trying (cx, cy, cz) and
    its neighbours one ulp away; ``cnt[HASC]`` says whether one was found."""
    hw = cnt[HW]
    for k in range(27):
        px = cx
        py = cy
        pz = cz
        sx = k % 3 - 1
        sy = (k // 3) % 3 - 1
        sz = k // 9 - 1
        if sx != 0:
            px = np.nextafter(cx, cx + sx * (abs(cx) + 1.0))
        if sy != 0:
            py = np.nextafter(cy, cy + sy * (abs(cy) + 1.0))
        if sz != 0:
            pz = np.nextafter(cz, cz + sz * (abs(cz) + 1.0))
        if strictly_inside(X, Y, Z, tri, dead, hw, px, py, pz):
            oc[0] = px
            oc[1] = py
            oc[2] = pz
            cnt[HASC] = 1
            return
    cnt[HASC] = 0


@njit(cache=True)
def init_tetra(X, Y, Z, a, b, c, d, tri, nbr, dead, cnt, oc):
    """Facets of the tetrahedron of points a, b, c, d (orient3d(a, b, c, d) != 0)."""
    if _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], X[d], Y[d], Z[d]) < 0.0:
        b, c = c, b
    # with d below abc, these four are counter-clockwise seen from outside
    tri[0, 0], tri[0, 1], tri[0, 2] = a, b, c
    tri[1, 0], tri[1, 1], tri[1, 2] = a, d, b
    tri[2, 0], tri[2, 1], tri[2, 2] = b, d, c
    tri[3, 0], tri[3, 1], tri[3, 2] = c, d, a
    for t in range(4):
        dead[t] = 0
    for t in range(4):
        for k in range(3):
            u = tri[t, (k + 1) % 3]
            v = tri[t, (k + 2) % 3]
            for g in range(4):
                for j in range(3):
                    if tri[g, (j + 1) % 3] == v and tri[g, (j + 2) % 3] == u:
                        nbr[t, k] = g
    cnt[HW] = 4
    cnt[NFREE] = 0
    cnt[CUR] = 0
    cnt[NINS] = 4
    cx = ((X[a] + X[b]) + (X[c] + X[d])) * 0.25
    cy = ((Y[a] + Y[b]) + (Y[c] + Y[d])) * 0.25
    cz = ((Z[a] + Z[b]) + (Z[c] + Z[d])) * 0.25
    _try_center(X, Y, Z, tri, dead, cnt, oc, cx, cy, cz)


# ---------------------------------------------------------------------------
# Location: walk in the central projection from oc
# ---------------------------------------------------------------------------


@njit(cache=True)
def _walk(X, Y, Z, tri, nbr, f, px, py, pz, ox, oy, oz, cap, cnt):
    """Facet whose closed cone from o holds p, starting at f; -1 past ``cap`` steps."""
    prev = -1
    rng = cnt[RNG]
    for _ in range(cap):
        rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
        r = (rng >> 16) % 3
        moved = False
        for kk in range(3):
            k = r + kk
            if k >= 3:
                k -= 3
            g = nbr[f, k]
            if g == prev:
                continue  # p is on this side of the edge we came through
            k1 = k + 1 if k < 2 else 0
            k2 = k1 + 1 if k1 < 2 else 0
            u = tri[f, k1]
            v = tri[f, k2]
            if _o3d(ox, oy, oz, X[u], Y[u], Z[u], X[v], Y[v], Z[v], px, py, pz) > 0.0:
                prev = f
                f = g
                moved = True
                break
        if not moved:
            cnt[RNG] = rng
            return f
        cnt[WSTEPS] += 1
    cnt[RNG] = rng
    return -1


@njit(cache=True)
def _locate_scan(X, Y, Z, tri, dead, hw, px, py, pz, ox, oy, oz):
    """Exhaustive fallback of ``_walk``: the first facet whose closed cone holds p."""
    for t in range(hw):
        if dead[t]:
            continue
        ok = True
        for k in range(3):
            k1 = (k + 1) % 3
            k2 = (k + 2) % 3
            u = tri[t, k1]
            v = tri[t, k2]
            if _o3d(ox, oy, oz, X[u], Y[u], Z[u], X[v], Y[v], Z[v], px, py, pz) > 0.0:
                ok = False
                break
        if ok:
            return t
    return -1


# ---------------------------------------------------------------------------
# Incremental insertion
# ---------------------------------------------------------------------------


@njit(cache=True)
def _unmark(dead, scr, nvis, nh):
    """Clear the marks of an abandoned visibility search (all facets stay live)."""
    for q in range(nvis):
        dead[scr[1, q]] = 0
    for q in range(nh):
        dead[scr[4, q]] = 0


@njit(cache=True)
def _insert_some(X, Y, Z, order, lo, hi, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, scr):
    """Insert points order[lo..hi-1]; returns the position reached, which is < hi
    only when the visible region of that point outgrew the scratch rows ``scr``
    (stack, visible facets, horizon u, v, outer facet, its slot, new facet); the
    hull is then unchanged by that point, so the caller grows ``scr`` and resumes.
    Arrays are never reassigned here, which keeps reference counting out of the loop.
    """
    cap = scr.shape[1]
    for q0 in range(lo, hi):
        if q0 + _AHEAD < hi:
            ahead = order[q0 + _AHEAD]
            _prefetch(X, ahead)
            _prefetch(Z, ahead)
        i = order[q0]
        px = X[i]
        py = Y[i]
        pz = Z[i]
        f = -1
        if cnt[HASC]:
            ox = oc[0]
            oy = oc[1]
            oz = oc[2]
            f = cnt[CUR]
            if dead[f]:
                f = 0
                while dead[f]:
                    f += 1
            # remembering stochastic walk in the central projection from o
            prev = -1
            rng = cnt[RNG]
            steps = 0
            while True:
                rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
                r = (rng >> 16) % 3
                moved = False
                for kk in range(3):
                    k = r + kk
                    if k >= 3:
                        k -= 3
                    g = nbr[f, k]
                    if g == prev:
                        continue  # p is on this side of the edge we came through
                    u = tri[f, 0 if k == 2 else k + 1]
                    v = tri[f, 2 if k == 0 else k - 1]
                    if _o3d(ox, oy, oz, X[u], Y[u], Z[u], X[v], Y[v], Z[v], px, py, pz) > 0.0:
                        prev = f
                        f = g
                        moved = True
                        break
                if not moved:
                    break
                steps += 1
                if steps == _WALK_CAP:
                    cnt[NSCAN] += 1
                    f = _locate_scan(X, Y, Z, tri, dead, cnt[HW], px, py, pz, ox, oy, oz)
                    if f < 0:
                        cnt[ERR] = 1
                        return hi
                    break
            cnt[RNG] = rng
            cnt[WSTEPS] += steps
            cnt[CUR] = f
            a = tri[f, 0]
            b = tri[f, 1]
            c = tri[f, 2]
            s = _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], px, py, pz)
            if s >= 0.0:
                # in the closed cone and not above: inside (s > 0) or on facet f
                if s == 0.0:
                    on_list[cnt[NON]] = i
                    cnt[NON] += 1
                continue
        else:
            # no interior point known (extremely flat start): scan every facet
            for t in range(cnt[HW]):
                if dead[t] == 0:
                    a = tri[t, 0]
                    b = tri[t, 1]
                    c = tri[t, 2]
                    if _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], px, py, pz) < 0:
                        f = t
                        break
            if f < 0:
                on_list[cnt[NON]] = i  # inside or on: maybe a duplicate
                cnt[NON] += 1
                continue

        # visible region: facets p is strictly above, grown from f. Marks (VIS,
        # SEEN) go in ``dead``; every SEEN facet is some horizon edge's outer facet.
        dead[f] = VIS
        nvis = 0
        nh = 0
        sp = 0
        scr[1, nvis] = f
        nvis += 1
        scr[0, sp] = f
        sp += 1
        overflow = False
        while sp > 0:
            sp -= 1
            t = scr[0, sp]
            for k in range(3):
                g = nbr[t, k]
                mk = dead[g]
                if mk == VIS:
                    continue
                if mk != SEEN:
                    a = tri[g, 0]
                    b = tri[g, 1]
                    c = tri[g, 2]
                    s = _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], px, py, pz)
                    if s < 0.0:
                        if nvis == cap or sp == cap:
                            overflow = True
                            break
                        dead[g] = VIS
                        scr[1, nvis] = g
                        nvis += 1
                        scr[0, sp] = g
                        sp += 1
                        continue
                    if s == 0.0:
                        cnt[FLAT] = 1
                # horizon edge u -> v of t, seen from g through slot j
                if nh == cap:
                    overflow = True
                    break
                dead[g] = SEEN
                scr[2, nh] = tri[t, 0 if k == 2 else k + 1]
                scr[3, nh] = tri[t, 2 if k == 0 else k - 1]
                scr[4, nh] = g
                j = 0
                while nbr[g, j] != t:
                    j += 1
                scr[5, nh] = j
                nh += 1
            if overflow:
                break
        if overflow:
            _unmark(dead, scr, nvis, nh)
            return q0
        for q in range(nh):
            dead[scr[4, q]] = 0
        # The free stack's and high-water mark's counters are kept in locals here
        # and stored once. The cone's facet ids are taken written out, not through
        # a helper: each array passed to a helper, even an inlined one, costs an
        # atomic reference count increment and decrement per call (NRT_incref /
        # NRT_decref in this loop in ``_insert_some.inspect_llvm()``).
        nfree = cnt[NFREE]
        for q in range(nvis):
            t = scr[1, q]
            dead[t] = 1
            freestk[nfree] = t
            nfree += 1
        # the cone from p over the horizon (a simple cycle: one edge leaves each
        # vertex); ids from the free stack, else past the high-water mark
        hw = cnt[HW]
        for q in range(nh):
            if nfree > 0:
                nfree -= 1
                t = freestk[nfree]
            else:
                t = hw
                hw += 1
            dead[t] = 0
            scr[6, q] = t
            tri[t, 0] = scr[2, q]
            tri[t, 1] = scr[3, q]
            tri[t, 2] = i
            nbr[t, 2] = scr[4, q]
            nbr[scr[4, q], scr[5, q]] = t
            start_of[scr[2, q]] = t
        cnt[NFREE] = nfree
        cnt[HW] = hw
        for q in range(nh):
            t = scr[6, q]
            t2 = start_of[scr[3, q]]
            nbr[t, 0] = t2
            nbr[t2, 1] = t
        cnt[CUR] = scr[6, 0]
        cnt[NINS] += 1
        cnt[NVIS] += nvis
        cnt[NHOR] += nh
        if cnt[HASC] == 0:
            nins = cnt[NINS]
            if nins & (nins - 1) == 0:
                _recenter(X, Y, Z, tri, dead, cnt, oc)
    return hi


@njit(cache=True, nogil=True)
def insert_range(
    X, Y, Z, order, lo, hi, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, cancel
):
    """Insert points order[lo..hi-1] into the hull held by the state arrays.

    ``cancel`` (uint8, length 1) is read every 16,384 points: when set, the call
    returns with only some points inserted (``geoent._interrupt``: Ctrl-C).
    """
    scr = np.empty((7, 256), dtype=np.int32)
    i = lo
    while i < hi and not cancel[0] and not cnt[ERR]:
        end = min(hi, i + 16384)
        i2 = _insert_some(
            X, Y, Z, order, i, end, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, scr
        )
        if i2 < end:  # the visible region of point i2 outgrew scr: grow it, resume
            scr = np.empty((7, 2 * scr.shape[1]), dtype=np.int32)
        i = i2


@njit(cache=True)
def _recenter(X, Y, Z, tri, dead, cnt, oc):
    """Try the mean of the live facets' vertices as the interior point."""
    sx = 0.0
    sy = 0.0
    sz = 0.0
    m = 0
    for t in range(cnt[HW]):
        if dead[t]:
            continue
        for k in range(3):
            v = tri[t, k]
            sx += X[v]
            sy += Y[v]
            sz += Z[v]
        m += 3
    _try_center(X, Y, Z, tri, dead, cnt, oc, sx / m, sy / m, sz / m)


# ---------------------------------------------------------------------------
# The sample-hull filter
# ---------------------------------------------------------------------------


@njit(cache=True)
def _cell_of(dx, dy, dz, G):
    ax_ = abs(dx)
    ay_ = abs(dy)
    az_ = abs(dz)
    if ax_ >= ay_ and ax_ >= az_:
        face = 0 if dx >= 0.0 else 1
        m = ax_
        u = dy
        v = dz
    elif ay_ >= az_:
        face = 2 if dy >= 0.0 else 3
        m = ay_
        u = dz
        v = dx
    else:
        face = 4 if dz >= 0.0 else 5
        m = az_
        u = dx
        v = dy
    if m == 0.0:
        return 0
    i = int((u / m + 1.0) * 0.5 * G)
    j = int((v / m + 1.0) * 0.5 * G)
    i = min(max(i, 0), G - 1)
    j = min(max(j, 0), G - 1)
    return (face * G + i) * G + j


@njit(cache=True)
def build_cubemap(X, Y, Z, tri, nbr, dead, cnt, oc, G, R):
    """For each cube-map cell, the facet hit by the ray from o through its centre."""
    ox = oc[0]
    oy = oc[1]
    oz = oc[2]
    table = np.empty(6 * G * G, dtype=np.int32)
    f = 0
    while dead[f]:
        f += 1
    # ``_walk`` written out (same steps, same random edge order): a call passing
    # arrays costs atomic reference count updates per cell (NRT_incref/decref)
    rng = cnt[RNG]
    wsteps = 0
    for face in range(6):
        sgn = 1.0 if face % 2 == 0 else -1.0
        for i in range(G):
            for jj in range(G):
                j = jj if i % 2 == 0 else G - 1 - jj  # serpentine: short walks
                u = -1.0 + (i + 0.5) * 2.0 / G
                v = -1.0 + (j + 0.5) * 2.0 / G
                if face < 2:
                    dx, dy, dz = sgn, u, v
                elif face < 4:
                    dx, dy, dz = v, sgn, u
                else:
                    dx, dy, dz = u, v, sgn
                qx = ox + R * dx
                qy = oy + R * dy
                qz = oz + R * dz
                g = f
                prev = -1
                for _ in range(_WALK_CAP):
                    rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
                    r = (rng >> 16) % 3
                    moved = False
                    for kk in range(3):
                        k = r + kk
                        if k >= 3:
                            k -= 3
                        h = nbr[g, k]
                        if h == prev:
                            continue
                        k1 = k + 1 if k < 2 else 0
                        k2 = k1 + 1 if k1 < 2 else 0
                        a = tri[g, k1]
                        b = tri[g, k2]
                        if _o3d(ox, oy, oz, X[a], Y[a], Z[a], X[b], Y[b], Z[b], qx, qy, qz) > 0.0:
                            prev = g
                            g = h
                            moved = True
                            break
                    if not moved:
                        f = g  # found; past the cap (g < 0 in ``_walk``) f stays
                        break
                    wsteps += 1
                table[(face * G + i) * G + j] = f
    cnt[RNG] = rng
    cnt[WSTEPS] += wsteps
    return table


# A plane test from a precomputed normal. For the plane through a, b, c,
# orient3d(a, b, c, p) = (a - p) . N with N = (b - a) x (c - a). With e = fl(b - a),
# f = fl(c - a), the computed normal Nc_x = fl(fl(e_y f_z) - fl(e_z f_y)) and
# M_x = fl(|fl(e_y f_z)| + |fl(e_z f_y)|), w = fl(a - p):
#   |fl(w . Nc) - (a - p) . N| <= 8.4 u sum_i |w_i| M_i   (u = 2**-53),
# (4.1 u M from the normal, u |Nc| from w, 3 u |w||Nc| from the dot product), and
# the computed sum is within 3 u of its value. 16 u leaves a margin; undecided
# tests go to the exact predicate. The exponent window of the API layer keeps
# every product above the underflow threshold.
_PLANE_ERR = 16.0 * 2.0**-53
_PL_W = 27  # row: anchor a (3), facet N (3), M (3), then N (3), M (3) per side


@njit(inline="always", cache=True)
def _normal_into(ax, ay, az, bx, by, bz, cx, cy, cz, row, o):
    ex = bx - ax
    ey = by - ay
    ez = bz - az
    fx = cx - ax
    fy = cy - ay
    fz = cz - az
    p = ey * fz
    q = ez * fy
    row[o] = p - q
    row[o + 3] = abs(p) + abs(q)
    p = ez * fx
    q = ex * fz
    row[o + 1] = p - q
    row[o + 4] = abs(p) + abs(q)
    p = ex * fy
    q = ey * fx
    row[o + 2] = p - q
    row[o + 5] = abs(p) + abs(q)


@njit(cache=True)
def facet_planes(X, Y, Z, tri, dead, hw, oc):
    """Per facet: its plane and its three cone side planes (o, u, v), precomputed."""
    PL = np.zeros((hw, _PL_W))
    ox = oc[0]
    oy = oc[1]
    oz = oc[2]
    for t in range(hw):
        if dead[t]:
            continue
        a = tri[t, 0]
        b = tri[t, 1]
        c = tri[t, 2]
        row = PL[t]
        row[0] = X[a]
        row[1] = Y[a]
        row[2] = Z[a]
        _normal_into(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], row, 3)
        for k in range(3):
            u = tri[t, (k + 1) % 3]
            v = tri[t, (k + 2) % 3]
            _normal_into(ox, oy, oz, X[u], Y[u], Z[u], X[v], Y[v], Z[v], row, 9 + 6 * k)
    return PL


@njit(cache=True)
def _certified_inside(X, Y, Z, tri, nbr, dead, cnt, oc, f, qx, qy, qz):
    """True when q is certified strictly inside: it lies in the closed cone from o
    of a facet (found by an exact walk from f) and strictly below it."""
    g = _walk(X, Y, Z, tri, nbr, f, qx, qy, qz, oc[0], oc[1], oc[2], _WALK_CAP, cnt)
    if g < 0:
        return False
    a = tri[g, 0]
    b = tri[g, 1]
    c = tri[g, 2]
    return _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], qx, qy, qz) > 0.0


@njit(cache=True)
def inner_box(X, Y, Z, tri, nbr, dead, cnt, oc, PL, s):
    """An axis-parallel box around o, shaped like the sample's bounding box, whose
    eight corners are certified strictly inside the hull; then (convexity) every
    point of the closed box is strictly inside, and testing a point against it
    takes six exact comparisons. Returns (xlo, xhi, ylo, yhi, zlo, zhi); an empty
    box (lo > hi) when none was certified.
    """
    ox = oc[0]
    oy = oc[1]
    oz = oc[2]
    wx = 0.0
    wy = 0.0
    wz = 0.0
    for t in range(s):
        wx = max(wx, abs(X[t] - ox))
        wy = max(wy, abs(Y[t] - oy))
        wz = max(wz, abs(Z[t] - oz))
    f = 0
    while dead[f]:
        f += 1
    # largest scale along each corner ray, from the plane of the facet it exits
    lam = np.inf
    for j in range(8):
        dx = wx if j & 1 else -wx
        dy = wy if j & 2 else -wy
        dz = wz if j & 4 else -wz
        g = _walk(X, Y, Z, tri, nbr, f, ox + dx, oy + dy, oz + dz, ox, oy, oz, _WALK_CAP, cnt)
        if g < 0:
            return 1.0, 0.0, 1.0, 0.0, 1.0, 0.0
        f = g
        num = (PL[g, 0] - ox) * PL[g, 3] + (PL[g, 1] - oy) * PL[g, 4] + (PL[g, 2] - oz) * PL[g, 5]
        den = dx * PL[g, 3] + dy * PL[g, 4] + dz * PL[g, 5]
        if den <= 0.0 or num <= 0.0:
            return 1.0, 0.0, 1.0, 0.0, 1.0, 0.0
        lam = min(lam, num / den)
    lam *= 1.0 - 1e-9
    for _ in range(8):
        xlo = ox - lam * wx
        xhi = ox + lam * wx
        ylo = oy - lam * wy
        yhi = oy + lam * wy
        zlo = oz - lam * wz
        zhi = oz + lam * wz
        ok = True
        for j in range(8):
            qx = xhi if j & 1 else xlo
            qy = yhi if j & 2 else ylo
            qz = zhi if j & 4 else zlo
            if not _certified_inside(X, Y, Z, tri, nbr, dead, cnt, oc, f, qx, qy, qz):
                ok = False
                break
        if ok:
            return xlo, xhi, ylo, yhi, zlo, zhi
        lam *= 0.75
    return 1.0, 0.0, 1.0, 0.0, 1.0, 0.0


@njit(cache=True)
def inner_radius2(PL, dead, hw, oc):
    """A lower bound on the squared distance from o to every live facet plane, so
    that a point p with |p - o|^2 below it (rigorously) is strictly inside.

    Distance of o to the plane of facet t: |(a - o) . N| / |N|. The numerator is
    evaluated as in the plane test, whose error bound ``E`` is subtracted; the
    norm is bounded above by |Nc| + 4.2 u |M| (the error of the computed normal),
    and 64 u of slack covers the rounding of these few operations.
    """
    ox = oc[0]
    oy = oc[1]
    oz = oc[2]
    r2 = np.inf
    for t in range(hw):
        if dead[t]:
            continue
        wx = PL[t, 0] - ox
        wy = PL[t, 1] - oy
        wz = PL[t, 2] - oz
        val = abs(wx * PL[t, 3] + wy * PL[t, 4] + wz * PL[t, 5])
        bnd = abs(wx) * PL[t, 6] + abs(wy) * PL[t, 7] + abs(wz) * PL[t, 8]
        num = val - _PLANE_ERR * bnd
        if num <= 0.0:
            return 0.0
        nn = math.sqrt(PL[t, 3] ** 2 + PL[t, 4] ** 2 + PL[t, 5] ** 2)
        mm = math.sqrt(PL[t, 6] ** 2 + PL[t, 7] ** 2 + PL[t, 8] ** 2)
        d = num / (nn + 4.2 * 2.0**-53 * mm)
        r2 = min(r2, d * d)
    return r2 * (1.0 - 64.0 * 2.0**-53)


@njit(cache=True, nogil=True)
def filter_points(P, in_sample, X, Y, Z, tri, nbr, oc, table, G, PL, r2, box, cancel):
    """Global indices of the points not in the sample that are not certified
    strictly inside the sample hull.

    Certificates: p in the closed ``box`` (``inner_box``); |p - o|^2 < r2
    (``inner_radius2``; the computed squared
    distance is within 4 u of the true one, hence the 2**-40 slack), or p in the
    closed cone from o of a facet abc (three side planes <= 0) and strictly below
    abc; either way p is strictly inside. When the first
    ``probe`` points mostly survive (points in convex position), filtering stops
    and the rest are kept as they are. ``cancel`` (uint8, length 1) is read every
    65,536 points: once set, the call returns early (``geoent._interrupt``: Ctrl-C).
    """
    n = P.shape[0]
    ox = oc[0]
    oy = oc[1]
    oz = oc[2]
    keep = np.empty(n, dtype=np.int64)
    m = 0
    seen = 0
    probe = max(20000, n // 32)
    xlo, xhi, ylo, yhi, zlo, zhi = box
    for i in range(n):
        if (i & 65535) == 0 and cancel[0]:
            break
        if in_sample[i]:
            continue
        seen += 1
        if seen == probe and 2 * m > probe:
            for j in range(i, n):
                if in_sample[j] == 0:
                    keep[m] = j
                    m += 1
            break
        px = P[i, 0]
        py = P[i, 1]
        pz = P[i, 2]
        if xlo <= px <= xhi and ylo <= py <= yhi and zlo <= pz <= zhi:
            continue
        wx = ox - px
        wy = oy - py
        wz = oz - pz
        if (wx * wx + wy * wy + wz * wz) * (1.0 + 2.0**-40) < r2:
            continue
        f = table[_cell_of(-wx, -wy, -wz, G)]
        inside = False
        for _ in range(4):
            moved = False
            for k in range(3):
                o = 9 + 6 * k
                val = wx * PL[f, o] + wy * PL[f, o + 1] + wz * PL[f, o + 2]
                bnd = abs(wx) * PL[f, o + 3] + abs(wy) * PL[f, o + 4] + abs(wz) * PL[f, o + 5]
                if not abs(val) > _PLANE_ERR * bnd:
                    u = tri[f, (k + 1) % 3]
                    v = tri[f, (k + 2) % 3]
                    val = _o3d(ox, oy, oz, X[u], Y[u], Z[u], X[v], Y[v], Z[v], px, py, pz)
                if val > 0.0:
                    f = nbr[f, k]
                    moved = True
                    break
            if not moved:
                vx = PL[f, 0] - px
                vy = PL[f, 1] - py
                vz = PL[f, 2] - pz
                val = vx * PL[f, 3] + vy * PL[f, 4] + vz * PL[f, 5]
                bnd = abs(vx) * PL[f, 6] + abs(vy) * PL[f, 7] + abs(vz) * PL[f, 8]
                if not abs(val) > _PLANE_ERR * bnd:
                    a = tri[f, 0]
                    b = tri[f, 1]
                    c = tri[f, 2]
                    val = _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], px, py, pz)
                inside = val > 0.0
                break
        if not inside:
            keep[m] = i
            m += 1
    return keep[:m].copy()


# ---------------------------------------------------------------------------
# Finishing: compact, merge coplanar faces, lowest index among duplicates
# ---------------------------------------------------------------------------


@njit(cache=True)
def compact(tri, nbr, dead, hw):
    newid = np.full(hw, -1, dtype=np.int64)
    m = 0
    for t in range(hw):
        if dead[t] == 0:
            newid[t] = m
            m += 1
    T = np.empty((m, 3), dtype=np.int64)
    N = np.empty((m, 3), dtype=np.int64)
    for t in range(hw):
        if dead[t] == 0:
            r = newid[t]
            for k in range(3):
                T[r, k] = tri[t, k]
                N[r, k] = newid[nbr[t, k]]
    return T, N


@njit(cache=True)
def compact_inplace(tri, nbr, dead, hw, newid):
    """``compact`` without new arrays: the live facets move to the first m rows
    of ``tri`` and ``nbr`` (int32, in place), neighbours renumbered; returns m.
    ``newid`` (at least hw int32 entries, e.g. the spent free stack) is scratch.
    A live facet only moves down (its new id is at most its old one), and rows
    are visited upwards, so no row is overwritten before it is read."""
    m = 0
    for t in range(hw):
        if dead[t] == 0:
            newid[t] = m
            m += 1
    for t in range(hw):
        if dead[t] == 0:
            r = newid[t]
            for k in range(3):
                tri[r, k] = tri[t, k]
                nbr[r, k] = newid[nbr[t, k]]
    return m


@njit(cache=True)
def _neighbors_from_edges(T, L):
    """Neighbour of each edge by matching directed edges (u, v) with (v, u) in a
    hash table; -1 where a reverse edge is missing (an internal error)."""
    m = T.shape[0]
    size = 1
    while size < 6 * m:
        size *= 2
    mask = size - 1
    key = np.empty(size, dtype=np.int64)
    val = np.empty(size, dtype=np.int64)
    for h in range(size):
        key[h] = -1
    for t in range(m):
        for k in range(3):
            u = T[t, (k + 1) % 3]
            v = T[t, (k + 2) % 3]
            kk = u * L + v
            h = ((kk * 2654435761) ^ (kk >> 16)) & mask
            while key[h] >= 0:
                h = (h + 1) & mask
            key[h] = kk
            val[h] = t
    N = np.empty((m, 3), dtype=np.int64)
    for t in range(m):
        for k in range(3):
            u = T[t, (k + 1) % 3]
            v = T[t, (k + 2) % 3]
            kk = v * L + u
            h = ((kk * 2654435761) ^ (kk >> 16)) & mask
            N[t, k] = -1
            while key[h] >= 0:
                if key[h] == kk:
                    N[t, k] = val[h]
                    break
                h = (h + 1) & mask
    return N


@njit(cache=True)
def merge_coplanar(X, Y, Z, T, N, L):
    """Retriangulate every face made of several coplanar triangles as a fan over
    its corners, so that no vertex lies in the relative interior of a face or an
    edge. Returns (T, N, ok)."""
    m = T.shape[0]
    flat = np.zeros((m, 3), dtype=np.uint8)
    for t in range(m):
        for k in range(3):
            g = N[t, k]
            if g < t:
                continue
            j = 0
            while N[g, j] != t:
                j += 1
            w = T[g, j]
            a = T[t, 0]
            b = T[t, 1]
            c = T[t, 2]
            if _o3d(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c], X[w], Y[w], Z[w]) == 0.0:
                flat[t, k] = 1
                flat[g, j] = 1
    face = np.full(m, -1, dtype=np.int64)
    stk = np.empty(m, dtype=np.int64)
    nface = 0
    for t0 in range(m):
        if face[t0] >= 0:
            continue
        face[t0] = nface
        sp = 0
        stk[sp] = t0
        sp += 1
        while sp > 0:
            sp -= 1
            t = stk[sp]
            for k in range(3):
                if flat[t, k]:
                    g = N[t, k]
                    if face[g] < 0:
                        face[g] = nface
                        stk[sp] = g
                        sp += 1
        nface += 1
    # triangles grouped by face
    start = np.zeros(nface + 1, dtype=np.int64)
    for t in range(m):
        start[face[t] + 1] += 1
    for f in range(nface):
        start[f + 1] += start[f]
    members = np.empty(m, dtype=np.int64)
    fill = start[:nface].copy()
    for t in range(m):
        members[fill[face[t]]] = t
        fill[face[t]] += 1
    out = np.empty((m, 3), dtype=np.int64)
    nout = 0
    nxt = np.full(L, -1, dtype=np.int64)
    cyc = np.empty(3 * m + 2, dtype=np.int64)
    corner = np.empty(3 * m + 2, dtype=np.int64)
    ok = True
    for f in range(nface):
        s0 = start[f]
        s1 = start[f + 1]
        if s1 - s0 == 1:
            t = members[s0]
            out[nout, 0] = T[t, 0]
            out[nout, 1] = T[t, 1]
            out[nout, 2] = T[t, 2]
            nout += 1
            continue
        first = -1
        nb = 0
        for q in range(s0, s1):
            t = members[q]
            for k in range(3):
                if flat[t, k] == 0:
                    u = T[t, (k + 1) % 3]
                    nxt[u] = T[t, (k + 2) % 3]
                    first = u
                    nb += 1
        # the boundary of a convex face: one cycle, counter-clockwise from outside
        nc = 0
        u = first
        while True:
            cyc[nc] = u
            nc += 1
            u = nxt[u]
            if u == first or u < 0 or nc > nb:
                break
        if u != first or nc != nb:
            ok = False
        for q in range(nc):
            nxt[cyc[q]] = -1
        k = 0
        for q in range(nc):
            a = cyc[q - 1] if q > 0 else cyc[nc - 1]
            b = cyc[q]
            c = cyc[q + 1] if q + 1 < nc else cyc[0]
            if not _collinear3(X[a], Y[a], Z[a], X[b], Y[b], Z[b], X[c], Y[c], Z[c]):
                corner[k] = b
                k += 1
        if k < 3:
            ok = False
            continue
        for q in range(1, k - 1):
            out[nout, 0] = corner[0]
            out[nout, 1] = corner[q]
            out[nout, 2] = corner[q + 1]
            nout += 1
    T2 = out[:nout].copy()
    N2 = _neighbors_from_edges(T2, L)
    for t in range(nout):
        for k in range(3):
            if N2[t, k] < 0:
                ok = False
    return T2, N2, ok


@njit(inline="always", cache=True)
def _coord_hash(x, y, z, mask):
    """Equal points hash equally (also 0.0 and -0.0)."""
    h = x * 0.7548776662466927 + y * 0.5698402909980532 + z * 0.3141592653589793
    mant, ex = math.frexp(h)
    k = np.int64(mant * 1073741824.0) * 2654435761 + ex * 40503
    return (k ^ (k >> 17)) & mask


@njit(cache=True)
def relabel(tri, dead, hw, ids, on_list, non):
    """Rename vertex ids v to ``ids[v]`` in the live facets and in ``on_list``."""
    for t in range(hw):
        if dead[t] == 0:
            for k in range(3):
                tri[t, k] = ids[tri[t, k]]
    for q in range(non):
        on_list[q] = ids[on_list[q]]


@njit(cache=True)
def corners(tri, dead, hw, n):
    """The vertices of the live facets, ascending and distinct (the hull's
    corners when no coplanar facets had to be merged). A byte per point when
    the facets hold a good part of the points, else a sort of their corners, so
    that a small hull of many points costs no pass over all of them."""
    m = 0
    for t in range(hw):
        if dead[t] == 0:
            m += 1
    if 3 * m > n // 8:
        mark = np.zeros(n, dtype=np.uint8)
        for t in range(hw):
            if dead[t] == 0:
                for k in range(3):
                    mark[tri[t, k]] = 1
        nv = 0
        for v in range(n):
            nv += mark[v]
        out = np.empty(nv, dtype=np.int64)
        r = 0
        for v in range(n):
            if mark[v]:
                out[r] = v
                r += 1
        return out
    ids = np.empty(3 * m, dtype=np.int64)
    r = 0
    for t in range(hw):
        if dead[t] == 0:
            for k in range(3):
                ids[r] = tri[t, k]
                r += 1
    ids.sort()
    nv = 0
    for q in range(ids.shape[0]):
        if q == 0 or ids[q] != ids[q - 1]:
            ids[nv] = ids[q]
            nv += 1
    return ids[:nv].copy()


@njit(cache=True)
def lowest_duplicates(X, Y, Z, verts, on_list, non):
    """Give each vertex (``verts``, ascending) the lowest index among its exact
    duplicates, which can only be points found on the hull surface
    (``on_list``). Returns the new vertex list (ascending) and the renames as
    (old, new) arrays, old ascending. Extra memory: a hash table of the
    vertices, only when non > 0."""
    if non == 0:
        return verts, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    nv = verts.shape[0]
    size = 1
    while size < 2 * nv:
        size *= 2
    mask = size - 1
    table = np.full(size, -1, dtype=np.int64)
    best = np.empty(size, dtype=np.int64)
    for q in range(nv):
        v = verts[q]
        h = _coord_hash(X[v], Y[v], Z[v], mask)
        while table[h] >= 0:
            h = (h + 1) & mask
        table[h] = v
        best[h] = v
    for q in range(non):
        i = on_list[q]
        h = _coord_hash(X[i], Y[i], Z[i], mask)
        while table[h] >= 0:
            v = table[h]
            if X[v] == X[i] and Y[v] == Y[i] and Z[v] == Z[i]:
                if i < best[h]:
                    best[h] = i
                break
            h = (h + 1) & mask
    nr = 0
    for h in range(size):
        if table[h] >= 0 and best[h] != table[h]:
            nr += 1
    old = np.empty(nr, dtype=np.int64)
    new = np.empty(nr, dtype=np.int64)
    r = 0
    for h in range(size):
        if table[h] >= 0 and best[h] != table[h]:
            old[r] = table[h]
            new[r] = best[h]
            r += 1
    srt = np.argsort(old)
    old = old[srt]
    new = new[srt]
    if nr == 0:
        return verts, old, new
    out = verts.copy()
    for q in range(nv):
        j = np.searchsorted(old, out[q])
        if j < nr and old[j] == out[q]:
            out[q] = new[j]
    out.sort()
    return out, old, new


@njit(cache=True)
def rename(T, old, new):
    """T[t, k] = new[j] where T[t, k] == old[j] (old ascending), in place."""
    if old.shape[0] == 0:
        return
    for t in range(T.shape[0]):
        for k in range(3):
            v = T[t, k]
            j = np.searchsorted(old, v)
            if j < old.shape[0] and old[j] == v:
                T[t, k] = new[j]


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


@njit(cache=True)
def choose_sample(n, sample_size, seed):
    """Mask of about ``sample_size`` pseudo-random distinct indices (all when
    sample_size >= n) and those indices, ascending."""
    in_sample = np.zeros(n, dtype=np.uint8)
    if sample_size >= n:
        in_sample[:] = 1
    else:
        rng = seed & 0x7FFFFFFF
        for _ in range(sample_size):
            rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
            hi_ = rng
            rng = (rng * 1103515245 + 12345) & 0x7FFFFFFF
            in_sample[((hi_ << 31) | rng) % n] = 1
    s = 0
    for i in range(n):
        s += in_sample[i]
    idx = np.empty(s, dtype=np.int64)
    r = 0
    for i in range(n):
        if in_sample[i]:
            idx[r] = i
            r += 1
    return in_sample, idx
