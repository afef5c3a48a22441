"""In-process A/B of the 3D hull insertion kernel (``hull3d.insert_range``): another
tree's ``_kernels/hull3d.py`` (compiled from source, no cache) against this tree's,
on the same arrays, alternating; asserts equal states first.

Usage: ``GEOENT_JIT_ONLY=1 PYTHONPATH=src python benchmarks/ab_hull3d_insert.py
OLD_HULL3D_PY ball|sphere N ROUNDS REPS`` (prints median per-call CPU times and the
per-round new/old ratios).
"""

import sys
import time
import types

import numpy as np

import geoent._kernels.hull3d as NEW
from geoent._kernels.ordering import morton_order

rng = np.random.default_rng(1)


def ball(n):
    P = rng.normal(size=(n, 3))
    P /= np.linalg.norm(P, axis=1)[:, None]
    return P * rng.random(n)[:, None] ** (1 / 3)


def sphere(n):
    P = rng.normal(size=(n, 3))
    return P / np.linalg.norm(P, axis=1)[:, None]


def prep(M, P):
    n = len(P)
    cancel = np.zeros(1, np.uint8)
    dim, a, b, c, d = M.find_tetra(P, np.arange(n), cancel)
    rest = np.array([i for i in range(n) if i not in (a, b, c, d)], dtype=np.int64)
    order = np.concatenate([[a, b, c, d], morton_order(P, rest, cancel)]).astype(np.int64)
    return (a, b, c, d), order


def once(M, P, tet, order):
    n = len(P)
    X, Y, Z = P[:, 0], P[:, 1], P[:, 2]
    cnt = np.zeros(M.NCNT, np.int64)
    cnt[M.RNG] = 12345
    oc = np.zeros(3)
    tri, nbr, dead, fs = M.new_state(n)
    M.init_tetra(X, Y, Z, *tet, tri, nbr, dead, cnt, oc)
    on_list = np.empty(n, np.int64)
    start_of = np.empty(n, np.int32)
    cancel = np.zeros(1, np.uint8)
    t = time.process_time()
    M.insert_range(X, Y, Z, order, 4, n, oc, tri, nbr, dead, fs, cnt, start_of, on_list, cancel)
    dt = time.process_time() - t
    return dt, cnt.copy(), tri[: cnt[M.HW]].copy()


def main():
    global OLD
    src = open(sys.argv.pop(1)).read().replace("cache=True", "cache=False")
    OLD = types.ModuleType("geoent._kernels._hull3d_base6")
    OLD.__package__ = "geoent._kernels"
    sys.modules[OLD.__name__] = OLD
    exec(compile(src, "base6_hull3d.py", "exec"), OLD.__dict__)
    kind, n, rounds, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    P = np.ascontiguousarray({"ball": ball, "sphere": sphere}[kind](n))
    tet, order = prep(NEW, P)
    o = once(OLD, P, tet, order)
    nw = once(NEW, P, tet, order)
    assert (o[1] == nw[1]).all() and (o[2] == nw[2]).all(), "results differ"
    ratios = []
    to = []
    tn = []
    for _ in range(rounds):
        a = sum(once(OLD, P, tet, order)[0] for _ in range(reps)) / reps
        b = sum(once(NEW, P, tet, order)[0] for _ in range(reps)) / reps
        to.append(a)
        tn.append(b)
        ratios.append(b / a)
    print(
        f"{kind} n={n}: old {np.median(to) * 1e6:.1f} us new {np.median(tn) * 1e6:.1f} us;"
        f" new/old median {np.median(ratios):.3f} rounds {min(ratios):.3f}-{max(ratios):.3f}"
        f" (walk {nw[1][NEW.WSTEPS]} vis {nw[1][NEW.NVIS]} hor {nw[1][NEW.NHOR]})"
    )


if __name__ == "__main__":
    main()
