"""Suite ``delaunay3d``: 3D Delaunay tetrahedralisation, geoent against Qhull, TetGen, CGAL.

No reference answer is needed: every contender's tetrahedra are judged by
:func:`geoent._validate3d.tetrahedralization_defects` (exact orient3d/insphere):
distinct points missing, zero-volume tetrahedra, non-Delaunay facets.
"""

from __future__ import annotations

import numpy as np

from ..._validate3d import tetrahedralization_defects
from ...datasets import make_points
from ...triangulation import delaunay
from ..model import Contender, Suite
from ..peers import CGAL_EXTRACT_MAX, CGAL_MAX_N, CGAL_MISSING, cgal, scipy_delaunay
from ..runner import register

__all__ = ["SUITE", "make_input3d"]

DISTRIBUTIONS = ("cube", "ball", "sphere", "clusters", "lattice_dups")


def make_input3d(name, n, seed=0):
    """Uniform cube, ball, sphere surface (datasets), Gaussian clusters, and an
    integer lattice with about 10% exact duplicates, shuffled."""
    rng = np.random.default_rng(seed)
    if name in ("cube", "ball", "sphere", "gaussian3d"):
        return make_points(name, n, seed)
    if name == "clusters":
        c = rng.random((max(2, n // 1000), 3))
        return c[rng.integers(0, len(c), n)] + 0.01 * rng.standard_normal((n, 3))
    if name == "lattice_dups":
        side = max(2, int(round((0.9 * n) ** (1 / 3))))
        g = np.mgrid[0:side, 0:side, 0:side].reshape(3, -1).T.astype(np.float64)
        extra = g[rng.integers(0, len(g), max(0, n - len(g)))]
        allp = np.vstack((g, extra))
        return allp[rng.permutation(len(allp))][:n].copy()
    raise ValueError(f"unknown 3D distribution {name!r}")


def _tetgen():
    try:
        from meshpy.tet import MeshInfo, Options, build
    except ImportError:
        return None

    def run(p):
        mi = MeshInfo()
        mi.set_points(p)
        m = build(mi, options=Options("Q"))
        return np.array(m.points), np.array(m.elements, dtype=np.int64).reshape(-1, 4)

    return Contender(
        "tetgen",
        run=run,
        canon=lambda d, s, r: r,
        note="TetGen through meshpy (switches Q), tetrahedra read back in the call",
    )


def _cgal3():
    if cgal() is None:
        return None
    try:
        from CGAL.CGAL_Kernel import Point_3
        from CGAL.CGAL_Triangulation_3 import Delaunay_triangulation_3
    except ImportError:
        return None

    def run(pl):
        t = Delaunay_triangulation_3()
        t.insert(pl)
        return t

    def canon(d, s, t):
        if t.number_of_vertices() > CGAL_EXTRACT_MAX:
            return None
        xyz = []
        for c in t.finite_cells():
            for i in range(4):
                q = c.vertex(i).point()
                xyz.append((q.x(), q.y(), q.z()))
        v = np.array(xyz, dtype=np.float64).reshape(-1, 3)
        return v, np.arange(len(v)).reshape(-1, 4)

    return Contender(
        "cgal",
        prepare=lambda p: [Point_3(x, y, z) for x, y, z in p.tolist()],
        run=run,
        canon=canon,
        note=(
            "Epick kernel (exact predicates); Point objects built apart; "
            "cells not extracted in the call"
        ),
        max_n=CGAL_MAX_N,
    )


def contenders():
    cs = [
        Contender("geoent", run=delaunay, canon=lambda d, s, r: (d, r), compiled=True),
        scipy_delaunay(),
    ]
    notes = []
    tg = _tetgen()
    if tg is None:
        notes.append("tetgen: meshpy not installed, skipped")
    else:
        cs.append(tg)
    cg = _cgal3()
    if cg is None:
        notes.append(CGAL_MISSING)
    else:
        cs.append(cg)
    return cs, notes


def error(data, canon, name):
    if canon[name] is None:
        return (
            None,
            f"tetrahedra not extracted above {CGAL_EXTRACT_MAX:,} points (slow Python loop)",
        )
    verts, simp = canon[name]
    d = tetrahedralization_defects(data, verts, simp)
    note = ", ".join(
        f"{k} {d[k]}"
        for k in ("missing", "foreign", "degenerate", "non_delaunay", "nonmanifold")
        if d[k]
    )
    return float(d["total"]), note


SUITE = register(
    Suite(
        "delaunay3d",
        "delaunay_3d",
        DISTRIBUTIONS,
        (1_000, 10_000, 100_000, 1_000_000),
        ("cube", "sphere", "lattice_dups"),
        (10_000, 100_000),
        make_input=make_input3d,
        contenders=contenders,
        error=error,
        planar_input=False,
    )
)
