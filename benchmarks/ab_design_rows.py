"""Time one README design-size row in this process, for A/B runs of two trees.

Usage (old and new trees alternate in fresh processes, each with its own warm cache)::

    for i in 1 2; do
      NUMBA_CACHE_DIR=/tmp/c_old PYTHONPATH=OLD/src python benchmarks/ab_design_rows.py ROW 5
      NUMBA_CACHE_DIR=/tmp/c_new PYTHONPATH=NEW/src python benchmarks/ab_design_rows.py ROW 5
    done

ROW is one of :data:`ROWS`; the script prints a JSON object of median seconds
(after one untimed warm-up call); with ``AB_CLOCK=cpu`` in the environment it times
process CPU seconds instead of wall seconds (a loaded machine inflates wall time; the
rows run single-threaded or nearly so). Compare the two trees as ratios of runs taken
moments apart; absolute times depend on the machine's load.
"""

from __future__ import annotations

import json
import os
import sys
import time

import numpy as np

ROWS = (
    "hull2d_uniform_1e7",
    "hull2d_circle_1e6",
    "batched_1e5x16",
    "delaunay_uniform",
    "delaunay_grid",
    "hull3d_ball",
    "hull3d_sphere",
)


_CLOCK = time.process_time if os.environ.get("AB_CLOCK") == "cpu" else time.perf_counter


def _median(f, rounds):
    f()
    times = []
    for _ in range(rounds):
        t = _CLOCK()
        f()
        times.append(_CLOCK() - t)
    return float(np.median(times))


def run(row, rounds):
    """Median seconds of geoent on ``row`` (a dict: one entry per timed call)."""
    import geoent
    from geoent.datasets import make_points

    if row == "hull2d_uniform_1e7":
        p = make_points("uniform", 10_000_000, seed=0)
        return {"geoent": _median(lambda: geoent.convex_hull(p), rounds)}
    if row == "hull2d_circle_1e6":
        p = make_points("circle", 1_000_000, seed=0)
        return {"geoent": _median(lambda: geoent.convex_hull(p), rounds)}
    if row == "batched_1e5x16":
        import numba

        numba.set_num_threads(1)
        p = np.random.default_rng(0).random((1_600_000, 2))
        off = np.arange(0, 1_600_001, 16)
        return {"geoent": _median(lambda: geoent.convex_hulls(p, off), rounds)}
    if row.startswith("delaunay_"):
        p = make_points(row.split("_")[1], 1_000_000, seed=0)
        return {"geoent": _median(lambda: geoent.delaunay(p), rounds)}
    if row.startswith("hull3d_"):
        p = make_points(row.split("_")[1], 1_000_000, seed=0)
        return {
            "geoent": _median(lambda: geoent.convex_hull(p), rounds),
            "ConvexHull": _median(lambda: geoent.ConvexHull(p), rounds),
        }
    raise SystemExit(f"unknown row {row!r}; expected one of {', '.join(ROWS)}")


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], int(sys.argv[2]))))
