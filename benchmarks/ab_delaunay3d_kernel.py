"""A/B of the 3D Delaunay insertion kernel in one process, on one array.

``tetrahedralize`` of a reference copy of ``delaunay3d.py`` (``--base``, default
/work/main's, loaded as a separate module with its relative import rewritten)
against this tree's, alternating every round on the same gathered coordinates;
CPU time (``time.process_time``), medians and per-round ratios (new/base). Also
checks that both give the same set of tetrahedra. ``--layout numpy`` runs this
tree's kernel on a numpy-allocated copy of the coordinates (transparent huge
pages, which numba's allocator does not ask for) instead of the base kernel. (The
session-6 ``pad4`` layout, (n, 4) with the lifted coordinate, is gone: the kernel
reads P as a flat view of a C-contiguous (n, 3) array since session 8.)::

    python benchmarks/ab_delaunay3d_kernel.py cube 1e5 9
    python benchmarks/ab_delaunay3d_kernel.py cube 1e6 7 --layout numpy

Timings on a shared machine are noisy: read the per-round ratios, not one figure.
"""

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from geoent._delaunay3d import insertion_order3
from geoent._kernels import delaunay3d as new
from geoent.datasets import make_points


def load_base(path, predicates=None):
    d = Path(tempfile.mkdtemp(prefix="ab_d3_"))
    pred = "geoent._kernels.predicates"
    if predicates:
        # the base kernel on its own copy of predicates.py (A/B of a predicate)
        (d / "base_predicates.py").write_text(Path(predicates).read_text())
        spec = importlib.util.spec_from_file_location("base_predicates", d / "base_predicates.py")
        bp = importlib.util.module_from_spec(spec)
        sys.modules["base_predicates"] = bp
        spec.loader.exec_module(bp)
        pred = "base_predicates"
    src = Path(path).read_text().replace("from .predicates import", f"from {pred} import")
    f = d / "base_delaunay3d.py"
    f.write_text(src)
    spec = importlib.util.spec_from_file_location("base_delaunay3d", f)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(K, P, n, cancel):
    T = np.empty(8 * int(6.9 * n + 64), np.int32)
    dup = np.full(n, -1, np.int64)
    t = time.process_time()
    T, nt, _ = K.tetrahedralize(P, T, dup, cancel)
    dt = time.process_time() - t
    if not hasattr(K, "extract_tets"):  # a tree before session 8
        return dt, K.extract(T, nt, n, np.arange(n), False, cancel)[0]
    out = np.empty((nt, 4), np.int64)
    return dt, out[: K.extract_tets(T, nt, n, np.arange(n), out, cancel)]


def canonical(simp):
    """The set of tetrahedra as sorted rows in lexicographic order (row order and
    the even permutation within a row depend on slot reuse and layout)."""
    s = np.sort(simp, axis=1)
    return s[np.lexsort(s.T[::-1])]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dist")
    ap.add_argument("n", type=float)
    ap.add_argument("rounds", type=int)
    ap.add_argument("--base", default="/work/main/src/geoent/_kernels/delaunay3d.py")
    ap.add_argument("--layout", choices=("numpy",))
    ap.add_argument(
        "--base-predicates",
        help="a predicates.py for the base kernel (default: this tree's); e.g. main's, "
        "with --base this tree's kernel saved apart, to A/B a predicate change alone",
    )
    a = ap.parse_args(argv)
    n = int(a.n)
    cancel = np.zeros(1, np.uint8)
    p = make_points(a.dist, n, 0)
    P, _, _ = new.gather3(p, insertion_order3(p, "morton"), cancel)
    if a.layout:
        A, PA = new, P
        PB = np.empty((n, 3))
        PB[:] = P
        B = new
    else:
        A, PA, B, PB = load_base(a.base, a.base_predicates), P, new, P
    _, sa = run(A, PA, n, cancel)
    _, sb = run(B, PB, n, cancel)
    print("same tetrahedra:", np.array_equal(canonical(sa), canonical(sb)), sa.shape)
    ta, tb = [], []
    for _ in range(a.rounds):
        ta.append(run(A, PA, n, cancel)[0])
        tb.append(run(B, PB, n, cancel)[0])
    ma, mb = statistics.median(ta), statistics.median(tb)
    print(
        f"{a.dist} {n} {a.layout or 'kernel'}: base {ma:.4f} s, new {mb:.4f} s, "
        f"new/base {mb / ma:.3f}; rounds {[round(y / x, 3) for x, y in zip(ta, tb, strict=True)]}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
