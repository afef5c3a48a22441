"""Convex hulls: ``convex_hull`` (indices) and the scipy-compatible ``ConvexHull``."""

from __future__ import annotations

import numpy as np

from ._kernels import hull2d as _k
from ._validation import as_points, check_exponent_range

__all__ = ["convex_hull"]


def _distinct_lex_order(pts):
    """Indices of the distinct points sorted by (x, y), lowest index per duplicate run."""
    order = np.lexsort((pts[:, 1], pts[:, 0]))  # stable: ties keep index order
    s = pts[order]
    keep = np.ones(len(order), dtype=bool)
    keep[1:] = (s[1:, 0] != s[:-1, 0]) | (s[1:, 1] != s[:-1, 1])
    return order[keep]


def convex_hull(points, *, method="auto", hint=None):
    """Vertices of the convex hull of a 2D point set, exactly.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    method : {"auto", "monotone"}
        Algorithm.
    hint : None
        Reserved for filter hints.

    Returns
    -------
    numpy.ndarray of int64
        Indices of the strictly convex vertices, counter-clockwise, starting at the
        lexicographically smallest (x, then y); the lowest index among exact
        duplicates. Collinear input gives its two extremes; a single distinct
        point gives one index.

    Examples
    --------
    >>> import geoent
    >>> geoent.convex_hull([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5], [0.5, 0]]).tolist()
    [0, 1, 2, 3]
    """
    pts = as_points(points, ndim=2)
    pts, _ = check_exponent_range(pts, 2)
    order = _distinct_lex_order(pts)
    return _k.monotone_chain(pts[:, 0].copy(), pts[:, 1].copy(), order)
