"""Exact 2D Delaunay triangulation by incremental insertion (numba kernels).

Data structure (as in mapbox/delaunator): triangles are slots ``t`` of three
halfedges ``3t, 3t + 1, 3t + 2`` in counter-clockwise order; ``tri[e]`` is the
vertex halfedge ``e`` starts at (it ends at ``tri[next(e)]``) and ``opp[e]`` is the
twin halfedge in the neighbouring triangle. Unlike delaunator there is no hull
bookkeeping: every hull edge carries a *ghost* triangle whose third vertex is the
vertex at infinity ``INF = n``, so every halfedge has a twin, points outside the
current hull are inserted like points inside, and the hull is the link of ``INF``.
The triangulation of ``n`` distinct points always has ``2n - 2`` slots.

Insertion of a point ``p`` (Lawson's algorithm):

1. *Locate*: a stochastic visibility walk from the last triangle made (with a
   spatial insertion order that is a step or two) crosses an edge only when ``p``
   lies strictly on its far side (exact ``orient2d < 0``). It stops in a finite
   triangle whose closure holds ``p``, or on entering a ghost triangle, which
   happens only when ``p`` is strictly outside that hull edge.
2. *Split*: an exact copy of a vertex is not inserted (reported as a duplicate);
   ``p`` on an edge (one exact zero orientation) splits the two triangles of that
   edge into four; otherwise the triangle (possibly a ghost) is split into three.
3. *Legalise*: every edge opposite ``p`` is flipped when the triangle beyond it is
   in conflict with ``p`` and the flipped edges are examined in turn. A finite
   triangle is in conflict when ``incircle > 0`` *strictly*; a ghost triangle on
   hull edge ``u -> v`` when ``p`` lies strictly outside it (``orient2d > 0`` on
   ``v, u, p``), which is how a point outside the hull connects to every hull edge
   it sees. Hull edges never flip. Flipping only on strict conflicts leaves
   cocircular ties as they were made, so the result depends only on the points
   and the insertion order: the same input always gives the same triangles.

Every decision is an exact predicate from ``predicates.py``; nothing here uses a
tolerance. The caller scales coordinates into the exact window first.
"""

import numpy as np
from numba import njit

from .predicates import incircle, orient2d

# status codes of ``triangulate``
OK = 0
NO_EXTENT = 1  # fewer than three non-collinear distinct points
CANCELLED = 2  # cancel[0] was set (the caller was interrupted): the result is partial


@njit(cache=True)
def _orient(ax, ay, bx, by, cx, cy):
    """orient2d behind a call, for cold paths: keeps compile time down by
    inlining the predicate only where it is hot."""
    return orient2d(ax, ay, bx, by, cx, cy)


@njit(cache=True, inline="always")
def _m3(e):
    """``e % 3`` for ``e >= 0``, in unsigned arithmetic (no sign fix-ups)."""
    return np.int64(np.uint64(e) % np.uint64(3))


@njit(cache=True, inline="always")
def _nxt(e):
    return e - 2 if e % 3 == 2 else e + 1


@njit(cache=True, inline="always")
def _prv(e):
    return e + 2 if e % 3 == 0 else e - 1


@njit(cache=True, inline="always")
def _link(opp, a, b):
    opp[a] = b
    opp[b] = a


@njit(cache=True, inline="always")
def _set_tri(tri, t, a, b, c):
    tri[3 * t] = a
    tri[3 * t + 1] = b
    tri[3 * t + 2] = c


@njit(cache=True, inline="always")
def _ghost(a, b, c, inf):
    """Whether a triangle with vertices ``a, b, c`` has the vertex at infinity.

    Scalars, not ``(tri, t)``: numba reference-counts an array handed to a helper
    (an atomic increment and decrement on every call, inlined helpers included),
    which made a scan over the slots 16x slower."""
    return (a == inf) | (b == inf) | (c == inf)


@njit(cache=True, inline="always")
def _cell(px, py, x0, y0, sc, side):
    cx = min(np.int64((px - x0) * sc), side - 1)
    cy = min(np.int64((py - y0) * sc), side - 1)
    return cx, cy


@njit(cache=True, nogil=True)
def _insert_range(x, y, tri, opp, dup, nt, inf, lo, hi, skip, start, levels, cancel):
    """Insert points ``lo .. hi - 1`` (all but ``skip``) into the triangulation in
    ``tri, opp`` (``nt`` slots, ghost vertex ``inf``): the one insertion loop of
    :func:`triangulate` and :func:`insert_points`.

    Each point: a stochastic visibility walk from ``start`` (or, with ``levels >
    0``, from the start grid of :func:`triangulate`, built over points
    ``0 .. hi - 1``), a split into three (four on an edge), Lawson flips. Exact
    copies of a vertex are recorded in ``dup`` and left out. ``cancel`` is read
    every 16,384 points. Returns ``(nt, start, cancelled)``: the slots used, a
    finite triangle near the last point inserted, and whether ``cancel`` stopped
    the loop (the triangulation then holds only some of the points).
    """
    # A legalisation never holds more edges than the new point's final degree
    # plus its initial star, so hi + 8 bounds the stack.
    stack = np.empty(hi + 8, np.int64)
    rng = np.uint32(2463534242)
    # multi-level start grid (only when ``levels > 0``)
    side = np.int64(1) << levels
    ncell = ((side * side * 4) - 1) // 3 if levels > 0 else 0
    cells = np.full(ncell, -1, np.int64)
    x0 = np.inf
    y0 = np.inf
    sc = 0.0
    cx = np.int64(0)
    cy = np.int64(0)
    if levels > 0:
        x1 = -np.inf
        y1 = -np.inf
        for i in range(hi):
            x0 = min(x0, x[i])
            x1 = max(x1, x[i])
            y0 = min(y0, y[i])
            y1 = max(y1, y[i])
        ext = max(x1 - x0, y1 - y0)
        sc = side / ext
    for i in range(lo, hi):
        if (i & 16383) == 0 and cancel[0]:
            return nt, start, True
        if i == skip:
            continue
        px = x[i]
        py = y[i]
        if levels > 0:
            cx, cy = _cell(px, py, x0, y0, sc, side)
            off = ncell
            for lv in range(levels, -1, -1):
                off -= np.int64(1) << (2 * lv)
                sh = levels - lv
                c = cells[off + ((cy >> sh) << lv) + (cx >> sh)]
                if c >= 0:
                    start = c
                    break
        e0 = 3 * start  # first halfedge of the current triangle
        came = -1
        rc = 0
        ghost = False
        while True:
            rng ^= rng << np.uint32(13)
            rng ^= rng >> np.uint32(17)
            rng ^= rng << np.uint32(5)
            r = np.int64(rng % np.uint32(3))
            moved = False
            onedge = -1
            e = e0 + r
            for _ in range(3):
                en = e0 if e == e0 + 2 else e + 1
                if e != came:
                    va = tri[e]
                    vb = tri[en]
                    o = orient2d(x[va], y[va], x[vb], y[vb], px, py)
                    if o < 0.0:
                        came = opp[e]
                        rc = _m3(came)
                        e0 = came - rc
                        moved = True
                        break
                    if o == 0.0:
                        onedge = e
                e = en
            if not moved:
                break
            # the triangle was entered across a finite edge: it is a ghost
            # exactly when its third vertex is the vertex at infinity
            if tri[came + 2 if rc == 0 else came - 1] == inf:
                ghost = True
                break
        t = e0 // 3
        if not ghost:
            e0 = 3 * t
            v0 = tri[e0]
            v1 = tri[e0 + 1]
            v2 = tri[e0 + 2]
            if px == x[v0] and py == y[v0]:
                dup[i] = v0
                start = t
                continue
            if px == x[v1] and py == y[v1]:
                dup[i] = v1
                start = t
                continue
            if px == x[v2] and py == y[v2]:
                dup[i] = v2
                start = t
                continue
            # ``onedge``: the edge of t whose exact orientation with p the last
            # step of the walk found zero (p strictly beyond the edge it came
            # in by, so that one is no zero); not a vertex, so at most one
        else:
            onedge = -1
        # The split and the flips are written out here, not called: numba
        # reference-counts arrays handed to a helper (an atomic increment and
        # decrement each, inlined helpers included), which cost about a tenth of
        # the loop.
        if onedge >= 0:
            # split the two triangles of halfedge ``onedge`` (p on the open edge)
            # into four
            e = onedge
            f = opp[e]
            s = f // 3
            en = _nxt(e)
            ep = _prv(e)
            fn = _nxt(f)
            fp = _prv(f)
            va = tri[e]
            vb = tri[en]
            vc = tri[ep]
            vd = tri[fp]
            o_en = opp[en]
            o_ep = opp[ep]
            o_fn = opp[fn]
            o_fp = opp[fp]
            t2 = nt
            t4 = nt + 1
            et = 3 * t
            et2 = 3 * t2
            es = 3 * s
            et4 = 3 * t4
            tri[et] = vb
            tri[et + 1] = vc
            tri[et + 2] = i
            tri[et2] = vc
            tri[et2 + 1] = va
            tri[et2 + 2] = i
            tri[es] = va
            tri[es + 1] = vd
            tri[es + 2] = i
            tri[et4] = vd
            tri[et4 + 1] = vb
            tri[et4 + 2] = i
            opp[et] = o_en
            opp[o_en] = et
            opp[et2] = o_ep
            opp[o_ep] = et2
            opp[es] = o_fn
            opp[o_fn] = es
            opp[et4] = o_fp
            opp[o_fp] = et4
            opp[et + 1] = et2 + 2
            opp[et2 + 2] = et + 1
            opp[et2 + 1] = es + 2
            opp[es + 2] = et2 + 1
            opp[es + 1] = et4 + 2
            opp[et4 + 2] = es + 1
            opp[et4 + 1] = et + 2
            opp[et + 2] = et4 + 1
            stack[0] = et
            stack[1] = et2
            stack[2] = es
            stack[3] = et4
            sp = 4
        else:
            # split triangle ``t`` (finite or ghost) into three; halfedge 3t
            # keeps its twin
            e0 = 3 * t
            v0 = tri[e0]
            v1 = tri[e0 + 1]
            v2 = tri[e0 + 2]
            o1 = opp[e0 + 1]
            o2 = opp[e0 + 2]
            e1 = 3 * nt
            e2 = e1 + 3
            tri[e0 + 2] = i
            tri[e1] = v1
            tri[e1 + 1] = v2
            tri[e1 + 2] = i
            tri[e2] = v2
            tri[e2 + 1] = v0
            tri[e2 + 2] = i
            opp[e1] = o1
            opp[o1] = e1
            opp[e2] = o2
            opp[o2] = e2
            opp[e0 + 1] = e1 + 2
            opp[e1 + 2] = e0 + 1
            opp[e1 + 1] = e2 + 2
            opp[e2 + 2] = e1 + 1
            opp[e2 + 1] = e0 + 2
            opp[e0 + 2] = e2 + 1
            stack[0] = e0
            stack[1] = e1
            stack[2] = e2
            sp = 3
        nt += 2
        # Lawson flips from the halfedges on the stack (each opposite point i)
        while sp > 0:
            sp -= 1
            a = stack[sp]
            b = opp[a]
            # halfedge arithmetic from one remainder each (unsigned: no sign fix-ups)
            ra = _m3(a)
            rb = _m3(b)
            ar = a + 2 if ra == 0 else a - 1
            al = a - 2 if ra == 2 else a + 1
            bl = b + 2 if rb == 0 else b - 1
            pr = tri[a]
            pl = tri[al]
            p1 = tri[bl]
            if p1 == inf:
                continue  # hull edge: the point is inside, never in conflict
            if pl == inf:
                # beyond is the ghost of hull edge p1 -> pr
                flip = _orient(x[pr], y[pr], x[p1], y[p1], px, py) > 0.0
            elif pr == inf:
                # beyond is the ghost of hull edge pl -> p1
                flip = _orient(x[p1], y[p1], x[pl], y[pl], px, py) > 0.0
            else:
                flip = incircle(x[pl], y[pl], x[pr], y[pr], x[p1], y[p1], px, py) > 0.0
            if flip:
                br = b - 2 if rb == 2 else b + 1
                hbl = opp[bl]
                har = opp[ar]
                tri[a] = p1
                tri[b] = i  # the new point, tri[ar]
                opp[a] = hbl
                opp[hbl] = a
                opp[b] = har
                opp[har] = b
                opp[ar] = bl
                opp[bl] = ar
                stack[sp] = a
                stack[sp + 1] = br
                sp += 2
        # next walk start: t, or the finite triangle across its hull edge
        e0 = 3 * t
        if tri[e0] == inf:
            start = opp[e0 + 1] // 3
        elif tri[e0 + 1] == inf:
            start = opp[e0 + 2] // 3
        elif tri[e0 + 2] == inf:
            start = opp[e0] // 3
        else:
            start = t
        if levels > 0:
            off = 0
            for lv in range(levels + 1):
                sh = levels - lv
                cells[off + ((cy >> sh) << lv) + (cx >> sh)] = start
                off += np.int64(1) << (2 * lv)
    return nt, start, False


@njit(cache=True, nogil=True)
def triangulate(x, y, tri, opp, dup, levels, cancel):
    """Delaunay triangulation of the points ``(x[i], y[i])`` inserted in index order.

    Parameters
    ----------
    x, y : float64 arrays of length n
        Coordinates, already in insertion order and inside the exact window.
    tri, opp : int32 or int64 arrays of length ``3 * (2n)``
        Filled with the triangle slots (finite and ghost); vertex ``n`` is INF.
    dup : int64 array of length n, all -1 on entry
        On return ``dup[i]`` is the vertex that point ``i`` is an exact copy of,
        or -1 for a vertex of the triangulation.
    levels : int
        0: every walk starts from the triangle last made (right for spatial
        insertion orders). ``L > 0``: walks start from a multi-level grid of
        quadtree cells (``4**l`` cells at level ``l <= L``, each remembering a
        triangle made by the last point inserted in it), from the finest cell
        already visited; this keeps walks short for orders without locality
        (the input order of shuffled data) at a cost of ``L`` writes per point.
    cancel : uint8 array of length 1
        Read every 16384 insertions (a few tens of ms); nonzero stops the kernel,
        which then returns ``CANCELLED`` with a partial triangulation.

    Returns
    -------
    (nt, status)
        Number of slots used and ``OK`` or ``NO_EXTENT`` (collinear or single-point
        input: nothing is built, ``dup`` still marks the copies of point 0 found).
    """
    n = x.shape[0]
    inf = n
    if n < 3:
        return 0, NO_EXTENT
    i1 = -1
    for i in range(1, n):
        if x[i] != x[0] or y[i] != y[0]:
            i1 = i
            break
        dup[i] = 0
    if i1 < 0:
        return 0, NO_EXTENT
    i2 = -1
    o = 0.0
    for i in range(i1 + 1, n):
        o = _orient(x[0], y[0], x[i1], y[i1], x[i], y[i])
        if o != 0.0:
            i2 = i
            break
    if i2 < 0:
        return 0, NO_EXTENT
    a = 0
    b = i1
    c = i2
    if o < 0.0:
        b = i2
        c = i1
    # one finite triangle and the ghosts of its three edges
    _set_tri(tri, 0, a, b, c)
    _set_tri(tri, 1, b, a, inf)
    _set_tri(tri, 2, c, b, inf)
    _set_tri(tri, 3, a, c, inf)
    _link(opp, 0, 3)
    _link(opp, 1, 6)
    _link(opp, 2, 9)
    _link(opp, 4, 11)
    _link(opp, 5, 7)
    _link(opp, 8, 10)
    nt = 4
    # points 1 .. i1 - 1 are copies of point 0 (marked above); i1 and i2 are in
    nt, _, cancelled = _insert_range(x, y, tri, opp, dup, nt, inf, i1 + 1, n, i2, 0, levels, cancel)
    return nt, CANCELLED if cancelled else OK


@njit(cache=True, nogil=True)
def vertex_labels(perm, dup):
    """Original index of each inserted vertex: ``perm[v]``, lowered to the smallest
    original index among the exact copies of ``v`` (``dup[i] == v``)."""
    label = perm.copy()
    for i in range(dup.shape[0]):
        v = dup[i]
        if v >= 0 and perm[i] < label[v]:
            label[v] = perm[i]
    return label


@njit(cache=True, nogil=True)
def count_finite(tri, nt, inf, cancel):
    """Number of finite (non-ghost) triangles among the first ``nt`` slots.

    This and the other extraction kernels read ``cancel[0]`` (Ctrl-C,
    ``geoent._interrupt``) every 65,536 slots and stop once it is set: their
    output is then unfinished and the caller's ``checkpoint()`` drops it."""
    m = 0
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            break
        if not _ghost(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2], inf):
            m += 1
    return m


@njit(cache=True, nogil=True)
def extract_simplices(tri, nt, inf, label, simp, cancel):
    """Write the finite triangles, vertex ids mapped through ``label``, into
    ``simp`` (shape (count_finite(...), 3), any integer dtype), in slot order.

    No per-slot renumbering array: without neighbours the rank of a finite slot
    is just a running count, which keeps ``delaunay``'s peak memory at the
    output plus the kernel state.
    """
    k = 0
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return
        if _ghost(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2], inf):
            continue
        for j in range(3):
            simp[k, j] = label[tri[3 * t + j]]
        k += 1


@njit(cache=True, nogil=True)
def extract_into(tri, opp, nt, inf, label, simp, nb, vtri, newid, cancel):
    """Finite triangles with neighbours, written into caller-made arrays.

    ``simp`` and ``nb`` have shape (count_finite(...), 3) and any integer dtype
    (scipy's ``intc`` for ``Delaunay``, so no converted copies are made);
    ``vtri`` (length ``inf``, all -1) receives one finite triangle incident to
    each vertex, indexed by *unmapped* vertex id; ``newid`` (length ``nt``, an
    integer dtype that holds ``nt``) is scratch for the slot-to-rank map.
    ``nb[k, j]`` is the triangle opposite vertex j, -1 across a hull edge.
    """
    m = 0
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return
        if _ghost(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2], inf):
            newid[t] = -1
        else:
            newid[t] = m
            m += 1
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return
        k = newid[t]
        if k < 0:
            continue
        for j in range(3):
            v = tri[3 * t + j]
            simp[k, j] = label[v]
            vtri[v] = k
            nb[k, j] = newid[opp[3 * t + (j + 1) % 3] // 3]


@njit(cache=True, nogil=True)
def extract(tri, opp, nt, inf, label, want_neighbors, cancel):
    """Finite triangles (m, 3) int64 with vertex ids mapped through ``label``.

    With ``want_neighbors`` also returns the neighbours (m, 3) (neighbour j
    opposite vertex j, -1 across a hull edge) and ``vtri``, one finite triangle
    incident to each vertex (-1 for vertices not in the triangulation), indexed by
    *unmapped* vertex id; otherwise both are empty.
    """
    m = count_finite(tri, nt, inf, cancel)
    simp = np.empty((m, 3), np.int64)
    if not want_neighbors:
        extract_simplices(tri, nt, inf, label, simp, cancel)
        return simp, np.empty((0, 3), np.int64), np.empty(0, np.int64)
    nb = np.empty((m, 3), np.int64)
    vtri = np.full(inf, -1, np.int64)
    if not cancel[0]:  # count_finite's m is short after a cancel: nothing more to do
        extract_into(tri, opp, nt, inf, label, simp, nb, vtri, np.empty(nt, np.int64), cancel)
    return simp, nb, vtri


@njit(cache=True, nogil=True)
def hull_cycle(tri, opp, nt, inf, label, cancel):
    """Hull edges (h, 2) in counter-clockwise order, interior on the left, every
    hull vertex (collinear ones included) an endpoint, ids mapped by ``label``
    (empty once ``cancel[0]`` is set: the scan for ghosts reads it)."""
    g = -1
    h = 0
    for b in range(0, nt, 65536):  # one flag read per block: cheaper than per slot
        if cancel[0]:
            return np.empty((0, 2), np.int64)
        for t in range(b, min(nt, b + 65536)):
            if _ghost(tri[3 * t], tri[3 * t + 1], tri[3 * t + 2], inf):
                h += 1
                if g < 0:
                    g = t
    out = np.empty((h, 2), np.int64)
    for k in range(h):
        # rotate the ghost to (u, v, INF): its finite halfedge u -> v is the hull
        # edge v -> u seen from inside
        j = 0
        while tri[3 * g + j] == inf or tri[3 * g + (j + 1) % 3] == inf:
            j += 1
        u = tri[3 * g + j]
        v = tri[3 * g + (j + 1) % 3]
        out[k, 0] = label[v]
        out[k, 1] = label[u]
        # the next hull edge starts at u: cross the ghost edge INF -> u
        g = opp[3 * g + (j + 2) % 3] // 3
    return out


@njit(cache=True, nogil=True)
def locate(qx, qy, order, x, y, simp, nb, out, cancel):
    """Exact point location: ``out[i]`` is a triangle whose closure holds query
    ``i``, or -1 when it lies outside the hull.

    Queries are visited in ``order`` (a spatial sort keeps walks short); each walk
    starts where the previous one ended and crosses an edge only when the query is
    strictly beyond it, so leaving through a hull edge proves the query is outside.
    Reads ``cancel[0]`` (Ctrl-C) every 16,384 queries and stops once it is set
    (``out`` is then unfinished).
    """
    m = simp.shape[0]
    t = 0
    rng = np.uint32(2463534242)
    for q in range(order.shape[0]):
        if (q & 16383) == 0 and cancel[0]:
            return
        i = order[q]
        px = qx[i]
        py = qy[i]
        came = -1
        res = -1
        steps = 0
        while True:
            steps += 1
            rng ^= rng << np.uint32(13)
            rng ^= rng >> np.uint32(17)
            rng ^= rng << np.uint32(5)
            r = np.int64(rng % np.uint32(3))
            nxt = -2
            for k in range(3):
                j = (r + k) % 3
                nbr = nb[t, j]
                if nbr == came and nbr >= 0:
                    continue
                va = simp[t, (j + 1) % 3]
                vb = simp[t, (j + 2) % 3]
                if orient2d(x[va], y[va], x[vb], y[vb], px, py) < 0.0:
                    nxt = nbr
                    break
            if nxt == -2:
                res = t
                break
            if nxt == -1:
                res = -1
                break
            came = t
            t = nxt
            if steps > 4 * m + 16:
                # cannot happen on a valid triangulation; fall back to a scan
                res = -1
                for s in range(m):
                    inside = True
                    for j in range(3):
                        va = simp[s, (j + 1) % 3]
                        vb = simp[s, (j + 2) % 3]
                        if _orient(x[va], y[va], x[vb], y[vb], px, py) < 0.0:
                            inside = False
                            break
                    if inside:
                        res = s
                        break
                break
        out[i] = res


# ---------------------------------------------------------------------------
# Validation helpers (used by geoent.testing; independent of the code above)
# ---------------------------------------------------------------------------


@njit(cache=True)
def hull_boundary(x, y, lex):
    """Every point on the convex hull boundary, counter-clockwise from the first.

    ``lex`` lists distinct points sorted by (x, y). Andrew's monotone chain that
    pops only on strict clockwise turns (exact ``orient2d < 0``), so points lying
    on a hull edge are kept. Needs input with 2D extent.
    """
    m = lex.shape[0]
    out = np.empty(2 * m + 1, np.int64)
    k = 0
    for q in range(m):
        i = lex[q]
        while k >= 2:
            a = out[k - 2]
            b = out[k - 1]
            if _orient(x[a], y[a], x[b], y[b], x[i], y[i]) < 0.0:
                k -= 1
            else:
                break
        out[k] = i
        k += 1
    lower = k
    for q in range(m - 2, -1, -1):
        i = lex[q]
        while k >= lower + 1:
            a = out[k - 2]
            b = out[k - 1]
            if _orient(x[a], y[a], x[b], y[b], x[i], y[i]) < 0.0:
                k -= 1
            else:
                break
        out[k] = i
        k += 1
    return out[: k - 1].copy()


# ---------------------------------------------------------------------------
# Incremental insertion into an existing triangulation (scipy's add_points)
# ---------------------------------------------------------------------------


@njit(cache=True)
def relabel_ghost(tri, nt, old_inf, new_inf):
    """Rename the vertex at infinity from ``old_inf`` to ``new_inf`` (one pass)."""
    for e in range(3 * nt):
        if tri[e] == old_inf:
            tri[e] = new_inf


@njit(cache=True, nogil=True)
def insert_points(x, y, tri, opp, dup, nt, inf, lo, hi, start, cancel):
    """Insert points ``lo .. hi - 1`` into the triangulation held in ``tri, opp``.

    The triangulation (``nt`` slots, ghost vertex ``inf``) was made by
    :func:`triangulate` (or by earlier calls of this function) from points
    ``0 .. lo - 1`` of ``x, y``; it is updated in place, exactly as
    ``triangulate`` would insert further points: a visibility walk from triangle
    ``start``, a split into three (or four on an edge), Lawson flips on strict
    in-circle conflicts. ``inf`` must be at least ``hi`` (callers use a capacity
    so that it need not change as points are added) and ``tri, opp`` must hold
    ``3 * (nt + 2 * (hi - lo))`` entries. Exact copies of existing vertices are
    recorded in ``dup`` and left out, as in ``triangulate``.

    Returns ``(nt, start)``: the slots now used and a finite triangle near the
    last point inserted (the walk start for the next call). ``cancel`` (uint8,
    length 1) is read every 16,384 points: when set, the call returns at once and
    the state holds only some of the points (``geoent._interrupt``: Ctrl-C; the
    caller discards it).
    """
    nt, start, _ = _insert_range(x, y, tri, opp, dup, nt, inf, lo, hi, -1, start, 0, cancel)
    return nt, start
