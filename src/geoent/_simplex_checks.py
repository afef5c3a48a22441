"""Checks that :func:`geoent.testing.validate_triangulation` runs alike on triangles
(2D, :mod:`geoent.testing`) and tetrahedra (3D, :mod:`geoent._validate3d`).

Numpy bookkeeping only, independent of the code that builds triangulations; each
check raises ``AssertionError`` naming the first defect.

Examples
--------
>>> import numpy as np
>>> from geoent._simplex_checks import distinct_points
>>> gid, nd, first = distinct_points(np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 0.0]]))
>>> gid.tolist(), nd, first.tolist()
([1, 0, 1], 2, [1, 0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["fail", "simplex_array", "distinct_points", "check_vertices", "check_neighbors"]


def fail(msg):
    """Raise the ``AssertionError`` of ``validate_triangulation`` with ``msg``."""
    raise AssertionError(f"validate_triangulation: {msg}")


def simplex_array(simplices, n, k, one, many):
    """``simplices`` as an int64 (m, k) array of indices below ``n``; ``one`` and
    ``many`` name a simplex in the messages ("triangle", "triangles")."""
    s = np.asarray(simplices)
    if s.size == 0:
        s = s.reshape(0, k).astype(np.int64)
    if s.ndim != 2 or s.shape[1] != k:
        fail(f"expected {many} of shape (m, {k}), got {s.shape}")
    if not np.issubdtype(s.dtype, np.integer):
        fail(f"expected integer {many}, got {s.dtype}")
    s = s.astype(np.int64)
    if s.shape[0] and (s.min() < 0 or s.max() >= n):
        fail(f"{one} indices must lie in [0, {n}), got [{s.min()}, {s.max()}]")
    return s


def distinct_points(pts):
    """Exact copies grouped: ``(group id of each point, number of groups, one index
    per group in lexicographic order)``; group ``k`` is the ``k``-th distinct point
    in that order, represented by its lowest index."""
    n = pts.shape[0]
    lex = np.lexsort(pts.T[::-1])  # first column the primary key; stable
    s = pts[lex]
    new = np.ones(n, dtype=bool)
    new[1:] = (s[1:] != s[:-1]).any(axis=1)
    gid = np.empty(n, np.int64)
    gid[lex] = np.cumsum(new) - 1
    return gid, int(new.sum()), lex[new]


def check_vertices(simp, gid, nd, pts, one):
    """One index per distinct point among the vertices, and every distinct point
    a vertex of some simplex (``one`` names a simplex in the message)."""
    used = np.unique(simp)
    ug = gid[used]
    if np.unique(ug).size != used.size:
        g = np.flatnonzero(np.bincount(ug) > 1)[0]
        both = used[ug == g][:2].tolist()
        fail(f"points {both} are exact copies and both are used as vertices")
    if used.size != nd:
        missing = np.setdiff1d(np.arange(nd), ug)[0]
        idx = int(np.flatnonzero(gid == missing)[0])
        fail(f"point {idx} {pts[idx].tolist()} is not a vertex of any {one}")


def check_neighbors(neighbors, simp, want):
    """``neighbors`` equals ``want`` (the neighbour of each simplex opposite each
    of its vertices, -1 on the hull), with the same shape as ``simp``."""
    nb = np.asarray(neighbors)
    if nb.shape != simp.shape:
        fail(f"neighbors has shape {nb.shape}, expected {simp.shape}")
    bad = np.argwhere(nb != want)
    if bad.size:
        i, j = (int(v) for v in bad[0])
        fail(f"neighbors[{i}, {j}] is {nb[i, j]}, expected {want[i, j]}")
