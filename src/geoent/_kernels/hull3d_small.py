"""The 3D hull of a small input (no filter) in one compiled call.

``geoent._hull3d`` drives the general pipeline phase by phase from Python (each
kernel compiled once on its own). Below ``_NO_FILTER_BELOW`` points every point
is in the sample and the filter is skipped, so the pipeline is: tetrahedron,
Morton order, incremental insertion, renaming, compaction, duplicates. Driven
from Python that is about fifteen kernel calls and a dozen numpy operations,
most of the time of a call on ten points (issue 13: a call on under 1,000
points should cost at most 50 us). :func:`small_hull` runs the same kernels in
the same order on the same coordinates (without the general path's gathered copy
and renaming, see there), so the result is bit for bit the general path's
(tested in ``tests/test_small_fused.py``).

The rare cases go back to the general path (``status`` != 0): an affinely
degenerate input (dimension below 3), no double strictly inside the first
tetrahedron (the general path shifts the points first), and the internal
errors it reports.
"""

import numpy as np
from numba import njit

from .hull3d import (
    ERR,
    FLAT,
    HASC,
    HW,
    NCNT,
    NHOR,
    NON,
    NVIS,
    RNG,
    WSTEPS,
    compact,
    compact_inplace,
    corners,
    find_tetra,
    init_tetra,
    insert_range,
    lowest_duplicates,
    merge_coplanar,
    new_state,
    rename,
)
from .ordering import morton_order

#: ``status`` of :func:`small_hull`
OK = 0
DEGENERATE = 1  # dimension below 3: the general path's planar / segment / point cases
NO_CENTRE = 2  # no double strictly inside the first tetrahedron: the general path shifts
ERROR = 3  # the general path raises (walk or face-merging inconsistency)


@njit(cache=True)
def small_hull(P, facets32):
    """Hull of all rows of ``P`` (float64 (n, 3), C order, finite, within the exact
    exponent window), as ``geoent._hull3d._hull_full`` computes it when every point
    is in the sample: ``(status, T, N, vertices, stats)``.

    ``facets32``: T and N are the facets and neighbours, int32, compacted in place
    (``hull3d(..., facets="int32")``); otherwise they are empty and only the
    vertices are computed (``facets=False``). ``stats``: sample, survivors (0),
    coplanar merged, on surface, walk steps, visible, horizon. On a nonzero
    ``status`` the other results are empty.
    """
    n = P.shape[0]
    e32 = np.empty((0, 3), dtype=np.int32)
    e64 = np.empty(0, dtype=np.int64)
    stats = np.zeros(7, dtype=np.int64)
    cancel = np.zeros(1, dtype=np.uint8)
    sample = np.arange(n)
    dim, a, b, c, d = find_tetra(P, sample, cancel)
    if dim < 3:
        return DEGENERATE, e32, e32, e64, stats
    rest = np.empty(n - 4, dtype=np.int64)
    r = 0
    for i in range(n):
        if i != a and i != b and i != c and i != d:
            rest[r] = i
            r += 1
    mo = morton_order(P, rest, cancel)
    sidx = np.empty(n, dtype=np.int64)
    sidx[0], sidx[1], sidx[2], sidx[3] = a, b, c, d
    sidx[4:] = mo
    s = n
    # The general path inserts the sample into a gathered copy under local ids and
    # renames them afterwards; with every point in the sample, inserting the
    # caller's points under their own ids in the same order takes the same
    # decisions (ids are only indices, never compared). The kernels then see the
    # argument types of the general path's second phase (read-only column views of
    # P, an int64 order), so JIT builds share their compiled specialisations.
    X, Y, Z = P[:, 0], P[:, 1], P[:, 2]
    cnt = np.zeros(NCNT, dtype=np.int64)
    cnt[RNG] = 12345
    oc = np.zeros(3)
    tri, nbr, dead, freestk = new_state(s)
    init_tetra(X, Y, Z, a, b, c, d, tri, nbr, dead, cnt, oc)
    if not cnt[HASC]:
        return NO_CENTRE, e32, e32, e64, stats
    on_list = np.empty(s, dtype=np.int64)
    start_of = np.empty(s, dtype=np.int32)
    insert_range(X, Y, Z, sidx, 4, s, oc, tri, nbr, dead, freestk, cnt, start_of, on_list, cancel)
    if cnt[ERR]:
        return ERROR, e32, e32, e64, stats
    T32, N32 = e32, e32
    if facets32 and not cnt[FLAT]:
        vertices = corners(tri, dead, cnt[HW], n)
        m = compact_inplace(tri, nbr, dead, cnt[HW], freestk)
        T32, N32 = tri[:m], nbr[:m]
        vertices, old, new = lowest_duplicates(X, Y, Z, vertices, on_list, cnt[NON])
        rename(T32, old, new)
    elif cnt[FLAT]:
        T, N = compact(tri, nbr, dead, cnt[HW])
        T, N, ok = merge_coplanar(X, Y, Z, T, N, n)
        if not ok:
            return ERROR, e32, e32, e64, stats
        vertices = corners(T, np.zeros(T.shape[0], dtype=np.uint8), T.shape[0], n)
        vertices, old, new = lowest_duplicates(X, Y, Z, vertices, on_list, cnt[NON])
        if facets32:
            T32, N32 = T.astype(np.int32), N.astype(np.int32)
            rename(T32, old, new)
    else:
        vertices = corners(tri, dead, cnt[HW], n)
        vertices, old, new = lowest_duplicates(X, Y, Z, vertices, on_list, cnt[NON])
    stats[0] = s
    stats[2] = cnt[FLAT]
    stats[3] = cnt[NON]
    stats[4] = cnt[WSTEPS]
    stats[5] = cnt[NVIS]
    stats[6] = cnt[NHOR]
    return OK, T32, N32, vertices, stats
