"""Tests of geoent.Voronoi: scipy on general position, exact circumcentres
(``fractions.Fraction``) on small sets, exact merging of cocircular/cospherical
cells, and the shapely cells against shapely.voronoi_polygons."""

from fractions import Fraction

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import Voronoi as ScipyVoronoi

import geoent
from geoent import GeometryError, Voronoi


def _rows(a):
    return {tuple(np.round(r, 9)) for r in np.asarray(a).tolist()}


def _ridge_map(vor):
    """{frozenset(point pair): sorted vertex coordinates, None for infinity}."""
    out = {}
    for (p, q), rv in zip(vor.ridge_points.tolist(), vor.ridge_vertices, strict=True):
        out[frozenset((p, q))] = sorted(
            (tuple(np.round(vor.vertices[v], 9)) if v >= 0 else (np.inf,)) for v in rv
        )
    return out


@pytest.mark.parametrize("dim,n", [(2, 10), (2, 500), (2, 3000), (3, 10), (3, 400)])
def test_equals_scipy_on_general_position(dim, n):
    rng = np.random.default_rng(n + dim)
    pts = rng.random((n, dim))
    ours = Voronoi(pts)
    ref = ScipyVoronoi(pts)
    assert len(ours.vertices) == len(ref.vertices)
    assert _rows(ours.vertices) == _rows(ref.vertices)
    mine = _ridge_map(ours)
    theirs = _ridge_map(ref)
    if dim == 3:
        # Qhull leaves out unbounded 3D ridges with a single finite vertex (the
        # face shared by two hull points joined by an edge of one tetrahedron);
        # geoent lists them. Everything else is the same.
        extra = {k for k, v in mine.items() if len(v) == 2 and v[-1] == (np.inf,)}
        hull_edges = set()
        for f in geoent.Delaunay(pts).convex_hull.tolist():
            hull_edges |= {frozenset((f[i], f[(i + 1) % 3])) for i in range(3)}
        assert extra <= hull_edges
        mine = {k: v for k, v in mine.items() if k not in extra}
    assert mine == theirs
    for i in range(n):
        a = ours.regions[ours.point_region[i]]
        b = ref.regions[ref.point_region[i]]
        key = lambda r, vs: sorted(  # noqa: E731
            (tuple(np.round(vs[v], 9)) if v >= 0 else (np.inf,)) for v in r
        )
        assert key(a, ours.vertices) == key(b, ref.vertices)


def _circumcentre_exact(P):
    """Circumcentre in Fractions by solving 2 (p_i - p_0) . c = |p_i|^2 - |p_0|^2."""
    P = [[Fraction(float(v)) for v in p] for p in P]
    d = len(P[0])
    A = [[2 * (P[i][k] - P[0][k]) for k in range(d)] for i in range(1, d + 1)]
    b = [sum(P[i][k] ** 2 - P[0][k] ** 2 for k in range(d)) for i in range(1, d + 1)]
    # Gaussian elimination in Fractions
    for c in range(d):
        piv = next(r for r in range(c, d) if A[r][c] != 0)
        A[c], A[piv] = A[piv], A[c]
        b[c], b[piv] = b[piv], b[c]
        for r in range(d):
            if r != c and A[r][c] != 0:
                f = A[r][c] / A[c][c]
                A[r] = [A[r][k] - f * A[c][k] for k in range(d)]
                b[r] -= f * b[c]
    return [b[k] / A[k][k] for k in range(d)]


@pytest.mark.parametrize("dim", [2, 3])
def test_vertices_against_exact_circumcentres(dim):
    rng = np.random.default_rng(40 + dim)
    pts = rng.random((25, dim)) * 1000 + 1e6  # offset: translation keeps accuracy
    vor = Voronoi(pts)
    d = geoent.Delaunay(pts)
    exact = np.array([[float(v) for v in _circumcentre_exact(pts[s])] for s in d.simplices])
    # general position: one Voronoi vertex per simplex
    assert len(vor.vertices) == d.nsimplex
    got = {tuple(r) for r in np.round(vor.vertices, 3).tolist()}
    assert got == {tuple(r) for r in np.round(exact, 3).tolist()}
    # relative to the simplex size (about 1e2..1e3), errors are at rounding level
    for v in vor.vertices:
        err = np.abs(exact - v).sum(axis=1).min()
        assert err < 1e-6


def test_cocircular_grid_merges_cells_exactly():
    g = np.array([[i, j] for i in range(6) for j in range(5)], dtype=float)
    vor = Voronoi(g)
    assert len(vor.vertices) == 5 * 4  # one per grid square
    assert _rows(vor.vertices) == {(i + 0.5, j + 0.5) for i in range(5) for j in range(4)}
    rv = np.array([r for r in vor.ridge_vertices])
    assert (rv[:, 0] != rv[:, 1]).all()  # no zero-length ridges
    # every interior square side is a ridge, every hull edge an unbounded one
    assert len(vor.ridge_points) == 6 * 4 + 5 * 5


def test_cospherical_lattice_3d():
    g = np.mgrid[0:4, 0:4, 0:4].reshape(3, -1).T.astype(float)
    vor = Voronoi(g)
    assert _rows(vor.vertices) == {
        (i + 0.5, j + 0.5, k + 0.5) for i in range(3) for j in range(3) for k in range(3)
    }
    # ridges are exactly the lattice's axis-parallel unit edges (the faces of
    # the cubic cells); diagonals inside a cube are not ridges
    pairs = vor.ridge_points
    diff = np.abs(g[pairs[:, 0]] - g[pairs[:, 1]]).sum(1)
    assert (diff == 1).all() and len(pairs) == 3 * 3 * 4 * 4
    for rv in vor.ridge_vertices:
        assert len(set(rv)) == len(rv) >= 3 or (-1 in rv and len(rv) >= 2)


def test_duplicates_share_a_region():
    rng = np.random.default_rng(1)
    pts = rng.random((30, 2))
    pts = np.vstack((pts, pts[[4, 7]]))
    vor = Voronoi(pts)
    assert vor.point_region[30] == vor.point_region[4]
    assert vor.point_region[31] == vor.point_region[7]
    cells = vor.to_shapely(extent=(0, 0, 1, 1))
    assert cells[30].equals(cells[4])


def test_flat_input_raises():
    with pytest.raises(GeometryError):
        Voronoi([[0, 0], [1, 1], [2, 2]])
    with pytest.raises(GeometryError):
        Voronoi([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]])


@pytest.mark.parametrize("n", [5, 200, 2000])
def test_to_shapely_matches_shapely_voronoi(n):
    rng = np.random.default_rng(n)
    pts = rng.random((n, 2))
    box = (-0.5, -0.5, 1.5, 1.5)
    cells = Voronoi(pts).to_shapely(extent=box)
    assert cells.shape == (n,)
    boxgeom = shapely.box(*box)
    assert abs(shapely.area(cells).sum() - boxgeom.area) < 1e-9
    assert shapely.contains(cells, shapely.points(pts)).all()
    ref = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=boxgeom)
    ref = shapely.clip_by_rect(np.array(shapely.get_parts(ref)), *box)
    # match shapely's cells to points by containment, compare areas
    which = [int(np.flatnonzero(shapely.contains(ref, shapely.points(p)))[0]) for p in pts]
    sym = shapely.area(shapely.symmetric_difference(cells, ref[which]))
    assert sym.max() < 1e-9


def test_to_shapely_default_extent_and_3d_error():
    vor = Voronoi([[0, 0], [1, 0], [0, 1], [1, 1], [0.4, 0.6]])
    cells = vor.to_shapely()
    assert shapely.contains(cells, shapely.points(vor.points)).all()
    with pytest.raises(ValueError):
        Voronoi(np.random.default_rng(0).random((10, 3))).to_shapely()


# -- the one-pass 2D kernel against an oracle built from exact circumcentres --


def _exact_oracle_2d(pts):
    """Voronoi topology from geoent.Delaunay and Fraction circumcentres alone:
    vertices are the distinct exact circumcentres; a Delaunay edge is a ridge
    when its two triangles have different exact centres (or it is on the hull);
    a point's region is the set of exact centres of its triangles (+ -1 on the
    hull). Independent of the Voronoi kernel's merging and walks."""
    d = geoent.Delaunay(pts)
    cc = [tuple(_circumcentre_exact(pts[s])) for s in d.simplices.tolist()]
    edges = {}
    for t, s in enumerate(d.simplices.tolist()):
        for i in range(3):
            edges.setdefault(frozenset((s[i], s[(i + 1) % 3])), []).append(cc[t])
    ridges = {}
    for e, cs in edges.items():
        if len(cs) == 1:
            ridges[e] = frozenset((cs[0], None))
        elif cs[0] != cs[1]:
            ridges[e] = frozenset(cs)
    hull_pts = set(np.unique(d.convex_hull).tolist())
    regions = {}
    for t, s in enumerate(d.simplices.tolist()):
        for v in s:
            regions.setdefault(v, set()).add(cc[t])
    for v in hull_pts:
        regions[v].add(None)
    return set(cc), ridges, regions


def _as_exact(vor, pts, centres):
    """Map each float Voronoi vertex to the exact centre it rounds to."""
    cen = list(centres)
    arr = np.array([[float(c) for c in p] for p in cen])
    out = []
    for v in vor.vertices:
        j = int(np.abs(arr - v).sum(axis=1).argmin())
        assert np.abs(arr[j] - v).max() <= 1e-9 * (1 + np.abs(v).max())
        out.append(cen[j])
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=3, max_size=40))
def test_small_integer_sets_match_exact_oracle(coords):
    # small integer grids: many cocircular groups, collinear runs and duplicates
    pts = np.array(coords, dtype=float)
    if np.linalg.matrix_rank(pts - pts[0]) < 2:
        with pytest.raises(GeometryError):
            Voronoi(pts)
        return
    _check_exact_oracle(pts)


def _circle_lattice_points(r2):
    """Every integer point on x^2 + y^2 = r2 (exactly cocircular)."""
    r = int(np.sqrt(r2))
    out = []
    for x in range(-r, r + 1):
        y2 = r2 - x * x
        y = int(np.sqrt(y2))
        while y * y > y2:
            y -= 1
        while (y + 1) ** 2 <= y2:
            y += 1
        if y * y == y2:
            out += [(x, y), (x, -y)] if y else [(x, 0)]
    return np.array(out, dtype=float)


@pytest.mark.parametrize("seed", [0, 1])
def test_cocircular_points_whose_filter_cannot_decide(seed):
    # 60 integer points on x^2 + y^2 = 5**14 (radius 78125): the cocircular
    # test's floating-point determinant is rounded there (products near 1e20),
    # so the filter must hand the zeros to the exact predicate; plus points
    # around them, and an offset that is exact in doubles
    circle = _circle_lattice_points(5**14)
    assert len(circle) == 60
    rng = np.random.default_rng(seed)
    around = rng.integers(-200_000, 200_000, size=(60, 2)).astype(float)
    if seed == 0:  # nothing inside the circle: its 58 triangles make one vertex
        around = around[np.hypot(*around.T) > 80_000]
    centre = np.array([2.0**22, -(2.0**21)])
    vor = _check_exact_oracle(np.concatenate([circle, around]) + centre)
    if seed == 0:
        near = np.abs(vor.vertices - centre).max(axis=1) < 1e-6
        assert near.sum() == 1


def _check_exact_oracle(pts):
    """geoent.Voronoi(pts) against :func:`_exact_oracle_2d`; returns it."""
    vor = Voronoi(pts)
    centres, ridges, regions = _exact_oracle_2d(pts)
    assert len(vor.vertices) == len(centres)  # cocircular triangles merged
    ex = _as_exact(vor, pts, centres)
    assert len(set(ex)) == len(ex)
    got = {
        frozenset((p, q)): frozenset(ex[v] if v >= 0 else None for v in rv)
        for (p, q), rv in zip(vor.ridge_points.tolist(), vor.ridge_vertices, strict=True)
    }
    # the ridge_points of duplicates name the lowest index of each group
    assert got == ridges
    for i in range(len(pts)):
        reg = vor.regions[vor.point_region[i]]
        first = int(np.flatnonzero((pts == pts[i]).all(axis=1))[0])
        assert {ex[v] if v >= 0 else None for v in reg} == regions[first]
        assert len(set(reg)) == len(reg)
        if -1 not in reg:
            # a bounded region runs counter-clockwise around its point
            P = vor.vertices[reg + reg[:1]]
            assert (P[:-1, 0] * P[1:, 1] - P[1:, 0] * P[:-1, 1]).sum() > 0
    return vor


def test_power_of_two_scaling_changes_nothing_but_scale():
    # coordinates outside incircle's exponent window are scaled by 2**k inside;
    # the circumcentres computed there and scaled back are the same doubles
    rng = np.random.default_rng(5)
    pts = rng.random((300, 2))
    ref = Voronoi(pts)
    for e in (600, -600):
        vor = Voronoi(pts * 2.0**e)
        assert np.array_equal(vor.vertices, ref.vertices * 2.0**e)
        assert np.array_equal(vor.ridge_points, ref.ridge_points)
        assert vor.regions == ref.regions
        assert np.array_equal(vor.point_region, ref.point_region)


def test_ridge_points_dtype_as_scipy():
    pts = np.random.default_rng(2).random((50, 2))
    assert Voronoi(pts).ridge_points.dtype == ScipyVoronoi(pts).ridge_points.dtype


@pytest.mark.parametrize("box", [(0.25, 0.3, 0.75, 0.6), (-1.0, -1.0, 0.5, 2.0)])
def test_to_shapely_box_cutting_through_the_points(box):
    # cells crossing the box are clipped, cells inside it left as built, cells
    # outside it empty: together they tile the box
    rng = np.random.default_rng(7)
    pts = rng.random((400, 2))
    cells = Voronoi(pts).to_shapely(extent=box)
    boxgeom = shapely.box(*box)
    assert abs(shapely.area(cells).sum() - boxgeom.area) < 1e-9
    empty = shapely.is_empty(cells)
    assert empty.any() and (shapely.get_type_id(cells) == shapely.GeometryType.POLYGON).all()
    assert shapely.covered_by(cells[~empty], boxgeom).all()
    ref = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=shapely.box(-2, -2, 3, 3))
    ref = np.array(shapely.get_parts(ref))
    which = [int(np.flatnonzero(shapely.contains(ref, shapely.points(p)))[0]) for p in pts]
    ref = shapely.clip_by_rect(ref[which], *box)
    sym = shapely.area(shapely.symmetric_difference(cells, ref))
    assert sym.max() < 1e-9
    inside = shapely.contains_properly(boxgeom, shapely.points(pts))
    assert (~shapely.is_empty(cells[inside])).all()


def test_to_shapely_cocircular_grid_with_duplicates():
    g = np.array([[i, j] for i in range(5) for j in range(4)], dtype=float)
    pts = np.vstack((g, g[[3, 3, 17]]))
    cells = Voronoi(pts).to_shapely(extent=(-1, -1, 5, 4))
    assert abs(shapely.area(cells[: len(g)]).sum() - 6 * 5) < 1e-12
    for i, j in ((20, 3), (21, 3), (22, 17)):
        assert cells[i].equals(cells[j])
    # interior grid points: the unit square around them
    for i, (x, y) in enumerate(g.tolist()):
        if 0 < x < 4 and 0 < y < 3:
            assert cells[i].equals(shapely.box(x - 0.5, y - 0.5, x + 0.5, y + 0.5))


# -- 2D regions are walked on first use: the same whatever the order of access --


def _cyclic_equal(a, b):
    """a and b list the same cycle (up to rotation and direction)."""
    if len(a) != len(b):
        return False
    if not a:
        return True
    for seq in (b, b[::-1]):
        for k in [i for i, x in enumerate(seq) if x == a[0]]:
            if seq[k:] + seq[:k] == a:
                return True
    return False


@pytest.mark.parametrize("n", [300, 3000])
def test_lazy_attributes_equal_eager_and_scipy(n):
    from geoent import voronoi as V
    from geoent._kernels import voronoi as kv

    pts = np.random.default_rng(n + 7).random((n, 2))
    box = (-0.1, -0.1, 1.1, 1.1)
    first = Voronoi(pts)  # lists first, then the cells
    regions, rv = first.regions, first.ridge_vertices
    cells_after = first.to_shapely(extent=box)
    assert first._walk is None  # the triangulation kept for the walk is freed
    second = Voronoi(pts)  # cells first, then the lists
    cells_before = second.to_shapely(extent=box)
    assert second.regions == regions and second.ridge_vertices == rv
    assert shapely.equals_exact(cells_before, cells_after, tolerance=0).all()
    assert rv == first.ridge_vertices_array.tolist()

    # eager: the walk run at once on the kernel's own arrays, as one pass would
    tri, opp, nt, xs, ys, k, perm, dup, label, *_ = V._triangulate2d(pts)
    flag = np.zeros(1, np.uint8)
    vert, rp, rva, cell = kv.voronoi2d_alloc(xs, ys, tri, opp, nt, label, flag)
    hin, hout = np.empty(len(pts), tri.dtype), np.empty(len(pts), tri.dtype)
    flat, off = kv.regions2d(tri, opp, nt, cell, hin, hout, flag)
    eager = [flat[off[j] : off[j + 1]].tolist() for j in range(n)]
    assert eager == regions
    assert np.array_equal(vert, first.vertices) and np.array_equal(rp, first.ridge_points)

    # scipy's regions, as cycles of vertex coordinates (its direction varies)
    ref = ScipyVoronoi(pts)

    def coords(vor, i):
        reg = vor.regions[vor.point_region[i]]
        return [tuple(np.round(vor.vertices[v], 9)) if v >= 0 else None for v in reg]

    for i in range(n):
        ours, theirs = coords(first, i), coords(ref, i)
        if None in ours:  # scipy places the -1 of an open cell anywhere
            assert sorted(ours, key=str) == sorted(theirs, key=str)
        else:
            assert _cyclic_equal(ours, theirs)


def test_a_cancelled_regions_walk_returns_nothing():
    from geoent import voronoi as V
    from geoent._kernels import voronoi as kv

    pts = np.random.default_rng(3).random((1000, 2))
    tri, opp, nt, xs, ys, k, perm, dup, label, *_ = V._triangulate2d(pts)
    out = kv.voronoi2d_alloc(xs, ys, tri, opp, nt, label, np.zeros(1, np.uint8))
    hin, hout = np.empty(1000, tri.dtype), np.empty(1000, tri.dtype)
    flat, off = kv.regions2d(tri, opp, nt, out[3], hin, hout, np.ones(1, np.uint8))
    assert flat.shape[0] == 0
    flat, off = kv.regions2d(tri, opp, nt, out[3], hin, hout, np.zeros(1, np.uint8))
    assert flat.shape[0] == off[-1] > 0


def test_point_regions2d_against_numpy_scatter():
    """The kernel's point_region equals the plain numpy scatter it replaced, on a
    random insertion order with copies (each copy names an earlier vertex)."""
    from geoent._kernels import voronoi as kv

    rng = np.random.default_rng(3)
    n = 500
    perm = rng.permutation(n).astype(np.int64)
    dup = np.full(n, -1, np.int64)
    copies = rng.choice(np.arange(1, n), 60, replace=False)
    vertices = np.setdiff1d(np.arange(n), copies)
    dup[copies] = rng.choice(vertices, copies.size)  # each copy names a vertex
    want = np.empty(n, np.int64)
    want[perm] = np.where(dup >= 0, dup, np.arange(n))
    got = kv.point_regions2d(perm, dup, np.empty(n, np.int64))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("total_kib", [1, 300, 5000, 9000])
def test_carve_gives_disjoint_aligned_arrays(total_kib):
    """Every carved array has its shape and dtype, starts at a 64-byte boundary
    (a 2 MiB one for the first array of a buffer of 4 MiB or more), and owns its
    bytes: filling each with its own value leaves the others intact."""
    from geoent import voronoi as V

    n = total_kib * 1024 // (8 + 2 * 4 + 2 * 8 + 8)
    specs = [
        ((n,), np.int32),
        ((n, 2), np.float64),
        ((n + 3,), np.int64),
        ((2 * n + 1, 2), np.int32),
        ((1,), np.int64),
    ]
    arrays = V._carve(specs)
    addr = [a.__array_interface__["data"][0] for a in arrays]
    assert all(x % 64 == 0 for x in addr)
    total = sum(a.nbytes for a in arrays)
    if total >= 4 << 20:
        assert addr[0] % (2 << 20) == 0
    for a, (shape, dt) in zip(arrays, specs, strict=True):
        assert a.shape == shape and a.dtype == dt and a.flags.c_contiguous
        assert a.flags.writeable and a.flags.aligned
    for i, a in enumerate(arrays):
        a[...] = i + 1
    for i, a in enumerate(arrays):
        assert (a == i + 1).all()


def test_carved_outputs_equal_separately_made_ones_on_a_big_degenerate_grid():
    """On a 290 x 260 integer grid with copies (cocircular groups everywhere, so
    the merge pass runs), the Voronoi object's arrays, made in carved buffers,
    equal those of the kernel given arrays of its own."""
    from geoent import voronoi as V
    from geoent._kernels import voronoi as kv

    g = np.array([[i, j] for i in range(290) for j in range(260)], dtype=float)
    pts = np.concatenate([g, g[::7], g[::11]])
    vor = Voronoi(pts)
    tri, opp, nt, xs, ys, k, perm, dup, label, *_ = V._triangulate2d(pts)
    flag = np.zeros(1, np.uint8)
    vert, rp, rva, cell = kv.voronoi2d_alloc(xs, ys, tri, opp, nt, label, flag)
    hin, hout = np.empty(len(pts), tri.dtype), np.empty(len(pts), tri.dtype)
    flat, off = kv.regions2d(tri, opp, nt, cell, hin, hout, flag)
    np.testing.assert_array_equal(vor.vertices, vert)
    np.testing.assert_array_equal(vor.ridge_points, rp)
    np.testing.assert_array_equal(vor.ridge_vertices_array, rva)
    # every interior grid point's cell is the unit square around it: 4 vertices
    assert len(vor.vertices) == 289 * 259
    got_flat, got_off = vor._region_arrays()
    np.testing.assert_array_equal(got_flat, flat)
    np.testing.assert_array_equal(got_off, off)
    np.testing.assert_array_equal(vor._hin, hin)
    np.testing.assert_array_equal(vor._hout, hout)
    want = np.empty(len(pts), np.int64)
    want[perm] = np.where(dup >= 0, dup, np.arange(len(pts)))
    np.testing.assert_array_equal(vor.point_region, want)


def test_equals_scipy_on_70000_points():
    """At 70,000 points the kernels' arrays come from buffers of whole huge pages
    (voronoi._carve takes that path from 4 MiB up): vertices, ridges with their
    vertices, and point_region against scipy, compared as sorted arrays."""
    pts = np.random.default_rng(70).random((70000, 2))
    ours, ref = Voronoi(pts), ScipyVoronoi(pts)

    def ridges(vor):
        rp = np.sort(vor.ridge_points, axis=1)
        rv = np.asarray(vor.ridge_vertices)
        xy = np.where(rv[:, :, None] >= 0, np.round(vor.vertices[rv], 9), np.inf)
        xy = np.sort(xy.reshape(-1, 2, 2).view([("x", float), ("y", float)])[..., 0], axis=1)
        table = np.column_stack([rp, xy["x"], xy["y"]])
        return table[np.lexsort(table.T[::-1])]

    def rows(a):
        a = np.round(a, 9)
        return a[np.lexsort(a.T[::-1])]

    np.testing.assert_array_equal(rows(ours.vertices), rows(ref.vertices))
    np.testing.assert_array_equal(ridges(ours), ridges(ref))
    # each point's region: its vertices' coordinates, as a sorted list
    for i in np.random.default_rng(1).choice(70000, 500, replace=False):
        a = ours.regions[ours.point_region[i]]
        b = ref.regions[ref.point_region[i]]
        key = lambda r, vs: sorted(  # noqa: E731
            (tuple(np.round(vs[v], 9)) if v >= 0 else (np.inf,)) for v in r
        )
        assert key(a, ours.vertices) == key(b, ref.vertices)
