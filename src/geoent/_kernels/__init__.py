"""Numba kernels: arrays in, arrays out, no validation, no Python objects.

One home per concept: ``predicates`` (exact predicates and expansion arithmetic),
``floats`` (vectorisable min/max, range statistics), ``geometry`` (small exact
point-in-region tests), ``gather`` (index gathers), ``ordering`` (space-filling
curves and insertion orders), and one file per engine (``hull2d``, ``hull2d_filter``,
``hull2d_ks``, ``hulls_batched``, ``hull3d``, ``delaunay2d``, ``entropy``,
``learned_order``). Kernel families import these helpers freely.

The numba cache. Kernels are compiled with ``cache=True``. Numba keys a cached
function by the source file that defines it (its path, size and modification time),
not by the files it imports, so after an edit to, say, ``predicates.py`` the cached
machine code of ``hull2d.py`` would still be the old one. That matters only where
kernel sources change, i.e. in development and CI, so the package itself leaves
numba's cache alone (for users nothing changes: caches go where numba puts them,
or where ``NUMBA_CACHE_DIR`` says). The test suite keys the cache instead:
the repository's root ``conftest.py`` sets ``NUMBA_CACHE_DIR`` to ``<repo>/.numba_cache/<sha256 of
the _kernels/*.py sources>`` before geoent is imported, unless the environment
already sets it, so any edit to any kernel file starts from a fresh folder. Do the
same in other development scripts (set the variable before importing geoent).

Why not always, from here: numba fixes each function's cache folder when the
function is decorated, so setting ``numba.config.CACHE_DIR`` in this file before the
kernel modules are imported would work (checked with numba 0.68); but the package
would then have to choose a folder on the user's machine and hash its sources on
every import, to protect against edits users do not make.
"""

import os as _os
import threading as _threading

# numba is not imported here: the compiled exports (``_aot_kernels``, in this
# package) run without it, so a call answered by them imports neither numba nor a
# kernel module (issue 13: numba's import is ~0.13 s of a first call). The kernel
# modules import numba themselves.


def use_forksafe_layer():
    """Choose numba's threading layer for the ``parallel=True`` kernels
    (``entropy.locate_parallel``, ``hulls_batched.many_hulls``), once, before the
    first parallel region: run by :data:`parallel_lock` (held around every parallel
    call) and :func:`get_num_threads` (which starts numba's threads).

    Numba's default prefers GNU OpenMP when TBB is not installed, and GNU OpenMP
    kills any forked child that launches a parallel region ("fork() called from a
    process already using GNU OpenMP, this is unsafe"), which hangs
    ``multiprocessing.Pool`` with the fork start method (Linux's default), joblib
    and dask's process scheduler. "forksafe" takes TBB if the ``tbb`` wheel is
    installed (fork- and thread-safe) and numba's own ``workqueue`` otherwise
    (fork-safe, no dependency; measured no slower than OpenMP on these two
    kernels). An explicit choice (``NUMBA_THREADING_LAYER`` or
    ``numba.config.THREADING_LAYER`` set before geoent's first parallel call) is
    left alone, and numba fixes the layer at the first parallel launch in the
    process, so a layer another library already started stays."""
    import numba

    if str(numba.config.THREADING_LAYER).lower() == "default":
        numba.config.THREADING_LAYER = "forksafe"


def get_num_threads():
    """numba's thread count (the threading layer chosen first: this starts the
    threads). Imports numba: only large calls ask."""
    use_forksafe_layer()
    import numba

    return numba.get_num_threads()


class _ParallelLock:
    """A lock that chooses the threading layer (:func:`use_forksafe_layer`) before
    it is first taken."""

    def __init__(self):
        self._lock = _threading.Lock()
        self._ready = False

    def __enter__(self):
        if not self._ready:
            use_forksafe_layer()
            self._ready = True
        self._lock.acquire()
        return self

    def __exit__(self, *exc):
        self._lock.release()

    def locked(self):
        return self._lock.locked()


#: Held around every call of a parallel kernel. ``workqueue`` is not thread-safe:
#: two threads in parallel regions at once abort the process. Parallel kernels use
#: every numba thread already, so running them one at a time costs little.
parallel_lock = _ParallelLock()


def _fresh_lock_in_child():
    # A fork taken while another thread held the lock would leave it held forever.
    global parallel_lock
    parallel_lock = _ParallelLock()


if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_fresh_lock_in_child)
