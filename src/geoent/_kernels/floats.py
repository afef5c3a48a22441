"""Float helpers shared by the kernel families: vectorisable min/max, range statistics.

* ``fmin``/``fmax`` call ``llvm.minnum``/``llvm.maxnum`` with the ``nnan nsz``
  flags: the only form in which a float min/max reduction vectorises (Python's
  ``min`` compiles to a compare-and-branch chain). min/max of non-NaN values return
  one of their arguments exactly, so no sign a predicate depends on can change, and
  no function that uses them needs ``fastmath``.
* :func:`range_stats` gives the largest and smallest nonzero magnitude and the count
  of non-finite values in one pass, for the exponent-window check of
  ``geoent._validation``.
* ``U`` and ``TINY`` are the constants the error bounds of the float filters are
  written in.
"""

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.core.extending import intrinsic

U = 2.0**-53  # unit roundoff
TINY = 1e-280  # absolute slack for products that could fall below the normal range
_BLOCK = 512


def _minmax_intrinsic(name):
    @intrinsic
    def _op(typingctx, a, b):
        sig = types.float64(types.float64, types.float64)

        def codegen(context, builder, signature, args):
            d = ir.DoubleType()
            fn = cgutils.get_or_insert_function(builder.module, ir.FunctionType(d, [d, d]), name)
            # nnan/nsz let LLVM turn the reduction into vminpd/vmaxpd; inputs are finite.
            return builder.call(fn, args, fastmath=("nnan", "nsz"))

        return sig, codegen

    return _op


fmin = _minmax_intrinsic("llvm.minnum.f64")
fmax = _minmax_intrinsic("llvm.maxnum.f64")


# ---------------------------------------------------------------------------
# range statistics (for the exponent window) without a filter
# ---------------------------------------------------------------------------


MAXF = 1.7976931348623157e308


@njit(inline="always")
def _stats_block(qb, amax, amin, bad):
    for j in range(qb.shape[0]):
        a = abs(qb[j])
        bad += np.uint8(1) - np.uint8(a <= MAXF)  # NaN and inf fail a <= max
        amax = fmax(amax, a)
        # zero -> 1e308 without a select (a select here stops vectorisation)
        amin = fmin(amin, a + np.float64(a == 0.0) * 1e308)
    return amax, amin, bad


@njit(cache=True)
def range_stats(q):
    """(max |v|, min nonzero |v|, count of non-finite values) over a flat array.

    The minimum is 1e308 or more when no value is nonzero and below 1e308; callers
    only compare it with the exponent window, where that reads as "out of range
    above" exactly when some |v| >= 1e308 (else max |v| is 0). With non-finite
    values present the two extremes are meaningless.
    """
    amax = 0.0
    amin = np.inf
    bad = 0
    n = q.shape[0]
    for base in range(0, n, 4 * _BLOCK):
        amax, amin, bad = _stats_block(q[base : min(n, base + 4 * _BLOCK)], amax, amin, bad)
    return amax, amin, bad


# ---------------------------------------------------------------------------
# a fused multiply-add and a trailing-zero count for the filter passes
# ---------------------------------------------------------------------------


@intrinsic
def fma(typingctx, a, b, c):
    """``a * b + c`` rounded once (``llvm.fma.f64``: correctly rounded on every target,
    a vfmadd where the CPU has FMA). Not a contraction left to the compiler: the
    error bounds of the filters are written for exactly this operation."""
    sig = types.float64(types.float64, types.float64, types.float64)

    def codegen(context, builder, signature, args):
        d = ir.DoubleType()
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(d, [d, d, d]), "llvm.fma.f64"
        )
        return builder.call(fn, args)

    return sig, codegen


@intrinsic
def cttz(typingctx, a):
    """Count of trailing zero bits of a nonzero uint64 (``llvm.cttz.i64``)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        i64 = ir.IntType(64)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(i64, [i64, ir.IntType(1)]), "llvm.cttz.i64"
        )
        return builder.call(fn, [args[0], ir.Constant(ir.IntType(1), 1)])

    return sig, codegen


@njit(inline="always")
def compact_keep(keep, c_n, cnt, base, qb, out, xy, k):
    """Append ``base + j`` to ``out[k:]`` and the point ``(qb[2j], qb[2j + 1])`` to
    ``xy[2k:]`` for every j < c_n with ``keep[j]`` (0 or 1; ``cnt`` of them);
    returns ``(k, bad)``, the new k and the count of non-finite coordinates among
    the appended points.

    Survivors are rare (a few per 512-point block), so the mask is read 8 bytes at a
    time (little-endian: byte b is bits 8b..8b+7) and each set byte found by a
    trailing-zero count: a byte loop costs a branch per point (measured: 0.6 of 2.0
    ms of an 8-edge round 1 over 1e6 points; this, 0.2-0.3). In a sparse block most
    words hold no survivor or one: the first is written without a branch (always
    stored at ``out[k]``, counted only when there is one; so ``out`` must have room
    for ``k + c_n`` entries), only further ones loop, and the coordinates are
    copied (and checked for finiteness) in a loop of their own (session 7: a loop
    per word mispredicted its exit about once a word; 1e6 strip, frame pass 1.15
    -> 1.08 ms). A dense block (more than 1 in 8 kept: an annulus) copies in the
    word loop, which is then the faster. The coordinates are copied while the block
    is in L1: gathered later from the input, each survivor cost a cache miss (0.7
    ms for 21k survivors of 1e6 points). Only the first ``xy.shape[0] // 2``
    survivors are copied (the caller bounds the copy's memory and falls back to
    gathering when more survive). ``keep`` must be 8-byte aligned (a fresh
    ``np.empty``) and c_n <= its length.
    """
    cap = xy.shape[0] // 2
    k0 = k
    bad = 0
    nw = c_n // 8
    w64 = keep[: 8 * nw].view(np.uint64)
    if 8 * cnt > c_n:
        for wi in range(nw):
            w = w64[wi]
            while w:
                j = 8 * wi + np.int64(cttz(w) >> np.uint64(3))
                out[k] = base + j
                x = qb[2 * j]
                y = qb[2 * j + 1]
                if k < cap:
                    xy[2 * k] = x
                    xy[2 * k + 1] = y
                bad += np.int64(not abs(x) <= MAXF) + np.int64(not abs(y) <= MAXF)
                k += 1
                w &= w - np.uint64(1)
        k0 = k  # the tail below: copied in the loop after it
    else:
        for wi in range(nw):
            w = w64[wi]
            # the lowest set byte; none: bit 63 (byte 7), written but not counted
            out[k] = base + 8 * wi + np.int64(cttz(w | np.uint64(1 << 63)) >> np.uint64(3))
            k += np.int64(w != 0)
            w &= w - np.uint64(1)
            while w:
                out[k] = base + 8 * wi + np.int64(cttz(w) >> np.uint64(3))
                k += 1
                w &= w - np.uint64(1)
    for j in range(8 * nw, c_n):
        if keep[j]:
            out[k] = base + j
            k += 1
    for i in range(k0, k):
        j = 2 * (out[i] - base)
        x = qb[j]
        y = qb[j + 1]
        if i < cap:
            xy[2 * i] = x
            xy[2 * i + 1] = y
        bad += np.int64(not abs(x) <= MAXF) + np.int64(not abs(y) <= MAXF)
    return k, bad


@intrinsic
def prefer_wide_vectors(typingctx):
    """Let LLVM vectorise the calling kernel with 512-bit registers where the CPU has
    them (the function attribute ``"prefer-vector-width"="512"``; by default LLVM
    keeps to 256 bits on AVX-512 CPUs). For the round-1 filter passes, whose loop is
    bound by compares and shuffles on one port, 512 bits measured 15-20% faster
    (1e6 points, CPU time; see docs/issue12.md). On a CPU without AVX-512 the
    attribute changes nothing. If llvmlite ever refuses the attribute, the kernel
    compiles without it."""
    sig = types.void()

    def codegen(context, builder, signature, args):
        try:
            # llvmlite's FunctionAttributes only accepts a fixed list of keyword
            # attributes; a string attribute is printed as given, which LLVM parses
            set.add(builder.function.attributes, '"prefer-vector-width"="512"')
        except Exception:  # pragma: no cover - a future llvmlite: keep 256 bits
            pass
        return context.get_dummy_value()

    return sig, codegen


@intrinsic
def prefetch(typingctx, arr, i):
    """Hint the CPU to fetch ``arr[i]``'s cache line (``llvm.prefetch``, read, high
    locality); no effect on results. A pass whose per-point work is heavier than
    the octagon's (the frame octagon of ``hull2d_adaptive``) no longer hides the
    memory stream fully behind it: prefetching 4 blocks ahead measured 5% faster
    on 1e6 points with a cold cache (session 6)."""
    sig = types.void(arr, i)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(
            context, builder, aryty, ary, [args[1]], wraparound=False, boundscheck=False
        )
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module,
            ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]),
            "llvm.prefetch.p0i8",
        )
        # read (0), high temporal locality (3), data cache (1)
        builder.call(
            fn,
            [
                builder.bitcast(ptr, i8p),
                ir.Constant(i32, 0),
                ir.Constant(i32, 3),
                ir.Constant(i32, 1),
            ],
        )
        return context.get_dummy_value()

    return sig, codegen
