"""Is top-k (80% sparse) attention worth a sparse kernel here? A same-process timing.

Compares the dense product A @ V against the same product restricted to each row's
top-k keys (k = 20% of the keys), written with an index gather (the plain-PyTorch way
to skip the pruned keys), one thread, median of ``rounds``. Only the A @ V product is
timed: finding the top-k keys needs the dense scores Q K^T anyway, so at most half of
the attention work could be saved. Run::

    python -m geoent.torch.experiments.speed

Examples
--------
>>> rows = measure(shapes=((4, 2, 16, 8),), rounds=1)
>>> sorted(rows[0])
['batch', 'dense_ms', 'dim', 'heads', 'keep', 'ratio', 'tokens', 'topk_ms']
"""

from __future__ import annotations

import time

import torch

__all__ = ["measure"]

SHAPES = ((600, 4, 16, 8), (8, 4, 256, 64))


def _median_time(fn, rounds):
    ts = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2]


def measure(shapes=SHAPES, rounds=7, threads=1, seed=0):
    """Rows of dense and top-k A @ V times (ms) and their ratio (top-k / dense)."""
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(seed)
    rows = []
    try:
        for b, h, n, d in shapes:
            k = max(1, round(0.2 * n))
            q, kk, v = (torch.randn(b, h, n, d, generator=g) for _ in range(3))
            a = (q @ kk.transpose(-1, -2)).softmax(-1)
            vals, idx = a.topk(k, -1)
            vals = vals / vals.sum(-1, keepdim=True)
            flat = v.reshape(-1, d)
            offset = (torch.arange(b * h) * n).view(b, h, 1, 1)

            def dense(a=a, v=v):
                return a @ v

            def topk(vals=vals, idx=idx, flat=flat, offset=offset, shape=(b, h, n, k, d)):
                rows_v = flat[(idx + offset).reshape(-1)].view(shape)
                return (vals.unsqueeze(-1) * rows_v).sum(3)

            # the two compute the same product (pruned rows renormalised)
            pruned = torch.zeros_like(a).scatter(-1, idx, vals)
            if not torch.allclose(topk(), pruned @ v, atol=1e-5):
                raise AssertionError("top-k gather disagrees with the masked dense product")
            td, ts = _median_time(dense, rounds), _median_time(topk, rounds)
            rows.append({
                "batch": b, "heads": h, "tokens": n, "dim": d, "keep": k,
                "dense_ms": td * 1e3, "topk_ms": ts * 1e3, "ratio": ts / td,
            })  # fmt: skip
    finally:
        torch.set_num_threads(old)
    return rows


if __name__ == "__main__":  # pragma: no cover
    for r in measure():
        print(
            f"batch {r['batch']} heads {r['heads']} tokens {r['tokens']} dim {r['dim']} "
            f"keep {r['keep']}: dense A@V {r['dense_ms']:.2f} ms, top-k gather "
            f"{r['topk_ms']:.2f} ms, top-k / dense = {r['ratio']:.1f}"
        )
