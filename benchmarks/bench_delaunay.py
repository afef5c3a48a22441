"""2D Delaunay: the harness's ``delaunay`` suite (geoent, Qhull, Triangle, GEOS, CGAL).

Contenders, timers and exactness checks are ``geoent.bench``'s (the same as
``geoent bench --suite delaunay``): every contender's triangles are judged by
:func:`geoent.testing.delaunay_defects`. Its pytest-benchmark cases are in
``bench_matrix.py``. Script mode prints the markdown report::

    python benchmarks/bench_delaunay.py --sizes 1e3,1e4,1e5,1e6 --rounds 3
"""

from __future__ import annotations

from geoent.bench import script


def main(argv=None):
    return script.main(["delaunay"], argv, description=__doc__)


def test_script_tiny(capsys):
    """The script runs the harness and every exact contender has no defect (CI)."""
    res = main(["--sizes", "200", "--rounds", "1", "--distributions", "uniform", "--no-progress"])
    assert "### delaunay" in capsys.readouterr().out
    rows = {r["contender"]: r for r in res.rows}
    assert rows["geoent"]["error"] == 0.0 and rows["scipy"]["error"] == 0.0


if __name__ == "__main__":
    main()
