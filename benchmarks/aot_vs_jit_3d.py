"""Run time of the exports added for issue 13 (3D Delaunay, Voronoi, interpolation):
the compiled module against ``GEOENT_JIT_ONLY=1``, same tree, alternating fresh
processes, CPU time (``time.process_time``), each process the median of ``rounds``
calls after one warm-up call. Prints per case the median of the per-pair ratios
aot/jit and their range. A benchmark, not a test.

Usage::

    python benchmarks/aot_vs_jit_3d.py [--pairs 3] [--rounds 5] [--cases delaunay3d,...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

_CHILD = r"""
import json, sys, time, statistics
import numpy as np
import geoent as g
from geoent import _aot
from geoent.interpolate import griddata
rng = np.random.default_rng(0)
case, rounds = sys.argv[1], int(sys.argv[2])
p3, p2 = rng.random((100_000, 3)), rng.random((100_000, 2))
q2 = rng.random((100_000, 2))
q3 = rng.random((100_000, 3))
calls = {
    "delaunay3d": lambda: g.delaunay(p3),
    "Delaunay3d": lambda: g.Delaunay(p3),
    "find_simplex3d": (lambda d: lambda: d.find_simplex(q3))(g.Delaunay(p3)),
    "voronoi2d": lambda: g.Voronoi(p2).regions,
    "voronoi3d": lambda: g.Voronoi(p3[:30_000]).regions,
    "griddata2d": lambda: griddata(p2, p2[:, 0], q2),
    "cubic2d": lambda: griddata(p2, p2[:, 0], q2, method="cubic"),
    "griddata3d": lambda: griddata(p3, p3[:, 0], q3),
}
f = calls[case]
f()
ts = []
for _ in range(rounds):
    t = time.process_time()
    f()
    ts.append(time.process_time() - t)
print(json.dumps({"t": statistics.median(ts), "aot": _aot.status()}))
"""

CASES = "delaunay3d,Delaunay3d,find_simplex3d,voronoi2d,voronoi3d,griddata2d,cubic2d,griddata3d"


def _run(case, rounds, jit):
    env = dict(os.environ)
    env.pop("GEOENT_JIT_ONLY", None)
    if jit:
        env["GEOENT_JIT_ONLY"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, case, str(rounds)], env=env, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["aot"] == ("jit-only" if jit else "aot"), r
    return r["t"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--cases", default=CASES)
    a = ap.parse_args(argv)
    print(f"load average at start: {os.getloadavg()}")
    print("| case | aot CPU s | jit CPU s | aot/jit, median of pairs (range) |")
    print("|---|---|---|---|")
    for case in a.cases.split(","):
        aot, jit = [], []
        for k in range(a.pairs):  # alternate which goes first
            order = (False, True) if k % 2 == 0 else (True, False)
            for j in order:
                (jit if j else aot).append(_run(case, a.rounds, j))
        ratios = [x / y for x, y in zip(aot, jit, strict=True)]
        print(
            f"| {case} | {statistics.median(aot):.4f} | {statistics.median(jit):.4f} "
            f"| {statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) |",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
