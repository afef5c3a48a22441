"""Hilbert keys of points already warped into the unit square (EntropyNet's order head)."""

import numpy as np
from numba import njit


@njit(cache=True)
def hilbert_keys_unit(u, v, bits):
    """Hilbert-curve index of each (u[i], v[i]) in [0, 1]^2 on a 2^bits grid.

    No predicate is involved: an insertion order only needs to be deterministic,
    not exact, so plain floating point is fine here.
    """
    n = u.shape[0]
    side = 1 << bits
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        x = np.int64(min(max(u[i], 0.0), 1.0) * (side - 1))
        y = np.int64(min(max(v[i], 0.0), 1.0) * (side - 1))
        d = np.int64(0)
        s = side >> 1
        while s > 0:
            rx = 1 if (x & s) > 0 else 0
            ry = 1 if (y & s) > 0 else 0
            d += np.int64(s) * np.int64(s) * ((3 * rx) ^ ry)
            if ry == 0:
                if rx == 1:
                    x = side - 1 - x
                    y = side - 1 - y
                x, y = y, x
            s >>= 1
        keys[i] = d
    return keys
