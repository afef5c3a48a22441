"""3D Delaunay and Voronoi: geoent against scipy (Qhull), TetGen (meshpy), CGAL and shapely.

Contenders, in one process on the same seeded array, each warmed up first:

* ``geoent``: ``geoent.delaunay(pts)`` (validation, order, kernel, output);
* ``scipy``: ``scipy.spatial.Delaunay(pts)`` (Qhull, tolerances);
* ``tetgen``: ``meshpy.tet.build`` of the bare point set (TetGen 1.5, switches
  ``Q``), the tetrahedra read back into an array;
* ``cgal``: ``Delaunay_triangulation_3().insert(list_of_Point_3)`` (Epick); the
  ``Point_3`` list is built apart and not timed; no tetrahedra are extracted.

Voronoi (``--voronoi``, 2D): ``geoent.Voronoi`` (construction; the list
attributes and the shapely cells timed apart), ``scipy.spatial.Voronoi``,
``shapely.voronoi_polygons`` of a prebuilt multipoint, and ``geoent.delaunay``
for scale.

Times are CPU seconds (``time.process_time``; every contender is
single-threaded, and the machine is shared), median of ``--rounds``. Errors of
peers are counted with exact predicates on inputs up to ``--check-max`` points:
distinct points missing, tetrahedra of zero volume, and interior facets that are
not locally Delaunay (``insphere > 0``); geoent's output must pass the exact
validator there.

    python benchmarks/bench_delaunay3d.py --sizes 1e4,1e5 --rounds 3
    python benchmarks/bench_delaunay3d.py --sizes 1e5 --voronoi
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import geoent
from geoent.datasets import make_points
from geoent.predicates import insphere, orient3d
from geoent.testing import validate_triangulation

DISTRIBUTIONS = ("cube", "ball", "sphere", "clusters", "lattice_dups")
FACE = np.array([[1, 3, 2], [0, 2, 3], [0, 3, 1], [0, 1, 2]])


def points3d(name, n, seed=0):
    rng = np.random.default_rng(seed)
    if name in ("cube", "ball", "sphere", "gaussian3d"):
        return make_points(name, n, seed)
    if name == "clusters":
        c = rng.random((max(2, n // 1000), 3))
        return c[rng.integers(0, len(c), n)] + 0.01 * rng.standard_normal((n, 3))
    if name == "lattice_dups":
        side = max(2, int(round((0.9 * n) ** (1 / 3))))
        g = np.mgrid[0:side, 0:side, 0:side].reshape(3, -1).T.astype(float)
        extra = g[rng.integers(0, len(g), max(0, n - len(g)))]
        return np.vstack((g, extra))[rng.permutation(max(n, len(g)))][:n]
    raise ValueError(name)


def count_errors(pts, tets):
    """(missing distinct points, zero-volume tetrahedra, non-Delaunay facets), exactly."""
    tets = np.asarray(tets, dtype=np.int64).reshape(-1, 4)
    uniq, inv = np.unique(pts, axis=0, return_inverse=True)
    used = np.zeros(len(uniq), bool)
    used[inv.ravel()[tets.ravel()]] = True
    missing = int((~used).sum())
    o = orient3d(*(pts[tets[:, j]] for j in range(4)))
    flat = int((o == 0).sum())
    t = tets[o != 0].copy()
    neg = orient3d(*(pts[t[:, j]] for j in range(4))) < 0
    t[neg] = t[neg][:, [1, 0, 2, 3]]
    m = len(t)
    faces = np.concatenate([t[:, FACE[j]] for j in range(4)])
    key = np.sort(faces, axis=1)
    _, kk = np.unique(key, axis=0, return_inverse=True)
    kk = kk.ravel()
    order = np.argsort(kk, kind="stable")
    ks = kk[order]
    pair = np.flatnonzero(ks[1:] == ks[:-1])
    f1 = order[pair]
    f2 = order[pair + 1]
    t1, t2, j2 = f1 % m, f2 % m, f2 // m
    ins = insphere(*(pts[t[t1, j]] for j in range(4)), pts[t[t2, j2]])
    return missing, flat, int((ins > 0).sum())


def _have(mod):
    try:
        __import__(mod)
        return True
    except Exception:
        return False


def contenders(pts, check):
    out = {"geoent": lambda: geoent.delaunay(pts)}
    from scipy.spatial import Delaunay

    out["scipy"] = lambda: Delaunay(pts).simplices
    if _have("meshpy.tet"):
        from meshpy.tet import MeshInfo, Options, build

        def tg():
            mi = MeshInfo()
            mi.set_points(pts)
            return np.array(build(mi, options=Options("Q")).elements)

        out["tetgen"] = tg
    if _have("CGAL.CGAL_Triangulation_3"):
        from CGAL.CGAL_Kernel import Point_3
        from CGAL.CGAL_Triangulation_3 import Delaunay_triangulation_3

        P3 = [Point_3(*map(float, r)) for r in pts]

        def cg():
            T = Delaunay_triangulation_3()
            T.insert(P3)
            return T.number_of_finite_cells()

        out["cgal"] = cg
    return out


def cpu_median(f, rounds):
    f()  # warm-up
    ts = []
    res = None
    for _ in range(rounds):
        t = time.process_time()
        res = f()
        ts.append(time.process_time() - t)
    return statistics.median(ts), res


def run_delaunay(sizes, dists, rounds, check_max, skip_scipy_above):
    print("| dist | n | " + " | ".join(["geoent", "scipy", "tetgen", "cgal"]) + " | x scipy | x cgal | x tetgen | peer errors (missing/flat/non-Delaunay) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for dist in dists:
        for n in sizes:
            pts = points3d(dist, n)
            cs = contenders(pts, n <= check_max)
            times = {}
            errs = {}
            for name, f in cs.items():
                if name == "scipy" and n > skip_scipy_above:
                    continue
                t, res = cpu_median(f, rounds)
                times[name] = t
                if n <= check_max and name == "geoent":
                    validate_triangulation(pts, res)
                if n <= check_max and name in ("scipy", "tetgen"):
                    errs[name] = count_errors(pts, res)
            g = times["geoent"]
            row = [f"{times[k]:.3f}" if k in times else "-" for k in ("geoent", "scipy", "tetgen", "cgal")]
            ratio = [f"{times[k] / g:.1f}" if k in times else "-" for k in ("scipy", "cgal", "tetgen")]
            e = ", ".join(f"{k} {v[0]}/{v[1]}/{v[2]}" for k, v in errs.items())
            print(f"| {dist} | {n} | " + " | ".join(row + ratio) + f" | {e} |", flush=True)


def run_voronoi(sizes, rounds):
    import shapely
    from scipy.spatial import Voronoi as SV

    print("| n | geoent Voronoi | + lists | + shapely cells | geoent delaunay | scipy | shapely voronoi_polygons | x scipy | x shapely |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        pts = make_points("uniform", n, 0)
        mp = shapely.multipoints(pts)
        tv, vor = cpu_median(lambda: geoent.Voronoi(pts), rounds)

        def lists():
            v = geoent.Voronoi(pts)
            return v.regions, v.ridge_vertices

        def cells():
            return geoent.Voronoi(pts).to_shapely(extent=(0, 0, 1, 1))

        tl, _ = cpu_median(lists, rounds)
        tc, _ = cpu_median(cells, rounds)
        td, _ = cpu_median(lambda: geoent.delaunay(pts), rounds)
        ts, _ = cpu_median(lambda: SV(pts), rounds)
        tsh, _ = cpu_median(lambda: shapely.voronoi_polygons(mp), rounds)
        print(
            f"| {n} | {tv:.4f} | {tl:.4f} | {tc:.4f} | {td:.4f} | {ts:.3f} | {tsh:.3f} | "
            f"{ts / tv:.1f} | {tsh / tv:.1f} |",
            flush=True,
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1e4,1e5")
    ap.add_argument("--dists", default=",".join(DISTRIBUTIONS))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--check-max", type=float, default=2e4)
    ap.add_argument("--scipy-max", type=float, default=2e5)
    ap.add_argument("--voronoi", action="store_true")
    a = ap.parse_args()
    sizes = [int(float(s)) for s in a.sizes.split(",")]
    if a.voronoi:
        run_voronoi(sizes, a.rounds)
    else:
        run_delaunay(sizes, a.dists.split(","), a.rounds, a.check_max, a.scipy_max)


if __name__ == "__main__":
    main()
