"""The first call in a process (issue 13): with the ahead-of-time module built and
current, a small call answered by compiled exports imports neither numba nor
``scipy.spatial`` (numba's import is ~0.13 s and scipy.spatial's ~0.2-0.3 s of a
first call); the scipy-compatible classes import scipy.spatial (they subclass
scipy's) but not numba. Each case runs in a fresh interpreter (the suite itself
has imported both long before).

Skipped where the compiled module is not in use (not built, stale or
``GEOENT_JIT_ONLY``); CI builds it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import geoent
from geoent import _aot

_SRC = str(Path(geoent.__file__).resolve().parent.parent)

_PRELUDE = """
import json, sys
import numpy as np
rng = np.random.default_rng(0)
p2, p3 = rng.random((1000, 2)), rng.random((1000, 3))
import geoent as g
"""

# name -> (statement, scipy.spatial allowed)
_CALLS = {
    "convex_hull 2D": ("g.convex_hull(p2)", False),
    "convex_hull 2D, filters": ("g.convex_hull(rng.random((100_000, 2)))", False),
    "convex_hull instance_optimal": ('g.convex_hull(p2, method="instance_optimal")', False),
    "convex_hull 3D": ("g.convex_hull(p3)", False),
    "convex_hulls": ("g.convex_hulls(p2, np.arange(0, 1001, 10))", False),
    "delaunay": ("g.delaunay(p2)", False),
    "range_partition_entropy": ("g.range_partition_entropy(p2)", False),
    "predicates": ("g.predicates.orient2d(p2, p2[::-1], p2[::2].repeat(2, 0))", False),
    "ConvexHull 2D": ("g.ConvexHull(p2).volume", True),
    "ConvexHull 3D": ("g.ConvexHull(p3).volume", True),
    "Delaunay": ("g.Delaunay(p2).simplices", True),
    # the families exported since (3D Delaunay, Voronoi, interpolation); None: either
    # (scipy.spatial is imported only where a class subclasses scipy's, or where
    # scipy's QhullError is raised for it)
    "delaunay 3D": ("g.delaunay(p3)", False),
    "delaunay 3D brio": ('g.delaunay(p3, order="brio")', False),
    "Delaunay 3D": ("g.Delaunay(p3).find_simplex(rng.random((100, 3)))", True),
    "Delaunay 3D incremental": (
        "d = g.Delaunay(p3[:500], incremental=True); d.add_points(p3[500:]); d.simplices",
        True,
    ),
    "Voronoi 2D": ("v = g.Voronoi(p2); v.regions, v.ridge_vertices", None),
    "Voronoi 3D": ("v = g.Voronoi(p3); v.regions, v.ridge_vertices", None),
    "griddata 2D linear": (
        "from geoent.interpolate import griddata; griddata(p2, p2[:, 0], rng.random((50, 2)))",
        None,
    ),
    "griddata 2D cubic": (
        "from geoent.interpolate import griddata; "
        'griddata(p2, p2[:, 0], rng.random((50, 2)), method="cubic")',
        None,
    ),
    "LinearNDInterpolator 3D": (
        "from geoent.interpolate import LinearNDInterpolator as L; "
        "L(p3, p3[:, 0])(rng.random((50, 3)))",
        None,
    ),
}


def _aot_in_use():
    if _aot.status() != "aot":
        pytest.skip(f"no AOT module in use ({_aot.status()})")


def _run(code, strict=True):
    env = dict(os.environ, PYTHONPATH=_SRC)
    env.pop("GEOENT_JIT_ONLY", None)
    if not strict:  # the tests' strict argument check raises instead of falling back
        env.pop("GEOENT_AOT_CHECK", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _imports_of(statement):
    return _run(
        _PRELUDE
        + f"{statement}\n"
        + "print(json.dumps({'aot': g._aot.status(), 'numba': 'numba' in sys.modules,"
        + " 'spatial': 'scipy.spatial' in sys.modules}))\n"
    )


@pytest.mark.parametrize("name", list(_CALLS))
def test_compiled_calls_import_neither_numba_nor_scipy_spatial(name):
    _aot_in_use()
    statement, spatial_ok = _CALLS[name]
    seen = _imports_of(statement)
    assert seen["aot"] == "aot", seen
    assert not seen["numba"], f"{name} imported numba on the AOT path"
    if spatial_ok is False:
        assert not seen["spatial"], f"{name} imported scipy.spatial"
    elif spatial_ok:
        assert seen["spatial"]  # a subclass of scipy's class: scipy.spatial is its base


def test_the_compiled_module_and_the_kernel_package_load_without_numba():
    _aot_in_use()
    seen = _run(
        "import json, sys\n"
        "from geoent._kernels import _aot_kernels as m\n"
        "print(json.dumps({'numba': 'numba' in sys.modules, 'hash': int(m.aot_source_hash())}))\n"
    )
    assert not seen["numba"] and seen["hash"] == _aot.source_hash()


def test_other_dtypes_still_reach_the_jit_kernel_in_a_fresh_process():
    # an argument the export does not take (int64 coordinates straight to a kernel)
    # loads the kernel module (numba) and gives the JIT kernel's answer
    _aot_in_use()
    seen = _run(
        "import json, sys, numpy as np\n"
        "from geoent._aot import kernels_of\n"
        "k = kernels_of('floats')\n"
        "out = k.range_stats(np.array([3.0, -7.0, 1.0]))\n"
        "before = 'numba' in sys.modules\n"
        "out2 = k.range_stats(np.array([3, -7, 1], dtype=np.int64))\n"
        "print(json.dumps({'f': [float(v) for v in out], 'i': [float(v) for v in out2],"
        " 'before': before, 'after': 'numba' in sys.modules}))\n",
        strict=False,
    )
    assert not seen["before"] and seen["after"]
    assert seen["f"] == seen["i"]


def test_compiled_constants_equal_the_kernel_modules():
    """Proxies answer ``kernels_of(m).NAME`` from exports ``m__const__NAME``: each
    equals the module's own, and every int or float constant of an exported module
    is there (a missing one would import the module, and numba, silently)."""
    _aot_in_use()
    import importlib

    from geoent._kernels.aot_signatures import EXPORTS

    mod = _aot.module()
    modules = sorted({name.split("__")[0] for name in EXPORTS})
    checked = 0
    for m in modules:
        kmod = importlib.import_module(f"geoent._kernels.{m}")
        for cname, value in vars(kmod).items():
            if not cname.isupper() or cname.startswith("_"):
                continue
            if type(value) is int and -(2**63) <= value < 2**63 or type(value) is float:
                export = getattr(mod, f"{m}__const__{cname}")
                assert export() == value or (value != value and export() != export()), cname
                checked += 1
    assert checked >= 8  # hull3d's counters, hull2d_small's codes, delaunay2d.OK, ...
    k = _aot.kernels_of("hull2d_small")
    from geoent._kernels import hull2d_small

    assert (k.RESCALE, k.NOT_FINITE) == (hull2d_small.RESCALE, hull2d_small.NOT_FINITE)


def test_lowmem_stage_starts_above_the_jit_threshold():
    # geoent._hull2d leaves _hull2d_lowmem (numba kernels) unimported below
    # MIN_POINTS: right only while its threshold is at least that
    from geoent._hull2d_lowmem import MIN_SURVIVORS
    from geoent._interrupt import MIN_POINTS

    assert MIN_SURVIVORS >= MIN_POINTS


def test_jit_only_runs_and_imports_numba():
    code = (
        _PRELUDE
        + "h = g.convex_hull(p2)\n"
        + "print(json.dumps({'aot': g._aot.status(), 'numba': 'numba' in sys.modules,"
        + " 'h': h.tolist()}))\n"
    )
    env = dict(os.environ, PYTHONPATH=_SRC, GEOENT_JIT_ONLY="1")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600
    )
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["aot"] == "jit-only" and seen["numba"]
    p2 = np.random.default_rng(0).random((1000, 2))
    assert seen["h"] == geoent.convex_hull(p2).tolist()


def test_classes_and_functions_stay_importable_from_their_modules():
    from scipy import spatial

    from geoent import hull, triangulation
    from geoent.hull import ConvexHull
    from geoent.triangulation import Delaunay

    assert ConvexHull is geoent.ConvexHull and issubclass(ConvexHull, spatial.ConvexHull)
    assert Delaunay is geoent.Delaunay and issubclass(Delaunay, spatial.Delaunay)
    assert set(hull.__all__) <= set(dir(hull)) | {"ConvexHull"}
    with pytest.raises(AttributeError):
        hull.no_such_name  # noqa: B018
    with pytest.raises(AttributeError):
        triangulation.no_such_name  # noqa: B018
