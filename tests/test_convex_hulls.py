"""Batched 2D hulls: each hull exactly as ``convex_hull`` gives it for its set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent.datasets import make_points
from geoent.errors import InputError


def loop(points, offsets):
    out = []
    for i in range(len(offsets) - 1):
        s = points[offsets[i] : offsets[i + 1]]
        out.append([] if len(s) == 0 else geoent.convex_hull(s).tolist())
    return out


def ragged(idx, off):
    return [idx[off[i] : off[i + 1]].tolist() for i in range(len(off) - 1)]


def _mixed_sets(rng, m):
    """Sets of 0..40 points: random, integer (collinear, duplicates), all equal,
    collinear along a slanted line, near-collinear by an ulp, large offset."""
    sets = []
    for i in range(m):
        k = int(rng.integers(0, 41))
        kind = i % 6
        if kind == 0:
            s = rng.random((k, 2))
        elif kind == 1:
            s = rng.integers(0, 3, (k, 2)).astype(float)
        elif kind == 2:
            s = np.repeat(rng.random((1, 2)), k, axis=0)
        elif kind == 3:
            t = rng.random(k)
            s = np.column_stack((t, 3 * t + 1))
        elif kind == 4:
            t = rng.integers(1, 10, k) * 0.1
            s = np.column_stack((t, t))
            if k:
                j = int(rng.integers(0, k))
                s[j, 1] = np.nextafter(s[j, 1], np.inf)
        else:
            s = rng.random((k, 2)) + 1e8
        sets.append(s)
    return sets


def test_ragged_mixed_sets_match_loop():
    rng = np.random.default_rng(0)
    sets = _mixed_sets(rng, 600)
    sets[:4] = [np.empty((0, 2)), np.array([[1.0, 2.0]]), np.array([[0, 0], [1, 1.0]]),
                np.array([[2, 2], [0, 0], [1, 1.0]])]  # fmt: skip
    pts = np.concatenate(sets)
    off = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    idx, ioff = geoent.convex_hulls(pts, off)
    assert idx.dtype == np.int64 and ioff.dtype == np.int64
    assert ioff.shape == (len(sets) + 1,) and ioff[0] == 0 and ioff[-1] == len(idx)
    assert ragged(idx, ioff) == loop(pts, off)
    assert ragged(idx, ioff)[:4] == [[], [0], [0, 1], [1, 0]]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(0, 2**31))
def test_hypothesis_ragged(sizes, seed):
    rng = np.random.default_rng(seed)
    sets = [rng.integers(-2, 3, (k, 2)).astype(float) * 0.5 for k in sizes]
    pts = np.concatenate(sets) if sum(sizes) else np.empty((0, 2))
    off = np.concatenate(([0], np.cumsum(sizes)))
    idx, ioff = geoent.convex_hulls(pts, off)
    assert ragged(idx, ioff) == loop(pts, off)


def test_dense_batch_equals_ragged():
    rng = np.random.default_rng(1)
    dense = rng.random((500, 16, 2))
    dense[::7] = np.round(dense[::7] * 2) / 2  # some degenerate sets
    idx, ioff = geoent.convex_hulls(dense)
    flat = dense.reshape(-1, 2)
    off = np.arange(501) * 16
    idx2, ioff2 = geoent.convex_hulls(flat, off)
    assert np.array_equal(idx, idx2) and np.array_equal(ioff, ioff2)
    assert ragged(idx, ioff) == loop(flat, off)


def test_big_sets_in_a_batch():
    """Sets beyond the small-set kernel (more than 64 points) take the full engine."""
    sizes = [65, 3, 5000, 0, 64, 30_000]
    sets = [make_points("disk", k, seed=k) for k in sizes]
    pts = np.concatenate(sets)
    off = np.concatenate(([0], np.cumsum(sizes)))
    idx, ioff = geoent.convex_hulls(pts, off)
    assert ragged(idx, ioff) == loop(pts, off)


def test_big_sets_share_chunks_with_small_ones():
    """Many sets, so that one parallel chunk holds small sets (hulls written back to
    back) and big ones (slots kept for the full engine) alike."""
    rng = np.random.default_rng(7)
    sets = []
    for i in range(3000):
        k = int(rng.integers(65, 120)) if i % 97 == 5 else int(rng.integers(0, 30))
        sets.append(rng.integers(-3, 4, (k, 2)) * 0.25 if i % 3 == 0 else rng.random((k, 2)))
    pts = np.concatenate(sets)
    off = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    idx, ioff = geoent.convex_hulls(pts, off)
    assert ragged(idx, ioff) == loop(pts, off)


def test_batch_needing_rescale():
    rng = np.random.default_rng(2)
    sets = [rng.random((10, 2)) * 1e-310 for _ in range(5)]  # subnormal: rescaled
    pts = np.concatenate(sets)
    off = np.arange(6) * 10
    idx, ioff = geoent.convex_hulls(pts, off)
    assert ragged(idx, ioff) == ragged(*geoent.convex_hulls(pts * 2.0**1000, off))


def test_batch_whose_sets_need_different_scales():
    """Sets that no single power of two fits are rescaled one by one."""
    a = np.array([[0.0, 0.0], [1e-300, 0.0], [0.0, 1e-300], [1e-301, 1e-301]])
    b = np.array([[0.0, 0.0], [1e300, 0.0], [0.0, 1e300], [1e299, 1e299]])
    pts = np.concatenate((a, b))
    idx, ioff = geoent.convex_hulls(pts, [0, 4, 8])
    assert ragged(idx, ioff) == [[0, 1, 2], [0, 1, 2]]


def test_lists_accepted_and_input_untouched():
    pts = [[0, 0], [1, 0], [0, 1], [0.25, 0.25], [3, 3], [4, 4]]
    idx, ioff = geoent.convex_hulls(pts, [0, 4, 6])
    assert ragged(idx, ioff) == [[0, 1, 2], [0, 1]]
    arr = np.array(pts, dtype=float)
    before = arr.copy()
    geoent.convex_hulls(arr, np.array([0, 6], dtype=np.int32))
    assert np.array_equal(arr, before)


@pytest.mark.parametrize("offsets", [[1, 6], [0, 5], [0, 4, 2, 6], [[0, 6]], [0.0, 6.0], []])
def test_bad_offsets(offsets):
    pts = np.random.default_rng(0).random((6, 2))
    with pytest.raises(InputError):
        geoent.convex_hulls(pts, offsets)


def test_bad_points():
    with pytest.raises(InputError):
        geoent.convex_hulls(np.ones((4, 3)))
    bad = np.random.default_rng(0).random((6, 2))
    bad[4, 0] = np.nan
    with pytest.raises(ValueError, match="row 4"):
        geoent.convex_hulls(bad, [0, 3, 6])


# ---------------------------------------------------------------------------
# small calls stay on the calling thread (issue 13)
# ---------------------------------------------------------------------------


def test_serial_rule():
    from geoent._hull2d import SERIAL_BATCH_POINTS, batched_runs_serially

    assert batched_runs_serially(1, 10, threads=8)  # fewer sets than threads
    assert batched_runs_serially(7, 10**6, threads=8)
    assert batched_runs_serially(100, 1000, threads=2)  # little work
    assert batched_runs_serially(10**5, 16 * 10**5, threads=1)  # one thread
    assert not batched_runs_serially(10**5, 16 * 10**5, threads=2)
    assert not batched_runs_serially(8, SERIAL_BATCH_POINTS, threads=8)
    assert batched_runs_serially(8, SERIAL_BATCH_POINTS - 1, threads=8)


def _loop(pts, offs):
    return [
        geoent.convex_hull(pts[a:b]).tolist() if b > a else []
        for a, b in zip(offs[:-1], offs[1:], strict=True)
    ]


def _ragged(idx, off):
    return [idx[off[i] : off[i + 1]].tolist() for i in range(len(off) - 1)]


def _forbid(monkeypatch, name):
    import geoent._hull2d as engine

    def refuse(*args):
        raise AssertionError(f"{name} called")

    # the batched kernels as the engine calls them (geoent._aot's proxy of the module)
    monkeypatch.setattr(engine._batched, name, refuse)


@pytest.mark.parametrize("sizes", [[10], [10] * 10, [10] * 100, [3, 0, 70, 12, 1]])
def test_small_batches_take_the_serial_path(monkeypatch, sizes):
    from geoent._hull2d import batched_runs_serially

    rng = np.random.default_rng(sum(sizes))
    pts = rng.random((sum(sizes), 2))
    offs = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    assert batched_runs_serially(len(sizes), pts.shape[0])
    expected = _loop(pts, offs)
    _forbid(monkeypatch, "many_hulls")  # the parallel kernel
    assert _ragged(*geoent.convex_hulls(pts, offs)) == expected


def test_big_batches_take_the_parallel_path(monkeypatch):
    from geoent._hull2d import SERIAL_BATCH_POINTS, batched_runs_serially

    sizes = [16] * (SERIAL_BATCH_POINTS // 16 + 1)
    pts = make_points("uniform", sum(sizes), seed=3)
    offs = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    if batched_runs_serially(len(sizes), pts.shape[0]):
        pytest.skip("one numba thread: every batch runs serially")
    expected = _loop(pts, offs)
    _forbid(monkeypatch, "many_hulls_serial")
    assert _ragged(*geoent.convex_hulls(pts, offs)) == expected
