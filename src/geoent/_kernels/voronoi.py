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

from .predicates import incircle, insphere, orient3d

FACE3 = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]], dtype=np.int64)


@njit(cache=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True, nogil=True)
def cells2d(x, y, simp, nb, cancel):
    """Cell id of each triangle (cells numbered by their lowest triangle) and the
    representative (lowest) triangle of each cell. ``cancel`` (uint8, length 1) is
    read every 65,536 triangles: once set, the result is partial (Ctrl-C)."""
    m = simp.shape[0]
    parent = np.arange(m)
    for t in range(m):
        if (t & 65535) == 0 and cancel[0]:
            break
        for j in range(3):
            u = nb[t, j]
            if u <= t:
                continue
            # far vertex of u: the one not on the shared edge
            a = simp[t, 0]
            b = simp[t, 1]
            c = simp[t, 2]
            k = 0
            while nb[u, k] != t:
                k += 1
            d = simp[u, k]
            if incircle(x[a], y[a], x[b], y[b], x[c], y[c], x[d], y[d]) == 0.0:
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


@njit(cache=True)
def circumcenters2d(x, y, simp, rep):
    k = rep.shape[0]
    out = np.empty((k, 2))
    for i in range(k):
        t = rep[i]
        a = simp[t, 0]
        b = simp[t, 1]
        c = simp[t, 2]
        bx = x[b] - x[a]
        by = y[b] - y[a]
        cx = x[c] - x[a]
        cy = y[c] - y[a]
        d = 2.0 * (bx * cy - by * cx)
        b2 = bx * bx + by * by
        c2 = cx * cx + cy * cy
        out[i, 0] = x[a] + (cy * b2 - by * c2) / d
        out[i, 1] = y[a] + (bx * c2 - cx * b2) / d
    return out


@njit(cache=True)
def ridges2d(simp, nb, cell):
    """Ridges: (point pairs, vertex pairs); -1 is the vertex at infinity (first)."""
    m = simp.shape[0]
    cnt = 0
    for t in range(m):
        for j in range(3):
            u = nb[t, j]
            if u < 0 or (u > t and cell[u] != cell[t]):
                cnt += 1
    rp = np.empty((cnt, 2), np.int64)
    rv = np.empty((cnt, 2), np.int64)
    r = 0
    for t in range(m):
        for j in range(3):
            u = nb[t, j]
            if u < 0 or (u > t and cell[u] != cell[t]):
                rp[r, 0] = simp[t, (j + 1) % 3]
                rp[r, 1] = simp[t, (j + 2) % 3]
                if u < 0:
                    rv[r, 0] = -1
                    rv[r, 1] = cell[t]
                else:
                    rv[r, 0] = cell[t]
                    rv[r, 1] = cell[u]
                r += 1
    return rp, rv


@njit(cache=True, nogil=True)
def regions2d(simp, nb, cell, v2s, npts, cancel):
    """Counter-clockwise Voronoi vertices around each point, flat with offsets;
    -1 (infinity) first where the region is unbounded. Points that are not
    vertices (duplicates) get an empty region here (the caller maps them).
    Also, for hull points, the other ends of the hull edges before and after
    them (``hin``: edge v -> hin[v]; ``hout``: edge hout[v] -> v, both with the
    interior on the left), -1 elsewhere.

    One counter-clockwise pass around each point; only when it runs into the
    hull is the rest collected clockwise from the start and put in front.
    ``cancel`` (uint8, length 1) is read every 65,536 points: once set, the result
    is partial (``geoent._interrupt``: Ctrl-C; the caller drops it)."""
    m = simp.shape[0]
    off = np.zeros(npts + 1, np.int64)
    buf = np.empty(3 * m + 2 * npts, np.int64)
    back = np.empty(64, np.int64)
    hin = np.full(npts, -1, np.int64)
    hout = np.full(npts, -1, np.int64)
    w = 0
    for v in range(npts):
        if (v & 65535) == 0 and cancel[0]:
            break
        t0 = v2s[v]
        if t0 < 0:
            off[v + 1] = w
            continue
        first = w
        # counter-clockwise from t0, writing cells after a reserved slot for -1
        buf[w] = -1
        w += 1
        last = -2
        t = t0
        hull = False
        while True:
            c = cell[t]
            if c != last:
                buf[w] = c
                w += 1
                last = c
            i = 0
            while simp[t, i] != v:
                i += 1
            u = nb[t, (i + 1) % 3]
            if u < 0:
                hull = True
                hout[v] = simp[t, (i + 2) % 3]  # hull edge hout[v] -> v
                break
            if u == t0:
                break
            t = u
        if not hull:
            # drop the reserved slot; close the cycle on its first cell
            for q in range(first, w - 1):
                buf[q] = buf[q + 1]
            w -= 1
            if w - first > 1 and buf[w - 1] == buf[first]:
                w -= 1
            off[v + 1] = w
            continue
        # clockwise from t0 for the triangles before it, then put them in front
        nbk = 0
        t = t0
        lastb = cell[t0]
        while True:
            i = 0
            while simp[t, i] != v:
                i += 1
            u = nb[t, (i + 2) % 3]
            if u < 0:
                hin[v] = simp[t, (i + 1) % 3]  # hull edge v -> hin[v]
                break
            t = u
            c = cell[t]
            if c != lastb:
                if nbk == back.shape[0]:
                    b2 = np.empty(2 * nbk, np.int64)
                    b2[:nbk] = back
                    back = b2
                back[nbk] = c
                nbk += 1
                lastb = c
        if nbk > 0:
            # shift the forward part right by nbk, insert back reversed after -1
            for q in range(w - 1, first, -1):
                buf[q + nbk] = buf[q]
            for q in range(nbk):
                buf[first + 1 + q] = back[nbk - 1 - q]
            w += nbk
        off[v + 1] = w
    return buf[:w].copy(), off, hin, hout


# ---------------------------------------------------------------------------
# 3D
# ---------------------------------------------------------------------------


@njit(cache=True)
def cells3d(P, simp, nb):
    m = simp.shape[0]
    parent = np.arange(m)
    for t in range(m):
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


@njit(cache=True)
def circumcenters3d(P, simp, rep):
    k = rep.shape[0]
    out = np.empty((k, 3))
    for i in range(k):
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
def ridges3d(P, simp, nb, cell, npts):
    """Voronoi ridges of a 3D Delaunay tetrahedralisation: for each Delaunay edge
    (a < b) the cyclic sequence of cells around it (-1 for outside the hull),
    runs merged; a ridge when at least three runs remain, or, on the hull, when
    one cell and the outside remain but the two hull facets at the edge are not
    coplanar (exact ``orient3d``): the edge is then an edge of the hull polytope
    and its ridge is unbounded with a single finite vertex.

    Returns point pairs (r, 2), flat ridge vertices and their offsets (r + 1,).
    """
    m = simp.shape[0]
    # visit each edge once: from the tetrahedron with the lowest id holding it
    rp = np.empty((6 * m, 2), np.int64)
    rvbuf = np.empty(16, np.int64)
    flat = np.empty(24 * m + 16, np.int64)
    off = np.zeros(6 * m + 1, np.int64)
    nr = 0
    w = 0
    ring = np.empty(64, np.int64)
    for t in range(m):
        for e in range(6):
            # edge (i, j) of t, i < j positions
            if e < 3:
                i = 0
                j = e + 1
            elif e < 5:
                i = 1
                j = e - 1
            else:
                i = 2
                j = 3
            a = simp[t, i]
            b = simp[t, j]
            # rotate around edge (a, b): from a tet, cross the faces opposite
            # the two other vertices alternately; collect tets
            k0 = -1
            k1 = -1
            for q in range(4):
                if q != i and q != j:
                    if k0 < 0:
                        k0 = q
                    else:
                        k1 = q
            # walk one way: across face opposite k0 (holds a, b and k1's vertex)
            n = 0
            owner = True
            hull = False
            o1 = -1
            o2 = -1
            cur = t
            came_v = simp[t, k0]  # vertex left behind
            other = simp[t, k1]
            # first direction
            while True:
                if n == ring.shape[0]:
                    r2 = np.empty(2 * n, np.int64)
                    r2[:n] = ring
                    ring = r2
                ring[n] = cur
                n += 1
                # position of came_v in cur: cross the face opposite it? no: the
                # next tet around the edge is across the face opposite came_v
                q = 0
                while simp[cur, q] != came_v:
                    q += 1
                nxt = nb[cur, q]
                if nxt < 0:
                    hull = True
                    o1 = other
                    break
                if nxt < t:
                    owner = False
                    break
                if nxt == t:
                    break
                # in nxt, the vertex left behind is the one of cur not in nxt's face
                came_v_new = other
                # other becomes the vertex of nxt not in {a, b, came_v_new}
                for q2 in range(4):
                    v2 = simp[nxt, q2]
                    if v2 != a and v2 != b and v2 != came_v_new:
                        other = v2
                came_v = came_v_new
                cur = nxt
            if not owner:
                continue
            if hull:
                # walk the other way from t and prepend (reverse order)
                cur = t
                came_v = simp[t, k1]
                other = simp[t, k0]
                m2 = 0
                tmp_start = n
                while True:
                    q = 0
                    while simp[cur, q] != came_v:
                        q += 1
                    nxt = nb[cur, q]
                    if nxt < 0:
                        o2 = other
                        break
                    if nxt < t:
                        owner = False
                        break
                    if n == ring.shape[0]:
                        r2 = np.empty(2 * n, np.int64)
                        r2[:n] = ring
                        ring = r2
                    ring[n] = nxt
                    n += 1
                    m2 += 1
                    came_v_new = other
                    for q2 in range(4):
                        v2 = simp[nxt, q2]
                        if v2 != a and v2 != b and v2 != came_v_new:
                            other = v2
                    came_v = came_v_new
                    cur = nxt
                if not owner:
                    continue
                # order: reversed second walk, then the first walk, then -1
                seq_n = n + 1
                if rvbuf.shape[0] < seq_n:
                    rvbuf = np.empty(2 * seq_n, np.int64)
                p = 0
                for z in range(n - 1, tmp_start - 1, -1):
                    rvbuf[p] = cell[ring[z]]
                    p += 1
                for z in range(tmp_start):
                    rvbuf[p] = cell[ring[z]]
                    p += 1
                rvbuf[p] = -1
                p += 1
            else:
                seq_n = n
                if rvbuf.shape[0] < seq_n:
                    rvbuf = np.empty(2 * seq_n, np.int64)
                for z in range(n):
                    rvbuf[z] = cell[ring[z]]
                p = n
            # merge runs cyclically
            cnt = 0
            start_w = w
            if flat.shape[0] < w + p:
                f2 = np.empty(2 * (w + p), np.int64)
                f2[:w] = flat[:w]
                flat = f2
            for z in range(p):
                c = rvbuf[z]
                if cnt == 0 or flat[w - 1] != c:
                    flat[w] = c
                    w += 1
                    cnt += 1
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
            if a < b:
                rp[nr, 0] = a
                rp[nr, 1] = b
            else:
                rp[nr, 0] = b
                rp[nr, 1] = a
            nr += 1
            off[nr] = w
    return rp[:nr].copy(), flat[:w].copy(), off[: nr + 1].copy()


@njit(cache=True)
def cell_rings(points, vertices, flat, off, hin, hout, box):
    """Closed rings (coords, ring offsets) of the 2D cells for clipping to ``box``.

    Bounded cells: their vertices. Unbounded ones (a -1 first in ``flat``): the
    incoming ray (outward normal of the hull edge v -> hin[v]), the finite
    vertices, the outgoing ray (outward normal of hout[v] -> v), both cut at a
    distance ``R`` far beyond the box, and a point along their bisector, so the
    closing chords stay outside the box. Points with no region (duplicates) get
    a degenerate ring at the point (the caller maps them to their vertex's cell).
    """
    n = off.shape[0] - 1
    cx = 0.5 * (box[0] + box[2])
    cy = 0.5 * (box[1] + box[3])
    diag = np.hypot(box[2] - box[0], box[3] - box[1])
    total = 0
    for i in range(n):
        k = off[i + 1] - off[i]
        total += k + 4 if k > 0 else 4
    coords = np.empty((total, 2))
    roff = np.empty(n + 1, np.int64)
    roff[0] = 0
    w = 0
    for i in range(n):
        lo = off[i]
        hi = off[i + 1]
        px = points[i, 0]
        py = points[i, 1]
        if hi == lo:
            for _ in range(4):
                coords[w, 0] = px
                coords[w, 1] = py
                w += 1
            roff[i + 1] = w
            continue
        if flat[lo] >= 0:
            for q in range(lo, hi):
                coords[w, 0] = vertices[flat[q], 0]
                coords[w, 1] = vertices[flat[q], 1]
                w += 1
            coords[w, 0] = coords[roff[i], 0]
            coords[w, 1] = coords[roff[i], 1]
            w += 1
            roff[i + 1] = w
            continue
        # unbounded: flat[lo] == -1, finite chain flat[lo + 1 : hi]
        M = np.hypot(px - cx, py - cy)
        for q in range(lo + 1, hi):
            v = flat[q]
            M = max(M, np.hypot(vertices[v, 0] - cx, vertices[v, 1] - cy))
        R = 2.0 * (diag + M) + 1.0
        c0 = flat[lo + 1]
        c1 = flat[hi - 1]
        a = hin[i]
        dx = points[a, 0] - px
        dy = points[a, 1] - py
        ln = np.hypot(dx, dy)
        n0x = dy / ln
        n0y = -dx / ln
        b = hout[i]
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
        coords[w, 0] = coords[roff[i], 0]
        coords[w, 1] = coords[roff[i], 1]
        w += 1
        roff[i + 1] = w
    return coords[:w], roff
