"""EntropyNet: shapes, determinism, exact-mode identity, checkpoints, training, errors."""

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import geoent  # noqa: E402
from geoent.bench.suites.entropynet import (  # noqa: E402
    DIR8,
    hull_error,
    sample_hull_hint,
    survivor_fraction,
)
from geoent.datasets import make_points  # noqa: E402
from geoent.torch import EntropyNet, load_pretrained  # noqa: E402
from geoent.torch.data import TRAIN_FAMILIES, make_batch  # noqa: E402
from geoent.torch.training import (  # noqa: E402
    TrainConfig,
    hard_survivors,
    load_checkpoint,
    soft_survivors,
    train,
)


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(3)
    m = EntropyNet()
    # perturb every head so the tests see a non-trivial (not evenly spaced) network
    with torch.no_grad():
        for p in m.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return m.eval()


@pytest.fixture(scope="module")
def pretrained():
    return load_pretrained()


def _tiny_cfg(tmp_path, **kw):
    d = dict(
        steps=6,
        batch=4,
        n_points=128,
        sample_size=64,
        hidden=16,
        width=32,
        val_every=3,
        val_sets=4,
        val_points=128,
        checkpoint_every=3,
        out=str(tmp_path / "w.pt"),
    )
    d.update(kw)
    return d


# ------------------------------------------------------------------ shapes, determinism
def test_hull_hint_shape_unit_and_deterministic(net):
    pts = make_points("aniso_gaussian", 5000, seed=2)
    d = net.hull_hint(pts)
    assert d.shape == (16, 2) and d.dtype == np.float64
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0, atol=1e-12)
    np.testing.assert_array_equal(d, net.hull_hint(pts))
    # counter-clockwise: consecutive directions turn left, once around
    ang = np.arctan2(d[:, 1], d[:, 0])
    turn = np.mod(np.diff(np.r_[ang, ang[0]]), 2 * np.pi)
    assert np.all(turn > 0) and np.isclose(turn.sum(), 2 * np.pi)


def test_hint_reads_only_the_sample(net):
    # cost independent of n: the directions depend on the sampled rows only
    pts = make_points("disk", 3000, seed=1)
    idx = np.random.default_rng(net.seed).integers(0, len(pts), net.sample_size)
    other = pts.copy()
    untouched = np.setdiff1d(np.arange(len(pts)), idx)
    other[untouched] *= 0.5
    np.testing.assert_array_equal(net.hull_hint(pts), net.hull_hint(other))


def test_delaunay_order_is_a_deterministic_permutation(net):
    pts = make_points("clusters", 4000, seed=5)
    o = net.delaunay_order(pts)
    assert o.dtype == np.int64 and o.shape == (4000,)
    np.testing.assert_array_equal(np.sort(o), np.arange(4000))
    np.testing.assert_array_equal(o, net.delaunay_order(pts))


@pytest.mark.parametrize("name", ["uniform", "clusters", "aniso_gaussian"])
def test_learned_order_is_local(pretrained, name):
    # a curve order: consecutive points are close, as close as a plain Hilbert order's
    # within a small factor (the shipped curve must not trade locality for anything)
    from geoent.torch.models import EntropyNet

    pts = make_points(name, 20000, seed=4)
    mean_step = lambda o: np.hypot(*np.diff(pts[o], axis=0).T).mean()  # noqa: E731
    hilbert = mean_step(EntropyNet().delaunay_order(pts))  # untrained: plain whitened Hilbert
    assert mean_step(pretrained.delaunay_order(pts)) < 1.5 * hilbert
    assert hilbert < 0.05 * mean_step(np.arange(len(pts)))


def test_restructure_shape_and_bounded_shift(net):
    pts = make_points("gaussian", 3000, seed=1)
    moved = net.restructure(pts)
    assert moved.shape == pts.shape and np.isfinite(moved).all()
    np.testing.assert_array_equal(moved, net.restructure(pts))
    # the shift is at most max_shift in the whitened, unit-radius frame: map it back
    assert np.abs(moved - pts).max() <= net.max_shift * np.ptp(pts) * 2


def test_restructure_kernel_matches_numpy_and_torch_twins(net):
    from geoent.torch.models import displacement_numpy, displacement_torch

    pts = make_points("clusters", 2000, seed=6)
    pts_, out, c, w = net._heads(pts)
    field = out["field"][0].double().numpy()
    y = (pts - c) @ w
    shift = displacement_numpy(field, y)
    np.testing.assert_allclose(net.restructure(pts), pts + shift @ np.linalg.inv(w), atol=1e-12)
    twin = displacement_torch(out["field"].double(), torch.from_numpy(y)[None])[0].numpy()
    np.testing.assert_allclose(twin, shift, atol=1e-12)


def test_forward_batch_shapes(net):
    x = torch.randn(3, 64, 2)
    out = net(x)
    assert out["directions"].shape == (3, 16, 2)
    assert out["rotation"].shape == (3, 2)
    assert out["knots"].shape == (3, 2, net.q + 1)
    k = out["knots"]
    assert torch.all(k[:, :, 1:] > k[:, :, :-1]) and torch.allclose(k[:, :, -1], torch.ones(1))
    assert out["field"].shape == (3, 2, net.g, net.g)
    # permutation invariance of the set encoder
    perm = torch.randperm(64)
    torch.testing.assert_close(net(x[:, perm])["directions"], out["directions"])


def test_bad_input_rejected(net):
    with pytest.raises(ValueError, match="shape"):
        net.hull_hint(np.zeros((5, 3)))
    with pytest.raises(ValueError, match="NaN"):
        net.hull_hint(np.full((4, 2), np.nan))


# ------------------------------------------------------------------ exact-mode identity
coords = st.one_of(
    st.integers(-4, 4).map(float),  # grids, duplicates, collinear runs
    # floats within the exponent window the exact predicates support (no subnormals)
    st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).filter(
        lambda v: v == 0 or abs(v) > 1e-100
    ),
)
point_sets = st.lists(st.tuples(coords, coords), min_size=1, max_size=60).map(
    lambda p: np.array(p, dtype=np.float64)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pts=point_sets)
def test_hull_with_net_hint_is_identical(net, pts):
    plain = geoent.convex_hull(pts)
    np.testing.assert_array_equal(geoent.convex_hull(pts, hint=net), plain)
    np.testing.assert_array_equal(geoent.convex_hull(pts, hint=net.hull_hint(pts)), plain)
    np.testing.assert_array_equal(geoent.convex_hull(pts, hint=DIR8), plain)
    np.testing.assert_array_equal(geoent.convex_hull(pts, hint=sample_hull_hint(pts, 16)), plain)


@pytest.mark.parametrize(
    "name", ["uniform", "circle", "grid", "rotated_grid", "duplicates", "offset", "kuzmin"]
)
def test_hull_identity_on_generated_sets(pretrained, name):
    pts = make_points(name, 20000, seed=9)
    np.testing.assert_array_equal(geoent.convex_hull(pts, hint=pretrained), geoent.convex_hull(pts))


def _tri_set(tri):
    return {frozenset(t) for t in tri.tolist()}


@pytest.mark.parametrize("name", ["uniform", "clusters", "aniso_gaussian", "kuzmin"])
def test_delaunay_with_net_order_is_identical(pretrained, name):
    pts = make_points(name, 3000, seed=4)  # random floats: general position
    ref = geoent.delaunay(pts)
    assert _tri_set(geoent.delaunay(pts, order=pretrained)) == _tri_set(ref)
    assert _tri_set(geoent.delaunay(pts, order=pretrained.delaunay_order(pts))) == _tri_set(ref)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pts=point_sets)
def test_delaunay_with_net_order_is_valid_on_degenerate_input(net, pts):
    # cocircular groups may get other (equally valid) diagonals: check the exact properties
    from geoent.predicates import incircle

    ref = geoent.delaunay(pts)
    tri = geoent.delaunay(pts, order=net)
    assert tri.shape == ref.shape  # same count: 2n - h - 2 for the same points
    if len(tri) == 0:
        return
    used = np.unique(tri)
    assert set(used.tolist()) == set(np.unique(ref).tolist())
    # empty circumcircles: no used point strictly inside any triangle's circle
    a, b, c = (np.repeat(pts[tri[:, k]], len(used), axis=0) for k in range(3))
    d = np.tile(pts[used], (len(tri), 1))
    assert (incircle(a, b, c, d) <= 0).all()


# ------------------------------------------------------------------ survivors, hints
def test_survivor_fraction_and_soft_twin_agree():
    rng = np.random.default_rng(0)
    pts = make_points("disk", 4000, seed=0)
    t = np.arange(16) * (2 * np.pi / 16)
    dirs = np.column_stack((np.cos(t), np.sin(t)))
    hard = survivor_fraction(pts, dirs)
    # 16-gon in a disk leaves about 1 - (16 sin(2 pi/16) / 2) / pi = 2.6 % of the area
    assert 0.01 < hard < 0.05
    x = torch.from_numpy(pts[None]).float()
    d = torch.from_numpy(dirs[None]).float()
    assert abs(hard_survivors(x, d).item() - hard) < 1e-9 + 1 / len(pts)
    assert abs(soft_survivors(x, d).item() - hard) < 0.01
    # the hull of a 1,000-point sample covers most of a disk
    assert 0.005 < survivor_fraction(pts, sample_hull_hint(pts)) < 0.2
    # a wrap-around run of one extreme point (the first and last directions) is one corner
    shifted = np.roll(dirs, 3, axis=0)
    assert survivor_fraction(pts, shifted) == hard
    assert survivor_fraction(pts[rng.permutation(len(pts))], dirs) == hard


# ------------------------------------------------------------------ restructure error
def test_hull_error_known_answers():
    sq = np.array([[0, 0], [1, 0], [1, 1], [0, 1], [0.25, 0.25], [0.25, 0.5]], float)
    out = sq.copy()
    out[2] = [1.5, 1.5]  # vertex pushed out along the diagonal by sqrt(0.5)
    e = hull_error(sq, out)
    assert e["area_rel"] == pytest.approx(0.5)
    assert e["hausdorff"] == pytest.approx(np.sqrt(0.5))
    assert e["hausdorff_rel"] == pytest.approx(np.sqrt(0.5) / np.sqrt(2))
    assert e["wrong_vertices"] == 0.0
    inward = sq.copy()
    inward[2] = [0.2, 0.2]  # the vertex falls inside: hull becomes the triangle 0, 1, 3
    e = hull_error(sq, inward)
    assert e["area_rel"] == pytest.approx(0.5)
    assert e["hausdorff"] == pytest.approx(np.sqrt(0.5))  # (1, 1) to the edge x + y = 1
    assert e["wrong_vertices"] == pytest.approx(0.25)
    assert hull_error(sq, sq) == {
        "area_rel": 0.0,
        "hausdorff": 0.0,
        "hausdorff_rel": 0.0,
        "wrong_vertices": 0.0,
    }


# ------------------------------------------------------------------ data, training
def test_training_batches_are_seeded():
    a = make_batch(0, 5, 4, 100)
    assert a.shape == (4, 100, 2) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, make_batch(0, 5, 4, 100))
    assert not np.array_equal(a, make_batch(0, 6, 4, 100))
    assert not np.array_equal(a, make_batch(1, 5, 4, 100))
    assert any(f.startswith("real:") for f in TRAIN_FAMILIES)


def test_checkpoint_round_trip_weights_only(tmp_path, net):
    path = tmp_path / "sd.pt"
    torch.save(net.state_dict(), path)
    fresh = EntropyNet(**net.config)
    fresh.load_state_dict(torch.load(path, weights_only=True))
    pts = make_points("kuzmin", 2000, seed=1)
    np.testing.assert_array_equal(fresh.eval().hull_hint(pts), net.hull_hint(pts))


@pytest.mark.slow
def test_tiny_training_lowers_the_loss_and_resumes_exactly(tmp_path):
    from geoent.torch.training import batch_losses

    # Gaussian-like sets: the plain curve's warp is far from their distribution function,
    # so 30 steps must visibly improve the order head on unseen sets of the same families
    fams = ["gaussian", "aniso_gaussian"]
    cfg = TrainConfig.from_dict(
        _tiny_cfg(tmp_path, steps=30, lr=3e-2, val_every=30, checkpoint_every=30, families=fams)
    )
    fixed = make_batch(123, 0, 16, 128, fams)
    torch.manual_seed(cfg.seed)
    before = batch_losses(EntropyNet(**cfg.model_config()), fixed, cfg)
    model, hist = train(cfg, progress=False)
    after = batch_losses(model, fixed, cfg)
    assert after["total"] < 0.9 * before["total"]
    assert after["order"] < 0.8 * before["order"]
    assert {"val_survivors", "val_ratio", "loss"} <= set(hist[-1])
    side = json.loads((tmp_path / "w.json").read_text())
    assert side["model_config"] == model.config
    # 6 steps straight == interrupted after 3 steps, then resumed to 6
    straight, _ = train(_tiny_cfg(tmp_path / "a"), progress=False)
    train(_tiny_cfg(tmp_path / "b"), progress=False, stop_at=3)  # an interrupted run
    ckpt = load_checkpoint(tmp_path / "b" / "w.pt.ckpt")
    assert ckpt["step"] == 3 and isinstance(ckpt["config"], dict)
    resumed, _ = train(
        {"steps": 6, "out": str(tmp_path / "b" / "w.pt")},
        resume=tmp_path / "b" / "w.pt.ckpt",
        progress=False,
    )
    for (k, v), (_, w) in zip(
        straight.state_dict().items(), resumed.state_dict().items(), strict=True
    ):
        torch.testing.assert_close(v, w, msg=k)


def test_cli_train_writes_loadable_weights(tmp_path):
    from typer.testing import CliRunner

    from geoent.cli import app

    cfg = tmp_path / "cfg.json"
    cfg.write_text(json.dumps({k: v for k, v in _tiny_cfg(tmp_path).items() if k != "out"}))
    out = tmp_path / "cli.pt"
    res = CliRunner().invoke(
        app, ["train", "--config", str(cfg), "--steps", "2", "--out", str(out), "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    net = load_pretrained(out)
    assert net.config["hidden"] == 16
    assert net.hull_hint(make_points("disk", 100)).shape == (16, 2)
    bad = CliRunner().invoke(app, ["train", "--config", str(cfg), "--out", str(out)])
    cfg.write_text(json.dumps({"nonsense": 1}))
    bad = CliRunner().invoke(app, ["train", "--config", str(cfg), "--out", str(out)])
    assert bad.exit_code != 0 and "nonsense" in bad.output


# ------------------------------------------------------------------ pretrained
def test_load_pretrained_offline(pretrained, monkeypatch):
    import socket

    def no_network(*a, **k):
        raise AssertionError("load_pretrained touched the network")

    monkeypatch.setattr(socket, "socket", no_network)
    net = load_pretrained()
    assert isinstance(net, EntropyNet) and not net.training
    pts = make_points("aniso_gaussian", 10000, seed=11)
    np.testing.assert_array_equal(net.hull_hint(pts), pretrained.hull_hint(pts))


def test_pretrained_beats_classical_8_directions_on_anisotropic_sets(pretrained):
    # the claim the shipped weights are sold on: fewer survivors than the 8-direction filter
    wins = 0
    for seed in range(5):
        pts = make_points("aniso_gaussian", 20000, seed=seed)
        wins += survivor_fraction(pts, pretrained.hull_hint(pts)) < survivor_fraction(pts, DIR8)
    assert wins >= 4


# ------------------------------------------------------------------ evaluation rows
def test_entropynet_rows_contract(pretrained):
    from geoent.bench.suites.entropynet import entropynet_rows, to_markdown

    contract = {
        "suite", "operation", "distribution", "n", "contender", "median_s", "min_s", "max_s",
        "rounds", "compile_s", "error", "entropy", "notes",
    }  # fmt: skip
    rows = entropynet_rows(
        [3000], ["clusters"], 1, net=pretrained, delaunay_max_n=3000, with_entropy=False
    )
    assert rows and all(contract <= set(r) for r in rows)
    names = {(r["operation"], r["contender"]) for r in rows}
    for c in ("scipy", "geoent", "geoent+dir8", "geoent+samplehull", "geoent+entropynet"):
        assert ("convex_hull", c) in names
    for r in rows:
        assert r["suite"] == "entropynet" and r["n"] == 3000 and r["median_s"] > 0
        if "restructure" in r["contender"]:
            assert 0 <= r["error"] < 0.05 and r["error"] == r["area_rel"]
        else:
            assert r["error"] == 0.0  # exact modes agree with the plain kernel
        if r["contender"] == "geoent+entropynet" and r["operation"] == "convex_hull":
            assert 0 <= r["survivors"] <= 1 and r["hint_s"] > 0 and r["kernel_s"] > 0
    md = to_markdown(rows)
    assert "geoent+entropynet" in md and "Restructure mode" in md
