"""Suite ``voronoi``: 2D Voronoi diagrams, geoent against Qhull and GEOS.

Contenders: ``geoent`` (``geoent.Voronoi``: vertices and ridges; the regions
and scipy's list attributes are built on first access and not timed),
``geoent-lists`` (the same, then every attribute read once: regions walked,
``ridge_vertices`` and ``regions`` as lists, like for like with scipy, which
builds them all in its constructor), ``geoent-cells`` (``geoent`` plus
``to_shapely(extent=...)``, the cells as clipped shapely polygons), ``scipy``
(``scipy.spatial.Voronoi``) and ``shapely`` (``shapely.voronoi_polygons`` of a
MultiPoint built apart, cells as polygons).

Error: for scipy, the ridges (pairs of neighbouring points) that differ from
geoent's exact ones (Qhull merges or splits near-cocircular vertices with
tolerances), counted both ways; shapely's cells are not compared (0 when its
cell count equals the number of distinct points, else the difference).
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_points
from ...voronoi import Voronoi
from ..model import Contender, Suite
from ..runner import register

__all__ = ["SUITE"]


def _box(p):
    lo = p.min(axis=0)
    hi = p.max(axis=0)
    pad = 0.1 * float((hi - lo).max())
    return (lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad)


def _pairs(rp):
    rp = np.sort(np.asarray(rp, dtype=np.int64), axis=1)
    return set(map(tuple, rp.tolist()))


def _every_attribute(p):
    vor = Voronoi(p)
    _ = (vor.vertices, vor.ridge_points, vor.point_region, vor.ridge_vertices, vor.regions)
    return vor


def contenders():
    import shapely
    from scipy.spatial import Voronoi as QVoronoi

    cs = [
        Contender("geoent", run=Voronoi, canon=lambda d, s, r: r.ridge_points, compiled=True),
        Contender(
            "geoent-lists",
            run=_every_attribute,
            canon=lambda d, s, r: r.ridge_points,
            compiled=True,
        ),
        Contender(
            "geoent-cells",
            run=lambda p: Voronoi(p).to_shapely(extent=_box(p)),
            canon=lambda d, s, r: len(r),
            compiled=True,
        ),
        Contender("scipy", run=QVoronoi, canon=lambda d, s, r: r.ridge_points),
        Contender(
            "shapely",
            prepare=shapely.multipoints,
            run=shapely.voronoi_polygons,
            canon=lambda d, s, r: int(shapely.get_num_geometries(r)),
        ),
    ]
    return cs, []


def error(data, canon, name):
    if name in ("geoent", "geoent-lists"):
        return 0.0, ""
    if name in ("geoent-cells", "shapely"):
        nd = len(np.unique(data, axis=0))
        diff = abs(int(canon[name]) - (len(data) if name == "geoent-cells" else nd))
        return float(diff), (f"{diff} cells too many or too few" if diff else "")
    if "geoent" not in canon:
        return None, "no exact reference"
    ours = _pairs(canon["geoent"])
    theirs = _pairs(canon[name])
    miss = len(ours - theirs)
    extra = len(theirs - ours)
    note = f"ridges: {miss} missing, {extra} extra" if miss + extra else ""
    return float(miss + extra), note


SUITE = register(
    Suite(
        "voronoi",
        "voronoi_2d",
        ("uniform", "gaussian", "grid", "clusters"),
        (1_000, 10_000, 100_000, 1_000_000),
        ("uniform", "grid"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=error,
        planar_input=True,
    )
)
