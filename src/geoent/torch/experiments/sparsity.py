"""Configuration entropy (seed 002) against no regularisation, weight decay and L1.

Protocol (the seed's, scaled to the digits): an MLP 64-300-100-10 (LeNet-300 with the
input scaled to 8 x 8) with ReLU, Adam, trained with cross-entropy alone (``ce``), with
weight decay 1e-4 (``wd``, Adam's coupled L2 as in libtorch), with an L1 penalty
(``l1``), with the configuration entropy summed over the three weight matrices at
weight 1 (``config``, the seed uses no coefficient), with both (``config+wd``), and
with the configuration entropy at weights 0.1 and 0.01 (``config*0.1``,
``config*0.01``).
After training, each weight's sensitivity |w dL/dw| (L: cross-entropy on the whole
training set) is computed; weights are kept above global sensitivity thresholds at 0.1
percentile steps (biases are neither pruned nor counted), giving test accuracy against
the number of nonzero weights. The seed's claim: about ten times fewer nonzero weights
at a given accuracy. We report, per seed, the smallest count reaching each target
accuracy and the ratio baseline / config.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..regularizers import ConfigurationEntropy
from .digits import batches, tensors

__all__ = ["METHODS", "run", "markdown", "plot"]

METHODS = ("ce", "wd", "l1", "config", "config+wd", "config*0.1", "config*0.01")
# Weight of the configuration-entropy term: the seed uses none (1); the two smaller
# weights check that a refutation at weight 1 is not only a too-strong coefficient.
CONFIG_WEIGHTS = {"config": 1.0, "config+wd": 1.0, "config*0.1": 0.1, "config*0.01": 0.01}
TARGETS = (0.90, 0.95)
L1_WEIGHT = 1e-4
WD = 1e-4


def mlp():
    return nn.Sequential(
        nn.Flatten(), nn.Linear(64, 300), nn.ReLU(), nn.Linear(300, 100), nn.ReLU(),
        nn.Linear(100, 10),
    )  # fmt: skip


def _weights(model):
    return [p for p in model.parameters() if p.ndim >= 2]


def train(method, seed, epochs, data, lr=1e-3, batch=64):
    xtr, ytr = data[0], data[1]
    torch.manual_seed(seed)
    model = mlp()
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=WD if "wd" in method else 0)
    reg = ConfigurationEntropy(model) if method in CONFIG_WEIGHTS else None
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for idx in batches(len(xtr), batch, g):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            if reg is not None:
                loss = loss + CONFIG_WEIGHTS[method] * reg()
            if method == "l1":
                loss = loss + L1_WEIGHT * sum(w.abs().sum() for w in _weights(model))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model


@torch.no_grad()
def _accuracy(model, x, y):
    return float((model(x).argmax(-1) == y).float().mean())


def prune_curve(model, data, step=0.001):
    """(counts, accuracies) after keeping the weights of highest sensitivity |w dL/dw|."""
    xtr, ytr, xte, yte = data
    model.zero_grad()
    F.cross_entropy(model(xtr), ytr).backward()
    ws = _weights(model)
    sens = torch.cat([(w * w.grad).abs().flatten() for w in ws]).detach()
    order = torch.argsort(sens, descending=True)
    total = sens.numel()
    originals = [w.detach().clone() for w in ws]
    counts, accs = [], []
    fractions = np.arange(1.0, 0.0, -step)
    for frac in fractions:
        k = max(1, int(round(frac * total)))
        keep = torch.zeros(total, dtype=torch.bool)
        keep[order[:k]] = True
        off = 0
        with torch.no_grad():
            for w, w0 in zip(ws, originals, strict=True):
                m = keep[off : off + w.numel()].view_as(w)
                w.copy_(w0 * m)
                off += w.numel()
        nnz = int(sum(int((w != 0).sum()) for w in ws))
        counts.append(nnz)
        accs.append(_accuracy(model, xte, yte))
    with torch.no_grad():
        for w, w0 in zip(ws, originals, strict=True):
            w.copy_(w0)
    return np.array(counts), np.array(accs)


def nnz_at(counts, accs, target):
    """Fewest nonzero weights with test accuracy >= target (inf if never reached)."""
    ok = accs >= target
    return float(counts[ok].min()) if ok.any() else math.inf


def run(seeds=5, quick=False, progress=None, methods=METHODS):
    data = tensors()
    epochs = 2 if quick else 40
    step = 0.05 if quick else 0.001
    out = {"epochs": epochs, "seeds": seeds, "methods": list(methods), "runs": []}
    for method in methods:
        for seed in range(seeds):
            model = train(method, seed, epochs, data)
            h = float(ConfigurationEntropy(model)().detach())
            acc = _accuracy(model, data[2], data[3])
            counts, accs = prune_curve(model, data, step)
            out["runs"].append({
                "method": method, "seed": seed, "accuracy": acc, "config_entropy": h,
                "counts": counts.tolist(), "accs": accs.tolist(),
                "nnz_at": {str(t): nnz_at(counts, accs, t) for t in TARGETS},
            })  # fmt: skip
            if progress:
                progress(f"sparsity {method} seed {seed}")
    return out


def _by(result, method):
    return [r for r in result["runs"] if r["method"] == method]


def _ms(values, fmt="{:.3f}"):
    v = np.asarray(values, dtype=float)
    if not np.isfinite(v).all():
        return f"{int(np.isfinite(v).sum())}/{len(v)} reached"
    return (fmt + " ± " + fmt).format(v.mean(), v.std(ddof=1) if len(v) > 1 else 0.0)


def markdown(result):
    lines = [
        f"### Configuration entropy: MLP 64-300-100-10, {result['epochs']} epochs, "
        f"{result['seeds']} seeds (mean ± std)",
        "",
        "| method | test accuracy | H_C (sum) | nonzero weights at "
        + " | nonzero weights at ".join(f"{t:.0%}" for t in TARGETS)
        + " |",
        "|---|---|---|" + "---|" * len(TARGETS),
    ]
    for m in result["methods"]:
        rs = _by(result, m)
        cells = [_ms([r["nnz_at"][str(t)] for r in rs], "{:.0f}") for t in TARGETS]
        lines.append(
            f"| {m} | {_ms([r['accuracy'] for r in rs])} | "
            f"{_ms([r['config_entropy'] for r in rs], '{:.2f}')} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "Ratio of nonzero weights at matched accuracy, baseline / regularised (paired by "
        "seed; geometric mean and [min, max] over seeds; > 1 means the configuration-"
        "entropy model needs fewer weights; the seed claims about 10):",
        "",
        "| baseline / regularised | " + " | ".join(f"at {t:.0%}" for t in TARGETS) + " |",
        "|---|" + "---|" * len(TARGETS),
    ]
    for v in [m for m in result["methods"] if m in CONFIG_WEIGHTS]:
        reg = {r["seed"]: r for r in _by(result, v)}
        for m in [m for m in ("ce", "wd", "l1") if m in result["methods"]]:
            cells = []
            for t in TARGETS:
                ratios = np.array(
                    [
                        r["nnz_at"][str(t)] / reg[r["seed"]]["nnz_at"][str(t)]
                        for r in _by(result, m)
                        if r["seed"] in reg
                    ],
                    dtype=float,
                )
                if not len(ratios) or not np.isfinite(ratios).all() or (ratios <= 0).any():
                    cells.append("n/a (a run never reaches it)")
                else:
                    gm = float(np.exp(np.log(ratios).mean()))
                    cells.append(f"{gm:.2f} [{ratios.min():.2f}, {ratios.max():.2f}]")
            lines.append(f"| {m} / {v} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for m in result["methods"]:
        rs = _by(result, m)
        counts = np.array([r["counts"] for r in rs], dtype=float)
        accs = np.array([r["accs"] for r in rs])
        x = np.median(counts, axis=0)
        ax.plot(x, np.median(accs, axis=0), label=m)
        ax.fill_between(x, accs.min(0), accs.max(0), alpha=0.15)
    ax.set_xscale("log")
    ax.set_xlabel("nonzero weights after sensitivity pruning")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1)
    ax.set_title("digits, MLP 64-300-100-10: median and min-max over seeds")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
