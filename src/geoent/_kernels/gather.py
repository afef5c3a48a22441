"""Gathers: contiguous coordinate arrays of the points an index array picks, in one
pass (numba indexes a 2-D array through run-time strides; the hot loops of the
engines want unit-stride 1-D arrays).
"""

import numpy as np
from numba import njit


@njit(cache=True)
def gather_xy(q, idx, k):
    """Contiguous x and y of the points idx[:k] (q is the flat (n * 2,) view)."""
    xs = np.empty(k)
    ys = np.empty(k)
    for t in range(k):
        i = idx[t]
        xs[t] = q[2 * i]
        ys[t] = q[2 * i + 1]
    return xs, ys


@njit(cache=True, nogil=True)
def gather_xy_extent(pts, perm, cancel):
    """``pts[perm, 0]``, ``pts[perm, 1]`` in one pass, with the largest and the
    smallest nonzero ``|coordinate|`` (0.0 and inf when all are zero).

    Reads ``cancel[0]`` (Ctrl-C, ``geoent._interrupt``) every 65,536 points and
    returns unfinished arrays once it is set: the caller's ``checkpoint()`` drops
    them."""
    n = perm.shape[0]
    xs = np.empty(n)
    ys = np.empty(n)
    amax = 0.0
    amin = np.inf
    for k in range(n):
        if (k & 65535) == 0 and cancel[0]:
            break
        i = perm[k]
        xv = pts[i, 0]
        yv = pts[i, 1]
        xs[k] = xv
        ys[k] = yv
        ax = abs(xv)
        ay = abs(yv)
        amax = max(amax, ax, ay)
        if ax > 0.0:
            amin = min(amin, ax)
        if ay > 0.0:
            amin = min(amin, ay)
    return xs, ys, amax, amin


@njit(cache=True, nogil=True)
def gather_xyz(P, idx):
    """Contiguous x, y and z of the points idx of the (n, 3) array P."""
    m = idx.shape[0]
    X = np.empty(m)
    Y = np.empty(m)
    Z = np.empty(m)
    for t in range(m):
        i = idx[t]
        X[t] = P[i, 0]
        Y[t] = P[i, 1]
        Z[t] = P[i, 2]
    return X, Y, Z
