"""Exact 3D convex hull: ``hull3d(pts) -> Hull3D``.

Called by :mod:`geoent.hull` for 3-column input (already validated by
``as_points``). Every decision is an exact ``orient3d`` / ``orient2d``; see
``geoent._kernels.hull3d`` for the algorithm.

Choices worth knowing:

* **Coplanar facets are triangulated**, not merged: a planar face of the hull
  with k corners appears as k - 2 triangles (a fan from one corner). Only true
  corners are used: points in the relative interior of a face or an edge are
  never triangle corners. (scipy / Qhull instead reports merged facets as
  several triangles too, but with its own tolerance-based choice.)
* ``vertices`` holds the corners only (points on faces or edges excluded), the
  lowest index among exact duplicates, ascending.
* Degenerate input: ``dim`` 2 (all points coplanar) gives the strictly convex
  vertices of the planar hull; ``dim`` 1 the two extreme points of the segment;
  ``dim`` 0 a single index. In all three, ascending order and ``simplices`` /
  ``neighbors`` are None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._kernels import hull3d as _k
from ._kernels.predicates import orient2d
from ._validation import EXPONENT_LIMITS, check_exponent_range
from .errors import GeometryError

__all__ = ["Hull3D", "hull3d"]

# Below this many points the filter does not pay: insert everything.
_NO_FILTER_BELOW = 4096


@dataclass(frozen=True)
class Hull3D:
    """Result of :func:`hull3d`.

    Attributes
    ----------
    vertices : numpy.ndarray of int64
        Indices of the hull's corners, ascending (lowest index among duplicates).
    simplices : numpy.ndarray of int64, shape (m, 3), or None
        Triangles of the hull surface, each counter-clockwise seen from outside:
        ``orient3d(a, b, c, p) > 0`` for every point p strictly inside. None
        unless ``dim == 3``.
    neighbors : numpy.ndarray of int64, shape (m, 3), or None
        ``neighbors[t, j]`` is the triangle across the edge opposite vertex j.
    dim : int
        Affine dimension of the input: 3, or 2 / 1 / 0 for degenerate input.
    stats : dict
        Diagnostics: sample size, filter survivors, whether coplanar facets were
        merged, points found on the surface.
    """

    vertices: np.ndarray
    simplices: np.ndarray | None
    neighbors: np.ndarray | None
    dim: int
    stats: dict


def _sample_size(n):
    if n <= _NO_FILTER_BELOW:
        return n
    # sample hull cost ~ s, survivors ~ n / sqrt(s) for round data: s ~ n^(2/3)
    return int(min(n, max(_NO_FILTER_BELOW, 1.5 * n ** (2.0 / 3.0))))


def _planar_vertices(pts, a, b, c):
    """Strictly convex vertices of coplanar points, ascending."""
    pa, pb, pc = pts[a], pts[b], pts[c]
    normal = np.cross(pb - pa, pc - pa)
    for drop in np.argsort(-np.abs(normal), kind="stable"):
        keep = [ax for ax in range(3) if ax != drop]
        # the projection along ``drop`` is one-to-one on the plane exactly when
        # it keeps the (non-collinear) a, b, c non-collinear
        if orient2d(pa[keep[0]], pa[keep[1]], pb[keep[0]], pb[keep[1]], pc[keep[0]], pc[keep[1]]):
            break
    u = np.ascontiguousarray(pts[:, keep[0]])
    v = np.ascontiguousarray(pts[:, keep[1]])
    order = np.lexsort((v, u))  # stable: duplicates keep index order
    su, sv = u[order], v[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (su[1:] != su[:-1]) | (sv[1:] != sv[:-1])
    return np.sort(_k.planar_chain(u, v, order[first]))


def hull3d(pts):
    """Exact convex hull of 3D points.

    Parameters
    ----------
    pts : numpy.ndarray, float64, shape (n, 3), C-contiguous
        Validated finite points (``geoent._validation.as_points``), n >= 1.

    Returns
    -------
    Hull3D

    Raises
    ------
    RangeError
        When the coordinates span more binary orders of magnitude than exact
        orient3d supports.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._hull3d import hull3d
    >>> cube = np.array([[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], float)
    >>> pts = np.vstack([cube, [[0.5, 0.5, 0.5], [0.5, 0.5, 0.0]]])
    >>> h = hull3d(pts)
    >>> h.vertices.tolist(), h.simplices.shape, h.dim
    ([0, 1, 2, 3, 4, 5, 6, 7], (12, 3), 3)
    """
    # one compiled pass decides whether scaling is needed at all (the common case
    # is not); check_exponent_range then scales or raises exactly as it would
    amax, amin = _k.abs_range(pts)
    wlo, whi = EXPONENT_LIMITS[3]
    if amax > 0.0 and not (2.0**wlo <= amin and amax < 2.0**whi):
        pts, _ = check_exponent_range(pts, 3)
    pts = np.ascontiguousarray(pts, dtype=np.float64)
    n = pts.shape[0]
    in_sample, sample = _k.choose_sample(n, _sample_size(n), 0x9E3779B9)
    dim, a, b, c, d = _k.find_tetra(pts, sample)
    empty_stats = {}
    if dim == 0:
        return Hull3D(np.zeros(1, dtype=np.int64), None, None, 0, empty_stats)
    if dim == 1:
        lo, hi = _k.lex_extremes(pts)
        return Hull3D(np.array(sorted((lo, hi)), dtype=np.int64), None, None, 1, empty_stats)
    if dim == 2:
        return Hull3D(_planar_vertices(pts, a, b, c), None, None, 2, empty_stats)
    simplices, neighbors, vertices, st, err = _k.hull3d_full(pts, a, b, c, d, in_sample)
    if err:
        raise GeometryError(f"internal error in the 3D hull (code {err}); please report it")
    stats = {
        "sample": int(st[0]),
        "survivors": int(st[1]),
        "coplanar_merged": bool(st[2]),
        "on_surface": int(st[3]),
        "walk_steps": int(st[4]),
        "visible": int(st[5]),
        "horizon": int(st[6]),
    }
    return Hull3D(vertices, simplices, neighbors, 3, stats)
