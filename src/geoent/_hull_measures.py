"""Float attributes of an exact hull (``ConvexHull.equations``, ``volume``, ``area``)
that stay finite and accurate at every scale a double can hold.

The hull itself is exact; these are rounded measurements of it. Computed naively
they overflow (products of coordinates near 1e150 and above) or underflow (near
1e-150 and below, subnormals included) long before the value itself leaves the
double range. So the points are first scaled by a power of two, ``2**-k``, that
brings the largest coordinate into [0.5, 1): multiplying by a power of two is exact
(apart from bits below 2**-1074 that points far smaller than the largest one may
lose, which is far below the rounding of the result). Everything is computed there
and scaled back with ``ldexp``, which rounds once. A result beyond the double range
is ``inf`` (e.g. the volume of a 3D hull of extent 1e300), one below it rounds to
zero or a subnormal, as any correctly rounded value would.

Normals are computed from the facet's edge vectors rescaled again per facet (by a
power of two, so the direction is unchanged), so a facet tiny next to the whole hull
still gets a unit normal instead of an underflowed 0/0. (A facet whose float cross
product cancels to exactly zero, i.e. nearly collinear corners, is another matter:
see the scipy drop-in's issue.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["measures_2d", "measures_3d"]


def _global_exponent(pts):
    """k such that max |pts| * 2**-k lies in [0.5, 1) (0 for all-zero input)."""
    amax = float(np.max(np.abs(pts))) if pts.size else 0.0
    if amax == 0.0:
        return 0
    return int(np.frexp(amax)[1])


def _rescale_rows(v):
    """Rows of ``v`` each scaled by the power of two that puts its largest entry in
    [0.5, 1), and the exponents used (``v[i] == out[i] * 2**e[i]``)."""
    m = np.max(np.abs(v), axis=1)
    e = np.frexp(m)[1].astype(np.int64)  # frexp(0) gives exponent 0: row stays 0
    return np.ldexp(v, -e[:, None]), e


def _unit_rows(v):
    """Rows of ``v`` divided by their length, computed without overflow/underflow."""
    s, _ = _rescale_rows(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        return s / np.sqrt(np.einsum("ij,ij->i", s, s))[:, None]


def measures_2d(pts, v):
    """``(equations, volume, area)`` of the counter-clockwise hull polygon
    ``pts[v]`` (float64, shape (n, 2)): outward unit normals with offsets, its area
    and its perimeter.

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
    with np.errstate(over="ignore"):  # inf is the value beyond the double range
        return _measures_2d(pts, v, k)


def _measures_2d(pts, v, k):
    a = np.ldexp(pts[v], -k)  # |a| < 1: no overflow below
    b = np.roll(a, -1, axis=0)
    e = b - a
    normal = _unit_rows(np.column_stack((e[:, 1], -e[:, 0])))
    offset = 0.0 - np.ldexp(np.einsum("ij,ij->i", normal, a), k)  # 0.0 - x: no -0.0
    per = np.ldexp(float(np.sum(np.hypot(e[:, 0], e[:, 1]))), k)
    r = a - a[0]  # relative to one vertex: no cancellation from large offsets
    rn = np.roll(r, -1, axis=0)
    vol = np.ldexp(float(0.5 * np.sum(r[:, 0] * rn[:, 1] - r[:, 1] * rn[:, 0])), 2 * k)
    return np.column_stack((normal, offset)), float(vol), float(per)


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
    k = _global_exponent(pts)
    with np.errstate(over="ignore"):  # inf is the value beyond the double range
        return _measures_3d(pts, vertices, simplices, k)


def _measures_3d(pts, vertices, simplices, k):
    s = np.ldexp(pts, -k)
    c0 = s[vertices].mean(axis=0)
    a = s[simplices[:, 0]] - c0
    b = s[simplices[:, 1]] - c0
    c = s[simplices[:, 2]] - c0
    # per facet, the edge vectors scaled by one power of two (their direction kept)
    ab, f = _rescale_rows(np.hstack((b - a, c - a)))
    cr = np.cross(ab[:, :3], ab[:, 3:])
    crs, g = _rescale_rows(cr)
    ncr = np.sqrt(np.einsum("ij,ij->i", crs, crs))
    with np.errstate(invalid="ignore", divide="ignore"):
        normal = crs / ncr[:, None]
    offset = 0.0 - np.ldexp(np.einsum("ij,ij->i", normal, a + c0), k)
    # |b - a| x |c - a| = ncr * 2**(g + 2 f) in scaled units, * 2**(2 k) overall
    area = np.ldexp(0.5 * float(np.sum(np.ldexp(ncr, g + 2 * f))), 2 * k)
    # divergence theorem: the signed tetrahedra (c0, a, b, c) add up to the volume
    vol = np.ldexp(float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0), 3 * k)
    return np.column_stack((normal, offset)), float(vol), float(area)
