"""CPU time per stage of ``geoent.delaunay`` in 2D (ordering keys, sort, refine,
multiscale, gather, triangulate, extraction), medians of several rounds, through
the same kernels the API calls (AOT exports under 200,000 points where built).

    python benchmarks/study_delaunay2d_stages.py --n 100000 --rounds 9
    python benchmarks/study_delaunay2d_stages.py --n 1000000 --rounds 3 --dist grid
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def points(n, dist, seed=0):
    rng = np.random.default_rng(seed)
    if dist == "uniform":
        return rng.random((n, 2))
    if dist == "grid":
        s = int(np.ceil(np.sqrt(n)))
        g = np.stack(np.meshgrid(np.arange(s), np.arange(s)), -1).reshape(-1, 2)[:n]
        return g.astype(float)
    raise SystemExit(f"unknown dist {dist}")


def stages(pts):
    from geoent import triangulation as T
    from geoent._interrupt import cancel_flag
    from geoent._kernels import ordering as O

    ak = O._aotk
    k, g = T._k, T._gather
    c = cancel_flag()
    n = pts.shape[0]
    out = {}
    clk = time.process_time
    x, y = pts[:, 0], pts[:, 1]
    t0 = clk()
    idx = np.arange(n, dtype=np.int64)
    idx_bits = max(1, int(n - 1).bit_length())
    words, _ = ak.hilbert_keys(x, y, idx, O.HILBERT_TABLE, idx_bits, O._NO_PREFIX, 0, c)
    t1 = clk()
    words.sort()
    t2 = clk()
    ak.refine_runs(x, y, idx, words, idx_bits, O.HILBERT_TABLE, 8, O._NO_PREFIX, c)
    t3 = clk()
    perm = ak.multiscale(idx, 8, c)
    t4 = clk()
    xs, ys, _, _ = g.gather_xy_extent(pts, perm, c)
    t5 = clk()
    tri = np.empty(6 * n, np.int32)
    opp = np.empty(6 * n, np.int32)
    dup = np.full(n, -1, np.int32)
    nt, st = k.triangulate(xs, ys, tri, opp, dup, 0, c)
    t6 = clk()
    m = k.count_finite(tri, nt, n, c)
    t6b = clk()
    simp = np.empty((m, 3), np.int64)
    k.extract_simplices(tri, nt, n, perm, simp, c)
    t7 = clk()
    out = dict(
        keys=t1 - t0,
        sort=t2 - t1,
        refine=t3 - t2,
        multiscale=t4 - t3,
        gather=t5 - t4,
        triangulate=t6 - t5,
        count=t6b - t6,
        extract=t7 - t6b,
    )
    t8 = clk()
    import geoent

    geoent.delaunay(pts)
    out["api_total"] = clk() - t8
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=float, default=1e5)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--dist", default="uniform")
    a = ap.parse_args(argv)
    pts = points(int(a.n), a.dist)
    stages(pts)  # warm-up (JIT compile / AOT load)
    rows = [stages(pts) for _ in range(a.rounds)]
    print(f"n={int(a.n)} {a.dist} rounds={a.rounds} CPU ms, median (min)")
    for key in rows[0]:
        v = np.array([r[key] for r in rows]) * 1e3
        print(f"  {key:12s} {np.median(v):8.2f} ({v.min():.2f})")
    tot = sum(np.median([r[kk] for r in rows]) for kk in rows[0] if kk != "api_total")
    print(f"  {'sum stages':12s} {tot * 1e3:8.2f}")


if __name__ == "__main__":
    main()
