"""Suite ``batched``: many small 2D hulls at once (sets of :data:`BATCH_SET_SIZE` points)."""

from __future__ import annotations

import numpy as np

from ...datasets import make_points
from ...hull import convex_hull, convex_hulls
from ..checks import vertex_set_error
from ..model import Contender, Suite
from ..runner import register

__all__ = ["SUITE", "BATCH_SET_SIZE"]

BATCH_SET_SIZE = 16  # points per set (the README's design size: 100,000 sets of 16)


def make_input(dist, n, seed):
    """``n`` sets of :data:`BATCH_SET_SIZE` seeded points: ``(points, offsets)``."""
    pts = make_points(dist, int(n) * BATCH_SET_SIZE, seed)
    offsets = np.arange(int(n) + 1, dtype=np.int64) * BATCH_SET_SIZE
    return pts, offsets


def _keyed(pts, offsets, local_idx_per_set):
    """Hull vertices of every set as rows ``(set id, x, y)``."""
    rows = []
    for i, loc in enumerate(local_idx_per_set):
        sub = pts[offsets[i] : offsets[i + 1]][loc]
        rows.append(np.column_stack((np.full(len(sub), i, dtype=np.float64), sub)))
    return np.concatenate(rows) if rows else np.empty((0, 3))


def _ragged_canon(data, state, res):
    pts, offsets = data
    idx, ioff = res
    idx = np.asarray(idx, dtype=np.int64)
    ioff = np.asarray(ioff, dtype=np.int64)
    set_id = np.repeat(np.arange(len(ioff) - 1), np.diff(ioff))
    glob = idx + offsets[set_id]
    return np.column_stack((set_id.astype(np.float64), pts[glob]))


def contenders():
    import shapely
    from scipy.spatial import ConvexHull as QHull

    def scipy_loop(data):
        pts, offsets = data
        return [QHull(pts[offsets[i] : offsets[i + 1]]).vertices for i in range(len(offsets) - 1)]

    def shapely_prepare(data):
        pts, offsets = data
        return shapely.multipoints(
            pts, indices=np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        )

    def shapely_canon(data, state, res):
        coords, which = shapely.get_coordinates(res, return_index=True)
        return np.column_stack((which.astype(np.float64), coords))

    cs = [
        Contender(
            "geoent", run=lambda d: convex_hulls(d[0], d[1]), canon=_ragged_canon, compiled=True
        ),
        Contender(
            "geoent-loop",
            run=lambda d: [convex_hull(d[0][d[1][i] : d[1][i + 1]]) for i in range(len(d[1]) - 1)],
            canon=lambda d, s, r: _keyed(d[0], d[1], r),
            compiled=True,
            note="Python loop over convex_hull",
        ),
        Contender(
            "scipy", run=scipy_loop, canon=lambda d, s, r: _keyed(d[0], d[1], r), note="Python loop"
        ),
        Contender("shapely", prepare=shapely_prepare, run=shapely.convex_hull, canon=shapely_canon),
    ]
    return cs, []


def error(data, canon, name):
    # the Python loop over the single-hull kernel is the reference if the batch failed
    ref = "geoent" if "geoent" in canon else "geoent-loop"
    return vertex_set_error(data, canon, name, ref=ref)


SUITE = register(
    Suite(
        "batched",
        f"convex_hulls[{BATCH_SET_SIZE}]",
        ("uniform", "gaussian", "circle"),
        (1_000, 10_000, 100_000),
        ("uniform",),
        (10_000,),
        make_input=make_input,
        contenders=contenders,
        error=error,
        planar_input=False,
    )
)
