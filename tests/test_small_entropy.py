"""The small-call path of ``range_partition_entropy`` (issue 13): for at most 4,096
points the default construction runs in two compiled calls (``small_roots``,
``small_build``); its result must be the general path's, field by field.

Oracles: the general path (``_build`` with the small path switched off: the
Python steps ``_rank_roots``, ``_choose_root``, ``_assign``, ``_compact``), and
``count_in_triangles`` / ``geoent.convex_hull`` for the compiled pieces.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent import entropy as E


@pytest.fixture(autouse=True)
def _small_path(monkeypatch):
    """The two-call path is used only where the compiled module is (see
    ``geoent.entropy.SMALL_PATH``): here always, also in JIT-only runs."""
    monkeypatch.setattr(E, "SMALL_PATH", True)


def test_small_path_only_where_compiled(monkeypatch):
    from geoent import _aot

    monkeypatch.setattr(E, "SMALL_PATH", None)
    monkeypatch.setattr(_aot, "status", lambda: "jit-only")
    assert not E._small_path_on()
    monkeypatch.setattr(_aot, "status", lambda: "aot")
    assert E._small_path_on()


def _fields(r):
    return (
        r.entropy,
        r.labels.dtype.str,
        r.labels.tolist(),
        r.triangles.dtype.str,
        r.triangles.shape,
        r.triangles.tolist(),
        r.n_parts,
        r.upper,
        r.steiner.dtype.str,
        r.steiner.shape,
        r.steiner.tolist(),
        r.n_singletons,
        r.method,
    )


def _general(monkeypatch, pts, upper=False):
    with monkeypatch.context() as mp:
        mp.setattr(E, "_SMALL_PATH_UP_TO", 0)
        return geoent.range_partition_entropy(pts, upper=upper)


def _sets(seed, n):
    rng = np.random.default_rng(seed)
    t = rng.random(n) * 2 * np.pi
    yield "uniform", rng.random((n, 2))
    yield "gaussian", rng.standard_normal((n, 2))
    yield "grid", rng.integers(0, 5, (n, 2)).astype(float)  # collinear, duplicates
    yield "circle", np.c_[np.cos(t), np.sin(t)]
    yield "tiny", rng.integers(-3, 3, (n, 2)) * 1e-200  # rescaled for exact arithmetic
    yield "thin", np.c_[t, 1e-9 * rng.random(n)]
    p = rng.random((n, 2))
    p[: n // 2] = p[0]
    yield "half-duplicates", p


@pytest.mark.parametrize("n", [3, 4, 5, 7, 12, 13, 30, 100, 333, 4096])
def test_small_path_equals_general_path(monkeypatch, n):
    for seed in range(3 if n < 1000 else 1):
        for kind, pts in _sets(seed * 1000 + n, n):
            for upper in (False, True):
                got = geoent.range_partition_entropy(pts, upper=upper)
                ref = _general(monkeypatch, pts, upper)
                assert _fields(got) == _fields(ref), (kind, n, seed, upper)
                assert geoent.is_respectful(pts, got.labels, got.triangles, upper=upper,
                                            steiner=got.steiner)  # fmt: skip


_coord = st.integers(-6, 6).map(float) | st.floats(-1, 1, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_coord, _coord), min_size=1, max_size=60))
def test_small_path_equals_general_path_fuzz(rows):
    pts = np.array(rows, dtype=np.float64)

    def outcome():
        try:
            r = geoent.range_partition_entropy(pts)
        except ValueError as exc:  # e.g. RangeError on 1.0 beside 2.2e-308: both paths
            return type(exc), str(exc)
        assert r.entropy == E.partition_entropy(r.labels)
        return _fields(r)

    got = outcome()
    old = E._SMALL_PATH_UP_TO
    E._SMALL_PATH_UP_TO = 0
    try:
        ref = outcome()
    finally:
        E._SMALL_PATH_UP_TO = old
    assert got == ref


def test_default_small_call_takes_the_two_call_path(monkeypatch):
    calls = []
    real = E._build_small
    monkeypatch.setattr(E, "_build_small", lambda *a: calls.append(1) or real(*a))
    pts = np.random.default_rng(0).random((100, 2))
    geoent.range_partition_entropy(pts)
    assert calls == [1]
    geoent.range_partition_entropy(np.random.default_rng(0).random((5000, 2)))
    assert calls == [1]  # above _SAMPLE points: the general path (sampled roots)


def test_kernel_constants_match_the_module():
    from geoent._kernels import entropy as K

    assert K.ALL_TRIPLES_UP_TO == E._ALL_TRIPLES_UP_TO
    assert K.ROOT_TRIALS == E._ROOT_TRIALS
    assert E._SMALL_PATH_UP_TO <= E._SAMPLE  # the path evaluates every point


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_coord, _coord), min_size=1, max_size=80))
def test_small_hull_is_convex_hull(rows):
    from geoent._kernels import entropy as K
    from geoent._validation import check_exponent_range
    from geoent.errors import RangeError

    pts = np.array(rows, dtype=np.float64)
    try:  # small_hull gets the coordinates the entropy scaled for exact arithmetic
        q, _ = check_exponent_range(pts, 2)
    except RangeError:
        return
    x, y = np.ascontiguousarray(q[:, 0]), np.ascontiguousarray(q[:, 1])
    assert K.small_hull(x, y).tolist() == geoent.convex_hull(pts).tolist()


@pytest.mark.parametrize("n", [1, 2, 3, 64, 65, 999, 4096])
def test_small_hull_is_convex_hull_sets(n):
    from geoent._kernels import entropy as K
    from geoent._validation import check_exponent_range

    for kind, pts in _sets(n, n):
        q, _ = check_exponent_range(pts, 2)  # as the entropy scales them
        x, y = np.ascontiguousarray(q[:, 0]), np.ascontiguousarray(q[:, 1])
        assert K.small_hull(x, y).tolist() == geoent.convex_hull(pts).tolist(), kind


@pytest.mark.parametrize("m", [3, 4, 7, 12, 13, 40])
def test_candidate_counts_equal_count_in_triangles(m):
    """``_triple_counts`` (chord-sign bit sets) and ``_rows_counts`` against the
    general path's ``count_in_triangles``, points on the edges and corners included."""
    from geoent._kernels import entropy as K

    rng = np.random.default_rng(m)
    t = np.sort(rng.random(m)) * 2 * np.pi
    ring = np.c_[np.round(np.cos(t) * 8), np.round(np.sin(t) * 8)]
    inner = rng.integers(-8, 9, (150, 2)).astype(float)  # many on chords exactly
    pts = np.vstack([ring, inner])
    x, y = np.ascontiguousarray(pts[:, 0]), np.ascontiguousarray(pts[:, 1])
    hidx = np.ascontiguousarray(geoent.convex_hull(pts), dtype=np.int64)
    hx, hy = np.ascontiguousarray(x[hidx]), np.ascontiguousarray(y[hidx])
    k = hidx.shape[0]
    cand = K._triple_rows(k) if k <= K.ALL_TRIPLES_UP_TO else K._spread_rows(hx, hy)
    tri = np.ascontiguousarray(np.column_stack(
        [hx[cand[:, 0]], hy[cand[:, 0]], hx[cand[:, 1]], hy[cand[:, 1]], hx[cand[:, 2]],
         hy[cand[:, 2]]]
    ))  # fmt: skip
    ref = K.count_in_triangles(x, y, np.arange(x.shape[0], dtype=np.int64), tri)
    assert K._rows_counts(x, y, hx, hy, cand).tolist() == ref.tolist()
    if k <= K.ALL_TRIPLES_UP_TO:
        assert K._triple_counts(x, y, hx, hy, cand).tolist() == ref.tolist()
        assert [tuple(r) for r in cand] == [
            tuple(r) for r in E._root_candidates(hx, hy)
        ]  # itertools.combinations' order
    else:
        assert cand.tolist() == E._root_candidates(hx, hy).tolist()
