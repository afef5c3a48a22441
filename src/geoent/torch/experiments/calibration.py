"""MIN-ENT and MIX-ENT (seed 003) against cross-entropy and label smoothing.

A small VGG-style CNN (two 3 x 3 conv layers of 16 and 32 channels with batch norm,
2 x 2 max pooling, a 64-unit layer) on the digits, Adam 1e-3, trained with plain
cross-entropy (``ce``), label smoothing 0.1 (``ls``), :class:`MinEntLoss` and
:class:`MixEntLoss` (weights 1 and 1, bases starting at e and learnt with the model, as
in the author's code defaults). Test accuracy, negative log-likelihood and top-label
expected calibration error (15 bins). The seed's claim is +0.07 points of accuracy
(EMNIST-Letters, VGG-5, one run each); its open question is calibration.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..regularizers import MinEntLoss, MixEntLoss
from .digits import batches, expected_calibration_error, tensors

__all__ = ["METHODS", "run", "markdown", "plot"]

METHODS = ("ce", "ls", "min_ent", "mix_ent")


def cnn():
    return nn.Sequential(
        nn.Unflatten(1, (1, 8)),
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(32 * 16, 64), nn.ReLU(), nn.Linear(64, 10),
    )  # fmt: skip


def _criterion(method):
    if method == "ce":
        return nn.CrossEntropyLoss()
    if method == "ls":
        return nn.CrossEntropyLoss(label_smoothing=0.1)
    if method == "min_ent":
        return MinEntLoss()
    if method == "mix_ent":
        return MixEntLoss()
    raise ValueError(f"unknown method {method!r}")


def train(method, seed, epochs, data, lr=1e-3, batch=64):
    xtr, ytr = data[0], data[1]
    torch.manual_seed(seed)
    model = cnn()
    crit = _criterion(method)
    opt = torch.optim.Adam(list(model.parameters()) + list(crit.parameters()), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        model.train()
        for idx in batches(len(xtr), batch, g):
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model, crit


@torch.no_grad()
def evaluate(model, x, y):
    logits = model(x).double()
    probs = logits.softmax(-1)
    return {
        "accuracy": float((probs.argmax(-1) == y).double().mean()),
        "nll": float(F.cross_entropy(logits, y)),
        "ece": expected_calibration_error(probs, y),
        "confidence": float(probs.max(-1).values.mean()),
    }


def run(seeds=5, quick=False, progress=None, methods=METHODS):
    data = tensors()
    epochs = 2 if quick else 20
    out = {"epochs": epochs, "seeds": seeds, "methods": list(methods), "runs": []}
    for method in methods:
        for seed in range(seeds):
            model, crit = train(method, seed, epochs, data)
            row = {"method": method, "seed": seed, **evaluate(model, data[2], data[3])}
            if hasattr(crit, "bases"):
                row["bases"] = crit.bases.detach().tolist()
            out["runs"].append(row)
            if progress:
                progress(f"calibration {method} seed {seed}")
    return out


def _vals(result, method, key):
    return np.array([r[key] for r in result["runs"] if r["method"] == method], dtype=float)


def _ms(v, scale=1.0, fmt="{:.2f}"):
    v = np.asarray(v) * scale
    sd = v.std(ddof=1) if len(v) > 1 else 0.0
    return (fmt + " ± " + fmt).format(v.mean(), sd)


def markdown(result):
    lines = [
        f"### MIN-ENT / MIX-ENT: small CNN, {result['epochs']} epochs, {result['seeds']} "
        "seeds (mean ± std; differences paired by seed against `ce`)",
        "",
        "| method | accuracy % | Δ accuracy (points) | ECE % | Δ ECE (points) | NLL | "
        "mean confidence | learnt bases (CE, reg) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    base_acc = _vals(result, "ce", "accuracy")
    base_ece = _vals(result, "ce", "ece")
    for m in result["methods"]:
        acc, ece = _vals(result, m, "accuracy"), _vals(result, m, "ece")
        bases = [r.get("bases") for r in result["runs"] if r["method"] == m]
        bases_txt = "{:.2f}, {:.2f}".format(*np.mean(np.array(bases), axis=0)) if bases[0] else "-"
        d_acc = _ms(acc - base_acc, 100) if len(base_acc) == len(acc) else "-"
        d_ece = _ms(ece - base_ece, 100) if len(base_ece) == len(ece) else "-"
        lines.append(
            f"| {m} | {_ms(acc, 100)} | {d_acc} | {_ms(ece, 100)} | {d_ece} | "
            f"{_ms(_vals(result, m, 'nll'), 1, '{:.3f}')} | "
            f"{_ms(_vals(result, m, 'confidence'), 1, '{:.3f}')} | {bases_txt} |"
        )
    return "\n".join(lines) + "\n"


def plot(result, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.6))
    for ax, key, label in zip(axes, ("accuracy", "ece"), ("test accuracy %", "ECE %"), strict=True):
        for i, m in enumerate(result["methods"]):
            v = _vals(result, m, key) * 100
            ax.scatter(np.full(len(v), i), v, s=14, alpha=0.7)
            ax.errorbar(i + 0.15, v.mean(), yerr=v.std(ddof=1) if len(v) > 1 else 0,
                        fmt="o", color="k", capsize=3)  # fmt: skip
        ax.set_xticks(range(len(result["methods"])), result["methods"])
        ax.set_ylabel(label)
    fig.suptitle("digits, small CNN: each seed, and mean ± std")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
