"""CPU time a 3D Delaunay call spends around its kernel, same process.

Times the whole call (``geoent.delaunay``, ``geoent.Delaunay`` or
``geoent.Voronoi`` on (n, 3) points) and, inside it, the insertion kernel
(``tetrahedralize``, wrapped); "around" is the median over rounds of whole minus
kernel: validation, order, gather, extraction, allocations. Compare two trees in
alternating processes (the kernel's own noise cancels out of "around")::

    PYTHONPATH=/work/main/src python benchmarks/study_delaunay3d_around.py cube 1e6 5
    PYTHONPATH=src python benchmarks/study_delaunay3d_around.py cube 1e6 5
    python benchmarks/study_delaunay3d_around.py cube 1e6 3 --call Delaunay
"""

import argparse
import statistics
import sys
import time

import geoent
import geoent._delaunay3d as d3
from geoent.datasets import make_points


class _TimedKernels:
    """The kernel namespace with ``tetrahedralize`` timed (CPU) into ``spent``."""

    def __init__(self, kernels, spent):
        self._k = kernels
        self._spent = spent

    def __getattr__(self, name):
        f = getattr(self._k, name)
        if name != "tetrahedralize":
            return f

        def timed(*args):
            t0 = time.process_time()
            out = f(*args)
            self._spent[0] += time.process_time() - t0
            return out

        return timed


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dist", help="a 3D distribution of geoent.datasets.make_points")
    ap.add_argument("n", type=float)
    ap.add_argument("rounds", type=int)
    ap.add_argument("--call", choices=("delaunay", "Delaunay", "Voronoi"), default="delaunay")
    a = ap.parse_args(argv)
    n = int(a.n)
    p = make_points(a.dist, n, 0)
    spent = [0.0]
    d3._k = _TimedKernels(d3._k, spent)
    call = getattr(geoent, a.call)
    call(p)  # compile / warm
    whole, kernel = [], []
    for _ in range(a.rounds):
        spent[0] = 0.0
        t0 = time.process_time()
        out = call(p)
        whole.append(time.process_time() - t0)
        kernel.append(spent[0])
        del out
    around = statistics.median(w - k for w, k in zip(whole, kernel, strict=True))
    print(
        f"{a.dist} {n} {a.call}: whole {statistics.median(whole) * 1e3:.1f} ms, "
        f"kernel {statistics.median(kernel) * 1e3:.1f} ms, around {around * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
