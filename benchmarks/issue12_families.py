"""Issue 12's first target, every few-vertex family against the square and a read pass.

For each family (uniform square, disk, Gaussian, Kuzmin, strips at aspect ratios 10,
100, 1000 and rotations 0, 0.1, 0.6 rad, rotated Gaussians) at each size, the thread
CPU time of ``geoent.convex_hull`` (minimum of interleaved rounds) over that of the
axis-aligned uniform square of the same size (target <= 1.5) and over one read pass of
the same array (``extremes8``, the eight extreme values; target <= 3 at 1e7).

Usage::

    python benchmarks/issue12_families.py --sizes 1e6,1e7 --rounds 7
"""

from __future__ import annotations

import argparse

import geoent
from geoent._kernels.hull2d_adaptive import extremes8
from geoent.bench.timing import interleaved
from geoent.datasets import make_points

FAMILIES = (
    "uniform", "disk", "gaussian", "kuzmin",
    "strip10_r0", "strip10_r0.1", "strip10_r0.6",
    "strip100_r0", "strip100_r0.1", "strip100_r0.6",
    "strip1000_r0", "strip1000_r0.1", "strip1000_r0.6",
    "gauss20_r0", "gauss20_r0.6", "gauss1000_r0.1", "gauss1000_r0.6",
)  # fmt: skip


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1e6,1e7")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    print("| family | n | h | geoent CPU ms | read CPU ms | / square | / read |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes.split(","):
        n = int(float(size))
        rows = []
        for fam in FAMILIES:
            q = make_points(fam, n, args.seed)
            h = len(geoent.convex_hull(q))
            flat = q.reshape(-1)
            _, t = interleaved(
                {
                    "geoent": lambda q=q: geoent.convex_hull(q),
                    "read": lambda f=flat: extremes8(f),
                },
                args.rounds,
            )
            rows.append((fam, h, t["geoent"], t["read"]))
        square = rows[0][2]
        for fam, h, tg, tr in rows:
            print(
                f"| {fam} | {n:.0e} | {h} | {1e3 * tg:.2f} | {1e3 * tr:.2f} | "
                f"{tg / square:.2f} | {tg / tr:.2f} |"
            )


if __name__ == "__main__":
    main()
