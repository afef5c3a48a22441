"""2D Voronoi: the harness's ``voronoi`` suite (geoent, Qhull, GEOS) as a script.

Contenders, timers and checks are ``geoent.bench``'s (the same as ``geoent bench
--suite voronoi``). Script mode prints the markdown report::

    python benchmarks/bench_voronoi.py --sizes 1e4,1e5,1e6 --rounds 5
"""

from __future__ import annotations

from geoent.bench import script


def main(argv=None):
    return script.main(["voronoi"], argv, sizes="1e3,1e4,1e5", description=__doc__)


def test_script_tiny(capsys):
    """The script runs the harness and geoent's rows are exact (CI: tiny sizes)."""
    res = main(["--sizes", "300", "--rounds", "1", "--distributions", "uniform", "--no-progress"])
    assert "### voronoi" in capsys.readouterr().out
    mine = [r for r in res.rows if r["contender"] == "geoent"]
    assert mine and all(r["error"] == 0.0 for r in mine), mine


if __name__ == "__main__":
    main()
