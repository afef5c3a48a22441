"""Exact checks of a 3D Delaunay tetrahedralisation (behind
:func:`geoent.testing.validate_triangulation` on (n, 3) points).

Independent of the code that builds tetrahedralisations: numpy bookkeeping, the
public exact predicates, and Python integers for the volume identity.
"""

from __future__ import annotations

import numpy as np

from ._simplex_checks import check_neighbors, check_vertices, distinct_points, simplex_array
from ._simplex_checks import fail as _fail
from ._validation import as_points
from .predicates import insphere, orient2d, orient3d

# face opposite vertex j, ordered so that (FACE[j], j) is an even permutation:
# counter-clockwise seen from outside a positive tetrahedron
FACE = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]])


def _exact_ints(pts):
    """The coordinates as Python integers after one common power-of-two scale
    (exact: every double is an integer multiple of 2**emin)."""
    nz = pts[pts != 0]
    if nz.size == 0:
        return np.zeros(pts.shape, dtype=object)
    _, e = np.frexp(np.abs(nz))
    emin = int(e.min()) - 53
    out = np.empty(pts.shape, dtype=object)
    flat = pts.ravel()
    oflat = out.ravel()
    for i, v in enumerate(flat.tolist()):
        num, den = float(v).as_integer_ratio()  # den is a power of two
        # v * 2**-emin is an integer: num * 2**-emin / den
        oflat[i] = (num << -emin) // den if emin < 0 else num // (den << emin)
    return out.reshape(pts.shape)


def _det3_int(a, b, c, d):
    """6 * signed volume of (a, b, c, d) with object (Python int) arrays, exactly,
    sign as orient3d (positive when d lies below the plane of a, b, c)."""
    ad = a - d
    bd = b - d
    cd = c - d
    return (
        ad[:, 0] * (bd[:, 1] * cd[:, 2] - bd[:, 2] * cd[:, 1])
        - ad[:, 1] * (bd[:, 0] * cd[:, 2] - bd[:, 2] * cd[:, 0])
        + ad[:, 2] * (bd[:, 0] * cd[:, 1] - bd[:, 1] * cd[:, 0])
    )


def validate_tetrahedralization(points, tets, *, neighbors=None, exact_volume=True):
    """Check that ``tets`` is a Delaunay tetrahedralisation of (n, 3) ``points``.

    See :func:`geoent.testing.validate_triangulation` for the list of checks.
    """
    pts = as_points(points, ndim=3)
    n = pts.shape[0]
    tet = simplex_array(tets, n, 4, "tetrahedron", "tetrahedra")
    m = tet.shape[0]

    # distinct points: exact copies grouped, lowest index first
    gid, nd, distinct = distinct_points(pts)

    # 3D extent: some four distinct points not coplanar (exact)
    flat = True
    if nd >= 4:
        a = distinct[0]
        b = distinct[1]
        rest = distinct[2:]
        k = rest.size
        col = np.ones(k, dtype=bool)
        for u, v in ((0, 1), (1, 2), (2, 0)):
            q = pts[:, [u, v]]
            col &= orient2d(np.repeat(q[[a]], k, 0), np.repeat(q[[b]], k, 0), q[rest]) == 0
        if not col.all():
            c = rest[np.argmin(col)]
            o = orient3d(
                np.repeat(pts[[a]], nd, 0),
                np.repeat(pts[[b]], nd, 0),
                np.repeat(pts[[c]], nd, 0),
                pts[distinct],
            )
            flat = not o.any()
    if flat:
        if m:
            _fail(f"the points have no 3D extent but {m} tetrahedra were given")
        return {"distinct_points": nd, "hull_facets": 0, "tetrahedra": 0, "interior_facets": 0}

    # 1. orientation
    P = [pts[tet[:, j]] for j in range(4)]
    o = orient3d(*P)
    bad = np.flatnonzero(o <= 0)
    if bad.size:
        i = int(bad[0])
        _fail(f"tetrahedron {i} {tet[i].tolist()} is not positively oriented (orient3d = {o[i]})")

    # 2. vertices: one index per distinct point, every distinct point present
    check_vertices(tet, gid, nd, pts, "tetrahedron")

    # 3. facets: oriented faces (counter-clockwise seen from outside their tet)
    faces = np.concatenate([tet[:, FACE[j]] for j in range(4)])  # row j*m + t
    key = np.sort(faces, axis=1)
    kk = (key[:, 0] * n + key[:, 1]) * n + key[:, 2] if n < 2**20 else None
    if kk is None:
        _, kk = np.unique(key, axis=0, return_inverse=True)
        kk = kk.ravel()
    order = np.argsort(kk, kind="stable")
    ks = kk[order]
    cnt = np.diff(np.flatnonzero(np.r_[True, ks[1:] != ks[:-1], True]))
    if cnt.max() > 2:
        f = faces[order[np.flatnonzero(np.repeat(cnt, cnt) > 2)[0]]]
        _fail(f"facet {sorted(f.tolist())} is shared by more than two tetrahedra")
    twin = np.full(4 * m, -1, np.int64)
    pair = np.flatnonzero(ks[1:] == ks[:-1])
    twin[order[pair]] = order[pair + 1]
    twin[order[pair + 1]] = order[pair]
    inner = np.flatnonzero((twin >= 0) & (np.arange(4 * m) < twin))
    # interior facets are seen with opposite orientations from their two tets
    fa = faces[inner]
    fb = faces[twin[inner]]
    # fb is a permutation of fa: opposite orientation <=> odd permutation
    pos = np.argmax(fb[:, :, None] == fa[:, None, :], axis=2)  # where fb's entries sit in fa
    parity = (pos[:, 0] > pos[:, 1]).astype(int) + (pos[:, 0] > pos[:, 2]) + (pos[:, 1] > pos[:, 2])
    bad = np.flatnonzero(parity % 2 == 0)
    if bad.size:
        _fail(f"facet {fa[bad[0]].tolist()} has the same orientation in both tetrahedra")

    # 4. the boundary is a closed, connected, locally convex surface
    bnd = np.flatnonzero(twin < 0)
    bf = faces[bnd]
    h = bf.shape[0]
    e_src = bf.ravel()
    e_dst = bf[:, [1, 2, 0]].ravel()
    ekey = e_src * n + e_dst
    rkey = e_dst * n + e_src
    eo = np.argsort(ekey, kind="stable")
    es = ekey[eo]
    if np.any(es[1:] == es[:-1]):
        _fail("a directed boundary edge occurs twice (the boundary is not a manifold)")
    p = np.searchsorted(es, rkey)
    p[p == es.size] = 0
    if not np.all(es[p] == rkey):
        _fail("a boundary edge has no twin (the boundary surface is not closed)")
    etwin = eo[p]  # directed edge index of the reverse edge
    # local convexity: across each boundary edge, the far vertex of the other
    # facet is not strictly outside this facet's plane
    other = bf[etwin // 3, (etwin % 3 + 2) % 3]
    fidx = np.arange(3 * h) // 3
    oc = orient3d(pts[bf[fidx, 0]], pts[bf[fidx, 1]], pts[bf[fidx, 2]], pts[other])
    bad = np.flatnonzero(oc < 0)
    if bad.size:
        k = int(bad[0])
        _fail(
            f"the boundary is not convex at edge ({e_src[k]}, {e_dst[k]}): point "
            f"{other[k]} lies outside the plane of facet {bf[fidx[k]].tolist()}"
        )
    # connected (a locally convex closed connected surface bounds a convex body)
    parent = np.arange(h)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a_, b_ in zip(fidx.tolist(), (etwin // 3).tolist(), strict=True):
        ra, rb = find(a_), find(b_)
        if ra != rb:
            parent[ra] = rb
    roots = {find(i) for i in range(h)}
    if len(roots) != 1:
        _fail(f"the boundary has {len(roots)} connected components")

    # 5. volumes: sum of the tetrahedra == volume enclosed by the boundary, exactly
    if exact_volume:
        X = _exact_ints(pts)
        vt = sum(_det3_int(X[tet[:, 0]], X[tet[:, 1]], X[tet[:, 2]], X[tet[:, 3]]).tolist())
        origin = np.tile(X[distinct[0]], (h, 1))
        # boundary facets turn counter-clockwise seen from outside: the cone from
        # any point to them has orient3d(facet, apex) >= 0 summed to the volume
        vb = sum(_det3_int(X[bf[:, 0]], X[bf[:, 1]], X[bf[:, 2]], origin).tolist())
        if vt != vb:
            _fail(f"the tetrahedra volumes sum to {vt}/6, the hull volume is {vb}/6 (scaled)")

    # 6. locally Delaunay: the far vertex of the twin is not inside the sphere
    t1 = inner % m
    t2 = twin[inner] % m
    j2 = twin[inner] // m
    apex = tet[t2, j2]
    ins = insphere(*(pts[tet[t1, j]] for j in range(4)), pts[apex])
    bad = np.flatnonzero(ins > 0)
    if bad.size:
        i = int(bad[0])
        _fail(
            f"facet {fa[i].tolist()} between tetrahedra {t1[i]} and {t2[i]} is not locally "
            f"Delaunay (point {apex[i]} inside the sphere of tetrahedron {t1[i]})"
        )

    # 7. neighbours
    if neighbors is not None:
        check_neighbors(neighbors, tet, np.where(twin >= 0, twin % m, -1).reshape(4, m).T)
    return {
        "distinct_points": nd,
        "hull_facets": int(h),
        "tetrahedra": int(m),
        "interior_facets": int(inner.size),
    }


def tetrahedralization_defects(points, verts, simplices) -> dict:
    """Count what keeps tetrahedra from being an exact Delaunay tetrahedralisation
    of (n, 3) ``points`` (the 3D twin of :func:`geoent.testing.delaunay_defects`).

    ``verts`` are the coordinates ``simplices`` index (a library may renumber);
    they are matched to input points by exact coordinates; either orientation is
    accepted. Returns ``missing`` (distinct input points used by no tetrahedron),
    ``foreign`` (vertices that are not input points), ``degenerate`` (zero-volume
    tetrahedra, exact ``orient3d``), ``non_delaunay`` (interior facets whose far
    vertex lies strictly inside the neighbour's sphere, exact ``insphere``),
    ``nonmanifold`` (facets met more than twice) and ``total``.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._validate3d import tetrahedralization_defects
    >>> p = np.array([[0., 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    >>> tetrahedralization_defects(p, p, [[0, 1, 2, 3]])["missing"]
    1
    """
    pts = as_points(points, ndim=3)
    verts = np.asarray(verts, dtype=np.float64).reshape(-1, 3)
    simp = np.asarray(simplices, dtype=np.int64).reshape(-1, 4)
    out = dict(missing=0, foreign=0, degenerate=0, non_delaunay=0, nonmanifold=0)
    n = pts.shape[0]
    both, inv = np.unique(np.concatenate((pts, verts)), axis=0, return_inverse=True)
    inv = inv.ravel()
    nd = int(np.unique(inv[:n]).size)
    ids = inv[n:][simp] if len(simp) else np.empty((0, 4), np.int64)
    used = np.unique(ids)
    inputs = np.unique(inv[:n])
    out["missing"] = int(np.count_nonzero(~np.isin(inputs, used)))
    out["foreign"] = int(np.count_nonzero(~np.isin(used, inputs)))
    if len(simp) == 0:
        out["missing"] = nd if nd >= 4 else 0
        out["total"] = int(sum(out.values()))
        return out
    P = both
    o = orient3d(*(P[ids[:, j]] for j in range(4)))
    out["degenerate"] = int(np.count_nonzero(o == 0))
    t = ids[o != 0].copy()
    neg = o[o != 0] < 0
    t[neg] = t[neg][:, [1, 0, 2, 3]]
    m = len(t)
    faces = np.concatenate([t[:, FACE[j]] for j in range(4)])
    _, kk = np.unique(np.sort(faces, axis=1), axis=0, return_inverse=True)
    kk = kk.ravel()
    order = np.argsort(kk, kind="stable")
    ks = kk[order]
    cnt = np.bincount(kk)
    out["nonmanifold"] = int(np.count_nonzero(cnt > 2))
    pair = np.flatnonzero(ks[1:] == ks[:-1])
    f1 = order[pair]
    f2 = order[pair + 1]
    t1, t2, j2 = f1 % m, f2 % m, f2 // m
    ins = insphere(*(P[t[t1, j]] for j in range(4)), P[t[t2, j2]])
    out["non_delaunay"] = int(np.count_nonzero(ins > 0))
    out["total"] = int(sum(out.values()))
    return out
