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
