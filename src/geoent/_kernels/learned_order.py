"""EntropyNet's O(n) passes: Hilbert keys of the learned curve, the restructure field.

Neither involves a predicate: an insertion order only needs to be deterministic, and
the restructure mode is approximate by definition, so plain floating point is fine.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def hilbert_keys_unit(u, v, bits):
    """Hilbert-curve index of each (u[i], v[i]) in [0, 1]^2 on a 2^bits grid (bits <= 31)."""
    n = u.shape[0]
    side = np.int64(1) << bits
    keys = np.empty(n, dtype=np.int64)
    for i in range(n):
        x = np.int64(min(max(u[i], 0.0), 1.0) * (side - 1))
        y = np.int64(min(max(v[i], 0.0), 1.0) * (side - 1))
        d = np.int64(0)
        s = side >> 1
        while s > 0:
            rx = 1 if (x & s) > 0 else 0
            ry = 1 if (y & s) > 0 else 0
            d += s * s * ((3 * rx) ^ ry)
            if ry == 0:
                if rx == 1:
                    x = side - 1 - x
                    y = side - 1 - y
                x, y = y, x
            s >>= 1
        keys[i] = d
    return keys


@njit(cache=True)
def apply_field(pts, c, w, winv, field, extent):
    """Move every point by the bilinear value of ``field`` at its normalised position.

    ``y = (p - c) @ w`` is the normalised frame; ``field`` (2, G, G) holds displacements
    there on [-extent, extent]^2 (rows along y, clamped at the border), mapped back to
    the input frame by ``winv``. The numpy twin is
    ``geoent.torch.models.displacement_numpy``.
    """
    n = pts.shape[0]
    g = field.shape[1]
    half = 0.5 * (g - 1)
    out = np.empty_like(pts)
    for i in range(n):
        d0 = pts[i, 0] - c[0]
        d1 = pts[i, 1] - c[1]
        t0 = (min(max((d0 * w[0, 0] + d1 * w[1, 0]) / extent, -1.0), 1.0) + 1.0) * half
        t1 = (min(max((d0 * w[0, 1] + d1 * w[1, 1]) / extent, -1.0), 1.0) + 1.0) * half
        cx = min(np.int64(t0), g - 2)
        cy = min(np.int64(t1), g - 2)
        fx = t0 - cx
        fy = t1 - cy
        top = field[0, cy, cx] * (1 - fx) + field[0, cy, cx + 1] * fx
        bottom = field[0, cy + 1, cx] * (1 - fx) + field[0, cy + 1, cx + 1] * fx
        s0 = top * (1 - fy) + bottom * fy
        top = field[1, cy, cx] * (1 - fx) + field[1, cy, cx + 1] * fx
        bottom = field[1, cy + 1, cx] * (1 - fx) + field[1, cy + 1, cx + 1] * fx
        s1 = top * (1 - fy) + bottom * fy
        out[i, 0] = pts[i, 0] + s0 * winv[0, 0] + s1 * winv[1, 0]
        out[i, 1] = pts[i, 1] + s0 * winv[0, 1] + s1 * winv[1, 1]
    return out
