"""EntropyNet's restructure field, applied in one O(n) pass (the keys of its learned
curve are ``ordering.hilbert_keys_unit``).

No predicate is involved: the restructure mode is approximate by definition, so plain
floating point is fine.
"""

import numpy as np
from numba import njit


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
