"""Tests of geoent.Voronoi: scipy on general position, exact circumcentres
(``fractions.Fraction``) on small sets, exact merging of cocircular/cospherical
cells, and the shapely cells against shapely.voronoi_polygons."""

from fractions import Fraction

import numpy as np
import pytest
import shapely
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
