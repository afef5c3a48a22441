"""The harness's data model: the row contract, contenders, suites and a run's result."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ROW_KEYS", "FLOOR", "Contender", "Suite", "BenchResult", "blank_row", "is_peer"]

#: Name of the floor contender: one numba pass over the input computing eight extreme
#: values (min and max of x, y, x + y, x - y), the least any hull of few vertices
#: must do. Neither geoent nor a peer; rows get ``ratio_read`` = time / its time.
FLOOR = "read-pass"


def is_peer(name) -> bool:
    """Whether contender ``name`` is a peer: neither geoent's nor the floor."""
    return not str(name).startswith("geoent") and name != FLOOR


#: Keys of every benchmark row, in order (the contract between engineers); the
#: harness adds ``ratio_scipy`` and ``ratio_best_peer``.
ROW_KEYS = (
    "suite",
    "operation",
    "distribution",
    "n",
    "contender",
    "median_s",
    "min_s",
    "max_s",
    "rounds",
    "compile_s",
    "error",
    "entropy",
    "notes",
)


@dataclass
class Contender:
    """One implementation of a suite's operation.

    ``prepare(data) -> state`` is timed apart (geometry building); ``run(state)`` is
    what ``median_s`` measures; ``canon(data, state, result)`` turns a result into the
    suite's comparable form (outside the timing).
    """

    name: str
    run: Callable[[Any], Any]
    prepare: Callable[[Any], Any] | None = None
    canon: Callable[[Any, Any, Any], Any] | None = None
    compiled: bool = False
    note: str = ""
    max_n: int | None = None  # above this size the contender is not run (named in notes)


@dataclass
class Suite:
    """An operation over distributions and sizes, with its contenders.

    ``contenders()`` returns ``(available, notes)`` where ``notes`` explains each
    contender that is skipped. ``error(data, canon_by_name, name)`` returns
    ``(error, note)`` for one contender given every contender's canonical result.
    ``rows_fn``, when set, replaces the harness loop (the ``entropynet`` suite).
    """

    name: str
    operation: str
    distributions: tuple
    sizes: tuple
    quick_distributions: tuple
    quick_sizes: tuple
    make_input: Callable[[str, int, int], Any] | None = None
    contenders: Callable[[], tuple[list[Contender], list[str]]] | None = None
    error: Callable[[Any, dict, str], tuple[float | None, str]] | None = None
    available: Callable[[], str | None] = lambda: None  # None, or why it is skipped
    planar_input: bool = True  # whether the input's 2D entropy is meaningful
    rows_fn: Callable[..., list[dict]] | None = None


@dataclass
class BenchResult:
    """Rows plus the run's metadata (machine, versions, command, skipped pieces)."""

    meta: dict
    rows: list[dict] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> BenchResult:
        """Read back what :meth:`to_json` wrote (to re-render a report)."""
        doc = json.loads(text)
        return cls(meta=doc["meta"], rows=doc["rows"])

    def to_json(self) -> str:
        return json.dumps({"meta": self.meta, "rows": self.rows}, indent=1, default=_json_default)


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def blank_row(suite: Suite, dist: str, n: int, name: str) -> dict:
    """A row of the contract with nothing measured yet."""
    return {
        "suite": suite.name,
        "operation": suite.operation,
        "distribution": dist,
        "n": int(n),
        "contender": name,
        "median_s": None,
        "min_s": None,
        "max_s": None,
        "rounds": 0,
        "compile_s": None,
        "error": None,
        "entropy": None,
        "notes": "",
    }
