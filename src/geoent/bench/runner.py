"""The registry of suites and the loop that runs them.

A suite registers itself with :func:`register` (one module in ``geoent.bench.suites``
per suite); :func:`run_bench` runs the chosen ones and adds the ratio columns.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any

from ..datasets import DATASETS, DISTRIBUTIONS_2D, DISTRIBUTIONS_3D
from ..entropy import range_partition_entropy
from .model import FLOOR, BenchResult, Suite, blank_row, is_peer
from .report import fmt_s, machine_info
from .timing import first_call_s, median_min_max, time_call, warm_then_time

__all__ = [
    "SUITES",
    "register",
    "suite_names",
    "run_bench",
    "run_suite",
    "add_ratios",
    "parse_sizes",
    "entropy_of",
]

#: Registered suites by name, in run order (filled by ``geoent.bench.suites``).
SUITES: dict[str, Suite] = {}


def register(suite: Suite) -> Suite:
    """Add ``suite`` to :data:`SUITES` (by its name; a name is registered once)."""
    if suite.name in SUITES:
        raise ValueError(f"suite {suite.name!r} is already registered")
    SUITES[suite.name] = suite
    return suite


def suite_names() -> list[str]:
    """Names of the registered suites, in run order."""
    return list(SUITES)


def entropy_of(points, key, cache: dict) -> tuple[float | None, str]:
    """The input's certified entropy (cached by ``key``) and a note when it failed."""
    if key in cache:
        return cache[key]
    try:
        out = (float(range_partition_entropy(points).entropy), "")
    except ValueError as exc:  # input the entropy rejects must not sink the timing table
        out = (None, f"entropy failed: {type(exc).__name__}")
    cache[key] = out
    return out


def _pts(data):
    return data


def _join(*parts):
    return "; ".join(p for p in parts if p)


class _CappedProgress:
    """Hands a suite's own loop a tqdm-like object that cannot overrun our bar."""

    def __init__(self, bar, total: int, label: str):
        self.bar, self.left, self.label = bar, int(total), label
        if bar is not None:
            bar.set_description(label)

    def update(self, k: int = 1) -> None:
        k = max(0, min(int(k), self.left))
        self.left -= k
        if self.bar is not None and k:
            self.bar.update(k)

    def set_description(self, desc: str = "", refresh: bool = True) -> None:
        if self.bar is not None:
            self.bar.set_description(f"{self.label} {desc}".strip(), refresh=refresh)

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(s, refresh=refresh)

    def write(self, s: str) -> None:
        if self.bar is not None:
            self.bar.write(s)

    def finish(self) -> None:
        self.update(self.left)


def run_suite(
    suite: Suite,
    *,
    sizes: Sequence[int],
    distributions: Sequence[str],
    rounds: int = 5,
    seed: int = 0,
    max_seconds: float = 20.0,
    progress=None,
    entropy_cache: dict | None = None,
    once_over: float | None = None,
) -> tuple[list[dict], list[str]]:
    """Run one suite; return ``(rows, notes)`` (rows without the ratio keys).

    ``max_seconds`` caps the timed rounds of one contender on one input: a contender
    whose warm-up call took ``t`` gets ``min(rounds, max(1, max_seconds // t))``.
    ``once_over``: a contender that is not compiled (a peer) whose first call took
    more than this many seconds is timed by that call alone (1 round, noted), and a
    contender's geometry build (``prepare``) is timed by its first call, not a second.
    ``progress`` is a tqdm bar (or ``None``); it advances once per input.
    """
    why = suite.available()
    if why:
        if progress is not None:
            progress.update(len(sizes) * len(distributions))
        return [], [f"{suite.name}: skipped ({why})"]
    if suite.rows_fn is not None:
        proxy = _CappedProgress(progress, len(sizes) * len(distributions), suite.name)
        rows = suite.rows_fn(list(sizes), list(distributions), rounds, progress=proxy)
        proxy.finish()
        return [dict(r) for r in rows], []
    contenders, notes = suite.contenders()
    notes = [f"{suite.name}: {x}" for x in notes]
    rows: list[dict] = []
    entropy_cache = {} if entropy_cache is None else entropy_cache
    for dist in distributions:
        for n in sizes:
            if progress is not None:
                progress.set_description(f"{suite.name} {dist} n={n:,}")
            data = suite.make_input(dist, int(n), seed)
            entropy, enote = (None, "")
            if suite.planar_input:
                entropy, enote = entropy_of(data, (dist, int(n), seed), entropy_cache)
            canon: dict[str, Any] = {}
            these: list[dict] = []
            for c in contenders:
                row = blank_row(suite, dist, n, c.name)
                row["entropy"] = entropy
                these.append(row)
                if c.max_n is not None and n > c.max_n:
                    row["notes"] = f"not run above n={c.max_n:,}"
                    continue
                try:
                    prep = c.prepare or _pts
                    if c.compiled:
                        tiny = suite.make_input(dist, 64, seed + 1)
                        row["compile_s"] = first_call_s(
                            (suite.name, c.name),
                            lambda c=c, prep=prep, tiny=tiny: c.run(prep(tiny)),
                        )
                    t_build = time.perf_counter()
                    state = prep(data)  # warm the builder too
                    build_s = time.perf_counter() - t_build
                    build_note = ""
                    if c.prepare is not None:
                        if once_over is None:  # a second, warm build (once_over: the first)
                            build_s = min(time_call(lambda prep=prep, data=data: prep(data), 1))
                        build_note = f"geometry build {fmt_s(build_s)} (not in median)"
                    result, first, times = warm_then_time(
                        lambda c=c, state=state: c.run(state),
                        rounds,
                        max_seconds,
                        None if c.compiled else once_over,
                    )
                    med, lo, hi, k = median_min_max(times)
                    row.update(median_s=med, min_s=lo, max_s=hi, rounds=k)
                    lazy = ""
                    if c.compiled and first - med > 0.5:
                        lazy = f"first call on this input took {fmt_s(first)}"
                    elif once_over is not None and not c.compiled and first > once_over:
                        lazy = f"timed once: the first call (over {fmt_s(once_over)})"
                    row["notes"] = _join(c.note, build_note, lazy, enote)
                    canon[c.name] = c.canon(data, state, result) if c.canon else result
                except Exception as exc:  # a peer failing is a result, not a crash
                    msg = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
                    row["notes"] = _join(c.note, f"failed: {type(exc).__name__}: {msg}")
            for row in these:
                if row["contender"] in canon and suite.error is not None:
                    try:
                        err, note = suite.error(data, canon, row["contender"])
                    except Exception as exc:
                        err, note = None, f"error check failed: {type(exc).__name__}: {exc}"
                    row["error"] = err
                    row["notes"] = _join(row["notes"], note)
            rows.extend(these)
            if progress is not None:
                progress.update(1)
    return rows, notes


def add_ratios(rows: list[dict]) -> list[dict]:
    """Add ``ratio_scipy``, ``ratio_best_peer`` and ``ratio_read`` to every row (in
    place; returned).

    Rows are compared within one (suite, operation, distribution, n). A contender
    whose name starts with ``"geoent"`` is ours, the floor (``model.FLOOR``, one read
    pass) is neither, any other is a peer; the best peer is the fastest peer that did
    not fail. A ratio below 1 means faster than the reference; ``None`` when there
    is no reference or no time (``ratio_read``: no read-pass row in the group).

    Examples
    --------
    >>> rows = [dict(suite="s", operation="o", distribution="d", n=1, contender=c,
    ...              median_s=t) for c, t in [("geoent", 1.0), ("scipy", 4.0), ("shapely", 2.0)]]
    >>> [(r["ratio_scipy"], r["ratio_best_peer"]) for r in add_ratios(rows)]
    [(0.25, 0.5), (1.0, 2.0), (0.5, 1.0)]
    >>> rows = [dict(suite="s", operation="o", distribution="d", n=1, contender=c,
    ...              median_s=t) for c, t in [("geoent", 3.0), ("read-pass", 2.0)]]
    >>> [r["ratio_read"] for r in add_ratios(rows)]
    [1.5, 1.0]
    """
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["suite"], r["operation"], r["distribution"], r["n"]), []).append(r)
    for grp in groups.values():
        scipy_t = next(
            (r["median_s"] for r in grp if r["contender"] == "scipy" and r["median_s"]), None
        )
        peers = [r["median_s"] for r in grp if is_peer(r["contender"]) and r.get("median_s")]
        best = min(peers) if peers else None
        read_t = next((r["median_s"] for r in grp if r["contender"] == FLOOR), None)
        for r in grp:
            t = r.get("median_s")
            r["ratio_scipy"] = (t / scipy_t) if (t and scipy_t) else None
            r["ratio_best_peer"] = (t / best) if (t and best) else None
            r["ratio_read"] = (t / read_t) if (t and read_t) else None
    return rows


def _resolve(names: Iterable[str] | None, known: Sequence[str], what: str) -> list[str]:
    if not names:
        return list(known)
    out = []
    for name in names:
        for part in str(name).split(","):
            part = part.strip()
            if not part:
                continue
            if part not in known:
                raise ValueError(f"unknown {what} {part!r}; expected one of: {', '.join(known)}")
            out.append(part)
    return out


def parse_sizes(text: str | Sequence) -> list[int]:
    """``"1e3,1e5,2000000"`` (or a list) -> ``[1000, 100000, 2000000]``.

    Examples
    --------
    >>> parse_sizes("1e3, 20000")
    [1000, 20000]
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for it in items:
        s = str(it).strip().replace("_", "")
        if not s:
            continue
        try:
            v = float(s)
        except ValueError:
            raise ValueError(f"size {it!r} is not a number (expected e.g. 1e4,1e5)") from None
        if not math.isfinite(v) or v < 1 or v != int(v):
            raise ValueError(f"size {it!r} is not a positive integer")
        out.append(int(v))
    if not out:
        raise ValueError("no sizes given")
    return out


def run_bench(
    suites: Iterable[str] | None = None,
    *,
    sizes: Sequence[int] | None = None,
    distributions: Iterable[str] | None = None,
    quick: bool = False,
    rounds: int | None = None,
    threads: int | None = None,
    seed: int = 0,
    max_seconds: float | None = None,
    progress: bool = True,
    command: str | None = None,
) -> BenchResult:
    """Run the benchmark matrix and return its rows with ratios.

    Parameters
    ----------
    suites : list of str, optional
        Suite names (default: all, see :func:`suite_names`).
    sizes : list of int, optional
        Overrides every suite's sizes (for ``batched``: the number of sets).
    distributions : list of str, optional
        Restricts every suite to these distributions (each suite keeps the ones it
        knows).
    quick : bool
        A run of about a minute: fewer distributions, sizes 1e4 and 1e5, 3 rounds.
    rounds : int, optional
        Timed calls per contender and input (default 5, quick 3).
    threads : int, optional
        ``numba.set_num_threads`` for the run.
    seed : int
        Seed of every generated input.
    max_seconds : float, optional
        Cap on one contender's timed rounds on one input (default 20 s, quick 3 s).
    progress : bool
        Show a tqdm progress bar on stderr.
    command : str, optional
        The command line recorded in the metadata.

    Returns
    -------
    BenchResult
    """
    import numba

    names = _resolve(suites, list(SUITES), "suite")
    if threads is not None:
        if not 1 <= threads <= numba.config.NUMBA_NUM_THREADS:
            raise ValueError(
                f"--threads must be in 1..{numba.config.NUMBA_NUM_THREADS}, got {threads}"
            )
        numba.set_num_threads(int(threads))
    rounds = int(rounds) if rounds else (3 if quick else 5)
    max_seconds = max_seconds if max_seconds is not None else (3.0 if quick else 20.0)
    want = (
        _resolve(
            distributions,
            # plus any distribution a suite generates itself (delaunay3d's lattice_dups)
            list(
                dict.fromkeys(
                    [*DISTRIBUTIONS_2D, *DISTRIBUTIONS_3D, *DATASETS]
                    + [d for s in SUITES.values() for d in s.distributions]
                )
            ),
            "distribution",
        )
        if distributions
        else None
    )
    plan = []
    unplanned = []
    for name in names:
        s = SUITES[name]
        dists = list(s.quick_distributions if quick else s.distributions)
        if want is not None:
            dists = [
                d
                for d in want
                if d in s.distributions or (s.rows_fn and (d in DISTRIBUTIONS_2D or d in DATASETS))
            ]
        sz = list(sizes) if sizes else list(s.quick_sizes if quick else s.sizes)
        if dists:
            plan.append((s, sz, dists))
        else:
            unplanned.append(
                f"{name}: skipped (none of the requested distributions; its own: "
                f"{', '.join(s.distributions)})"
            )
    meta = machine_info(threads)
    meta.update(
        command=command or "geoent.bench.run_bench",
        quick=bool(quick),
        rounds=rounds,
        seed=int(seed),
        suites=[s.name for s, _, _ in plan],
        notes=list(unplanned),
    )
    total = sum(len(sz) * len(d) for _, sz, d in plan)
    bar = None
    if progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional (the bench extra): run without a bar
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=total, unit="input", file=sys.stderr, dynamic_ncols=True)
    rows: list[dict] = []
    ecache: dict = {}
    try:
        for s, sz, dists in plan:
            r, notes = run_suite(
                s,
                sizes=sz,
                distributions=dists,
                rounds=rounds,
                seed=seed,
                max_seconds=max_seconds,
                progress=bar,
                entropy_cache=ecache,
            )
            rows.extend(r)
            meta["notes"].extend(notes)
    finally:
        if bar is not None:
            bar.close()
    return BenchResult(meta=meta, rows=add_ratios(rows))
