"""Suite ``hull2d``: one 2D convex hull, geoent's methods against Qhull, GEOS and CGAL,
and against one read pass of the same array (``read-pass``, the column ``x read``).

Distributions: those of ``DISTRIBUTIONS_2D`` and the thin/rotated families of
``THIN_ROTATED_2D`` (strips of aspect 10, 100, 1000 and Gaussians of axis ratio 20
and 1000, at rotations 0, 0.1, 0.6 rad)."""

from __future__ import annotations

from ..._kernels.hull2d_adaptive import extremes8
from ...datasets import DISTRIBUTIONS_2D, THIN_ROTATED_2D, make_points
from ...hull import _METHODS, convex_hull
from ..checks import vertex_set_error
from ..model import FLOOR, Contender, Suite
from ..peers import add_cgal, scipy_hull, shapely_hull
from ..runner import register

__all__ = ["SUITE"]


def _error(data, canon, name):
    if name == FLOOR:
        return None, "the floor: one read pass, no hull"
    return vertex_set_error(data, canon, name)


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
    # the floor: one read pass (8 extreme values) of the same array; rows get x read
    cs.append(Contender(FLOOR, run=lambda p: extremes8(p.reshape(-1)), compiled=True))
    cs += [scipy_hull(), shapely_hull()]
    notes = []
    add_cgal("hull2d", cs, notes)
    return cs, notes


SUITE = register(
    Suite(
        "hull2d",
        "convex_hull",
        (*DISTRIBUTIONS_2D, *THIN_ROTATED_2D),
        (1_000, 10_000, 100_000, 1_000_000, 10_000_000),
        ("uniform", "circle", "kuzmin", "grid", "duplicates", "offset"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=_error,
    )
)
