"""2D convex hull kernels (exact, on the exact orient2d)."""

import numpy as np
from numba import njit

from .predicates import orient2d


@njit(cache=True)
def monotone_chain(x, y, order):
    """Andrew's monotone chain over points visited in lexicographic ``order``.

    ``order`` holds distinct points sorted by (x, y). Returns the strictly convex
    vertices, counter-clockwise, from the lexicographically smallest; collinear
    boundary points are dropped because a turn must be strictly left
    (orient2d > 0) to be kept.
    """
    n = order.shape[0]
    hull = np.empty(2 * n + 1, dtype=np.int64)
    k = 0
    # lower hull
    for t in range(n):
        i = order[t]
        while k >= 2 and orient2d(
            x[hull[k - 2]], y[hull[k - 2]], x[hull[k - 1]], y[hull[k - 1]], x[i], y[i]
        ) <= 0.0:
            k -= 1
        hull[k] = i
        k += 1
    lower = k
    # upper hull
    for t in range(n - 2, -1, -1):
        i = order[t]
        while k > lower and orient2d(
            x[hull[k - 2]], y[hull[k - 2]], x[hull[k - 1]], y[hull[k - 1]], x[i], y[i]
        ) <= 0.0:
            k -= 1
        hull[k] = i
        k += 1
    # the chain closes on its first vertex; drop the repeat (a single point has none)
    if k > 1:
        k -= 1
    return hull[:k].copy()
