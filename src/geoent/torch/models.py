"""EntropyNet: a small set network that reads a sample of a point set and predicts hints.

The network sees a fixed-size sample (``sample_size`` points drawn with a seeded
generator), centred on the sample mean and scaled by its largest radius, so that its
cost does not grow with the input. A PointNet/DeepSets encoder (shared per-point MLP,
max- and mean-pooling) feeds three heads:

The sample is whitened (centred, multiplied by the inverse square root of its
covariance) and scaled into the unit disk; the heads work in that frame and their
outputs are mapped back to the input's.

- **hull hint** (exact mode): ``k_directions`` unit vectors. The hull kernel takes the
  extreme input point along each, discards every point strictly inside their polygon
  with exact predicates and finishes on the survivors, so the hull is identical to the
  plain kernel's; only the time changes. The head starts as evenly spaced directions
  in the whitened frame and learns a rotation plus bounded per-direction offsets.
- **Delaunay order** (exact mode): a learned curve, the Hilbert curve composed with a
  learned rotation and a monotone piecewise-linear warp of each axis (trained to spread
  the points evenly over the curve's cells). The insertion order changes the time, never
  the triangulation.
- **restructure** (the mode of arXiv 2509.03733): a coarse displacement field
  (``field_grid`` x ``field_grid`` cells, bilinear) that moves points towards low entropy.
  Hulls of moved points are approximate; the ``entropynet`` benchmark suite
  (``geoent.bench.suites.entropynet``) reports the error.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

__all__ = ["EntropyNet"]

# the restructure field covers [-FIELD_EXTENT, FIELD_EXTENT]^2 in normalised units
FIELD_EXTENT = 1.0


def normalise(sample):
    """Whiten a batch of samples (B, m, 2) and scale it into the unit disk.

    Returns ``(y, centre (B, 1, 2), w (B, 2, 2))`` with ``y = (sample - centre) @ w``:
    ``w`` is the symmetric inverse square root of the sample covariance (regularised, so
    collinear or coincident samples still work) divided by the largest whitened radius.
    Hull filters are affine invariant, so the heads work in this frame: a direction
    ``d_w`` there is the direction ``w @ d_w`` for the input.
    """
    centre = sample.mean(dim=1, keepdim=True)
    d = sample - centre
    cov = d.transpose(1, 2) @ d / d.shape[1]
    tr = cov.diagonal(dim1=1, dim2=2).sum(dim=1)
    tr = torch.where(tr > 0, tr, torch.ones_like(tr))
    eye = torch.eye(2, dtype=sample.dtype)
    cov = cov + (1e-6 * tr)[:, None, None] * eye
    lam, vec = torch.linalg.eigh(cov)
    w = vec @ torch.diag_embed(lam.rsqrt()) @ vec.transpose(1, 2)
    y = d @ w
    r = y.norm(dim=2).amax(dim=1)
    r = torch.where(r > 0, r, torch.ones_like(r))[:, None, None]
    return y / r, centre, w / r


def normalise_numpy(sample):
    """float64 twin of :func:`normalise` for one sample (m, 2): ``(y, centre, w)``."""
    centre = sample.mean(axis=0)
    d = sample - centre
    cov = d.T @ d / len(d)
    tr = float(np.trace(cov))
    if not tr > 0:
        tr = 1.0
    lam, vec = np.linalg.eigh(cov + 1e-6 * tr * np.eye(2))
    w = vec @ np.diag(1.0 / np.sqrt(lam)) @ vec.T
    y = d @ w
    r = float(np.sqrt((y * y).sum(axis=1).max()))
    if not r > 0:
        r = 1.0
    return y / r, centre, w / r


class EntropyNet(nn.Module):
    """Sample-based hint network for the exact hull and Delaunay kernels.

    Parameters
    ----------
    sample_size : int
        Points read from the input (drawn with replacement by a generator seeded
        with ``seed``, so the same input always gets the same hint).
    k_directions : int
        Directions of the hull hint.
    hidden, width : int
        Sizes of the per-point MLP and of the pooled feature.
    warp_knots : int
        Pieces of each axis warp of the ordering curve.
    field_grid : int
        Cells per side of the restructure displacement field.
    max_shift : float
        Largest displacement of the restructure mode, in the normalised frame (the
        whitened sample scaled into the unit disk).
    seed : int
        Seed of the sampling generator.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> from geoent.torch import EntropyNet
    >>> net = EntropyNet()
    >>> pts = np.random.default_rng(0).random((1000, 2))
    >>> net.hull_hint(pts).shape
    (16, 2)
    >>> np.array_equal(geoent.convex_hull(pts, hint=net), geoent.convex_hull(pts))
    True
    """

    #: ``geoent.convex_hull`` does not call ``hull_hint`` (its filters do not use
    #: directions; see ``geoent._hull2d._decode_hint``): the hint is free and inert
    hull_hint_kind = "directions"

    def __init__(
        self,
        sample_size=256,
        k_directions=16,
        hidden=64,
        width=128,
        warp_knots=16,
        field_grid=8,
        max_shift=0.02,
        seed=0,
    ):
        super().__init__()
        self.config = dict(
            sample_size=int(sample_size),
            k_directions=int(k_directions),
            hidden=int(hidden),
            width=int(width),
            warp_knots=int(warp_knots),
            field_grid=int(field_grid),
            max_shift=float(max_shift),
            seed=int(seed),
        )
        self.sample_size = int(sample_size)
        self.k = int(k_directions)
        self.q = int(warp_knots)
        self.g = int(field_grid)
        self.max_shift = float(max_shift)
        self.seed = int(seed)
        self.point_mlp = nn.Sequential(
            nn.Linear(3, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, width),
        )
        self.trunk = nn.Sequential(nn.Linear(2 * width, width), nn.ReLU())
        self.dir_head = nn.Linear(width, 2 + self.k)
        self.order_head = nn.Linear(width, 2 + 2 * self.q)
        self.field_head = nn.Linear(width, 2 * self.g * self.g)
        # Heads start at the classical answer: evenly spaced directions with one along +x,
        # the plain Hilbert curve, no displacement. Training only has to improve on them.
        for head in (self.dir_head, self.order_head, self.field_head):
            nn.init.zeros_(head.weight)
            nn.init.zeros_(head.bias)
        with torch.no_grad():
            self.dir_head.bias[0] = 1.0
            self.order_head.bias[0] = 1.0
            self.order_head.bias[2:] = 0.5413  # softplus(0.5413) = 1: equal warp pieces

    # ------------------------------------------------------------------ torch side
    def encode(self, x):
        """Pooled feature (B, width) of normalised samples ``x`` (B, m, 2)."""
        r = x.norm(dim=2, keepdim=True)
        h = self.point_mlp(torch.cat((x, r), dim=2))
        return self.trunk(torch.cat((h.amax(dim=1), h.mean(dim=1)), dim=1))

    def directions(self, z):
        """Unit directions (B, K, 2), counter-clockwise by angle."""
        out = self.dir_head(z)
        # a K-fold symmetric set only needs its rotation modulo 2 pi / K
        phi = torch.atan2(out[:, 1], out[:, 0]) / self.k
        base = torch.arange(self.k, dtype=z.dtype, device=z.device) * (2 * math.pi / self.k)
        # offsets stay below half the spacing, so the angular order never changes
        theta = base + phi[:, None] + (0.45 * 2 * math.pi / self.k) * torch.tanh(out[:, 2:])
        return torch.stack((torch.cos(theta), torch.sin(theta)), dim=2)

    def order_params(self, z):
        """(rotation (B, 2) unit vector, warp knots (B, 2, Q + 1) rising from 0 to 1)."""
        out = self.order_head(z)
        # the Hilbert grid is square: a quarter turn maps it to itself
        psi = torch.atan2(out[:, 1], out[:, 0]) / 4
        rot = torch.stack((torch.cos(psi), torch.sin(psi)), dim=1)
        # every piece keeps a minimum slope, so no stretch of an axis collapses to a point
        inc = F.softplus(out[:, 2:]).reshape(-1, 2, self.q) + 0.1
        knots = torch.cumsum(inc, dim=2) / inc.sum(dim=2, keepdim=True)
        knots = torch.cat((torch.zeros_like(knots[:, :, :1]), knots), dim=2)
        return rot, knots

    def field(self, z):
        """Displacement field (B, 2, G, G) in normalised units, |shift| <= max_shift."""
        out = self.field_head(z).reshape(-1, 2, self.g, self.g)
        return self.max_shift * torch.tanh(out)

    def forward(self, x):
        """All heads for normalised samples ``x`` (B, m, 2): a dict of tensors."""
        z = self.encode(x)
        rot, knots = self.order_params(z)
        return {
            "directions": self.directions(z),
            "rotation": rot,
            "knots": knots,
            "field": self.field(z),
        }

    # ------------------------------------------------------------------ numpy side
    def _sample(self, points):
        pts = np.asarray(points, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
            raise ValueError(f"EntropyNet expects points of shape (n, 2), got {pts.shape}")
        idx = np.random.default_rng(self.seed).integers(0, len(pts), self.sample_size)
        s = pts[idx]
        if not np.isfinite(s).all():
            raise ValueError("EntropyNet: the sample of the points holds NaN or inf")
        y, c, w = normalise_numpy(s)
        return pts, torch.from_numpy(y.astype(np.float32))[None], c, w

    @torch.no_grad()
    def _heads(self, points):
        pts, x, c, w = self._sample(points)
        if self.training:
            self.eval()
        # One sample is far too small to share between threads: torch's pool only adds
        # wake-up latency (tens of ms next to numba's own busy threads), so run it on one.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            out = self.forward(x)
        finally:
            torch.set_num_threads(threads)
        return pts, out, c, w

    def hull_hint(self, points):
        """Filter directions (K, 2) float64 for ``geoent.convex_hull(points, hint=...)``.

        Reads only the sample, so it costs the same for any n. Runs the forward pass
        outside torch (``geoent._entropynet_infer.HullHintNet``, one numba call on this
        module's current weights, equal to :meth:`forward`'s directions to float32
        rounding): torch's own call overhead is several times the arithmetic on 256
        points. :meth:`hull_hint_torch` is the same through torch.
        """
        return self._hull_hint_net().hull_hint(points)

    def hull_hint_torch(self, points):
        """:meth:`hull_hint` computed by torch (the reference for the fast path)."""
        _, out, _, w = self._heads(points)
        d = out["directions"][0].double().numpy() @ w  # w is symmetric: w @ d_w per row
        return d / np.linalg.norm(d, axis=1, keepdims=True)

    def _hull_hint_net(self):
        """The numpy/numba twin of the hull-hint layers, rebuilt when the weights
        change (every in-place update, an optimiser step or ``load_state_dict``, bumps
        a tensor's ``_version``) or a layer is replaced."""
        from .._entropynet_infer import _KEYS, HullHintNet

        mods = self._modules  # plain dict: no nn.Module.__getattr__ on the hot path
        owners = (mods["point_mlp"], mods["trunk"], mods["dir_head"])
        cached = self.__dict__.get("_hull_net")
        if cached is None or any(a is not b for a, b in zip(cached[0], owners, strict=True)):
            layers = (owners[0][0], owners[0][2], owners[0][4], owners[1][0], owners[2])
            tensors = tuple(t for lin in layers for t in (lin.weight, lin.bias))
            cached = [owners, tensors, None, None]
            self.__dict__["_hull_net"] = cached
        versions = tuple(t._version for t in cached[1])
        if cached[2] != versions:
            arrays = {k: t.detach().cpu().numpy() for k, t in zip(_KEYS, cached[1], strict=True)}
            cached[2] = versions
            cached[3] = HullHintNet(arrays, self.config)
        return cached[3]

    def order_keys(self, points):
        """Sort keys (int64, one per point) of the learned curve."""
        from .._kernels.ordering import hilbert_keys_unit

        pts, out, c, w = self._heads(points)
        cs, sn = out["rotation"][0].double().numpy()
        knots = out["knots"][0].double().numpy()
        # whitening then rotation, folded into one 2x2 map
        m = w @ np.array([[cs, -sn], [sn, cs]])
        x = pts[:, 0] - c[0]
        y = pts[:, 1] - c[1]
        # elementwise, not (n, 2) @ (2, 2): BLAS threads stall next to numba's
        u = m[0, 0] * x + m[1, 0] * y
        v = m[0, 1] * x + m[1, 1] * y
        grid = np.linspace(0.0, 1.0, self.q + 1)
        warped = []
        for axis, t in enumerate((u, v)):
            lo, hi = float(t.min()), float(t.max())
            t = (t - lo) * (1.0 / (hi - lo)) if hi > lo else np.zeros_like(t)
            warped.append(np.interp(t, grid, knots[axis]))
        # 31 bits per axis: clustered inputs (Kuzmin) need fine cells, or ties in one
        # cell fall back to input order and the walks get long
        return hilbert_keys_unit(warped[0], warped[1], 31)

    def delaunay_order(self, points):
        """Insertion order (int64 permutation) for ``geoent.delaunay(points, order=...)``."""
        return np.argsort(self.order_keys(points), kind="stable").astype(np.int64)

    def restructure(self, points):
        """Moved copy of ``points`` (the approximate mode): float64 (n, 2).

        Each point moves by the bilinear interpolation of the predicted displacement
        field at its position in the normalised frame (at most ``max_shift`` there).
        """
        from .._kernels.learned_order import apply_field

        pts, out, c, w = self._heads(points)
        field = np.ascontiguousarray(out["field"][0].double().numpy())
        return apply_field(
            np.ascontiguousarray(pts), c, w, np.linalg.inv(w), field, float(FIELD_EXTENT)
        )


def displacement_numpy(field, xy):
    """Bilinear interpolation of ``field`` (2, G, G) at normalised points ``xy`` (n, 2).

    Same convention as ``torch.nn.functional.grid_sample(align_corners=True,
    padding_mode="border")`` on [-FIELD_EXTENT, FIELD_EXTENT]^2: ``field[:, row, col]``
    with rows along y and columns along x.
    """
    g = field.shape[1]
    t = (np.clip(xy / FIELD_EXTENT, -1.0, 1.0) + 1.0) * (0.5 * (g - 1))
    i0 = np.minimum(t.astype(np.int64), g - 2)
    f = t - i0
    cx, cy = i0[:, 0], i0[:, 1]
    fx, fy = f[:, 0:1], f[:, 1:2]
    fl = field.transpose(1, 2, 0)  # (row=y, col=x, 2)
    top = fl[cy, cx] * (1 - fx) + fl[cy, cx + 1] * fx
    bottom = fl[cy + 1, cx] * (1 - fx) + fl[cy + 1, cx + 1] * fx
    return top * (1 - fy) + bottom * fy


def displacement_torch(field, xy):
    """Torch twin of :func:`displacement_numpy`: field (B, 2, G, G), xy (B, n, 2)."""
    grid = (xy / FIELD_EXTENT).clamp(-1, 1)[:, :, None, :]
    return (
        F.grid_sample(field, grid, mode="bilinear", align_corners=True).squeeze(3).transpose(1, 2)
    )
