"""The kernels compiled ahead of time (numba ``pycc``), by family: one place.

Each export is a thin function with an explicit signature that calls an existing
``@njit`` kernel (no kernel is copied here). ``setup.py`` builds them into the
extension module ``geoent._kernels._aot_kernels``; ``geoent._aot.kernel(name, jit)`` hands
them to the API modules, which pass exactly these argument types (compiled exports
do not check dtypes or layouts). Parallel kernels are not exported (``pycc`` cannot
compile ``parallel=True``): the API runs their serial variants through here and
compiles the parallel ones on their first large call.

Signatures pinned here (a kernel whose arguments or results change must change its
line here too; the AOT-vs-JIT tests in ``tests/test_aot.py`` catch a mismatch).
Importing this module needs numba's ``pycc`` and is done only by the build.
"""

from numba.pycc import CC

from .._aot import source_hash
from . import gather, hull2d, hull2d_small
from .floats import range_stats

cc = CC("_aot_kernels")  # geoent._kernels._aot_kernels
cc.target_cpu = "host"  # the build machine is the run machine (pip builds in place)
cc.verbose = False

_HASH = source_hash()

F1 = "f8[::1]"
I1 = "i8[::1]"


@cc.export("aot_source_hash", "i8()")
def aot_source_hash():
    return _HASH


# -- range check (every 2D family) ----------------------------------------------------


@cc.export("range_stats", f"Tuple((f8, f8, i8))({F1})")
def _range_stats(q):
    return range_stats(q)


@cc.export("gather_xy", f"Tuple(({F1}, {F1}))({F1}, {I1}, i8)")
def _gather_xy(q, idx, k):
    return gather.gather_xy(q, idx, k)


# -- 2D hull: small path and sorted chain ----------------------------------------------


@cc.export("small_survivors", f"Tuple(({I1}, i8))({F1})")
def _small_survivors(q):
    return hull2d_small.small_survivors(q)


@cc.export("sorted_hull", f"{I1}({F1}, {I1})")
def _sorted_hull(q, ids):
    return hull2d.sorted_hull(q, ids)


@cc.export("few_descents", f"b1({F1})")
def _few_descents(xs):
    return hull2d.few_descents(xs)
