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

__all__ = ["kernel", "module", "source_hash", "status"]

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
    ``@njit`` kernel it wraps). Callers pass exactly the exported argument types:
    compiled exports do not check dtypes or layouts."""
    try:
        return _cache[name]
    except KeyError:
        pass
    mod = module()
    fn = getattr(mod, name, None) if mod is not None else None
    _cache[name] = fn = jit if fn is None else fn
    return fn
