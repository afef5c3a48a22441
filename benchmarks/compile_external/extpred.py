"""orient2d whose adaptive stage is a C callback compiled once (see
../compile_external_stage.py)."""

import llvmlite.binding as llb
from llvmlite import ir
from numba import cfunc, njit, types
from numba.extending import intrinsic

from geoent._kernels.predicates import CCWERRBOUND_A, orient2d_adapt

_F8 = types.float64
_SIG = _F8(_F8, _F8, _F8, _F8, _F8, _F8, _F8)
_SYMBOL = "geoent_bench_orient2d_adapt"
# compiled (or loaded from the cache) once, registered before any kernel using it loads
_adapt_c = cfunc(_SIG, cache=True)(orient2d_adapt.py_func)
llb.add_symbol(_SYMBOL, _adapt_c.address)


@intrinsic
def _call_adapt(typingctx, ax, ay, bx, by, cx, cy, detsum):
    def codegen(context, builder, signature, args):
        fn = builder.module.globals.get(_SYMBOL)
        if fn is None:
            fn = ir.Function(
                builder.module, ir.FunctionType(ir.DoubleType(), [ir.DoubleType()] * 7), _SYMBOL
            )
        return builder.call(fn, args)

    return _SIG, codegen


@njit(inline="always")
def orient2d(ax, ay, bx, by, cx, cy):
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    detsum = abs(detleft) + abs(detright)
    if abs(det) >= CCWERRBOUND_A * detsum:
        return det
    return _call_adapt(ax, ay, bx, by, cx, cy, detsum)
