"""A kernel with four orient2d call sites (external adaptive stage)."""

from extpred import orient2d as o2
from numba import njit


@njit(cache=True)
def chain(x, y):
    s = 0.0
    for i in range(x.shape[0] - 2):
        s += o2(x[i], y[i], x[i + 1], y[i + 1], x[i + 2], y[i + 2]) > 0
        s += o2(x[i + 1], y[i + 1], x[i], y[i], x[i + 2], y[i + 2]) > 0
        s += o2(x[i], y[i], x[i + 2], y[i + 2], x[i + 1], y[i + 1]) > 0
        s += o2(x[i + 2], y[i + 2], x[i], y[i], x[i + 1], y[i + 1]) > 0
    return s
