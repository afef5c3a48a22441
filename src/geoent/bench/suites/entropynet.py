"""Suite ``entropynet``: EntropyNet's hints end to end against the classical ones.

Contenders for the 2D hull (operation ``convex_hull``), all on the same seeded input,
after a warm-up call:

- ``scipy``: Qhull, the reference of ``ratio_scipy``;
- ``geoent``: the exact kernel with no hint;
- ``geoent+dir8``: the classical 8-direction extreme-point filter (a fixed (8, 2) array);
- ``geoent+samplehull``: the hull of a seeded random sample of 1,000 points as an
  index-polygon hint (its time includes the sample hull);
- ``geoent+dir16w``: 16 evenly spaced directions in the sample's whitened frame, which
  is exactly what an untrained EntropyNet predicts (an ablation: what learning adds);
- ``geoent+entropynet``: ``convex_hull(points, hint=net)``; the notes give the hint
  (inference) time and the kernel time with the precomputed directions;
- ``geoent+restructure`` / ``geoent+restructure/scipy``: the paper's mode, points moved
  by the network, then the exact geoent kernel / Qhull on the moved points; ``error``
  is the relative hull-area difference, the notes add the Hausdorff distance (relative to
  the bounding-box diagonal) and the fraction of wrong vertices.

For Delaunay (operation ``delaunay``, only up to ``delaunay_max_n`` points): orders
``hilbert`` (the default, contender ``geoent``), ``brio`` and EntropyNet's learned curve.

Survivor fractions are floating-point estimates (points not strictly inside the filter
polygon); the kernels themselves decide with exact predicates. Since issue 12 the
engine's filters take their normals from the sample hull and do not use direction
hints (the extreme points along a direction cost a pass over the input): the
``dir8`` and ``dir16w`` rows measure what reading such a hint costs, and their
survivor column what the polygon of their extreme points would have filtered.

EntropyNet does not earn its place as a hull hint, said plainly: its directions
cannot make the hull faster (the filters ignore them), and its inference (about
0.1-0.2 ms, numba forward pass) made ``convex_hull(points, hint=net)`` 3-10% slower
than no hint at 1e6 points (issue 12, session 3). Since then EntropyNet declares
``hull_hint_kind = "directions"`` and ``convex_hull`` does not call it: the
``geoent+entropynet`` row costs what ``geoent`` costs (measured 0.94-1.06x no hint
at 1e6 on 12 synthetic families and 0.89-1.02x on the two real data sets over two
runs of ``python benchmarks/eval_hints.py --sizes 1e6 --rounds 7``, loaded shared
2-core machine; the unused 8-direction hint 0.96-1.05x in the same runs: noise) and
gains nothing; the ``hint`` note is what the inference would cost.

The suite runs its own loop (``Suite.rows_fn``): it needs torch (``pip install
'geoent[torch]'``) and is skipped with a note without it. Run
``python -m geoent.bench.suites.entropynet --help`` for the script mode (markdown tables).
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ...datasets import DATASETS, load_dataset, make_points
from ...entropy import range_partition_entropy
from ...hull import convex_hull
from ...triangulation import delaunay
from ..model import Suite
from ..runner import register
from ..timing import median_min_max, warm_then_time

__all__ = [
    "SUITE",
    "entropynet_rows",
    "hull_error",
    "survivor_fraction",
    "sample_hull_hint",
    "DIR8",
    "to_markdown",
    "main",
]

DIR8 = np.array([[np.cos(t), np.sin(t)] for t in np.arange(8) * (np.pi / 4)], dtype=np.float64)
DIR8[np.abs(DIR8) < 1e-15] = 0.0
SAMPLE_HULL_SIZE = 1000


def sample_hull_hint(points, size=SAMPLE_HULL_SIZE, seed=0):
    """Index-polygon hint: the hull of a seeded random sample, as input indices."""
    idx = np.random.default_rng(seed).integers(0, len(points), size)
    return idx[convex_hull(points[idx])]


def _polygon_of(points, hint):
    hint = np.asarray(hint)
    if hint.dtype.kind == "f":
        ext = np.argmax(points @ hint.T, axis=0)
    else:
        ext = hint.astype(np.int64)
    # directions sharing an extreme point give one corner; runs may wrap around the end
    keep = ext != np.roll(ext, 1)
    if not keep.any():
        keep[0] = True
    return points[ext[keep]]


def survivor_fraction(points, hint, chunk=1 << 18):
    """Fraction of ``points`` not strictly inside the polygon of a hull hint (float test).

    ``hint`` is a (K, 2) float direction array (the polygon of the extreme points along
    the directions, taken in the given order, counter-clockwise) or an integer array of
    point indices of a counter-clockwise polygon.

    Examples
    --------
    >>> import numpy as np
    >>> sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.5, 0.5]], float)
    >>> survivor_fraction(sq, np.array([0, 1, 2, 3]))
    0.8
    """
    pts = np.asarray(points, dtype=np.float64)
    poly = _polygon_of(pts, hint)
    if len(poly) < 3:
        return 1.0
    a = poly
    e = np.roll(poly, -1, axis=0) - poly
    inside = 0
    for s in range(0, len(pts), chunk):
        p = pts[s : s + chunk]
        cross = e[:, 0] * (p[:, 1:2] - a[:, 1]) - e[:, 1] * (p[:, 0:1] - a[:, 0])
        inside += int((cross > 0).all(axis=1).sum())
    return 1.0 - inside / len(pts)


def _region(points, idx):
    import shapely

    if len(idx) >= 3:  # convex_hull's vertices: counter-clockwise, strictly convex
        return shapely.Polygon(points[idx])
    return shapely.MultiPoint(points[idx]).convex_hull  # a point or a segment


def _max_distance_to(points, region):
    """Largest distance from ``points`` to the convex ``region`` (0 inside), in
    O(m log h): containment through a prepared polygon, then the nearest boundary
    segment of the points outside through an STR-tree (exact GEOS distances)."""
    import shapely

    if len(points) == 0:
        return 0.0
    if region.geom_type != "Polygon":
        return float(shapely.distance(shapely.points(points), region).max())
    shapely.prepare(region)
    out = ~shapely.contains_xy(region, points[:, 0], points[:, 1])
    if not out.any():
        return 0.0
    ring = np.asarray(region.exterior.coords)
    segments = shapely.linestrings(np.stack((ring[:-1], ring[1:]), axis=1))
    _, dist = shapely.STRtree(segments).query_nearest(
        shapely.points(points[out]), return_distance=True
    )
    return float(dist.max())


def hull_error(points, moved):
    """Error of the hull of ``moved`` against the exact hull of ``points``.

    Returns a dict: ``area_rel`` (|area(moved hull) - area(hull)| / area(hull)),
    ``hausdorff`` (Hausdorff distance between the two hull regions: for convex
    polygons it is attained at a vertex, so it is the largest distance from a vertex
    of either polygon to the other region), ``hausdorff_rel`` (divided by the diagonal
    of the bounding box of ``points``) and ``wrong_vertices`` (the symmetric difference
    of the two vertex index sets divided by the number of exact vertices; moved points
    keep their indices).

    Examples
    --------
    >>> import numpy as np
    >>> sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], float)
    >>> moved = sq.copy(); moved[2] = [1.5, 1.5]
    >>> e = hull_error(sq, moved)
    >>> round(e["area_rel"], 6), round(e["hausdorff"], 6), e["wrong_vertices"]
    (0.5, 0.707107, 0.0)
    """
    pts = np.asarray(points, dtype=np.float64)
    mov = np.asarray(moved, dtype=np.float64)
    v0, v1 = convex_hull(pts), convex_hull(mov)
    r0, r1 = _region(pts, v0), _region(mov, v1)
    a0, a1 = r0.area, r1.area
    if a0 > 0:
        area_rel = abs(a1 - a0) / a0
    else:
        area_rel = 0.0 if a1 == 0 else float("inf")
    haus = max(_max_distance_to(pts[v0], r1), _max_distance_to(mov[v1], r0))
    diag = float(np.hypot(*(pts.max(axis=0) - pts.min(axis=0))))
    wrong = len(set(v0.tolist()) ^ set(v1.tolist())) / len(v0)
    return {
        "area_rel": float(area_rel),
        "hausdorff": haus,
        "hausdorff_rel": haus / diag if diag > 0 else 0.0,
        "wrong_vertices": float(wrong),
    }


def _entropy(points):
    try:
        return float(range_partition_entropy(points).entropy)
    except ValueError:  # input the entropy rejects must not sink the timing table
        return None


MAX_SECONDS = 10.0  # timed rounds of one contender on one input stop near this budget


def _timed(fn, rounds):
    # the warm-up call compiles or loads the kernels and builds the inference graph
    _, _, ts = warm_then_time(fn, rounds, MAX_SECONDS)
    return median_min_max(ts)


def _row(dist, n, contender, op, timing, *, error=0.0, entropy=None, notes="", **extra):
    med, lo, hi, k = timing
    row = {
        "suite": "entropynet",
        "operation": op,
        "distribution": dist,
        "n": int(n),
        "contender": contender,
        "median_s": med,
        "min_s": lo,
        "max_s": hi,
        "rounds": k,
        "compile_s": None,
        "error": error,
        "entropy": entropy,
        "notes": notes,
    }
    row.update(extra)
    return row


def _input(dist, n, seed=1):
    if dist in DATASETS:
        return load_dataset(dist)
    return make_points(dist, n, seed=seed)


def _hull_rows(dist, n, pts, net, plain_net, rounds, with_entropy, restructure=True):
    from scipy.spatial import ConvexHull as ScipyHull

    exact = convex_hull(pts)
    ent = _entropy(pts) if with_entropy else None
    rows = []

    def add(name, fn, hint=None, kernel=None, hint_s=None, **kw):
        t = _timed(fn, rounds)
        notes = []
        extra = {}
        if hint is not None:
            surv = survivor_fraction(pts, hint)
            notes.append(f"survivors {surv:.4g}")
            extra["survivors"] = surv
        if hint_s is not None:
            notes.append(f"hint {1e3 * hint_s:.3f} ms")
            extra["hint_s"] = hint_s
        if kernel is not None:
            kt = _timed(kernel, rounds)
            notes.append(f"kernel alone {1e3 * kt[0]:.3f} ms")
            extra["kernel_s"] = kt[0]
        rows.append(
            _row(
                dist, n, name, "convex_hull", t, entropy=ent, notes="; ".join(notes), **extra, **kw
            )
        )
        return fn()

    add("scipy", lambda: ScipyHull(pts).vertices)
    add("geoent", lambda: convex_hull(pts))
    checks = {}
    checks["geoent+dir8"] = add("geoent+dir8", lambda: convex_hull(pts, hint=DIR8), hint=DIR8)
    sh = sample_hull_hint(pts)
    checks["geoent+samplehull"] = add(
        "geoent+samplehull",
        lambda: convex_hull(pts, hint=sample_hull_hint(pts)),
        hint=sh,
        kernel=lambda: convex_hull(pts, hint=sh),
        hint_s=_timed(lambda: sample_hull_hint(pts), rounds)[0],
    )
    for name, model in (("geoent+dir16w", plain_net), ("geoent+entropynet", net)):
        dirs = model.hull_hint(pts)
        checks[name] = add(
            name,
            lambda m=model: convex_hull(pts, hint=m),
            hint=dirs,
            kernel=lambda d=dirs: convex_hull(pts, hint=d),
            hint_s=_timed(lambda m=model: m.hull_hint(pts), rounds)[0],
        )
    for name, got in checks.items():
        if not np.array_equal(got, exact):  # exact modes must agree with no hint
            for r in rows:
                if r["contender"] == name:
                    r["error"] = 1.0
                    r["notes"] += "; RESULT DIFFERS FROM NO HINT"
    if not restructure:
        return rows
    # restructure (approximate): move, then hull the moved points
    moved = net.restructure(pts)
    err = hull_error(pts, moved)
    ent_after = _entropy(moved) if with_entropy else None
    rs_s = _timed(lambda: net.restructure(pts), rounds)[0]
    note = (
        f"hausdorff/diag {err['hausdorff_rel']:.3g}; wrong vertices {err['wrong_vertices']:.3g}"
        f"; restructure {1e3 * rs_s:.3f} ms"
        + (f"; entropy after {ent_after:.4g}" if ent_after is not None else "")
    )
    for name, hull_fn in (
        ("geoent+restructure", lambda q: convex_hull(q)),
        ("geoent+restructure/scipy", lambda q: ScipyHull(q).vertices),
    ):
        t = _timed(lambda h=hull_fn: h(net.restructure(pts)), rounds)
        kt = _timed(lambda h=hull_fn: h(moved), rounds)  # the paper-style, hull-only time
        rows.append(
            _row(
                dist,
                n,
                name,
                "convex_hull",
                t,
                error=err["area_rel"],
                entropy=ent,
                notes=f"{note}; hull of moved points alone {1e3 * kt[0]:.3f} ms",
                entropy_after=ent_after,
                restructure_s=rs_s,
                kernel_s=kt[0],
                **err,
            )
        )
    return rows


def _delaunay_rows(dist, n, pts, net, rounds):
    rows = []
    ref = delaunay(pts)
    ref_set = {tuple(sorted(t)) for t in ref.tolist()}
    order = net.delaunay_order(pts)
    hint_s = _timed(lambda: net.delaunay_order(pts), rounds)[0]
    for name, fn in (
        ("geoent", lambda: delaunay(pts)),
        ("geoent+brio", lambda: delaunay(pts, order="brio")),
        ("geoent+entropynet", lambda: delaunay(pts, order=net)),
    ):
        t = _timed(fn, rounds)
        tri = fn()
        same = {tuple(sorted(t_)) for t_ in tri.tolist()} == ref_set
        notes = "" if same else "different diagonals in cocircular groups (both valid)"
        extra = {}
        if name == "geoent+entropynet":
            kt = _timed(lambda: delaunay(pts, order=order), rounds)
            notes = "; ".join(
                x
                for x in (
                    f"order {1e3 * hint_s:.2f} ms",
                    f"kernel alone {1e3 * kt[0]:.2f} ms",
                    notes,
                )
                if x
            )
            extra = {"hint_s": hint_s, "kernel_s": kt[0]}
        rows.append(_row(dist, n, name, "delaunay", t, notes=notes, **extra))
    return rows


def entropynet_rows(
    sizes,
    distributions,
    rounds,
    progress=None,
    *,
    net=None,
    delaunay_max_n=100_000,
    with_entropy=True,
    delaunay_skip=("circle",),
    on_rows=None,
    restructure=True,
):
    """Benchmark rows (the harness's row format) for EntropyNet and its rivals.

    Parameters
    ----------
    sizes : sequence of int
        Point counts; a distribution that names a real data set (``DATASETS``) is
        measured once at its own size.
    distributions : sequence of str
        Names of ``geoent.datasets`` generators or real data sets.
    rounds : int
        Timed calls per contender (median reported), after one warm-up call.
    progress : tqdm-like, optional
        Advanced once per input.
    net : EntropyNet, optional
        Defaults to :func:`geoent.torch.load_pretrained`.
    delaunay_max_n : int
        Delaunay rows only up to this size (0: none).
    with_entropy : bool
        Certify the input's entropy (``geoent.range_partition_entropy``) when available.
    delaunay_skip : sequence of str
        Distributions without Delaunay rows (points on a circle: every quadruple nearly
        cocircular, minutes per triangulation at 1e5, whatever the order).
    on_rows : callable, optional
        Called with the rows so far after each input (to save partial results).
    restructure : bool
        Also measure the approximate restructure mode (slow at 1e7: its Hausdorff
        error check).

    Returns
    -------
    list of dict
        Keys of the benchmark contract, plus ``survivors``, ``hint_s``, ``kernel_s``
        (and for restructure rows the error details) where they apply.
    """
    from ...torch.models import EntropyNet
    from ...torch.training import load_pretrained

    net = load_pretrained() if net is None else net
    plain = EntropyNet(**net.config).eval()  # zero-initialised heads: whitened evenly spaced
    rows = []
    for dist in distributions:
        for i, n in enumerate(sizes):
            if dist in DATASETS and i > 0:
                break
            pts = _input(dist, n)
            n_eff = len(pts)
            if progress is not None:
                progress.set_description(f"entropynet {dist} n={n_eff:,}")
            rows += _hull_rows(dist, n_eff, pts, net, plain, rounds, with_entropy, restructure)
            if n_eff <= delaunay_max_n and dist not in delaunay_skip:
                rows += _delaunay_rows(dist, n_eff, pts, net, rounds)
            if progress is not None:
                progress.update(1)
            if on_rows is not None:
                on_rows(rows)
    return rows


def _ms(x):
    return "" if x is None else f"{1e3 * x:.2f}"


def to_markdown(rows):
    """Two markdown tables: exact modes (hull, Delaunay) and the restructure mode."""
    out = [
        "| op | distribution | n | contender | end-to-end ms | vs no hint | kernel ms "
        "| hint ms | survivors | entropy | error |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    base = {
        (r["operation"], r["distribution"], r["n"]): r["median_s"]
        for r in rows
        if r["contender"] == "geoent"
    }
    for r in rows:
        if "restructure" in r["contender"]:
            continue
        b = base.get((r["operation"], r["distribution"], r["n"]))
        ratio = f"{r['median_s'] / b:.2f}x" if b else ""
        surv = r.get("survivors")
        ent = r.get("entropy")
        out.append(
            f"| {r['operation']} | {r['distribution']} | {r['n']:,} | {r['contender']} "
            f"| {_ms(r['median_s'])} | {ratio} | {_ms(r.get('kernel_s'))} "
            f"| {_ms(r.get('hint_s'))} | {'' if surv is None else f'{surv:.4f}'} "
            f"| {'' if ent is None else f'{ent:.3f}'} | {r['error']:.3g} |"
        )
    out += [
        "",
        "Restructure mode (approximate): end-to-end speedup = time of the plain method on "
        "the original points / time of restructure + the same method on the moved points; "
        "hull-only speedup leaves the restructuring itself out (the paper's reading).",
        "",
        "| distribution | n | method | plain ms | end-to-end ms | speedup | hull-only ms "
        "| hull-only speedup | area error | Hausdorff/diag | wrong vertices | entropy before "
        "| entropy after |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    times = {
        (r["operation"], r["distribution"], r["n"], r["contender"]): r["median_s"] for r in rows
    }
    for r in rows:
        if "restructure" not in r["contender"]:
            continue
        plain_name = "scipy" if r["contender"].endswith("/scipy") else "geoent"
        p = times.get((r["operation"], r["distribution"], r["n"], plain_name))
        eb, ea = r.get("entropy"), r.get("entropy_after")
        k = r.get("kernel_s")
        out.append(
            f"| {r['distribution']} | {r['n']:,} | {plain_name} | {_ms(p)} "
            f"| {_ms(r['median_s'])} | {p / r['median_s']:.2f}x | {_ms(k)} "
            f"| {'' if not k else f'{p / k:.2f}x'} | {r['area_rel']:.2e} "
            f"| {r['hausdorff_rel']:.2e} | {r['wrong_vertices']:.3f} "
            f"| {'' if eb is None else f'{eb:.3f}'} | {'' if ea is None else f'{ea:.3f}'} |"
        )
    return "\n".join(out)


def main(argv=None):
    """Script mode: ``python -m geoent.bench.suites.entropynet`` prints the markdown tables."""
    p = argparse.ArgumentParser(
        prog="python -m geoent.bench.suites.entropynet", description=__doc__.splitlines()[0]
    )
    p.add_argument(
        "--sizes",
        default="10000,100000,1000000",
        help="comma-separated point counts (1e7 works too, slowly)",
    )
    p.add_argument(
        "--distributions",
        default="uniform,disk,gaussian,gauss20_r0.6,gauss1000_r0.1,strip100_r0.6,"
        "strip1000_r0.1,aniso_gaussian,clusters,kuzmin,annulus,circle,heavy_tailed,"
        "airports,cities15000",
    )
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--weights", default=None, help="weights file (default: the shipped one)")
    p.add_argument("--delaunay-max-n", type=int, default=100_000)
    p.add_argument("--no-entropy", action="store_true")
    p.add_argument("--no-restructure", action="store_true", help="skip the approximate mode")
    p.add_argument("--out", default=None, help="also write the tables to this file")
    a = p.parse_args(argv)
    from tqdm.auto import tqdm

    from ...torch.training import load_pretrained

    sizes = [int(float(s)) for s in a.sizes.split(",") if s]
    dists = [d for d in a.distributions.split(",") if d]
    net = load_pretrained(a.weights)
    t0 = time.perf_counter()

    def save(rows, final=False):
        if a.out:
            with open(a.out, "w") as f:
                f.write(to_markdown(rows) + ("\n" if final else "\n\n(partial)\n"))

    with tqdm(total=len(sizes) * len(dists), file=sys.stderr) as bar:
        rows = entropynet_rows(
            sizes,
            dists,
            a.rounds,
            progress=bar,
            net=net,
            delaunay_max_n=a.delaunay_max_n,
            with_entropy=not a.no_entropy,
            on_rows=save,
            restructure=not a.no_restructure,
        )
    save(rows, final=True)
    print(to_markdown(rows) + f"\n\n(total {time.perf_counter() - t0:.0f} s)")
    return rows


def _available():
    try:
        import torch  # noqa: F401
    except ImportError:
        return "torch not installed (pip install 'geoent[torch]')"
    return None


SUITE = Suite(
    "entropynet",
    "convex_hull+hint",
    ("uniform", "disk", "gaussian", "kuzmin", "circle", *DATASETS),
    (10_000, 100_000, 1_000_000),
    ("uniform", *tuple(DATASETS)[:1]),
    (100_000,),
    available=_available,
    rows_fn=lambda sizes, dists, rounds, progress=None: entropynet_rows(
        sizes, dists, rounds, progress=progress
    ),
)
if __name__ != "__main__":  # run with python -m, the package import registered it already
    register(SUITE)


if __name__ == "__main__":
    main()
