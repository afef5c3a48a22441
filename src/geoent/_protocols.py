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

    Examples
    --------
    >>> import numpy as np, geoent
    >>> class FirstThree:
    ...     def hull_hint(self, points):
    ...         return np.arange(3)
    >>> isinstance(FirstThree(), HullHint)
    True
    >>> geoent.convex_hull([[0, 0], [4, 0], [0, 4], [1, 1], [4, 4]], hint=FirstThree()).tolist()
    [0, 1, 4, 2]
    """

    def hull_hint(self, points: np.ndarray) -> np.ndarray: ...


@runtime_checkable
class DelaunayOrder(Protocol):
    """An object that proposes an insertion order for ``delaunay(points, order=...)``.

    ``delaunay_order(points)`` returns a permutation of ``range(n)`` (int array).
    Any permutation gives a valid Delaunay triangulation; the order decides the
    time, and the diagonals chosen among cocircular points.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> class Reversed:
    ...     def delaunay_order(self, points):
    ...         return np.arange(points.shape[0])[::-1]
    >>> isinstance(Reversed(), DelaunayOrder)
    True
    >>> geoent.delaunay([[0, 0], [1, 0], [0, 1]], order=Reversed()).shape
    (1, 3)
    """

    def delaunay_order(self, points: np.ndarray) -> np.ndarray: ...
