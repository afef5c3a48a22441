"""Voronoi diagrams from exact Delaunay triangulations (numba kernels).

A Voronoi vertex is a Delaunay *cell*: a maximal group of simplices with one
common circumcircle (circumsphere). Cells are found exactly: two simplices
sharing a facet are merged when the far vertex of one lies *on* the circumcircle
(circumsphere) of the other (``incircle == 0`` / ``insphere == 0``), so
cocircular and cospherical points give one Voronoi vertex, not several copies
joined by ridges of length zero. A Delaunay edge (2D) is a Voronoi ridge when
the two cells beside it differ; in 3D an edge is a ridge when the simplices
around it belong to at least three cells (runs counted cyclically, the outside
of the hull counting as one), or, on the hull, to one cell when the two hull
facets at the edge are not coplanar: exactly when the edge is an edge of the
Delaunay subdivision rather than a diagonal inside one of its cells.

Coordinates of Voronoi vertices are circumcentres in doubles, computed relative
to one vertex of the simplex (so their error scales with the simplex's size, not
with the magnitude of the coordinates): with ``b, c`` (and ``d``) the other
vertices minus ``a``, the centre is ``a + (|b|^2 c^perp - |c|^2 b^perp) / (2
det)`` in 2D and the analogous cross-product formula in 3D. The combinatorics
never depend on these coordinates.
"""

import numpy as np
from numba import njit

from .predicates import ICCERRBOUND_A, incircle, insphere, orient3d

FACE3 = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]], dtype=np.int64)


@njit(cache=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, nogil=True)
def voronoi2d(xs, ys, tri, opp, nt, label, cell, vert, rp, rv, cancel):
    """Vertices and ridges of the 2D Voronoi diagram, over the Delaunay halfedges,
    written into caller-made arrays.

    Works on the triangulation kernel's own arrays (``tri, opp`` of ``nt`` slots,
    ghost triangles holding the vertex at infinity ``n = len(xs)``; see
    ``delaunay2d``), with vertices numbered in insertion order, so every pass
    reads memory in the spatial order the points were inserted in.

    1. *Numbering* (integers only): one Voronoi vertex per finite triangle, in
       slot order (``cell[t]``; -1 for a ghost).
    2. One pass over the finite triangles, reading each triangle's vertices
       once: its *circumcentre*; the *ridges* of its edges, one per Delaunay
       edge (the owner is the lower slot; a hull edge is a ridge to the vertex
       at infinity, -1, written first); an exact cocircularity test on every
       interior edge (``incircle == 0`` of the far vertex of the neighbour),
       merging the two triangles of such an edge (union-find, allocated at
       the first zero).
    3. Only when some edge was cocircular: each group of merged triangles
       becomes one *cell* (numbered by its lowest slot, keeping the
       circumcentre of that triangle), and the ridges are listed again, now
       only between different cells.

    Regions, and the hull links and starting halfedges their walk needs, are
    left to :func:`regions2d` (scipy's eager attributes need none of them).

    The outputs are made by the caller (``geoent.voronoi`` carves them from
    two large buffers, which the kernel would otherwise fault in page by page:
    see :func:`voronoi2d_alloc` for their sizes): ``cell`` (>= nt), ``vert``
    (>= finite triangles, 2) float64, ``rp``, ``rv`` (>= Delaunay edges, 2)
    integers of ``tri``'s dtype (int32 below 3.5e8 points: half the memory).
    Nothing needs initialising.

    Returns ``(vertices (nc, 2), ridge_points (r, 2) mapped through label,
    ridge_vertices (r, 2), cell (nt,))``, views of the given arrays.

    ``cancel`` (uint8, length 1) is read every 65,536 slots of each pass: once
    set, the call returns at once with empty vertices and ridges
    (``geoent._interrupt``: Ctrl-C; the caller drops the result).
    """
    n = xs.shape[0]
    inf = n
    it = tri.dtype  # int32 below 3.5e8 points: half the memory (and page faults)
    cell = cell[:nt]
    # 1. number the finite triangles (ghosts: -1)
    nc = 0
    for t in range(nt):
        if tri[3 * t] == inf or tri[3 * t + 1] == inf or tri[3 * t + 2] == inf:
            cell[t] = -1
        else:
            cell[t] = nc
            nc += 1
    parent = np.empty(0, it)  # union-find over slots, made at the first zero
    # 2. circumcentres, ridges, exact cocircular merge, start halfedges
    r = 0
    cocircular = False
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return vert[:0], rp[:0], rv[:0], cell
        ct = cell[t]
        if ct < 0:
            continue
        e0 = 3 * t
        a = tri[e0]
        b = tri[e0 + 1]
        c = tri[e0 + 2]
        # circumcentre relative to a: the error scales with the triangle
        xa = xs[a]
        ya = ys[a]
        bx = xs[b] - xa
        by = ys[b] - ya
        cx = xs[c] - xa
        cy = ys[c] - ya
        bc = bx * cy - by * cx
        d = 2.0 * bc
        b2 = bx * bx + by * by
        c2 = cx * cx + cy * cy
        vert[ct, 0] = xa + (cy * b2 - by * c2) / d
        vert[ct, 1] = ya + (bx * c2 - cx * b2) / d
        pbc = abs(bx * cy) + abs(cx * by)
        for k in range(3):
            e = e0 + k
            f = opp[e]
            u = f // 3
            cu = cell[u]
            if cu >= 0 and u < t:
                continue  # the lower slot owns the edge
            if k == 0:
                v, w = a, b
            elif k == 1:
                v, w = b, c
            else:
                v, w = c, a
            rp[r, 0] = label[v]
            rp[r, 1] = label[w]
            if cu < 0:
                # hull edge v -> w (interior on the left)
                rv[r, 0] = -1
                rv[r, 1] = ct
                r += 1
                continue
            rv[r, 0] = ct
            rv[r, 1] = cu
            r += 1
            fk = f - 3 * u
            q = tri[3 * u + (2 if fk == 0 else fk - 1)]
            # q on the circle through a, b, c? incircle(b, c, q, a) (zero exactly
            # when incircle(a, b, c, q) is): its stage A, term for term, reusing
            # the triangle's b2, c2, bc (the same roundings as the predicate's
            # own), then the exact predicate when the filter cannot decide
            qx = xs[q] - xa
            qy = ys[q] - ya
            bdxcdy = cx * qy
            cdxbdy = qx * cy
            cdxady = qx * by
            adxcdy = bx * qy
            clift = qx * qx + qy * qy
            det = b2 * (bdxcdy - cdxbdy) + c2 * (cdxady - adxcdy) + clift * bc
            permanent = (
                (abs(bdxcdy) + abs(cdxbdy)) * b2 + (abs(cdxady) + abs(adxcdy)) * c2 + pbc * clift
            )
            if abs(det) > ICCERRBOUND_A * permanent:
                continue
            if incircle(xs[b], ys[b], xs[c], ys[c], xs[q], ys[q], xa, ya) == 0.0:
                if not cocircular:
                    cocircular = True
                    # one array of slot-sized ints (arange(nt).astype made
                    # an int64 one first: twice the memory to fault in)
                    parent = np.empty(nt, it)
                    for i in range(nt):
                        parent[i] = i
                ra = _find(parent, t)
                rb = _find(parent, u)
                if ra < rb:
                    parent[rb] = ra
                elif rb < ra:
                    parent[ra] = rb
    # 3. cocircular groups (merged above): renumber, list the ridges again
    if cocircular:
        # a root is its group's lowest slot, so it is renumbered before the rest
        nc = 0
        for t in range(nt):
            if (t & 65535) == 0 and cancel[0]:
                return vert[:0], rp[:0], rv[:0], cell
            if cell[t] < 0:
                continue
            q = _find(parent, t)
            if q == t:
                vert[nc, 0] = vert[cell[t], 0]
                vert[nc, 1] = vert[cell[t], 1]
                cell[t] = nc
                nc += 1
            else:
                cell[t] = cell[q]
        r = 0
        for t in range(nt):
            if (t & 65535) == 0 and cancel[0]:
                return vert[:0], rp[:0], rv[:0], cell
            ct = cell[t]
            if ct < 0:
                continue
            for k in range(3):
                u = opp[3 * t + k] // 3
                cu = cell[u]
                if cu < 0 or (u > t and cu != ct):
                    rp[r, 0] = label[tri[3 * t + k]]
                    rp[r, 1] = label[tri[3 * t + (k + 1) % 3]]
                    rv[r, 0] = -1 if cu < 0 else ct
                    rv[r, 1] = ct if cu < 0 else cu
                    r += 1
    return vert[:nc], rp[:r], rv[:r], cell


@njit(cache=True, nogil=True)
def voronoi2d_alloc(xs, ys, tri, opp, nt, label, cancel):
    """:func:`voronoi2d` with its outputs allocated here (tests, benchmarks):
    ``cell`` of ``nt``, ``vert`` of ``nt`` rows (finite triangles are fewer),
    ``rp`` and ``rv`` of ``(3 nt) // 2 + 1`` rows (Delaunay edges: each finite
    slot has three halfedges, a ghost one finite one, each edge two).
    ``np.empty`` touches no page: the unused tails cost no memory."""
    it = tri.dtype
    ne = (3 * nt) // 2 + 1
    return voronoi2d(
        xs, ys, tri, opp, nt, label, np.empty(nt, it), np.empty((nt, 2)),
        np.empty((ne, 2), it), np.empty((ne, 2), it), cancel,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def regions2d(tri, opp, nt, cell, hin, hout, cancel):
    """Regions of the 2D Voronoi diagram: ``(flat, off)``; fills ``hin`` and
    ``hout`` (length n, any values on entry).

    ``flat[off[j]:off[j + 1]]`` is the region of vertex ``j`` (insertion order):
    the cells of the triangles around it counter-clockwise (runs of one cell
    written once), walked from a *start* halfedge going out of ``j``: any one
    for an interior vertex; for a hull vertex the one just after its outgoing
    hull edge, with -1 first. A vertex that is an exact copy (in no triangle)
    gets an empty region. For a hull vertex ``j``, ``hin[j]`` and ``hout[j]``
    are the other ends of the hull edges ``j -> hin[j]`` and ``hout[j] -> j``
    (interior on the left), -1 elsewhere.

    The start halfedges and hull links are found here, not in
    :func:`voronoi2d`: only the regions (and ``to_shapely``) need them, and
    they run on first use.

    ``cancel`` is read every 65,536 slots or vertices: once set, the call
    returns at once with an empty ``flat``.
    """
    n = hin.shape[0]
    inf = n
    off = np.empty(n + 1, np.int64)
    off[0] = 0
    start = np.empty(n, tri.dtype)
    for j in range(n):
        start[j] = -1
        hin[j] = -1
        hout[j] = -1
    # any outgoing halfedge starts an interior vertex's walk (plain stores, no
    # test); the hull pass below fixes the hull vertices
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return np.empty(0, tri.dtype), off
        if cell[t] >= 0:
            start[tri[3 * t]] = 3 * t
            start[tri[3 * t + 1]] = 3 * t + 1
            start[tri[3 * t + 2]] = 3 * t + 2
    # the hull: a ghost (p, q, inf), rotated, holds the twin of hull edge q -> p
    for t in range(nt):
        if (t & 65535) == 0 and cancel[0]:
            return np.empty(0, tri.dtype), off
        if cell[t] >= 0:
            continue
        k = 0
        while tri[3 * t + k] == inf or tri[3 * t + (k + 1) % 3] == inf:
            k += 1
        p = tri[3 * t + k]
        q = tri[3 * t + (k + 1) % 3]
        start[q] = opp[3 * t + k]
        hin[q] = p
        hout[p] = q
    # at most one entry per corner of a slot, plus the -1 of each hull vertex
    # (np.empty touches no page: the unused tail costs no memory)
    flat = np.empty(3 * nt + n, tri.dtype)
    w = 0
    for v in range(n):
        if (v & 65535) == 0 and cancel[0]:
            return flat[:0], off
        e0 = start[v]
        if e0 < 0:
            off[v + 1] = w
            continue
        first = w
        if hin[v] >= 0:
            flat[w] = -1
            w += 1
        last = -2
        e = e0
        while True:
            c = cell[e // 3]
            if c != last:
                flat[w] = c
                w += 1
                last = c
            # next triangle counter-clockwise around v: across the edge into v
            e = opp[3 * (e // 3) + (e + 2) % 3]
            if e == e0 or cell[e // 3] < 0:
                break
        if hin[v] < 0 and w - first > 1 and flat[w - 1] == flat[first]:
            w -= 1  # the cycle closed on its first cell
        off[v + 1] = w
    return flat[:w], off


@njit(cache=True, nogil=True)
def point_regions2d(perm, dup, pr):
    """``point_region`` of the 2D diagram, written into ``pr`` (int64, length n)
    and returned: regions are numbered by insertion order, so point ``perm[j]``
    has region ``j``, or ``dup[j]`` (the vertex it copies) when ``dup[j] >= 0``.
    One scatter, no temporaries (numpy's ``pr[perm] = np.where(dup >= 0, dup,
    arange)`` makes three arrays of n)."""
    n = perm.shape[0]
    for j in range(n):
        d = dup[j]
        pr[perm[j]] = d if d >= 0 else j
    return pr


# ---------------------------------------------------------------------------
# 3D
# ---------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def cells3d(P, simp, nb, cancel):
    """Voronoi vertices of a 3D Delaunay tetrahedralisation: tetrahedra joined
    across faces whose two apices are cospherical (exact ``insphere``) share one.
    Returns each tetrahedron's cell number and one tetrahedron per cell. Reads
    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) every 16,384 tetrahedra and
    returns empty arrays once it is set."""
    m = simp.shape[0]
    parent = np.arange(m)
    for t in range(m):
        if (t & 16383) == 0 and cancel[0]:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        for j in range(4):
            u = nb[t, j]
            if u <= t:
                continue
            k = 0
            while nb[u, k] != t:
                k += 1
            a = simp[t, 0]
            b = simp[t, 1]
            c = simp[t, 2]
            d = simp[t, 3]
            e = simp[u, k]
            s = insphere(
                P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
                P[c, 0], P[c, 1], P[c, 2], P[d, 0], P[d, 1], P[d, 2],
                P[e, 0], P[e, 1], P[e, 2],
            )  # fmt: skip
            if s == 0.0:
                ra = _find(parent, t)
                rb = _find(parent, u)
                if ra != rb:
                    if ra < rb:
                        parent[rb] = ra
                    else:
                        parent[ra] = rb
    cell = np.empty(m, np.int64)
    rep = np.empty(m, np.int64)
    nc = 0
    for t in range(m):
        r = _find(parent, t)
        if r == t:
            cell[t] = nc
            rep[nc] = t
            nc += 1
        else:
            cell[t] = cell[r]
    return cell, rep[:nc].copy()


@njit(cache=True, nogil=True)
def circumcenters3d(P, simp, rep, cancel):
    """Circumcentre of tetrahedron ``rep[i]`` in row ``i`` (floating point: the
    Voronoi vertices are coordinates, not decisions).

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 rows; once
    set the call returns at once, unfinished (the caller's ``checkpoint()`` drops
    it: no rows)."""
    k = rep.shape[0]
    out = np.empty((k, 3))
    for i in range(k):
        if (i & 16383) == 0 and cancel[0]:
            return np.empty((0, 3))
        t = rep[i]
        a = simp[t, 0]
        bx = P[simp[t, 1], 0] - P[a, 0]
        by = P[simp[t, 1], 1] - P[a, 1]
        bz = P[simp[t, 1], 2] - P[a, 2]
        cx = P[simp[t, 2], 0] - P[a, 0]
        cy = P[simp[t, 2], 1] - P[a, 1]
        cz = P[simp[t, 2], 2] - P[a, 2]
        dx = P[simp[t, 3], 0] - P[a, 0]
        dy = P[simp[t, 3], 1] - P[a, 1]
        dz = P[simp[t, 3], 2] - P[a, 2]
        b2 = bx * bx + by * by + bz * bz
        c2 = cx * cx + cy * cy + cz * cz
        d2 = dx * dx + dy * dy + dz * dz
        # c x d, d x b, b x c
        cdx = cy * dz - cz * dy
        cdy = cz * dx - cx * dz
        cdz = cx * dy - cy * dx
        dbx = dy * bz - dz * by
        dby = dz * bx - dx * bz
        dbz = dx * by - dy * bx
        bcx = by * cz - bz * cy
        bcy = bz * cx - bx * cz
        bcz = bx * cy - by * cx
        det = 2.0 * (bx * cdx + by * cdy + bz * cdz)
        out[i, 0] = P[a, 0] + (b2 * cdx + c2 * dbx + d2 * bcx) / det
        out[i, 1] = P[a, 1] + (b2 * cdy + c2 * dby + d2 * bcy) / det
        out[i, 2] = P[a, 2] + (b2 * cdz + c2 * dbz + d2 * bcz) / det
    return out


@njit(cache=True)
def _rotate(simp, nb, t, a, b, came_v, other, ring, n):
    """Walk around edge ``(a, b)`` from tetrahedron ``t``, appending the
    tetrahedra met after ``t`` to ``ring[n:]``: each step crosses the face
    opposite ``came_v`` (the one of the two vertices off the edge left behind).

    Returns ``(status, n, other)``: status 0 when the walk came back to ``t``,
    1 when it left the hull (``other`` is then the far vertex of the last
    tetrahedron's hull face), 2 when it met a tetrahedron numbered below ``t``
    (which owns the edge). ``ring`` has room for every tetrahedron.
    """
    cur = t
    while True:
        q = 0
        while simp[cur, q] != came_v:
            q += 1
        nxt = nb[cur, q]
        if nxt < 0:
            return 1, n, other
        if nxt == t:
            return 0, n, other
        if nxt < t:
            return 2, n, other
        ring[n] = nxt
        n += 1
        # in nxt, the vertex left behind is cur's other one; the new other one
        # is nxt's vertex off the edge that is not it
        came_v = other
        for q2 in range(4):
            v2 = simp[nxt, q2]
            if v2 != a and v2 != b and v2 != came_v:
                other = v2
        cur = nxt


@njit(cache=True, nogil=True)
def ridges3d(P, simp, nb, cell, npts, cancel):
    """Voronoi ridges of a 3D Delaunay tetrahedralisation: for each Delaunay edge
    (a < b) the cyclic sequence of cells around it (-1 for outside the hull),
    runs merged; a ridge when at least three runs remain, or, on the hull, when
    one cell and the outside remain but the two hull facets at the edge are not
    coplanar (exact ``orient3d``): the edge is then an edge of the hull polytope
    and its ridge is unbounded with a single finite vertex.

    Each edge is listed from the lowest-numbered tetrahedron around it.
    Returns point pairs (r, 2), flat ridge vertices and their offsets (r + 1,),
    the ridges found so far once ``cancel[0]`` is set (read every 16,384
    tetrahedra: the caller's ``checkpoint()`` drops them).
    """
    m = simp.shape[0]
    rp = np.empty((6 * m, 2), np.int64)
    flat = np.empty(24 * m + 16, np.int64)
    off = np.zeros(6 * m + 1, np.int64)
    nr = 0
    w = 0
    # room for every tetrahedron around one edge (pages are touched only as used)
    ring = np.empty(m + 1, np.int64)
    for t in range(m):
        if (t & 16383) == 0 and cancel[0]:
            break
        for e in range(6):
            # edge (i, j) of t, i < j positions; k0, k1 the two others
            i = 0 if e < 3 else (1 if e < 5 else 2)
            j = e + 1 if e < 3 else (e - 1 if e < 5 else 3)
            k0 = -1
            k1 = -1
            for q in range(4):
                if q != i and q != j:
                    if k0 < 0:
                        k0 = q
                    else:
                        k1 = q
            a = simp[t, i]
            b = simp[t, j]
            ring[0] = t
            st, n, o1 = _rotate(simp, nb, t, a, b, simp[t, k0], simp[t, k1], ring, 1)
            if st == 2:
                continue
            hull = st == 1
            o2 = -1
            n1 = n
            if hull:
                # the other way from t, to prepend (reversed) before the first walk
                st, n, o2 = _rotate(simp, nb, t, a, b, simp[t, k1], simp[t, k0], ring, n)
                if st == 2:
                    continue
            # the cells around the edge in cyclic order, -1 after them on the hull
            p = n + (1 if hull else 0)
            if flat.shape[0] < w + p:
                f2 = np.empty(2 * (w + p), np.int64)
                f2[:w] = flat[:w]
                flat = f2
            start_w = w
            cnt = 0
            for z in range(p):
                if z < n - n1:
                    c = cell[ring[n - 1 - z]]  # second walk, reversed
                elif z < n:
                    c = cell[ring[z - (n - n1)]]  # t, then the first walk
                else:
                    c = -1
                if cnt == 0 or flat[w - 1] != c:
                    flat[w] = c
                    w += 1
                    cnt += 1
            # merge runs cyclically
            if cnt > 1 and flat[w - 1] == flat[start_w]:
                w -= 1
                cnt -= 1
            keep = cnt >= 3
            if not keep and hull and cnt == 2:
                s3 = orient3d(
                    P[a, 0], P[a, 1], P[a, 2], P[b, 0], P[b, 1], P[b, 2],
                    P[o1, 0], P[o1, 1], P[o1, 2], P[o2, 0], P[o2, 1], P[o2, 2],
                )  # fmt: skip
                keep = s3 != 0.0
            if not keep:
                w = start_w
                continue
            rp[nr, 0] = min(a, b)
            rp[nr, 1] = max(a, b)
            nr += 1
            off[nr] = w
    return rp[:nr].copy(), flat[:w].copy(), off[: nr + 1].copy()


@njit(cache=True, nogil=True)
def regions3d(simp, cell, hull_facets, npts, cancel):
    """Regions of a 3D Voronoi diagram: for each point the cells of the
    tetrahedra around it, ascending, -1 first for a point on the hull; flat
    with offsets ``(flat, off)``, ``flat[off[v]:off[v + 1]]`` for point ``v``
    (empty for points in no tetrahedron: exact copies).

    A counting sort of the tetrahedra's corners by point, then each point's
    short list sorted and its repeats dropped (cells are numbered by their
    lowest tetrahedron and the corners arrive by tetrahedron, so each list is
    already ascending unless cospherical tetrahedra were merged).

    ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) is read every 16,384 steps of
    each pass; once set the call returns at once, unfinished (the caller's
    ``checkpoint()`` drops it).
    """
    m = simp.shape[0]
    cnt = np.zeros(npts + 1, np.int64)
    hull = np.zeros(npts, np.bool_)
    for i in range(hull_facets.shape[0]):
        for j in range(3):
            hull[hull_facets[i, j]] = True
    for t in range(m):
        if (t & 16383) == 0 and cancel[0]:
            return cnt[:0], cnt[:1]
        for j in range(4):
            cnt[simp[t, j] + 1] += 1
    for v in range(npts):
        if hull[v]:
            cnt[v + 1] += 1
    for v in range(npts):
        cnt[v + 1] += cnt[v]
    pos = cnt[:npts].copy()
    buf = np.empty(cnt[npts], np.int64)
    for v in range(npts):
        if hull[v]:
            buf[pos[v]] = -1
            pos[v] += 1
    for t in range(m):
        if (t & 16383) == 0 and cancel[0]:
            return cnt[:0], cnt[:1]
        c = cell[t]
        for j in range(4):
            v = simp[t, j]
            buf[pos[v]] = c
            pos[v] += 1
    # sort each list (insertion sort: nearly sorted), drop repeats, compact
    off = np.empty(npts + 1, np.int64)
    off[0] = 0
    w = 0
    for v in range(npts):
        if (v & 16383) == 0 and cancel[0]:
            return cnt[:0], cnt[:1]
        lo = cnt[v]
        hi = cnt[v + 1]
        for i in range(lo + 1, hi):
            x = buf[i]
            k = i - 1
            while k >= lo and buf[k] > x:
                buf[k + 1] = buf[k]
                k -= 1
            buf[k + 1] = x
        last = -2
        for i in range(lo, hi):
            if buf[i] != last:
                last = buf[i]
                buf[w] = last
                w += 1
        off[v + 1] = w
    return buf[:w], off


@njit(cache=True, nogil=True)
def cell_rings(points, perm, point_region, vertices, flat, off, hin, hout, box):
    """Closed rings of the 2D cells, one per input point, for shapely: ``(coords,
    ring_off, inside)``.

    Point ``i``'s cell is region ``point_region[i]`` (see :func:`voronoi2d`;
    region ``j`` is the cell of vertex ``j``, the point ``perm[j]``). The rings
    come in point order, so the polygons are made (and later freed) in the order
    of the output array: freeing 1e5 polygons in a shuffled order took about four
    times as long. Bounded cells: their vertices. Unbounded ones (a -1 first in
    ``flat``): the incoming ray (outward normal of the hull edge j -> hin[j]),
    the finite vertices, the outgoing ray (outward normal of hout[j] -> j), both
    cut at a distance ``R`` far beyond the box, and a point along their
    bisector, so the closing chords stay outside the box. ``inside[i]``: every
    vertex of the ring lies in the closed box, so the polygon needs no clipping
    (the box is convex).
    """
    n = point_region.shape[0]
    cx = 0.5 * (box[0] + box[2])
    cy = 0.5 * (box[1] + box[3])
    diag = np.hypot(box[2] - box[0], box[3] - box[1])
    total = 0
    for i in range(n):
        j = point_region[i]
        total += off[j + 1] - off[j] + 4
    coords = np.empty((total, 2))
    roff = np.empty(n + 1, np.int64)
    inside = np.zeros(n, np.bool_)
    roff[0] = 0
    w = 0
    for i in range(n):
        j = point_region[i]
        lo = off[j]
        hi = off[j + 1]
        start = w
        if flat[lo] >= 0:
            ins = True
            for q in range(lo, hi):
                vx = vertices[flat[q], 0]
                vy = vertices[flat[q], 1]
                coords[w, 0] = vx
                coords[w, 1] = vy
                w += 1
                ins = ins and box[0] <= vx <= box[2] and box[1] <= vy <= box[3]
            inside[i] = ins
        else:
            # unbounded: flat[lo] == -1, finite chain flat[lo + 1 : hi]
            px = points[i, 0]
            py = points[i, 1]
            M = np.hypot(px - cx, py - cy)
            for q in range(lo + 1, hi):
                v = flat[q]
                M = max(M, np.hypot(vertices[v, 0] - cx, vertices[v, 1] - cy))
            R = 2.0 * (diag + M) + 1.0
            c0 = flat[lo + 1]
            c1 = flat[hi - 1]
            a = perm[hin[j]]
            dx = points[a, 0] - px
            dy = points[a, 1] - py
            ln = np.hypot(dx, dy)
            n0x = dy / ln
            n0y = -dx / ln
            b = perm[hout[j]]
            dx = px - points[b, 0]
            dy = py - points[b, 1]
            ln = np.hypot(dx, dy)
            n1x = dy / ln
            n1y = -dx / ln
            bx = n0x + n1x
            by = n0y + n1y
            bl = np.hypot(bx, by)
            coords[w, 0] = vertices[c0, 0] + R * n0x
            coords[w, 1] = vertices[c0, 1] + R * n0y
            w += 1
            for q in range(lo + 1, hi):
                coords[w, 0] = vertices[flat[q], 0]
                coords[w, 1] = vertices[flat[q], 1]
                w += 1
            coords[w, 0] = vertices[c1, 0] + R * n1x
            coords[w, 1] = vertices[c1, 1] + R * n1y
            w += 1
            coords[w, 0] = px + 2.0 * R * bx / bl
            coords[w, 1] = py + 2.0 * R * by / bl
            w += 1
        coords[w, 0] = coords[start, 0]
        coords[w, 1] = coords[start, 1]
        w += 1
        roff[i + 1] = w
    return coords[:w], roff, inside
