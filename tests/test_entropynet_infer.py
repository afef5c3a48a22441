"""EntropyNet's hull hint outside torch (``geoent._entropynet_infer``,
``geoent._kernels.entropynet_forward``): equal to torch's forward pass on the same
weights (to float32 rounding), the shipped npz equal to the shipped state dict, the
hint leaving hulls unchanged, and no torch needed."""

import subprocess
import sys

import numpy as np
import pytest

import geoent
from geoent._entropynet_infer import _KEYS, HullHintNet, export_hull_npz
from geoent.datasets import make_points, make_strip

FAMILIES = ["uniform", "gaussian", "kuzmin", "clusters", "gauss1000_r0.6", "strip1000_r0.1"]


def test_numpy_twin_needs_no_torch():
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "import numpy as np, geoent\n"
        "from geoent._entropynet_infer import HullHintNet\n"
        "net = HullHintNet.pretrained()\n"
        "p = np.random.default_rng(0).random((20000, 2))\n"
        "d = net.hull_hint(p)\n"
        "assert d.shape == (16, 2) and np.allclose(np.hypot(*d.T), 1)\n"
        "assert np.array_equal(geoent.convex_hull(p, hint=net), geoent.convex_hull(p))\n"
        "assert 'torch' not in sys.modules or sys.modules['torch'] is None\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pretrained_hint_leaves_hulls_unchanged():
    net = HullHintNet.pretrained()
    for fam in FAMILIES:
        pts = make_points(fam, 30_000, seed=5)
        assert np.array_equal(geoent.convex_hull(pts, hint=net), geoent.convex_hull(pts))
        # and the directions themselves are a valid hint
        d = net.hull_hint(pts)
        assert np.array_equal(geoent.convex_hull(pts, hint=d), geoent.convex_hull(pts))


def test_bad_input_is_rejected():
    net = HullHintNet.pretrained()
    with pytest.raises(ValueError, match="shape"):
        net.hull_hint(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="NaN or inf"):
        net.hull_hint(np.full((10, 2), np.nan))


# --------------------------------------------------------------------- against torch

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def pretrained():
    from geoent.torch import load_pretrained

    return load_pretrained()


@pytest.fixture(scope="module")
def perturbed():
    from geoent.torch import EntropyNet

    torch.manual_seed(7)
    m = EntropyNet(hidden=24, width=40, k_directions=12, sample_size=128, seed=3)
    with torch.no_grad():
        for p in m.parameters():
            p.add_(0.2 * torch.randn_like(p))
    return m.eval()


def test_shipped_npz_equals_shipped_state_dict(pretrained, tmp_path):
    from importlib.resources import files

    with files("geoent").joinpath("torch", "weights", "entropynet_hull.npz").open("rb") as f:
        z = np.load(f)
        shipped = {k: z[k] for k in z.files}
    sd = pretrained.state_dict()
    assert sorted(shipped) == sorted(_KEYS)
    for k in _KEYS:
        assert shipped[k].dtype == np.float32
        np.testing.assert_array_equal(shipped[k], sd[k].numpy())
    # and export writes the same arrays
    export_hull_npz(sd, tmp_path / "h.npz")
    z = np.load(tmp_path / "h.npz")
    for k in _KEYS:
        np.testing.assert_array_equal(z[k], shipped[k])


@pytest.mark.parametrize("fam", FAMILIES)
def test_forward_equals_torch_pretrained(pretrained, fam):
    pts = make_points(fam, 50_000, seed=2)
    fast = HullHintNet.pretrained().hull_hint(pts)
    ref = pretrained.hull_hint_torch(pts)
    np.testing.assert_allclose(fast, ref, rtol=0, atol=2e-5)
    # the module's own hull_hint is the fast path
    np.testing.assert_allclose(pretrained.hull_hint(pts), ref, rtol=0, atol=2e-5)


@pytest.mark.parametrize("fam", ["uniform", "kuzmin", "strip1000_r0.6"])
def test_forward_equals_torch_on_other_weights(perturbed, fam):
    # a non-trivial network of another shape: every layer and head matters
    pts = make_points(fam, 20_000, seed=4)
    ref = perturbed.hull_hint_torch(pts)
    assert np.ptp(np.arctan2(ref[:, 1], ref[:, 0])) > 1  # not one direction repeated
    np.testing.assert_allclose(perturbed.hull_hint(pts), ref, rtol=0, atol=2e-5)


def test_degenerate_samples_match_torch(pretrained):
    # collinear and coincident samples: the regularised whitening of both paths
    line = np.column_stack((np.linspace(0, 1, 5000), np.linspace(0, 2, 5000)))
    same = np.ones((3000, 2))
    tiny = np.random.default_rng(2).random((3000, 2)) * 1e-150
    huge = np.random.default_rng(3).random((3000, 2)) * 1e150
    one = np.array([[0.0, 1.51633167e-88]])  # hypothesis found it: underflowing covariance
    for pts in (line, same, make_strip(4000, 1000, 0.0, seed=1) + 1e6, tiny, huge, one):
        np.testing.assert_allclose(
            pretrained.hull_hint(pts), pretrained.hull_hint_torch(pts), rtol=0, atol=2e-5
        )


def test_module_cache_follows_weight_updates(perturbed):
    pts = make_points("gaussian", 10_000, seed=1)
    before = perturbed.hull_hint(pts)
    with torch.no_grad():
        perturbed.dir_head.bias.add_(torch.linspace(-1.0, 1.0, perturbed.dir_head.bias.numel()))
    after = perturbed.hull_hint(pts)
    assert np.abs(after - before).max() > 1e-2
    np.testing.assert_allclose(after, perturbed.hull_hint_torch(pts), rtol=0, atol=2e-5)
    # a replaced layer is noticed too
    old = perturbed.dir_head
    perturbed.dir_head = torch.nn.Linear(old.in_features, old.out_features)
    try:
        np.testing.assert_allclose(
            perturbed.hull_hint(pts), perturbed.hull_hint_torch(pts), rtol=0, atol=2e-5
        )
    finally:
        perturbed.dir_head = old
