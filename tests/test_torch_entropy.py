"""Soft range-partition entropy (geoent.torch): bounds, invariance, hard limits, the
respectful family's limit equal to the certified entropy, gradients, degenerate input."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import geoent  # noqa: E402
from geoent.torch import EntropyLoss, soft_range_partition_entropy  # noqa: E402
from geoent.torch.functional import (  # noqa: E402
    default_anchors,
    default_halfspaces,
    normalise_sets,
)

FAMILIES = ("ball", "halfspace", "respectful")


def _batch(seed=0, b=3, n=50):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, n, 2, generator=g, dtype=torch.float64)
    x[1] = x[1] * torch.tensor([3.0, 0.2], dtype=torch.float64) + 5.0
    return x


def _hist_entropy(labels):
    _, counts = np.unique(labels, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log(p)).sum())


@pytest.mark.parametrize(
    "family,k", [("ball", 4), ("ball", 16), ("halfspace", 8), ("halfspace", 32)]
)
@pytest.mark.parametrize("temperature", [1e-3, 0.05, 1.0, 100.0])
def test_bounds(family, k, temperature):
    x = _batch()
    h = soft_range_partition_entropy(x, family=family, k=k, temperature=temperature)
    assert h.shape == (3,)
    assert (h >= -1e-12).all() and (h <= math.log(k) + 1e-9).all()


def test_respectful_bounds():
    x = _batch()
    h = soft_range_partition_entropy(x, family="respectful", temperature=0.05)
    assert (h >= 0).all() and (h <= math.log(x.shape[1]) + 1e-9).all()


@pytest.mark.parametrize("family", FAMILIES)
def test_permutation_invariance(family):
    x = _batch(1)
    lengths = torch.tensor([50, 37, 12])
    h = soft_range_partition_entropy(x, lengths, family=family, temperature=0.1)
    y = x.clone()
    for b, nb in enumerate(lengths.tolist()):
        perm = torch.randperm(nb, generator=torch.Generator().manual_seed(b))
        y[b, :nb] = x[b, perm]
    # padding content is ignored
    y[1, 37:] = 1e3
    h2 = soft_range_partition_entropy(y, lengths, family=family, temperature=0.1)
    torch.testing.assert_close(h, h2, rtol=1e-10, atol=1e-10)


def test_ball_tends_to_the_nearest_anchor_histogram():
    x = _batch(2)
    z = normalise_sets(x, torch.ones(x.shape[:2], dtype=torch.bool))
    anchors = default_anchors(9)
    errs = []
    for t in (1e-1, 1e-2, 1e-3, 1e-5):
        h = soft_range_partition_entropy(x, family="ball", k=9, temperature=t)
        hard = [_hist_entropy(torch.cdist(z[b], anchors).argmin(dim=1).numpy()) for b in range(3)]
        errs.append(float((h - torch.tensor(hard, dtype=h.dtype)).abs().max()))
    assert errs[-1] < 1e-8
    assert errs[-1] <= errs[0]


def test_halfspace_tends_to_the_sign_pattern_histogram():
    x = _batch(3)
    z = normalise_sets(x, torch.ones(x.shape[:2], dtype=torch.bool))
    hs = default_halfspaces(3)
    h = soft_range_partition_entropy(x, family="halfspace", k=8, temperature=1e-7)
    side = (torch.einsum("bnd,md->bnm", z, hs[:, :2]) + hs[:, 2]) > 0
    codes = (side.long() * torch.tensor([1, 2, 4])).sum(-1)
    hard = torch.tensor([_hist_entropy(codes[b].numpy()) for b in range(3)], dtype=h.dtype)
    torch.testing.assert_close(h, hard, rtol=0, atol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_respectful_limit_equals_the_certified_fan_entropy(seed):
    rng = np.random.default_rng(seed)
    pts = rng.random((60, 2)) if seed % 2 == 0 else rng.standard_normal((60, 2))
    x = torch.tensor(pts)
    hull = geoent.convex_hull(pts)
    sub = rng.permutation(60)[:12]
    inner = sub[geoent.convex_hull(pts[sub])]  # a convex polygon inside the hull
    arbitrary = rng.permutation(60)[:7]  # fan of arbitrary (crossing, CW) triangles
    for poly in (None, hull, inner, arbitrary):
        hard = geoent.range_partition_entropy(pts, polygon=hull if poly is None else poly)
        errs = []
        for t in (1e-2, 1e-5, 1e-9):
            soft = soft_range_partition_entropy(
                x, family="respectful", temperature=t, polygon=None if poly is None else poly
            )
            errs.append(abs(float(soft) - hard.entropy))
        assert errs[-1] < 1e-6, errs
        assert errs[-1] <= errs[0] + 1e-12


def test_respectful_limit_in_a_padded_batch():
    rng = np.random.default_rng(5)
    sets = [rng.random((n, 2)) for n in (30, 17, 3, 1)]
    x = torch.zeros(4, 30, 2, dtype=torch.float64)
    for b, s in enumerate(sets):
        x[b, : len(s)] = torch.tensor(s)
    lengths = torch.tensor([len(s) for s in sets])
    soft = soft_range_partition_entropy(x, lengths, family="respectful", temperature=1e-9)
    hard = [geoent.range_partition_entropy(s, polygon=geoent.convex_hull(s)).entropy for s in sets]
    torch.testing.assert_close(soft, torch.tensor(hard, dtype=soft.dtype), rtol=0, atol=1e-6)


@pytest.mark.parametrize("family", FAMILIES)
def test_gradcheck_float64(family):
    g = torch.Generator().manual_seed(11)
    x = torch.randn(2, 7, 2, generator=g, dtype=torch.float64, requires_grad=True)
    lengths = torch.tensor([7, 5])

    def fn(pts):
        return soft_range_partition_entropy(pts, lengths, family=family, k=8, temperature=0.7)

    assert torch.autograd.gradcheck(fn, (x,), eps=1e-6, atol=1e-6)


def test_gradcheck_anchors_and_halfspaces():
    g = torch.Generator().manual_seed(12)
    x = torch.randn(2, 6, 2, generator=g, dtype=torch.float64)
    a = default_anchors(5).clone().requires_grad_(True)
    hs = default_halfspaces(3).clone().requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda c: soft_range_partition_entropy(x, family="ball", anchors=c, temperature=0.5), (a,)
    )
    assert torch.autograd.gradcheck(
        lambda c: soft_range_partition_entropy(
            x, family="halfspace", halfspaces=c, temperature=0.5
        ),
        (hs,),
    )


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("temperature", [1e-4, 0.05])
def test_no_nan_on_degenerate_sets(family, dtype, temperature):
    n = 16
    x = torch.zeros(6, n, 2, dtype=dtype)
    x[0] = 3.0  # all duplicates
    x[1] = 1.0 + 1e-7 * torch.randn(n, 2, dtype=dtype)  # a single tight cluster
    x[2, :1] = 2.0  # one point
    x[3] = torch.randn(n, 2, dtype=dtype)  # empty (length 0), padding is noise
    x[4, :, 0] = torch.arange(n, dtype=dtype)  # collinear
    x[5] = torch.randn(n, 2, dtype=dtype)
    x[5, 8:] = x[5, :8]  # duplicated pairs
    lengths = torch.tensor([n, n, 1, 0, n, n])
    x.requires_grad_(True)
    h = soft_range_partition_entropy(x, lengths, family=family, temperature=temperature)
    h.sum().backward()
    assert torch.isfinite(h).all()
    assert torch.isfinite(x.grad).all()
    assert h[3] == 0.0
    assert (x.grad[3] == 0).all()
    if family == "respectful":
        # sets on a segment or a point are one part; at small T exactly so
        if temperature < 1e-3:
            tol = 1e-6 if dtype == torch.float64 else 1e-4  # float32 rounding off the line
            for b in (0, 2, 4):
                assert float(h[b].detach()) == pytest.approx(0.0, abs=tol)


def test_single_point_and_duplicates_tend_to_zero():
    x = torch.full((1, 5, 2), 7.0, dtype=torch.float64)
    for family in FAMILIES:
        h = soft_range_partition_entropy(x, family=family, temperature=1e-6)
        assert float(h[0]) == pytest.approx(0.0, abs=1e-8), family


def test_unbatched_input_and_lists():
    pts = np.random.default_rng(0).random((20, 2))
    h = soft_range_partition_entropy(torch.tensor(pts), family="ball")
    assert h.dim() == 0
    h2 = soft_range_partition_entropy(pts.tolist(), family="ball")
    assert float(h) == pytest.approx(float(h2))


def test_entropy_loss_module():
    x = _batch(4).requires_grad_(True)
    loss = EntropyLoss(family="ball", k=8, learnable_anchors=True, reduction="mean")
    value = loss(x)
    value.backward()
    assert loss.anchors.grad is not None and torch.isfinite(loss.anchors.grad).all()
    assert "anchors" in dict(loss.named_parameters())
    per = EntropyLoss(family="halfspace", k=8, reduction="none")(x.detach())
    assert per.shape == (3,)
    total = EntropyLoss(family="respectful", reduction="sum")(x.detach())
    each = soft_range_partition_entropy(x.detach(), family="respectful")
    torch.testing.assert_close(total, each.sum())
    with pytest.raises(ValueError, match="reduction"):
        EntropyLoss(reduction="max")


def test_lower_entropy_for_clustered_sets():
    g = torch.Generator().manual_seed(3)
    spread = torch.rand(1, 200, 2, generator=g, dtype=torch.float64)
    centres = torch.tensor([[0.0, 0.0], [10.0, 0.0]], dtype=torch.float64)
    clustered = (centres[torch.arange(200) % 2] + 0.01 * torch.randn(200, 2, generator=g))[None]
    for family in ("ball", "halfspace"):
        a = soft_range_partition_entropy(spread, family=family, temperature=0.05)
        b = soft_range_partition_entropy(clustered, family=family, temperature=0.05)
        assert float(b) < float(a)


def test_bad_arguments():
    x = torch.rand(2, 10, 2)
    with pytest.raises(ValueError, match="family"):
        soft_range_partition_entropy(x, family="voronoi")
    with pytest.raises(ValueError, match="points"):
        soft_range_partition_entropy(torch.rand(2, 10, 3))
    with pytest.raises(ValueError, match="lengths"):
        soft_range_partition_entropy(x, torch.tensor([10, 11]))
    with pytest.raises(ValueError, match="temperature"):
        soft_range_partition_entropy(x, temperature=0.0)
    with pytest.raises(ValueError, match="polygon"):
        soft_range_partition_entropy(x, family="respectful", polygon=torch.tensor([0, 1, 10]))
    with pytest.raises(ValueError, match="polygon"):
        soft_range_partition_entropy(x, family="respectful", polygon=torch.tensor([0, -1, 2]))


@pytest.mark.slow
def test_import_without_torch_says_how_to_install():
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "try:\n    import geoent.torch\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "pip install 'geoent[torch]'" in out.stdout, out.stdout + out.stderr
