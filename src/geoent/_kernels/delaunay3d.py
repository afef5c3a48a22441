"""Exact 3D Delaunay tetrahedralisation by incremental insertion (numba kernels).

Data structure. Tetrahedra are slots ``t`` of four vertices ``tv[4t:4t+4]`` and
four neighbour links ``tn[4t+j]``, the *halfface* ``4u + k`` across the face
opposite vertex ``j`` (the neighbour ``u`` and the position ``k`` of the vertex
of ``u`` opposite that face). Every tetrahedron is positively oriented:
``orient3d(v0, v1, v2, v3) > 0`` (Shewchuk's convention: ``v3`` lies below the
plane of ``v0, v1, v2``, which turn counter-clockwise seen from above). The face
opposite vertex ``j`` is ``FACE[j]``, ordered so that ``(FACE[j], j)`` is an even
permutation: a point ``p`` lies strictly beyond that face when
``orient3d(FACE[j] vertices, p) < 0``.

Every hull facet carries a *ghost* tetrahedron whose fourth vertex is the vertex
at infinity ``INF = n``, oriented as if ``INF`` were a point beyond the facet, so
every face has a twin, points outside the current hull are inserted like points
inside, and the hull is the link of ``INF``. Dead slots (replaced tetrahedra not
yet reused) have ``tv[4t] == -1``.

Insertion of a point ``p`` (Bowyer-Watson):

1. *Locate*: a stochastic visibility walk from the last tetrahedron made crosses
   a face only when ``p`` lies strictly beyond it (exact ``orient3d < 0``). It
   stops in a finite tetrahedron whose closure holds ``p`` or on entering a ghost,
   which happens only when ``p`` is strictly outside that hull facet.
2. *Duplicates*: a point equal to a vertex of the tetrahedron found is an exact
   copy and is not inserted (reported in ``dup``).
3. *Cavity*: the tetrahedra in conflict with ``p``, found by a depth-first search
   from the one located: a finite tetrahedron when ``insphere > 0`` *strictly*;
   a ghost when ``p`` lies strictly beyond its hull facet (``orient3d``), or on
   the facet's plane and strictly inside the circle of the facet (decided, exactly,
   as ``insphere > 0`` on the finite tetrahedron across the facet, whose sphere
   meets that plane in that circle). With strict tests on a Delaunay
   tetrahedralisation the cavity is connected and star-shaped from ``p``: for a
   face between a cavity tetrahedron ``T`` and a non-conflicting ``U`` the
   difference of the power functions of their spheres is linear, zero on the
   face's plane, negative at ``p`` and positive at ``T``'s far vertex (the two
   spheres differ, else ``insphere`` would agree), so ``p`` lies strictly on
   ``T``'s side and every new tetrahedron is positive.
4. *Star*: each boundary face of the cavity is joined to ``p``; the new
   tetrahedra take the slots of the old ones, and are linked to each other through
   a small table keyed by the edge they share.

Ties: where five or more points are cospherical the tetrahedralisation is not
unique; only strict conflicts enlarge a cavity, so ties stay as the insertion
order made them: the same points in the same order always give the same
tetrahedra, and every interior facet passes ``insphere <= 0``.

Every decision is an exact predicate from ``predicates.py``; nothing here uses a
tolerance. The caller scales coordinates into the exact window first
(``check_exponent_range(points, 5)``).
"""

import numpy as np
from numba import njit

from .predicates import insphere, orient2d, orient3d

OK = 0
NO_EXTENT = 1  # fewer than four non-coplanar distinct points

# FACE[j]: the face opposite vertex j, so that (FACE[j], j) is an even permutation
FACE = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]], dtype=np.int64)


@njit(cache=True)
def _o3(x, y, z, a, b, c, d):
    """orient3d of four vertex ids, behind a call (cold paths)."""
    return orient3d(x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], x[d], y[d], z[d])


@njit(cache=True)
def _collinear(x, y, z, a, b, c):
    """Exactly collinear: every coordinate-plane projection has orient2d == 0."""
    return (
        orient2d(x[a], y[a], x[b], y[b], x[c], y[c]) == 0.0
        and orient2d(y[a], z[a], y[b], z[b], y[c], z[c]) == 0.0
        and orient2d(z[a], x[a], z[b], x[b], z[c], x[c]) == 0.0
    )


@njit(cache=True, inline="always")
def _insphere_ids(x, y, z, a, b, c, d, px, py, pz):
    return insphere(
        x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], x[d], y[d], z[d], px, py, pz
    )


@njit(cache=True)
def _insphere_cold(x, y, z, a, b, c, d, px, py, pz):
    return insphere(
        x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], x[d], y[d], z[d], px, py, pz
    )


@njit(cache=True)
def _ghost_conflict(x, y, z, tv, tn, t, k, px, py, pz):
    """Is ghost ``t`` (``INF`` at position ``k``) in conflict with ``p``?"""
    a = tv[4 * t + FACE[k, 0]]
    b = tv[4 * t + FACE[k, 1]]
    c = tv[4 * t + FACE[k, 2]]
    o = orient3d(x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], px, py, pz)
    if o > 0.0:
        return True
    if o < 0.0:
        return False
    # p on the facet's plane: inside the facet's circle <=> inside the sphere of
    # the finite tetrahedron across the facet
    u = tn[4 * t + k] >> 2
    return (
        _insphere_cold(x, y, z, tv[4 * u], tv[4 * u + 1], tv[4 * u + 2], tv[4 * u + 3], px, py, pz)
        > 0.0
    )


@njit(cache=True)
def _grow(a, cap, fill):
    b = np.full(cap, fill, a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _init(x, y, z, tv, tn, a, b, c, d, inf):
    """One positive tetrahedron (a, b, c, d) and the ghosts of its four faces."""
    tv[0] = a
    tv[1] = b
    tv[2] = c
    tv[3] = d
    for j in range(4):
        g = j + 1
        fa = tv[FACE[j, 0]]
        fb = tv[FACE[j, 1]]
        fc = tv[FACE[j, 2]]
        # reversed facet: INF lies on the far side of it from the finite vertex
        tv[4 * g] = fb
        tv[4 * g + 1] = fa
        tv[4 * g + 2] = fc
        tv[4 * g + 3] = inf
    # link faces by brute force over the five tetrahedra (sorted vertex triples)
    for t in range(5):
        for j in range(4):
            f0 = tv[4 * t + FACE[j, 0]]
            f1 = tv[4 * t + FACE[j, 1]]
            f2 = tv[4 * t + FACE[j, 2]]
            for u in range(5):
                if u == t:
                    continue
                for k in range(4):
                    g0 = tv[4 * u + FACE[k, 0]]
                    g1 = tv[4 * u + FACE[k, 1]]
                    g2 = tv[4 * u + FACE[k, 2]]
                    same = (
                        (f0 == g0 or f0 == g1 or f0 == g2)
                        and (f1 == g0 or f1 == g1 or f1 == g2)
                        and (f2 == g0 or f2 == g1 or f2 == g2)
                    )
                    if same:
                        tn[4 * t + j] = 4 * u + k
    return 5


@njit(cache=True)
def tetrahedralize(x, y, z, tv, tn, dup):
    """Delaunay tetrahedralisation of the points ``(x[i], y[i], z[i])`` inserted in
    index order.

    Parameters
    ----------
    x, y, z : float64 arrays of length n
        Coordinates in insertion order, inside the exact window.
    tv, tn : int32 or int64 arrays (initial capacity, a multiple of 4, >= 20)
        Working storage; grown (reallocated) when full.
    dup : int64 array of length n, all -1 on entry
        On return ``dup[i]`` is the vertex that point ``i`` is an exact copy of.

    Returns
    -------
    (tv, tn, nt, status)
        The (possibly reallocated) arrays, the number of slots used (dead slots
        have ``tv[4t] == -1``) and ``OK`` or ``NO_EXTENT``.
    """
    n = x.shape[0]
    inf = n
    if n < 4:
        return tv, tn, 0, NO_EXTENT
    i1 = -1
    for i in range(1, n):
        if x[i] != x[0] or y[i] != y[0] or z[i] != z[0]:
            i1 = i
            break
        dup[i] = 0
    if i1 < 0:
        return tv, tn, 0, NO_EXTENT
    i2 = -1
    for i in range(i1 + 1, n):
        if not _collinear(x, y, z, 0, i1, i):
            i2 = i
            break
    if i2 < 0:
        return tv, tn, 0, NO_EXTENT
    i3 = -1
    o = 0.0
    for i in range(i2 + 1, n):
        o = _o3(x, y, z, 0, i1, i2, i)
        if o != 0.0:
            i3 = i
            break
    if i3 < 0:
        return tv, tn, 0, NO_EXTENT
    if o > 0.0:
        nt = _init(x, y, z, tv, tn, 0, i1, i2, i3, inf)
    else:
        nt = _init(x, y, z, tv, tn, i1, 0, i2, i3, inf)
    cap = tv.shape[0] // 4
    mark = np.zeros(cap, np.int64)
    # cavity work space (grown on demand)
    ccap = 256
    cav = np.empty(ccap, np.int64)  # cavity tetrahedra
    bnd = np.empty(ccap, np.int64)  # outside halfface of each boundary face
    bvt = np.empty(4 * ccap, np.int64)  # new tetrahedron's vertices
    stack = np.empty(ccap, np.int64)
    free = np.empty(ccap, np.int64)
    # edge table: per-vertex lists of (other vertex, halfface)
    ehead = np.full(n + 1, -1, np.int64)
    eoth = np.empty(3 * ccap, np.int64)
    ehf = np.empty(3 * ccap, np.int64)
    enext = np.empty(3 * ccap, np.int64)
    nfree = 0
    start = 0
    rng = np.uint32(2463534242)
    for i in range(1, n):
        if i == i1 or i == i2 or i == i3 or dup[i] >= 0:
            continue
        px = x[i]
        py = y[i]
        pz = z[i]
        # 1. locate
        t = start
        came = -1
        ghost = False
        while True:
            rng ^= rng << np.uint32(13)
            rng ^= rng >> np.uint32(17)
            rng ^= rng << np.uint32(5)
            r = np.int64(rng & np.uint32(3))
            moved = False
            for kk in range(4):
                j = (r + kk) & 3
                if j == came:
                    continue
                a = tv[4 * t + FACE[j, 0]]
                b = tv[4 * t + FACE[j, 1]]
                c = tv[4 * t + FACE[j, 2]]
                if orient3d(x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], px, py, pz) < 0.0:
                    h = tn[4 * t + j]
                    t = h >> 2
                    came = h & 3
                    moved = True
                    break
            if not moved:
                break
            if (
                tv[4 * t] == inf
                or tv[4 * t + 1] == inf
                or tv[4 * t + 2] == inf
                or tv[4 * t + 3] == inf
            ):
                ghost = True
                break
        # 2. duplicates
        if not ghost:
            isdup = False
            for k in range(4):
                v = tv[4 * t + k]
                if x[v] == px and y[v] == py and z[v] == pz:
                    dup[i] = v
                    isdup = True
                    break
            if isdup:
                start = t
                continue
        # 3. cavity
        stamp_in = 2 * i + 1
        stamp_out = 2 * i + 2
        mark[t] = stamp_in
        sp = 1
        stack[0] = t
        nc = 0
        nb = 0
        while sp > 0:
            sp -= 1
            s = stack[sp]
            if nc == cav.shape[0]:
                cav = _grow(cav, 2 * nc, 0)
            cav[nc] = s
            nc += 1
            for j in range(4):
                h = tn[4 * s + j]
                u = h >> 2
                mu = mark[u]
                if mu == stamp_in:
                    continue
                conflict = False
                if mu != stamp_out:
                    k = -1
                    for q in range(4):
                        if tv[4 * u + q] == inf:
                            k = q
                    if k < 0:
                        conflict = (
                            _insphere_ids(
                                x, y, z, tv[4 * u], tv[4 * u + 1], tv[4 * u + 2], tv[4 * u + 3],
                                px, py, pz,
                            )
                            > 0.0
                        )  # fmt: skip
                    else:
                        conflict = _ghost_conflict(x, y, z, tv, tn, u, k, px, py, pz)
                if conflict:
                    mark[u] = stamp_in
                    if sp == stack.shape[0]:
                        stack = _grow(stack, 2 * sp, 0)
                    stack[sp] = u
                    sp += 1
                else:
                    mark[u] = stamp_out
                    if nb == bnd.shape[0]:
                        bnd = _grow(bnd, 2 * nb, 0)
                        bvt = _grow(bvt, 8 * nb, 0)
                    bnd[nb] = h
                    for q in range(4):
                        bvt[4 * nb + q] = tv[4 * s + q]
                    bvt[4 * nb + j] = i
                    nb += 1
        # 4. star: free the cavity, make one tetrahedron per boundary face
        if nfree + nc > free.shape[0]:
            free = _grow(free, 2 * (nfree + nc), 0)
        for q in range(nc):
            s = cav[q]
            tv[4 * s] = -1
            free[nfree] = s
            nfree += 1
        if 3 * nb > eoth.shape[0]:
            eoth = _grow(eoth, 6 * nb, 0)
            ehf = _grow(ehf, 6 * nb, 0)
            enext = _grow(enext, 6 * nb, 0)
        ne = 0
        last = -1
        for q in range(nb):
            if nfree > 0:
                nfree -= 1
                s = free[nfree]
            else:
                if nt == cap:
                    cap = 2 * cap
                    tv = _grow(tv, 4 * cap, -1)
                    tn = _grow(tn, 4 * cap, -1)
                    mark = _grow(mark, cap, 0)
                s = nt
                nt += 1
            mark[s] = 0
            jp = -1
            fin = True
            for k in range(4):
                v = bvt[4 * q + k]
                tv[4 * s + k] = v
                if v == i:
                    jp = k
                if v == inf:
                    fin = False
            h = bnd[q]
            tn[4 * s + jp] = h
            tn[h] = 4 * s + jp
            if fin:
                last = s
            # faces k != jp hold p and the edge of the two remaining positions
            for k in range(4):
                if k == jp:
                    continue
                e0 = -1
                e1 = -1
                for m in range(4):
                    if m != k and m != jp:
                        if e0 < 0:
                            e0 = tv[4 * s + m]
                        else:
                            e1 = tv[4 * s + m]
                lo = min(e0, e1)
                hi = max(e0, e1)
                prev = -1
                cur = ehead[lo]
                while cur >= 0 and eoth[cur] != hi:
                    prev = cur
                    cur = enext[cur]
                if cur >= 0:
                    g = ehf[cur]
                    tn[4 * s + k] = g
                    tn[g] = 4 * s + k
                    # unlink: each edge is shared by exactly two new faces
                    if prev < 0:
                        ehead[lo] = enext[cur]
                    else:
                        enext[prev] = enext[cur]
                else:
                    eoth[ne] = hi
                    ehf[ne] = 4 * s + k
                    enext[ne] = ehead[lo]
                    ehead[lo] = ne
                    ne += 1
        if last >= 0:
            start = last
    # release the slots left free at the end
    return tv, tn, nt, OK


@njit(cache=True)
def gather3(pts, perm):
    """``pts[perm]`` as three coordinate arrays, with the largest and smallest
    nonzero ``|coordinate|`` (0.0 and inf when all are zero)."""
    n = perm.shape[0]
    xs = np.empty(n)
    ys = np.empty(n)
    zs = np.empty(n)
    amax = 0.0
    amin = np.inf
    for k in range(n):
        i = perm[k]
        for ax in range(3):
            v = pts[i, ax]
            if ax == 0:
                xs[k] = v
            elif ax == 1:
                ys[k] = v
            else:
                zs[k] = v
            av = abs(v)
            amax = max(amax, av)
            if av > 0.0:
                amin = min(amin, av)
    return xs, ys, zs, amax, amin


@njit(cache=True)
def vertex_labels(perm, dup):
    """Original index of each inserted vertex, lowered to the smallest original
    index among its exact copies."""
    label = perm.copy()
    for i in range(dup.shape[0]):
        v = dup[i]
        if v >= 0 and perm[i] < label[v]:
            label[v] = perm[i]
    return label


@njit(cache=True)
def extract(tv, tn, nt, inf, label, full):
    """Finite tetrahedra (m, 4) int64 (ids mapped through ``label``).

    With ``full`` also: neighbours (m, 4) (-1 across hull facets), hull facets
    (h, 3) counter-clockwise seen from outside, and ``vtet``, one tetrahedron per
    *unmapped* vertex id (-1 for vertices not inserted).
    """
    newid = np.full(nt, -1, np.int64)
    m = 0
    h = 0
    for t in range(nt):
        if tv[4 * t] < 0:
            continue
        if tv[4 * t] == inf or tv[4 * t + 1] == inf or tv[4 * t + 2] == inf or tv[4 * t + 3] == inf:
            h += 1
            continue
        newid[t] = m
        m += 1
    simp = np.empty((m, 4), np.int64)
    nb = np.empty((m if full else 0, 4), np.int64)
    hull = np.empty((h if full else 0, 3), np.int64)
    vtet = np.full(inf if full else 0, -1, np.int64)
    hk = 0
    for t in range(nt):
        if tv[4 * t] < 0:
            continue
        k = newid[t]
        if k < 0:
            if full:
                for q in range(4):
                    if tv[4 * t + q] == inf:
                        # the ghost's facet turns counter-clockwise seen from inside
                        hull[hk, 0] = label[tv[4 * t + FACE[q, 1]]]
                        hull[hk, 1] = label[tv[4 * t + FACE[q, 0]]]
                        hull[hk, 2] = label[tv[4 * t + FACE[q, 2]]]
                        hk += 1
            continue
        for j in range(4):
            v = tv[4 * t + j]
            simp[k, j] = label[v]
            if full:
                vtet[v] = k
                nb[k, j] = newid[tn[4 * t + j] >> 2]
    return simp, nb, hull, vtet


@njit(cache=True)
def locate(qx, qy, qz, order, x, y, z, simp, nb, out):
    """Exact point location: ``out[i]`` is a tetrahedron whose closure holds query
    ``i``, or -1 outside the hull. A visibility walk from where the previous query
    ended, crossing a face only when the query is strictly beyond it; leaving
    through a hull facet proves the query is outside."""
    m = simp.shape[0]
    t = 0
    rng = np.uint32(2463534242)
    for q in range(order.shape[0]):
        i = order[q]
        px = qx[i]
        py = qy[i]
        pz = qz[i]
        came = -1
        steps = 0
        res = -1
        while True:
            steps += 1
            rng ^= rng << np.uint32(13)
            rng ^= rng >> np.uint32(17)
            rng ^= rng << np.uint32(5)
            r = np.int64(rng & np.uint32(3))
            nxt = -2
            for kk in range(4):
                j = (r + kk) & 3
                nbr = nb[t, j]
                if nbr == came and nbr >= 0:
                    continue
                a = simp[t, FACE[j, 0]]
                b = simp[t, FACE[j, 1]]
                c = simp[t, FACE[j, 2]]
                if orient3d(x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], px, py, pz) < 0.0:
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
                # cannot happen on a valid tetrahedralisation; scan instead
                res = -1
                for s in range(m):
                    inside = True
                    for j in range(4):
                        a = simp[s, FACE[j, 0]]
                        b = simp[s, FACE[j, 1]]
                        c = simp[s, FACE[j, 2]]
                        o = orient3d(
                            x[a], y[a], z[a], x[b], y[b], z[b], x[c], y[c], z[c], px, py, pz
                        )
                        if o < 0.0:
                            inside = False
                            break
                    if inside:
                        res = s
                        break
                break
        out[i] = res
