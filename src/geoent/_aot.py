"""Ahead-of-time compiled kernels: find them, check they are current, hand them out.

``setup.py`` compiles the exports of ``geoent._kernels.aot_exports`` with numba's
``pycc`` into the extension module ``geoent._kernels._aot_kernels`` when geoent is installed
(or built with ``python setup.py build_ext --inplace``). The API modules ask
:func:`kernel` for a kernel by export name, giving the ``@njit`` kernel to use when
there is no compiled module: then numba compiles it on its first call, as before.

The compiled module is used only when it is current: the build embeds a hash of the
kernel sources (:func:`source_hash`), compared here once, on the first call of
:func:`kernel` (an editable install keeps the module beside sources a developer
edits). A stale module is ignored with one warning. ``GEOENT_JIT_ONLY=1`` in the
environment ignores the module too (tests compare the two paths with it).

The API modules name their kernel modules (``_k = kernels_of("hull3d")``) instead
of importing them: an attribute that is a compiled export (or a constant, compiled
in as ``<module>__const__<NAME>``) is answered from the compiled module, which
needs no numba (a pycc module is standalone), so a call answered by compiled
exports imports neither numba nor a kernel module (issue 13: the first call in a
process). The kernel module, and numba with it, is imported on first need: an
attribute that is not exported, an argument an export does not take, a long call
(:func:`gil_free`), or no compiled module.

Parallel kernels (``parallel=True``) cannot be compiled ahead of time: only their
serial variants are exported; the parallel ones compile on their first large call
(``geoent warmup`` compiles them up front).

Examples
--------
>>> from geoent import _aot
>>> _aot.status() in ("aot", "jit-only", "missing", "stale", "broken")
True
"""

from __future__ import annotations

import hashlib
import os
import warnings
from pathlib import Path

__all__ = ["jit_module", "kernel", "kernels_of", "module", "source_hash", "status"]

_HERE = Path(__file__).resolve().parent

#: Sources outside ``_kernels/`` that exported kernels compile from (numba kernels
#: defined in API modules, and modules the kernels import).
EXTRA_SOURCES = ("_hull2d_lowmem.py", "_interrupt.py")


def source_hash(root=_HERE):
    """An int63 hash of the kernel sources (``_kernels/*.py`` and
    :data:`EXTRA_SOURCES` under ``root``): what the build embeds."""
    h = hashlib.sha256()
    files = sorted((Path(root) / "_kernels").glob("*.py"))
    files += [Path(root) / name for name in EXTRA_SOURCES]
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return int(h.hexdigest()[:15], 16)


_state = None  # None: not looked at yet; else one of status()'s strings
_mod = None
_cache = {}


def _load():
    global _state, _mod
    if os.environ.get("GEOENT_JIT_ONLY", "") not in ("", "0"):
        _state = "jit-only"
        return
    try:
        from ._kernels import _aot_kernels as mod
    except ImportError:
        _state = "missing"
        return
    except Exception as exc:  # a module that fails to load: say so once, use the JIT
        warnings.warn(
            f"geoent: ahead-of-time kernels failed to load ({exc!r}); using numba's JIT",
            RuntimeWarning,
            stacklevel=3,
        )
        _state = "broken"
        return
    try:
        current = int(mod.aot_source_hash()) == source_hash()
    except OSError:  # sources not readable (a zipped install): trust the build
        current = True
    if not current:
        warnings.warn(
            "geoent: the ahead-of-time kernels were built from other kernel sources "
            "(an edited editable install?); ignoring them and compiling with numba's JIT. "
            "Rebuild with `python setup.py build_ext --inplace` or `pip install -e .`.",
            RuntimeWarning,
            stacklevel=3,
        )
        _state = "stale"
        return
    _mod = mod
    _state = "aot"


def status():
    """``"aot"`` (compiled kernels in use), ``"jit-only"`` (``GEOENT_JIT_ONLY``
    set), ``"missing"`` (not built), ``"stale"`` (built from other sources) or
    ``"broken"`` (failed to load)."""
    if _state is None:
        _load()
    return _state


def module():
    """The compiled module when in use, else None."""
    if _state is None:
        _load()
    return _mod


def kernel(name, jit):
    """The export ``name`` of the compiled module when in use, else ``jit`` (the
    ``@njit`` kernel it wraps; also inside :func:`gil_free`). Callers pass exactly
    the exported argument types: compiled exports do not check dtypes or layouts
    themselves, so the export is wrapped in a check of its array arguments that
    sends any other kind of array to ``jit`` (``_guarded``)."""
    if _gil_free > 0:
        return jit
    return _resolve(name, jit)


def _resolve(name, jit):
    try:
        return _cache[name]
    except KeyError:
        pass
    mod = module()
    fn = getattr(mod, name, None) if mod is not None else None
    strict = os.environ.get("GEOENT_AOT_CHECK", "") not in ("", "0")
    if fn is not None and hasattr(mod, f"{name}__v1"):
        fn = _by_types(name, mod, jit, strict)
    elif fn is not None and strict:
        fn = _checked(name, fn)
    elif fn is not None:
        fn = _guarded(name, fn, jit)
    elif os.environ.get("GEOENT_AOT_RECORD"):
        fn = _recording(name, jit)
    _cache[name] = fn = jit if fn is None else fn
    return fn


# -- development aids: argument checks and signature recording -------------------------

_DTYPES = {
    "f8": "float64",
    "f4": "float32",
    "i8": "int64",
    "i4": "int32",
    "u1": "uint8",
    "u2": "uint16",
    "u4": "uint32",
    "u8": "uint64",
    "i1": "int8",
    "b1": "bool",
}


def _split_args(sig):
    """The argument specs of an export signature string ``ret(a, b, ...)``."""
    depth = 0
    for start in range(len(sig) - 1, -1, -1):  # the "(" matching the last ")"
        depth += {")": 1, "(": -1}.get(sig[start], 0)
        if depth == 0:
            break
    inner = sig[start + 1 : -1]
    args, depth, cur = [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        cur += ch
    if cur.strip():
        args.append(cur.strip())
    return args


_SCALAR_INT = ("i8", "i4", "u1", "u2", "u4", "u8", "i1")


def _compile_spec(spec):
    """One argument spec of an export signature as ``(dtype, ndim, c_order)`` for an
    array (``c_order``: the export wants C order, ``::1`` last), else the spec
    string itself (a scalar, tuple or ``none``). Parsed once per export, not per
    call: every check below reads these."""
    import numpy as np

    if "[" not in spec:
        return spec
    dims = spec[spec.index("[") + 1 : -1].split(",")
    return (np.dtype(_DTYPES[spec[: spec.index("[")]]), len(dims), dims[-1].strip() == "::1")


def _array_ok(compiled, a):
    """The ndarray ``a`` is what the export reads as declared (``compiled`` from
    :func:`_compile_spec`): the dtype, the dimensions, C order where wanted."""
    dt, nd, contig = compiled
    return (
        (a.dtype is dt or a.dtype == dt) and a.ndim == nd and (not contig or a.flags.c_contiguous)
    )


def _arg_ok(compiled, value):
    """``value`` fits the spec (compiled by :func:`_compile_spec`, or its string):
    any ndarray, subclasses too, as :func:`_array_ok`; scalars by their Python or
    numpy kind."""
    import numpy as np

    if isinstance(compiled, str) and "[" in compiled:
        compiled = _compile_spec(compiled)
    if isinstance(compiled, tuple):
        return isinstance(value, np.ndarray) and _array_ok(compiled, value)
    if compiled in _SCALAR_INT:
        return isinstance(value, int | np.integer) and not isinstance(value, bool)
    if compiled in ("f8", "f4"):
        return isinstance(value, float | int | np.floating | np.integer)
    if compiled == "b1":
        return isinstance(value, bool | np.bool_)
    return True


def _variants(name):
    """The compiled argument specs of each signature of export ``name``."""
    from ._kernels.aot_signatures import EXPORTS

    sigs = EXPORTS[name]
    sigs = [sigs] if isinstance(sigs, str) else list(sigs)
    return [[_compile_spec(spec) for spec in _split_args(sig)] for sig in sigs]


def _guarded(name, fn, jit):
    """``fn`` behind a cheap check of its array arguments (dtype, dimensions, C order
    where the export wants it): compiled exports read any array as the declared
    dtype and layout, so an array of another kind (or a subclass of ndarray) goes
    to the ``@njit`` kernel ``jit`` instead (correct, compiled on first use) rather
    than to a silent wrong answer. About a microsecond per call;
    ``GEOENT_AOT_CHECK=1`` (the tests) raises instead (:func:`_checked`), so that
    every call path the suite reaches is known to match."""
    import numpy as np

    specs = _variants(name)[0]
    nargs = len(specs)
    arrays = tuple((k, *c) for k, c in enumerate(specs) if isinstance(c, tuple))
    ndarray = np.ndarray

    def call(*args):
        if len(args) != nargs:
            return jit(*args)
        for k, dt, nd, contig in arrays:
            a = args[k]
            # _array_ok's test, inlined: this runs on every compiled call
            if (
                type(a) is not ndarray
                or (a.dtype is not dt and a.dtype != dt)
                or a.ndim != nd
                or (contig and not a.flags.c_contiguous)
            ):
                return jit(*args)
        return fn(*args)

    return call


def _by_types(name, mod, jit=None, strict=True):
    """One function over the exports of a kernel compiled for several signatures:
    the first whose argument types match (a few microseconds per call; only for
    kernels called once per API call); none matching: ``jit``, or TypeError when
    ``strict`` (the tests)."""
    import numpy as np

    # the array checks of _arg_ok, compiled once per export (parsing specs per call
    # cost microseconds, most of a small call's time; issue 13)
    variants = []
    for k, specs in enumerate(_variants(name)):
        arrays = tuple((j, *c) for j, c in enumerate(specs) if isinstance(c, tuple))
        scalars = tuple((j, c) for j, c in enumerate(specs) if not isinstance(c, tuple))
        fn = getattr(mod, name if k == 0 else f"{name}__v{k}")
        variants.append((len(specs), arrays, scalars, fn))
    ndarray = np.ndarray

    def call(*args):
        for nargs, arrays, scalars, fn in variants:
            if len(args) != nargs:
                continue
            for j, dt, nd, contig in arrays:
                a = args[j]
                if (
                    not isinstance(a, ndarray)
                    or a.dtype != dt
                    or a.ndim != nd
                    or (contig and not a.flags.c_contiguous)
                ):
                    break
            else:
                if all(_arg_ok(spec, args[j]) for j, spec in scalars):
                    return fn(*args)
        if strict or jit is None:
            raise TypeError(f"AOT {name}: no export takes these argument types")
        return jit(*args)

    return call


def _checked(name, fn):
    """``fn`` with its arguments checked against the export's signature (compiled
    exports read any array as the declared dtype and layout): for the tests."""
    variants = _variants(name)
    if len(variants) > 1:
        return fn  # _by_types checks already
    specs = variants[0]
    shown = _split_args(_signature(name))

    def call(*args):
        if len(args) != len(specs):
            raise TypeError(f"AOT {name}: {len(args)} arguments for {shown}")
        for k, (spec, v) in enumerate(zip(specs, args, strict=True)):
            if not _arg_ok(spec, v):
                desc = (
                    f"{v.dtype} {v.ndim}d C={v.flags.c_contiguous}"
                    if hasattr(v, "dtype")
                    else type(v)
                )
                raise TypeError(f"AOT {name}: argument {k} is {desc}, export wants {shown[k]}")
        return fn(*args)

    return call


def _signature(name):
    from ._kernels.aot_signatures import EXPORTS

    sigs = EXPORTS[name]
    return sigs if isinstance(sigs, str) else sigs[0]


_recorded = {}


def _recording(name, jit):
    """``jit`` recording the numba types of each call (``GEOENT_AOT_RECORD=path``:
    ``benchmarks/aot_signatures.py`` writes the export table from them)."""
    import atexit
    import json

    from numba import typeof

    def call(*args):
        out = jit(*args)
        argtys = tuple(typeof(a) for a in args)
        ret = None
        for cres in jit.overloads.values():
            if cres.signature.args == argtys:
                ret = cres.signature.return_type
        _recorded.setdefault(name, set()).add((tuple(map(_tystr, argtys)), _tystr(ret)))
        return out

    if not _recorded:

        def dump():
            path = os.environ["GEOENT_AOT_RECORD"]
            old = json.load(open(path)) if os.path.exists(path) else {}
            for k, v in _recorded.items():
                old.setdefault(k, [])
                for a, r in v:
                    sig = f"{r}({', '.join(a)})"
                    if sig not in old[k]:
                        old[k].append(sig)
            with open(path, "w") as f:
                json.dump(old, f, indent=1, sort_keys=True)

        atexit.register(dump)
    return call


def _tystr(t):
    """A numba type as a pycc signature string (readonly arrays as writable ones)."""
    from numba.core import types as nt

    short = {v: k for k, v in _DTYPES.items()}
    if isinstance(t, nt.Array):
        d = short[str(t.dtype)]
        dims = [":"] * t.ndim
        if t.layout == "C":
            dims[-1] = "::1"
        elif t.layout == "F":
            dims[0] = "::1"
        return f"{d}[{', '.join(dims)}]"
    if isinstance(t, nt.UniTuple):
        return f"UniTuple({_tystr(t.dtype)}, {t.count})"
    if isinstance(t, nt.BaseTuple):
        return f"Tuple(({', '.join(_tystr(x) for x in t.types)}{',' if len(t.types) == 1 else ''}))"
    if isinstance(t, nt.Boolean):
        return "b1"
    if isinstance(t, nt.NoneType | nt.Omitted) or t is None:
        return "none"
    if isinstance(t, nt.Literal):
        return _tystr(nt.unliteral(t))
    return short.get(str(t), str(t))


_gil_free = 0  # > 0: inside geoent._interrupt.interruptible: JIT kernels only
_proxies = []


def gil_free(on):
    """Use the JIT kernels (``nogil=True``) instead of the compiled exports, which
    hold the GIL, while ``on`` (``geoent._interrupt.interruptible`` around a long call:
    its watcher thread must run during kernels to note Ctrl-C). Costs a loop over
    the resolved kernels per switch, once per long call; the first switch imports
    the kernel modules behind the resolved exports (numba with them)."""
    global _gil_free
    _gil_free += 1 if on else -1
    jit = _gil_free > 0
    for p in _proxies:
        d = p.__dict__
        pairs = d["_pairs"]
        for name, (compiled, jitted) in list(pairs.items()):
            current = d.get(name)
            if jitted is None and jit and current is compiled:
                # an export resolved without its kernel module: load the JIT kernel
                jitted = getattr(p._kernel_module(), name)
                pairs[name] = (compiled, jitted)
            if current is compiled or (jitted is not None and current is jitted):
                d[name] = jitted if jit and jitted is not None else compiled


class _Kernels:
    """A kernel module seen through :func:`kernel`: ``proxy.name`` is the compiled
    export ``<module>__<name>`` when in use, else the module's own attribute (a
    constant, or the ``@njit`` kernel). Resolved on first access, then cached as a
    plain attribute (no cost per call after that; :func:`gil_free` swaps them).

    Given the module's name, the kernel module itself (and numba with it) is
    imported only when needed: for an attribute that is not a compiled export, for
    a call the export does not take (another dtype or layout), and for the JIT
    kernels of :func:`gil_free`. A call answered by compiled exports imports
    neither numba nor the kernel module."""

    def __init__(self, mod):
        d = self.__dict__
        if isinstance(mod, str):
            d["_name"], d["_module"] = mod, None
        else:
            d["_name"], d["_module"] = mod.__name__.rsplit(".", 1)[-1], mod
        d["_pairs"] = {}
        _proxies.append(self)

    def _kernel_module(self):
        d = self.__dict__
        if d["_module"] is None:
            import importlib

            d["_module"] = importlib.import_module(f"{__package__}._kernels.{d['_name']}")
        return d["_module"]

    def __getattr__(self, name):
        if name.startswith("__"):  # copy, pickle, inspect probing: not kernels
            raise AttributeError(name)
        d = self.__dict__
        export = f"{d['_name']}__{name}"
        mod = module()
        if d["_module"] is None and mod is not None:
            const = getattr(mod, f"{d['_name']}__const__{name}", None)
            if const is not None:  # a constant of the module, compiled in
                d[name] = value = const()
                return value
        if d["_module"] is None and mod is not None and hasattr(mod, export):
            # the export alone: its JIT kernel loads only if a call needs it (or
            # inside a long call, where the JIT kernels run: gil_free)
            compiled = _resolve(export, _jit_later(self, name))
            jitted = getattr(self._kernel_module(), name) if _gil_free > 0 else None
            d["_pairs"][name] = (compiled, jitted)
            d[name] = compiled if jitted is None else jitted
            return d[name]
        obj = getattr(self._kernel_module(), name)
        if callable(obj) and hasattr(obj, "py_func"):  # a numba dispatcher
            pair = (_resolve(export, obj), obj)
            d["_pairs"][name] = pair
            obj = pair[1] if _gil_free > 0 else pair[0]
        d[name] = obj
        return obj


def _jit_later(proxy, name):
    """The ``@njit`` kernel ``name`` of ``proxy``'s module, imported on the first
    call that needs it (an argument the export does not take)."""

    def call(*args):
        return getattr(proxy._kernel_module(), name)(*args)

    return call


def kernels_of(mod):
    """The kernels of ``mod`` (a ``geoent._kernels`` module, or its name, such as
    ``"hull3d"``), taken from the compiled module where exported: ``_k =
    kernels_of("hull3d")`` at the top of an API module, then ``_k.insert_range(...)``
    as before. Nothing is loaded until the first attribute access; given a name,
    the kernel module is imported only when an attribute needs it (see
    :class:`_Kernels`)."""
    return _Kernels(mod)


class _JitModule:
    """A module imported on its first attribute access; every access reads the
    module's attribute (so a patched module attribute is seen)."""

    def __init__(self, name):
        self.__dict__["_name"] = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        import importlib

        return getattr(importlib.import_module(self.__dict__["_name"]), attr)


def jit_module(name):
    """The module ``geoent.<name>`` (``"_kernels.delaunay2d"``), imported on first
    use: for code that calls the ``@njit`` kernels themselves (never the compiled
    exports) and should not import numba before it needs them (the scipy-compatible
    classes)."""
    return _JitModule(f"{__package__}.{name}")
