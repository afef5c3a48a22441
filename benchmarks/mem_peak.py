"""Extra peak memory (and time) of one call, each case in a fresh process.

Usage::

    python benchmarks/mem_peak.py                      # the default table
    python benchmarks/mem_peak.py hull3d_sphere 3e6    # one case, one line of JSON

A case builds its input, makes one small warm-up call (so that loading the
compiled kernels is not counted), resets the kernel's peak-RSS counter
(``echo 5 > /proc/self/clear_refs``, Linux), reads ``VmRSS`` as the baseline,
makes the call once, then reads ``VmHWM``. ``extra / input`` is
``(VmHWM - baseline) / input.nbytes``: the memory the call needed beyond its
input, output included. The child runs with ``MALLOC_MMAP_THRESHOLD_=65536``
(glibc) so that every large array is its own mapping, returned to the system
when freed: otherwise glibc's dynamic threshold serves later arrays from heap
memory that earlier temporaries (making the input) left resident, and the
baseline hides them. Cases: ``hull3d_sphere``, ``hull3d_ball``
(``geoent.convex_hull``), ``chull3d_sphere`` (``geoent.ConvexHull``),
``delaunay_uniform`` (``geoent.delaunay``), ``Delaunay_uniform``
(``geoent.Delaunay``). Linux only (reads /proc/self/status).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

DEFAULT = (
    ("hull3d_sphere", (3e5, 1e6, 3e6)),
    ("hull3d_ball", (1e6, 3e6)),
    ("chull3d_sphere", (1e6,)),
    ("delaunay_uniform", (1e6, 3e6, 1e7)),
    ("Delaunay_uniform", (1e6,)),
)


def _status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{key} not in /proc/self/status")


def one(case, n):
    """Measure one case in this process; a dict."""
    import gc

    import geoent
    from geoent.datasets import make_points

    kind, dist = case.split("_", 1)
    fn = {
        "hull3d": geoent.convex_hull,
        "chull3d": geoent.ConvexHull,
        "delaunay": geoent.delaunay,
        "Delaunay": geoent.Delaunay,
    }[kind]
    fn(make_points(dist, 5000, seed=1))  # warm-up: load the compiled kernels
    pts = make_points(dist, n, seed=0)
    gc.collect()
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    base = _status("VmRSS")
    t = time.perf_counter()
    c = time.process_time()
    out = fn(pts)
    cpu = time.process_time() - c
    sec = time.perf_counter() - t
    peak = _status("VmHWM")
    del out
    return {
        "case": case,
        "n": n,
        "input_MB": pts.nbytes / 1e6,
        "extra_MB": (peak - base) / 1e6,
        "extra_over_input": (peak - base) / pts.nbytes,
        "seconds": sec,
        "us_per_point": 1e6 * sec / n,
        "cpu_us_per_point": 1e6 * cpu / n,
    }


def main(argv):
    if len(argv) == 2:
        print(json.dumps(one(argv[0], int(float(argv[1])))))
        return
    cases = [(c, n) for c, ns in DEFAULT for n in ns]
    print("| case | n | input MB | extra MB | extra / input | s | us / point | CPU us / point |")
    print("|---|---|---|---|---|---|---|---|")
    for case, n in cases:
        res = subprocess.run(
            [sys.executable, __file__, case, str(n)],
            capture_output=True,
            text=True,
            env={**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"},
        )
        if res.returncode:
            print(f"| {case} | {n:.0e} | failed: {res.stderr.strip().splitlines()[-1]} |")
            continue
        r = json.loads(res.stdout)
        print(
            f"| {case} | {n:.0e} | {r['input_MB']:.0f} | {r['extra_MB']:.0f} | "
            f"{r['extra_over_input']:.2f} | {r['seconds']:.2f} | {r['us_per_point']:.3f} | "
            f"{r['cpu_us_per_point']:.3f} |",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
