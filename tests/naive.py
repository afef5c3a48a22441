"""Slow, obviously correct reference implementations: the tests' oracles, in one home.

Each oracle decides everything combinatorial in exact arithmetic (Python integers or
``fractions.Fraction`` built from the input doubles, which is exact: every finite double
is a dyadic rational), by the most direct method there is, and shares no code with
geoent's kernels, so agreement between the two is evidence and not an echo. They are
meant for small input (tens of points); tests compare geoent against them on small and
degenerate sets, and against scipy on large general-position ones.

Contents (one section each below):

* predicates: ``orient2d``, ``incircle``, ``orient3d``, ``insphere``, ``signs``,
  ``fraction_sign`` (the lifted determinants, exactly);
* 2D hull: ``convex_hull_2d`` (edges by testing every ordered pair against every point);
* 3D hull: ``hull3d_vertices``, ``hull3d_dim`` (a point is a vertex iff no segment,
  triangle or tetrahedron of the other points holds it);
* point location and Delaunay: ``containing_triangles``, ``is_delaunay``;
* structural entropy: ``exact_entropy``, ``admissible_sets``, ``nested_triangle``,
  ``frac_hull``, ``in_triangle`` (minimum over all respectful partitions).

Run ``python tests/naive.py --gap [--seeds 40]`` to measure the gap between
``geoent.range_partition_entropy`` and the exact entropy on seeded random sets.

Predicates
----------
The predicate oracles evaluate the classical lifted determinants in exact rational
arithmetic, without the coordinate differences the kernels use:

* ``orient2d(a, b, c)  = det [[ax, ay, 1], [bx, by, 1], [cx, cy, 1]]``
* ``incircle(a, b, c, d) = det [[px, py, px^2 + py^2, 1] for p in a, b, c, d]``
* ``orient3d(a, b, c, d) = det [[px, py, pz, 1] for p in a, b, c, d]``
* ``insphere(a, b, c, d, e) = det [[px, py, pz, |p|^2, 1] for p in a..e]``

Subtracting the last row from the others turns each into Shewchuk's difference
form (for the lifted ones after a column operation that leaves the determinant
unchanged), so the signs follow Shewchuk's conventions: orient2d > 0 for a
counter-clockwise turn, incircle > 0 for d inside the circle of counter-clockwise
a, b, c, orient3d > 0 for d below the plane of a, b, c, insphere > 0 for e inside
the sphere of positively oriented a, b, c, d.

Every finite double is a dyadic rational. ``fraction_det`` computes with
``fractions.Fraction``; the predicates bring the coordinates of one query to a
common power-of-two denominator (Python integers, exact and some ten times faster
than Fractions) and take a fraction-free (Bareiss) determinant. The tests check the
two against each other.

Structural entropy
------------------
H(S) = min over respectful partitions {S_k} of sum_k (|S_k|/n) ln(n/|S_k|), a part being
respectful when it is a single point or lies in a closed triangle that lies in conv(S)
(upper variant: below the upper hull). Everything combinatorial here is decided in exact
rational arithmetic (``fractions.Fraction`` built from the input doubles, which is
exact), independently of geoent's predicates and hull.

Which parts are admissible. A set T of two or more points lies in a triangle
D with D inside Q = conv(S) iff the polygon P = conv(T) does (D is convex).

* If P has at most three vertices, P itself is a (possibly degenerate) triangle whose
  corners are input points, so it lies in Q: T is admissible.
* If P has four or more vertices it may or may not fit: a small square deep inside a
  big triangle fits, the same square inside a slightly bigger square does not. So
  "conv(T) has at most 3 vertices" is NOT the criterion; we decide "is there a
  triangle D with P in D in Q" (the nested-triangle problem) exactly as follows.

Nested triangle, exactly. (1) If a feasible D exists, one exists with its corners on the
boundary of Q: moving a corner v away from the midpoint of the opposite side only
enlarges the triangle (v stays inside the new one), so push until it hits the boundary.
(2) For a point a on the boundary let F(a) be the farthest boundary point, going
counter-clockwise, such that P lies on the left of (or on) the chord a -> F(a). F is
monotone along the boundary, and a greedy argument shows: a feasible D with a corner at
a exists iff the greedy chord walk a -> F(a) -> F(F(a)) -> F^3(a) reaches or passes a
again (lifted, F^3(a) >= a + m with the boundary parametrised as [0, m), one unit per
edge). (3) On each edge, between *critical points* (where the boundary meets a line
through an edge of P, or through a vertex of P and a vertex of Q, or meets P), the
tangent vertex and the edge hit are fixed, so F is a fractional-linear function of the
parameter (a perspectivity), and so is F^3 on the finer pieces obtained by pulling the
critical points back through F and F^2. On each piece the condition
F^3(s) - s - m >= 0 becomes a quadratic inequality in s, whose maximum on a closed
interval is at an end or at the rational vertex of the parabola. Every True answer comes
with a rational witness triangle, verified exactly. When P contains a vertex v of Q, v
must be a corner of D (a vertex of Q is an extreme point of Q, hence of D), so the
greedy walk from v alone decides.

The minimum over partitions is a dynamic programme over subsets (3^n / 2 steps) once the
admissible subsets are known (a subset of an admissible set is admissible, which prunes
the search).

Upper variant: U is unbounded below; we use U_B = U cut at y = min y - B, a bounded
convex polygon, so the result H_B is an upper bound on the upper-hull entropy that equals
it once B is large enough; tests pick B beyond every Steiner corner they compare with.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from fractions import Fraction
from fractions import Fraction as Fr

import numpy as np

__all__ = [
    # predicates
    "fraction_det",
    "fraction_sign",
    "bareiss_det",
    "orient2d",
    "incircle",
    "orient3d",
    "insphere",
    "signs",
    "ORACLES",
    # hulls
    "convex_hull_2d",
    "hull3d_vertices",
    "hull3d_dim",
    # point location and Delaunay
    "containing_triangles",
    "is_delaunay",
    # structural entropy
    "exact_entropy",
    "admissible_sets",
    "nested_triangle",
    "frac_hull",
    "in_triangle",
]


# ===========================================================================
# predicates
# ===========================================================================
def fraction_det(matrix):
    """Exact determinant of a square matrix of Fractions (Gaussian elimination)."""
    m = [list(row) for row in matrix]
    n = len(m)
    result = Fraction(1)
    for col in range(n):
        pivot = next((r for r in range(col, n) if m[r][col] != 0), None)
        if pivot is None:
            return Fraction(0)
        if pivot != col:
            m[col], m[pivot] = m[pivot], m[col]
            result = -result
        p = m[col][col]
        result *= p
        for r in range(col + 1, n):
            f = m[r][col]
            if f:
                f = f / p
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return result


def _sign(v):
    return (v > 0) - (v < 0)


def bareiss_det(matrix):
    """Exact determinant of a square matrix of Python integers (Bareiss fraction-free
    elimination: every division is exact)."""
    m = [list(row) for row in matrix]
    n = len(m)
    sign = 1
    prev = 1
    for k in range(n - 1):
        if m[k][k] == 0:
            swap = next((r for r in range(k + 1, n) if m[r][k] != 0), None)
            if swap is None:
                return 0
            m[k], m[swap] = m[swap], m[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) // prev
        prev = m[k][k]
    return sign * m[n - 1][n - 1]


def _int_rows(points, lifted):
    """The lifted matrix of ``points`` with every coordinate multiplied by one common
    power of two that makes them all integers (exact: ``float.as_integer_ratio``).

    Scaling every coordinate by D > 0 multiplies these determinants by a positive
    power of D (the lift column scales by D**2, the column of ones not at all), so
    the sign is unchanged.
    """
    ratios = [[float(v).as_integer_ratio() for v in p] for p in points]
    denom = max(d for row in ratios for _, d in row)
    rows = []
    for row in ratios:
        q = [n * (denom // d) for n, d in row]
        rows.append(q + ([sum(x * x for x in q)] if lifted else []) + [1])
    return rows


def fraction_sign(name, *points):
    """Sign of predicate ``name`` from the Fraction determinant (slower cross-check)."""
    lifted = name in ("incircle", "insphere")
    rows = []
    for p in points:
        q = [Fraction(float(v)) for v in p]
        rows.append(q + ([sum(x * x for x in q)] if lifted else []) + [Fraction(1)])
    return _sign(fraction_det(rows))


def orient2d(a, b, c):
    """Exact sign (-1, 0, 1) of orient2d for three 2D points."""
    return _sign(bareiss_det(_int_rows((a, b, c), False)))


def incircle(a, b, c, d):
    """Exact sign of incircle for four 2D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d), True)))


def orient3d(a, b, c, d):
    """Exact sign of orient3d for four 3D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d), False)))


def insphere(a, b, c, d, e):
    """Exact sign of insphere for five 3D points."""
    return _sign(bareiss_det(_int_rows((a, b, c, d, e), True)))


ORACLES = {
    "orient2d": orient2d,
    "incircle": incircle,
    "orient3d": orient3d,
    "insphere": insphere,
}


def signs(name, *arrays):
    """The oracle ``name`` applied row by row to (k, dim) arrays: int8 signs, shape (k,)."""
    fn = ORACLES[name]
    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    k = arrays[0].shape[0]
    return np.array([fn(*(a[i] for a in arrays)) for i in range(k)], dtype=np.int8)


# ===========================================================================
# 2D convex hull
# ===========================================================================


def _as_ints(pts):
    """Coordinates times one common power of two: exact Python integers (the scale is
    positive, so every orientation sign and every order is unchanged)."""
    ratios = [[float(v).as_integer_ratio() for v in p] for p in pts]
    den = max([d for row in ratios for _, d in row] + [1])
    return [tuple(n * (den // d) for n, d in row) for row in ratios]


def convex_hull_2d(pts):
    """Exact 2D hull by brute force, in geoent's canonical form: indices of the
    strictly convex vertices, counter-clockwise from the lexicographically smallest
    point, the lowest index standing for exact duplicates.

    Why it is right: distinct points p, q form a hull edge p -> q exactly when every
    point r has orient(p, q, r) >= 0 and every r on the line lies in the closed segment
    [p, q]; the vertices are the endpoints of such edges, which are then the strictly
    convex vertices. Counter-clockwise order follows the edges from the smallest
    vertex. O(n^3) integer arithmetic.
    """
    pts = np.asarray(pts, dtype=np.float64)
    ip = _as_ints(pts)
    first = {}
    for i, p in enumerate(ip):
        first.setdefault(p, i)
    reps = sorted(first.values())
    if len(reps) == 1:
        return [reps[0]]
    succ = {}
    for i, j in itertools.permutations(reps, 2):
        (ax, ay), (bx, by) = ip[i], ip[j]
        ok = True
        for k in reps:
            cx, cy = ip[k]
            o = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
            if o < 0:
                ok = False
                break
            if o == 0:
                # on the line: must lie between a and b
                if (cx - ax) * (bx - ax) + (cy - ay) * (by - ay) < 0:
                    ok = False
                    break
                if (cx - bx) * (ax - bx) + (cy - by) * (ay - by) < 0:
                    ok = False
                    break
        if ok:
            succ[i] = j
    start = min(succ, key=lambda i: (ip[i], i))
    out = [start]
    while succ[out[-1]] != start:
        out.append(succ[out[-1]])
        assert len(out) <= len(reps)
    return out


# ===========================================================================
# 3D convex hull
# ===========================================================================


def _exact3(p):
    return tuple(int(v) if float(v).is_integer() else Fraction(float(v)) for v in p)


def _sub3(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _cross3(u, v):
    return (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])


def _dot3(u, v):
    return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]


def _orient3(a, b, c, d):
    """Exact orient3d value: > 0 when d is below the plane of counter-clockwise a, b, c."""
    return _dot3(_sub3(a, d), _cross3(_sub3(b, d), _sub3(c, d)))


def _in_segment3(p, a, b):
    ab, ap = _sub3(b, a), _sub3(p, a)
    return _cross3(ab, ap) == (0, 0, 0) and _dot3(ap, _sub3(b, p)) >= 0


def _in_triangle3(p, a, b, c):
    n = _cross3(_sub3(b, a), _sub3(c, a))
    if n == (0, 0, 0) or _dot3(n, _sub3(p, a)) != 0:
        return False
    return all(
        _dot3(_cross3(_sub3(v, u), _sub3(p, u)), n) >= 0 for u, v in ((a, b), (b, c), (c, a))
    )


def _in_tetra3(p, a, b, c, d):
    s = _orient3(a, b, c, d)
    if s == 0:
        return False
    parts = (
        _orient3(p, b, c, d),
        _orient3(a, p, c, d),
        _orient3(a, b, p, d),
        _orient3(a, b, c, p),
    )
    return all(x * s >= 0 for x in parts)


def hull3d_vertices(pts):
    """Indices of the extreme points of a 3D set, ascending, the lowest index standing
    for exact duplicates.

    Why it is right: by Caratheodory's theorem a point of a 3D set that is not extreme
    lies in the convex hull of at most four of the other points, that is in a closed
    segment, triangle or tetrahedron of them; an extreme point lies in none. Each
    containment test is exact (integer or Fraction arithmetic). O(n^5): tiny sets only.
    """
    first = {}
    for i, p in enumerate(map(_exact3, pts)):
        first.setdefault(p, i)
    distinct = list(first.items())
    out = []
    for p, i in distinct:
        others = [q for q, _ in distinct if q != p]
        covered = (
            any(_in_segment3(p, *s) for s in itertools.combinations(others, 2))
            or any(_in_triangle3(p, *t) for t in itertools.combinations(others, 3))
            or any(_in_tetra3(p, *t) for t in itertools.combinations(others, 4))
        )
        if not covered:
            out.append(i)
    return sorted(out)


def hull3d_dim(pts):
    """Affine dimension (0..3) of a 3D set, exactly: one distinct point, all on the line
    of the first two, all on the plane of the first two and a third off that line, or
    not."""
    q = list(dict.fromkeys(map(_exact3, pts)))
    if len(q) == 1:
        return 0
    a, b = q[0], q[1]
    c = next((x for x in q if _cross3(_sub3(b, a), _sub3(x, a)) != (0, 0, 0)), None)
    if c is None:
        return 1
    if all(_orient3(a, b, c, x) == 0 for x in q):
        return 2
    return 3


# ===========================================================================
# point location and Delaunay
# ===========================================================================


def containing_triangles(pts, simplices, q):
    """Set of the indices of the triangles in ``simplices`` (counter-clockwise rows of
    indices into ``pts``) whose closed area holds the 2D point ``q``.

    Why it is right: q is in the closed counter-clockwise triangle abc iff it is on the
    left of or on each of the three directed edges, decided by the exact ``orient2d``
    above; every triangle is tested, so the set is complete.
    """
    out = set()
    for t, (a, b, c) in enumerate(np.asarray(simplices).tolist()):
        if all(orient2d(pts[u], pts[v], q) >= 0 for u, v in ((a, b), (b, c), (c, a))):
            out.add(t)
    return out


def is_delaunay(pts, simplices):
    """Whether every triangle is non-degenerate and its circumcircle holds no input
    point strictly inside (the empty-circle property), checked exactly.

    Why it is right: it is the definition, tested triangle by triangle against every
    input point with the exact ``orient2d`` and ``incircle`` above (each triangle is
    first put counter-clockwise, as incircle's sign convention needs).
    """
    pts = np.asarray(pts, dtype=np.float64)
    for t in np.asarray(simplices).tolist():
        a, b, c = (pts[i] for i in t)
        o = orient2d(a, b, c)
        if o == 0:
            return False
        if o < 0:
            b, c = c, b
        if any(incircle(a, b, c, d) > 0 for d in pts):
            return False
    return True


# ===========================================================================
# structural entropy (exact minimum over respectful partitions)
# ===========================================================================

# exact planar primitives on tuples of Fractions


def _sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def _cross(u, v):
    return u[0] * v[1] - u[1] * v[0]


def _orient(a, b, c):
    return _cross(_sub(b, a), _sub(c, a))


def frac_hull(pts):
    """Strictly convex hull vertices (counter-clockwise from the lowest-leftmost) of a
    list of Fraction pairs; one point for a single distinct point, two for a segment."""
    ps = sorted(set(pts))
    if len(ps) <= 2:
        return ps
    lower, upper = [], []
    for p in ps:
        while len(lower) >= 2 and _orient(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(ps):
        while len(upper) >= 2 and _orient(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    h = lower[:-1] + upper[:-1]
    return h if len(h) >= 2 else ps[:1]


def in_triangle(a, b, c, p):
    """p in the closed triangle abc (any orientation, degenerate = segment/point)."""
    o = _orient(a, b, c)
    if o != 0:
        s = 1 if o > 0 else -1
        return s * _orient(a, b, p) >= 0 and s * _orient(b, c, p) >= 0 and s * _orient(c, a, p) >= 0
    lo, hi = min(a, b, c), max(a, b, c)
    if lo == hi:
        return p == lo
    return _orient(lo, hi, p) == 0 and lo <= p <= hi


# ---------------------------------------------------------------------------
# the nested-triangle decision
# ---------------------------------------------------------------------------


class _Boundary:
    """The boundary of a strictly convex CCW polygon Q, parametrised by s in [0, m):
    s = k + t is the point Q[k] + t (Q[k+1] - Q[k]). Values are lifted to the real line
    (s + m is the same point one turn later)."""

    def __init__(self, q):
        self.q = q
        self.m = len(q)
        self.e = [_sub(q[(k + 1) % self.m], q[k]) for k in range(self.m)]

    def point(self, s):
        m = self.m
        s0 = s - m * math.floor(s / m)
        k = math.floor(s0)
        t = s0 - k
        e = self.e[k]
        return (self.q[k][0] + t * e[0], self.q[k][1] + t * e[1])

    def param(self, z):
        for k in range(self.m):
            e = self.e[k]
            if _cross(e, _sub(z, self.q[k])) == 0:
                d = _sub(z, self.q[k])
                t = (d[0] * e[0] + d[1] * e[1]) / (e[0] * e[0] + e[1] * e[1])
                if 0 <= t < 1:
                    return k + t
        raise AssertionError(f"point {z} is not on the boundary")

    def exit(self, a, d):
        """Last point of Q on the ray a + lam d (a in Q, d != 0)."""
        lam = None
        for k in range(self.m):
            g = _cross(self.e[k], d)
            if g < 0:
                f = _cross(self.e[k], _sub(a, self.q[k]))
                v = f / (-g)
                if lam is None or v < lam:
                    lam = v
        assert lam is not None, "ray does not leave a bounded polygon"
        return (a[0] + lam * d[0], a[1] + lam * d[1])

    def lines_hits(self, u, v):
        """Parameters where the line through u and v meets the boundary."""
        out = []
        d = _sub(v, u)
        for k in range(self.m):
            c0 = _cross(d, _sub(self.q[k], u))
            c1 = _cross(d, self.e[k])
            if c1 != 0:
                t = -c0 / c1
                if 0 <= t <= 1:
                    out.append((k + t) % self.m)
            elif c0 == 0:
                out.extend([Fr(k), Fr((k + 1) % self.m)])
        return out


class _Greedy:
    """The chord map F of P inside Q and its pieces."""

    def __init__(self, p, q):
        self.p = p
        self.b = _Boundary(q)
        self.m = self.b.m

    def f(self, s):
        """Lifted F(s) > s and the index of the tangent vertex of P."""
        m = self.m
        r = math.floor(s / m)
        s0 = s - r * m
        a = self.b.point(s0)
        best, arg = None, -1
        for j, p in enumerate(self.p):
            if p == a:
                continue
            z = self.b.exit(a, _sub(p, a))
            sz = self.b.param(z)
            if sz <= s0:
                sz += m
            if best is None or sz < best:
                best, arg = sz, j
        return best + r * m, arg

    def f3(self, s):
        v1 = self.f(s)[0]
        v2 = self.f(v1)[0]
        return v1, v2, self.f(v2)[0]

    def critical(self):
        b, p, q = self.b, self.p, self.b.q
        crit = {Fr(k) for k in range(self.m)}
        k = len(p)
        for i in range(k):
            crit.update(b.lines_hits(p[i], p[(i + 1) % k]))
            for v in q:
                if v != p[i]:
                    crit.update(b.lines_hits(p[i], v))
            for j in range(self.m):
                if _cross(b.e[j], _sub(p[i], q[j])) == 0:
                    crit.add(b.param(p[i]))
                    break
        return sorted(crit)


def _apply(mat, s):
    (a, b), (c, d) = mat
    return (a * s + b) / (c * s + d)


def _mul(x, y):
    return (
        (x[0][0] * y[0][0] + x[0][1] * y[1][0], x[0][0] * y[0][1] + x[0][1] * y[1][1]),
        (x[1][0] * y[0][0] + x[1][1] * y[1][0], x[1][0] * y[0][1] + x[1][1] * y[1][1]),
    )


def _inv(mat):
    (a, b), (c, d) = mat
    return ((d, -b), (-c, a))


def _shift(mat, c):
    """s -> M(s - c) + c."""
    return _mul(_mul(((1, c), (0, 1)), mat), ((1, -c), (0, 1)))


def _const(v):
    return ((Fr(0), v), (Fr(0), Fr(1)))


def _is_const(mat):
    return mat[0][0] == 0 and mat[1][0] == 0


def _piece_map(g, lo, hi):
    """Matrix of F on the open piece (lo, hi) of one edge, checked at a third point."""
    m = g.m
    s1 = (2 * lo + hi) / 3
    s2 = (lo + 2 * hi) / 3
    mid = (lo + hi) / 2
    fm, j = g.f(mid)
    f1, _ = g.f(s1)
    if f1 == fm:
        mat = _const(fm)
    else:
        i = math.floor(lo)
        ei = g.b.e[i]
        a0 = (g.b.q[i][0] - i * ei[0], g.b.q[i][1] - i * ei[1])
        big_k = math.floor(fm)
        kk = big_k % m
        e = g.b.e[kk]
        w = _sub(g.b.q[kk], g.p[j])
        d0 = _sub(g.p[j], a0)
        mat = (
            (_cross(ei, w) - big_k * _cross(ei, e), -_cross(d0, w) + big_k * _cross(d0, e)),
            (-_cross(ei, e), _cross(d0, e)),
        )
    for s in (s1, s2):
        assert _apply(mat, s) == g.f(s)[0], "piecewise map of F does not match F"
    return mat


def _compose(g, pieces, fpieces, flo, crit):
    """Pieces of F o G from the pieces of G and of F (F's piece starts ``flo``)."""
    m = g.m
    out = []
    for lo, hi, mat in pieces:
        if _is_const(mat):
            out.append((lo, hi, _const(g.f(_apply(mat, lo))[0])))
            continue
        ylo, yhi = _apply(mat, lo), _apply(mat, hi)
        inv = _inv(mat)
        cuts = []
        for r in range(math.floor(ylo / m), math.floor(yhi / m) + 1):
            for c in crit:
                y = c + r * m
                if ylo < y < yhi:
                    cuts.append(_apply(inv, y))
        bounds = [lo, *sorted(cuts), hi]
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            ymid = _apply(mat, (a + b) / 2)
            r = math.floor(ymid / m)
            j = bisect_right(flo, ymid - r * m) - 1
            out.append((a, b, _mul(_shift(fpieces[j][2], r * m), mat)))
    return out


def _witness(g, s):
    """Rational triangle of the greedy walk from s, if it closes; verified exactly."""
    m = g.m
    v1, v2, v3 = g.f3(s)
    if v3 < s + m:
        return None
    a, b, c = g.b.point(s), g.b.point(v1), g.b.point(v2)
    assert all(in_triangle(a, b, c, p) for p in g.p), "greedy witness does not contain P"
    return (a, b, c)


def nested_triangle(p, q):
    """A triangle D with conv(p) in D in conv(q), as three Fraction points, or None.

    ``p`` and ``q`` are the vertex lists (strictly convex, counter-clockwise, Fraction
    pairs) of P and Q, with P inside Q and P having at least 3 vertices.
    """
    if len(p) <= 3:
        return tuple(p) + (p[-1],) * (3 - len(p))
    g = _Greedy(p, q)
    shared = [v for v in q if v in set(p)]
    if len(shared) > 3:
        return None
    if shared:
        # a vertex of Q inside D is a corner of D: the greedy walk from it decides
        return _witness(g, g.b.param(shared[0]))
    m = g.m
    crit = g.critical()
    ends = crit + [Fr(m)]
    fpieces = [(lo, hi, _piece_map(g, lo, hi)) for lo, hi in zip(ends[:-1], ends[1:], strict=True)]
    flo = [lo for lo, _, _ in fpieces]
    for s in crit:
        w = _witness(g, s)
        if w is not None:
            return w
    f3 = _compose(g, _compose(g, fpieces, fpieces, flo, crit), fpieces, flo, crit)
    for lo, hi, mat in f3:
        for s in (lo, hi):
            w = _witness(g, s)
            if w is not None:
                return w
        # sign(den) * (num - (s + m) den) >= 0 somewhere on [lo, hi]?
        (al, be), (ga, de) = mat
        mid = (lo + hi) / 2
        sig = 1 if ga * mid + de > 0 else -1
        qa = -sig * ga
        qb = sig * (al - de - m * ga)
        if qa < 0:
            v = -qb / (2 * qa)
            if lo < v < hi:
                w = _witness(g, v)
                if w is not None:
                    return w
    return None


# ---------------------------------------------------------------------------
# admissible parts and the minimum over partitions
# ---------------------------------------------------------------------------


def _upper_region(fpts, depth):
    """Vertices (CCW) of U_B: below the upper hull, above min y - depth."""
    xl = min(p[0] for p in fpts)
    xr = max(p[0] for p in fpts)
    yb = min(p[1] for p in fpts) - depth
    hull = frac_hull(fpts + [(xl, yb), (xr, yb)])
    return hull


def admissible_sets(points, *, upper=False, depth=None):
    """Boolean list over bitmasks of ``points``: whether that subset is admissible."""
    fpts = [(Fr(float(x)), Fr(float(y))) for x, y in points]
    n = len(fpts)
    if upper:
        if depth is None:
            raise ValueError("upper=True needs depth (the truncation B of the region)")
        region = _upper_region(fpts, Fr(depth))
    else:
        region = frac_hull(fpts)
    ok = [False] * (1 << n)
    memo = {}
    for mask in sorted(range(1, 1 << n), key=lambda v: bin(v).count("1")):
        members = [fpts[i] for i in range(n) if mask >> i & 1]
        if len(members) == 1:
            ok[mask] = True
            continue
        # a subset of an admissible set is admissible; contrapositive prunes
        if not all(ok[mask & ~(1 << i)] for i in range(n) if mask >> i & 1):
            continue
        poly = frac_hull(members)
        if len(poly) <= 3:
            ok[mask] = True
            continue
        key = tuple(poly)
        if key not in memo:
            memo[key] = nested_triangle(poly, region) is not None
        ok[mask] = memo[key]
    return ok


def exact_entropy(points, *, upper=False, depth=None, return_partition=False):
    """Exact H(S) (natural log) of a small set (n <= ~10), by dynamic programming.

    Returns the float H, or ``(H, parts)`` with ``parts`` a list of index tuples of an
    optimal partition.
    """
    n = len(points)
    ok = admissible_sets(points, upper=upper, depth=depth)
    cost = [0.0] * (n + 1)
    for s in range(1, n + 1):
        cost[s] = (s / n) * math.log(n / s)
    full = (1 << n) - 1
    best = [math.inf] * (1 << n)
    choice = [0] * (1 << n)
    best[0] = 0.0
    for mask in range(1, full + 1):
        low = mask & -mask
        rest = mask ^ low
        sub = rest
        while True:
            part = sub | low
            if ok[part]:
                v = cost[bin(part).count("1")] + best[mask ^ part]
                if v < best[mask]:
                    best[mask] = v
                    choice[mask] = part
            if sub == 0:
                break
            sub = (sub - 1) & rest
    if not return_partition:
        return best[full]
    parts, mask = [], full
    while mask:
        part = choice[mask]
        parts.append(tuple(i for i in range(n) if part >> i & 1))
        mask ^= part
    return best[full], parts


def _gap_report(seeds=40):
    """Certified minus exact entropy on seeded random sets; prints a table."""
    import numpy as np

    import geoent

    rows = []
    families = {
        "uniform": lambda r, n: r.random((n, 2)),
        "gaussian": lambda r, n: r.standard_normal((n, 2)),
        "cluster+ring": lambda r, n: np.vstack(
            [
                np.column_stack([np.cos(t := r.random(n // 2) * 2 * np.pi), np.sin(t)]),
                0.1 * r.standard_normal((n - n // 2, 2)),
            ]
        ),
        "int-grid": lambda r, n: r.integers(0, 4, (n, 2)).astype(float),
    }
    print(f"{'family':<14}{'n':>3}{'sets':>6}{'exact':>7}{'mean gap':>10}{'max gap':>9}"
          f"{'mean H':>8}")  # fmt: skip
    for name, gen in families.items():
        for n in (6, 7, 8, 9):
            gaps, hs = [], []
            for seed in range(seeds):
                pts = gen(np.random.default_rng(seed), n)
                h = exact_entropy(pts)
                c = geoent.range_partition_entropy(pts).entropy
                gaps.append(c - h)
                hs.append(h)
            g = np.array(gaps)
            rows.append((name, n, g))
            print(
                f"{name:<14}{n:>3}{len(g):>6}{np.mean(g < 1e-12):>7.1%}{g.mean():>10.4f}"
                f"{g.max():>9.4f}{np.mean(hs):>8.3f}"
            )
    allg = np.concatenate([r[2] for r in rows])
    print(
        f"all: {len(allg)} sets, certified == exact on {np.mean(allg < 1e-12):.1%}, "
        f"mean gap {allg.mean():.4f} nats, max {allg.max():.4f}, min {allg.min():.2e}"
    )


if __name__ == "__main__":
    import sys

    if "--gap" in sys.argv:
        k = sys.argv.index("--seeds") + 1 if "--seeds" in sys.argv else 0
        _gap_report(seeds=int(sys.argv[k]) if k else 40)
    else:
        print(__doc__)
