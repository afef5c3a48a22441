"""The kernels compiled ahead of time (numba ``pycc``): built from one table.

Every entry of :data:`geoent._kernels.aot_signatures.EXPORTS` becomes an export
``<module>__<kernel>`` (further signatures of the same kernel: ``...__v1``, ``__v2``)
with that explicit signature: a thin function calling the existing ``@njit`` kernel
``geoent._kernels.<module>.<kernel>`` (no kernel is copied), so edits to kernels merge
and rebuild. ``setup.py`` compiles them into the extension module
``geoent._kernels._aot_kernels``, with ``aot_source_hash()``, the hash of the kernel
sources they were built from (``geoent._aot.source_hash``). ``geoent._aot`` hands
the exports to the API modules.

Parallel kernels are not exported (``pycc`` cannot compile ``parallel=True``): the
API runs their serial variants from here and numba compiles the parallel ones on
their first large call. Importing this module needs numba's ``pycc`` and is done
only by the build.
"""

import importlib

from numba.pycc import CC

from .._aot import source_hash
from .aot_signatures import EXPORTS

cc = CC("_aot_kernels")  # geoent._kernels._aot_kernels
# the build machine is the machine that runs it (pip builds on install; a wheel built
# for distribution should set another CPU, e.g. "x86-64-v2")
cc.target_cpu = "host"
cc.verbose = False

_HASH = source_hash()


@cc.export("aot_source_hash", "i8()")
def aot_source_hash():
    return _HASH


def _thin(kernel, nargs):
    """``def w(a0, ..., a{n-1}): return kernel(a0, ...)``: a function numba compiles
    for the export, calling (and inlining or linking) the kernel."""
    args = ", ".join(f"a{i}" for i in range(nargs))
    ns = {"kernel": kernel}
    exec(f"def w({args}):\n    return kernel({args})\n", ns)  # noqa: S102 - fixed text
    return ns["w"]


def _nargs(sig):
    from .._aot import _split_args

    return len(_split_args(sig))


def _constant(value):
    ns = {"V": value}
    exec("def w():\n    return V\n", ns)  # noqa: S102 - fixed text; numba freezes V
    return ns["w"]


def _export_constants(modname, mod):
    """The module's constants (UPPERCASE int and float globals) as exports
    ``<module>__const__<NAME>`` of no argument: ``geoent._aot`` answers
    ``kernels_of(<module>).NAME`` from them without importing the kernel module
    (and numba). Checked equal to the module's own by tests/test_cold_import.py."""
    for cname, value in sorted(vars(mod).items()):
        if not cname.isupper() or cname.startswith("_"):
            continue
        if type(value) is int and -(2**63) <= value < 2**63:
            cc.export(f"{modname}__const__{cname}", "i8()")(_constant(value))
        elif type(value) is float:
            cc.export(f"{modname}__const__{cname}", "f8()")(_constant(value))


def _export_all():
    modules = {}
    for name, sigs in EXPORTS.items():
        modname, func = name.split("__")
        mod = modules.setdefault(modname, importlib.import_module(f"geoent._kernels.{modname}"))
        kernel = getattr(mod, func)
        for k, sig in enumerate([sigs] if isinstance(sigs, str) else sigs):
            cc.export(name if k == 0 else f"{name}__v{k}", sig)(_thin(kernel, _nargs(sig)))
    for modname, mod in modules.items():
        _export_constants(modname, mod)


_export_all()
