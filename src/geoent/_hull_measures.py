"""Facet equations, volume and area of an exact hull: finite and accurate at every
scale a double can hold, accurate to about 1e-12 or exact.

The hull itself is exact; these are rounded measurements of it. Two layers:

* Scale (issue 18). Computed naively the measures overflow (products of coordinates
  near 1e150 and above) or underflow (near 1e-150 and below, subnormals included)
  long before the value itself leaves the double range. So the points are first
  scaled by a power of two, ``2**-k``, that brings the largest coordinate into
  [0.5, 1): multiplying by a power of two is exact (apart from bits below 2**-1074
  that points far smaller than the largest one may lose, far below the rounding of
  the result). Everything is computed there and scaled back with ``ldexp``, which
  rounds once. A result beyond the double range is ``inf`` (e.g. the volume of a 3D
  hull of extent 1e300); one below it rounds to zero or a subnormal, as any
  correctly rounded value would.
* Certification (issue 15). On the scaled points, floating-point formulas are kept
  where a certified error bound shows they are accurate to a relative 2**-40 (about
  1e-12); the rest (a facet whose corners are nearly collinear, a hull of ulp-thin
  volume) is computed with ``fractions.Fraction`` and rounded once. So no equation
  is NaN and the volume always has the right sign (positive for a full-dimensional
  hull).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ._aot import kernels_of

_hm, _k3 = kernels_of("hull_measures"), kernels_of("hull3d")  # compiled where built (geoent._aot)

__all__ = [
    "equations_3d",
    "measures_2d",
    "measures_2d_at",
    "measures_3d",
    "ring_measures_2d",
    "scale_exponent",
    "volume_area_3d",
    "volume_area_bounds_3d",
]

_EPS = np.finfo(float).eps
_TRUST = 2.0**40  # accept a float result when its error bound is below 2**-40 of it


def _certified_2d(pts, v):
    """``(equations, perimeter, area)`` of the 2D hull with counter-clockwise vertices ``v``."""
    nxt = np.concatenate((v[1:], v[:1]))  # the next vertex (np.roll, without its overhead)
    a = pts[v]
    b = pts[nxt]
    e = b - a  # distinct vertices: never a zero difference
    length = np.hypot(e[:, 0], e[:, 1])
    normal = np.column_stack((e[:, 1], -e[:, 0])) / length[:, None]
    offset = 0.0 - np.einsum("ij,ij->i", normal, a)  # 0.0 - x: no -0.0 offsets
    equations = np.column_stack((normal, offset))
    perimeter = float(length.sum())
    # twice the area: the fan from vertex a[0], each triangle as r_i x e_i with r_i =
    # a_i - a[0] and e_i the edge a_i -> a_{i+1} (equal to r_i x r_{i+1}, but with a
    # short edge in place of a long chord, so the error bound is not inflated by the
    # thin triangles of a many-vertex polygon). fsum rounds the sum of the terms once,
    # so the bound does not grow with the vertex count either.
    r = a - a[0]
    t1 = r[:, 0] * e[:, 1]
    t2 = r[:, 1] * e[:, 0]
    d = t1 - t2
    # streamed in blocks: no list of all the terms (a Python float each)
    twice = math.fsum(x for i in range(0, d.shape[0], _BLOCK) for x in d[i : i + _BLOCK].tolist())
    del d
    # per term: rounded inputs r and e (eps each), product, subtraction: below
    # 5 eps (|t1| + |t2|); 16 eps also covers the float sum of the |t|
    bound = 16.0 * _EPS * float(np.sum(np.abs(t1) + np.abs(t2)))
    if not abs(twice) > _TRUST * bound:
        twice = _exact_twice_area(pts, v)
    return equations, perimeter, 0.5 * twice


def _exact_twice_area(pts, v):
    xs = [Fraction(x) for x in pts[v, 0].tolist()]
    ys = [Fraction(y) for y in pts[v, 1].tolist()]
    h = len(xs)
    s = sum(xs[i] * ys[(i + 1) % h] - xs[(i + 1) % h] * ys[i] for i in range(h))
    return float(s)


def _cross_rows_exact(corners):
    """Exact normals (b - a) x (c - a) of the facets with corners ``corners``
    (shape (r, 3, 3): a, b, c per facet), rounded once at the end:
    ``(unit normals, lengths |n|)``. Each row is divided by its largest
    component before the square root, so nothing overflows or underflows."""
    units = np.empty((corners.shape[0], 3))
    lengths = np.empty(corners.shape[0])
    for k, abc in enumerate(corners.tolist()):
        a, b, c = ([Fraction(x) for x in p] for p in abc)
        u = [b[j] - a[j] for j in range(3)]
        w = [c[j] - a[j] for j in range(3)]
        n = [u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]]
        big = max(abs(x) for x in n)
        if big == 0:  # degenerate facet (cannot happen for an exact hull)
            units[k] = np.nan
            lengths[k] = 0.0
            continue
        q = np.array([float(x / big) for x in n])
        nq = math.sqrt(float(sum((x / big) ** 2 for x in n)))
        units[k] = q / nq
        lengths[k] = float(big) * nq
    return units, lengths


# Facets per block: the float temporaries of one block are a few MB whatever the
# hull's size (whole-size temporaries of shape (2n, 3) are each twice the input of
# a hull of n points in convex position: issue 18's peak-memory target).
_BLOCK = 1 << 13

#: one block of facets: volume and area terms from one compiled pass
#: (``facet_parts``) instead of the numpy block path (tests switch it off to
#: compare the two bit for bit)
_ONE_PASS = True


def _facet_blocks(pts, simplices, k):
    """Per block of facets, on the points scaled by ``2**-k``: ``(lo, a, cr, err,
    normal, norm)`` with ``a`` the first corners, ``cr`` the float cross products
    (b - a) x (c - a), ``err`` a bound on their components' rounding error,
    ``normal`` the unit normals and ``norm`` the lengths (exact, rounded once,
    where the float ones are not certified)."""
    for lo in range(0, simplices.shape[0], _BLOCK):
        tri = simplices[lo : lo + _BLOCK]
        a = np.ldexp(pts[tri[:, 0]], -k)
        u = np.ldexp(pts[tri[:, 1]], -k) - a
        w = np.ldexp(pts[tri[:, 2]], -k) - a
        cr = np.cross(u, w)
        # error bound of each component (2x2 determinant of rounded differences)
        perm = np.stack(
            (
                np.abs(u[:, 1] * w[:, 2]) + np.abs(u[:, 2] * w[:, 1]),
                np.abs(u[:, 2] * w[:, 0]) + np.abs(u[:, 0] * w[:, 2]),
                np.abs(u[:, 0] * w[:, 1]) + np.abs(u[:, 1] * w[:, 0]),
            ),
            axis=1,
        )
        del u, w
        err = 8.0 * _EPS * perm.max(axis=1)
        del perm
        norm = np.linalg.norm(cr, axis=1)
        bad = ~(norm > _TRUST * err) | ~np.isfinite(norm)
        with np.errstate(invalid="ignore", divide="ignore"):
            normal = cr / norm[:, None]
        if bad.any():
            rows = np.flatnonzero(bad)
            normal[rows], norm[rows] = _cross_rows_exact(np.ldexp(pts[tri[rows]], -k))
        yield lo, a, cr, err, normal, norm


def _equations_3d(pts, simplices, k):
    """Facet equations (scaled back by ``2**k``), filled block by block."""
    eq = np.empty((simplices.shape[0], 4))
    for lo, a, _, _, normal, _ in _facet_blocks(pts, simplices, k):
        hi = lo + a.shape[0]
        eq[lo:hi, :3] = normal
        offset = 0.0 - np.einsum("ij,ij->i", normal, a)  # 0.0 - x: no -0.0 offsets
        with np.errstate(over="ignore"):  # inf is the value beyond the double range
            eq[lo:hi, 3] = np.ldexp(offset, k)
    return eq


def _volume_area_3d(pts, simplices, v0, k):
    """``(six times the volume, area)`` on the points scaled by ``2**-k``.

    Volume: tetrahedra from one hull vertex c0, each as p . (u x w) with p = a - c0
    and u x w the facet's own cross product (equal to p . ((b - c0) x (c - c0)),
    but the permanent of long chords from c0 overstates the error of the thin
    tetrahedra of a many-facet hull by orders of magnitude). The terms are summed
    with one rounding (fsum, streamed block by block: the same value as over one
    list of all of them) and kept only when the error bound certifies 2**-40
    relative accuracy, else summed exactly. Area: half the sum of the facet norms
    (pairwise within a block, fsum over the blocks' sums).
    """
    c0 = np.ldexp(pts[v0], -k)
    norm_sums = []
    bound_sums = []

    def terms():
        for _, a, cr, err, _, norm in _facet_blocks(pts, simplices, k):
            norm_sums.append(float(norm.sum()))
            p = a - c0
            ap = np.abs(p)
            # per term: |p| . (error of u x w, err per component) + rounding of p
            # (eps) and of the dot product (3 eps) on |p| . |u x w|
            per_term = ap.sum(axis=1) * err + 5.0 * _EPS * _dot3(ap, np.abs(cr))
            bound_sums.append(float(per_term.sum()))
            yield from _dot3(p, cr).tolist()

    if _ONE_PASS and simplices.shape[0] <= _BLOCK:
        # one block: the same values from one compiled pass (bit for bit: the
        # kernel does the same operations; equality tested in test_small_calls)
        norm, term, per_term, nbad = _hm.facet_parts(pts, simplices, v0, k, _EPS, _TRUST)
        if not nbad:  # else a facet needs exact arithmetic: the general path
            norm_sums.append(float(norm.sum()))
            bound_sums.append(float(per_term.sum()))
            six = math.fsum(term.tolist())
        else:
            six = math.fsum(terms())
    else:
        six = math.fsum(terms())
    # 2x: the float sums of the bounds
    bound = 2.0 * math.fsum(bound_sums) + _EPS * abs(six)
    if not abs(six) > _TRUST * bound:
        six = _exact_six_volume(np.ldexp(pts, -k), simplices, v0)
    return six, 0.5 * math.fsum(norm_sums)


def _dot3(p, q):
    """Row-wise dot products of (m, 3) arrays summed as (x + z) + y: the order
    of numpy's ``einsum("ij,ij->i")`` on x86-64 (which this replaced, measured
    equal bit for bit), written out so that the compiled one-block path
    (``facet_parts``) can match it on every machine."""
    return (p[:, 0] * q[:, 0] + p[:, 2] * q[:, 2]) + p[:, 1] * q[:, 1]


def _exact_six_volume(pts, simplices, v0):
    c0 = [Fraction(x) for x in pts[v0].tolist()]
    total = Fraction(0)
    P = pts.tolist()
    for i, j, k in simplices.tolist():
        p = [Fraction(P[i][d]) - c0[d] for d in range(3)]
        q = [Fraction(P[j][d]) - c0[d] for d in range(3)]
        r = [Fraction(P[k][d]) - c0[d] for d in range(3)]
        total += (
            p[0] * (q[1] * r[2] - q[2] * r[1])
            + p[1] * (q[2] * r[0] - q[0] * r[2])
            + p[2] * (q[0] * r[1] - q[1] * r[0])
        )
    return float(total)


def _global_exponent(pts):
    """k such that max |pts| * 2**-k lies in [0.5, 1) (0 for all-zero input)."""
    amax = float(np.max(np.abs(pts))) if pts.size else 0.0
    if amax == 0.0:
        return 0
    return int(np.frexp(amax)[1])


def measures_2d(pts, v):
    """``(equations, volume, area)`` of the counter-clockwise hull polygon
    ``pts[v]`` (float64, shape (n, 2)), scipy's meanings: outward unit normals with
    offsets, the polygon's area and its perimeter.

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[0.0, 0.0], [3e300, 0.0], [0.0, 4e300]])
    >>> eq, vol, per = measures_2d(pts, np.array([0, 1, 2]))
    >>> vol, per                     # the area 6e600 is beyond the double range
    (inf, 1.2e+301)
    >>> [float(f"{x:.12g}") for x in eq[1]]   # hypotenuse: normal (0.8, 0.6)
    [0.8, 0.6, -2.4e+300]
    """
    k = _global_exponent(pts)
    s = np.ldexp(pts, -k)
    eq, per, area = _certified_2d(s, v)
    with np.errstate(over="ignore"):  # inf is the value beyond the double range
        eq[:, 2] = np.ldexp(eq[:, 2], k)
        return eq, float(np.ldexp(area, 2 * k)), float(np.ldexp(per, k))


def measures_2d_at(pts, v):
    """``measures_2d(pts[v], np.arange(len(v)))`` without the gather: the
    element-wise work in one compiled pass (``polygon_parts``, the same
    operations), the reductions as there. ``v``: int64, counter-clockwise, at
    least 3 distinct vertices.

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[9.0, 9.0], [0.0, 0.0], [3e300, 0.0], [0.0, 4e300]])
    >>> eq, vol, per = measures_2d_at(pts, np.array([1, 2, 3]))
    >>> vol, per
    (inf, 1.2e+301)
    """
    k = _hm.scaled_max_exponent(pts, v)
    eq, parts = _hm.polygon_parts(pts, v, k)
    perimeter = float(parts[0].sum())
    twice = math.fsum(parts[1].tolist())
    bound = 16.0 * _EPS * float(parts[2].sum())
    if not abs(twice) > _TRUST * bound:
        twice = _exact_twice_area(np.ldexp(pts[v], -k), np.arange(v.shape[0]))
    return eq, _ldexp_inf(0.5 * twice, 2 * k), _ldexp_inf(perimeter, k)


def ring_measures_2d(pts, v, idx, bounds):
    """:func:`measures_2d_at` with ``ring_arrays`` (scipy's ``simplices`` and
    ``neighbors`` into ``idx``, the vertex bounds into ``bounds``) in one compiled
    call: the same values, bit for bit (the kernel sums as numpy does; tested in
    tests/test_small_fused.py).

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[9.0, 9.0], [0.0, 0.0], [3e300, 0.0], [0.0, 4e300]])
    >>> idx, b = np.empty((2, 3, 2), dtype=np.intc), np.empty((2, 2))
    >>> eq, vol, per = ring_measures_2d(pts, np.array([1, 2, 3]), idx, b)
    >>> vol, per, idx[0].tolist()
    (inf, 1.2e+301, [[1, 2], [2, 3], [3, 1]])
    """
    eq, k, perimeter, d, ssum = _hm.ring_measures(pts, v, idx, bounds)
    twice = math.fsum(d.tolist())
    bound = 16.0 * _EPS * ssum
    if not abs(twice) > _TRUST * bound:
        twice = _exact_twice_area(np.ldexp(pts[v], -k), np.arange(v.shape[0]))
    return eq, _ldexp_inf(0.5 * twice, 2 * k), _ldexp_inf(perimeter, k)


def scale_exponent(pts):
    """k such that the largest coordinate of ``pts`` times ``2**-k`` lies in
    [0.5, 1) (0 for all-zero input): one compiled pass, no temporary."""
    amax, _ = _k3.abs_range(pts)
    return 0 if amax == 0.0 else int(np.frexp(amax)[1])


def equations_3d(pts, simplices, k):
    """Outward unit normals with offsets of the triangles ``simplices`` (counter-
    clockwise seen from outside) over ``pts``, computed at scale ``2**-k``
    (``k = scale_exponent`` of the points the hull was built from), in blocks.

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    >>> tri = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    >>> equations_3d(pts, tri, scale_exponent(pts))[0].tolist()
    [0.0, 0.0, -1.0, 0.0]
    """
    return _equations_3d(pts, simplices, k)


def volume_area_3d(pts, simplices, v0, k):
    """``(volume, area)`` of the 3D hull with triangles ``simplices``
    (counter-clockwise seen from outside) over ``pts`` with vertex ``v0``,
    computed at scale ``2**-k`` in blocks of facets (extra memory a few MB).

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    >>> tri = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    >>> vol, area = volume_area_3d(pts, tri, 0, scale_exponent(pts))
    >>> float(f"{6 * vol:.12g}"), float(f"{area:.12g}")
    (1.0, 2.36602540378)
    """
    six, area = _volume_area_3d(pts, simplices, v0, k)
    return _ldexp_inf(six / 6.0, 3 * k), _ldexp_inf(area, 2 * k)


def volume_area_bounds_3d(pts, simplices, vertices, k):
    """``(volume, area, bounds)``: :func:`volume_area_3d` with vertex ``vertices[0]``
    and, for a hull of at most one block of facets, the coordinate bounds over
    ``pts[vertices]`` (rows min, max), in one compiled call: the one-block path of
    ``_volume_area_3d`` with numpy's sums done in the kernel (the same values, bit
    for bit; tested in tests/test_small_fused.py). ``bounds`` is None when the
    general path ran.

    Examples
    --------
    >>> import numpy as np
    >>> pts = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 2]])
    >>> tri = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]], dtype=np.int32)
    >>> vol, area, b = volume_area_bounds_3d(pts, tri, np.arange(4, dtype=np.int32), 2)
    >>> float(f"{3 * vol:.12g}"), b.tolist()
    (1.0, [[0.0, 0.0, 0.0], [1.0, 1.0, 2.0]])
    """
    if not (_ONE_PASS and 0 < simplices.shape[0] <= _BLOCK):
        return (*volume_area_3d(pts, simplices, vertices[0], k), None)
    nsum, psum, term, nbad, bounds = _hm.facet_sums_bounds(
        pts, simplices, int(vertices[0]), k, _EPS, _TRUST, vertices
    )
    if nbad:  # a facet needs exact arithmetic: the general path
        return (*volume_area_3d(pts, simplices, vertices[0], k), bounds)
    # _volume_area_3d's arithmetic on one block: fsum of one value is that value
    six = math.fsum(term.tolist())
    bound = 2.0 * psum + _EPS * abs(six)
    if not abs(six) > _TRUST * bound:
        six = _exact_six_volume(np.ldexp(pts, -k), simplices, vertices[0])
    return _ldexp_inf(six / 6.0, 3 * k), _ldexp_inf(0.5 * nsum, 2 * k), bounds


def _ldexp_inf(x, e):
    """``x * 2**e`` rounded once, inf beyond the double range (``np.ldexp``'s
    value, without its errstate context: a few microseconds a call)."""
    try:
        return math.ldexp(x, e)
    except OverflowError:
        return math.copysign(math.inf, x)


def measures_3d(pts, vertices, simplices):
    """``(equations, volume, area)`` of the 3D hull with triangles ``simplices``
    (counter-clockwise seen from outside) over ``pts`` (float64, shape (n, 3)).

    Examples
    --------
    >>> import numpy as np
    >>> pts = 1e-150 * np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
    >>> tri = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
    >>> eq, vol, area = measures_3d(pts, np.arange(4), tri)
    >>> vol, float(f"{area:.12g}")   # the volume 1.7e-451 underflows to 0
    (0.0, 2.36602540378e-300)
    >>> eq[0].tolist()
    [0.0, 0.0, -1.0, 0.0]
    """
    k = scale_exponent(pts)
    return (equations_3d(pts, simplices, k), *volume_area_3d(pts, simplices, vertices[0], k))
