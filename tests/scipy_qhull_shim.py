"""Load scipy's own ``test_qhull.py`` with ``Delaunay`` and ``ConvexHull`` bound to geoent's.

The file is read from the installed scipy (``scipy/spatial/tests/test_qhull.py``),
never copied into this repository. Its one line ``import scipy.spatial._qhull as
qhull`` is replaced, in memory, by a namespace that is scipy's ``_qhull`` module
with ``Delaunay``, ``ConvexHull`` and ``tsearch`` replaced by geoent's; everything
else in the file (its data sets, helpers, ``QhullError``, ``Voronoi``) is scipy's.
The module is executed under its own ``__file__`` so that its data files load.
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import types

import scipy.spatial._qhull as _scipy_qhull

import geoent

IMPORT_LINE = "import scipy.spatial._qhull as qhull\n"


def scipy_test_path():
    spec = importlib.util.find_spec("scipy.spatial")
    return pathlib.Path(spec.origin).parent / "tests" / "test_qhull.py"


def geoent_qhull_namespace():
    ns = types.ModuleType("geoent_qhull_shim")
    for name in dir(_scipy_qhull):
        if not name.startswith("__"):
            setattr(ns, name, getattr(_scipy_qhull, name))
    ns.Delaunay = geoent.Delaunay
    ns.ConvexHull = geoent.ConvexHull
    ns.tsearch = lambda tri, xi: tri.find_simplex(xi)
    return ns


def load():
    """scipy's test module, executed with ``qhull`` bound to the geoent namespace."""
    name = "scipy_test_qhull_on_geoent"
    if name in sys.modules:
        return sys.modules[name]
    path = scipy_test_path()
    src = path.read_text()
    if src.count(IMPORT_LINE) != 1:
        raise RuntimeError(f"{path}: expected exactly one line {IMPORT_LINE.strip()!r}")
    src = src.replace(IMPORT_LINE, "qhull = __geoent_qhull__\n")
    mod = types.ModuleType(name)
    mod.__file__ = str(path)
    mod.__geoent_qhull__ = geoent_qhull_namespace()
    sys.modules[name] = mod
    exec(compile(src, str(path), "exec"), mod.__dict__)
    return mod
