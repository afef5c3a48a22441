"""Where the 3D Delaunay kernel's work goes: counts per insertion, insphere stages.

Runs a *counting copy* of ``geoent._kernels.delaunay3d`` (its source with counters
patched in; every patch is checked to apply, so a changed kernel makes this script
fail loudly instead of counting nothing) and prints, per distribution and
insertion order, per inserted point: orient3d calls and steps of the walk,
insphere calls, cavity tetrahedra, boundary faces (= new tetrahedra). With
``--stages`` it also records the first 400,000 insphere calls and says which
stage of ``predicates.insphere`` decides each: the floating-point filter (A),
stage D (the double-double stage; on small-integer differences the kernel's
exact-doubles shortcut runs first, counted here as stage D when D would decide),
then the exact-differences path (every coordinate difference exact, so the
expansion of stage B is the exact answer), stage B's bound, or stage C / the
exact stage.
The counts do not depend on the machine; the CPU times printed beside them do
(load) and are only a scale.

    python benchmarks/study_delaunay3d_counts.py cube:1e5 sphere:1e4 --stages
"""

import argparse
import inspect
import sys
import time
import types

import numpy as np
from numba import njit

import geoent._kernels.delaunay3d as _k3
from geoent._delaunay3d import insertion_order3
from geoent._kernels import predicates as pr
from geoent.datasets import make_points

_PATCHES = [
    ("from .predicates import", "from geoent._kernels.predicates import"),
    ("cache=True", "cache=False"),
    (
        "    P, T, dup, i0, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel\n",
        "    P, T, dup, i0, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel,"
        " CNT, REC\n",
    ),
    (
        """                )  # fmt: skip
                if o < 0.0:
                    h = np.int64(T[_u(t8 + 4 + j)])""",
        """                )  # fmt: skip
                CNT[0] += 1
                if o < 0.0:
                    CNT[1] += 1
                    h = np.int64(T[_u(t8 + 4 + j)])""",
    ),
    (
        """                    d3 = 3 * d
                    conflict = (
                        insphere(""",
        """                    d3 = 3 * d
                    q5 = CNT[2]
                    if q5 < REC.shape[0]:
                        REC[q5, 0] = a
                        REC[q5, 1] = b
                        REC[q5, 2] = c
                        REC[q5, 3] = d
                        REC[q5, 4] = i
                    CNT[2] += 1
                    conflict = (
                        insphere(""",
    ),
    (
        "            s = cav[_u(q)]\n            pf",
        "            CNT[3] += 1\n            s = cav[_u(q)]\n            pf",
    ),
    (
        "        # 4. star: free the cavity",
        "        CNT[4] += nb\n        CNT[5] += 1\n        # 4. star: free the cavity",
    ),
    (
        "def insert_all(P, T, dup, i0, iend, inf, i1, i2, i3, state, free, cancel):",
        "def insert_all(P, T, dup, i0, iend, inf, i1, i2, i3, state, free, cancel, CNT, REC):",
    ),
    (
        "P, T, dup, i, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel\n",
        "P, T, dup, i, iend, inf, i1, i2, i3, state, free, work, bvt, H, vid, emap, cancel,"
        " CNT, REC\n",
    ),
    (
        "def tetrahedralize(P, T, dup, cancel):",
        "def tetrahedralize(P, T, dup, cancel, CNT, REC):",
    ),
    (
        "insert_all(P, T, dup, 1, n, inf, i1, i2, i3, state, free, cancel)",
        "insert_all(P, T, dup, 1, n, inf, i1, i2, i3, state, free, cancel, CNT, REC)",
    ),
]


def counting_kernel():
    src = inspect.getsource(_k3)
    for old, new in _PATCHES:
        if old not in src:
            sys.exit(f"the kernel changed; this patch no longer applies:\n{old}")
        src = src.replace(old, new)
    mod = types.ModuleType("delaunay3d_counting")
    exec(compile(src, "<delaunay3d_counting>", "exec"), mod.__dict__)
    return mod


@njit
def _stage_of(P, REC, m, out):
    """0 filter A, 4 stage D, then 1 exact differences, 2 stage B bound, 3 stage C or exact."""
    for q in range(m):
        a, b, c, d, e = REC[q, 0], REC[q, 1], REC[q, 2], REC[q, 3], REC[q, 4]
        ex, ey, ez = P[e, 0], P[e, 1], P[e, 2]
        aex, aey, aez = P[a, 0] - ex, P[a, 1] - ey, P[a, 2] - ez
        bex, bey, bez = P[b, 0] - ex, P[b, 1] - ey, P[b, 2] - ez
        cex, cey, cez = P[c, 0] - ex, P[c, 1] - ey, P[c, 2] - ez
        dex, dey, dez = P[d, 0] - ex, P[d, 1] - ey, P[d, 2] - ez
        ab = aex * bey - bex * aey
        bc = bex * cey - cex * bey
        cd = cex * dey - dex * cey
        da = dex * aey - aex * dey
        ac = aex * cey - cex * aey
        bd = bex * dey - dex * bey
        abc = aez * bc - bez * ac + cez * ab
        bcd = bez * cd - cez * bd + dez * bc
        cda = cez * da + dez * ac + aez * cd
        dab = dez * ab + aez * bd + bez * da
        al = aex * aex + aey * aey + aez * aez
        bl = bex * bex + bey * bey + bez * bez
        cl = cex * cex + cey * cey + cez * cez
        dl = dex * dex + dey * dey + dez * dez
        det = (dl * abc - cl * dab) + (bl * cda - al * bcd)
        A, B, C, D = abs(aez), abs(bez), abs(cez), abs(dez)
        xab, xba = abs(aex * bey), abs(bex * aey)
        xbc, xcb = abs(bex * cey), abs(cex * bey)
        xcd, xdc = abs(cex * dey), abs(dex * cey)
        xda, xad = abs(dex * aey), abs(aex * dey)
        xac, xca = abs(aex * cey), abs(cex * aey)
        xbd, xdb = abs(bex * dey), abs(dex * bey)
        perm = (
            ((xcd + xdc) * B + (xdb + xbd) * C + (xbc + xcb) * D) * al
            + ((xda + xad) * C + (xac + xca) * D + (xcd + xdc) * A) * bl
            + ((xab + xba) * D + (xbd + xdb) * A + (xda + xad) * B) * cl
            + ((xbc + xcb) * A + (xca + xac) * B + (xab + xba) * C) * dl
        )
        if abs(det) > pr.ISPERRBOUND_A * perm:
            out[q] = 0
            continue
        tails = 0.0
        t = np.empty(12)
        for v in range(4):
            w = REC[q, v]
            for ax in range(3):
                t[3 * v + ax] = pr.two_diff(P[w, ax], P[e, ax])[1]
                tails += abs(t[3 * v + ax])
        dh = pr._insphere_stage_d(
            aex, t[0], aey, t[1], aez, t[2], bex, t[3], bey, t[4], bez, t[5],
            cex, t[6], cey, t[7], cez, t[8], dex, t[9], dey, t[10], dez, t[11],
        )[0]  # fmt: skip
        if abs(dh) > pr.ISPERRBOUND_D * perm:
            out[q] = 4
            continue
        if tails == 0.0:
            out[q] = 1
            continue
        est = pr._insphere_stage_b(aex, aey, aez, bex, bey, bez, cex, cey, cez, dex, dey, dez)[0]
        out[q] = 2 if abs(est) >= pr.ISPERRBOUND_B * perm else 3


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="+", help="dist:n (a geoent.datasets distribution)")
    ap.add_argument("--orders", default="morton,brio")
    ap.add_argument("--stages", action="store_true")
    args = ap.parse_args(argv)
    k = counting_kernel()
    names = ("filter A", "exact differences", "stage B", "stage C/exact", "stage D")
    for case in args.cases:
        dist, n = case.split(":")
        p = make_points(dist, int(float(n)), 0)
        for order in args.orders.split(","):
            P = np.ascontiguousarray(p[insertion_order3(p, order)])
            m = len(P)
            T = np.empty(8 * int(6.9 * m + 64), np.int32)
            cnt = np.zeros(8, np.int64)
            rec = np.empty((400_000 if args.stages else 0, 5), np.int64)
            t = time.process_time()
            k.tetrahedralize(P, T, np.full(m, -1), np.zeros(1, np.uint8), cnt, rec)
            t = time.process_time() - t
            ins = cnt[5]
            print(
                f"{dist} n={m} order={order}: per insertion walk orient3d {cnt[0] / ins:.2f},"
                f" walk steps {cnt[1] / ins:.2f}, insphere {cnt[2] / ins:.2f}, cavity"
                f" {cnt[3] / ins:.2f}, new tetrahedra {cnt[4] / ins:.2f} (CPU {t:.3f} s incl."
                " compile on the first case)",
                flush=True,
            )
            if args.stages:
                mm = min(cnt[2], rec.shape[0])
                out = np.empty(mm, np.int64)
                _stage_of(P, rec, mm, out)
                c = np.bincount(out, minlength=5)
                print(
                    "   insphere decided by: "
                    + ", ".join(f"{nm} {c[j] / mm:.1%}" for j, nm in enumerate(names))
                    + f" (of {mm} calls)",
                    flush=True,
                )


if __name__ == "__main__":
    main(sys.argv[1:])
