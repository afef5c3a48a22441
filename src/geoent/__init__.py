"""geoent: entropy-aware exact computational geometry.

Exact convex hulls and Delaunay triangulations whose running time adapts to the
structure of the input (range-partition entropy), a certified measure of that
entropy, and a differentiable estimator of it for PyTorch (``geoent.torch``).

Examples
--------
>>> import numpy as np, geoent
>>> pts = np.array([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2]])
>>> geoent.convex_hull(pts).tolist()
[0, 1, 3, 4]
"""

import importlib

from .errors import GeometryError, InputError, RangeError

# The public names load their modules on first use (PEP 562), so ``import geoent``
# costs only this file and errors.py: the kernels pull in numba (and numba pulls in
# scipy), about 0.4 s before any call is made. ``from geoent import convex_hull``
# and ``geoent.convex_hull(...)`` import the module that defines the name then.
_LAZY = {
    "ConvexHull": "hull",
    "convex_hull": "hull",
    "convex_hulls": "hull",
    "Delaunay": "triangulation",
    "delaunay": "triangulation",
    "Voronoi": "voronoi",
    "EntropyResult": "entropy",
    "is_respectful": "entropy",
    "range_partition_entropy": "entropy",
    "predicates": None,
    "testing": None,
    "geo": None,
    "interpolate": None,
    "QhullError": "_scipy_compat",
}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'geoent' has no attribute {name!r}")
    module = _LAZY[name]
    if module is None:
        value = importlib.import_module(f".{name}", __name__)
    else:
        value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__version__ = "0.1.0"

__all__ = [
    "GeometryError",
    "InputError",
    "RangeError",
    "QhullError",
    "ConvexHull",
    "convex_hull",
    "convex_hulls",
    "geo",
    "Delaunay",
    "delaunay",
    "Voronoi",
    "testing",
    "EntropyResult",
    "is_respectful",
    "range_partition_entropy",
    "predicates",
    "__version__",
]
