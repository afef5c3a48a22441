"""Training EntropyNet: losses, the seeded/resumable loop behind ``geoent train``, weights.

Losses (all on a batch of point sets normalised by their sample's centre and radius):

- hull head: the *soft survivor fraction*, the share of the set's points left outside
  the polygon of the (softmax-)extreme points along the predicted directions, with a
  sigmoid of a soft-min of the signed edge distances standing in for "strictly inside";
- order head: the 1-Wasserstein distance of each warped axis to the uniform distribution
  plus a small multiple of ``ln(bins^2)`` minus the entropy of the soft occupancy of a
  bins x bins grid (zero when the learned curve spreads the points evenly);
- restructure head: Chamfer distance between the moved and the original points plus
  ``lam_entropy`` times a soft entropy of the moved points (by default the paper's
  surrogate with a fixed 4 x 4 grid of anchors; ``entropy_family`` selects a family of
  ``geoent.torch.soft_range_partition_entropy`` instead).

Checkpoints are plain: ``torch.save`` of a dict of tensors and plain Python types
(model and optimizer state dicts, step, config, history), loaded back with
``torch.load(..., weights_only=True)``. The shipped weights are a bare model state
dict plus a JSON sidecar with the model's configuration.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import torch

from .data import TRAIN_FAMILIES, make_batch
from .models import EntropyNet, displacement_torch, normalise

__all__ = [
    "TrainConfig",
    "train",
    "load_pretrained",
    "load_checkpoint",
    "batch_losses",
    "soft_survivors",
    "hard_survivors",
    "order_loss",
    "restructure_loss",
    "chamfer",
    "PRETRAINED",
]

PRETRAINED = Path(__file__).resolve().parent / "weights" / "entropynet.pt"


@dataclasses.dataclass
class TrainConfig:
    """Everything a training run depends on (all plain types, saved with checkpoints)."""

    steps: int = 1500
    batch: int = 16
    n_points: int = 768
    lr: float = 1e-3
    seed: int = 0
    sample_size: int = 256
    k_directions: int = 16
    hidden: int = 64
    width: int = 128
    w_order: float = 0.5
    w_restructure: float = 1.0
    lam_entropy: float = 0.01
    entropy_family: str = "anchors"  # or a family of geoent.torch.soft_range_partition_entropy
    val_every: int = 100
    val_sets: int = 96
    val_points: int = 2048
    checkpoint_every: int = 250
    out: str = "entropynet.pt"
    families: tuple = TRAIN_FAMILIES
    threads: int = 1  # torch threads while training (0: leave torch's setting alone)

    @classmethod
    def from_dict(cls, d):
        known = {f.name for f in dataclasses.fields(cls)}
        bad = sorted(set(d) - known)
        if bad:
            raise ValueError(f"unknown training option(s): {', '.join(bad)}")
        d = dict(d)
        if "families" in d:
            d["families"] = tuple(d["families"])
        return cls(**d)

    def to_dict(self):
        d = dataclasses.asdict(self)
        d["families"] = list(self.families)
        return d

    def model_config(self):
        return dict(
            sample_size=self.sample_size,
            k_directions=self.k_directions,
            hidden=self.hidden,
            width=self.width,
            seed=self.seed,
        )


# ---------------------------------------------------------------------------- losses
def _polygon_edges(x, dirs, tau_extreme):
    """Soft extreme points (B, K, 2) along ``dirs`` and the signed edge distances (B, N, K)."""
    proj = x @ dirs.transpose(1, 2)
    w = torch.softmax(proj / tau_extreme, dim=1)
    ext = w.transpose(1, 2) @ x
    e = ext.roll(-1, dims=1) - ext
    rel = x[:, :, None, :] - ext[:, None, :, :]
    cross = e[:, None, :, 0] * rel[..., 1] - e[:, None, :, 1] * rel[..., 0]
    length = e.norm(dim=2)[:, None, :]
    # Two directions that share their extreme point give an edge of length ~0, which must
    # not constrain anything (the kernel skips it): blend such edges to "inside by 1".
    gate = length / (length + 1e-3)
    return ext, gate * cross / (length + 1e-6) + (1 - gate)


def soft_survivors(x, dirs, tau_extreme=0.002, tau_inside=0.003):
    """Differentiable fraction (B,) of points of ``x`` (B, N, 2) outside the filter polygon.

    The polygon joins the softmax-weighted extreme points along the counter-clockwise
    directions ``dirs`` (B, K, 2); a point is inside when its smallest signed distance
    to the edges is positive (soft-min and sigmoid at temperature ``tau_inside``).
    """
    _, dist = _polygon_edges(x, dirs, tau_extreme)
    m = -tau_inside * torch.logsumexp(-dist / tau_inside, dim=2)
    return (1 - torch.sigmoid(m / tau_inside)).mean(dim=1)


@torch.no_grad()
def hard_survivors(x, dirs):
    """Fraction (B,) of points of ``x`` not strictly inside the polygon of true extremes.

    Floating point, for training metrics only (the kernels decide with exact predicates).
    Consecutive directions that share their extreme point give no edge.
    """
    proj = x @ dirs.transpose(1, 2)
    idx = proj.argmax(dim=1)  # (B, K)
    ext = torch.gather(x, 1, idx[:, :, None].expand(-1, -1, 2))
    e = ext.roll(-1, dims=1) - ext
    rel = x[:, :, None, :] - ext[:, None, :, :]
    cross = e[:, None, :, 0] * rel[..., 1] - e[:, None, :, 1] * rel[..., 0]
    cross = torch.where((e.abs().sum(dim=2) > 0)[:, None, :], cross, torch.inf)
    inside = (cross > 0).all(dim=2) & (idx.roll(-1, 1) != idx).any(dim=1, keepdim=True)
    return 1.0 - inside.double().mean(dim=1)


def order_loss(x, rot, knots, bins=8, w_joint=0.1):
    """Unevenness (B,) of the warped points the learned curve orders, >= 0.

    The 1-Wasserstein distance of each warped axis to the uniform distribution (zero
    when the warp is the axis's distribution function, which spreads the points evenly
    along the curve and forbids staircase warps that pile points into one cell), plus
    ``w_joint`` times ``ln(bins^2)`` minus the entropy of the soft occupancy of a
    bins x bins grid (which the rotation can lower by aligning the grid with the data).
    """
    c, s = rot[:, 0:1], rot[:, 1:2]
    u = c * x[..., 0] + s * x[..., 1]
    v = c * x[..., 1] - s * x[..., 0]
    q = knots.shape[2] - 1
    n = x.shape[1]

    def warp(w, kn):
        lo = w.amin(dim=1, keepdim=True)
        hi = w.amax(dim=1, keepdim=True)
        t = ((w - lo) / (hi - lo).clamp_min(1e-9)) * q
        i = t.detach().floor().clamp(0, q - 1).long()
        f = t - i
        k0 = kn.gather(1, i)
        return k0 + f * (kn.gather(1, i + 1) - k0)

    wu, wv = warp(u, knots[:, 0]), warp(v, knots[:, 1])
    target = (torch.arange(n, dtype=x.dtype) + 0.5) / n
    w1 = (wu.sort(dim=1).values - target).abs().mean(dim=1)
    w1 = w1 + (wv.sort(dim=1).values - target).abs().mean(dim=1)
    centres = (torch.arange(bins, dtype=x.dtype) + 0.5) / bins
    sigma2 = 2 * (0.5 / bins) ** 2
    pu = torch.softmax(-((wu[..., None] - centres) ** 2) / sigma2, dim=2)
    pv = torch.softmax(-((wv[..., None] - centres) ** 2) / sigma2, dim=2)
    p = torch.einsum("bni,bnj->bij", pu, pv) / n
    h = -(p * torch.log(p.clamp_min(1e-12))).sum(dim=(1, 2))
    return w1 + w_joint * (math.log(bins * bins) - h)


def chamfer(a, b):
    """Symmetric Chamfer distance (B,): mean nearest-neighbour distance both ways."""
    d = torch.cdist(a, b)
    return 0.5 * (d.amin(dim=2).mean(dim=1) + d.amin(dim=1).mean(dim=1))


def _ball_entropy(x, anchors_per_side=4, alpha=20.0):
    """The paper's surrogate: soft assignment to fixed anchors, H = -sum p_j ln p_j."""
    g = torch.linspace(-0.75, 0.75, anchors_per_side, dtype=x.dtype)
    anchors = torch.stack(torch.meshgrid(g, g, indexing="ij"), dim=2).reshape(-1, 2)
    p = torch.softmax(-alpha * torch.cdist(x, anchors[None].expand(len(x), -1, -1)) ** 2, dim=2)
    pj = p.mean(dim=1)
    return -(pj * torch.log(pj.clamp_min(1e-12))).sum(dim=1)


def soft_entropy(x, family="anchors"):
    """Soft entropy (B,) of point sets (B, N, 2) for the restructure loss.

    ``"anchors"``: the fixed 4 x 4 anchor surrogate above (self-contained, what the
    shipped weights were trained with); any other name is passed as ``family`` to
    ``geoent.torch.soft_range_partition_entropy`` (``"ball"``, ``"halfspace"``,
    ``"respectful"``).
    """
    if family == "anchors":
        return _ball_entropy(x)
    from .functional import soft_range_partition_entropy

    return soft_range_partition_entropy(x, family=family)


def restructure_loss(x, field, lam_entropy, sub=256, family="anchors"):
    """Chamfer(moved, x) + lam_entropy * soft entropy(moved) (B,), on ``sub`` points."""
    xs = x[:, :sub]
    moved = xs + displacement_torch(field, xs)
    return chamfer(moved, xs) + lam_entropy * soft_entropy(moved, family)


# ---------------------------------------------------------------------------- loop
def _losses(model, batch_np, cfg):
    sample, x = _prepare(batch_np, cfg.sample_size)
    out = model(sample)
    parts = {
        "hull": soft_survivors(x, out["directions"]).mean(),
        "order": order_loss(x, out["rotation"], out["knots"]).mean(),
        "restructure": restructure_loss(
            x, out["field"], cfg.lam_entropy, family=cfg.entropy_family
        ).mean(),
    }
    parts["total"] = (
        parts["hull"] + cfg.w_order * parts["order"] + cfg.w_restructure * parts["restructure"]
    )
    return parts


@torch.no_grad()
def batch_losses(model, batch_np, cfg):
    """The training losses (floats: hull, order, restructure, total) of ``model`` on a batch."""
    was = model.training
    model.eval()
    parts = {k: v.item() for k, v in _losses(model, batch_np, cfg).items()}
    model.train(was)
    return parts


def _prepare(batch_np, sample_size):
    x = torch.from_numpy(batch_np.astype(np.float32))
    sample, centre, w = normalise(x[:, :sample_size])
    return sample, (x - centre) @ w


def _evenly_spaced(k, batch):
    t = torch.arange(k, dtype=torch.float32) * (2 * math.pi / k)
    return torch.stack((torch.cos(t), torch.sin(t)), dim=1)[None].expand(batch, -1, -1)


def _validation_batch(cfg):
    # a fixed, seeded validation set, disjoint from training steps (negative step ids)
    return make_batch(cfg.seed, -1, cfg.val_sets, cfg.val_points, cfg.families)


@torch.no_grad()
def validate(model, cfg, val_np=None):
    """Hard survivor fractions on the fixed validation sets.

    ``val_survivors`` (network) and ``val_survivors_even`` (evenly spaced directions in
    the same whitened frame, the heads' starting point) are means over the sets;
    ``val_ratio`` is the geometric mean over the sets of network / evenly spaced
    survivors (below 1: the network discards more).
    """
    val_np = _validation_batch(cfg) if val_np is None else val_np
    sample, x = _prepare(val_np, cfg.sample_size)
    was = model.training
    model.eval()
    out = model(sample)
    model.train(was)
    net = hard_survivors(x, out["directions"])
    base = hard_survivors(x, _evenly_spaced(cfg.k_directions, len(x)))
    floor = 1.0 / x.shape[1]
    ratio = torch.exp((torch.log(net + floor) - torch.log(base + floor)).mean()).item()
    return {
        "val_survivors": net.mean().item(),
        "val_survivors_even": base.mean().item(),
        "val_ratio": ratio,
    }


def save_checkpoint(path, model, opt, step, cfg, history):
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": opt.state_dict(),
            "step": int(step),
            "config": cfg.to_dict(),
            "model_config": dict(model.config),
            "history": history,
        },
        path,
    )


def load_checkpoint(path):
    """Read a training checkpoint (``weights_only=True``): a dict of plain types."""
    return torch.load(path, map_location="cpu", weights_only=True)


def _save_weights(path, model, cfg, history, seconds):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path)
    sidecar = {
        "model_config": dict(model.config),
        "train_config": cfg.to_dict(),
        "train_seconds": round(seconds, 1),
        "final": history[-1] if history else None,
    }
    path.with_suffix(".json").write_text(json.dumps(sidecar, indent=1) + "\n")


def train(config=None, *, resume=None, progress=True, stop_at=None):
    """Train EntropyNet; returns ``(model, history)``.

    Parameters
    ----------
    config : TrainConfig, dict or None
        Options (see :class:`TrainConfig`); a dict is checked for unknown keys.
    resume : str or Path, optional
        A checkpoint written by an earlier run (``<out>.ckpt``); training continues from
        its step with its configuration, updated by the keys of ``config`` when that is
        a dict (a :class:`TrainConfig` only contributes ``steps`` and ``out``).
    progress : bool
        Show a tqdm progress bar with the loss and the validation metric.
    stop_at : int, optional
        Stop after this step, as an interruption would, leaving a checkpoint to resume
        from (the learning-rate schedule still spans ``steps``).

    Writes the final weights to ``config.out`` (state dict) with a ``.json`` sidecar and
    a resumable checkpoint ``<out>.ckpt`` every ``checkpoint_every`` steps.

    Examples
    --------
    >>> from geoent.torch.training import train
    >>> model, hist = train(dict(steps=2, batch=2, n_points=64, val_sets=2,
    ...     val_points=64, out="/tmp/geoent-doctest.pt"), progress=False)
    >>> len(hist) >= 1
    True
    """
    from tqdm.auto import tqdm

    state = None
    if resume is not None:
        state = load_checkpoint(resume)
        opts = dict(state["config"])
        if isinstance(config, dict):
            opts.update(config)  # e.g. more steps, another output path
        elif config is not None:
            opts.update(steps=config.steps, out=config.out)
        cfg = TrainConfig.from_dict(opts)
    elif isinstance(config, dict):
        cfg = TrainConfig.from_dict(config)
    else:
        cfg = config or TrainConfig()
    out = cfg.out
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    model = EntropyNet(**cfg.model_config())
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, cfg.steps) / max(1, cfg.steps)))
    )
    start, history = 0, []
    if state is not None:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        start, history = state["step"], list(state["history"])
        sched.last_epoch = start
    ckpt_path = Path(str(out) + ".ckpt")
    ckpt_path.parent.mkdir(parents=True, exist_ok=True)
    val_np = _validation_batch(cfg)
    model.train()
    t0 = time.perf_counter()
    end = cfg.steps if stop_at is None else min(int(stop_at), cfg.steps)
    bar = tqdm(range(start, end), initial=start, total=cfg.steps, disable=not progress)
    running = None
    metrics = {}
    for step in bar:
        batch_np = make_batch(cfg.seed, step, cfg.batch, cfg.n_points, cfg.families)
        parts = _losses(model, batch_np, cfg)
        l_hull, l_order, l_restr, loss = (
            parts["hull"],
            parts["order"],
            parts["restructure"],
            parts["total"],
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        running = loss.item() if running is None else 0.9 * running + 0.1 * loss.item()
        done = step + 1
        if done % cfg.val_every == 0 or done == cfg.steps:
            metrics = validate(model, cfg, val_np)
            history.append(
                {
                    "step": done,
                    "loss": running,
                    "hull": l_hull.item(),
                    "order": l_order.item(),
                    "restructure": l_restr.item(),
                    **metrics,
                }
            )
        bar.set_postfix(
            loss=f"{running:.4f}",
            val_surv=f"{metrics.get('val_survivors', float('nan')):.4f}",
            val_ratio=f"{metrics.get('val_ratio', float('nan')):.3f}",
        )
        if done % cfg.checkpoint_every == 0 or done == end:
            save_checkpoint(ckpt_path, model, opt, done, cfg, history)
    bar.close()
    model.eval()
    _save_weights(out, model, cfg, history, time.perf_counter() - t0)
    return model, history


def load_pretrained(path=None):
    """The EntropyNet shipped with geoent (or the weights at ``path``), ready to use.

    Reads a plain state dict with ``torch.load(..., weights_only=True)`` and its JSON
    sidecar; never downloads anything.

    Examples
    --------
    >>> from geoent.torch import load_pretrained
    >>> net = load_pretrained()
    >>> net.hull_hint([[0, 0], [1, 0], [0, 1], [1, 1]]).shape[1]
    2
    """
    path = Path(path) if path is not None else PRETRAINED
    meta = json.loads(path.with_suffix(".json").read_text())
    model = EntropyNet(**meta["model_config"])
    model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    return model.eval()
