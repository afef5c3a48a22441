"""Seeded generators and the shipped real data sets of ``geoent.datasets``."""

import numpy as np
import pytest

from geoent.datasets import (
    DATASETS,
    DISTRIBUTIONS_2D,
    DISTRIBUTIONS_3D,
    THIN_ROTATED_2D,
    load_dataset,
    make_points,
    make_rotated_gaussian,
    make_strip,
)

ALL = [*DISTRIBUTIONS_2D, *THIN_ROTATED_2D, *DISTRIBUTIONS_3D]


@pytest.mark.parametrize("name", ALL)
def test_generator_is_seeded_with_right_shape(name):
    dim = 3 if name in DISTRIBUTIONS_3D else 2
    a = make_points(name, 500, seed=7)
    b = make_points(name, 500, seed=7)
    assert a.shape == (500, dim)
    assert a.dtype == np.float64 and a.flags.c_contiguous
    assert np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ALL)
def test_generator_seed_matters_unless_deterministic_by_design(name):
    a = make_points(name, 300, seed=1)
    b = make_points(name, 300, seed=2)
    if name in ("grid", "rotated_grid", "lattice"):
        np.testing.assert_array_equal(a, b)  # fixed lattices: no randomness at all
    else:
        assert not np.array_equal(a, b)


@pytest.mark.parametrize("name", ALL)
def test_generator_sizes_zero_and_one(name):
    assert len(make_points(name, 0)) == 0
    assert len(make_points(name, 1)) == 1


def test_new_families_have_their_shape():
    # anisotropic: the covariance's eigenvalue ratio is far from 1 (ratio >= 3 by design)
    a = make_points("aniso_gaussian", 20000, seed=3)
    ev = np.linalg.eigvalsh(np.cov(a.T))
    assert ev[1] / ev[0] > 9 * 0.8
    # and rotated: the principal axis is not a coordinate axis for most seeds
    tilted = 0
    for seed in range(5):
        _, vec = np.linalg.eigh(np.cov(make_points("aniso_gaussian", 5000, seed=seed).T))
        tilted += min(abs(vec[0, 1]), abs(vec[1, 1])) > 0.05
    assert tilted >= 3
    # heavy-tailed: far more extreme than a Gaussian of the same median radius
    h = make_points("heavy_tailed", 20000, seed=3)
    g = make_points("gaussian", 20000, seed=3)
    rh, rg = np.hypot(*h.T), np.hypot(*g.T)
    assert rh.max() / np.median(rh) > 10 * rg.max() / np.median(rg)
    # clusters: most points are much closer to their neighbours than uniform points
    c = make_points("clusters", 4000, seed=3)
    spread = np.ptp(c, axis=0).prod()
    from scipy.spatial import cKDTree

    d, _ = cKDTree(c).query(c, k=2)
    assert np.median(d[:, 1]) < 0.5 * np.sqrt(spread / len(c))


def test_unknown_names_are_rejected():
    with pytest.raises(ValueError, match="unknown distribution"):
        make_points("nope", 3)
    with pytest.raises(ValueError, match="unknown dataset"):
        load_dataset("nope")


@pytest.mark.parametrize("name", list(DATASETS))
def test_real_dataset_loads(name):
    pts = load_dataset(name)
    expected = {"airports": 28298, "cities15000": 34006}[name]
    assert pts.shape == (expected, 2)
    assert pts.dtype == np.float64 and pts.flags.c_contiguous
    assert np.isfinite(pts).all()
    # longitude, latitude in degrees
    assert (np.abs(pts[:, 0]) <= 180).all() and (np.abs(pts[:, 1]) <= 90).all()
    assert np.ptp(pts[:, 0]) > 300 and np.ptp(pts[:, 1]) > 100  # worldwide
    # mostly distinct places
    assert len(np.unique(pts, axis=0)) > 0.95 * len(pts)
    np.testing.assert_array_equal(pts, load_dataset(name))


def test_real_dataset_known_rows():
    # the first airport of the source file (ICAO 00AA, Aero B Ranch, Kansas)
    a = load_dataset("airports")
    np.testing.assert_allclose(a[0], [-101.473911, 38.704022], rtol=0, atol=1e-9)


def _frame(angle):
    """Coordinates along and across a direction at ``angle``: the inverse rotation."""
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, s], [-s, c]])


@pytest.mark.parametrize("aspect", [10, 100, 1000])
@pytest.mark.parametrize("angle", [0.0, 0.1, 0.6])
def test_strip_has_its_aspect_and_rotation(aspect, angle):
    p = make_strip(20000, aspect, angle, seed=4)
    # rotated back, the points fill [0, 1] x [0, 1 / aspect] (up to float rounding)
    u = p @ _frame(angle).T
    eps = 1e-12
    assert u[:, 0].min() >= -eps and u[:, 0].max() <= 1 + eps
    assert u[:, 1].min() >= -eps and u[:, 1].max() <= 1 / aspect + eps
    # and fill it: the extremes come within 1% of every side
    assert u[:, 0].min() < 0.01 and u[:, 0].max() > 0.99
    assert u[:, 1].min() < 0.01 / aspect and u[:, 1].max() > 0.99 / aspect
    # the principal axis of the sample points along the rotation
    _, vec = np.linalg.eigh(np.cov(p.T))
    major = vec[:, 1]
    assert abs(abs(major @ [np.cos(angle), np.sin(angle)]) - 1) < 1e-3


@pytest.mark.parametrize("aspect", [20, 1000])
@pytest.mark.parametrize("angle", [0.0, 0.1, 0.6])
def test_rotated_gaussian_has_its_axes(aspect, angle):
    p = make_rotated_gaussian(50000, aspect, angle, seed=5)
    u = p @ _frame(angle).T
    sd = u.std(axis=0)
    assert abs(sd[0] - 1) < 0.02 and abs(sd[1] * aspect - 1) < 0.02
    assert abs(np.corrcoef(u.T)[0, 1]) < 0.02


def test_thin_rotated_names_match_the_makers():
    assert len(THIN_ROTATED_2D) == 15
    a = make_points("strip100_r0.6", 3000, seed=9)
    u = a @ _frame(0.6).T
    assert u[:, 1].max() <= 0.01 + 1e-12 and u[:, 0].max() > 0.9
    g = make_points("gauss1000_r0.1", 20000, seed=9) @ _frame(0.1).T
    assert abs(g[:, 1].std() * 1000 - 1) < 0.05
    with pytest.raises(ValueError, match="aspect"):
        make_strip(10, 0.5, 0.0)
    with pytest.raises(ValueError, match="aspect"):
        make_rotated_gaussian(10, 0.0, 0.0)
