"""Doctest collection for ``src/geoent`` (pytest runs every module's examples with
``--doctest-modules``; see tests/README.md).

It also keys the numba cache by the kernel sources (see ``geoent._kernels``): numba's
own cache does not notice an edit in a file a kernel imports, so every distinct state
of ``src/geoent/_kernels/*.py`` gets its own cache folder. This must run before numba
is imported, which is why it lives here, in the first conftest pytest loads.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import tempfile
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parent
_SRC = _REPO / "src"
_KERNELS = _SRC / "geoent" / "_kernels"

if "NUMBA_CACHE_DIR" not in os.environ and _KERNELS.is_dir():
    _h = hashlib.sha256()
    for _f in sorted(_KERNELS.glob("*.py")):
        _h.update(_f.name.encode() + b"\0" + _f.read_bytes() + b"\0")
    os.environ["NUMBA_CACHE_DIR"] = str(_REPO / ".numba_cache" / _h.hexdigest()[:16])

# The ahead-of-time kernels (geoent._aot) read arrays as their export's declared
# dtype and layout without checking; in the suite every call is checked against the
# signature table, so an API change that passes other types fails a test.
os.environ.setdefault("GEOENT_AOT_CHECK", "1")

#: Optional third-party packages (the extras in pyproject). A module that cannot be
#: imported because one of these is missing is left out of doctest collection, so a
#: core-only install still runs the suite; any other import error is reported.
OPTIONAL = frozenset(
    {
        "torch",
        "matplotlib",
        "triangle",
        "tqdm",
        "scipy",
        "pytest_benchmark",
        "geopandas",
        "pyarrow",
        "dask",
        "distributed",
        "dask_geopandas",
        "zarr",
    }
)

#: Modules that import without the extra but whose examples call it (one or more).
EXAMPLES_NEED = {
    "geoent.plotting": ("matplotlib",),
    "geoent.dask": ("dask.array",),
    "geoent.geofiles": ("geopandas", "pyarrow", "zarr", "dask.array"),
}


def pytest_ignore_collect(collection_path, config):
    path = Path(collection_path)
    if path.suffix != ".py" or _SRC not in path.parents:
        return None
    rel = path.relative_to(_SRC).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    try:
        importlib.import_module(".".join(parts))
    except ImportError as exc:
        # geoent.torch re-raises a friendlier ImportError: look down the chain too
        while exc is not None:
            if isinstance(exc, ModuleNotFoundError):
                return (exc.name or "").split(".")[0] in OPTIONAL or None
            exc = exc.__cause__ or exc.__context__
        return None  # pytest collects it and reports the error
    except Exception:
        return None  # likewise: a broken module must fail, not vanish
    return None


@pytest.fixture(autouse=True)
def _doctest_sandbox(request, monkeypatch, tmp_path):
    """Examples that write files use ``tempfile``: point it at pytest's own temporary
    folder (removed by pytest), and skip examples whose extra is not installed."""
    if type(request.node).__name__ != "DoctestItem":
        yield
        return
    module = request.node.dtest.globs.get("__name__", "")
    for extra in EXAMPLES_NEED.get(module, ()):
        pytest.importorskip(extra)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield
