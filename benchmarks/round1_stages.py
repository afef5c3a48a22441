"""Where one 2D ``convex_hull`` call at 1e6 points spends its time, kernel by kernel.

Every kernel the 2D engine calls through ``geoent._aot.kernels_of`` (in
``geoent._hull2d`` and ``geoent._hull2d_shape``) and numpy's argsort are wrapped to
add up their thread CPU time per call; the rest of the call (Python, small numpy
operations, allocations, the Ctrl-C set-up of ``geoent._interrupt``) is reported as
one line. Medians (and minima) over the rounds, on the issue-12 strip (1 x 0.02,
rotated 0.6 rad) and the uniform square, beside one read pass (``extremes8``).

Thread CPU time: work a helper thread does (``wait_for``'s sorts) is not counted.
The wrappers add about a microsecond per kernel call.

    python benchmarks/round1_stages.py --rounds 41
"""

from __future__ import annotations

import argparse
import collections
import time

import numpy as np


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--rounds", type=int, default=21, help="calls per input (default 21)")
    ap.add_argument("--n", default="1e6", help="points (default 1e6)")
    a = ap.parse_args()
    import geoent
    from geoent import _hull2d, _hull2d_shape
    from geoent._kernels.hull2d_adaptive import extremes8
    from geoent.datasets import make_points, make_strip

    cur = collections.Counter()

    class Timed:
        def __init__(self, inner, name):
            self._inner, self._name = inner, name

        def __getattr__(self, attr):
            f = getattr(self._inner, attr)
            if not callable(f):
                return f

            def w(*args):
                t = time.thread_time_ns()
                r = f(*args)
                cur[f"{self._name}.{attr}"] += time.thread_time_ns() - t
                return r

            return w

    for mod in (_hull2d, _hull2d_shape):
        for nm in ("_k", "_a", "_f", "_floats", "_gather", "_small"):
            if hasattr(mod, nm):
                setattr(mod, nm, Timed(getattr(mod, nm), nm.strip("_")))
    argsort = np.argsort

    def timed_argsort(*args, **kw):
        t = time.thread_time_ns()
        r = argsort(*args, **kw)
        cur["np.argsort"] += time.thread_time_ns() - t
        return r

    np.argsort = timed_argsort
    n = int(float(a.n))
    inputs = {
        "strip 1 x 0.02, rotated 0.6 rad": make_strip(n, 50, 0.6, seed=0),
        "uniform square": make_points("uniform", n, seed=0),
    }
    for name, pts in inputs.items():
        geoent.convex_hull(pts)
        acc = collections.defaultdict(list)
        for _ in range(a.rounds):
            cur.clear()
            t = time.thread_time_ns()
            geoent.convex_hull(pts)
            total = time.thread_time_ns() - t
            rest = total - sum(cur.values())
            cur["TOTAL"] = total
            cur["(Python, numpy, allocations: the rest)"] = rest
            for k, v in cur.items():
                acc[k].append(v)
        q = pts.reshape(-1)
        extremes8(q)
        rp = []
        for _ in range(a.rounds):
            t = time.thread_time_ns()
            extremes8(q)
            rp.append(time.thread_time_ns() - t)
        print(f"== {name}, n = {n:,}: one read pass {np.median(rp) / 1e3:.0f} us")
        for k, v in sorted(acc.items(), key=lambda kv: -np.median(kv[1])):
            print(f"  {k:42s} {np.median(v) / 1e3:8.0f} us  (min {min(v) / 1e3:.0f})")


if __name__ == "__main__":
    main()
