"""Script mode of ``benchmarks/bench_<suite>.py``: one suite's table from the harness.

The scripts in ``benchmarks/`` print the README's tables; they are this function with
a suite name, so they time the harness's contenders with its timers (nothing else).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

from .report import to_markdown
from .runner import SUITES, parse_sizes, run_bench

__all__ = ["main", "cold_first_calls"]

_COLD = """
import sys, time
t = time.perf_counter(); import geoent.bench as B; t_import = time.perf_counter() - t
for name in sys.argv[1:]:
    s = B.SUITES[name]
    for c in s.contenders()[0]:
        if c.compiled:
            tiny = s.make_input(s.quick_distributions[0], 64, 1)
            t = time.perf_counter(); c.run((c.prepare or (lambda d: d))(tiny))
            print(f"- cold first call, {name} {c.name}: {time.perf_counter() - t:.1f} s")
print(f"- import geoent.bench: {t_import:.2f} s")
"""


def cold_first_calls(suites) -> list[str]:
    """First call of every compiled contender of ``suites`` with an empty numba cache.

    Runs in a fresh interpreter whose ``NUMBA_CACHE_DIR`` is a new temporary folder,
    so the times are compile times, not cache loads. Returns the printed lines.
    """
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, NUMBA_CACHE_DIR=d)
        r = subprocess.run(
            [sys.executable, "-c", _COLD, *suites],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return r.stdout.splitlines()


def main(suites, argv=None, *, sizes="1e3,1e4,1e5,1e6", description=None):
    """Parse ``argv`` and print the markdown report of ``suites`` (returns the result).

    Options: ``--sizes``, ``--distributions`` (default: each suite's full list),
    ``--rounds``, ``--max-seconds`` (cap on one contender's timed rounds on one
    input), ``--threads``, ``--cold`` (also compile times with an empty cache),
    ``--markdown FILE``, ``--no-progress``.
    """
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--sizes", default=sizes)
    ap.add_argument("--distributions", default=None, help="comma-separated (default: all)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--max-seconds", type=float, default=20.0)
    ap.add_argument("--threads", type=int, default=None, help="numba threads")
    ap.add_argument("--cold", action="store_true", help="also measure cold compile times")
    ap.add_argument("--markdown", default=None, help="also write the report to this file")
    ap.add_argument("--no-progress", action="store_true")
    a = ap.parse_args(argv)
    dists = a.distributions.split(",") if a.distributions else None
    if dists is None:  # each suite's full list, not the quick one
        dists = list(dict.fromkeys(d for s in suites for d in SUITES[s].distributions))
    result = run_bench(
        suites,
        sizes=parse_sizes(a.sizes),
        distributions=dists,
        rounds=a.rounds,
        threads=a.threads,
        max_seconds=a.max_seconds,
        progress=not a.no_progress,
        command=" ".join([os.path.basename(sys.argv[0] or "bench"), *(argv or sys.argv[1:])]),
    )
    md = to_markdown(result)
    if a.cold:
        md += "\n### Cold compile\n\n" + "\n".join(cold_first_calls(suites)) + "\n"
    print(md)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(md)
    return result
