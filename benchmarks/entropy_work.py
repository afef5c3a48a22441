"""Does the certified entropy predict the work of the instance-optimal hull?

Afshani, Barbay and Chan: the pruned Kirkpatrick-Seidel hull does O(n (H + 1)) work,
H the structural entropy. This script measures, on families whose entropy ranges from
about 0 to ln(n/3), the certified upper bound H_c on H
(``geoent.range_partition_entropy``) and the points the instance-optimal hull examines
(``geoent.hull.instance_optimal_stats``: the sum over recursion levels of the points
in that level's subproblems), and prints a table with examined / n (which grows with
the entropy) and examined / (n (H_c + 1)) (which the theory says stays bounded; since
H_c >= H, a bounded ratio here is the theory's prediction seen through a certified
bound). Optionally writes a plot.

Families (n points each, seeded):

* ``clusters_in_triangle``: 3 frame corners and 4 tight Gaussian clusters deep inside
  the frame triangle: everything fits in one triangle, H = 0.
* ``four_clusters``: 4 tight clusters at the corners of a square, no frame.
* ``gaussian``, ``uniform_square``, ``uniform_disk``: spread to the boundary.
* ``ring_f``: a fraction f of the points on a circle, the rest in a central
  cluster (f = 0.01, 0.1, 0.5): entropy grows with f, about f ln(n/3).
* ``circle``: every point on the hull, H = ln(n/3) up to rounding.

Usage::

    python benchmarks/entropy_work.py [--sizes 1e4,1e5,1e6] [--plot work.png] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

import geoent


def _ring(rng, n, frac):
    k = int(round(frac * n))
    t = rng.random(k) * 2 * np.pi
    ring = np.column_stack([np.cos(t), np.sin(t)])
    core = 0.05 * rng.standard_normal((n - k, 2))
    return np.vstack([ring, core])


def _clusters_in_triangle(rng, n):
    frame = np.array([[-10.0, -10.0], [10.0, -10.0], [0.0, 10.0]])
    centres = np.array([[-2.0, -3.0], [2.0, -3.0], [0.0, 1.0], [0.0, -1.0]])
    lab = rng.integers(0, 4, n - 3)
    return np.vstack([frame, centres[lab] + 0.2 * rng.standard_normal((n - 3, 2))])


def _four_clusters(rng, n):
    centres = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    lab = rng.integers(0, 4, n)
    return centres[lab] + 0.02 * rng.standard_normal((n, 2))


def _disk(rng, n):
    r = np.sqrt(rng.random(n))
    t = rng.random(n) * 2 * np.pi
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


FAMILIES = {
    "clusters_in_triangle": _clusters_in_triangle,
    "four_clusters": _four_clusters,
    "gaussian": lambda rng, n: rng.standard_normal((n, 2)),
    "uniform_square": lambda rng, n: rng.random((n, 2)),
    "uniform_disk": _disk,
    "ring_0.01": lambda rng, n: _ring(rng, n, 0.01),
    "ring_0.1": lambda rng, n: _ring(rng, n, 0.1),
    "ring_0.5": lambda rng, n: _ring(rng, n, 0.5),
    "circle": lambda rng, n: _ring(rng, n, 1.0),
}


def measure(sizes, seed=0, families=None, progress=print):
    """One row per (family, n): entropy, examined points, ratios, times."""
    from geoent.hull import instance_optimal_stats

    rows = []
    # compile (or load) the kernels before timing anything
    warm = np.random.default_rng(0).random((1000, 2))
    geoent.range_partition_entropy(warm)
    instance_optimal_stats(warm)
    for name in families or FAMILIES:
        for n in sizes:
            pts = FAMILIES[name](np.random.default_rng(seed), int(n))
            t0 = time.perf_counter()
            res = geoent.range_partition_entropy(pts)
            t1 = time.perf_counter()
            st = instance_optimal_stats(pts)
            t2 = time.perf_counter()
            ex = int(st["examined_total"])
            row = {
                "family": name,
                "n": int(n),
                "h": int(st["h"]),
                "entropy": float(res.entropy),
                "parts": int(res.n_parts),
                "examined": ex,
                "examined_per_n": ex / n,
                "ratio": ex / (n * (res.entropy + 1.0)),
                "levels": int(st["levels"]),
                "entropy_s": t1 - t0,
                "hull_s": t2 - t1,
            }
            rows.append(row)
            if progress:
                progress(_format_row(row))
    return rows


HEADER = (
    f"{'family':<22}{'n':>10}{'h':>9}{'H_cert':>8}{'ln(n/3)':>8}{'examined':>12}"
    f"{'ex/n':>7}{'ex/(n(H+1))':>12}{'levels':>7}{'t_H(s)':>8}{'t_hull(s)':>10}"
)


def _format_row(r):
    return (
        f"{r['family']:<22}{r['n']:>10,}{r['h']:>9,}{r['entropy']:>8.3f}"
        f"{math.log(r['n'] / 3):>8.2f}{r['examined']:>12,}{r['examined_per_n']:>7.2f}"
        f"{r['ratio']:>12.3f}{r['levels']:>7}{r['entropy_s']:>8.3f}{r['hull_s']:>10.3f}"
    )


def plot(rows, path):
    """Two panels: examined / n against H_cert + 1 (with the line of slope fitted
    through the origin), and examined / (n (H + 1)) against n per family."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 5))
    names = list(dict.fromkeys(r["family"] for r in rows))
    cmap = plt.get_cmap("tab10")
    for k, name in enumerate(names):
        rr = [r for r in rows if r["family"] == name]
        xs = [r["entropy"] + 1 for r in rr]
        ys = [r["examined_per_n"] for r in rr]
        a1.plot(xs, ys, "o-", color=cmap(k % 10), label=name, ms=4, lw=0.8)
        a2.plot([r["n"] for r in rr], [r["ratio"] for r in rr], "o-", color=cmap(k % 10), ms=4)
    allx = np.array([r["entropy"] + 1 for r in rows])
    ally = np.array([r["examined_per_n"] for r in rows])
    c = float((allx * ally).sum() / (allx * allx).sum())
    grid = np.linspace(0, allx.max() * 1.05, 50)
    a1.plot(grid, c * grid, "k--", lw=1, label=f"{c:.2f} (H+1)")
    a1.set_xlabel("certified entropy H + 1 (nats)")
    a1.set_ylabel("points examined / n (instance-optimal hull)")
    a1.legend(fontsize=7)
    a1.grid(alpha=0.3)
    a2.set_xscale("log")
    a2.set_xlabel("n")
    a2.set_ylabel("examined / (n (H + 1))")
    a2.set_ylim(0, max(r["ratio"] for r in rows) * 1.2)
    a2.grid(alpha=0.3)
    a2.set_title("bounded: the work is O(n (H + 1))")
    fig.suptitle("Work of the pruned Kirkpatrick-Seidel hull against the certified entropy")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1e4,1e5,1e6", help="comma-separated sizes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--families", default=None, help="comma-separated subset of families")
    ap.add_argument("--plot", default=None, help="write a PNG of the results to this path")
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    fams = args.families.split(",") if args.families else None
    print(HEADER)
    rows = measure(sizes, seed=args.seed, families=fams)
    ratios = np.array([r["ratio"] for r in rows])
    per_n = np.array([r["examined_per_n"] for r in rows])
    print(
        f"examined/n ranges {per_n.min():.2f}..{per_n.max():.2f} "
        f"({per_n.max() / per_n.min():.1f}x); examined/(n(H+1)) ranges "
        f"{ratios.min():.2f}..{ratios.max():.2f} ({ratios.max() / ratios.min():.1f}x)"
    )
    if args.plot:
        plot(rows, args.plot)
        print(f"plot written to {args.plot}")
    return rows


if __name__ == "__main__":
    main()
