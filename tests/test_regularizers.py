"""geoent.torch.regularizers: configuration entropy, MIN-ENT / MIX-ENT, attention entropy.

Oracles: scipy.signal.convolve2d with the seed's Scharr kernels (float64), exact
fractions for a single nonzero entry, the seed's figure-1 example, closed forms of
entropy and K-L divergence, torch.autograd.gradcheck in float64, brute force for ECE.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from geoent.errors import InputError  # noqa: E402
from geoent.torch.regularizers import (  # noqa: E402
    AttentionRecorder,
    ConfigurationEntropy,
    MinEntLoss,
    MixEntLoss,
    attention_entropy,
    configuration_entropy,
    min_ent_loss,
    mix_ent_loss,
)

GX = np.array([[3, 0, -3], [10, 0, -10], [3, 0, -3]], dtype=np.float64) / 32
GY = GX.T


def _oracle_hc(w):
    """The seed's equation (3), in numpy with scipy's zero-padded 2D convolution."""
    convolve2d = pytest.importorskip("scipy.signal").convolve2d

    gx = convolve2d(w, GX, mode="same", boundary="fill", fillvalue=0)
    gy = convolve2d(w, GY, mode="same", boundary="fill", fillvalue=0)
    return 0.5 * np.log(0.5 * ((gx**2).sum() + (gy**2).sum())) - np.log(np.abs(w).sum())


def _rand(shape, seed, dtype=torch.float64):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=dtype)


# ---------------------------------------------------------------- configuration entropy


@pytest.mark.parametrize("shape", [(2, 2), (3, 7), (30, 20), (64, 300), (1, 9), (10, 1)])
def test_configuration_entropy_matches_scipy_convolution(shape):
    w = _rand(shape, seed=sum(shape))
    got = float(configuration_entropy(w, eps=1e-300))
    assert got == pytest.approx(_oracle_hc(w.numpy()), rel=1e-12, abs=1e-12)


def test_single_entry_exact_value():
    # One interior nonzero: every Scharr tap lands inside, so
    # 1/2 sum g^2 = 1/2 * 2 * (9 + 100 + 9) * 2 / 32^2 = 236 / 1024 exactly.
    energy = Fraction(1, 2) * 2 * Fraction(2 * (9 + 100 + 9), 32 * 32)
    assert energy == Fraction(236, 1024)
    w = torch.zeros(9, 9, dtype=torch.float64)
    w[4, 4] = -3.5
    got = float(configuration_entropy(w, eps=1e-300))
    assert got == pytest.approx(0.5 * math.log(float(energy)), rel=1e-14)


@settings(deadline=None, max_examples=60)
@given(
    rows=st.integers(1, 40),
    cols=st.integers(1, 40),
    scale=st.floats(1e-30, 1e30).flatmap(lambda a: st.sampled_from([a, -a])),
    seed=st.integers(0, 10_000),
)
def test_scale_invariance(rows, cols, scale, seed):
    w = _rand((rows, cols), seed)
    a = configuration_entropy(w)
    b = configuration_entropy(scale * w)
    assert float(a) == pytest.approx(float(b), abs=1e-10)


@pytest.mark.parametrize("mode", ["matrix", "tensor"])
def test_scale_invariance_conv_kernels(mode):
    w = _rand((8, 4, 3, 3), 1)
    for a in (1e-8, 0.37, -2.0, 1e6):
        assert float(configuration_entropy(a * w, mode=mode)) == pytest.approx(
            float(configuration_entropy(w, mode=mode)), abs=1e-11
        )


def test_higher_ranks():
    w = _rand((8, 4, 3, 3), 2)
    # matrix mode: the (out, in*kh*kw) matrix
    assert float(configuration_entropy(w)) == float(configuration_entropy(w.reshape(8, -1)))
    # tensor mode on a rank-2 tensor is the seed's 2D operator
    m = _rand((12, 17), 3)
    assert float(configuration_entropy(m, mode="tensor")) == pytest.approx(
        float(configuration_entropy(m)), rel=1e-13
    )
    # rank 1 is a 1 x n matrix
    v = _rand((11,), 4)
    assert float(configuration_entropy(v)) == float(configuration_entropy(v[None]))
    # a rank-4 tensor whose mass sits in one spatial tap differs between the two modes
    assert float(configuration_entropy(w, mode="tensor")) != float(configuration_entropy(w))


def test_tensor_mode_matches_explicit_3d_scharr():
    correlate1d = pytest.importorskip("scipy.ndimage").correlate1d

    w = _rand((5, 6, 7), 5).numpy()
    deriv, smooth = np.array([0.5, 0, -0.5]), np.array([3, 10, 3]) / 16
    energy = 0.0
    for a in range(3):
        g = w
        for b in range(3):
            g = correlate1d(g, deriv if a == b else smooth, axis=b, mode="constant")
        energy += (g**2).sum()
    expected = 0.5 * np.log(energy / 3) - np.log(np.abs(w).sum())
    got = float(configuration_entropy(torch.from_numpy(w), mode="tensor", eps=1e-300))
    assert got == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_figure_one_example(seed):
    # 1024 ones spread uniformly over 256 x 256 score higher (denser) than the same
    # 1024 ones permuted inside the centre 64 x 64 block.
    g = torch.Generator().manual_seed(seed)
    dense = torch.zeros(256 * 256, dtype=torch.float64)
    dense[torch.randperm(256 * 256, generator=g)[:1024]] = 1.0
    centre = torch.zeros(64 * 64, dtype=torch.float64)
    centre[torch.randperm(64 * 64, generator=g)[:1024]] = 1.0
    sparse = torch.zeros(256, 256, dtype=torch.float64)
    sparse[96:160, 96:160] = centre.view(64, 64)
    # equal L_p norms for every p, as the seed stresses
    assert float(dense.abs().sum()) == float(sparse.abs().sum()) == 1024.0
    assert float(configuration_entropy(dense.view(256, 256))) > float(configuration_entropy(sparse))


@settings(deadline=None, max_examples=60)
@given(
    rows=st.integers(1, 30),
    cols=st.integers(1, 30),
    density=st.floats(0.01, 1.0),
    seed=st.integers(0, 10_000),
)
def test_bounds(rows, cols, density, seed):
    g = torch.Generator().manual_seed(seed)
    w = torch.randn(rows, cols, generator=g, dtype=torch.float64)
    w = w * (torch.rand(rows, cols, generator=g, dtype=torch.float64) < density)
    eps = 1e-12
    h = float(configuration_entropy(w, eps=eps))
    assert 0.5 * math.log(eps) - 1e-12 <= h <= 0.5 * math.log1p(eps) + 1e-12


def test_zero_weights_no_nan():
    for shape in [(1, 1), (5, 5), (3, 4, 3, 3)]:
        w = torch.zeros(shape, dtype=torch.float64, requires_grad=True)
        h = configuration_entropy(w)
        h.backward()
        assert torch.isfinite(h) and float(h.detach()) == pytest.approx(0.5 * math.log(1e-12))
        assert torch.equal(w.grad, torch.zeros_like(w))
    # a nonzero matrix whose zero-padded Scharr gradients all vanish: finite (the floor)
    c = torch.zeros(3, 3, dtype=torch.float64, requires_grad=True)
    with torch.no_grad():
        c[0, 0] = c[0, 2] = c[2, 0] = c[2, 2] = 1.0
    h = configuration_entropy(c)
    h.backward()
    assert torch.isfinite(h) and torch.isfinite(c.grad).all()
    # a matrix with some zero entries: finite gradient everywhere
    w = _rand((6, 6), 7)
    w[::2] = 0
    w.requires_grad_(True)
    configuration_entropy(w).backward()
    assert torch.isfinite(w.grad).all()


@pytest.mark.parametrize("mode", ["matrix", "tensor"])
def test_configuration_entropy_gradcheck(mode):
    w = _rand((4, 3, 3), 8) + 0.5 * torch.sign(_rand((4, 3, 3), 9))  # away from |w| = 0
    w.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: configuration_entropy(t, mode=mode), (w,))


def test_central_difference_blind_spot():
    # A documented limitation, not a wish: Scharr operators are central differences,
    # blind to period-2 patterns. Ones on every (even, even) cell of an odd-sized matrix
    # (a quarter of all cells, spread over the whole matrix) have exactly zero
    # zero-padded gradient, so they score the floor, below a single compact 2 x 2 block.
    n = 31
    lattice = torch.zeros(n, n, dtype=torch.float64)
    lattice[::2, ::2] = 1.0
    convolve2d = pytest.importorskip("scipy.signal").convolve2d

    for g in (GX, GY):
        assert np.abs(convolve2d(lattice.numpy(), g, mode="same")).max() == 0.0
    block = torch.zeros(n, n, dtype=torch.float64)
    block[15:17, 15:17] = 1.0
    assert float(configuration_entropy(lattice)) == pytest.approx(0.5 * math.log(1e-12))
    assert float(configuration_entropy(lattice)) < float(configuration_entropy(block))
    # and gradient descent on H_C from a dense positive matrix does not sparsify it:
    # the L2/L1 ratio (1/sqrt(nnz) for equal magnitudes) does not grow
    w = _rand((20, 20), 10).abs().requires_grad_(True)
    with torch.no_grad():
        ratio0 = float(w.norm() / w.abs().sum())
        h0 = float(configuration_entropy(w))
    opt = torch.optim.Adam([w], lr=0.01)
    for _ in range(200):
        opt.zero_grad()
        configuration_entropy(w).backward()
        opt.step()
    assert float(configuration_entropy(w.detach())) < h0 - 1.0
    assert float(w.detach().norm() / w.detach().abs().sum()) < 1.2 * ratio0


def test_configuration_entropy_module():
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.Flatten(),
        torch.nn.Linear(16, 3),
    )  # fmt: skip
    reg = ConfigurationEntropy(model)
    assert reg.names == ["0.weight", "3.weight"]
    assert list(reg.parameters()) == []  # does not re-register the model's parameters
    expected = configuration_entropy(model[0].weight) + configuration_entropy(model[3].weight)
    assert float(reg().detach()) == pytest.approx(float(expected.detach()), rel=1e-6)
    reg().backward()
    assert model[3].weight.grad is not None and model[1].weight.grad is None


def test_configuration_entropy_bad_input():
    with pytest.raises(InputError):
        configuration_entropy(torch.ones(3, 3, dtype=torch.int64))
    with pytest.raises(InputError):
        configuration_entropy(torch.tensor(1.0))
    with pytest.raises(InputError):
        configuration_entropy(torch.ones(0, 3))
    with pytest.raises(InputError):
        configuration_entropy(torch.ones(3, 3), mode="bogus")
    with pytest.raises(InputError):
        configuration_entropy(np.ones((3, 3)))
    with pytest.raises(ValueError):
        ConfigurationEntropy(torch.nn.LayerNorm(3))()


# ---------------------------------------------------------------- MIN-ENT / MIX-ENT


def _manual_terms(logits, y, eps=1e-6):
    p = logits.softmax(-1)
    logp = logits.log_softmax(-1)
    ce = -logp[torch.arange(len(y)), y]
    h = -(p * logp).sum(-1)
    k = logits.shape[1]
    q = (torch.nn.functional.one_hot(y, k).to(logits.dtype) + eps) / (1 + k * eps)
    kl = (p * (logp - q.log())).sum(-1)
    return ce, h, kl


def test_min_ent_matches_definition():
    logits, y = _rand((7, 5), 11), torch.tensor([0, 1, 2, 3, 4, 0, 1])
    ce, h, _ = _manual_terms(logits, y)
    got = min_ent_loss(logits, y, weight=0.3, ce_weight=0.8, base_ce=2.0, base_ent=10.0,
                       reduction="none")  # fmt: skip
    torch.testing.assert_close(got, 0.8 * ce / math.log(2) + 0.3 * h / math.log(10))
    assert float(min_ent_loss(logits, y, weight=0.0)) == pytest.approx(
        float(torch.nn.functional.cross_entropy(logits, y)), rel=1e-12
    )
    assert float(min_ent_loss(logits, y, reduction="sum")) == pytest.approx(
        float((ce + h).sum()), rel=1e-12
    )


def test_mix_ent_is_ce_plus_entropy_plus_kl():
    logits, y = _rand((6, 4), 12) * 3, torch.tensor([3, 2, 1, 0, 0, 1])
    ce, h, kl = _manual_terms(logits, y, eps=1e-3)
    got = mix_ent_loss(logits, y, eps=1e-3, reduction="none")
    torch.testing.assert_close(got, ce + h + kl)
    # swapped cross-entropy never below the entropy term (KL >= 0)
    assert (kl >= -1e-12).all()


def test_entropy_losses_gradcheck():
    logits = _rand((3, 4), 13).requires_grad_(True)
    y = torch.tensor([0, 3, 1])
    bases = torch.tensor([2.5, 7.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda z, b: min_ent_loss(z, y, base_ce=b[0], base_ent=b[1]), (logits, bases)
    )
    assert torch.autograd.gradcheck(
        lambda z, b: mix_ent_loss(z, y, base_ce=b[0], base_ent=b[1]), (logits, bases)
    )


def test_entropy_loss_modules_learn_bases():
    logits, y = _rand((8, 5), 14).float(), torch.randint(0, 5, (8,))
    for cls in (MinEntLoss, MixEntLoss):
        crit = cls()
        torch.testing.assert_close(crit.bases, torch.full((2,), math.e), rtol=1e-6, atol=1e-6)
        loss = crit(logits, y)
        ref = (min_ent_loss if cls is MinEntLoss else mix_ent_loss)(logits, y)
        assert float(loss.detach()) == pytest.approx(float(ref), rel=1e-5)
        loss.backward()
        # d loss / d ln b = -term / (ln b)^2 < 0: descent only ever grows a base
        assert (crit.raw_bases.grad < 0).all()
        fixed = cls(learn_bases=False)
        assert list(fixed.parameters()) == []


def test_entropy_losses_no_nan_on_extreme_logits():
    logits = torch.tensor([[1e4, -1e4, 0.0], [0.0, 0.0, 0.0]], requires_grad=True)
    y = torch.tensor([1, 2])
    for fn in (min_ent_loss, mix_ent_loss):
        loss = fn(logits, y)
        loss.backward()
        assert torch.isfinite(loss) and torch.isfinite(logits.grad).all()
        logits.grad = None


def test_entropy_losses_bad_input():
    z = torch.randn(4, 3)
    with pytest.raises(InputError):
        min_ent_loss(z, torch.tensor([0, 1, 2]))
    with pytest.raises(InputError):
        min_ent_loss(z, torch.zeros(4))
    with pytest.raises(InputError):
        min_ent_loss(z[0], torch.tensor([0]))
    with pytest.raises(InputError):
        min_ent_loss(z, torch.tensor([0, 1, 2, 0]), base_ent=1.0)
    with pytest.raises(InputError):
        mix_ent_loss(z, torch.tensor([0, 1, 2, 0]), eps=0.0)
    with pytest.raises(InputError):
        MinEntLoss(base_ce=0.5)
    with pytest.raises(InputError):
        MixEntLoss(reduction="max")


# ---------------------------------------------------------------- attention entropy


def test_attention_entropy_bounds():
    k = 9
    one_hot = torch.eye(k, dtype=torch.float64).expand(2, 3, k, k)
    assert float(attention_entropy(one_hot)) == 0.0
    uniform = torch.full((2, 3, 5, k), 1 / k, dtype=torch.float64)
    assert float(attention_entropy(uniform)) == pytest.approx(math.log(k), rel=1e-14)
    assert float(attention_entropy(uniform, normalize=True)) == pytest.approx(1.0, rel=1e-14)
    a = (_rand((4, 2, 6, k), 15) * 4).softmax(-1)
    h = attention_entropy(a, reduction="none")
    assert h.shape == (4, 2, 6)
    assert (h >= 0).all() and (h <= math.log(k) + 1e-12).all()
    ref = -(a * a.log()).sum(-1)
    torch.testing.assert_close(h, ref)


def test_attention_entropy_reductions_and_mask():
    a = (_rand((3, 4, 5, 6), 16)).softmax(-1)
    h = attention_entropy(a, reduction="none")
    torch.testing.assert_close(attention_entropy(a, reduction="sum"), h.sum())
    torch.testing.assert_close(attention_entropy(a, reduction="head"), h.mean((0, 2)))
    mask = torch.tensor([True, True, False, True, False])
    torch.testing.assert_close(attention_entropy(a, query_mask=mask), h[..., mask].mean())


def test_attention_entropy_zero_rows_no_nan():
    a = torch.zeros(2, 2, 4, 5, dtype=torch.float64)
    a[..., :2, 0] = 1.0  # two one-hot rows, two all-zero (padded) rows
    a[0, 0, 3] = torch.tensor([0.5, 0.5, 0.0, 0.0, 0.0])
    a.requires_grad_(True)
    h = attention_entropy(a)
    h.backward()
    assert torch.isfinite(h) and torch.isfinite(a.grad).all()
    assert float(h.detach()) == pytest.approx(math.log(2) / 16)


def test_attention_entropy_gradcheck():
    z = _rand((2, 2, 3, 4), 17).requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: attention_entropy(t.softmax(-1)), (z,))
    p = _rand((2, 3, 4), 18).abs().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: attention_entropy(t, reduction="none"), (p,))


def test_l1_of_softmax_rows_has_zero_gradient():
    # Why an L1 penalty on attention probabilities cannot sparsify them.
    z = _rand((2, 3, 4, 7), 19).requires_grad_(True)
    z.softmax(-1).abs().sum(-1).mean().backward()
    assert z.grad.abs().max() < 1e-15


def test_attention_entropy_bad_input():
    with pytest.raises(InputError):
        attention_entropy(torch.ones(4))
    with pytest.raises(InputError):
        attention_entropy(torch.ones(2, 3, dtype=torch.int64))
    with pytest.raises(InputError):
        attention_entropy(torch.ones(2, 3), reduction="head")
    with pytest.raises(InputError):
        attention_entropy(torch.ones(2, 2, 3), reduction="median")


def _encoder():
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(16, 4, 32, batch_first=True, dropout=0.0)
    return torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)


def test_recorder_on_transformer_encoder():
    model = _encoder()
    x = torch.randn(3, 5, 16)
    with AttentionRecorder(model) as rec:
        model(x)
        assert [tuple(m.shape) for m in rec.maps] == [(3, 4, 5, 5)] * 2
        # first layer's map equals the one MultiheadAttention returns when asked directly
        layer0 = model.layers[0]
        h = layer0.norm1(x) if layer0.norm_first else x
        _, direct = layer0.self_attn(h, h, h, need_weights=True, average_attn_weights=False)
        torch.testing.assert_close(rec.maps[0], direct)
        torch.testing.assert_close(rec.maps[0].sum(-1), torch.ones(3, 4, 5))
        loss = model(x).pow(2).mean() + 0.1 * rec.entropy()
        assert len(rec.maps) == 2  # cleared at each forward pass, not accumulated
        loss.backward()
        assert model.layers[0].self_attn.in_proj_weight.grad.abs().sum() > 0
        # eval mode without grad: torch's fused fast path would skip the hooks; it must not
        model.eval()
        with torch.no_grad():
            model(x)
        assert len(rec.maps) == 2
    model(x)
    assert rec.maps == []  # hooks removed


def test_recorder_gradient_is_the_entropy_gradient():
    model = _encoder()
    x = torch.randn(2, 4, 16)
    rec = AttentionRecorder(model)
    model(x)
    rec.entropy().backward()
    g1 = model.layers[1].self_attn.in_proj_weight.grad.clone()
    rec.remove()
    model.zero_grad()
    # the same quantity recomputed by hand, layer by layer
    h = x
    total = []
    for layer in model.layers:
        _, a = layer.self_attn(h, h, h, need_weights=True, average_attn_weights=False)
        total.append(-(a * a.clamp_min(1e-300).log()).sum(-1).mean())
        h = layer(h)
    torch.stack(total).mean().backward()
    torch.testing.assert_close(model.layers[1].self_attn.in_proj_weight.grad, g1)


def test_recorder_plain_multihead_attention_positional_args():
    mha = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    rec = AttentionRecorder(mha)
    q = torch.randn(2, 3, 8)
    out, w = mha(q, q, q, None, False)  # need_weights=False given positionally
    assert w is not None and tuple(rec.maps[0].shape) == (2, 2, 3, 3)
    rec.remove()


def test_recorder_needs_attention():
    with pytest.raises(InputError):
        AttentionRecorder(torch.nn.Linear(3, 3))
    rec = AttentionRecorder(torch.nn.MultiheadAttention(8, 2))
    with pytest.raises(InputError):
        rec.entropy()


# ---------------------------------------------------------------- data and experiments


def test_digits_data_and_split():
    from geoent.torch.experiments.digits import load_digits, split

    x, y = load_digits()
    assert x.shape == (1797, 8, 8) and x.dtype == np.float32
    assert x.min() == 0.0 and x.max() == 1.0
    assert np.all(np.isin(x * 16, np.arange(17)))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    tr, te = split(y)
    assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == 1797
    frac = np.bincount(y[te], minlength=10) / np.bincount(y)
    assert np.all(np.abs(frac - 600 / 1797) < 0.02)
    tr2, te2 = split(y)
    assert np.array_equal(te, te2)


def test_ece_against_brute_force():
    from geoent.torch.experiments.digits import expected_calibration_error

    rng = np.random.default_rng(0)
    p = torch.from_numpy(rng.dirichlet(np.ones(4) * 0.5, size=200))
    y = torch.from_numpy(rng.integers(0, 4, 200))
    conf = p.max(1).values.numpy()
    correct = (p.argmax(1) == y).numpy()
    ece = 0.0
    for b in range(15):
        lo, hi = b / 15, (b + 1) / 15
        sel = [i for i in range(200) if lo < conf[i] <= hi]
        if sel:
            ece += len(sel) / 200 * abs(np.mean(correct[sel]) - np.mean(conf[sel]))
    assert expected_calibration_error(p, y) == pytest.approx(ece, abs=1e-12)


def test_tiny_vit_topk_and_patches():
    from geoent.torch.experiments.attention import TinyViT

    img = torch.arange(64.0).view(1, 8, 8)
    tok = TinyViT.patches(img)
    assert tok[0, 0].tolist() == [0, 1, 8, 9] and tok[0, 5].tolist() == [18, 19, 26, 27]
    torch.manual_seed(0)
    model = TinyViT().eval()
    rec = AttentionRecorder(model, module_types=(type(model.blocks[0].attn),))
    model.set_keep(3)
    model(torch.rand(2, 8, 8))
    for a in rec.maps:
        assert ((a > 0).sum(-1) == 3).all()
        torch.testing.assert_close(a.sum(-1), torch.ones_like(a[..., 0]))


@pytest.mark.slow
def test_experiment_pipeline_quick(tmp_path):
    """The CI-sized run: checks the pipeline end to end, not the results."""
    pytest.importorskip("matplotlib")
    from geoent.torch.experiments import EXPERIMENTS, run_regularizers

    report = run_regularizers(tmp_path, seeds=1, quick=True, progress=False)
    for name, mod in EXPERIMENTS.items():
        assert (tmp_path / f"{name}.png").stat().st_size > 0
        methods = {r["method"] for r in report["results"][name]["runs"]}
        assert methods == set(mod.METHODS)
    text = (tmp_path / "regularizers.md").read_text()
    assert "QUICK RUN" in text
    for header in ("Configuration entropy", "MIN-ENT", "Attention entropy"):
        assert header in text
    data = json.loads((tmp_path / "regularizers.json").read_text())
    assert data["meta"]["quick"] is True
    with pytest.raises(ValueError):
        run_regularizers(tmp_path, experiments=["nope"], progress=False)


@pytest.mark.slow
def test_cli_experiment_regularizers_quick(tmp_path):
    """``geoent experiment regularizers --quick``: the pipeline end to end (not the claims)."""
    pytest.importorskip("matplotlib")
    from typer.testing import CliRunner

    from geoent.cli import app

    out = tmp_path / "rep"
    res = CliRunner().invoke(
        app,
        ["experiment", "regularizers", "--quick", "--seeds", "1", "--only", "calibration",
         "--out", str(out), "--no-progress"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "MIN-ENT" in res.output and "QUICK RUN" in res.output
    assert (out / "calibration.png").stat().st_size > 0
    assert (out / "regularizers.json").exists() and (out / "regularizers.md").exists()
    bad = CliRunner().invoke(app, ["experiment", "regularizers", "--only", "nope", "--out",
                                   str(out), "--no-progress"])  # fmt: skip
    assert bad.exit_code != 0 and "unknown experiment" in bad.output
