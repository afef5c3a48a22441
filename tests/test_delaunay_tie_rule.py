"""The 2D kernel's tie rule against an independent exact oracle.

``geoent.delaunay`` documents its choice among the equally valid triangulations of
cocircular points: points are inserted one by one in the insertion order and an
edge is flipped only on a *strict* in-circle conflict. Inserting a point with flips
that way gives exactly the Bowyer-Watson cavity of the triangles in strict conflict
with it (a finite triangle when the point is strictly inside its circumcircle; the
ghost of a hull edge when the point is strictly outside the edge's line or on the
open edge), so the triangles depend only on the points and the order, never on the
walk or on the order of the flips. The oracle below builds that cavity triangulation
by brute force in ``fractions.Fraction`` arithmetic (no geoent code), starting as
the kernel does from point 0, the first point unequal to it and the first point off
their line; exact copies are skipped and the lowest original index names a vertex.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent._kernels import ordering

INF = -1


def _orient(a, b, c):
    return (a[0] - c[0]) * (b[1] - c[1]) - (a[1] - c[1]) * (b[0] - c[0])


def _incircle(a, b, c, d):
    rows = [(p[0] - d[0], p[1] - d[1]) for p in (a, b, c)]
    lift = [x * x + y * y for x, y in rows]
    (ax, ay), (bx, by), (cx, cy) = rows
    return (
        lift[0] * (bx * cy - cx * by)
        + lift[1] * (cx * ay - ax * cy)
        + lift[2] * (ax * by - bx * ay)
    )


def _in_conflict(t, P, p):
    if INF in t:
        k = t.index(INF)
        u, v = t[(k + 1) % 3], t[(k + 2) % 3]  # the ghost of hull edge v -> u
        o = _orient(P[v], P[u], p)  # the interior is on the left of v -> u
        if o < 0:
            return True
        if o > 0:
            return False
        # on the edge's line: in conflict only on the open segment
        lo = [min(P[u][j], P[v][j]) for j in range(2)]
        hi = [max(P[u][j], P[v][j]) for j in range(2)]
        inside = all(lo[j] <= p[j] <= hi[j] for j in range(2))
        return inside and p != P[u] and p != P[v]
    a, b, c = (P[v] for v in t)
    return _incircle(a, b, c, p) > 0


def oracle(points, perm):
    """Finite triangles (original indices) of strict Bowyer-Watson insertion in ``perm``."""
    P = [tuple(Fraction(float(c)) for c in points[i]) for i in perm]
    n = len(P)
    i1 = next((i for i in range(1, n) if P[i] != P[0]), None)
    if i1 is None:
        return set()
    i2 = next((i for i in range(i1 + 1, n) if _orient(P[0], P[i1], P[i]) != 0), None)
    if i2 is None:
        return set()
    a, b, c = (0, i1, i2) if _orient(P[0], P[i1], P[i2]) > 0 else (0, i2, i1)
    tris = [(a, b, c), (b, a, INF), (c, b, INF), (a, c, INF)]
    verts = {a, b, c}
    for i in range(i1 + 1, n):
        if i == i2 or any(P[i] == P[v] for v in verts):
            continue
        conflict = [t for t in tris if _in_conflict(t, P, P[i])]
        edges = {(t[k], t[(k + 1) % 3]) for t in conflict for k in range(3)}
        boundary = [e for e in edges if (e[1], e[0]) not in edges]
        tris = [t for t in tris if t not in conflict] + [(u, v, i) for u, v in boundary]
        verts.add(i)
    # name each vertex by the lowest original index among its exact copies
    first = {}
    for q in sorted(range(n), key=lambda q: perm[q]):
        first.setdefault(P[q], perm[q])
    return {_canon(tuple(first[P[v]] for v in t)) for t in tris if INF not in t}


def _canon(t):
    k = t.index(min(t))
    return t[k:] + t[:k]


def kernel_set(tris):
    return {_canon(tuple(t)) for t in np.asarray(tris).tolist()}


coords = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=3, max_size=40)


@settings(max_examples=80, deadline=None)
@given(pts=coords, data=st.data())
def test_given_order_matches_strict_bowyer_watson(pts, data):
    # small integer grids: cocircular squares, collinear runs, points on edges, copies
    p = np.array(pts, dtype=float)
    perm = np.array(data.draw(st.permutations(range(len(p)))), dtype=np.int64)
    assert kernel_set(geoent.delaunay(p, order=perm)) == oracle(p, perm)


@settings(max_examples=60, deadline=None)
@given(pts=coords)
def test_default_order_matches_strict_bowyer_watson(pts):
    p = np.array(pts, dtype=float)
    perm = ordering.multiscale_hilbert_order(p[:, 0], p[:, 1])
    assert kernel_set(geoent.delaunay(p)) == oracle(p, perm)


@pytest.mark.parametrize("seed", range(3))
def test_cocircular_lattice_and_random_points(seed):
    rng = np.random.default_rng(seed)
    ring = np.array([[x, y] for x in range(-5, 6) for y in range(-5, 6) if x * x + y * y == 25])
    p = np.vstack((ring, rng.integers(-4, 5, (30, 2)), ring[:4])).astype(float)
    for perm in (rng.permutation(len(p)), ordering.multiscale_hilbert_order(p[:, 0], p[:, 1])):
        assert kernel_set(geoent.delaunay(p, order=perm)) == oracle(p, perm)
