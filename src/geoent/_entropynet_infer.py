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
exactly (same seeded sample, same whitening, float32 layers; the forward pass is one
numba call, ``geoent._kernels.entropynet_forward.hull_directions``); the tests compare
the two on the same weights. Measured (1e6 uniform points, median of 300 calls,
shared 2-core Xeon, same process): 0.09-0.10 ms here against 0.5-0.6 ms through torch.
"""

from __future__ import annotations

import json

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

    #: ``geoent.convex_hull`` does not call ``hull_hint`` of an object declaring
    #: this: its filters do not use directions (see ``geoent._hull2d._decode_hint``)
    hull_hint_kind = "directions"

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
        self._idx = None

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

    def hull_hint(self, points):
        """Filter directions (K, 2) float64 for ``geoent.convex_hull(points, hint=...)``.

        Reads only a seeded sample of ``sample_size`` points, so it costs the same for
        any n: one numba call (``geoent._kernels.entropynet_forward``).
        """
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
            raise ValueError(f"EntropyNet expects points of shape (n, 2), got {pts.shape}")
        n = len(pts)
        if self._idx is None or self._idx[0] != n:
            # the seeded sample depends only on n: drawn once per size
            self._idx = (n, np.random.default_rng(self.seed).integers(0, n, self.sample_size))
        s = pts[self._idx[1]]
        if not np.isfinite(s).all():
            raise ValueError("EntropyNet: the sample of the points holds NaN or inf")
        from ._kernels.entropynet_forward import hull_directions

        return hull_directions(
            np.ascontiguousarray(s),
            self.w1,
            self.b1,
            self.w2,
            self.b2,
            self.w3,
            self.b3,
            self.wt,
            self.bt,
            self.wd,
            self.bd,
        )


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
