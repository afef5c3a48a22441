"""Where ``geoent.geo.convex_hull`` spends its time, stage by stage, beside
``shapely.convex_hull`` on the same geometries (issue 16).

Usage::

    NUMBA_CACHE_DIR=... PYTHONPATH=src python benchmarks/geo_stages.py polygons 100000 5
    NUMBA_CACHE_DIR=... PYTHONPATH=src python benchmarks/geo_stages.py airports 234 21

Prints the median CPU time (``time.process_time``, numba on one thread, so the
figures are comparable with shapely's single thread and hold up on a loaded
machine) of each stage and of both contenders; every call's output is dropped
inside its timing, as each contender's is. ``polygons``: the geo suite's random
polygons of 16-64 vertices; ``airports``: the shipped airports as one MultiPoint
per country, cycled to the given count.
"""

from __future__ import annotations

import sys
import time

import numba
import numpy as np


def _median_cpu(f, rounds):
    f()
    ts = []
    for _ in range(rounds):
        t = time.process_time()
        f()
        ts.append(time.process_time() - t)
    return float(np.median(ts))


def main(kind, n, rounds):
    import shapely
    from shapely import GeometryType

    from geoent._kernels.ragged import hull_pieces, split_closures
    from geoent.bench.suites.geo import airports_by_country, random_polygons
    from geoent.geo import convex_hull
    from geoent.hull import convex_hulls

    numba.set_num_threads(1)
    if kind == "polygons":
        g = random_polygons(n, 0)
    else:
        a = airports_by_country()
        g = a[np.arange(n) % a.shape[0]]
    counts = shapely.get_num_coordinates(g).astype(np.int64)
    coords = shapely.get_coordinates(g)
    offs, real = split_closures(coords, counts)
    hidx, hoff = convex_hulls(coords, offs)
    pieces = hull_pieces(coords, offs, hidx, hoff, real)
    poly_ids, ring_off, ring = pieces[:3]
    stages = {
        "shapely.convex_hull": lambda: shapely.convex_hull(g),
        "geoent.geo.convex_hull": lambda: convex_hull(g),
        "  get_num_coordinates": lambda: shapely.get_num_coordinates(g),
        "  has_z": lambda: shapely.has_z(g),
        "  get_coordinates": lambda: shapely.get_coordinates(g),
        "  split_closures": lambda: split_closures(coords, counts),
        "  convex_hulls": lambda: convex_hulls(coords, offs),
        "  hull_pieces": lambda: hull_pieces(coords, offs, hidx, hoff, real),
        "  from_ragged_array": lambda: shapely.from_ragged_array(
            GeometryType.POLYGON,
            ring,
            (ring_off, np.arange(poly_ids.shape[0] + 1, dtype=np.int64)),
        ),
    }
    print(f"{kind}, {n} geometries, {coords.shape[0]} coordinates; median CPU ms of {rounds}")
    for name, f in stages.items():
        print(f"{name:26s} {1e3 * _median_cpu(f, rounds):10.1f}")


if __name__ == "__main__":
    main(sys.argv[1], int(float(sys.argv[2])), int(sys.argv[3]) if len(sys.argv) > 3 else 5)
