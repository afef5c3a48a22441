"""2D convex hulls: the harness's ``hull2d`` and ``batched`` suites as a script.

Contenders, timers and exactness checks are ``geoent.bench``'s (the same as
``geoent bench --suite hull2d --suite batched``); the pytest-benchmark cases of both
suites are in ``bench_matrix.py``. Script mode prints the markdown report::

    python benchmarks/bench_hull2d.py --sizes 1e3,1e4,1e5,1e6,1e7 --rounds 5 --max-seconds 5 --cold
    python benchmarks/bench_hull2d.py --sizes 1e6 --distributions uniform,circle --batch 0

``--batch M`` (default 100,000; 0: none) is the number of 16-point sets of the
``batched`` suite; ``--threads 1`` times it single-threaded.
"""

from __future__ import annotations

import argparse
import sys

from geoent.bench import script


def main(argv=None):
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--distributions", default=None)
    ap.add_argument("--sizes", default="1e3,1e4,1e5,1e6")
    known, rest = ap.parse_known_args(sys.argv[1:] if argv is None else argv)
    dists = ["--distributions", known.distributions] if known.distributions else []
    sizes = ["--sizes", known.sizes]
    out = [script.main(["hull2d"], rest + sizes + dists, description=__doc__)]
    if known.batch:
        rest = [a for a in rest if a != "--cold"]
        sizes = ["--sizes", str(known.batch)]  # the number of sets
        out.append(script.main(["batched"], rest + sizes + ["--distributions", "uniform"]))
    return out


def test_script_tiny(capsys):
    """The script runs the harness and geoent's rows are exact (CI: tiny sizes)."""
    args = ["--sizes", "200", "--rounds", "1", "--distributions", "uniform,circle"]
    hull, batched = main([*args, "--batch", "20", "--no-progress"])
    assert "### hull2d" in capsys.readouterr().out
    for res in (hull, batched):
        mine = [r for r in res.rows if r["contender"].startswith("geoent")]
        assert mine and all(r["error"] == 0.0 for r in mine), mine


if __name__ == "__main__":
    main()
