"""Suite ``geo``: the convex hull of every geometry of a shapely array (what
``GeoSeries.convex_hull`` does), ``geoent.geo.convex_hull`` against
``shapely.convex_hull`` on the same array.

Both contenders take the same array of geometries and return an array of geometries,
so geoent's time includes reading the coordinates out of the geometries and building
the output geometries. Distributions (n is the number of geometries):

* ``polygons``: random star-shaped polygons of 16 to 64 vertices (sorted random
  angles, radii uniform in [0.5, 1], centres uniform in a 1000 x 1000 square);
* ``multipoints``: MultiPoints of 16 uniform points in the unit square;
* ``airports_by_country``: the shipped airports (``load_dataset("airports")``)
  grouped by country (234 MultiPoints of 1 to 20,000 points), cycled to n
  geometries.
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np

from ...datasets import load_dataset
from ..model import Contender, Suite
from ..runner import register

__all__ = ["SUITE", "random_polygons", "airports_by_country"]


def random_polygons(n, seed=0, kmin=16, kmax=64):
    """``n`` random star-shaped polygons of ``kmin`` to ``kmax`` vertices."""
    import shapely

    rng = np.random.default_rng(seed)
    k = rng.integers(kmin, kmax + 1, n)
    set_id = np.repeat(np.arange(n), k)
    ang = rng.random(set_id.shape[0]) * (2 * np.pi)
    ang = ang[np.lexsort((ang, set_id))]  # sorted within each polygon
    r = 0.5 + 0.5 * rng.random(set_id.shape[0])
    centre = rng.random((n, 2)) * 1000
    xy = centre[set_id] + np.column_stack((r * np.cos(ang), r * np.sin(ang)))
    return shapely.polygons(shapely.linearrings(xy, indices=set_id))


def airports_by_country():
    """The shipped airports as one MultiPoint per country (ISO code order)."""
    import shapely

    pts = load_dataset("airports")
    with files("geoent").joinpath("data", "airports.npz").open("rb") as f:
        country = np.load(f, allow_pickle=False)["country"]
    order = np.argsort(country, kind="stable")
    _, group = np.unique(country[order], return_inverse=True)
    return shapely.multipoints(pts[order], indices=group)


def make_input(dist, n, seed):
    import shapely

    n = int(n)
    if dist == "polygons":
        return random_polygons(n, seed)
    if dist == "multipoints":
        return shapely.multipoints(np.random.default_rng(seed).random((n, 16, 2)))
    if dist == "airports_by_country":
        groups = airports_by_country()
        return groups[np.arange(n) % groups.shape[0]]
    raise ValueError(f"unknown distribution {dist!r} for suite geo")


def _canon(data, state, res):
    """Hull vertices of every geometry as rows (geometry id, x, y), ring closures
    dropped (a set of coordinates per geometry)."""
    import shapely

    coords, which = shapely.get_coordinates(res, return_index=True)
    return np.unique(np.column_stack((which.astype(np.float64), coords)), axis=0)


def contenders():
    import shapely

    from ...geo import convex_hull

    return [
        Contender("geoent", run=convex_hull, canon=_canon, compiled=True),
        Contender("shapely", run=shapely.convex_hull, canon=_canon),
    ], []


def error(data, canon, name):
    from ..checks import vertex_set_error

    return vertex_set_error(data, canon, name)


SUITE = register(
    Suite(
        "geo",
        "geo.convex_hull (GeoSeries)",
        ("polygons", "multipoints", "airports_by_country"),
        (10_000, 100_000, 1_000_000),
        ("polygons", "airports_by_country"),
        (10_000,),
        make_input=make_input,
        contenders=contenders,
        error=error,
        planar_input=False,
    )
)
