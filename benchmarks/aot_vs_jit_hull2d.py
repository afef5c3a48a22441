"""In-process A/B of ``convex_hull`` on 100,000 points: the compiled exports (the
2D filters, ``geoent._aot``) against the ``@njit`` kernels, alternating, CPU time.

``geoent._aot.gil_free(True)`` swaps the kernel proxies to the JIT kernels (what the
calls of 200,000 points or more use). Needs the module built
(``python setup.py build_ext --inplace``). A benchmark, not a test.

Usage::

    python benchmarks/aot_vs_jit_hull2d.py
"""

import statistics
import time

import numpy as np

import geoent as g
from geoent import _aot


def run(p, jit, reps=20):
    if jit:
        _aot.gil_free(True)
    try:
        c = time.process_time()
        for _ in range(reps):
            g.convex_hull(p)
        return (time.process_time() - c) / reps
    finally:
        if jit:
            _aot.gil_free(False)


def main():
    rng = np.random.default_rng(3)
    t = rng.random(100_000) * 2 * np.pi
    r = np.sqrt(rng.random(100_000))
    cases = {
        "uniform": rng.random((100_000, 2)),
        "disk": np.c_[r * np.cos(t), r * np.sin(t)],
        "thin_annulus": np.c_[(1 + 0.01 * r) * np.cos(t), (1 + 0.01 * r) * np.sin(t)],
    }
    for name, p in cases.items():
        _aot.gil_free(True)
        hj = g.convex_hull(p)
        _aot.gil_free(False)
        ha = g.convex_hull(p)
        assert np.array_equal(hj, ha)
        assert _aot._gil_free == 0
        from geoent import _hull2d_shape as S

        _aot.gil_free(True)
        assert hasattr(S._f.octagon_pass, "py_func")
        _aot.gil_free(False)
        assert not hasattr(S._f.octagon_pass, "py_func")
        ratios = []
        for _ in range(7):
            a = run(p, False)
            j = run(p, True)
            ratios.append(a / j)
        print(
            f"{name}: aot/jit CPU median {statistics.median(ratios):.3f} "
            f"(range {min(ratios):.3f}-{max(ratios):.3f}), aot {a * 1e3:.2f} ms"
        )


if __name__ == "__main__":
    main()
