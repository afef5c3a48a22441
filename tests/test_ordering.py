"""Tests of the spatial insertion orders in geoent._kernels.ordering."""

import numpy as np
import pytest

from geoent._kernels import ordering as O
from geoent.datasets import make_points


def shuffled_grid(k, seed):
    side = 2**k
    g = np.array([[i, j] for i in range(side) for j in range(side)], dtype=float)
    return g[np.random.default_rng(seed).permutation(len(g))]


def check_hilbert_path(g, order):
    """Properties that characterise a Hilbert curve on a 2**k grid."""
    path = g[order]
    # unit steps between consecutive cells
    assert np.abs(np.diff(path, axis=0)).sum(axis=1).max() == 1
    # every aligned 2**j x 2**j block is visited in one contiguous stretch
    side = int(np.sqrt(len(g)))
    j = 1
    while 2**j < side:
        block = (path[:, 0] // 2**j) * side + path[:, 1] // 2**j
        changes = np.count_nonzero(np.diff(block))
        assert changes == (side // 2**j) ** 2 - 1
        j += 1


@pytest.mark.parametrize("k", [1, 2, 3, 5, 7])
def test_hilbert_order_is_a_hilbert_curve_on_grids(k):
    g = shuffled_grid(k, seed=k)
    check_hilbert_path(g, O.hilbert_order(g[:, 0].copy(), g[:, 1].copy(), leaf=1))


def test_crowded_cells_are_refined_on_their_own_box():
    # a tiny grid cluster plus far outliers: the fixed grid puts the whole
    # cluster in one cell, which must then be ordered on its own box
    g = shuffled_grid(5, seed=1)
    pts = np.vstack((g * 1e-9 + 0.25, [[1e6, 1e6], [-1e6, 3e5], [7.0, -1e6]]))
    order = O.hilbert_order(pts[:, 0].copy(), pts[:, 1].copy(), leaf=1)
    inner = order[order < len(g)]
    check_hilbert_path(g, inner)


@pytest.mark.parametrize(
    "dist", ["uniform", "kuzmin", "grid", "duplicates", "circle", "offset", "clusters"]
)
@pytest.mark.parametrize(
    "fn", [O.hilbert_order, O.brio_order, O.multiscale_hilbert_order], ids=lambda f: f.__name__
)
def test_orders_are_deterministic_permutations(dist, fn):
    p = make_points(dist, 5000, seed=3)
    a = fn(p[:, 0].copy(), p[:, 1].copy())
    b = fn(p[:, 0].copy(), p[:, 1].copy())
    assert a.dtype == np.int64
    assert np.array_equal(np.sort(a), np.arange(len(p)))
    assert np.array_equal(a, b)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 17])
def test_tiny_inputs(n):
    p = np.random.default_rng(n).random((n, 2))
    for fn in (O.hilbert_order, O.brio_order, O.multiscale_hilbert_order):
        assert np.array_equal(np.sort(fn(p[:, 0].copy(), p[:, 1].copy())), np.arange(n))
    same = np.ones((9, 2))
    assert np.array_equal(O.hilbert_order(same[:, 0], same[:, 1]), np.arange(9))


def test_hilbert_order_is_local():
    # consecutive points are near: the mean step is close to the mean
    # nearest-neighbour distance (0.5 / sqrt(n) for uniform points), far below
    # the mean distance between random pairs (about 0.52)
    p = make_points("uniform", 20000, seed=5)
    o = O.hilbert_order(p[:, 0].copy(), p[:, 1].copy())
    step = np.hypot(*np.diff(p[o], axis=0).T).mean()
    assert step < 2.0 / np.sqrt(len(p))


def test_multiscale_rounds():
    n = 5000
    h = np.arange(n, dtype=np.int64)[::-1].copy()  # any curve order
    out = O.multiscale(h, 8, np.zeros(1, np.uint8))
    assert np.array_equal(np.sort(out), np.arange(n))
    pos = {int(v): i for i, v in enumerate(h)}
    p = np.array([pos[int(v)] for v in out])
    # top level is 3 (8**4 > 5000 / 8 ... 8**3 * 8 <= 5000): rounds by 8-adic valuation
    top = 0
    while 8 ** (top + 1) * 8 <= n:
        top += 1

    def level(q):
        if q == 0:
            return top
        lv = 0
        while lv < top and q % 8 == 0:
            q //= 8
            lv += 1
        return lv

    levels = np.array([level(q) for q in p])
    assert np.all(np.diff(levels) <= 0)  # coarse rounds first
    for lv in range(top + 1):
        assert np.all(np.diff(p[levels == lv]) > 0)  # each round keeps curve order


def test_brio_round_sizes():
    n = 200000
    ratio = 0.25
    top = 0
    while n * ratio ** (top + 1) >= 64:
        top += 1
    r = O._brio_rounds(n, ratio, top, np.uint64(12345), np.zeros(1, np.uint8))
    counts = np.bincount(top - r, minlength=top + 1)
    expected = n * (1 - ratio) * ratio ** np.arange(top + 1)
    expected[top] = n * ratio**top
    # about sqrt(n p) standard deviations: a fixed seed, so this cannot flake
    assert np.all(np.abs(counts - expected) <= 6 * np.sqrt(expected) + 1)


def test_brio_rounds_follow_the_curve():
    p = make_points("uniform", 30000, seed=9)
    o = O.brio_order(p[:, 0].copy(), p[:, 1].copy())
    # the last (largest) round is a curve order: short steps
    last = p[o[len(o) // 2 :]]
    step = np.hypot(*np.diff(last, axis=0).T).mean()
    assert step < 3.0 / np.sqrt(len(p))
    # the first round (about 117 points here) is a sparse sample: long steps
    first = np.hypot(*np.diff(p[o[:50]], axis=0).T).mean()
    assert first > 10 * step


@pytest.mark.parametrize("n", [0, 5, 255, 256, 1000, 70000])
def test_radix_sort(n):
    rng = np.random.default_rng(n)
    for a in (
        rng.integers(0, 2**63, n).astype(np.uint64) * np.uint64(2),
        rng.integers(0, 5, n).astype(np.uint64) << np.uint64(40),  # constant digits
        np.full(n, 7, np.uint64),
    ):
        b = a.copy()
        O.radix_sort_u64(b, np.zeros(1, np.uint8))
        assert np.array_equal(b, np.sort(a))


def test_extreme_coordinates_terminate():
    # spans near the overflow threshold (x - xmin would overflow) and denormals
    p = np.array([[1.7e308, -1.7e308], [-1.7e308, 1.7e308], [0, 0], [5e-324, 0.0]] * 40)
    for fn in (O.hilbert_order, O.brio_order, O.multiscale_hilbert_order):
        o = fn(p[:, 0].copy(), p[:, 1].copy())
        assert np.array_equal(np.sort(o), np.arange(len(p)))
