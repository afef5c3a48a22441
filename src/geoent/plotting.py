"""Pictures written to files (PNG, or any format matplotlib knows from the suffix).

matplotlib is imported lazily, with the non-interactive Agg backend, so the core
library never needs it (it lives in the ``plot`` extra).

Examples
--------
>>> import numpy as np, tempfile, os, geoent
>>> from geoent.plotting import plot_points
>>> pts = np.random.default_rng(0).random((50, 2))
>>> path = os.path.join(tempfile.mkdtemp(), "hull.png")
>>> plot_points(path, pts, hull=geoent.convex_hull(pts))
>>> os.path.getsize(path) > 0
True
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

__all__ = ["plot_points", "plot_bench", "plot_demo", "entropy_triangles"]

_COLORS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
    "#000000",
    "#aec7e8",
)


def _plt():
    try:
        import matplotlib
    except ImportError:
        raise ImportError("matplotlib is needed for pictures: pip install 'geoent[plot]'") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path) -> None:
    p = Path(path)
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=110, bbox_inches="tight")
    _plt().close(fig)


def _sample(n: int, k: int, seed: int = 0) -> np.ndarray:
    if n <= k:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, k, replace=False))


def entropy_triangles(points: np.ndarray, triangles) -> np.ndarray:
    """Certifying triangles of an ``EntropyResult`` as coordinates, shape (t, 3, 2).

    Accepts index triples (t, 3) into ``points`` or coordinates (t, 3, 2).
    """
    t = np.asarray(triangles)
    if t.size == 0:
        return np.empty((0, 3, 2))
    if t.ndim == 2 and t.shape[1] == 3 and np.issubdtype(t.dtype, np.integer):
        return np.asarray(points, dtype=np.float64)[t]
    return t.astype(np.float64).reshape(-1, 3, 2)


def _draw_points(ax, pts, *, max_points=20_000, color="0.55", size=None):
    idx = _sample(len(pts), max_points)
    s = size if size is not None else max(0.3, min(6.0, 3000.0 / max(len(idx), 1)))
    ax.scatter(pts[idx, 0], pts[idx, 1], s=s, c=color, linewidths=0, rasterized=True)


def _draw_hull(ax, pts, hull, color="#d62728"):
    h = pts[np.asarray(hull, dtype=np.int64)]
    if len(h) >= 2:
        ring = np.vstack((h, h[:1]))
        ax.plot(ring[:, 0], ring[:, 1], "-", color=color, lw=1.4)
    ax.scatter(h[:, 0], h[:, 1], s=10, c=color, zorder=3)


def plot_points(path, points, *, hull=None, triangles=None, title=None) -> None:
    """Write a picture of a point set with its hull and/or triangulation.

    Parameters
    ----------
    path : str or os.PathLike
        Output file (PNG by suffix).
    points : ndarray, shape (n, 2) or (n, 3)
    hull : ndarray of int, optional
        Hull vertex indices (2D: in boundary order).
    triangles : ndarray (m, 3) of int, optional
        A triangulation of ``points`` (2D).
    title : str, optional
    """
    plt = _plt()
    pts = np.asarray(points, dtype=np.float64)
    if pts.shape[1] == 3:
        fig = plt.figure(figsize=(6, 6))
        ax = fig.add_subplot(projection="3d")
        idx = _sample(len(pts), 5000)
        ax.scatter(pts[idx, 0], pts[idx, 1], pts[idx, 2], s=1, c="0.6")
        if hull is not None:
            h = pts[np.asarray(hull, dtype=np.int64)]
            ax.scatter(h[:, 0], h[:, 1], h[:, 2], s=6, c="#d62728")
        ax.set_title(title or f"{len(pts):,} points")
        _save(fig, path)
        return
    fig, ax = plt.subplots(figsize=(6, 6))
    if triangles is not None and len(triangles):
        t = np.asarray(triangles, dtype=np.int64)
        ax.triplot(pts[:, 0], pts[:, 1], t, color="#1f77b4", lw=0.4)
    _draw_points(ax, pts)
    if hull is not None:
        _draw_hull(ax, pts, hull)
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_title(title or f"{len(pts):,} points")
    _save(fig, path)


def plot_bench(path, rows) -> None:
    """Time against n per contender on log axes, one panel per suite (and operation).

    Each contender has one colour; thin lines are single distributions, the thick
    line the geometric mean over the suite's distributions.
    """
    plt = _plt()
    rows = [r for r in rows if r.get("median_s")]
    suites = list(dict.fromkeys((r["suite"], r["operation"]) for r in rows))
    if not suites:
        raise ValueError("no timed rows to plot")
    ncol = min(3, len(suites))
    nrow = math.ceil(len(suites) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5 * ncol, 4 * nrow), squeeze=False)
    for ax, (suite, op) in zip(axes.ravel(), suites, strict=False):
        srows = [r for r in rows if r["suite"] == suite and r["operation"] == op]
        names = list(dict.fromkeys(r["contender"] for r in srows))
        for k, name in enumerate(names):
            color = _COLORS[k % len(_COLORS)]
            crows = [r for r in srows if r["contender"] == name]
            for dist in dict.fromkeys(r["distribution"] for r in crows):
                pts = sorted((r["n"], r["median_s"]) for r in crows if r["distribution"] == dist)
                ax.plot(*zip(*pts, strict=True), "-", color=color, lw=0.6, alpha=0.35)
            ns = sorted({r["n"] for r in crows})
            gm = [
                math.exp(np.mean([math.log(r["median_s"]) for r in crows if r["n"] == n]))
                for n in ns
            ]
            ax.plot(ns, gm, "o-", color=color, lw=2, ms=4, label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(f"{suite} ({op})")
        ax.set_xlabel("n")
        ax.set_ylabel("median time (s)")
        ax.grid(True, which="both", alpha=0.25)
        ax.legend(fontsize=8)
    for ax in axes.ravel()[len(suites) :]:
        ax.set_visible(False)
    fig.tight_layout()
    _save(fig, path)


def plot_demo(
    path,
    points,
    hull,
    *,
    tri_points,
    triangles,
    entropy,
    hint_polygon=None,
    timings=None,
    title="",
) -> None:
    """The demo's four-panel picture.

    Panels: points and exact hull (and EntropyNet's hint polygon when given); a
    Delaunay triangulation of ``tri_points``; the certified entropy partition
    (``entropy``: an ``EntropyResult``, points coloured by part, the certifying
    triangles outlined); a bar chart of ``timings`` (``{label: {contender: seconds}}``).
    """
    plt = _plt()
    pts = np.asarray(points, dtype=np.float64)
    fig, axes = plt.subplots(2, 2, figsize=(12, 10.5))
    (a1, a2), (a3, a4) = axes

    _draw_points(a1, pts)
    _draw_hull(a1, pts, hull)
    if hint_polygon is not None and len(hint_polygon) >= 3:
        hp = np.vstack((hint_polygon, hint_polygon[:1]))
        a1.plot(hp[:, 0], hp[:, 1], "--", color="#2ca02c", lw=1.2, label="EntropyNet hint")
        a1.legend(loc="lower left", fontsize=8)
    a1.set_title(f"{title}: {len(pts):,} points, exact hull ({len(hull)} vertices)")
    a1.set_aspect("equal", adjustable="datalim")

    tp = np.asarray(tri_points, dtype=np.float64)
    a2.triplot(tp[:, 0], tp[:, 1], np.asarray(triangles, dtype=np.int64), color="#1f77b4", lw=0.5)
    a2.scatter(tp[:, 0], tp[:, 1], s=3, c="k")
    a2.set_title(f"Delaunay triangulation of {len(tp):,} of the points")
    a2.set_aspect("equal", adjustable="datalim")

    labels = np.asarray(entropy.labels)
    idx = _sample(len(pts), 20_000)
    lab = labels[idx]
    single = lab < 0
    a3.scatter(pts[idx[single], 0], pts[idx[single], 1], s=1, c="0.75", linewidths=0)
    cmap = plt.get_cmap("tab20")
    a3.scatter(
        pts[idx[~single], 0],
        pts[idx[~single], 1],
        s=1.5,
        c=cmap((lab[~single] % 20) / 19.0),
        linewidths=0,
        rasterized=True,
    )
    tris = np.asarray(entropy.corners(pts), dtype=np.float64).reshape(-1, 3, 2)
    if len(tris):
        closed = np.concatenate((tris, tris[:, :1]), axis=1)
        for t in closed[:5000]:
            a3.plot(t[:, 0], t[:, 1], "-", color="k", lw=0.3, alpha=0.6)
    _draw_hull(a3, pts, hull)
    a3.set_title(f"certified entropy partition: H = {float(entropy.entropy):.3f}")
    a3.set_aspect("equal", adjustable="datalim")

    if timings:
        labels = list(timings)
        contenders = list(dict.fromkeys(c for v in timings.values() for c in v))
        width = 0.8 / max(len(contenders), 1)
        x = np.arange(len(labels))
        for k, c in enumerate(contenders):
            vals = [timings[lab].get(c, np.nan) for lab in labels]
            a4.bar(x + k * width, vals, width, label=c, color=_COLORS[k % len(_COLORS)])
        a4.set_xticks(x + 0.4 - width / 2, labels, rotation=20, ha="right", fontsize=8)
        a4.set_yscale("log")
        a4.set_ylabel("median time (s)")
        a4.set_title("time against peers (lower is better)")
        a4.legend(fontsize=8)
    else:
        a4.set_axis_off()
    fig.tight_layout()
    _save(fig, path)
