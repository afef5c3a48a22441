"""Seeded training batches for EntropyNet: synthetic families plus the shipped real sets.

Every batch is a pure function of ``(seed, step)``, so a resumed run sees exactly the
batches an uninterrupted run would have seen.
"""

from __future__ import annotations

import numpy as np

from ..datasets import DATASETS, load_dataset, make_points

__all__ = ["TRAIN_FAMILIES", "make_set", "make_batch"]

# synthetic families from geoent.datasets plus "real:<name>" (random windows of a real set)
TRAIN_FAMILIES = (
    "uniform",
    "disk",
    "gaussian",
    "annulus",
    "circle",
    "kuzmin",
    "aniso_gaussian",
    "clusters",
    "heavy_tailed",
    "rotated_grid",
    *(f"real:{name}" for name in DATASETS),
)

_REAL_CACHE: dict = {}


def _real(name):
    if name not in _REAL_CACHE:
        _REAL_CACHE[name] = load_dataset(name)
    return _REAL_CACHE[name]


def _real_window(rng, name, n):
    # a random axis-aligned window holding at least n / 4 points, then n draws from it
    pts = _real(name)
    for _ in range(20):
        c = pts[rng.integers(len(pts))]
        half = np.exp(rng.uniform(np.log(3.0), np.log(180.0)))
        inside = np.abs(pts - c).max(axis=1) <= half
        if inside.sum() >= max(16, n // 4):
            break
    sub = pts[inside]
    return sub[rng.integers(0, len(sub), n)]


def make_set(family, n, rng):
    """One point set (n, 2) float64 of ``family``, randomly rotated, stretched and shuffled.

    Examples
    --------
    >>> import numpy as np
    >>> make_set("disk", 100, np.random.default_rng(0)).shape
    (100, 2)
    """
    if family.startswith("real:"):
        pts = _real_window(rng, family[5:], n)
    elif family == "rotated_grid":
        # a grid is a fixed lattice; take a random sub-block so sets differ
        side = int(rng.integers(8, 64))
        pts = make_points("grid", side * side, seed=0)
        pts = pts[rng.integers(0, len(pts), n)]
    else:
        pts = make_points(family, n, seed=int(rng.integers(2**31)))
    if len(pts) != n:
        pts = pts[rng.integers(0, len(pts), n)]
    # random similarity plus an occasional stretch: hints must follow the input's frame
    t = rng.uniform(0, 2 * np.pi)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    stretch = np.diag([np.exp(rng.uniform(0, np.log(4.0))), 1.0]) if rng.random() < 0.3 else None
    if stretch is not None:
        pts = pts @ stretch
    pts = pts @ rot.T
    return pts[rng.permutation(n)]


def make_batch(seed, step, batch, n, families=TRAIN_FAMILIES):
    """A batch (batch, n, 2) float64 for training step ``step`` of a run seeded ``seed``.

    ``step`` -1 is the validation batch: a stream no training step draws from.
    """
    rng = np.random.default_rng([int(seed), int(step) + 1, 0x6E7])
    fam = rng.choice(len(families), size=batch)
    return np.stack([make_set(families[f], n, rng) for f in fam])
