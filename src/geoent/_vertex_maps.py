"""Vertex maps shared by the 2D and 3D Delaunay builders (and incremental insertion):
``vertex_to_simplex`` and scipy's ``coplanar`` rows for exact duplicates."""

from __future__ import annotations

import numpy as np

from ._interrupt import checkpoint  # Ctrl-C between the passes (a no-op outside a call)

__all__ = ["vertex_maps"]


def vertex_maps(n, vsimp, label, dup, dups, perm):
    """``(vertex_to_simplex, coplanar)`` of a triangulation of ``n`` input points.

    ``vsimp[j]`` is a simplex holding sorted vertex ``j`` (-1 for none), ``label[j]``
    its input index, ``perm`` the insertion order, ``dup[j] >= 0`` the sorted vertex
    that sorted point ``j`` is an exact copy of, and ``dups`` the sorted positions of
    those copies. ``coplanar`` has scipy's rows (point, simplex, coincident vertex),
    sorted by point; the vertex kept for a group of copies is not listed.

    Examples
    --------
    >>> import numpy as np
    >>> v2s, cop = vertex_maps(
    ...     3, np.array([0, 0, -1]), np.array([0, 1, 2]), np.array([-1, -1, 0]),
    ...     np.array([2]), np.array([0, 1, 2]))
    >>> v2s.tolist(), cop.tolist()
    ([0, 0, -1], [[2, 0, 0]])
    """
    v2s = np.full(n, -1, np.int64)
    verts = np.flatnonzero(vsimp >= 0)
    checkpoint()
    where = label[verts]
    checkpoint()
    v2s[where] = vsimp[verts]
    checkpoint()
    if not dups.size:
        return v2s, np.empty((0, 3), np.int64)
    groups = np.unique(dup[dups])
    member = np.concatenate((perm[dups], perm[groups]))
    group = np.concatenate((dup[dups], groups))
    keep = member != label[group]
    member = member[keep]
    group = group[keep]
    cop = np.column_stack((member, vsimp[group], label[group])).astype(np.int64)
    return v2s, cop[np.argsort(cop[:, 0], kind="stable")]
