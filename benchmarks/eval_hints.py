"""Hints end to end (issue 12): no hint, the classical hints and EntropyNet, on the
synthetic families and the shipped real data sets, at the given sizes.

Contenders, in one process on the same array, interleaved round by round (wall
median and minimum thread CPU time; the machine is shared, CPU time is the steadier):
``read`` one read pass (the floor), ``none`` ``convex_hull(p)``, ``dir8`` the
classical 8-direction hint, ``samplehull`` the hull of a seeded random sample of 1,000
points as an index hint (its computation included), ``entropynet``
``convex_hull(p, hint=net)`` with the shipped EntropyNet (inference included, numba
forward pass), ``exact`` the exact hull's vertices as hint (the best possible
polygon). Every hinted result is checked equal to the unhinted one.

    python benchmarks/eval_hints.py --sizes 1e6,1e7 --rounds 5
"""

from __future__ import annotations

import argparse

import numpy as np

import geoent
from geoent._entropynet_infer import HullHintNet
from geoent._kernels.hull2d_adaptive import extremes8
from geoent.bench.timing import interleaved
from geoent.datasets import DATASETS, load_dataset, make_points

FAMILIES = (
    "uniform,disk,gaussian,kuzmin,annulus,gauss20_r0.6,gauss1000_r0.1,strip10_r0.6,"
    "strip100_r0.6,strip1000_r0.1,aniso_gaussian,clusters,airports,cities15000"
)
DIR8 = np.array([[np.cos(t), np.sin(t)] for t in np.arange(8) * (np.pi / 4)])


def sample_hull_hint(points, size=1000, seed=0):
    idx = np.random.default_rng(seed).integers(0, len(points), size)
    return idx[geoent.convex_hull(points[idx])]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e6,1e7")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--families", default=FAMILIES)
    a = ap.parse_args()
    net = HullHintNet.pretrained()
    print("CPU ms (min of rounds); in brackets the ratio to no hint (CPU / wall median)")
    print(
        "| input | n | read | none | dir8 | samplehull | entropynet | exact hull | "
        "net inference ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    done = set()
    for size in a.sizes.split(","):
        for fam in a.families.split(","):
            if fam in DATASETS:
                if fam in done:
                    continue
                done.add(fam)
                pts = load_dataset(fam)
            else:
                pts = make_points(fam, int(float(size)), seed=1)
            q = pts.reshape(-1)
            h = geoent.convex_hull(pts)
            fns = {
                "read": lambda q=q: extremes8(q),
                "none": lambda p=pts: geoent.convex_hull(p),
                "dir8": lambda p=pts: geoent.convex_hull(p, hint=DIR8),
                "samplehull": lambda p=pts: geoent.convex_hull(p, hint=sample_hull_hint(p)),
                "entropynet": lambda p=pts: geoent.convex_hull(p, hint=net),
                "exact": lambda p=pts, h=h: geoent.convex_hull(p, hint=h),
                "inference": lambda p=pts: net.hull_hint(p),
            }
            for k, f in fns.items():
                out = f()
                if k not in ("read", "inference"):
                    assert np.array_equal(out, h), (fam, k)
            w, c = ({k: v * 1e3 for k, v in d.items()} for d in interleaved(fns, a.rounds))

            def cell(k, c=c, w=w):
                return f"{c[k]:.2f} [{c[k] / c['none']:.2f} / {w[k] / w['none']:.2f}]"

            print(
                f"| {fam} | {len(pts):.0e} | {c['read']:.2f} | {c['none']:.2f} | "
                f"{cell('dir8')} | {cell('samplehull')} | {cell('entropynet')} | "
                f"{cell('exact')} | {w['inference']:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
