"""Rendering a run: number formats, terminal and markdown tables, machine info, the plot hook."""

from __future__ import annotations

import datetime as _dt
import math
import os
import platform

import numpy as np

from .model import FLOOR, BenchResult, is_peer
from .peers import cgal, triangle

__all__ = [
    "fmt_s",
    "fmt_ratio",
    "fmt_err",
    "fmt_n",
    "format_table",
    "summary_rows",
    "SUMMARY_COLUMNS",
    "to_markdown",
    "machine_info",
    "plot",
]


def fmt_s(t):
    if t is None:
        return "-"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def fmt_ratio(x):
    return "-" if x is None else (f"{x:.3f}" if x < 0.1 else f"{x:.2f}")


def fmt_err(x):
    if x is None:
        return "-"
    return "0" if x == 0 else (f"{x:.0f}" if float(x).is_integer() else f"{x:.3g}")


def fmt_n(n):
    e = math.log10(n) if n > 0 else 0
    return f"1e{int(e)}" if n > 0 and float(e).is_integer() else f"{n:,}"


_COLUMNS = (
    "operation",
    "distribution",
    "n",
    "contender",
    "median",
    "spread",
    "x scipy",
    "x best peer",
    "x read",
    "compile",
    "error",
    "entropy",
    "notes",
)


def _cells(r: dict) -> list[str]:
    spread = "-" if r.get("min_s") is None else f"{fmt_s(r['min_s'])} .. {fmt_s(r['max_s'])}"
    ent = r.get("entropy")
    return [
        str(r.get("operation", "")),
        str(r.get("distribution", "")),
        fmt_n(int(r.get("n", 0))),
        str(r.get("contender", "")),
        fmt_s(r.get("median_s")),
        spread,
        fmt_ratio(r.get("ratio_scipy")),
        fmt_ratio(r.get("ratio_best_peer")),
        fmt_ratio(r.get("ratio_read")),
        fmt_s(r.get("compile_s")),
        fmt_err(r.get("error")),
        "-" if ent is None else f"{ent:.3f}",
        str(r.get("notes") or ""),
    ]


def format_table(rows: list[dict], *, notes: bool = False) -> str:
    """A plain-text table of the rows (for the terminal)."""
    cols = list(_COLUMNS if notes else _COLUMNS[:-1])
    cells = [_cells(r)[: len(cols)] for r in rows]
    widths = [max([len(c)] + [len(x[i]) for x in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) for c in cells]
    return "\n".join(lines)


def summary_rows(rows: list[dict]) -> list[list[str]]:
    """One line per geoent contender and input: its time against scipy and the best peer.

    Columns: suite, operation, distribution, n, contender, geoent time, scipy time,
    best peer (name and time), the ratios to scipy, to the best peer and to one read
    pass (``FLOOR``, where the suite times it), geoent's error and the peers' errors
    against the exact answer.
    """
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["suite"], r["operation"], r["distribution"], r["n"]), []).append(r)
    out = []
    for (suite, op, dist, n), grp in groups.items():
        scipy_r = next((r for r in grp if r["contender"] == "scipy"), None)
        peers = [r for r in grp if is_peer(r["contender"])]
        timed = [r for r in peers if r.get("median_s")]
        best = min(timed, key=lambda r: r["median_s"]) if timed else None
        errs = []
        for r in peers:
            if r.get("median_s") is None:
                errs.append(f"{r['contender']} failed")
            elif r.get("error") not in (None, 0, 0.0):
                errs.append(f"{r['contender']} {fmt_err(r['error'])}")
        for r in grp:
            if not str(r["contender"]).startswith("geoent"):
                continue
            out.append(
                [
                    suite,
                    op,
                    dist,
                    fmt_n(int(n)),
                    str(r["contender"]),
                    fmt_s(r.get("median_s")),
                    fmt_s(scipy_r.get("median_s")) if scipy_r else "-",
                    f"{best['contender']} {fmt_s(best['median_s'])}" if best else "-",
                    fmt_ratio(r.get("ratio_scipy")),
                    fmt_ratio(r.get("ratio_best_peer")),
                    fmt_ratio(r.get("ratio_read")),
                    ("0" if r.get("error") == 0 else fmt_err(r.get("error"))),
                    ", ".join(errs) or ("all exact" if peers else "-"),
                ]
            )
    return out


SUMMARY_COLUMNS = (
    "suite",
    "operation",
    "distribution",
    "n",
    "contender",
    "geoent",
    "scipy",
    "best peer",
    "x scipy",
    "x best peer",
    "x read",
    "error",
    "peers' errors",
)


def to_markdown(result: BenchResult) -> str:
    """The run as markdown: how it was made, then one table per suite."""
    m = result.meta
    out = [
        "## Benchmark results",
        "",
        f"Command: `{m.get('command', '')}`",
        "",
        f"Machine: {m.get('cpu')} ({m.get('cores')} cores, {m.get('os')}), "
        f"numba threads {m.get('numba_threads')}; python {m.get('python')}, "
        f"numpy {m.get('numpy')}, scipy {m.get('scipy')}, shapely {m.get('shapely')}, "
        f"numba {m.get('numba')}, triangle {m.get('triangle') or 'not installed'}, "
        f"CGAL {m.get('cgal') or 'not importable'}; "
        f"{m.get('date')}.",
        "",
        "Median of the timed rounds after a warm-up call; spread is min .. max; "
        "`x scipy` and `x best peer` are time ratios (below 1: geoent is faster); "
        f"`x read` is the time over one read pass of the same array (`{FLOOR}`: a numba "
        "pass computing eight extreme values, the floor for a hull of few vertices); "
        "`compile` is the first call of geoent's kernels in the process (compile or cache load); "
        "`error` counts differences from the exact answer (hull vertices missing or extra; "
        "Delaunay defects found with exact predicates), 0 when exact; `entropy` is the input's "
        "certified range-partition entropy (natural log).",
        "",
    ]
    for note in m.get("notes", []):
        out.append(f"* {note}")
    if m.get("notes"):
        out.append("")
    summ = summary_rows(result.rows)
    if summ:
        out += [
            "### Summary",
            "",
            "| " + " | ".join(SUMMARY_COLUMNS) + " |",
            "|" + "|".join("---" for _ in SUMMARY_COLUMNS) + "|",
        ]
        out += ["| " + " | ".join(c.replace("|", "/") for c in line) + " |" for line in summ]
        out.append("")
    by_suite: dict[str, list[dict]] = {}
    for r in result.rows:
        by_suite.setdefault(r["suite"], []).append(r)
    for name, rows in by_suite.items():
        out.append(f"### {name}")
        out.append("")
        out.append("| " + " | ".join(_COLUMNS) + " |")
        out.append("|" + "|".join("---" for _ in _COLUMNS) + "|")
        for r in rows:
            out.append("| " + " | ".join(c.replace("|", "/") for c in _cells(r)) + " |")
        out.append("")
    return "\n".join(out)


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(threads: int | None = None) -> dict:
    """Machine, library versions and thread count, for the report's header."""
    import numba
    import scipy
    import shapely

    from .. import __version__

    tri = triangle()
    return {
        "geoent": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "shapely": shapely.__version__,
        "numba": numba.__version__,
        "triangle": getattr(tri, "__version__", "installed") if tri else None,
        "cgal": "importable" if cgal() is not None else None,
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "numba_threads": threads if threads is not None else numba.get_num_threads(),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def plot(path, rows) -> None:
    """Time against n per contender, a panel per suite (needs matplotlib: the plot extra)."""
    from ..plotting import plot_bench

    plot_bench(path, rows)
