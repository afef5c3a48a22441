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

from . import predicates, testing
from ._scipy_compat import QhullError
from .entropy import EntropyResult, is_respectful, range_partition_entropy
from .errors import GeometryError, InputError, RangeError
from .hull import ConvexHull, convex_hull, convex_hulls
from .triangulation import Delaunay, delaunay
from .voronoi import Voronoi

__version__ = "0.1.0"

__all__ = [
    "GeometryError",
    "InputError",
    "RangeError",
    "QhullError",
    "ConvexHull",
    "convex_hull",
    "convex_hulls",
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
