"""``geoent demo``: what geoent does and how it compares, in one command.

On the real point set shipped with the package and a few generated ones it computes
exact hulls and a Delaunay triangulation (timed against scipy, shapely and
``triangle`` in the same process, each result checked against the exact answer),
the certified range-partition entropy, and EntropyNet's hint (the pretrained
network's hull-hint layers, run without torch); it prints a short table and writes
a picture and a markdown report. An optional package that is missing (matplotlib,
triangle, CGAL) is skipped with a printed note.

Examples
--------
>>> import tempfile
>>> from geoent.demo import run_demo
>>> summary = run_demo(n=2000, out=tempfile.mkdtemp(), echo=lambda *a: None, warm_ahead=False)
>>> summary["rows"][0]["contender"]
'geoent'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import bench
from .bench.model import FLOOR
from .bench.suites.entropynet import DIR8
from .datasets import load_dataset, make_points
from .entropy import range_partition_entropy
from .hull import convex_hull
from .triangulation import delaunay

__all__ = ["run_demo", "GENERATED"]

#: Generated sets of the demo: a benign one, the worst case for hulls (every point
#: a vertex), a clustered heavy-tailed one, and a degenerate grid.
GENERATED = ("uniform", "circle", "kuzmin", "grid")
_NO_DELAUNAY = {"circle", "grid"}  # Qhull: seconds per 1e4 cocircular points; grid: time


REAL = "airports"  #: the shipped real point set of the demo


#: Contenders of the harness's suites that the demo's table does not show: each is a
#: kernel more to compile on a fresh install (``geoent[instance_optimal]``, the
#: Kirkpatrick-Seidel family, about 12 s of CPU; ``read-pass``, the floor of
#: ``geoent bench``, a JIT kernel of about 0.5 s; issue 13). ``geoent bench hull2d``
#: times both.
SKIPPED_CONTENDERS = ("geoent[instance_optimal]", FLOOR)

#: A peer whose first call on a set takes longer than this (seconds) is timed by
#: that call alone: one round, marked in the table (issue 13: the demo's 20 s).
ONCE_OVER = 0.3


def _sorted_rows(a: np.ndarray) -> np.ndarray:
    """The rows of ``a`` in lexicographic order (``-0.0`` as ``0.0``)."""
    a = np.asarray(a, dtype=np.float64) + 0.0
    return a[np.lexsort(a.T[::-1])]


def _distinct_rows(a: np.ndarray) -> np.ndarray:
    """The distinct rows of ``a`` in lexicographic order."""
    s = _sorted_rows(a)
    keep = np.ones(len(s), dtype=bool)
    keep[1:] = (s[1:] != s[:-1]).any(axis=1)
    return s[keep]


def _as_complex(a) -> np.ndarray:
    """Points (n, 2) as complex numbers ``x + iy`` (numpy orders complex numbers
    lexicographically: by x, then y)."""
    a = np.asarray(a, dtype=np.float64).reshape(-1, 2)
    z = np.empty(len(a), np.complex128)
    z.real, z.imag = a[:, 0], a[:, 1]
    return z


def _point_index(points) -> np.ndarray:
    """The distinct input points, sorted, as complex numbers (see :func:`_as_complex`)."""
    return np.unique(_as_complex(points))


def _triangle_keys(verts, simp, index) -> np.ndarray | None:
    """A triangulation as the sorted keys of its triangles, each triangle the set of
    its vertices' distinct-point numbers in ``index`` (:func:`_point_index` of the
    input): equal for two triangulations exactly when they hold the same coordinate
    triangles, whatever the numbering, order or orientation. None when a vertex is
    not an input point."""
    z = _as_complex(verts)
    if len(index) == 0:
        return None
    pos = np.minimum(np.searchsorted(index, z), len(index) - 1)
    if not np.array_equal(index[pos], z):
        return None
    t = np.sort(pos[np.asarray(simp, dtype=np.int64).reshape(-1, 3)], axis=1)
    nd = len(index)
    if nd < 2_000_000:  # nd**3 < 2**63: one int64 key per triangle
        return np.sort((t[:, 0] * nd + t[:, 1]) * nd + t[:, 2])
    return t[np.lexsort(t.T[::-1])]


def _result_key(kind: str, result, index) -> np.ndarray | None:
    """What :func:`_error_fn` compares: a hull's distinct vertex coordinates, sorted
    (a repeated vertex, as in a closed ring, counts once), or a triangulation's
    :func:`_triangle_keys`."""
    if result is None:
        return None
    if kind == "hull2d":
        return _distinct_rows(result)
    return _triangle_keys(*result, index)


def _error_fn(base: bench.Suite):
    """``base.error`` that checks geoent's result in full and a peer's in full only
    when it differs from geoent's. A peer's result identical to geoent's (the same
    hull vertex coordinates, or the same coordinate triangles) has the same counts:
    the checks are functions of exactly that, so they are not run twice."""
    if base.error is None:
        return None
    kind = base.name
    state: dict = {"canon": None}  # geoent's input: its canon, error, key, point index

    def error(data, canon, name):
        if name == "geoent" or "geoent" not in canon:
            out = base.error(data, canon, name)
            if name == "geoent":
                state.update(canon=canon, out=out, mine=None, index=None)
            return out
        if state["canon"] is canon and canon.get(name) is not None:
            if state["mine"] is None:
                state["index"] = None if kind == "hull2d" else _point_index(data)
                state["mine"] = _result_key(kind, canon["geoent"], state["index"])
            mine = state["mine"]
            theirs = _result_key(kind, canon[name], state["index"])
            if mine is not None and theirs is not None and np.array_equal(mine, theirs):
                err, note = state["out"]
                return err, _join(note, "identical to geoent's result")
        return base.error(data, canon, name)

    return error


def _join(*parts):
    return "; ".join(p for p in parts if p)


def _fixed_suite(base: bench.Suite, data: dict[str, np.ndarray]) -> bench.Suite:
    """``base``'s contenders (less :data:`SKIPPED_CONTENDERS`) on fixed arrays
    instead of generated ones."""

    def make_input(name, n, seed):
        arr = data[name]
        return arr if n >= len(arr) else arr[np.linspace(0, len(arr) - 1, n).astype(np.int64)]

    def contenders():
        cs, notes = base.contenders()
        return [c for c in cs if c.name not in SKIPPED_CONTENDERS], notes

    return bench.Suite(
        base.name,
        base.operation,
        tuple(data),
        (),
        (),
        (),
        make_input=make_input,
        contenders=contenders,
        error=_error_fn(base),
        available=base.available,
        planar_input=False,
    )


def _run_fixed(base, data, rounds, max_seconds, notes, once_over=None):
    once_over = ONCE_OVER if once_over is None else once_over
    suite = _fixed_suite(base, data)
    rows = []
    for name, arr in data.items():
        r, sn = bench.run_suite(
            suite,
            sizes=[len(arr)],
            distributions=[name],
            rounds=rounds,
            max_seconds=max_seconds,
            once_over=once_over,
        )
        rows.extend(r)
        for x in sn:
            if x not in notes:
                notes.append(x)
    return rows


def _hint_polygon(points, hint) -> np.ndarray | None:
    """The polygon a hull hint describes: extreme points along directions, or indices."""
    h = np.asarray(hint)
    if h.ndim == 2 and h.shape[1] == 2 and np.issubdtype(h.dtype, np.floating):
        idx = np.unique(np.argmax(points @ h.T, axis=0))
    elif h.ndim == 1 and np.issubdtype(h.dtype, np.integer):
        idx = np.unique(h)
    else:
        return None
    poly = points[idx]
    c = poly.mean(axis=0)
    return poly[np.argsort(np.arctan2(poly[:, 1] - c[1], poly[:, 0] - c[0]))]


def _entropynet(data, notes, rounds):
    """Hull time with EntropyNet's hint against none; ``(rows, model)``.

    The model is the pretrained EntropyNet's hull-hint part without torch
    (``geoent._entropynet_infer.HullHintNet``: the same weights as
    ``geoent.torch.load_pretrained()``, whose ``hull_hint`` calls this same numba
    forward pass), so the demo does not import torch (about 1.2 s of CPU; issue 13).
    """
    from ._entropynet_infer import HullHintNet

    model = HullHintNet.pretrained()
    dir8 = DIR8  # the classical rival: extreme points along 8 fixed directions
    out = []
    for name, pts in data.items():
        plain = convex_hull(pts)
        hinted = convex_hull(pts, hint=model)
        classic = convex_hull(pts, hint=dir8)
        t_plain = bench.time_call(lambda pts=pts: convex_hull(pts), rounds)
        t_hint = bench.time_call(lambda pts=pts: convex_hull(pts, hint=model), rounds)
        t_dir8 = bench.time_call(lambda pts=pts: convex_hull(pts, hint=dir8), rounds)
        t_pred = bench.time_call(lambda pts=pts: model.hull_hint(pts), rounds)
        same = np.array_equal(np.asarray(plain), np.asarray(hinted)) and np.array_equal(
            np.asarray(plain), np.asarray(classic)
        )
        out.append(
            dict(
                data=name,
                n=len(pts),
                plain_s=float(np.median(t_plain)),
                hint_s=float(np.median(t_hint)),
                dir8_s=float(np.median(t_dir8)),
                predict_s=float(np.median(t_pred)),
                identical=bool(same),
            )
        )
    return out, model


#: The table's note on times marked ``*``.
_ONCE_FOOTNOTE = (
    f"* one timed call, not a median (a peer whose first call on a set takes over "
    f"{ONCE_OVER:g} s is timed by that call alone, to keep the demo short)"
)


def _cell(row: dict) -> str:
    """A row's time for the compact table, ``*`` when it is one timed call."""
    t = bench.fmt_s(row["median_s"])
    return f"{t}*" if row.get("median_s") is not None and row.get("rounds") == 1 else t


def _errors_cell(found: list[str], unchecked: list[str]) -> str:
    """The ``errors`` cell: what was found, else "all exact"; unchecked results named."""
    head = ", ".join(found) or ("exact" if unchecked else "all exact")
    return head + "".join(f"; {c} not checked" for c in unchecked)


def _compact(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    """One line per (operation, data): geoent and peer times, ratio, errors."""
    groups: dict[tuple, dict[str, dict]] = {}
    for r in rows:
        groups.setdefault((r["operation"], r["distribution"], r["n"]), {})[r["contender"]] = r
    peers = [
        c for c in ("scipy", "shapely", "triangle", "cgal") if any(c in g for g in groups.values())
    ]
    head = [
        "operation",
        "data",
        "n",
        "geoent",
        *peers,
        "geoent/scipy",
        "geoent/best peer",
        "errors",
    ]
    lines = []
    for (op, dist, n), g in groups.items():
        me = g.get("geoent")
        errs = [
            f"{c} {bench.fmt_err(r['error'])}"
            for c, r in g.items()
            if r.get("error") not in (None, 0, 0.0)
        ]
        fails = [c for c, r in g.items() if r.get("median_s") is None]
        # a result that was not compared (CGAL's triangles above CGAL_EXTRACT_MAX)
        unchecked = [
            c for c, r in g.items() if r.get("median_s") is not None and r.get("error") is None
        ]
        lines.append(
            [
                op,
                dist,
                f"{n:,}",
                _cell(me) if me else "n/a",
                *[_cell(g[c]) if c in g else "-" for c in peers],
                bench.fmt_ratio(me.get("ratio_scipy")) if me else "-",
                bench.fmt_ratio(me.get("ratio_best_peer")) if me else "-",
                _errors_cell(errs + [f"{c} failed" for c in fails], unchecked),
            ]
        )
    return head, lines


def _text_table(head, lines) -> str:
    w = [max(len(h), *(len(x[i]) for x in lines)) if lines else len(h) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(k) for h, k in zip(head, w, strict=True))]
    out.append("  ".join("-" * k for k in w))
    out += ["  ".join(c.ljust(k) for c, k in zip(x, w, strict=True)) for x in lines]
    return "\n".join(out)


def _md_table(head, lines) -> str:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(x) + " |" for x in lines]
    return "\n".join(out)


#: Points per set in the background warm-up of the later phases (see ``warm_ahead``).
WARM_N = 2000

#: points per generated set in the Delaunay step (``run_demo(delaunay_n=...)``)
DELAUNAY_N = 50_000


def warm_later_phases(n: int = WARM_N, seed: int = 0) -> None:
    """The demo's Delaunay, entropy and EntropyNet phases on small sets, results
    discarded: the kernels they compile (Delaunay, the exact predicates of the result
    checks, entropy, EntropyNet's direction kernel) land in numba's cache. Run in a
    child process by :func:`run_demo` while the parent times the hulls."""
    data = {REAL: load_dataset(REAL)[:n]}
    for name in GENERATED:
        data[name] = make_points(name, n, seed)
    _run_fixed(bench.SUITES["delaunay"], data, 1, 0.5, [])
    for pts in data.values():
        range_partition_entropy(pts)
    _entropynet(data, [], 1)


#: The child's code when the ahead-of-time kernels are in use: only EntropyNet's
#: forward pass (``entropynet_forward.hull_directions``) is left to compile, about
#: 1.7 s of CPU; the child imports numpy and numba only (no scipy, no torch).
_WARM_ENTROPYNET = (
    "import numpy as np; from geoent._entropynet_infer import HullHintNet; "
    "HullHintNet.pretrained().hull_hint(np.random.default_rng(0).random((2000, 2)))"
)


def _start_warm_child(seed, scope="all"):
    """A child process running :func:`warm_later_phases` (``scope="all"``) or
    compiling EntropyNet's forward pass (``"entropynet"``), or None (one core, or it
    could not start). It writes numba's cache (the same folder: same environment)."""
    import os
    import subprocess
    import sys

    if (os.cpu_count() or 1) < 2:
        return None
    code = (
        _WARM_ENTROPYNET
        if scope == "entropynet"
        else f"from geoent.demo import warm_later_phases; warm_later_phases(seed={int(seed)})"
    )
    try:
        return subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def _wait(child) -> None:
    """Wait for the warm-up child (its kernels are then in numba's cache to load)."""
    if child is None:
        return
    import subprocess

    try:
        child.wait(timeout=600)
    except subprocess.TimeoutExpired:  # never seen; this process compiles instead
        child.kill()


def run_demo(
    n: int = 100_000,
    out="geoent-demo",
    *,
    delaunay_n: int = DELAUNAY_N,
    seed: int = 0,
    rounds: int = 3,
    echo: Callable[..., None] = print,
    warm_ahead: bool | None = None,
) -> dict:
    """Run the demo; return a summary dict (``rows``, ``notes``, ``picture``, ``report``).

    Parameters
    ----------
    n : int
        Points per generated set.
    delaunay_n : int
        Points per generated set in the Delaunay step (at most ``n``; the first
        ``delaunay_n`` points of the same seeded generator): the peers' Delaunay
        runs were most of the demo's time at 100,000 points (issue 13), and the
        ratios are the same at this size (README, Delaunay tables).
    out : str or os.PathLike
        Output directory for ``demo.png`` and ``report.md`` (created).
    seed : int
        Seed of the generated sets.
    rounds : int
        Timed calls per contender (median reported). A peer whose first call on a
        set takes over :data:`ONCE_OVER` seconds is timed by that call alone (marked
        ``*`` in the table).
    echo : callable
        Where progress lines and the table go (``print`` by default).
    warm_ahead : bool or None
        ``True``: compile the later phases' kernels (Delaunay, entropy, EntropyNet)
        in a child process while this one times the hulls, so that the two cores
        compile at once; with a filled cache the child only loads. The Delaunay phase
        starts when the child is done, so nothing is compiled twice. ``None``
        (default): that when the ahead-of-time kernels are not in use
        (``geoent._aot.status()`` other than ``"aot"``); with them, a child that
        compiles only EntropyNet's forward pass (the one JIT kernel left in the
        demo), waited for before the EntropyNet phase (issue 13). ``False``: no child.
    """
    t_start = time.perf_counter()
    scope = "all"
    if warm_ahead is None:
        from . import _aot

        warm_ahead, scope = True, ("entropynet" if _aot.status() == "aot" else "all")
    warm = _start_warm_child(seed, scope) if warm_ahead else None

    def step(what):
        echo(f"  [{time.perf_counter() - t_start:5.1f} s] {what} ...")

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    real = load_dataset(REAL)
    if len(real) > n:  # a small --n keeps the whole demo small (and the tests quick)
        real = real[np.linspace(0, len(real) - 1, int(n)).astype(np.int64)]
    data: dict[str, np.ndarray] = {REAL: real}
    for name in GENERATED:
        data[name] = make_points(name, int(n), seed)
    echo(
        "geoent demo: exact hulls, Delaunay and entropy on "
        + ", ".join(f"{k} ({len(v):,})" for k, v in data.items())
    )

    step("convex hulls (geoent, scipy, shapely, CGAL where installed)")
    rows = _run_fixed(bench.SUITES["hull2d"], data, rounds, 2.0, notes)
    if scope == "all":
        _wait(warm)
    tri_n = min(int(n), int(delaunay_n))
    tri_data = {
        k: (v if k == REAL or len(v) <= tri_n else make_points(k, tri_n, seed))
        for k, v in data.items()
        if k not in _NO_DELAUNAY
    }
    step(
        "Delaunay (geoent, scipy, triangle, shapely, CGAL where installed) on "
        + ", ".join(f"{k} ({len(v):,})" for k, v in tri_data.items())
    )
    rows += _run_fixed(bench.SUITES["delaunay"], tri_data, rounds, 2.0, notes)
    bench.add_ratios(rows)

    step("certified entropy")
    entropies: dict[str, tuple[float, float]] = {}
    ent_results = {}
    # compile (or load) first, so that the times below are the work alone
    range_partition_entropy(make_points("kuzmin", 256, seed))
    for name, pts in data.items():
        t0 = time.perf_counter()
        res = range_partition_entropy(pts)
        entropies[name] = (float(res.entropy), time.perf_counter() - t0)
        ent_results[name] = res

    step("EntropyNet hint")
    if scope == "entropynet":
        _wait(warm)
    net_rows, model = _entropynet(data, notes, rounds)

    step("picture")
    picture = None
    focus = REAL
    try:
        from . import plotting

        pts = data[focus]
        sub = pts[np.random.default_rng(seed).choice(len(pts), min(600, len(pts)), replace=False)]
        sub = np.unique(sub, axis=0)
        tri = delaunay(sub)
        hint_poly = None if model is None else _hint_polygon(pts, model.hull_hint(pts))
        timings = {}
        for r in rows:
            if r["median_s"] and r["distribution"] in (focus, "uniform", "circle"):
                timings.setdefault(f"{r['operation']} {r['distribution']}", {})[r["contender"]] = r[
                    "median_s"
                ]
        picture = out / "demo.png"
        plotting.plot_demo(
            picture,
            pts,
            convex_hull(pts),
            tri_points=sub,
            triangles=tri,
            entropy=ent_results.get(focus),
            hint_polygon=hint_poly,
            timings=timings,
            title=focus,
        )
    except ImportError as exc:  # matplotlib is optional (the plot extra)
        notes.append(f"picture skipped: {exc}")
        picture = None

    head, lines = _compact(rows)
    table = _text_table(head, lines)
    echo("")
    echo(table)
    if any(r.get("rounds") == 1 for r in rows):
        echo(_ONCE_FOOTNOTE)
    if entropies:
        echo("")
        echo("certified range-partition entropy (upper bound on the structural entropy, nats):")
        for name, (h, t) in entropies.items():
            echo(f"  {name:<12} H = {h:.4g}   ({bench.fmt_s(t)})")
    if net_rows:
        echo("")
        echo("EntropyNet hint for the exact hull (same result required), end to end:")
        for r in net_rows:
            echo(
                f"  {r['data']:<12} no hint {bench.fmt_s(r['plain_s'])}, EntropyNet "
                f"{bench.fmt_s(r['hint_s'])} (network alone {bench.fmt_s(r['predict_s'])}), "
                f"8 directions {bench.fmt_s(r['dir8_s'])}; identical: "
                f"{'yes' if r['identical'] else 'NO'}"
            )

    elapsed = time.perf_counter() - t_start
    report = out / "report.md"
    report.write_text(
        _report(rows, head, lines, entropies, net_rows, notes, picture, elapsed, n, tri_n),
        encoding="utf-8",
    )
    if notes:
        echo("")
        echo("notes:")
        for x in notes:
            echo(f"  - {x}")
    echo("")
    if picture is not None:
        echo(f"picture: {picture}")
    echo(f"report:  {report}")
    echo(f"done in {elapsed:.1f} s (including compilation)")
    return dict(
        rows=rows,
        notes=notes,
        entropy=entropies,
        entropynet=net_rows,
        picture=picture,
        report=report,
        seconds=elapsed,
    )


def _report(rows, head, lines, entropies, net_rows, notes, picture, elapsed, n, tri_n) -> str:
    meta = bench.machine_info()
    md = [
        "# geoent demo report",
        "",
        f"Machine: {meta['cpu']} ({meta['cores']} cores), numba threads {meta['numba_threads']}; "
        f"numpy {meta['numpy']}, scipy {meta['scipy']}, shapely {meta['shapely']}, "
        f"numba {meta['numba']}; {meta['date']}. Generated sets have {n:,} points "
        f"({min(n, tri_n):,} in the Delaunay step). "
        f"Total run {elapsed:.1f} s including compilation.",
        "",
        "Every contender ran in this process on the same arrays, after a warm-up call; times "
        "are medians of the timed calls, except that a peer whose warm-up call on a set took "
        f"over {ONCE_OVER:g} s is timed by that call alone (marked `*`; `rounds` in the rows "
        "below). `errors` counts differences from the exact answer: hull vertices missing "
        "or extra, and Delaunay defects found with exact predicates (points left out, "
        "zero-area triangles, edges whose circumcircle holds a point). geoent's results are "
        "checked in full; a peer's result identical to geoent's (the same hull vertex "
        "coordinates, or the same coordinate triangles) has the same counts, so its check is "
        "not repeated (noted in its row); any other result is checked in full.",
        "",
        _md_table(head, lines),
        "",
    ]
    if any(r.get("rounds") == 1 for r in rows):
        md[-1:-1] = ["", _ONCE_FOOTNOTE]
    if picture is not None:
        md += [f"![demo]({Path(picture).name})", ""]
    if entropies:
        md += [
            "## Certified range-partition entropy",
            "",
            "| data | H (nats) | time |",
            "|---|---|---|",
        ]
        md += [f"| {k} | {h:.4g} | {bench.fmt_s(t)} |" for k, (h, t) in entropies.items()]
        md.append("")
    if net_rows:
        md += [
            "## EntropyNet hint",
            "",
            "Exact hull time end to end (network inference included) with no hint, with "
            "EntropyNet's hint and with the classical 8-direction hint; all three results "
            "must be identical.",
            "",
            "| data | n | no hint | EntropyNet hint | network alone | 8 directions | identical |",
            "|---|---|---|---|---|---|---|",
        ]
        md += [
            f"| {r['data']} | {r['n']:,} | {bench.fmt_s(r['plain_s'])} "
            f"| {bench.fmt_s(r['hint_s'])} | {bench.fmt_s(r['predict_s'])} "
            f"| {bench.fmt_s(r['dir8_s'])} | {'yes' if r['identical'] else 'NO'} |"
            for r in net_rows
        ]
        md.append("")
    if notes:
        md += ["## Notes", ""] + [f"* {x}" for x in notes] + [""]
    md += ["## All rows", "", "```", bench.format_table(rows, notes=True), "```", ""]
    return "\n".join(md)
