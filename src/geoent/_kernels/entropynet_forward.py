"""EntropyNet's hull-hint forward pass in one numba call (no torch, no per-op numpy
overhead): normalisation of the sample, the per-point MLP, pooling, trunk, direction
head, and the map of the directions back to the input's frame.

Measured (1e6 uniform points, median of 200 calls, shared 2-core Xeon): the same
pass written as numpy operations took 210-320 us, most of it the overhead of some
thirty small calls; torch's forward 0.6-1.2 ms. Layers are plain loops (no BLAS).
The directions only steer the hull filter, so nothing here needs to be exact.
"""

import math

import numpy as np
from numba import njit


@njit(cache=True)
def normalise(s):
    """``(y, centre, w)`` of ``geoent.torch.models.normalise_numpy`` for a sample
    (m, 2) float64, with the 2 x 2 inverse square root in closed form: for symmetric
    positive definite C, s = sqrt(det C), t = sqrt(tr C + 2 s), C^(-1/2) = t (C + s
    I)^(-1)."""
    m = s.shape[0]
    cx = 0.0
    cy = 0.0
    for i in range(m):
        cx += s[i, 0]
        cy += s[i, 1]
    cx /= m
    cy /= m
    a = 0.0
    b = 0.0
    c = 0.0
    for i in range(m):
        dx = s[i, 0] - cx
        dy = s[i, 1] - cy
        a += dx * dx
        b += dx * dy
        c += dy * dy
    a /= m
    b /= m
    c /= m
    tr = a + c
    if not tr > 0.0:
        tr = 1.0
    # in units of the trace (entries at most 1, the regularised determinant at least
    # about 1e-6), so tiny or huge coordinates neither underflow nor overflow here:
    # C^(-1/2) = (C / tr)^(-1/2) / sqrt(tr)
    a = a / tr + 1e-6
    b = b / tr
    c = c / tr + 1e-6
    sd = math.sqrt(max(a * c - b * b, 0.0))
    t = math.sqrt(a + c + 2.0 * sd)
    det = (a + sd) * (c + sd) - b * b
    f = t / (det * math.sqrt(tr))
    w = np.empty((2, 2))
    w[0, 0] = (c + sd) * f
    w[0, 1] = -b * f
    w[1, 0] = -b * f
    w[1, 1] = (a + sd) * f
    y = np.empty((m, 2))
    r2 = 0.0
    for i in range(m):
        dx = s[i, 0] - cx
        dy = s[i, 1] - cy
        u = dx * w[0, 0] + dy * w[1, 0]
        v = dx * w[0, 1] + dy * w[1, 1]
        y[i, 0] = u
        y[i, 1] = v
        r2 = max(r2, u * u + v * v)
    r = math.sqrt(r2)
    if not r > 0.0:
        r = 1.0
    for i in range(m):
        y[i, 0] /= r
        y[i, 1] /= r
    w /= r
    centre = np.empty(2)
    centre[0] = cx
    centre[1] = cy
    return y, centre, w


# fastmath lets LLVM fuse multiply-adds and reassociate the pooled sums: allowed here
# (DESIGN forbids it only where an exact predicate is inlined; nothing here is one)
@njit(cache=True, fastmath=True)
def hull_directions(s, w1, b1, w2, b2, w3, b3, wt, bt, wd, bd):
    """Unit directions (K, 2) float64 in the input's frame for the sample ``s`` (m, 2).

    Weights are float32, stored as ``x @ W + b`` (the transposes of torch's Linear
    weights); K = ``wd.shape[1] - 2``. Layers, pooling and the direction
    parametrisation are those of ``geoent.torch.models.EntropyNet``.
    """
    y, _, w = normalise(s)
    m = y.shape[0]
    h1n = w1.shape[1]
    h2n = w2.shape[1]
    width = w3.shape[1]
    h1 = np.empty(h1n, dtype=np.float32)
    h2 = np.empty(h2n, dtype=np.float32)
    h3 = np.empty(width, dtype=np.float32)
    feat = np.empty(2 * width, dtype=np.float32)
    for j in range(width):
        feat[j] = -np.inf
        feat[width + j] = np.float32(0.0)
    # one point at a time through the three layers, pooled on the fly: every
    # intermediate stays in L1, and each inner loop runs over output units (no
    # reduction there, so it vectorises)
    for i in range(m):
        x0 = np.float32(y[i, 0])
        x1 = np.float32(y[i, 1])
        rr = np.float32(math.sqrt(x0 * x0 + x1 * x1))
        for j in range(h1n):
            h1[j] = max(x0 * w1[0, j] + x1 * w1[1, j] + rr * w1[2, j] + b1[j], np.float32(0.0))
        for j in range(h2n):
            h2[j] = b2[j]
        for t in range(h1n):
            av = h1[t]
            for j in range(h2n):
                h2[j] += av * w2[t, j]
        for j in range(h2n):
            h2[j] = max(h2[j], np.float32(0.0))
        for j in range(width):
            h3[j] = b3[j]
        for t in range(h2n):
            av = h2[t]
            for j in range(width):
                h3[j] += av * w3[t, j]
        for j in range(width):
            feat[j] = max(feat[j], h3[j])
            feat[width + j] += h3[j]
    for j in range(width):
        feat[width + j] /= np.float32(m)
    z = np.empty(wt.shape[1], dtype=np.float32)
    for j in range(wt.shape[1]):
        acc = bt[j]
        for i in range(2 * width):
            acc += feat[i] * wt[i, j]
        z[j] = acc if acc > 0 else np.float32(0.0)
    nout = wd.shape[1]
    out = np.empty(nout)
    for j in range(nout):
        acc = bd[j]
        for i in range(z.shape[0]):
            acc += z[i] * wd[i, j]
        out[j] = acc
    k = nout - 2
    phi = math.atan2(out[1], out[0]) / k
    d = np.empty((k, 2))
    for t in range(k):
        theta = t * (2 * math.pi / k) + phi + (0.45 * 2 * math.pi / k) * math.tanh(out[2 + t])
        cx = math.cos(theta)
        cy = math.sin(theta)
        # back to the input's frame: w is symmetric, d = d_w @ w
        ux = cx * w[0, 0] + cy * w[1, 0]
        uy = cx * w[0, 1] + cy * w[1, 1]
        nrm = math.sqrt(ux * ux + uy * uy)
        d[t, 0] = ux / nrm
        d[t, 1] = uy / nrm
    return d
