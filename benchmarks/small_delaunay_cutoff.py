"""Where 2D ``delaunay``'s one-call path (``geoent._kernels.delaunay2d_small``) stops
paying: wall median us of ``geoent.delaunay`` on uniform points, the one-call path
and the general path alternately in one process (``geoent.triangulation.
ONE_CALL_SMALL``), for several sizes. Sets ``geoent.triangulation.SMALL_UP_TO``.

Usage::

    python benchmarks/small_delaunay_cutoff.py [--rounds 400]

A benchmark, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _median_us(fn, rounds):
    for _ in range(20):
        fn()
    ts = []
    for _ in range(rounds):
        t = time.perf_counter_ns()
        fn()
        ts.append(time.perf_counter_ns() - t)
    return np.median(ts) / 1e3


def main():
    import geoent
    from geoent import triangulation as T

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=400)
    args = ap.parse_args()
    T.SMALL_UP_TO = 1 << 30
    for n in (64, 128, 200, 256, 400, 600, 999):
        p = np.random.default_rng(n).random((n, 2))
        r = []
        for flag in (True, False, True, False):
            T.ONE_CALL_SMALL = flag
            r.append(_median_us(lambda: geoent.delaunay(p), args.rounds))  # noqa: B023
        print(f"{n} points: one call {r[0]:.1f} {r[2]:.1f} us, general {r[1]:.1f} {r[3]:.1f} us")


if __name__ == "__main__":
    main()
