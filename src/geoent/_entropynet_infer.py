"""EntropyNet's hull hint without torch: the trained encoder and direction head as a
numpy forward pass.

Torch stays the training framework and checkpoints stay state dicts
(``geoent/torch/weights/entropynet.pt``); the layers the hull hint needs are also
shipped as float32 arrays (``entropynet_hull.npz``, written by :func:`export_hull_npz`
from the state dict, checked equal to it by the tests), so that
``geoent.convex_hull(pts, hint=HullHintNet.pretrained())`` works without torch, and
so that the hint costs what the arithmetic costs: torch spends most of its 0.6-1 ms
per call on framework overhead for a network on 256 points.

The sample, its normalisation and every layer follow ``geoent.torch.models.EntropyNet``
exactly (same seeded sample, same whitening, float32 layers); the tests compare the
two on the same weights.
"""

from __future__ import annotations

import json
import math

import numpy as np

__all__ = ["HullHintNet", "export_hull_npz"]

# the state-dict entries the hull hint reads (encoder, trunk, direction head)
_KEYS = (
    "point_mlp.0.weight",
    "point_mlp.0.bias",
    "point_mlp.2.weight",
    "point_mlp.2.bias",
    "point_mlp.4.weight",
    "point_mlp.4.bias",
    "trunk.0.weight",
    "trunk.0.bias",
    "dir_head.weight",
    "dir_head.bias",
)


def _normalise(sample):
    """As ``geoent.torch.models.normalise_numpy``: ``(y, centre, w)`` for (m, 2)."""
    centre = sample.mean(axis=0)
    d = sample - centre
    cov = d.T @ d / len(d)
    tr = float(cov[0, 0] + cov[1, 1])
    if not tr > 0:
        tr = 1.0
    lam, vec = np.linalg.eigh(cov + 1e-6 * tr * np.eye(2))
    w = (vec / np.sqrt(lam)) @ vec.T
    y = d @ w
    r = float(np.sqrt((y * y).sum(axis=1).max()))
    if not r > 0:
        r = 1.0
    return y / r, centre, w / r


class HullHintNet:
    """EntropyNet's hull-hint head as numpy arrays: ``hull_hint(points)`` gives the same
    directions as ``EntropyNet.hull_hint`` (to float32 rounding), without torch.

    Parameters
    ----------
    arrays : dict of str to numpy.ndarray
        The state-dict entries of ``_KEYS`` (any float dtype; kept as float32).
    config : dict
        ``sample_size``, ``k_directions`` and ``seed`` of the model.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> from geoent._entropynet_infer import HullHintNet
    >>> net = HullHintNet.pretrained()
    >>> pts = np.random.default_rng(0).random((1000, 2))
    >>> net.hull_hint(pts).shape
    (16, 2)
    >>> np.array_equal(geoent.convex_hull(pts, hint=net), geoent.convex_hull(pts))
    True
    """

    def __init__(self, arrays, config):
        a = {k: np.ascontiguousarray(np.asarray(arrays[k], dtype=np.float32)) for k in _KEYS}
        # weights stored transposed once, so each layer is one x @ W + b
        self.w1 = np.ascontiguousarray(a["point_mlp.0.weight"].T)
        self.b1 = a["point_mlp.0.bias"]
        self.w2 = np.ascontiguousarray(a["point_mlp.2.weight"].T)
        self.b2 = a["point_mlp.2.bias"]
        self.w3 = np.ascontiguousarray(a["point_mlp.4.weight"].T)
        self.b3 = a["point_mlp.4.bias"]
        self.wt = np.ascontiguousarray(a["trunk.0.weight"].T)
        self.bt = a["trunk.0.bias"]
        self.wd = np.ascontiguousarray(a["dir_head.weight"].T)
        self.bd = a["dir_head.bias"]
        self.sample_size = int(config["sample_size"])
        self.k = int(config["k_directions"])
        self.seed = int(config["seed"])
        if self.wd.shape[1] != 2 + self.k:
            raise ValueError("HullHintNet: direction head does not match k_directions")
        self._base = np.arange(self.k) * (2 * math.pi / self.k)

    @classmethod
    def pretrained(cls):
        """The weights shipped with geoent (no download, no torch)."""
        from importlib.resources import files

        folder = files("geoent").joinpath("torch", "weights")
        meta = json.loads(folder.joinpath("entropynet.json").read_text())
        with folder.joinpath("entropynet_hull.npz").open("rb") as f:
            z = np.load(f, allow_pickle=False)
            arrays = {k: z[k] for k in _KEYS}
        return cls(arrays, meta["model_config"])

    def directions_normalised(self, y):
        """Unit directions (K, 2) float64 in the normalised frame of sample ``y`` (m, 2)."""
        x = y.astype(np.float32)
        r = np.sqrt(x[:, 0] * x[:, 0] + x[:, 1] * x[:, 1])
        # first layer on 3 inputs: three broadcast products beat a (m, 3) matmul
        h = np.outer(x[:, 0], self.w1[0])
        h += np.outer(x[:, 1], self.w1[1])
        h += np.outer(r, self.w1[2])
        h += self.b1
        np.maximum(h, 0.0, out=h)
        h = h @ self.w2
        h += self.b2
        np.maximum(h, 0.0, out=h)
        h = h @ self.w3
        h += self.b3
        feat = np.concatenate((h.max(axis=0), h.mean(axis=0, dtype=np.float32)))
        z = feat @ self.wt
        z += self.bt
        np.maximum(z, 0.0, out=z)
        out = (z @ self.wd + self.bd).astype(np.float64)
        phi = math.atan2(out[1], out[0]) / self.k
        theta = self._base + phi + (0.45 * 2 * math.pi / self.k) * np.tanh(out[2:])
        return np.column_stack((np.cos(theta), np.sin(theta)))

    def hull_hint(self, points):
        """Filter directions (K, 2) float64 for ``geoent.convex_hull(points, hint=...)``.

        Reads only a seeded sample of ``sample_size`` points, so it costs the same for
        any n.
        """
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
            raise ValueError(f"EntropyNet expects points of shape (n, 2), got {pts.shape}")
        idx = np.random.default_rng(self.seed).integers(0, len(pts), self.sample_size)
        s = pts[idx]
        if not np.isfinite(s).all():
            raise ValueError("EntropyNet: the sample of the points holds NaN or inf")
        y, _, w = _normalise(s)
        d = self.directions_normalised(y) @ w  # w is symmetric: w @ d_w per row
        return d / np.sqrt((d * d).sum(axis=1))[:, None]


def export_hull_npz(state_dict, path):
    """Write the hull-hint layers of an EntropyNet state dict to ``path`` (npz, float32).

    ``state_dict`` maps names to torch tensors or arrays (``model.state_dict()``).
    """
    arrays = {}
    for k in _KEYS:
        v = state_dict[k]
        v = v.detach().cpu().numpy() if hasattr(v, "detach") else np.asarray(v)
        arrays[k] = v.astype(np.float32)
    np.savez_compressed(path, **arrays)
