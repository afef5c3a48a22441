"""3D convex hulls: the harness's ``hull3d`` suite (geoent, Qhull, CGAL) as a script.

Contenders, timers and exactness checks are ``geoent.bench``'s (the same as
``geoent bench --suite hull3d``); its pytest-benchmark cases are in
``bench_matrix.py``. Script mode prints the markdown report::

    python benchmarks/bench_hull3d.py --sizes 1e3,1e4,1e5,1e6 --rounds 5
    python benchmarks/bench_hull3d.py --sizes 1e5 --cold   # compile time in a fresh cache
"""

from __future__ import annotations

from geoent.bench import script


def main(argv=None):
    return script.main(["hull3d"], argv, description=__doc__)


def test_script_tiny(capsys):
    """The script runs the harness and geoent's rows are exact (CI: tiny sizes)."""
    res = main(["--sizes", "200", "--rounds", "1", "--distributions", "ball", "--no-progress"])
    assert "### hull3d" in capsys.readouterr().out
    mine = [r for r in res.rows if r["contender"] == "geoent"]
    assert mine and all(r["error"] == 0.0 for r in mine), mine


if __name__ == "__main__":
    main()
