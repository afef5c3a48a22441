"""Exact insertion of points into an existing 3D Delaunay tetrahedralisation
(numba kernels; behind ``Delaunay(points3d, incremental=True).add_points``).

The state is the one :func:`geoent._kernels.delaunay3d.tetrahedralize` leaves:
slots of eight integers ``T[8t:8t+8]`` (four vertices, four neighbour halffaces
``4u + k``), ghost tetrahedra on the hull facets with the vertex at infinity,
dead slots with ``T[8t] == -1``. The only difference is the id of the vertex at
infinity: here it is a parameter ``inf`` (the caller's capacity, so that points
can be appended without renaming it), where ``tetrahedralize`` uses ``n``;
:func:`relabel_infinity` renames it.

Each point is inserted as in ``tetrahedralize`` (Bowyer-Watson): an exact
visibility walk from the last tetrahedron made, a duplicate check on the
tetrahedron found, the cavity of tetrahedra in *strict* conflict (``insphere >
0``; ghosts by ``orient3d``, and on a hull facet's plane by the in-sphere test of
the tetrahedron across it), and the star of the cavity's boundary from the point.
The geometric argument (the cavity is star-shaped from the point, every new
tetrahedron is positive) and the tie rule (only strict conflicts, so cospherical
ties stay as the insertion order made them) are the ones documented in
``delaunay3d.py``. The loop body is a copy of ``tetrahedralize``'s (that kernel
builds from scratch in one call and is tuned separately; this one resumes from a
given state); the predicates and the helpers are imported, not copied.

Every decision is an exact predicate; the caller keeps all coordinates inside the
exact window of ``insphere`` (``EXPONENT_LIMITS[5]``).
"""

import numpy as np
from numba import njit

from .delaunay3d import FACE, _ghost_conflict, _grow
from .predicates import insphere, orient3d


@njit(cache=True)
def relabel_infinity(T, nt, old, new):
    """Rename the vertex at infinity ``old`` to ``new`` in the first ``nt`` slots."""
    for t in range(nt):
        if T[8 * t] < 0:
            continue
        for k in range(4):
            if T[8 * t + k] == old:
                T[8 * t + k] = new


@njit(cache=True)
def finite_slot(T, nt, inf):
    """A live finite tetrahedron (a walk start), -1 if there is none."""
    for t in range(nt):
        if T[8 * t] < 0:
            continue
        if T[8 * t] != inf and T[8 * t + 1] != inf and T[8 * t + 2] != inf and T[8 * t + 3] != inf:
            return t
    return -1


@njit(cache=True)
def dead_slots(T, nt):
    """The dead slots among the first ``nt`` (``T[8t] == -1``): a free list."""
    k = 0
    for t in range(nt):
        if T[8 * t] < 0:
            k += 1
    free = np.empty(max(k, 256), np.int64)
    k = 0
    for t in range(nt):
        if T[8 * t] < 0:
            free[k] = t
            k += 1
    return free, k


@njit(cache=True, nogil=True)
def insert_points(P, T, nt, dup, lo, hi, start, inf, mark, free, nfree, cancel):
    """Insert the points ``P[lo:hi]`` (in that order) into the tetrahedralisation.

    Parameters
    ----------
    P : float64 array (>= hi, 3)
        Coordinates by vertex id (ids ``< lo`` are already in ``T`` or are
        duplicates), inside the exact window.
    T : int32 or int64 array
        The state (8 entries a slot); grown (reallocated) when full.
    nt : int
        Slots used in ``T``.
    dup : int64 array (>= hi)
        ``dup[i]`` is set to the vertex that point ``i`` is an exact copy of
        (entries ``lo:hi`` are -1 on entry).
    start : int
        A live finite tetrahedron where the first walk starts.
    inf : int
        Id of the vertex at infinity (larger than every point id).
    mark : int64 array (one entry a slot of ``T``)
        Visit stamps ``2i + 1`` / ``2i + 2`` of point ``i``. Point ids only grow
        from call to call, so old stamps never match and the array is kept
        between calls instead of cleared (zeros at first).
    free, nfree : int64 array, int
        Free list of dead slots (``dead_slots`` at first), kept between calls.
    cancel : uint8 array of length 1
        Read every 16,384 points; when set, the call returns at once and the
        state holds only some of the points (``geoent._interrupt``: Ctrl-C; the
        caller discards it).

    Returns
    -------
    (T, nt, start, mark, free, nfree)
        The (possibly reallocated) state, the slots used, a live finite
        tetrahedron to start the next walk from, and the (possibly reallocated)
        stamps and free list. A call costs time in the points inserted, not in
        the size of the tetrahedralisation.
    """
    cap = T.shape[0] // 8
    cav = np.empty(256, np.int64)  # cavity tetrahedra
    bnd = np.empty(256, np.int64)  # outside halfface of each boundary face
    bvt = np.empty(4 * 256, np.int64)  # new tetrahedron's vertices
    stack = np.empty(256, np.int64)
    hcap = 1024
    hkey = np.empty(hcap, np.int64)
    hval = np.empty(hcap, np.int64)
    hstamp = np.full(hcap, -1, np.int64)
    rng = np.uint32(2463534242)
    for i in range(lo, hi):
        if (i & 16383) == 0 and cancel[0]:
            return T, nt, start, mark, free, nfree
        px = P[i, 0]
        py = P[i, 1]
        pz = P[i, 2]
        # 1. locate: visibility walk, stops in a finite tetrahedron holding p or
        # on entering a ghost (p strictly outside that hull facet)
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
                a = T[8 * t + FACE[j, 0]]
                b = T[8 * t + FACE[j, 1]]
                c = T[8 * t + FACE[j, 2]]
                o = orient3d(
                    P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
                    P[c, 0], P[c, 1], P[c, 2], px, py, pz,
                )  # fmt: skip
                if o < 0.0:
                    h = T[8 * t + 4 + j]
                    t = h >> 2
                    came = h & 3
                    moved = True
                    break
            if not moved:
                break
            if T[8 * t] == inf or T[8 * t + 1] == inf or T[8 * t + 2] == inf or T[8 * t + 3] == inf:
                ghost = True
                break
        # 2. duplicates: an exact copy of a vertex lies in a closed tetrahedron of
        # that vertex, so it is a vertex of the one found
        if not ghost:
            isdup = False
            for k in range(4):
                v = T[8 * t + k]
                if P[v, 0] == px and P[v, 1] == py and P[v, 2] == pz:
                    dup[i] = v
                    isdup = True
                    break
            if isdup:
                start = t
                continue
        # 3. cavity: depth-first over strict conflicts
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
                h = T[8 * s + 4 + j]
                u = h >> 2
                mu = mark[u]
                if mu == stamp_in:
                    continue
                conflict = False
                if mu != stamp_out:
                    a = T[8 * u]
                    b = T[8 * u + 1]
                    c = T[8 * u + 2]
                    d = T[8 * u + 3]
                    if a == inf:
                        conflict = _ghost_conflict(P, T, u, 0, px, py, pz)
                    elif b == inf:
                        conflict = _ghost_conflict(P, T, u, 1, px, py, pz)
                    elif c == inf:
                        conflict = _ghost_conflict(P, T, u, 2, px, py, pz)
                    elif d == inf:
                        conflict = _ghost_conflict(P, T, u, 3, px, py, pz)
                    else:
                        conflict = (
                            insphere(
                                P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
                                P[c, 0], P[c, 1], P[c, 2], P[d, 0], P[d, 1], P[d, 2],
                                px, py, pz,
                            )
                            > 0.0
                        )  # fmt: skip
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
                        bvt[4 * nb + q] = T[8 * s + q]
                    bvt[4 * nb + j] = i
                    nb += 1
        # 4. star: free the cavity, one new tetrahedron per boundary face
        if nfree + nc > free.shape[0]:
            free = _grow(free, 2 * (nfree + nc), 0)
        for q in range(nc):
            s = cav[q]
            T[8 * s] = -1
            free[nfree] = s
            nfree += 1
        hm = 64
        while hm < 8 * nb:
            hm *= 2
        if hm > hcap:
            hcap = hm
            hkey = np.empty(hcap, np.int64)
            hval = np.empty(hcap, np.int64)
            hstamp = np.full(hcap, -1, np.int64)
        hm -= 1
        last = -1
        for q in range(nb):
            if nfree > 0:
                nfree -= 1
                s = free[nfree]
            else:
                if nt == cap:
                    cap = 2 * cap
                    T = _grow(T, 8 * cap, -1)
                    mark = _grow(mark, cap, 0)
                s = nt
                nt += 1
            mark[s] = 0
            jp = -1
            fin = True
            for k in range(4):
                v = bvt[4 * q + k]
                T[8 * s + k] = v
                if v == i:
                    jp = k
                if v == inf:
                    fin = False
            h = bnd[q]
            T[8 * s + 4 + jp] = h
            T[8 * (h >> 2) + 4 + (h & 3)] = 4 * s + jp
            if fin:
                last = s
            # faces k != jp hold p and the edge of the two other positions; the
            # two new faces on one edge are linked through the table
            for k in range(4):
                if k == jp:
                    continue
                e0 = -1
                e1 = -1
                for m in range(4):
                    if m != k and m != jp:
                        if e0 < 0:
                            e0 = T[8 * s + m]
                        else:
                            e1 = T[8 * s + m]
                elo = min(e0, e1)
                ehi = max(e0, e1)
                key = elo * (inf + 1) + ehi
                slot = ((elo * 0x9E3779B1) ^ (ehi * 0x85EBCA77)) & hm
                while hstamp[slot] == i and hkey[slot] != key:
                    slot = (slot + 1) & hm
                if hstamp[slot] == i:
                    g = hval[slot]
                    T[8 * s + 4 + k] = g
                    T[8 * (g >> 2) + 4 + (g & 3)] = 4 * s + k
                else:
                    hstamp[slot] = i
                    hkey[slot] = key
                    hval[slot] = 4 * s + k
        if last >= 0:
            start = last
    return T, nt, start, mark, free, nfree
