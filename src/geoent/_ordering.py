"""The Python drivers of the spatial insertion orders (``hilbert_order``,
``multiscale_hilbert_order``, ``brio_order``) and the Hilbert lookup table: see
:mod:`geoent._kernels.ordering` (which re-exports them) for the orders themselves.

Apart from the kernels so that a call answered by the compiled exports
(``geoent._aot``) imports no numba.
"""

import numpy as np

from ._aot import kernels_of

# Ctrl-C: between the steps of the Python drivers, and around numpy's sort
from ._interrupt import cancel_flag, checkpoint, wait_for

__all__ = [
    "HILBERT_TABLE",
    "brio_order",
    "hilbert_order",
    "hilbert_sort_indices",
    "multiscale_hilbert_order",
]

#: the ordering kernels as the drivers below call them: compiled ahead of time
#: where built (geoent._aot), else the @njit functions (resolved on first use)
_aotk = kernels_of("ordering")


def _hilbert_table():
    """Lookup table for 4 curve levels at once.

    Index ``state << 8 | xbits4 << 4 | ybits4`` gives ``new_state << 8 | digits8``.
    A state is a symmetry of the square (bit 0: swap x and y, bit 1: complement),
    the standard 2D Hilbert curve from (0, 0) to (1, 0).
    """
    table = np.empty(4 * 256, np.uint16)
    for state in range(4):
        for xb in range(16):
            for yb in range(16):
                sw, cp = state & 1, state >> 1
                d = 0
                for lvl in range(3, -1, -1):
                    bx = ((xb >> lvl) & 1) ^ cp
                    by = ((yb >> lvl) & 1) ^ cp
                    if sw:
                        bx, by = by, bx
                    d = (d << 2) | ((3 * bx) ^ by)
                    if by == 0:
                        sw ^= 1
                        if bx == 1:
                            cp ^= 1
                table[(state << 8) | (xb << 4) | yb] = ((sw | (cp << 1)) << 8) | d
    return table


HILBERT_TABLE = _hilbert_table()
_NO_PREFIX = np.empty(0, np.int64)


def hilbert_sort_indices(x, y, idx, leaf=8, prefix=_NO_PREFIX, prefix_bits=0):
    """Sort the point indices ``idx`` (int64, in place) along the Hilbert curve of
    their bounding box: fixed-grid keys and one integer sort, then crowded cells
    refined on their own boxes. Deterministic: ties keep their current order.
    With a ``prefix`` (non-negative ints below ``2**prefix_bits``, one per entry of
    ``idx``) the points are grouped by prefix first, each group along the curve."""
    m = idx.shape[0]
    if m <= 1:
        return
    idx_bits = max(1, int(m - 1).bit_length())
    cancel = cancel_flag()
    words, single = _aotk.hilbert_keys(
        x, y, idx, HILBERT_TABLE, idx_bits, prefix, prefix_bits, cancel
    )
    checkpoint()  # the kernels stop early once Ctrl-C came: never use their output then
    if single and prefix_bits == 0:
        return
    # numpy's sort (0.2 s per 1e7 words, 4x faster than radix_sort_u64) reads no
    # flag: wait_for runs it so that Ctrl-C releases the caller at once
    wait_for(words.sort)
    checkpoint()
    _aotk.refine_runs(x, y, idx, words, idx_bits, HILBERT_TABLE, leaf, _NO_PREFIX, cancel)
    checkpoint()


def hilbert_order(x, y, leaf=8):
    """The Hilbert permutation of ``range(len(x))`` (int64): plain curve order."""
    idx = np.arange(x.shape[0], dtype=np.int64)
    hilbert_sort_indices(x, y, idx, leaf)
    return idx


def multiscale_hilbert_order(x, y, base=8, leaf=8):
    """Hilbert order in rounds (:func:`multiscale` of :func:`hilbert_order`)."""
    h = hilbert_order(x, y, leaf)
    checkpoint()
    out = _aotk.multiscale(h, base, cancel_flag())
    checkpoint()
    return out


def brio_order(x, y, ratio=0.25, leaf=8, seed=0x9E3779B97F4A7C15):
    """A BRIO permutation of ``range(len(x))`` (int64).

    Biased randomized insertion order (Amenta, Choi and Rote 2003): each point
    draws a round, level ``L`` with probability ``ratio**L * (1 - ratio)`` (a
    hash of its index with a fixed seed, so the order is the same every call),
    rounds go from the sparsest (highest level, about 64 points expected) to the
    densest, and each round follows the Hilbert curve. One integer sort does it
    all: the round sits in the top bits of the packed curve keys. ``ratio=0.25``
    matches CGAL's multiscale spatial sort; ``0.5`` is the classic BRIO.
    """
    n = x.shape[0]
    idx = np.arange(n, dtype=np.int64)
    if n <= 1:
        return idx
    top = 0
    while n * ratio ** (top + 1) >= 64 and top < 31:
        top += 1
    rounds = _aotk._brio_rounds(n, float(ratio), top, np.uint64(seed), cancel_flag())
    checkpoint()
    hilbert_sort_indices(x, y, idx, leaf, rounds, 5)
    return idx
