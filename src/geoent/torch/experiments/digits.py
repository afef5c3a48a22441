"""The handwritten digits shipped with geoent, and small training helpers.

``src/geoent/data/digits.npz`` is scikit-learn's bundled copy of the UCI "Optical
Recognition of Handwritten Digits" test set (1,797 images of 8 x 8 pixels, integers
0..16, ten classes; E. Alpaydin and C. Kaynak, 1998), converted by
``data/make_digits.py``; see ``data/README.md`` for provenance and licence. Nothing is
downloaded.

Examples
--------
>>> from geoent.torch.experiments.digits import load_digits, split
>>> x, y = load_digits()
>>> x.shape, y.shape, float(x.max())
((1797, 8, 8), (1797,), 1.0)
>>> tr, te = split(y)
>>> len(tr), len(te)
(1197, 600)
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import torch

__all__ = ["expected_calibration_error", "load_digits", "split", "tensors"]


def load_digits():
    """Images (1797, 8, 8) float32 scaled to [0, 1] and labels (1797,) int64."""
    with resources.files("geoent").joinpath("data/digits.npz").open("rb") as f:
        d = np.load(f)
        images, target = d["images"], d["target"]
    return images.astype(np.float32) / 16.0, target.astype(np.int64)


def split(y, test=600, seed=0):
    """A fixed stratified train/test split: (train indices, test indices)."""
    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    classes = np.unique(y)
    test_idx = []
    for c in classes:
        idx = np.flatnonzero(y == c)
        take = round(test * len(idx) / len(y))
        test_idx.append(rng.permutation(idx)[:take])
    test_idx = np.sort(np.concatenate(test_idx))
    # Rounding per class may miss the total by a few; fix it from the leftovers.
    rest = np.setdiff1d(np.arange(len(y)), test_idx)
    if len(test_idx) < test:
        extra = rng.permutation(rest)[: test - len(test_idx)]
        test_idx = np.sort(np.concatenate([test_idx, extra]))
    elif len(test_idx) > test:
        test_idx = np.sort(rng.permutation(test_idx)[:test])
    train_idx = np.setdiff1d(np.arange(len(y)), test_idx)
    return train_idx, test_idx


def tensors(seed_split=0):
    """(x_train, y_train, x_test, y_test) torch tensors, images (n, 8, 8)."""
    x, y = load_digits()
    tr, te = split(y, seed=seed_split)
    return (
        torch.from_numpy(x[tr]),
        torch.from_numpy(y[tr]),
        torch.from_numpy(x[te]),
        torch.from_numpy(y[te]),
    )


def batches(n, batch, generator):
    """Shuffled index batches for one epoch."""
    perm = torch.randperm(n, generator=generator)
    return perm.split(batch)


def expected_calibration_error(probs, labels, bins=15):
    """Top-label ECE with equal-width confidence bins (Guo et al. 2017).

    Examples
    --------
    >>> import torch
    >>> p = torch.tensor([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    >>> y = torch.tensor([0, 1, 0, 0])
    >>> round(expected_calibration_error(p, y), 4)  # |0.5-0.9|/2 + |1.0-0.6|/2
    0.4
    """
    conf, pred = probs.max(-1)
    correct = (pred == labels).to(probs.dtype)
    edges = torch.linspace(0, 1, bins + 1, dtype=probs.dtype)
    ece = probs.new_zeros(())
    n = len(labels)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        inside = (conf > lo) & (conf <= hi)
        if inside.any():
            w = inside.sum().to(probs.dtype) / n
            ece = ece + w * (correct[inside].mean() - conf[inside].mean()).abs()
    return float(ece)
