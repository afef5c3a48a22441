"""SIGINT-to-KeyboardInterrupt latency of long calls, in a child process (issue 18).

For each case the child warms up, times one call (T), then repeats the call until
SIGINT comes; the parent sends SIGINT at delays spread over [0.05 T, 0.95 T] so that
every phase of the call (ordering, kernel, extraction) is hit, and prints the
latencies (seconds from SIGINT to the child's "interrupted" line).

Usage: python benchmarks/interrupt_latency.py CASE N [SHOTS | F1,F2,...]
(cases: see ``setup`` in CHILD; F: fractions of T at which to send SIGINT)
"""

import os
import signal
import subprocess
import sys
import textwrap
import time

CHILD = textwrap.dedent(
    """
    import signal, sys, time
    import numpy as np
    import geoent
    signal.signal(signal.SIGINT, signal.default_int_handler)
    from geoent.datasets import make_points
    case, n = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(0)

    def setup(m):
        if case == "delaunay":
            p = rng.random((m, 2)); return lambda: geoent.delaunay(p)
        if case == "Delaunay":
            p = rng.random((m, 2)); return lambda: geoent.Delaunay(p)
        if case == "hull2d_circle":
            p = make_points("circle", m, seed=0); return lambda: geoent.convex_hull(p)
        if case == "hull2d_uniform":
            p = rng.random((m, 2)); return lambda: geoent.convex_hull(p)
        if case in ("find_simplex", "find_simplex3d", "linear", "linear3d", "clough"):
            d = 3 if case.endswith("3d") else 2
            base = rng.random((20_000, d))
            q = rng.random((m, d))
            if case.startswith("find"):
                tri = geoent.Delaunay(base)
                return lambda: tri.find_simplex(q)
            from geoent.interpolate import CloughTocher2DInterpolator, LinearNDInterpolator
            cls = CloughTocher2DInterpolator if case == "clough" else LinearNDInterpolator
            f = cls(base, base.sum(axis=1))
            return lambda: f(q)
        if case == "voronoi3d":
            p = rng.random((m, 3)); return lambda: geoent.Voronoi(p)
        raise SystemExit("unknown case " + case)

    setup(300_000)()
    call = setup(n)
    t0 = time.perf_counter(); call(); T = time.perf_counter() - t0
    print("T", T, flush=True)
    t0 = time.perf_counter()
    try:
        while time.perf_counter() - t0 < 300.0:
            call()
        print("finished", flush=True)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
    """
)


def shot(case, n, frac, env):
    p = subprocess.Popen(
        [sys.executable, "-c", CHILD, case, str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    T = float(p.stdout.readline().split()[1])
    time.sleep(frac * T)
    sent = time.perf_counter()
    p.send_signal(signal.SIGINT)
    line = p.stdout.readline().strip()
    lat = time.perf_counter() - sent
    _, err = p.communicate(timeout=600)
    bad = "SystemError" in err
    return T, lat, line, bad


def main():
    case, n = sys.argv[1], int(float(sys.argv[2]))
    arg = sys.argv[3] if len(sys.argv) > 3 else "8"
    if "," in arg or "." in arg:
        fracs = [float(f) for f in arg.split(",")]
    else:
        shots = int(arg)
        fracs = [0.05 + 0.9 * s / max(1, shots - 1) for s in range(shots)]
    env = dict(os.environ)
    lats = []
    for frac in fracs:
        T, lat, line, bad = shot(case, n, frac, env)
        lats.append(lat)
        print(
            f"{case} n={n:.0e} T={T:.2f}s at {frac:.2f}T: {line} after {lat:.3f}s"
            + (" SYSTEMERROR" if bad else ""),
            flush=True,
        )
    print(
        f"{case} n={n:.0e}: max {max(lats):.3f} s, median {sorted(lats)[len(lats) // 2]:.3f} s,"
        f" load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
