"""The benchmark harness behind ``geoent bench`` (and the files in ``benchmarks/``).

A *suite* is one operation (2D hull, many small hulls, 3D hull, Delaunay, entropy,
EntropyNet hints) over seeded distributions and sizes. For every input each
*contender* (geoent and its peers: scipy/Qhull, shapely/GEOS, Shewchuk's
``triangle``, CGAL's bindings where importable) runs in the same process on the same
array:

1. the first call of a compiled (numba) contender on a tiny input is timed once and
   reported as ``compile_s`` (compile, or load from numba's cache);
2. geometry building that a peer needs (``shapely.multipoints``) is timed apart and
   named in ``notes``; it is not part of ``median_s``;
3. one untimed warm-up call on the real input, whose result is checked against the
   exact answer (``error``: 0.0 when it matches);
4. ``rounds`` timed calls: median, min and max.

Every suite yields rows in the contract format (see :data:`ROW_KEYS`);
:func:`add_ratios` adds ``ratio_scipy`` and ``ratio_best_peer`` (below 1 is faster).
A contender whose name starts with ``"geoent"`` is ours; every other is a peer.

Modules: ``model`` (rows, :class:`Contender`, :class:`Suite`, :class:`BenchResult`),
``timing`` (timed rounds, warm-up, first-call time), ``peers`` (scipy, shapely,
triangle and CGAL adapters), ``checks`` (exactness of results), ``suites`` (one module
per suite, each registering itself), ``runner`` (registry and run loop), ``report``
(tables, markdown, machine info, plot hook). A new suite is one module in
``geoent/bench/suites/`` that calls :func:`register`.

Examples
--------
>>> from geoent.bench import run_bench
>>> res = run_bench(suites=["hull2d"], sizes=[1000], distributions=["uniform"],
...                 rounds=1, progress=False)
>>> {"geoent", "scipy", "shapely"} <= {r["contender"] for r in res.rows}
True
"""

from ..testing import delaunay_defects
from . import suites  # noqa: E402, F401, I001  (registers the suites; needs the names above)
from .checks import hull_vertex_error, vertex_set_error
from .model import ROW_KEYS, BenchResult, Contender, Suite
from .report import (
    SUMMARY_COLUMNS,
    fmt_err,
    fmt_n,
    fmt_ratio,
    fmt_s,
    format_table,
    machine_info,
    summary_rows,
    to_markdown,
)
from .runner import (
    SUITES,
    add_ratios,
    entropy_of,
    parse_sizes,
    register,
    run_bench,
    run_suite,
    suite_names,
)
from .timing import first_call_s, time_call, warm_then_time

__all__ = [
    "ROW_KEYS",
    "Contender",
    "Suite",
    "BenchResult",
    "SUITES",
    "register",
    "suite_names",
    "run_bench",
    "run_suite",
    "add_ratios",
    "parse_sizes",
    "entropy_of",
    "time_call",
    "warm_then_time",
    "first_call_s",
    "hull_vertex_error",
    "vertex_set_error",
    "delaunay_defects",
    "to_markdown",
    "summary_rows",
    "SUMMARY_COLUMNS",
    "format_table",
    "fmt_s",
    "fmt_ratio",
    "fmt_err",
    "fmt_n",
    "machine_info",
]
