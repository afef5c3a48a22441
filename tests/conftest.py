"""Shared pytest setup.

The numba cache is keyed by the kernel sources (see ``geoent._kernels``): numba's
own cache does not notice an edit in a file a kernel imports, so every distinct state
of ``src/geoent/_kernels/*.py`` gets its own cache folder. This runs before any test
module imports geoent, which is what makes it effective.
"""

import hashlib
import os
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
_KERNELS = _REPO / "src" / "geoent" / "_kernels"

if "NUMBA_CACHE_DIR" not in os.environ and _KERNELS.is_dir():
    _h = hashlib.sha256()
    for _f in sorted(_KERNELS.glob("*.py")):
        _h.update(_f.name.encode() + b"\0" + _f.read_bytes() + b"\0")
    os.environ["NUMBA_CACHE_DIR"] = str(_REPO / ".numba_cache" / _h.hexdigest()[:16])
