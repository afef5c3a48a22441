"""Suite ``hull2d``: one 2D convex hull, geoent's methods against Qhull, GEOS and CGAL."""

from __future__ import annotations

from ...datasets import DISTRIBUTIONS_2D, make_points
from ...hull import _METHODS, convex_hull
from ..checks import vertex_set_error
from ..model import Contender, Suite
from ..peers import add_cgal, scipy_hull, shapely_hull
from ..runner import register

__all__ = ["SUITE"]


def contenders():
    cs = [Contender("geoent", run=convex_hull, canon=lambda d, s, r: d[r], compiled=True)]
    # every named algorithm besides the default, e.g. geoent[instance_optimal]
    for m in _METHODS:
        if m in ("auto", "monotone"):
            continue
        cs.append(
            Contender(
                f"geoent[{m}]",
                run=lambda p, m=m: convex_hull(p, method=m),
                canon=lambda d, s, r: d[r],
                compiled=True,
            )
        )
    cs += [scipy_hull(), shapely_hull()]
    notes = []
    add_cgal("hull2d", cs, notes)
    return cs, notes


SUITE = register(
    Suite(
        "hull2d",
        "convex_hull",
        tuple(DISTRIBUTIONS_2D),
        (1_000, 10_000, 100_000, 1_000_000, 10_000_000),
        ("uniform", "circle", "kuzmin", "grid", "duplicates", "offset"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=vertex_set_error,
    )
)
