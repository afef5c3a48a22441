"""The one-call path of 2D ``delaunay`` and ``Delaunay`` on small sets (issue 13):
``geoent._kernels.delaunay2d_small`` runs ``triangulation._build``'s kernels in
one call, so every array must be the general path's (the oracle here), index for
index and dtype for dtype, including where the path hands over (exact duplicates,
coordinates that need rescaling, no 2D extent)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent import _scipy_compat as compat
from geoent import triangulation as T


@pytest.fixture(autouse=True)
def _one_call(monkeypatch):
    """The path is used only where the compiled module is (see
    ``geoent.triangulation.ONE_CALL_SMALL``): here always, also in JIT-only runs."""
    monkeypatch.setattr(T, "ONE_CALL_SMALL", True)


def _sets(seed, n):
    rng = np.random.default_rng(seed)
    yield "uniform", rng.random((n, 2))
    yield "grid", rng.integers(0, 4, (n, 2)).astype(float)  # duplicates, cocircular
    yield "tiny", rng.standard_normal((n, 2)) * 1e-200  # rescaled: general path
    yield "huge", rng.random((n, 2)) * 1e250
    yield "line", np.c_[np.arange(n), 2.0 * np.arange(n)]  # no 2D extent
    yield "thirds", np.round(rng.random((n, 2)) * 3) / 3
    z = rng.random((n, 2)) - 0.5
    z[::3, 0] = 0.0
    z[1::3, 0] = -0.0  # signed zeros at the extremes of x
    yield "signed zeros", z


def _outcome(fn):
    try:
        return fn()
    except ValueError as exc:
        return type(exc), str(exc)


_ATTRS = ("points", "simplices", "neighbors", "convex_hull", "coplanar",
          "vertex_to_simplex", "nsimplex", "npoints", "ndim", "min_bound", "max_bound",
          "furthest_site", "good", "paraboloid_scale", "paraboloid_shift")  # fmt: skip


def _state(d):
    if isinstance(d, tuple):
        return d
    out = []
    for a in _ATTRS:
        v = getattr(d, a)
        if isinstance(v, np.ndarray):
            # bytes too: the sign of a zero bound counts
            out.append((a, v.dtype.str, v.shape, v.tobytes(), v.flags.writeable))
        else:
            out.append((a, v))
    out.append(("transform", np.nan_to_num(d.transform).tolist()))
    out.append(("vnv", [v.tolist() for v in d.vertex_neighbor_vertices]))
    return out


@pytest.mark.parametrize("n", [1, 2, 3, 4, 10, 100, 512])
def test_small_delaunay_equals_general_path(monkeypatch, n):
    for kind, pts in _sets(n, n):
        got = geoent.delaunay(pts)
        dg = _outcome(lambda: geoent.Delaunay(pts))  # noqa: B023
        monkeypatch.setattr(T, "ONE_CALL_SMALL", False)
        ref = geoent.delaunay(pts)
        dr = _outcome(lambda: geoent.Delaunay(pts))  # noqa: B023
        monkeypatch.setattr(T, "ONE_CALL_SMALL", True)
        assert got.dtype == ref.dtype and got.shape == ref.shape, kind
        assert np.array_equal(got, ref), kind
        assert _state(dg) == _state(dr), kind


_coord = st.integers(-4, 4).map(float) | st.floats(-1, 1, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_coord, _coord), min_size=1, max_size=40))
def test_small_delaunay_equals_general_path_fuzz(rows):
    pts = np.array(rows, dtype=np.float64)
    got = _outcome(lambda: geoent.delaunay(pts))
    dg = _outcome(lambda: geoent.Delaunay(pts))
    T.ONE_CALL_SMALL = False
    try:
        ref = _outcome(lambda: geoent.delaunay(pts))
        dr = _outcome(lambda: geoent.Delaunay(pts))
    finally:
        T.ONE_CALL_SMALL = True
    if isinstance(got, tuple):
        assert got == ref
    else:
        assert got.dtype == ref.dtype and np.array_equal(got, ref)
    assert _state(dg) == _state(dr)


def test_small_path_taken_only_for_the_default_build(monkeypatch):
    calls = []
    real = T._small.small_delaunay_full

    class Spy:
        def __getattr__(self, name):
            if name == "small_delaunay_full":
                return lambda *a: calls.append(1) or real(*a)
            return getattr(T._small, name)

    monkeypatch.setattr(T, "_small", Spy())
    pts = np.random.default_rng(1).random((50, 2))
    geoent.Delaunay(pts)
    assert calls == [1]
    geoent.Delaunay(pts, incremental=True)
    geoent.Delaunay(pts, furthest_site=True)
    geoent.Delaunay(pts, order="brio")
    geoent.Delaunay(np.random.default_rng(1).random((T.SMALL_UP_TO + 1, 2)))
    assert calls == [1]
    assert compat.INDEX is np.intc


def test_one_call_path_only_where_compiled(monkeypatch):
    from geoent import _aot

    monkeypatch.setattr(T, "ONE_CALL_SMALL", None)
    monkeypatch.setattr(_aot, "status", lambda: "jit-only")
    assert not T._one_call_small()
    monkeypatch.setattr(_aot, "status", lambda: "aot")
    assert T._one_call_small()


def test_constants_match_the_kernels():
    from geoent import _delaunay_class as DC
    from geoent._kernels import delaunay2d as K
    from geoent._kernels import delaunay2d_small as KS
    from geoent._validation import EXPONENT_LIMITS

    assert (DC._OK, DC._NO_EXTENT) == (K.OK, K.NO_EXTENT)
    assert T._SMALL_RESCALE == KS.RESCALE
    assert T._WINDOW4 == EXPONENT_LIMITS[4]
    assert len({K.OK, K.NO_EXTENT, K.CANCELLED, KS.RESCALE, KS.DUPLICATES}) == 5
