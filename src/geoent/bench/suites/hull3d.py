"""Suite ``hull3d``: one 3D convex hull, geoent against Qhull and CGAL."""

from __future__ import annotations

import numpy as np

from ...datasets import DISTRIBUTIONS_3D, make_points
from ...hull import convex_hull
from ..checks import vertex_set_error
from ..model import Contender, Suite
from ..peers import add_cgal, scipy_hull
from ..runner import register

__all__ = ["SUITE"]


def contenders():
    cs = [
        Contender("geoent", run=convex_hull, canon=lambda d, s, r: d[np.asarray(r)], compiled=True),
        scipy_hull(),
    ]
    notes = ["shapely: GEOS hulls are 2D only, skipped"]
    add_cgal("hull3d", cs, notes)
    return cs, notes


SUITE = register(
    Suite(
        "hull3d",
        "convex_hull_3d",
        tuple(DISTRIBUTIONS_3D),
        (1_000, 10_000, 100_000, 1_000_000),
        ("ball", "sphere"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=vertex_set_error,
        planar_input=False,
    )
)
