"""CPU-time comparison of 3D Delaunay, same process, same array: geoent, CGAL, TetGen, scipy.

Each argument is ``dist:n:rounds:scipy`` (a geoent.datasets distribution, or
lattice50 for the 50^3 integer grid; scipy 1 or 0)::

    python benchmarks/cpu_delaunay3d.py cube:1e5:3:1 sphere:1e4:1:1 \\
        lattice50:125000:1:0 cube:1e6:1:0

The CGAL Point_3 list is built before timing; times are ``time.process_time`` medians.
"""

import statistics
import sys
import time

import numpy as np

import geoent
from geoent.datasets import make_points


def cpu(f, rounds):
    f()
    ts = []
    for _ in range(rounds):
        t = time.process_time()
        f()
        ts.append(time.process_time() - t)
    return statistics.median(ts)


def peers(p, rounds, scipy=True):
    res = {"geoent": cpu(lambda: geoent.delaunay(p), rounds)}
    from CGAL.CGAL_Kernel import Point_3
    from CGAL.CGAL_Triangulation_3 import Delaunay_triangulation_3

    P3 = [Point_3(*r) for r in p.tolist()]

    def cg():
        T = Delaunay_triangulation_3()
        T.insert(P3)
        return T

    res["cgal"] = cpu(cg, rounds)
    from meshpy.tet import MeshInfo, Options, build

    def tg():
        mi = MeshInfo()
        mi.set_points(p)
        return build(mi, options=Options("Q"))

    res["tetgen"] = cpu(tg, rounds)
    if scipy:
        from scipy.spatial import Delaunay

        res["scipy"] = cpu(lambda: Delaunay(p), 1)
    return res


def main(argv):
    for dist, n, rounds, sc in [
        (a, int(float(b)), int(c), d == "1") for a, b, c, d in (x.split(":") for x in argv)
    ]:
        p = (
            make_points(dist, n, 0)
            if dist != "lattice50"
            else np.mgrid[0:50, 0:50, 0:50].reshape(3, -1).T.astype(float)
        )
        r = peers(p, rounds, sc)
        g = r["geoent"]
        print(
            dist,
            len(p),
            {k: round(v, 3) for k, v in r.items()},
            "geoent speedup:",
            {k: round(v / g, 2) for k, v in r.items() if k != "geoent"},
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
