"""3D Delaunay: the harness's ``delaunay3d`` suite (geoent, Qhull, TetGen, CGAL) as a script.

Contenders, timers and exactness checks are ``geoent.bench``'s (the same as
``geoent bench --suite delaunay3d``): every contender's tetrahedra are judged by
exact predicates (missing points, zero-volume tetrahedra, non-Delaunay facets).
Script mode prints the markdown report::

    python benchmarks/bench_delaunay3d.py --sizes 1e4,1e5,1e6 --rounds 3
    python benchmarks/bench_delaunay3d.py --sizes 1e5 --distributions cube,sphere
"""

from __future__ import annotations

from geoent.bench import script


def main(argv=None):
    return script.main(["delaunay3d"], argv, sizes="1e3,1e4,1e5", description=__doc__)


def test_script_tiny(capsys):
    """The script runs the harness and geoent's rows are exact (CI: tiny sizes)."""
    res = main(
        ["--sizes", "300", "--rounds", "1", "--distributions", "cube,lattice_dups", "--no-progress"]
    )
    assert "### delaunay3d" in capsys.readouterr().out
    mine = [r for r in res.rows if r["contender"] == "geoent"]
    assert mine and all(r["error"] == 0.0 for r in mine), mine


if __name__ == "__main__":
    main()
