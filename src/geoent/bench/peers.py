"""Peers: the other libraries geoent is timed against, as contenders, and whether they exist.

scipy (Qhull) and shapely (GEOS) are always there; Shewchuk's ``triangle``
(``pip install 'geoent[bench]'``) and CGAL's SWIG bindings (``pip install cgal``,
module ``CGAL``) are optional: a missing one is skipped with a note, never a crash.
"""

from __future__ import annotations

import numpy as np

from .model import Contender

__all__ = [
    "cgal",
    "triangle",
    "cgal_contender",
    "add_cgal",
    "scipy_hull",
    "shapely_hull",
    "scipy_delaunay",
    "shapely_delaunay",
    "triangle_delaunay",
    "CGAL_MAX_N",
    "CGAL_EXTRACT_MAX",
    "CGAL_MISSING",
]


def triangle():
    """Shewchuk's Triangle bindings (``triangle`` on PyPI), or ``None``."""
    try:
        import triangle as tri
    except ImportError:
        return None
    return tri


def cgal():
    """CGAL's Python bindings (``cgal`` on PyPI, module ``CGAL``), or ``None``."""
    try:
        import CGAL
    except ImportError:
        return None
    return CGAL


CGAL_MISSING = "CGAL: Python bindings not importable, skipped"
CGAL_MAX_N = 1_000_000  # building Python Point objects costs seconds per million points
CGAL_EXTRACT_MAX = 20_000  # reading faces back is a Python loop over every face
_CGAL_NOTE = "Epick kernel (exact predicates); Point objects built apart"


def cgal_contender(kind: str):
    """CGAL through its SWIG bindings (``pip install cgal``), or ``None``.

    The bindings take Python lists of Point objects: building them is timed apart
    (``prepare``); the list-to-vector conversion inside the call is timed.
    """
    if cgal() is None:
        return None
    try:
        if kind == "hull2d":
            from CGAL.CGAL_Convex_hull_2 import convex_hull_2
            from CGAL.CGAL_Kernel import Point_2

            def run(pl):
                out = []
                convex_hull_2(pl, out)
                return out

            return Contender(
                "cgal",
                prepare=lambda p: [Point_2(x, y) for x, y in p.tolist()],
                run=run,
                canon=lambda d, s, r: np.array([[q.x(), q.y()] for q in r]).reshape(-1, 2),
                note=_CGAL_NOTE,
                max_n=CGAL_MAX_N,
            )
        if kind == "hull3d":
            from CGAL.CGAL_Convex_hull_3 import convex_hull_3
            from CGAL.CGAL_Kernel import Point_3
            from CGAL.CGAL_Polyhedron_3 import Polyhedron_3

            def run3(pl):
                poly = Polyhedron_3()
                convex_hull_3(pl, poly)
                return poly

            def canon3(d, s, poly):
                pts = [v.point() for v in poly.vertices()]
                return np.array([[q.x(), q.y(), q.z()] for q in pts]).reshape(-1, 3)

            return Contender(
                "cgal",
                prepare=lambda p: [Point_3(x, y, z) for x, y, z in p.tolist()],
                run=run3,
                canon=canon3,
                note=_CGAL_NOTE,
                max_n=CGAL_MAX_N,
            )
        if kind == "delaunay":
            from CGAL.CGAL_Kernel import Point_2
            from CGAL.CGAL_Triangulation_2 import Delaunay_triangulation_2

            def run_dt(pl):
                t = Delaunay_triangulation_2()
                t.insert(pl)
                return t

            def canon_dt(d, s, t):
                if t.number_of_vertices() > CGAL_EXTRACT_MAX:
                    return None
                xy = []
                for f in t.finite_faces():
                    for i in range(3):
                        q = f.vertex(i).point()
                        xy.append((q.x(), q.y()))
                verts = np.array(xy, dtype=np.float64).reshape(-1, 2)
                return verts, np.arange(len(verts)).reshape(-1, 3)

            return Contender(
                "cgal",
                prepare=lambda p: [Point_2(x, y) for x, y in p.tolist()],
                run=run_dt,
                canon=canon_dt,
                note=_CGAL_NOTE,
                max_n=CGAL_MAX_N,
            )
    except ImportError:  # an incomplete install is reported as "not importable"
        return None
    return None


def add_cgal(kind: str, contenders: list, notes: list) -> None:
    """Append CGAL's contender for ``kind`` to ``contenders``, or a note why it is skipped."""
    c = cgal_contender(kind)
    if c is None:
        notes.append(CGAL_MISSING)
    else:
        contenders.append(c)


def scipy_hull() -> Contender:
    """``scipy.spatial.ConvexHull(points).vertices`` (Qhull), 2D or 3D."""
    from scipy.spatial import ConvexHull as QHull

    return Contender("scipy", run=lambda p: QHull(p).vertices, canon=lambda d, s, r: d[r])


def shapely_hull() -> Contender:
    """``shapely.convex_hull`` (GEOS, 2D) on a MultiPoint built apart."""
    import shapely

    return Contender(
        "shapely",
        prepare=shapely.multipoints,
        run=shapely.convex_hull,
        canon=lambda d, s, r: shapely.get_coordinates(r),
    )


def scipy_delaunay() -> Contender:
    """``scipy.spatial.Delaunay(points).simplices`` (Qhull)."""
    from scipy.spatial import Delaunay as QDelaunay

    return Contender("scipy", run=lambda p: QDelaunay(p).simplices, canon=lambda d, s, r: (d, r))


def _triangle_input(p):
    # triangle 20250106 segfaults when every point is the same one
    if len(p) and not np.ptp(p, axis=0).any():
        raise ValueError("not run: triangle crashes on input with a single distinct point")
    return {"vertices": p}


def triangle_delaunay() -> Contender | None:
    """Shewchuk's Triangle (``triangulate(..., "Q")``), or ``None`` when not installed."""
    tri = triangle()
    if tri is None:
        return None
    return Contender(
        "triangle",
        prepare=_triangle_input,
        run=lambda s: tri.triangulate(s, "Q"),
        canon=lambda d, s, r: (r["vertices"], r.get("triangles", np.empty((0, 3)))),
    )


def shapely_delaunay() -> Contender:
    """``shapely.delaunay_triangles`` (GEOS) on a MultiPoint built apart."""
    import shapely

    def canon(d, s, r):
        parts = shapely.get_parts(r)
        coords = shapely.get_coordinates(parts).reshape(len(parts), 4, 2)[:, :3]
        return coords.reshape(-1, 2), np.arange(3 * len(parts)).reshape(-1, 3)

    return Contender(
        "shapely", prepare=shapely.multipoints, run=shapely.delaunay_triangles, canon=canon
    )
