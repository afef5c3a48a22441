"""Exact insertion of points into an existing 3D Delaunay tetrahedralisation
(numba kernels; behind ``Delaunay(points3d, incremental=True).add_points``).

The state is the one :func:`geoent._kernels.delaunay3d.tetrahedralize` leaves:
slots of eight integers ``T[8t:8t+8]`` (four vertices, four neighbour halffaces
``4u + k``), ghost tetrahedra on the hull facets with the vertex at infinity,
dead slots with ``T[8t] == -1``. The only difference is the id of the vertex at
infinity: here it is a parameter ``inf`` (the caller's capacity, so that points
can be appended without renaming it), where ``tetrahedralize`` uses ``n``;
:func:`relabel_infinity` renames it.

Each point is inserted as in ``tetrahedralize`` (Bowyer-Watson): an exact
visibility walk from the last tetrahedron made, a duplicate check on the
tetrahedron found, the cavity of tetrahedra in *strict* conflict (``insphere >
0``; ghosts by ``orient3d``, and on a hull facet's plane by the in-sphere test of
the tetrahedron across it), and the star of the cavity's boundary from the point.
The geometric argument (the cavity is star-shaped from the point, every new
tetrahedron is positive) and the tie rule (only strict conflicts, so cospherical
ties stay as the insertion order made them) are the ones documented in
``delaunay3d.py``. The loop is the batch kernel's own (``delaunay3d.insert_all`` over
``_insert_range``), resumed from the given state with the caller's ``inf``.

Every decision is an exact predicate; the caller keeps all coordinates inside the
exact window of ``insphere`` (``EXPONENT_LIMITS[5]``).
"""

import numpy as np
from numba import njit

from .delaunay3d import CANCELLED, insert_all


@njit(cache=True)
def relabel_infinity(T, nt, old, new):
    """Rename the vertex at infinity ``old`` to ``new`` in the first ``nt`` slots."""
    for t in range(nt):
        if T[8 * t] < 0:
            continue
        for k in range(4):
            if T[8 * t + k] == old:
                T[8 * t + k] = new


@njit(cache=True)
def finite_slot(T, nt, inf):
    """A live finite tetrahedron (a walk start), -1 if there is none."""
    for t in range(nt):
        if T[8 * t] < 0:
            continue
        if T[8 * t] != inf and T[8 * t + 1] != inf and T[8 * t + 2] != inf and T[8 * t + 3] != inf:
            return t
    return -1


@njit(cache=True)
def dead_slots(T, nt):
    """The dead slots among the first ``nt`` (``T[8t] == -1``): a free list."""
    k = 0
    for t in range(nt):
        if T[8 * t] < 0:
            k += 1
    free = np.empty(max(k, 256), np.int64)
    k = 0
    for t in range(nt):
        if T[8 * t] < 0:
            free[k] = t
            k += 1
    return free, k


@njit(cache=True, nogil=True)
def insert_points(P, T, nt, dup, lo, hi, start, inf, mark, free, nfree, cancel):
    """Insert the points ``P[lo:hi]`` (in that order) into the tetrahedralisation.

    Parameters
    ----------
    P : float64 array (>= hi, 3)
        Coordinates by vertex id (ids ``< lo`` are already in ``T`` or are
        duplicates), inside the exact window.
    T : int32 or int64 array
        The state (8 entries a slot); grown (reallocated) when full.
    nt : int
        Slots used in ``T``.
    dup : int64 array (>= hi)
        ``dup[i]`` is set to the vertex that point ``i`` is an exact copy of
        (entries ``lo:hi`` are -1 on entry).
    start : int
        A live finite tetrahedron where the first walk starts.
    inf : int
        Id of the vertex at infinity (larger than every point id).
    mark : int64 array
        Not read: the batch loop flags cavity members in ``T`` itself. Kept in the
        signature (and returned as given) so that the caller,
        ``_scipy_compat.IncrementalDelaunay3D``, is unchanged.
    free, nfree : int64 array, int
        Free list of dead slots (``dead_slots`` at first), kept between calls.
    cancel : uint8 array of length 1
        Read every 16,384 points; when set, the call returns at once and the
        state holds only some of the points (``geoent._interrupt``: Ctrl-C; the
        caller discards it).

    Returns
    -------
    (T, nt, start, mark, free, nfree)
        The (possibly reallocated) state, the slots used, a live finite
        tetrahedron to start the next walk from, ``mark`` and the (possibly
        reallocated) free list. A call costs time in the points inserted, not in
        the size of the tetrahedralisation.

    Examples
    --------
    >>> import numpy as np
    >>> from geoent._kernels import delaunay3d as k3
    >>> P = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.2, 0.2, 0.2]])
    >>> T, nt, status = k3.tetrahedralize(
    ...     P[:4].copy(), np.empty(8 * 64, np.int32), np.full(4, -1), np.zeros(1, np.uint8)
    ... )
    >>> relabel_infinity(T, nt, 4, 5)  # the vertex at infinity becomes id 5
    >>> free, nfree = dead_slots(T, nt)
    >>> T, nt, start, mark, free, nfree = insert_points(
    ...     P, T, nt, np.full(5, -1), 4, 5, finite_slot(T, nt, 5), 5,
    ...     np.zeros(0, np.int64), free, nfree, np.zeros(1, np.uint8),
    ... )
    >>> sum(1 for t in range(nt) if T[8 * t] >= 0 and 5 not in T[8 * t : 8 * t + 4])
    4
    """
    state = np.array([nt, nfree, start, 2463534242], np.int64)
    T, free, status = insert_all(P, T, dup, lo, hi, inf, -1, -1, -1, state, free, cancel)
    if status == CANCELLED:
        return T, state[0], start, mark, free, state[1]
    return T, state[0], state[2], mark, free, state[1]
