"""CPU cost of one insphere call (the batch kernel, JIT) on two kinds of query.

``lattice``: five points of a small integer grid (many exactly cospherical: the
small-integer shortcut); ``sphere``: five nearby points on the unit sphere rounded
to doubles (the filter fails on about half of them; stage D decides the rest).
Prints the median CPU time per call over 7 rounds of 200,000 calls and the counts
of signs (-1, 0, 1). Run it against two trees in alternating processes::

    GEOENT_JIT_ONLY=1 PYTHONPATH=<tree>/src python benchmarks/study_insphere_cost.py
"""

import time

import numpy as np

from geoent._kernels import predicates as K


def main():
    rng = np.random.default_rng(0)
    k = 200_000
    lattice = rng.integers(0, 3, (k, 5, 3)).astype(np.float64)
    u = rng.standard_normal((k, 5, 3))
    u = u[:, :1] + 0.05 * u
    sphere = u / np.linalg.norm(u, axis=2, keepdims=True)
    out = np.empty(k, np.int8)
    for name, x in (("lattice", lattice), ("sphere", sphere)):
        a = [np.ascontiguousarray(x[:, j]) for j in range(5)]
        K.insphere_batch(*a, out)
        ts = []
        for _ in range(7):
            t = time.process_time()
            K.insphere_batch(*a, out)
            ts.append(time.process_time() - t)
        signs = np.bincount(out.astype(np.int64) + 1, minlength=3)
        print(f"{name}: {np.median(ts) * 1e9 / k:.1f} ns/call, signs -1/0/1 {signs.tolist()}")


if __name__ == "__main__":
    main()
