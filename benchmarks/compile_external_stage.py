"""Lever (b) of issue 13, measured: the exact stage of orient2d compiled ONCE, as a
C callback called through an external symbol, against today's layout, where every
kernel that calls the predicate links (and LLVM re-optimises and re-codegens) the
whole adaptive body again.

Why "predicates out of line" gained nothing in session 3: a call from one numba
function to another ``@njit`` function, inlined or not, links the callee's LLVM
module into the caller's library; numba then optimises and compiles that merged
module for every top-level kernel (and caches the result per kernel). So each
kernel family pays the expansion arithmetic again, whatever ``inline=`` says.
Calling through a symbol that the JIT's dynamic linker resolves
(``llvmlite.binding.add_symbol`` to the address of a ``numba.cfunc`` compiled once,
itself cached with ``cache=True``) keeps the body out of the callers.

Each variant runs in two fresh processes, the first with an empty
``NUMBA_CACHE_DIR`` (cold), the second with the cache the first wrote; the kernel
calls the predicate at four sites (as a hull or Delaunay loop does). Printed: CPU
seconds of the import (the external variant compiles or loads its C callback there)
and of the kernel's first call, and the time of one call on 1e6 collinear points,
where every predicate call takes the exact path.

Usage::

    python benchmarks/compile_external_stage.py

Not done in the library (see the issue-13 report): the hazard is a cached kernel
whose C callback is missing from the cache (``predicates.py`` edited, other kernel
files not): its external symbol would not resolve. A safe design registers the
symbols at import before any kernel is loaded, e.g. compiling the callbacks eagerly
(about 13 s of CPU once per install for the five adaptive stages, 0.35 s to load).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent / "compile_external"

RUN = r"""
import sys, time
sys.path.insert(0, sys.argv[2])
import numpy as np
c0 = time.process_time()
import kern_{variant} as kern
c1 = time.process_time()
x = np.array([0.0, 1, 2, 3, 0.5]); y = np.array([0.0, 1, 2, 3, 0.5000000001])
r = kern.chain(x, y)
c2 = time.process_time()
xs = np.arange(1e6) * 0.1; ys = xs * 3
best = 1e9
for _ in range(5):
    t = time.perf_counter(); kern.chain(xs, ys); best = min(best, time.perf_counter() - t)
print(f"import {{c1 - c0:.2f}} s, first call {{c2 - c1:.2f}} s, result {{r}}, "
      f"1e6 collinear (exact path) {{best * 1e3:.0f}} ms")
"""


def main():
    for variant in ("linked", "external"):
        with tempfile.TemporaryDirectory(prefix="geoent-ext-") as cache:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            for label in ("cold", "cached"):
                out = subprocess.run(
                    [sys.executable, "-c", RUN.format(variant=variant), variant, str(HERE)],
                    env=env,
                    capture_output=True,
                    text=True,
                )
                line = out.stdout.strip() or out.stderr.strip()[-400:]
                print(f"{variant:8} {label:6} CPU: {line}")


if __name__ == "__main__":
    main()
