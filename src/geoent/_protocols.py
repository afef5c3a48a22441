"""The protocols of the objects users may pass instead of arrays: a filter hint for
the 2D hull (``hint=``) and an insertion order for the triangulation (``order=``).
``geoent.torch.EntropyNet`` implements both.

Both methods receive the validated points as a read-only float64 (n, 2) array.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["DelaunayOrder", "HullHint"]


@runtime_checkable
class HullHint(Protocol):
    """An object that proposes a filter polygon for ``convex_hull(points, hint=...)``.

    ``hull_hint(points)`` returns what ``hint`` accepts as an array: an int array
    (k,) of point indices or a float array (k, 2) of directions. The hull is exact
    whatever it returns; a good hint only makes it faster.
    """

    def hull_hint(self, points: np.ndarray) -> np.ndarray: ...


@runtime_checkable
class DelaunayOrder(Protocol):
    """An object that proposes an insertion order for ``delaunay(points, order=...)``.

    ``delaunay_order(points)`` returns a permutation of ``range(n)`` (int array).
    Any permutation gives a valid Delaunay triangulation; the order decides the
    time, and the diagonals chosen among cocircular points.
    """

    def delaunay_order(self, points: np.ndarray) -> np.ndarray: ...
