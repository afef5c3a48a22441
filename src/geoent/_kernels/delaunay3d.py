"""Exact 3D Delaunay tetrahedralisation by incremental insertion (numba kernels).

Data structure. Tetrahedra are slots ``t`` of eight integers in one array: four
vertices ``T[8t:8t+4]`` and four neighbour links ``T[8t+4+j]`` (one cache line a
tetrahedron with int32), the *halfface* ``4u + k`` across the face
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
yet reused) have ``T[8t] == -1``. Coordinates are one (n, 3) array, so the
four vertices of a tetrahedron cost four cache lines, not twelve.

Insertion of a point ``p`` (Bowyer-Watson):

1. *Locate*: a stochastic visibility walk from the last tetrahedron made crosses
   a face only when ``p`` lies strictly beyond it (exact ``orient3d < 0``). It
   stops in a finite tetrahedron whose closure holds ``p`` or on entering a ghost,
   which happens only when ``p`` is strictly outside that hull facet.
2. *Duplicates*: a point equal to a vertex of the tetrahedron found is an exact
   copy and is not inserted (reported in ``dup``).
3. *Cavity*: the tetrahedra in conflict with ``p``, found by a breadth-first search
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
   tetrahedra take the slots of the old ones, with ``p`` at position 0 (the
   boundary face opposite it), and are linked to each other through the edge
   they share: the boundary's vertices get small local numbers and a 32 x 32
   table indexed by directed edge pairs the faces (HXT's layout, Marot et al.
   2019), without hashing or data-dependent branches; a cavity with more than
   58 boundary faces uses a hash table keyed by the edge instead.

The insertion loop (``_insert_range``) never reassigns an array: in numba an
array variable rebound inside a loop costs atomic reference-count updates on every
iteration (measured: more time than all the predicates). When slots, the cavity
work space or the free list run short it undoes its cavity marks and returns;
``insert_all`` grows that array and resumes at the same point. ``insert_all`` is
the one insertion driver: ``tetrahedralize`` calls it for a whole point set, and
``delaunay3d_insert.insert_points`` (``add_points``) for new points appended to
an existing state (whose vertex at infinity is then a parameter, not ``n``).

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
CANCELLED = 2  # cancel[0] was set (the caller was interrupted): the result is partial

# FACE[j]: the face opposite vertex j, so that (FACE[j], j) is an even permutation
FACE = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]], dtype=np.int64)
# EDGE[j, e]: the e-th directed edge (FACE[j, e], FACE[j, e + 1]) of that face and
# the position opposite it in the face (a table: no modulo in the hot loop)
EDGE = np.array(
    [
        [[FACE[j, e], FACE[j, (e + 1) % 3], FACE[j, (e + 2) % 3]] for e in range(3)]
        for j in range(4)
    ],
    dtype=np.int64,
)


@njit(inline="always", cache=True)
def _u(i):
    """An index known to be >= 0, as unsigned: numba drops the wraparound of
    negative indices (a shift, an and and an add on the load's dependency chain)."""
    return np.uint64(i)


@njit(cache=True)
def _o3(P, a, b, c, d):
    """orient3d of four vertex ids, behind a call (cold paths)."""
    return orient3d(
        P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
        P[c, 0], P[c, 1], P[c, 2], P[d, 0], P[d, 1], P[d, 2],
    )  # fmt: skip


@njit(cache=True)
def _o3q(P, a, b, c, px, py, pz):
    return orient3d(
        P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
        P[c, 0], P[c, 1], P[c, 2], px, py, pz,
    )  # fmt: skip


@njit(cache=True)
def _collinear(P, a, b, c):
    """Exactly collinear: every coordinate-plane projection has orient2d == 0."""
    for u in range(3):
        v = (u + 1) % 3
        if orient2d(P[a, u], P[a, v], P[b, u], P[b, v], P[c, u], P[c, v]) != 0.0:
            return False
    return True


@njit(cache=True)
def _insphere_cold(P, T, u, px, py, pz):
    a = T[8 * u]
    b = T[8 * u + 1]
    c = T[8 * u + 2]
    d = T[8 * u + 3]
    if d < 0:
        d = ~d  # u is in the current cavity (flagged)
    return insphere(
        P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
        P[c, 0], P[c, 1], P[c, 2], P[d, 0], P[d, 1], P[d, 2], px, py, pz,
    )  # fmt: skip


@njit(cache=True)
def _ghost_conflict(P, T, t, k, px, py, pz):
    """Is ghost ``t`` (``INF`` at position ``k``) in conflict with ``p``?"""
    a = T[8 * t + FACE[k, 0]]
    b = T[8 * t + FACE[k, 1]]
    c = T[8 * t + FACE[k, 2]]
    o = orient3d(
        P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
        P[c, 0], P[c, 1], P[c, 2], px, py, pz,
    )  # fmt: skip
    if o > 0.0:
        return True
    if o < 0.0:
        return False
    # p on the facet's plane: inside the facet's circle <=> inside the sphere of
    # the finite tetrahedron across the facet (that sphere meets the plane in it)
    return _insphere_cold(P, T, T[8 * t + 4 + k] >> 2, px, py, pz) > 0.0


@njit(cache=True)
def _grow(a, cap, fill):
    b = np.full(cap, fill, a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _init(T, a, b, c, d, inf):
    """One positive tetrahedron (a, b, c, d) and the ghosts of its four faces."""
    T[0] = a
    T[1] = b
    T[2] = c
    T[3] = d
    for j in range(4):
        g = j + 1
        fa = T[FACE[j, 0]]
        fb = T[FACE[j, 1]]
        fc = T[FACE[j, 2]]
        # reversed facet: INF lies on the far side of it from the finite vertex
        T[8 * g] = fb
        T[8 * g + 1] = fa
        T[8 * g + 2] = fc
        T[8 * g + 3] = inf
    # link faces by brute force over the five tetrahedra
    for t in range(5):
        for j in range(4):
            f0 = T[8 * t + FACE[j, 0]]
            f1 = T[8 * t + FACE[j, 1]]
            f2 = T[8 * t + FACE[j, 2]]
            for u in range(5):
                if u == t:
                    continue
                for k in range(4):
                    g0 = T[8 * u + FACE[k, 0]]
                    g1 = T[8 * u + FACE[k, 1]]
                    g2 = T[8 * u + FACE[k, 2]]
                    same = (
                        (f0 == g0 or f0 == g1 or f0 == g2)
                        and (f1 == g0 or f1 == g1 or f1 == g2)
                        and (f2 == g0 or f2 == g1 or f2 == g2)
                    )
                    if same:
                        T[8 * t + 4 + j] = 4 * u + k
    return 5


_DONE = 0
_GROW_T = 1  # more tetrahedron slots needed
_GROW_W = 2  # a larger cavity work space needed
_GROW_F = 3  # a longer free list needed
_CANCEL = 4  # cancel[0] was set (Ctrl-C)


@njit(cache=True)
def _unflag(T, lst, k):
    for q in range(k):
        s = lst[q]
        T[8 * s + 3] = ~T[8 * s + 3]


@njit(cache=True)
def _insert_range(
    P, T, dup, i0, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel
):
    """Insert points ``i0, i0 + 1, ..., iend - 1`` (see :func:`tetrahedralize`),
    skipping ``i1, i2, i3`` (the first tetrahedron's vertices; -1 for none) and
    points already marked in ``dup``; ``inf`` is the id of the vertex at infinity.

    ``state`` holds (slots used, free-list length, walk start, generator state);
    ``free`` the free list (dead slots, reused last-in first-out); ``work`` rows are the cavity
    (the search's queue), the outside halfface of each boundary face (then its new
    slot) and, for the search, each queued tetrahedron's face toward its parent
    (then the local vertex numbers of the new tetrahedra); ``bvt`` the new
    tetrahedra's vertices (``p`` first); ``H`` the edge hash table of large
    cavities (stamp, key, halfface per slot); ``vid`` (one byte a vertex id) the
    local numbers of the boundary's vertices and ``emap`` the 32 x 32 table of
    directed boundary edges, both overwritten before each use. Returns ``(_DONE, n)``, or
    ``(_GROW_T | _GROW_W | _GROW_F, i)`` with point ``i`` not inserted and nothing changed,
    or ``(_CANCEL, i)`` when ``cancel[0]`` was set (read every 16,384 points).
    """
    cap = T.shape[0] // 8
    w = work.shape[1]
    hcap = H.shape[0] // 3
    cav = work[0]
    bnd = work[1]
    lid = work[2]
    back = work[2]  # during the cavity search (lid is written after it)
    Pf = P.reshape(3 * P.shape[0])  # P is (n, 3), C-contiguous: a flat view
    nt = state[0]
    nfree = state[1]
    start = state[2]
    rng = np.uint32(state[3])
    for i in range(i0, iend):
        if (i & 16383) == 0 and cancel[0]:
            state[0] = nt
            state[1] = nfree
            state[2] = start
            state[3] = np.int64(rng)
            return _CANCEL, i
        if i == i1 or i == i2 or i == i3 or dup[i] >= 0:
            continue
        px = P[i, 0]
        py = P[i, 1]
        pz = P[i, 2]
        # Indices on the pointer-chasing paths below go through _u (unsigned):
        # numba then drops its negative-index wraparound (three dependent
        # instructions an access), and coordinates are read from the flat view
        # Pf (3 * v by one lea, not a multiply by a run-time row length).
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
            t8 = 8 * t
            for kk in range(4):
                j = (r + kk) & 3
                if j == came:
                    continue
                a = 3 * np.int64(T[_u(t8 + FACE[j, 0])])
                b = 3 * np.int64(T[_u(t8 + FACE[j, 1])])
                c = 3 * np.int64(T[_u(t8 + FACE[j, 2])])
                o = orient3d(
                    Pf[_u(a)], Pf[_u(a + 1)], Pf[_u(a + 2)],
                    Pf[_u(b)], Pf[_u(b + 1)], Pf[_u(b + 2)],
                    Pf[_u(c)], Pf[_u(c + 1)], Pf[_u(c + 2)], px, py, pz,
                )  # fmt: skip
                if o < 0.0:
                    h = np.int64(T[_u(t8 + 4 + j)])
                    t = h >> 2
                    came = h & 3
                    moved = True
                    break
            if not moved:
                break
            t8 = 8 * t
            if (
                T[_u(t8)] == inf
                or T[_u(t8 + 1)] == inf
                or T[_u(t8 + 2)] == inf
                or T[_u(t8 + 3)] == inf
            ):
                ghost = True
                break
        # 2. duplicates
        if not ghost:
            isdup = False
            for k in range(4):
                v = np.int64(T[_u(8 * t + k)])
                v3 = 3 * v
                if Pf[_u(v3)] == px and Pf[_u(v3 + 1)] == py and Pf[_u(v3 + 2)] == pz:
                    dup[i] = v
                    isdup = True
                    break
            if isdup:
                start = t
                continue
        # 3. cavity. The tetrahedron located is in conflict (a point in the
        # closure of a tetrahedron and not one of its vertices is strictly inside
        # its sphere). A cavity member is flagged in place, its last vertex stored
        # complemented (negative), so no mark array is read; a tetrahedron found
        # not in conflict is not remembered, so one that borders the cavity on two
        # faces is tested twice (the same exact answer; rare).
        #
        # Breadth-first: cav is the queue, every flagged tetrahedron in it; the
        # next one to visit is cav[q], whose address does not wait for the last
        # test's outcome (a stack's top does: sp += conflict), so its loads and
        # tests overlap the ones before.
        T[_u(8 * t + 3)] = ~T[_u(8 * t + 3)]
        cav[0] = t
        back[0] = -1  # the face of each queued tetrahedron toward its parent
        nc = 1
        q = 0
        nb = 0
        short = False
        while q < nc:
            s = cav[_u(q)]
            pf = back[_u(q)]
            q += 1
            s8 = 8 * s
            s0 = T[_u(s8)]
            s1 = T[_u(s8 + 1)]
            s2 = T[_u(s8 + 2)]
            s3 = ~T[_u(s8 + 3)]  # flagged
            # touch the four neighbours first: their loads, the main latency
            # here, then overlap instead of waiting behind each test
            f0 = T[_u(8 * (np.int64(T[_u(s8 + 4)]) >> 2) + 3)]
            f1 = T[_u(8 * (np.int64(T[_u(s8 + 5)]) >> 2) + 3)]
            f2 = T[_u(8 * (np.int64(T[_u(s8 + 6)]) >> 2) + 3)]
            f3 = T[_u(8 * (np.int64(T[_u(s8 + 7)]) >> 2) + 3)]
            if f0 + f1 + f2 + f3 > 4 * inf:
                continue  # never (each is at most inf): keeps the loads
            # the face toward the parent (in the cavity) comes last and is not
            # visited: a fixed trip count, where testing it would cost a
            # mispredicted "already in the cavity" branch a tetrahedron
            nj = 3
            if pf < 0:
                pf = 3
                nj = 4
            for kk in range(nj):
                j = (pf + 1 + kk) & 3
                h = np.int64(T[_u(s8 + 4 + j)])
                u = h >> 2
                u8 = 8 * u
                a = np.int64(T[_u(u8)])
                b = np.int64(T[_u(u8 + 1)])
                c = np.int64(T[_u(u8 + 2)])
                d = np.int64(T[_u(u8 + 3)])
                if d < 0:
                    continue  # already in the cavity
                if a == inf:
                    conflict = _ghost_conflict(P, T, u, 0, px, py, pz)
                elif b == inf:
                    conflict = _ghost_conflict(P, T, u, 1, px, py, pz)
                elif c == inf:
                    conflict = _ghost_conflict(P, T, u, 2, px, py, pz)
                elif d == inf:
                    conflict = _ghost_conflict(P, T, u, 3, px, py, pz)
                else:
                    a3 = 3 * a
                    b3 = 3 * b
                    c3 = 3 * c
                    d3 = 3 * d
                    conflict = (
                        insphere(
                            Pf[_u(a3)], Pf[_u(a3 + 1)], Pf[_u(a3 + 2)],
                            Pf[_u(b3)], Pf[_u(b3 + 1)], Pf[_u(b3 + 2)],
                            Pf[_u(c3)], Pf[_u(c3 + 1)], Pf[_u(c3 + 2)],
                            Pf[_u(d3)], Pf[_u(d3 + 1)], Pf[_u(d3 + 2)],
                            px, py, pz,
                        )
                        > 0.0
                    )  # fmt: skip
                # Branch-free: the outcome of the test is a coin toss for the
                # branch predictor (about 20 conflicts in 46 tests a point), so
                # both records are written and only the counts advance: the
                # neighbour is queued and flagged (its last vertex complemented)
                # on a conflict, else its face is kept as a boundary face.
                c = np.int64(conflict)
                if nc == w or nb == w:
                    short = True
                    break
                T[_u(u8 + 3)] = d ^ -c
                cav[_u(nc)] = u
                back[_u(nc)] = h & 3
                nc += c
                # the new tetrahedron: s with vertex j replaced by p, then
                # positions permuted by k -> k ^ j (even: orientation kept),
                # which puts p at position 0 and this face opposite it
                bnd[_u(nb)] = h
                nb4 = 4 * nb
                bvt[_u(nb4 + j)] = s0
                bvt[_u(nb4 + (1 ^ j))] = s1
                bvt[_u(nb4 + (2 ^ j))] = s2
                bvt[_u(nb4 + (3 ^ j))] = s3
                bvt[_u(nb4)] = i
                nb += 1 - c
            if short:
                break
        if not short and 8 * nb > hcap:
            short = True
        grow = _DONE
        if short:
            grow = _GROW_W
        elif nt + max(nb - nfree - nc, 0) > cap:
            grow = _GROW_T
        elif nfree + nc > free.shape[0]:
            grow = _GROW_F
        if grow != _DONE:
            # put everything back as it was, then ask for more room
            _unflag(T, cav, nc)
            state[0] = nt
            state[1] = nfree
            state[2] = start
            state[3] = np.int64(rng)
            return grow, i
        # 4. star: free the cavity, make one tetrahedron per boundary face
        for q in range(nc):
            s = cav[_u(q)]
            T[_u(8 * s)] = -1
            free[_u(nfree)] = s
            nfree += 1
        last = -1
        for q in range(nb):
            if nfree > 0:
                nfree -= 1
                s = free[_u(nfree)]
            else:
                s = nt
                nt += 1
            b1 = bvt[_u(4 * q + 1)]
            b2 = bvt[_u(4 * q + 2)]
            b3 = bvt[_u(4 * q + 3)]
            T[_u(8 * s)] = i
            T[_u(8 * s + 1)] = b1
            T[_u(8 * s + 2)] = b2
            T[_u(8 * s + 3)] = b3
            h = bnd[_u(q)]
            T[_u(8 * s + 4)] = h
            T[_u(8 * (h >> 2) + 4 + (h & 3))] = 4 * s
            bnd[_u(q)] = s
            if b1 != inf and b2 != inf and b3 != inf:
                last = s
        # Link the new tetrahedra to each other. The face of (p, b1, b2, b3)
        # opposite position 3 is (p, b1, b2), opposite 1 (p, b2, b3), opposite 2
        # (p, b3, b1); its twin holds the same edge reversed. The cavity's
        # boundary is a triangulated sphere of nb faces and nb / 2 + 2 vertices:
        # number them 0, 1, ... (vid, reset to 255 first) and index a 32 x 32
        # table by directed edge (HXT's computeAdjacenciesFast), no hashing.
        nv = 0
        if nb <= 58:
            for q in range(nb):
                vid[_u(bvt[_u(4 * q + 1)])] = 255
                vid[_u(bvt[_u(4 * q + 2)])] = 255
                vid[_u(bvt[_u(4 * q + 3)])] = 255
            # branch-free: whether a vertex is new is a coin toss (about 15 of
            # the 81 corners of the boundary's faces)
            for q in range(nb):
                for k in range(1, 4):
                    v = bvt[_u(4 * q + k)]
                    x = np.int64(vid[_u(v)])
                    new = np.int64(x == 255)
                    x += new * (nv - x)
                    vid[_u(v)] = np.uint8(x)
                    nv += new
                    lid[_u(4 * q + k)] = x
        if 0 < nv <= 32:
            for q in range(nb):
                l1 = lid[_u(4 * q + 1)]
                l2 = lid[_u(4 * q + 2)]
                l3 = lid[_u(4 * q + 3)]
                s4 = 4 * bnd[_u(q)]
                emap[_u(32 * l1 + l2)] = s4 + 3
                emap[_u(32 * l2 + l3)] = s4 + 1
                emap[_u(32 * l3 + l1)] = s4 + 2
            for q in range(nb):
                l1 = lid[_u(4 * q + 1)]
                l2 = lid[_u(4 * q + 2)]
                l3 = lid[_u(4 * q + 3)]
                s = bnd[_u(q)]
                T[_u(8 * s + 7)] = emap[_u(32 * l2 + l1)]
                T[_u(8 * s + 5)] = emap[_u(32 * l3 + l2)]
                T[_u(8 * s + 6)] = emap[_u(32 * l1 + l3)]
        else:
            # large cavity: an edge hash table of at least 8 slots a boundary
            # face (about 5 a used edge)
            hm = 64
            while hm < 8 * nb:
                hm *= 2
            hm -= 1
            for q in range(nb):
                s = bnd[q]
                # the face opposite position k (k != 0) holds p and the edge of
                # the boundary triangle opposite k; each such edge has two faces
                for e in range(3):
                    k = EDGE[0, e, 2]
                    e0 = bvt[_u(4 * q + EDGE[0, e, 0])]
                    e1 = bvt[_u(4 * q + EDGE[0, e, 1])]
                    lo = min(e0, e1)
                    hi = max(e0, e1)
                    key = lo * (inf + 1) + hi
                    slot = ((lo * 0x9E3779B1) ^ (hi * 0x85EBCA77)) & hm
                    while H[_u(3 * slot)] == i and H[_u(3 * slot + 1)] != key:
                        slot = (slot + 1) & hm
                    if H[_u(3 * slot)] == i:
                        g = H[_u(3 * slot + 2)]
                        T[_u(8 * s + 4 + k)] = g
                        T[_u(8 * (g >> 2) + 4 + (g & 3))] = 4 * s + k
                    else:
                        H[_u(3 * slot)] = i
                        H[_u(3 * slot + 1)] = key
                        H[_u(3 * slot + 2)] = 4 * s + k
        if last >= 0:
            start = last
    state[0] = nt
    state[1] = nfree
    state[2] = start
    state[3] = np.int64(rng)
    return _DONE, iend


@njit(cache=True)
def insert_all(P, T, dup, i0, iend, inf, i1, i2, i3, state, free, cancel):
    """Insert points ``i0 .. iend - 1`` with :func:`_insert_range`, growing storage.

    The one insertion driver of the batch kernel (:func:`tetrahedralize`) and the
    incremental one (``delaunay3d_insert.insert_points``). ``state`` is (slots
    used, free-list length, walk start, generator state), updated in place; when
    ``_insert_range`` stops short of room, the array it names is grown here (never
    inside the loop, see the module docstring) and the same point is inserted
    again. Returns ``(T, free, status)`` with the (possibly reallocated) storage
    and free list, ``status`` ``OK`` or ``CANCELLED``.
    """
    w = 256
    work = np.empty((3, w), np.int64)
    bvt = np.empty(4 * w, np.int64)
    H = np.full(3 * 8 * w, -1, np.int64)
    # local numbers of the cavity boundary's vertices (reset where used, so
    # never initialised here) and the 32 x 32 table of directed boundary edges
    vid = np.empty(max(P.shape[0], inf + 1), np.uint8)
    emap = np.empty(32 * 32, np.int64)
    i = i0
    while True:
        status, i = _insert_range(
            P, T, dup, i, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel
        )
        if status == _GROW_T:
            T = _grow(T, 2 * T.shape[0], -1)
        elif status == _GROW_F:
            free = _grow(free, 2 * free.shape[0], 0)
        elif status == _GROW_W:
            w *= 2
            work = np.empty((3, w), np.int64)
            bvt = np.empty(4 * w, np.int64)
            H = np.full(3 * 8 * w, -1, np.int64)
        elif status == _CANCEL:
            return T, free, CANCELLED
        else:
            return T, free, OK


@njit(cache=True, nogil=True)
def tetrahedralize(P, T, dup, cancel):
    """Delaunay tetrahedralisation of the points ``P[i]`` inserted in index order.

    Parameters
    ----------
    P : float64 array (n, 3), C-contiguous
        Coordinates in insertion order, inside the exact window.
    T : int32 or int64 array (initial capacity, a multiple of 8, >= 40)
        Working storage, 8 entries a slot: 4 vertices then 4 neighbour halffaces;
        grown (reallocated) when full.
    dup : int64 array of length n, all -1 on entry
        On return ``dup[i]`` is the vertex that point ``i`` is an exact copy of.
    cancel : uint8 array of length 1
        Read every 16,384 points; when set, return at once with ``CANCELLED``
        (``geoent._interrupt``: Ctrl-C).

    Returns
    -------
    (T, nt, status)
        The (possibly reallocated) storage, the number of slots used (dead slots
        have ``T[8t] == -1``) and ``OK``, ``NO_EXTENT`` or ``CANCELLED``.
    """
    n = P.shape[0]
    inf = n
    if n < 4:
        return T, 0, NO_EXTENT
    i1 = -1
    for i in range(1, n):
        if P[i, 0] != P[0, 0] or P[i, 1] != P[0, 1] or P[i, 2] != P[0, 2]:
            i1 = i
            break
        dup[i] = 0
    if i1 < 0:
        return T, 0, NO_EXTENT
    i2 = -1
    for i in range(i1 + 1, n):
        if not _collinear(P, 0, i1, i):
            i2 = i
            break
    if i2 < 0:
        return T, 0, NO_EXTENT
    i3 = -1
    o = 0.0
    for i in range(i2 + 1, n):
        o = _o3(P, 0, i1, i2, i)
        if o != 0.0:
            i3 = i
            break
    if i3 < 0:
        return T, 0, NO_EXTENT
    if o > 0.0:
        nt = _init(T, 0, i1, i2, i3, inf)
    else:
        nt = _init(T, i1, 0, i2, i3, inf)
    # The insertion loop lives in _insert_range, which never replaces an array:
    # in numba, an array variable reassigned inside a loop (to grow it) costs an
    # atomic reference-count update on every iteration, which took more time than
    # the geometry. When storage runs short it stops before changing anything and
    # says which; insert_all grows the arrays and the same point is inserted again.
    free = np.empty(1024, np.int64)
    state = np.array([nt, 0, 0, 2463534242], np.int64)
    T, free, status = insert_all(P, T, dup, 1, n, inf, i1, i2, i3, state, free, cancel)
    if status == CANCELLED:
        return T, state[0], CANCELLED
    nt = state[0]
    # slots still on the free list keep T[8t] == -1 (dead)
    return T, nt, OK


@njit(cache=True, nogil=True)
def gather3(pts, perm, cancel):
    """``pts[perm]`` (C-contiguous), with the largest and smallest nonzero
    ``|coordinate|`` (0.0 and inf when all are zero).

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 65,536 points;
    once set the call returns at once, unfinished (the caller's ``checkpoint()``
    drops it)."""
    n = perm.shape[0]
    out = np.empty((n, 3))
    amax = 0.0
    amin = np.inf
    for k in range(n):
        if (k & 65535) == 0 and cancel[0]:
            break
        i = perm[k]
        for ax in range(3):
            v = pts[i, ax]
            out[k, ax] = v
            av = abs(v)
            amax = max(amax, av)
            if av > 0.0:
                amin = min(amin, av)
    return out, amax, amin


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


@njit(cache=True, nogil=True)
def extract_tets(T, nt, inf, label, out, cancel):
    """Write the finite tetrahedra (ids mapped through ``label``) to ``out``'s first
    rows; return their number ``m``.

    ``out`` (rows of four int64) may be ``T``'s own storage seen as int64
    (``T.view(np.int64).reshape(-1, 4)``): row ``k`` is written after slot
    ``t >= k`` was read, and occupies bytes ``[32k, 32k + 32)``, which hold only
    slots ``<= k`` (slots are 32 bytes or more), all read already. So the result
    takes no new allocation: for a million points that saves touching 200 MB of
    fresh pages (half of the former one-pass extraction's time, measured), and T
    is dropped anyway.

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 slots;
    once set the call returns at once, unfinished (the caller's ``checkpoint()``
    drops it).
    """
    m = 0
    for t in range(nt):
        if (t & 16383) == 0 and cancel[0]:
            break
        a = T[8 * t]
        b = T[8 * t + 1]
        c = T[8 * t + 2]
        d = T[8 * t + 3]
        if a < 0 or a == inf or b == inf or c == inf or d == inf:
            continue
        # the four reads above precede these writes (they depend on them)
        out[m, 0] = label[a]
        out[m, 1] = label[b]
        out[m, 2] = label[c]
        out[m, 3] = label[d]
        m += 1
    return m


@njit(cache=True, nogil=True)
def number_tets(T, nt, inf, newid, cancel):
    """``newid[t]``, the row of slot ``t`` among the finite tetrahedra (-1 for
    ghosts and dead slots); returns ``(m, h)``, the numbers of finite tetrahedra
    and of ghosts (hull facets). The first pass of :func:`extract_into`.

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 slots;
    once set the call returns at once, unfinished (the caller's ``checkpoint()``
    drops it).
    """
    m = 0
    h = 0
    for t in range(nt):
        if (t & 16383) == 0 and cancel[0]:
            break
        newid[t] = -1
        if T[8 * t] < 0:
            continue
        if T[8 * t] == inf or T[8 * t + 1] == inf or T[8 * t + 2] == inf or T[8 * t + 3] == inf:
            h += 1
            continue
        newid[t] = m
        m += 1
    return m, h


@njit(cache=True, nogil=True)
def extract_into(T, nt, inf, label, newid, simp, nb, hull, vtet, cancel):
    """Finite tetrahedra (ids mapped through ``label``), their neighbours (-1 across
    hull facets), the hull facets (counter-clockwise seen from outside) and ``vtet``
    (one tetrahedron per *unmapped* vertex id), written into the caller's arrays,
    sized by :func:`number_tets` (which filled ``newid``): ``simp`` and ``nb`` (m, 4),
    ``hull`` (h, 3), in any integer dtype (``geoent.Delaunay`` asks for scipy's
    ``intc`` directly: no converted copies), ``vtet`` (n,) all -1 on entry.
    Allocated by numpy, the outputs get huge pages (fewer page faults than
    arrays allocated in a kernel: 200 MB took 91 ms against 35, measured).

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 slots;
    once set the call returns at once, unfinished (the caller's ``checkpoint()``
    drops it).
    """
    hk = 0
    for t in range(nt):
        if (t & 16383) == 0 and cancel[0]:
            break
        if T[8 * t] < 0:
            continue
        k = newid[t]
        if k < 0:
            for q in range(4):
                if T[8 * t + q] == inf:
                    # the ghost's facet turns counter-clockwise seen from inside
                    hull[hk, 0] = label[T[8 * t + FACE[q, 1]]]
                    hull[hk, 1] = label[T[8 * t + FACE[q, 0]]]
                    hull[hk, 2] = label[T[8 * t + FACE[q, 2]]]
                    hk += 1
            continue
        for j in range(4):
            v = T[8 * t + j]
            simp[k, j] = label[v]
            vtet[v] = k
            nb[k, j] = newid[T[8 * t + 4 + j] >> 2]


@njit(cache=True, nogil=True)
def locate(Q, order, P, simp, nb, out, cancel):
    """Exact point location: ``out[i]`` is a tetrahedron whose closure holds query
    ``i``, or -1 outside the hull. A visibility walk from where the previous query
    ended, crossing a face only when the query is strictly beyond it; leaving
    through a hull facet proves the query is outside.

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 queries;
    once set the walk stops and ``out`` is unfinished (the caller's
    ``checkpoint()`` drops it)."""
    m = simp.shape[0]
    t = 0
    rng = np.uint32(2463534242)
    for q in range(order.shape[0]):
        if (q & 16383) == 0 and cancel[0]:
            break
        i = order[q]
        px = Q[i, 0]
        py = Q[i, 1]
        pz = Q[i, 2]
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
                o = orient3d(
                    P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
                    P[c, 0], P[c, 1], P[c, 2], px, py, pz,
                )  # fmt: skip
                if o < 0.0:
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
                        o = _o3q(P, a, b, c, px, py, pz)
                        if o < 0.0:
                            inside = False
                            break
                    if inside:
                        res = s
                        break
                break
        out[i] = res
