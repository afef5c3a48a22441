"""CPU time of each stage of ``geoent.delaunay`` on (n, 3) input, same process.

Stages of ``_delaunay3d.build3d`` (full=False, as ``geoent.delaunay``): the
insertion order (Morton multiscale) with the gather of the coordinates
(``ordering.morton_multiscale``, one kernel since session 8; "gather" is 0),
the kernel (``tetrahedralize``), the extraction of finite tetrahedra into T's
storage (``extract_tets``); and the whole ``geoent.delaunay`` call (validation
included) for the total. Medians of ``--rounds`` rounds of
``time.process_time``::

    python benchmarks/study_delaunay3d_stages.py cube:1e5 cube:1e6 --rounds 5
"""

import argparse
import statistics
import sys
import time

import numpy as np

import geoent
from geoent._aot import kernels_of
from geoent.datasets import make_points


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cases", nargs="+", help="dist:n")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    k = kernels_of("delaunay3d")
    o = kernels_of("ordering")
    cancel = np.zeros(1, np.uint8)
    for case in a.cases:
        dist, n = case.split(":")
        n = int(float(n))
        p = make_points(dist, n, 0)
        rows = {"order": [], "gather": [], "kernel": [], "extract": [], "whole": []}
        for _ in range(a.rounds + 1):
            t0 = time.process_time()
            perm = np.empty(n, np.int64)
            P = np.empty((n, 3))
            o.morton_multiscale(p, 8, perm, P, np.empty((2, 3)), cancel)
            t1 = time.process_time()
            t2 = time.process_time()
            T = np.empty(8 * max(64, int(6.9 * n + 64)), np.int32)
            dup = np.full(n, -1, np.int64)
            T, nt, _ = k.tetrahedralize(P, T, dup, cancel)
            t3 = time.process_time()
            k.extract_tets(T, nt, n, perm, T.view(np.int64).reshape(-1, 4), cancel)
            t4 = time.process_time()
            del T
            geoent.delaunay(p)
            t5 = time.process_time()
            for key, v in zip(rows, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                rows[key].append(v)
        med = {key: statistics.median(v[1:]) for key, v in rows.items()}
        w = med["whole"]
        print(
            f"{dist} {n}: "
            + ", ".join(f"{key} {v * 1e3:.1f} ms ({100 * v / w:.0f}%)" for key, v in med.items())
        )


if __name__ == "__main__":
    main(sys.argv[1:])
