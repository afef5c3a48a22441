"""Attention entropy (seed 000) against an L1 penalty on attention, then top-k pruning.

A small Transformer on the digits: 2 x 2 patches as 16 tokens (4 pixels each), a
linear embedding to 32 dimensions plus a learnt position embedding, two pre-norm
blocks of 4-head self-attention (:class:`SelfAttention`, which returns its maps and
can keep only the top-k keys per row) and a 64-unit MLP, mean pooling, a linear head.
Adam 3e-3. Regularisers, each at weight ``LAM`` = 0.1 on the mean over layers:

``none``
    cross-entropy only;
``l1``
    the mean row L1 norm of the attention probabilities, sum_j |a_ij|. Every softmax
    row sums to 1, so this term is the constant 1 and its gradient is zero: an L1
    penalty on attention *probabilities* cannot sparsify them (it is run anyway, to
    show it changes nothing beyond floating-point noise);
``lhalf``
    the mean row L_1/2 quasi-norm term sum_j sqrt(a_ij) (1 for one-hot rows, sqrt(k)
    for uniform ones), a sparsity penalty that does act on the simplex;
``entropy``
    :func:`geoent.torch.regularizers.attention_entropy` (mean row entropy);
``entropy*0.01``
    the same at weight 0.01.

After training, every attention row keeps only its top-k keys (the others are masked
before the softmax, i.e. the kept probabilities are renormalised), for k = 1..16. The
seed's claim: entropy regularisation gives 6 points more accuracy than L1 baselines at
80% sparsity; with 16 keys the nearest level at or above 80% is k = 3 (81.25%).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..regularizers import AttentionRecorder, attention_entropy
from .digits import batches, tensors

__all__ = ["METHODS", "SelfAttention", "TinyViT", "run", "markdown", "plot"]

METHODS = ("none", "l1", "lhalf", "entropy", "entropy*0.01")
LAM = 0.1
# entropy*0.01: the same regulariser at a tenth of the weight (no tuning was done; the
# seed gives no coefficient).
WEIGHTS = {"l1": LAM, "lhalf": LAM, "entropy": LAM, "entropy*0.01": 0.01}
TOKENS = 16
KEEP_80 = 3  # 1 - 3/16 = 81.25% sparsity, the first level >= 80%


class SelfAttention(nn.Module):
    """Multi-head self-attention returning ``(output, attention)``; ``keep`` (an int or
    None) restricts every row to its top-``keep`` keys before the softmax."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.keep = None

    def forward(self, x):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        scores = q @ k.transpose(-1, -2) / (d // self.heads) ** 0.5
        if self.keep is not None and self.keep < n:
            kth = scores.topk(self.keep, dim=-1).values[..., -1:]
            scores = scores.masked_fill(scores < kth, float("-inf"))
        attn = scores.softmax(-1)
        y = (attn @ v).transpose(1, 2).reshape(b, n, d)
        return self.out(y), attn


class Block(nn.Module):
    def __init__(self, dim, heads, hidden):
        super().__init__()
        self.n1, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.attn = SelfAttention(dim, heads)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x):
        x = x + self.attn(self.n1(x))[0]
        return x + self.mlp(self.n2(x))


class TinyViT(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2, hidden=64):
        super().__init__()
        self.embed = nn.Linear(4, dim)
        self.pos = nn.Parameter(torch.randn(TOKENS, dim) * 0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, hidden) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 10)

    @staticmethod
    def patches(x):
        """(b, 8, 8) images -> (b, 16, 4) tokens of 2 x 2 patches, row-major."""
        b = x.shape[0]
        return x.view(b, 4, 2, 4, 2).permute(0, 1, 3, 2, 4).reshape(b, TOKENS, 4)

    def forward(self, x):
        h = self.embed(self.patches(x)) + self.pos
        for blk in self.blocks:
            h = blk(h)
        return self.head(self.norm(h).mean(1))

    def set_keep(self, keep):
        for blk in self.blocks:
            blk.attn.keep = keep


def penalty(method, maps):
    if method == "entropy":
        return torch.stack([attention_entropy(a) for a in maps]).mean()
    if method == "l1":
        return torch.stack([a.abs().sum(-1).mean() for a in maps]).mean()
    if method == "lhalf":
        return torch.stack([a.clamp_min(1e-12).sqrt().sum(-1).mean() for a in maps]).mean()
    raise ValueError(f"unknown method {method!r}")


def train(method, seed, epochs, data, lr=3e-3, batch=64):
    xtr, ytr = data[0], data[1]
    torch.manual_seed(seed)
    model = TinyViT()
    rec = AttentionRecorder(model, module_types=(SelfAttention,))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        model.train()
        for idx in batches(len(xtr), batch, g):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            if method != "none":
                loss = loss + WEIGHTS[method] * penalty(method.split("*")[0], rec.maps)
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model, rec


@torch.no_grad()
def evaluate(model, rec, x, y):
    accs = {}
    for k in range(1, TOKENS + 1):
        model.set_keep(k)
        accs[k] = float((model(x).argmax(-1) == y).float().mean())
    model.set_keep(None)
    model(x)
    ent = float(torch.stack([attention_entropy(a, normalize=True) for a in rec.maps]).mean())
    # Attention mass outside each row's top-3 keys in the dense model.
    top = [a.topk(KEEP_80, dim=-1).values.sum(-1).mean() for a in rec.maps]
    return {"acc_by_keep": accs, "entropy_norm": ent, "mass_top3": float(torch.stack(top).mean())}


def run(seeds=5, quick=False, progress=None, methods=METHODS):
    data = tensors()
    epochs = 2 if quick else 20
    out = {"epochs": epochs, "seeds": seeds, "methods": list(methods), "runs": []}
    for method in methods:
        for seed in range(seeds):
            model, rec = train(method, seed, epochs, data)
            r = evaluate(model, rec, data[2], data[3])
            rec.remove()
            out["runs"].append({"method": method, "seed": seed, **r})
            if progress:
                progress(f"attention {method} seed {seed}")
    return out


def _acc(result, method, keep):
    return np.array(
        [r["acc_by_keep"][keep] for r in result["runs"] if r["method"] == method], dtype=float
    )


def _ms(v, scale=100.0):
    v = np.asarray(v) * scale
    return f"{v.mean():.2f} ± {v.std(ddof=1) if len(v) > 1 else 0.0:.2f}"


def markdown(result):
    lines = [
        f"### Attention entropy: tiny ViT (16 tokens), {result['epochs']} epochs, "
        f"{result['seeds']} seeds (mean ± std)",
        "",
        f"| method | dense accuracy % | accuracy % at {1 - KEEP_80 / TOKENS:.2%} sparsity "
        f"(top-{KEEP_80}) | Δ vs l1 (points, paired) | Δ vs none | top-1 accuracy % | "
        f"normalised attention entropy | attention mass in top-{KEEP_80} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for m in result["methods"]:
        rs = [r for r in result["runs"] if r["method"] == m]
        a3 = _acc(result, m, KEEP_80)
        cells = []
        for ref in ("l1", "none"):
            b = _acc(result, ref, KEEP_80) if ref in result["methods"] else np.array([])
            cells.append(_ms(a3 - b) if len(b) == len(a3) and m != ref else "-")
        lines.append(
            f"| {m} | {_ms(_acc(result, m, TOKENS))} | {_ms(a3)} | {cells[0]} | {cells[1]} | "
            f"{_ms(_acc(result, m, 1))} | {_ms([r['entropy_norm'] for r in rs], 1)} | "
            f"{_ms([r['mass_top3'] for r in rs], 1)} |"
        )
    return "\n".join(lines) + "\n"


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    keeps = np.arange(1, TOKENS + 1)
    sparsity = 1 - keeps / TOKENS
    for m in result["methods"]:
        accs = np.array([_acc(result, m, int(k)) for k in keeps])  # (keeps, seeds)
        mean = accs.mean(1)
        sd = accs.std(1, ddof=1) if accs.shape[1] > 1 else np.zeros_like(mean)
        ax.errorbar(sparsity * 100, mean * 100, yerr=sd * 100, label=m, capsize=2, marker=".")
    ax.axvline(80, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("attention sparsity % (top-k keys kept per row)")
    ax.set_ylabel("test accuracy %")
    ax.set_title("digits, tiny ViT: mean ± std over seeds")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
