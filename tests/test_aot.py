"""The ahead-of-time kernels (``geoent._aot``, built by ``setup.py``).

* Built and in use: where geoent is imported from the tree pip installed it from
  (CI: ``pip install -e .``), or with ``GEOENT_REQUIRE_AOT=1``, the compiled module
  must exist, match the kernel sources and be in use, so a broken build fails here.
  Elsewhere (a worktree on ``PYTHONPATH`` without a build) the JIT path is normal.
* Same results: each family's calls on a few inputs give identical arrays on the
  AOT path (this process) and on the JIT path (a child with ``GEOENT_JIT_ONLY=1``).
* Stale or absent modules fall back to the JIT with one warning.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import pickle
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

import geoent
from geoent import _aot
from geoent._kernels.aot_signatures import EXPORTS

PKG = Path(geoent.__file__).resolve().parent


def _installed_from_this_tree():
    try:
        dist = importlib.metadata.distribution("geoent")
        info = json.loads(dist.read_text("direct_url.json") or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    if not info.get("dir_info", {}).get("editable"):
        # a regular install: the package directory is the installed one
        return Path(str(dist.locate_file("geoent"))).resolve() == PKG
    root = Path(urlparse(info.get("url", "")).path)
    return (root / "src" / "geoent").resolve() == PKG


def _aot_required():
    if os.environ.get("GEOENT_JIT_ONLY", "") not in ("", "0"):
        return False
    if os.environ.get("GEOENT_NO_AOT", "") not in ("", "0"):
        return False
    return os.environ.get("GEOENT_REQUIRE_AOT") == "1" or _installed_from_this_tree()


def test_aot_built_current_and_in_use():
    if not _aot_required():
        pytest.skip(f"geoent not installed from this tree (AOT status: {_aot.status()})")
    assert _aot.status() == "aot", f"the AOT build is {_aot.status()}: see setup.py"
    mod = _aot.module()
    assert int(mod.aot_source_hash()) == _aot.source_hash()
    missing = [n for n in EXPORTS if not hasattr(mod, n)]
    assert not missing
    # the API really calls the compiled export, not the numba dispatcher
    from geoent import _hull3d

    assert not hasattr(_hull3d._k.insert_range, "py_func")


def test_every_export_is_in_the_module():
    if _aot.status() != "aot":
        pytest.skip(f"no AOT module in use ({_aot.status()})")
    for name, sigs in EXPORTS.items():
        n = 1 if isinstance(sigs, str) else len(sigs)
        for k in range(n):
            assert hasattr(_aot.module(), name if k == 0 else f"{name}__v{k}")


#: the calls compared on both paths: (family, call) -> result arrays
_CALLS = r"""
import numpy as np, geoent as g
rng = np.random.default_rng(7)
out = {}
for n in (1, 2, 3, 10, 999, 4096):
    out["hull2d", n] = g.convex_hull(rng.random((n, 2)))
out["hull2d", "line"] = g.convex_hull(np.c_[np.arange(20.0), 2 * np.arange(20.0)])
out["hull2d", "grid"] = g.convex_hull(np.indices((9, 9)).reshape(2, -1).T.astype(float))
out["hull2d", "big"] = g.convex_hull(rng.random((100, 2)) * 1e300)
out["batched"] = g.convex_hulls(rng.random((1000, 2)), np.array([0, 0, 3, 10, 300, 1000]))
for n in (4, 30, 1000, 30000):
    h = g.ConvexHull(rng.random((n, 3)))
    out["hull3d", n] = (h.vertices, h.simplices)
cube = np.indices((3, 3, 3)).reshape(3, -1).T.astype(float)
h = g.ConvexHull(cube)
out["hull3d", "cube"] = (h.vertices, h.simplices)
out["hull3d", "flat"] = g.convex_hull(np.c_[rng.random((50, 2)), np.zeros(50)])
for n in (3, 100, 1000):
    d = g.Delaunay(rng.random((n, 2)))
    out["delaunay", n] = (d.simplices, d.neighbors)
out["delaunay", "grid"] = g.delaunay(np.indices((7, 7)).reshape(2, -1).T.astype(float))
for n in (3, 100, 1000):
    r = g.range_partition_entropy(rng.random((n, 2)))
    out["entropy", n] = (r.entropy, r.labels)
for n in (4, 30, 1000):
    d = g.Delaunay(rng.random((n, 3)))
    q = rng.random((100, 3))
    out["delaunay3d", n] = (d.simplices, d.neighbors, d.convex_hull, d.find_simplex(q))
out["delaunay3d", "grid"] = g.delaunay(np.indices((4, 4, 4)).reshape(3, -1).T.astype(float))
out["delaunay3d", "brio"] = g.delaunay(rng.random((500, 3)), order="brio")
d = g.Delaunay(rng.random((100, 3)), incremental=True)
d.add_points(rng.random((200, 3)))
out["delaunay3d", "incremental"] = (d.simplices, d.neighbors)
for pts in (rng.random((500, 2)), np.indices((6, 6)).reshape(2, -1).T.astype(float),
            rng.random((500, 3)), np.indices((3, 3, 3)).reshape(3, -1).T.astype(float)):
    v = g.Voronoi(pts)
    out["voronoi", pts.shape] = (v.vertices, v.ridge_points, v.point_region,
                                 [np.asarray(r) for r in v.regions])
from geoent.interpolate import griddata
for dim in (2, 3):
    pts = rng.random((300, dim))
    q = rng.random((100, dim)) * 1.1
    out["interpolate", dim] = griddata(pts, pts[:, 0] ** 2, q)
    if dim == 2:
        out["interpolate", "cubic"] = griddata(pts, pts[:, 0] ** 2, q, method="cubic")
a = [np.round(rng.random((200, 3)) * 4) for _ in range(5)]
out["predicates"] = (
    g.predicates.orient2d(*[x[:, :2] for x in a[:3]]),
    g.predicates.incircle(*[x[:, :2] for x in a[:4]]),
    g.predicates.orient3d(*a[:4]),
    g.predicates.insphere(*a),
)
"""


def _results(jit_only):
    code = _CALLS + "\nimport pickle, sys\nsys.stdout.buffer.write(pickle.dumps(out))\n"
    env = dict(os.environ)
    env.pop("GEOENT_JIT_ONLY", None)
    if jit_only:
        env["GEOENT_JIT_ONLY"] = "1"
    env["PYTHONPATH"] = str(PKG.parent) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    return pickle.loads(proc.stdout)


def _same(a, b):
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(map(_same, a, b))
    if hasattr(a, "entropy"):
        return _same((a.entropy, a.labels), (b.entropy, b.labels))
    a, b = np.asarray(a), np.asarray(b)
    # NaN where a query is outside the hull (interpolation's fill value): equal
    nan_ok = a.dtype.kind in "fc"
    return np.array_equal(a, b, equal_nan=nan_ok) and a.dtype == b.dtype


def test_aot_and_jit_give_identical_results():
    if _aot.status() != "aot":
        pytest.skip(f"no AOT module in use ({_aot.status()})")
    aot, jit = _results(False), _results(True)
    assert aot.keys() == jit.keys()
    differ = [k for k in aot if not _same(aot[k], jit[k])]
    assert not differ


class _Fake:
    def __init__(self, h):
        self.h = h

    def aot_source_hash(self):
        return self.h


@pytest.fixture
def fresh_state(monkeypatch):
    """The resolver's state reset, restored after the test."""
    saved = (_aot._state, _aot._mod, dict(_aot._cache))
    monkeypatch.setattr(_aot, "_state", None)
    monkeypatch.setattr(_aot, "_mod", None)
    monkeypatch.setattr(_aot, "_cache", {})
    monkeypatch.delenv("GEOENT_JIT_ONLY", raising=False)
    yield
    _aot._state, _aot._mod, _aot._cache = saved[0], saved[1], saved[2]


def test_stale_module_is_ignored_with_one_warning(fresh_state, monkeypatch):
    from geoent import _kernels
    from geoent._kernels import hull2d

    fake = _Fake(_aot.source_hash() ^ 1)  # built from other sources
    monkeypatch.setitem(sys.modules, "geoent._kernels._aot_kernels", fake)
    monkeypatch.setattr(_kernels, "_aot_kernels", fake, raising=False)
    with pytest.warns(RuntimeWarning, match="other kernel sources"):
        assert _aot.status() == "stale"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no second warning
        assert _aot.kernel("hull2d__sorted_hull", hull2d.sorted_hull) is hull2d.sorted_hull


def test_current_module_is_used(fresh_state, monkeypatch):
    from geoent import _kernels
    from geoent._kernels import hull2d

    fake = _Fake(_aot.source_hash())
    fake.hull2d__sorted_hull = lambda q, ids: "compiled"
    monkeypatch.setitem(sys.modules, "geoent._kernels._aot_kernels", fake)
    monkeypatch.setattr(_kernels, "_aot_kernels", fake, raising=False)
    monkeypatch.delenv("GEOENT_AOT_CHECK", raising=False)
    assert _aot.status() == "aot"
    q, ids = np.zeros(8), np.arange(4)
    assert _aot.kernel("hull2d__sorted_hull", hull2d.sorted_hull)(q, ids) == "compiled"
    # not exported: the JIT kernel
    assert _aot.kernel("hull2d__few_descents", hull2d.few_descents) is hull2d.few_descents
    k = _aot.kernels_of(hull2d)
    assert k.sorted_hull(q, ids) == "compiled" and k.fix_ties is hull2d.fix_ties


def test_other_arrays_go_to_the_jit_kernel(fresh_state, monkeypatch):
    """Compiled exports read any array as their declared dtype and layout (a pycc
    export given int64 where it wants float64 returns garbage, silently): outside the
    tests' strict mode, an array of another dtype, dimension or order, or a call with
    another number of arguments, goes to the @njit kernel instead."""
    from geoent import _kernels

    fake = _Fake(_aot.source_hash())
    fake.hull2d__sorted_hull = lambda q, ids: "compiled"
    monkeypatch.setitem(sys.modules, "geoent._kernels._aot_kernels", fake)
    monkeypatch.setattr(_kernels, "_aot_kernels", fake, raising=False)
    monkeypatch.delenv("GEOENT_AOT_CHECK", raising=False)
    fn = _aot.kernel("hull2d__sorted_hull", lambda *a: "jit")  # i8[::1](f8[::1], i8[::1])
    q, ids = np.zeros(8), np.arange(4, dtype=np.int64)
    assert fn(q, ids) == "compiled"
    assert fn(q.astype(np.float32), ids) == "jit"  # another dtype
    assert fn(q, ids.astype(np.int32)) == "jit"
    assert fn(q.reshape(4, 2), ids) == "jit"  # another ndim
    assert fn(q[::2], ids) == "jit"  # not contiguous where the export wants ::1
    assert fn(list(q), ids) == "jit"  # not an array
    assert fn(q, ids, 3) == "jit"  # another number of arguments
    assert fn(q.astype(q.dtype.newbyteorder()), ids) == "jit"  # byte-swapped


def test_strict_mode_raises_on_other_arrays(fresh_state, monkeypatch):
    from geoent import _kernels

    fake = _Fake(_aot.source_hash())
    fake.hull2d__sorted_hull = lambda q, ids: "compiled"
    monkeypatch.setitem(sys.modules, "geoent._kernels._aot_kernels", fake)
    monkeypatch.setattr(_kernels, "_aot_kernels", fake, raising=False)
    monkeypatch.setenv("GEOENT_AOT_CHECK", "1")
    fn = _aot.kernel("hull2d__sorted_hull", lambda *a: "jit")
    assert fn(np.zeros(8), np.arange(4, dtype=np.int64)) == "compiled"
    with pytest.raises(TypeError, match="export wants"):
        fn(np.zeros(8, np.float32), np.arange(4, dtype=np.int64))


def test_jit_only_env(fresh_state, monkeypatch):
    monkeypatch.setenv("GEOENT_JIT_ONLY", "1")
    assert _aot.status() == "jit-only" and _aot.module() is None


def test_argument_checks_match_the_signatures():
    assert _aot._split_args("none(f8[:, ::1], UniTuple(f8, 6), i8)") == [
        "f8[:, ::1]",
        "UniTuple(f8, 6)",
        "i8",
    ]
    a = np.zeros((3, 2))
    assert _aot._arg_ok("f8[:, ::1]", a)
    assert not _aot._arg_ok("f8[:, ::1]", a.T)  # not C-contiguous
    assert not _aot._arg_ok("i8[::1]", np.zeros(3, np.int32))  # another dtype
    assert not _aot._arg_ok("f8[::1]", a)  # another ndim
    assert _aot._arg_ok("f8[:]", a[:, 0])  # any layout
    assert _aot._arg_ok("i8", 3) and not _aot._arg_ok("i8", 3.0)


def test_signature_table_parses():
    for name, sigs in EXPORTS.items():
        mod, func = name.split("__")
        kernel = getattr(__import__(f"geoent._kernels.{mod}", fromlist=[func]), func)
        for sig in [sigs] if isinstance(sigs, str) else sigs:
            assert len(_aot._split_args(sig)) == kernel.py_func.__code__.co_argcount, name


def test_interruptible_calls_run_the_gil_free_jit_kernels():
    """pycc exports hold the GIL: inside ``interruptible`` the kernels are the
    ``@njit(nogil=True)`` ones, so the Ctrl-C watcher thread can run."""
    from geoent import _hull3d

    seen = []
    real = _hull3d._ord.morton_order  # resolve (AOT export when in use)
    _aot.gil_free(True)
    try:
        seen.append(hasattr(_hull3d._ord.morton_order, "py_func"))
        seen.append(_aot.kernel("hull2d__sorted_hull", "jit") == "jit")
    finally:
        _aot.gil_free(False)
    assert seen == [True, True]
    assert _hull3d._ord.morton_order is real
