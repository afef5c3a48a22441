"""Suite ``delaunay``: 2D Delaunay triangulation, geoent against Qhull, Triangle, GEOS, CGAL.

No reference answer is needed: every contender's triangles are judged by
:func:`geoent.testing.delaunay_defects` (exact predicates).
"""

from __future__ import annotations

from ...datasets import DISTRIBUTIONS_2D, make_points
from ...testing import delaunay_defects
from ...triangulation import delaunay
from ..checks import defect_note
from ..model import Contender, Suite
from ..peers import (
    CGAL_EXTRACT_MAX,
    add_cgal,
    scipy_delaunay,
    shapely_delaunay,
    triangle_delaunay,
)
from ..runner import register

__all__ = ["SUITE"]


def contenders():
    cs = [
        Contender("geoent", run=delaunay, canon=lambda d, s, r: (d, r), compiled=True),
        scipy_delaunay(),
    ]
    notes = []
    tri = triangle_delaunay()
    if tri is not None:
        cs.append(tri)
    else:
        notes.append("triangle: not installed (pip install 'geoent[bench]'), skipped")
    cs.append(shapely_delaunay())
    add_cgal("delaunay", cs, notes)
    return cs, notes


def error(data, canon, name):
    if canon[name] is None:
        return None, f"triangles not extracted above {CGAL_EXTRACT_MAX:,} points (slow Python loop)"
    verts, simp = canon[name]
    d = delaunay_defects(data, verts, simp)
    return float(d["total"]), defect_note(d)


SUITE = register(
    Suite(
        "delaunay",
        "delaunay",
        tuple(DISTRIBUTIONS_2D),
        (1_000, 10_000, 100_000, 1_000_000),
        ("uniform", "kuzmin", "grid"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=error,
    )
)
