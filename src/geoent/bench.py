"""The benchmark harness behind ``geoent bench`` (and ``benchmarks/bench_matrix.py``).

A *suite* is one operation (2D hull, many small hulls, 3D hull, Delaunay, entropy,
EntropyNet hints) over DESIGN.md's seeded distributions and sizes. For every input
each *contender* (geoent and its peers: scipy/Qhull, shapely/GEOS, Shewchuk's
``triangle``, CGAL's bindings where importable) runs in the same process on the same
array:

1. the first call of a compiled (numba) contender on a tiny input is timed once and
   reported as ``compile_s`` (compile, or load from numba's cache);
2. geometry building that a peer needs (``shapely.multipoints``) is timed apart and
   named in ``notes``; it is not part of ``median_s``;
3. one untimed warm-up call on the real input, whose result is checked against the
   exact answer (``error``: 0.0 when it matches);
4. ``rounds`` timed calls: median, min and max.

Every suite yields rows in the contract format (see :data:`ROW_KEYS`);
:func:`add_ratios` adds ``ratio_scipy`` and ``ratio_best_peer`` (below 1 is faster).
A contender whose name starts with ``"geoent"`` is ours; every other is a peer.

Examples
--------
>>> from geoent.bench import run_bench
>>> res = run_bench(suites=["hull2d"], sizes=[1000], distributions=["uniform"],
...                 rounds=1, progress=False)
>>> {"geoent", "scipy", "shapely"} <= {r["contender"] for r in res.rows}
True
"""

from __future__ import annotations

import datetime as _dt
import gc
import importlib
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .datasets import DISTRIBUTIONS_2D, DISTRIBUTIONS_3D, make_points

__all__ = [
    "ROW_KEYS",
    "Contender",
    "Suite",
    "BenchResult",
    "SUITES",
    "suite_names",
    "run_bench",
    "run_suite",
    "add_ratios",
    "time_call",
    "hull_vertex_error",
    "delaunay_defects",
    "to_markdown",
    "summary_rows",
    "format_table",
    "machine_info",
]

#: Keys of every benchmark row, in order (the contract between engineers); the
#: harness adds ``ratio_scipy`` and ``ratio_best_peer``.
ROW_KEYS = (
    "suite",
    "operation",
    "distribution",
    "n",
    "contender",
    "median_s",
    "min_s",
    "max_s",
    "rounds",
    "compile_s",
    "error",
    "entropy",
    "notes",
)

BATCH_SET_SIZE = 16  # points per set in the "batched" suite (DESIGN.md's 100,000 x 16)


# --------------------------------------------------------------------------- timing


def time_call(fn: Callable[[], Any], rounds: int) -> list[float]:
    """Wall-clock seconds of ``rounds`` calls of ``fn`` (garbage collector paused).

    Examples
    --------
    >>> ts = time_call(lambda: sum(range(100)), 3)
    >>> len(ts), all(t >= 0 for t in ts)
    (3, True)
    """
    times = []
    was_enabled = gc.isenabled()
    # like timeit: pause the collector, but no gc.collect() first (0.3 s per call
    # once torch and numba are loaded, far more than most timed calls)
    gc.disable()
    try:
        for _ in range(max(1, int(rounds))):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
    finally:
        if was_enabled:
            gc.enable()
    return times


# ------------------------------------------------------------------- exactness checks


def _row_keys(a: np.ndarray) -> np.ndarray:
    """Rows of a float array as opaque byte strings (``-0.0`` counted as ``0.0``)."""
    a = np.ascontiguousarray(np.asarray(a, dtype=np.float64).reshape(len(a), -1) + 0.0)
    return a.view(np.dtype((np.void, a.dtype.itemsize * a.shape[1]))).ravel()


def hull_vertex_error(exact: np.ndarray, got: np.ndarray) -> tuple[int, int]:
    """``(missing, extra)``: exact hull vertices absent from ``got``, and the reverse.

    Both arguments are vertex *coordinates* (one row a vertex; a leading set-id
    column for batched hulls), so the comparison does not depend on which of
    several duplicate points a library reports.

    Examples
    --------
    >>> import numpy as np
    >>> hull_vertex_error(np.array([[0., 0], [1, 0], [0, 1]]), np.array([[0., 0], [1, 0]]))
    (1, 0)
    """
    e = np.unique(_row_keys(exact))
    g = np.unique(_row_keys(got))
    return int(np.count_nonzero(~np.isin(e, g))), int(np.count_nonzero(~np.isin(g, e)))


def delaunay_defects(points: np.ndarray, verts: np.ndarray, simplices: np.ndarray) -> dict:
    """Count what keeps a triangulation from being an exact Delaunay triangulation.

    Decided with geoent's exact predicates, so it needs no reference answer and
    judges geoent and its peers alike. ``verts`` are the coordinates the
    triangulation's ``simplices`` index (a library may renumber or copy them).

    Returns
    -------
    dict
        ``missing`` distinct input points used by no triangle, ``foreign`` vertices
        that are not input points, ``degenerate`` zero-area triangles,
        ``non_delaunay`` edges whose opposite vertex lies strictly inside the
        neighbour's circumcircle, ``nonmanifold`` edges shared by more than two
        triangles, ``area`` 1 when the triangle areas do not add up to the hull's
        area (gaps or overlaps), and ``total``.

    Examples
    --------
    >>> import numpy as np
    >>> sq = np.array([[0., 0], [1, 0], [1, 1], [0, 1]])
    >>> delaunay_defects(sq, sq, np.array([[0, 1, 2], [0, 2, 3]]))["total"]
    0
    """
    from . import predicates

    pts = np.asarray(points, dtype=np.float64)
    verts = np.asarray(verts, dtype=np.float64).reshape(-1, 2)
    simp = np.asarray(simplices, dtype=np.int64).reshape(-1, 3)
    out = dict(missing=0, foreign=0, degenerate=0, non_delaunay=0, nonmanifold=0, area=0)
    ukeys = np.unique(_row_keys(pts))  # sorted distinct input points
    if len(simp) == 0:
        out["missing"] = int(len(ukeys)) if len(ukeys) >= 3 else 0
        out["total"] = sum(out.values())
        return out
    vkeys = _row_keys(verts)
    pos = np.searchsorted(ukeys, vkeys)
    pos_c = np.minimum(pos, len(ukeys) - 1)
    found = ukeys[pos_c] == vkeys
    # canonical id per vertex: its distinct input point, or a fresh id when foreign
    vid = np.where(found, pos_c, len(ukeys) + np.arange(len(verts)))
    ids = vid[simp]
    used = np.unique(ids.ravel())
    out["foreign"] = int(np.count_nonzero(used >= len(ukeys)))
    out["missing"] = int(len(ukeys) - np.count_nonzero(used < len(ukeys)))
    a, b, c = verts[simp[:, 0]], verts[simp[:, 1]], verts[simp[:, 2]]
    o = predicates.orient2d(a, b, c).astype(np.int64)
    out["degenerate"] = int(np.count_nonzero(o == 0))
    # orient every triangle counter-clockwise (libraries differ)
    cw = o < 0
    ids = ids.copy()
    ids[cw, 1], ids[cw, 2] = ids[cw, 2].copy(), ids[cw, 1].copy()
    # canonical coordinates by id
    coord = np.empty((len(ukeys) + len(verts), 2))
    coord[vid] = verts
    # edges: (u, v, opposite) for each triangle's three edges
    u = np.concatenate([ids[:, 0], ids[:, 1], ids[:, 2]])
    v = np.concatenate([ids[:, 1], ids[:, 2], ids[:, 0]])
    w = np.concatenate([ids[:, 2], ids[:, 0], ids[:, 1]])
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    order = np.lexsort((hi, lo))
    lo, hi, u, v, w = lo[order], hi[order], u[order], v[order], w[order]
    same_next = (lo[1:] == lo[:-1]) & (hi[1:] == hi[:-1])
    if len(same_next) > 1:
        triple = same_next[1:] & same_next[:-1]
        out["nonmanifold"] = int(np.count_nonzero(triple))
    pair = np.flatnonzero(same_next)
    if len(pair):
        # triangle (u, v, w) counter-clockwise and the neighbour's opposite vertex d
        d = w[pair + 1]
        ic = predicates.incircle(coord[u[pair]], coord[v[pair]], coord[w[pair]], coord[d])
        out["non_delaunay"] = int(np.count_nonzero(ic > 0))
    # coverage: sum of areas against the hull's area (floating point, relative)
    p0, p1, p2 = coord[ids[:, 0]], coord[ids[:, 1]], coord[ids[:, 2]]
    tri_area = (
        0.5
        * np.abs(
            (p1[:, 0] - p0[:, 0]) * (p2[:, 1] - p0[:, 1])
            - (p1[:, 1] - p0[:, 1]) * (p2[:, 0] - p0[:, 0])
        ).sum()
    )
    from .hull import convex_hull

    h = pts[convex_hull(pts)]
    if len(h) >= 3:
        c0 = h - h.mean(axis=0)
        hull_area = 0.5 * abs(
            np.dot(c0[:, 0], np.roll(c0[:, 1], -1)) - np.dot(c0[:, 1], np.roll(c0[:, 0], -1))
        )
        if abs(tri_area - hull_area) > 1e-9 * max(hull_area, 1e-300):
            out["area"] = 1
    out["total"] = int(sum(out.values()))
    return out


def _defect_note(d: dict) -> str:
    parts = [
        f"{k} {d[k]}"
        for k in ("missing", "foreign", "degenerate", "non_delaunay", "nonmanifold")
        if d[k]
    ]
    if d["area"]:
        parts.append("areas do not sum to the hull's")
    return ", ".join(parts)


# --------------------------------------------------------------------- availability


def _optional(module: str, attr: str | None = None):
    """The module (or its attribute) if importable, else ``None``."""
    try:
        mod = importlib.import_module(module)
    except Exception:  # optional pieces may be missing or broken: degrade, never crash
        return None
    return getattr(mod, attr, None) if attr else mod


def _geoent_attr(name: str):
    import geoent

    return getattr(geoent, name, None)


def _delaunay_fn():
    return _geoent_attr("delaunay") or _optional("geoent.triangulation", "delaunay")


def _entropy_fn():
    return _geoent_attr("range_partition_entropy") or _optional(
        "geoent.entropy", "range_partition_entropy"
    )


def _hulls_fn():
    return _geoent_attr("convex_hulls") or _optional("geoent.hull", "convex_hulls")


def _hull3d_fn():
    """A callable returning 3D hull vertex indices, or ``None`` when not landed."""
    from .hull import convex_hull

    probe = np.array([[0.0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [0.1, 0.1, 0.1]])
    try:
        if sorted(np.asarray(convex_hull(probe)).tolist()) == [0, 1, 2, 3]:
            return convex_hull
    except Exception:
        pass
    h3 = _optional("geoent._hull3d", "hull3d")
    if h3 is not None:
        return lambda pts: h3(np.ascontiguousarray(pts, dtype=np.float64)).vertices
    return None


def _hull_methods() -> list[str]:
    """The 2D hull's named methods other than ``"auto"`` (and what auto picks)."""
    methods = _optional("geoent.hull", "_METHODS") or ()
    return [m for m in methods if m not in ("auto", "monotone")]


def _cgal():
    """CGAL's Python bindings (``cgal`` on PyPI, module ``CGAL``), or ``None``."""
    return _optional("CGAL")


CGAL_MAX_N = 1_000_000  # building Python Point objects costs ~6.5 s per 1e6
CGAL_EXTRACT_MAX = 20_000  # reading faces back is a Python loop (~30 us a face)
_CGAL_NOTE = "Epick kernel (exact predicates); Point objects built apart"


def _cgal_contender(kind: str):
    """CGAL through its SWIG bindings (``pip install cgal``), or ``None``.

    The bindings take Python lists of Point objects: building them is timed apart
    (``prepare``); the list-to-vector conversion inside the call is timed.
    """
    if _cgal() is None:
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
    except Exception:  # a broken install is reported as "not importable"
        return None
    return None


# ------------------------------------------------------------------------ data model


@dataclass
class Contender:
    """One implementation of a suite's operation.

    ``prepare(data) -> state`` is timed apart (geometry building); ``run(state)`` is
    what ``median_s`` measures; ``canon(data, state, result)`` turns a result into the
    suite's comparable form (outside the timing).
    """

    name: str
    run: Callable[[Any], Any]
    prepare: Callable[[Any], Any] | None = None
    canon: Callable[[Any, Any, Any], Any] | None = None
    compiled: bool = False
    note: str = ""
    max_n: int | None = None  # above this size the contender is not run (named in notes)


@dataclass
class Suite:
    """An operation over distributions and sizes, with its contenders.

    ``contenders()`` returns ``(available, notes)`` where ``notes`` explains each
    contender that is skipped. ``error(data, canon_by_name, name)`` returns
    ``(error, note)`` for one contender given every contender's canonical result.
    ``rows_fn``, when set, replaces the harness loop (the ``entropynet`` suite).
    """

    name: str
    operation: str
    distributions: tuple
    sizes: tuple
    quick_distributions: tuple
    quick_sizes: tuple
    make_input: Callable[[str, int, int], Any] | None = None
    contenders: Callable[[], tuple[list[Contender], list[str]]] | None = None
    error: Callable[[Any, dict, str], tuple[float | None, str]] | None = None
    available: Callable[[], str | None] = lambda: None  # None, or why it is skipped
    planar_input: bool = True  # whether the input's 2D entropy is meaningful
    rows_fn: Callable[..., list[dict]] | None = None


@dataclass
class BenchResult:
    """Rows plus the run's metadata (machine, versions, command, skipped pieces)."""

    meta: dict
    rows: list[dict] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> BenchResult:
        """Read back what :meth:`to_json` wrote (to re-render a report)."""
        doc = json.loads(text)
        return cls(meta=doc["meta"], rows=doc["rows"])

    def to_json(self) -> str:
        return json.dumps({"meta": self.meta, "rows": self.rows}, indent=1, default=_json_default)


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


# --------------------------------------------------------------------- suite: hull2d


def _pts(data):
    return data


def _hull2d_contenders():
    import shapely
    from scipy.spatial import ConvexHull as QHull

    from .hull import convex_hull

    cs = [Contender("geoent", run=convex_hull, canon=lambda d, s, r: d[r], compiled=True)]
    # every named algorithm besides the default, e.g. geoent[instance_optimal]
    for m in _hull_methods():
        cs.append(
            Contender(
                f"geoent[{m}]",
                run=lambda p, m=m: convex_hull(p, method=m),
                canon=lambda d, s, r: d[r],
                compiled=True,
            )
        )
    cs += [
        Contender("scipy", run=lambda p: QHull(p).vertices, canon=lambda d, s, r: d[r]),
        Contender(
            "shapely",
            prepare=shapely.multipoints,
            run=shapely.convex_hull,
            canon=lambda d, s, r: shapely.get_coordinates(r),
        ),
    ]
    notes = []
    cgal = _cgal_contender("hull2d")
    if cgal is None:
        notes.append("CGAL: Python bindings not importable, skipped")
    else:
        cs.append(cgal)
    return cs, notes


def _vertex_set_error(data, canon, name, *, ref="geoent"):
    if ref not in canon:
        return None, "no exact reference"
    if canon[name] is None:
        return None, "result not checked"
    if name == ref:
        return 0.0, ""
    missing, extra = hull_vertex_error(canon[ref], canon[name])
    err = float(missing + extra)
    note = (
        f"vertices: {missing} missing, {extra} extra (of {len(np.unique(_row_keys(canon[ref])))})"
    )
    return err, (note if err else "")


# -------------------------------------------------------------------- suite: batched


def _batched_input(dist, n, seed):
    pts = make_points(dist, int(n) * BATCH_SET_SIZE, seed)
    offsets = np.arange(int(n) + 1, dtype=np.int64) * BATCH_SET_SIZE
    return pts, offsets


def _batched_contenders():
    import shapely
    from scipy.spatial import ConvexHull as QHull

    from .hull import convex_hull

    def keyed(pts, offsets, local_idx_per_set):
        rows = []
        for i, loc in enumerate(local_idx_per_set):
            sub = pts[offsets[i] : offsets[i + 1]][loc]
            rows.append(np.column_stack((np.full(len(sub), i, dtype=np.float64), sub)))
        return np.concatenate(rows) if rows else np.empty((0, 3))

    def ragged_canon(data, state, res):
        pts, offsets = data
        idx, ioff = res
        idx = np.asarray(idx, dtype=np.int64)
        ioff = np.asarray(ioff, dtype=np.int64)
        set_id = np.repeat(np.arange(len(ioff) - 1), np.diff(ioff))
        glob = idx + offsets[set_id]
        return np.column_stack((set_id.astype(np.float64), pts[glob]))

    def scipy_loop(data):
        pts, offsets = data
        return [QHull(pts[offsets[i] : offsets[i + 1]]).vertices for i in range(len(offsets) - 1)]

    def shapely_prepare(data):
        pts, offsets = data
        return shapely.multipoints(
            pts, indices=np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        )

    def shapely_canon(data, state, res):
        coords, which = shapely.get_coordinates(res, return_index=True)
        return np.column_stack((which.astype(np.float64), coords))

    cs = []
    notes = []
    hulls = _hulls_fn()
    if hulls is not None:
        cs.append(
            Contender("geoent", run=lambda d: hulls(d[0], d[1]), canon=ragged_canon, compiled=True)
        )
    else:
        notes.append("geoent.convex_hulls not available yet: geoent timed as a Python loop")
    cs.append(
        Contender(
            "geoent-loop",
            run=lambda d: [convex_hull(d[0][d[1][i] : d[1][i + 1]]) for i in range(len(d[1]) - 1)],
            canon=lambda d, s, r: keyed(d[0], d[1], r),
            compiled=True,
            note="Python loop over convex_hull",
        )
    )
    cs.append(
        Contender(
            "scipy", run=scipy_loop, canon=lambda d, s, r: keyed(d[0], d[1], r), note="Python loop"
        )
    )
    cs.append(
        Contender("shapely", prepare=shapely_prepare, run=shapely.convex_hull, canon=shapely_canon)
    )
    return cs, notes


def _batched_error(data, canon, name):
    ref = "geoent" if "geoent" in canon else "geoent-loop"
    return _vertex_set_error(data, canon, name, ref=ref)


# --------------------------------------------------------------------- suite: hull3d


def _hull3d_contenders():
    from scipy.spatial import ConvexHull as QHull

    fn = _hull3d_fn()
    cs = []
    if fn is not None:
        cs.append(
            Contender("geoent", run=fn, canon=lambda d, s, r: d[np.asarray(r)], compiled=True)
        )
    cs.append(Contender("scipy", run=lambda p: QHull(p).vertices, canon=lambda d, s, r: d[r]))
    notes = ["shapely: GEOS hulls are 2D only, skipped"]
    cgal = _cgal_contender("hull3d")
    if cgal is None:
        notes.append("CGAL: Python bindings not importable, skipped")
    else:
        cs.append(cgal)
    return cs, notes


def _hull3d_available():
    return None if _hull3d_fn() is not None else "geoent's 3D hull has not landed yet"


# ------------------------------------------------------------------- suite: delaunay


def _triangle_input(p):
    # triangle 20250106 segfaults when every point is the same one
    if len(p) and not np.ptp(p, axis=0).any():
        raise ValueError("not run: triangle crashes on input with a single distinct point")
    return {"vertices": p}


def _delaunay_contenders():
    import shapely
    from scipy.spatial import Delaunay as QDelaunay

    cs = []
    notes = []
    fn = _delaunay_fn()
    if fn is not None:
        cs.append(Contender("geoent", run=fn, canon=lambda d, s, r: (d, r), compiled=True))
    else:
        notes.append("geoent.delaunay has not landed yet: peers only")
    cs.append(
        Contender("scipy", run=lambda p: QDelaunay(p).simplices, canon=lambda d, s, r: (d, r))
    )
    tri = _optional("triangle")
    if tri is not None:
        cs.append(
            Contender(
                "triangle",
                prepare=_triangle_input,
                run=lambda s: tri.triangulate(s, "Q"),
                canon=lambda d, s, r: (r["vertices"], r.get("triangles", np.empty((0, 3)))),
            )
        )
    else:
        notes.append("triangle: not installed (pip install 'geoent[bench]'), skipped")

    def shp_canon(d, s, r):
        parts = shapely.get_parts(r)
        coords = shapely.get_coordinates(parts).reshape(len(parts), 4, 2)[:, :3]
        return coords.reshape(-1, 2), np.arange(3 * len(parts)).reshape(-1, 3)

    cs.append(
        Contender(
            "shapely", prepare=shapely.multipoints, run=shapely.delaunay_triangles, canon=shp_canon
        )
    )
    cgal = _cgal_contender("delaunay")
    if cgal is None:
        notes.append("CGAL: Python bindings not importable, skipped")
    else:
        cs.append(cgal)
    return cs, notes


def _delaunay_error(data, canon, name):
    if canon[name] is None:
        return None, f"triangles not extracted above {CGAL_EXTRACT_MAX:,} points (slow Python loop)"
    verts, simp = canon[name]
    d = delaunay_defects(data, verts, simp)
    return float(d["total"]), _defect_note(d)


# -------------------------------------------------------------------- suite: entropy


def _entropy_contenders():
    fn = _entropy_fn()
    cs = [Contender("geoent", run=fn, canon=lambda d, s, r: r, compiled=True)] if fn else []
    return cs, ["no peer computes a certified range-partition entropy"]


def _entropy_error(data, canon, name):
    res = canon[name]
    check = _geoent_attr("is_respectful") or _optional("geoent.entropy", "is_respectful")
    if check is None:
        return None, "is_respectful not available: partition not checked"
    if len(data) > 200_000:
        return None, "partition not checked above 2e5 points"
    try:
        ok = bool(check(data, res.labels, res.triangles))
    except Exception as exc:
        return None, f"is_respectful failed: {type(exc).__name__}: {exc}"
    return (0.0, "partition checked respectful") if ok else (1.0, "partition NOT respectful")


def _entropy_available():
    return (
        None if _entropy_fn() is not None else "geoent.range_partition_entropy has not landed yet"
    )


# ----------------------------------------------------------------- suite: entropynet


def _entropynet_rows_fn():
    return _optional("geoent.torch.evaluate", "entropynet_rows")


def _entropynet_available():
    if _optional("torch") is None:
        return "torch not installed (pip install 'geoent[torch]')"
    if _entropynet_rows_fn() is None:
        return "geoent.torch.evaluate.entropynet_rows has not landed yet"
    return None


def _entropynet_rows(sizes, distributions, rounds, progress=None):
    return _entropynet_rows_fn()(sizes, distributions, rounds, progress=progress)


# ------------------------------------------------------------------------- registry

_D2 = tuple(DISTRIBUTIONS_2D)
_REAL = tuple(_optional("geoent.datasets", "DATASETS") or ())  # real sets, measured at their size
_D3 = tuple(DISTRIBUTIONS_3D)

SUITES: dict[str, Suite] = {
    "hull2d": Suite(
        "hull2d",
        "convex_hull",
        _D2,
        (1_000, 10_000, 100_000, 1_000_000, 10_000_000),
        ("uniform", "circle", "kuzmin", "grid", "duplicates", "offset"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=_hull2d_contenders,
        error=_vertex_set_error,
    ),
    "batched": Suite(
        "batched",
        f"convex_hulls[{BATCH_SET_SIZE}]",
        ("uniform", "gaussian", "circle"),
        (1_000, 10_000, 100_000),
        ("uniform",),
        (10_000,),
        make_input=_batched_input,
        contenders=_batched_contenders,
        error=_batched_error,
        planar_input=False,
    ),
    "hull3d": Suite(
        "hull3d",
        "convex_hull_3d",
        _D3,
        (1_000, 10_000, 100_000, 1_000_000),
        ("ball", "sphere"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=_hull3d_contenders,
        error=_vertex_set_error,
        available=_hull3d_available,
        planar_input=False,
    ),
    "delaunay": Suite(
        "delaunay",
        "delaunay",
        _D2,
        (1_000, 10_000, 100_000, 1_000_000),
        ("uniform", "kuzmin", "grid"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=_delaunay_contenders,
        error=_delaunay_error,
    ),
    "entropy": Suite(
        "entropy",
        "range_partition_entropy",
        _D2,
        (1_000, 10_000, 100_000, 1_000_000),
        ("uniform", "circle", "kuzmin"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=_entropy_contenders,
        error=_entropy_error,
        available=_entropy_available,
    ),
    "entropynet": Suite(
        "entropynet",
        "convex_hull+hint",
        ("uniform", "disk", "gaussian", "kuzmin", "circle", *_REAL),
        (10_000, 100_000, 1_000_000),
        ("uniform", *_REAL[:1]),
        (100_000,),
        available=_entropynet_available,
        rows_fn=_entropynet_rows,
    ),
}


def suite_names() -> list[str]:
    """Names of the registered suites, in run order."""
    return list(SUITES)


# -------------------------------------------------------------------------- running

_FIRST_CALL_S: dict[tuple[str, str], float] = {}  # (suite, contender) -> first tiny call


def _entropy_of(points, key, cache: dict) -> tuple[float | None, str]:
    if key in cache:
        return cache[key]
    fn = _entropy_fn()
    if fn is None:
        out = (None, "")
    else:
        try:
            out = (float(fn(points).entropy), "")
        except Exception as exc:
            out = (None, f"entropy failed: {type(exc).__name__}")
    cache[key] = out
    return out


def _fmt_s(t):
    if t is None:
        return "-"
    if t >= 1:
        return f"{t:.2f} s"
    if t >= 1e-3:
        return f"{t * 1e3:.1f} ms"
    return f"{t * 1e6:.0f} us"


def _blank_row(suite: Suite, dist: str, n: int, name: str) -> dict:
    return {
        "suite": suite.name,
        "operation": suite.operation,
        "distribution": dist,
        "n": int(n),
        "contender": name,
        "median_s": None,
        "min_s": None,
        "max_s": None,
        "rounds": 0,
        "compile_s": None,
        "error": None,
        "entropy": None,
        "notes": "",
    }


def _join(*parts):
    return "; ".join(p for p in parts if p)


class _CappedProgress:
    """Hands a suite's own loop a tqdm-like object that cannot overrun our bar."""

    def __init__(self, bar, total: int, label: str):
        self.bar, self.left, self.label = bar, int(total), label
        if bar is not None:
            bar.set_description(label)

    def update(self, k: int = 1) -> None:
        k = max(0, min(int(k), self.left))
        self.left -= k
        if self.bar is not None and k:
            self.bar.update(k)

    def set_description(self, desc: str = "", refresh: bool = True) -> None:
        if self.bar is not None:
            self.bar.set_description(f"{self.label} {desc}".strip(), refresh=refresh)

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(s, refresh=refresh)

    def write(self, s: str) -> None:
        if self.bar is not None:
            self.bar.write(s)

    def finish(self) -> None:
        self.update(self.left)


def run_suite(
    suite: Suite,
    *,
    sizes: Sequence[int],
    distributions: Sequence[str],
    rounds: int = 5,
    seed: int = 0,
    max_seconds: float = 20.0,
    progress=None,
    entropy_cache: dict | None = None,
) -> tuple[list[dict], list[str]]:
    """Run one suite; return ``(rows, notes)`` (rows without the ratio keys).

    ``max_seconds`` caps the timed rounds of one contender on one input: a contender
    whose warm-up call took ``t`` gets ``min(rounds, max(1, max_seconds // t))``.
    ``progress`` is a tqdm bar (or ``None``); it advances once per input.
    """
    why = suite.available()
    if why:
        if progress is not None:
            progress.update(len(sizes) * len(distributions))
        return [], [f"{suite.name}: skipped ({why})"]
    if suite.rows_fn is not None:
        proxy = _CappedProgress(progress, len(sizes) * len(distributions), suite.name)
        rows = suite.rows_fn(list(sizes), list(distributions), rounds, progress=proxy)
        proxy.finish()
        return [dict(r) for r in rows], []
    contenders, notes = suite.contenders()
    notes = [f"{suite.name}: {x}" for x in notes]
    rows: list[dict] = []
    entropy_cache = {} if entropy_cache is None else entropy_cache
    for dist in distributions:
        for n in sizes:
            if progress is not None:
                progress.set_description(f"{suite.name} {dist} n={n:,}")
            data = suite.make_input(dist, int(n), seed)
            entropy, enote = (None, "")
            if suite.planar_input:
                entropy, enote = _entropy_of(data, (dist, int(n), seed), entropy_cache)
            canon: dict[str, Any] = {}
            these: list[dict] = []
            for c in contenders:
                row = _blank_row(suite, dist, n, c.name)
                row["entropy"] = entropy
                these.append(row)
                if c.max_n is not None and n > c.max_n:
                    row["notes"] = f"not run above n={c.max_n:,}"
                    continue
                try:
                    key = (suite.name, c.name)
                    if c.compiled:
                        if key not in _FIRST_CALL_S:
                            tiny = suite.make_input(dist, 64, seed + 1)
                            t0 = time.perf_counter()
                            ts = (c.prepare or _pts)(tiny)
                            c.run(ts)
                            _FIRST_CALL_S[key] = time.perf_counter() - t0
                        row["compile_s"] = _FIRST_CALL_S[key]
                    prep = c.prepare or _pts
                    state = prep(data)  # warm the builder too
                    build_note = ""
                    if c.prepare is not None:
                        build_s = min(time_call(lambda prep=prep, data=data: prep(data), 1))
                        build_note = f"geometry build {_fmt_s(build_s)} (not in median)"
                    t0 = time.perf_counter()
                    result = c.run(state)
                    first = time.perf_counter() - t0
                    k = max(1, min(int(rounds), int(max_seconds // max(first, 1e-9))))
                    times = time_call(lambda c=c, state=state: c.run(state), k)
                    row.update(
                        median_s=statistics.median(times),
                        min_s=min(times),
                        max_s=max(times),
                        rounds=len(times),
                    )
                    lazy = ""
                    if c.compiled and first - row["median_s"] > 0.5:
                        lazy = f"first call on this input took {_fmt_s(first)}"
                    row["notes"] = _join(c.note, build_note, lazy, enote)
                    canon[c.name] = c.canon(data, state, result) if c.canon else result
                except Exception as exc:  # a peer failing is a result, not a crash
                    msg = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else ""
                    row["notes"] = _join(c.note, f"failed: {type(exc).__name__}: {msg}")
            for row in these:
                if row["contender"] in canon and suite.error is not None:
                    try:
                        err, note = suite.error(data, canon, row["contender"])
                    except Exception as exc:
                        err, note = None, f"error check failed: {type(exc).__name__}: {exc}"
                    row["error"] = err
                    row["notes"] = _join(row["notes"], note)
            rows.extend(these)
            if progress is not None:
                progress.update(1)
    return rows, notes


def add_ratios(rows: list[dict]) -> list[dict]:
    """Add ``ratio_scipy`` and ``ratio_best_peer`` to every row (in place; returned).

    Rows are compared within one (suite, operation, distribution, n). A contender
    whose name starts with ``"geoent"`` is ours, any other is a peer; the best peer
    is the fastest peer that did not fail. A ratio below 1 means faster than the
    reference; ``None`` when there is no reference or no time.

    Examples
    --------
    >>> rows = [dict(suite="s", operation="o", distribution="d", n=1, contender=c,
    ...              median_s=t) for c, t in [("geoent", 1.0), ("scipy", 4.0), ("shapely", 2.0)]]
    >>> [(r["ratio_scipy"], r["ratio_best_peer"]) for r in add_ratios(rows)]
    [(0.25, 0.5), (1.0, 2.0), (0.5, 1.0)]
    """
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["suite"], r["operation"], r["distribution"], r["n"]), []).append(r)
    for grp in groups.values():
        scipy_t = next(
            (r["median_s"] for r in grp if r["contender"] == "scipy" and r["median_s"]), None
        )
        peers = [
            r["median_s"]
            for r in grp
            if not str(r["contender"]).startswith("geoent") and r.get("median_s")
        ]
        best = min(peers) if peers else None
        for r in grp:
            t = r.get("median_s")
            r["ratio_scipy"] = (t / scipy_t) if (t and scipy_t) else None
            r["ratio_best_peer"] = (t / best) if (t and best) else None
    return rows


# --------------------------------------------------------------------- machine info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(threads: int | None = None) -> dict:
    """Machine, library versions and thread count, for the report's header."""
    import numba
    import scipy
    import shapely

    from . import __version__

    tri = _optional("triangle")
    return {
        "geoent": __version__,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "shapely": shapely.__version__,
        "numba": numba.__version__,
        "triangle": getattr(tri, "__version__", "installed") if tri else None,
        "cgal": "importable" if _cgal() is not None else None,
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": f"{platform.system()} {platform.release()}",
        "numba_threads": threads if threads is not None else numba.get_num_threads(),
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# ------------------------------------------------------------------------ top level


def _resolve(names: Iterable[str] | None, known: Sequence[str], what: str) -> list[str]:
    if not names:
        return list(known)
    out = []
    for name in names:
        for part in str(name).split(","):
            part = part.strip()
            if not part:
                continue
            if part not in known:
                raise ValueError(f"unknown {what} {part!r}; expected one of: {', '.join(known)}")
            out.append(part)
    return out


def parse_sizes(text: str | Sequence) -> list[int]:
    """``"1e3,1e5,2000000"`` (or a list) -> ``[1000, 100000, 2000000]``.

    Examples
    --------
    >>> parse_sizes("1e3, 20000")
    [1000, 20000]
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for it in items:
        s = str(it).strip().replace("_", "")
        if not s:
            continue
        try:
            v = float(s)
        except ValueError:
            raise ValueError(f"size {it!r} is not a number (expected e.g. 1e4,1e5)") from None
        if not math.isfinite(v) or v < 1 or v != int(v):
            raise ValueError(f"size {it!r} is not a positive integer")
        out.append(int(v))
    if not out:
        raise ValueError("no sizes given")
    return out


def run_bench(
    suites: Iterable[str] | None = None,
    *,
    sizes: Sequence[int] | None = None,
    distributions: Iterable[str] | None = None,
    quick: bool = False,
    rounds: int | None = None,
    threads: int | None = None,
    seed: int = 0,
    max_seconds: float | None = None,
    progress: bool = True,
    command: str | None = None,
) -> BenchResult:
    """Run the benchmark matrix and return its rows with ratios.

    Parameters
    ----------
    suites : list of str, optional
        Suite names (default: all, see :func:`suite_names`).
    sizes : list of int, optional
        Overrides every suite's sizes (for ``batched``: the number of sets).
    distributions : list of str, optional
        Restricts every suite to these distributions (each suite keeps the ones it
        knows).
    quick : bool
        A run of about a minute: fewer distributions, sizes 1e4 and 1e5, 3 rounds.
    rounds : int, optional
        Timed calls per contender and input (default 5, quick 3).
    threads : int, optional
        ``numba.set_num_threads`` for the run.
    seed : int
        Seed of every generated input.
    max_seconds : float, optional
        Cap on one contender's timed rounds on one input (default 20 s, quick 3 s).
    progress : bool
        Show a tqdm progress bar on stderr.
    command : str, optional
        The command line recorded in the metadata.

    Returns
    -------
    BenchResult
    """
    import numba

    names = _resolve(suites, list(SUITES), "suite")
    if threads is not None:
        if not 1 <= threads <= numba.config.NUMBA_NUM_THREADS:
            raise ValueError(
                f"--threads must be in 1..{numba.config.NUMBA_NUM_THREADS}, got {threads}"
            )
        numba.set_num_threads(int(threads))
    rounds = int(rounds) if rounds else (3 if quick else 5)
    max_seconds = max_seconds if max_seconds is not None else (3.0 if quick else 20.0)
    want = (
        _resolve(distributions, [*DISTRIBUTIONS_2D, *DISTRIBUTIONS_3D, *_REAL], "distribution")
        if distributions
        else None
    )
    plan = []
    for name in names:
        s = SUITES[name]
        dists = list(s.quick_distributions if quick else s.distributions)
        if want is not None:
            dists = [
                d
                for d in want
                if d in s.distributions or (s.rows_fn and (d in DISTRIBUTIONS_2D or d in _REAL))
            ]
        sz = list(sizes) if sizes else list(s.quick_sizes if quick else s.sizes)
        if dists:
            plan.append((s, sz, dists))
    meta = machine_info(threads)
    meta.update(
        command=command or "geoent.bench.run_bench",
        quick=bool(quick),
        rounds=rounds,
        seed=int(seed),
        suites=[s.name for s, _, _ in plan],
        notes=[],
    )
    total = sum(len(sz) * len(d) for _, sz, d in plan)
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="input", file=sys.stderr, dynamic_ncols=True)
    rows: list[dict] = []
    ecache: dict = {}
    try:
        for s, sz, dists in plan:
            r, notes = run_suite(
                s,
                sizes=sz,
                distributions=dists,
                rounds=rounds,
                seed=seed,
                max_seconds=max_seconds,
                progress=bar,
                entropy_cache=ecache,
            )
            rows.extend(r)
            meta["notes"].extend(notes)
    finally:
        if bar is not None:
            bar.close()
    if _entropy_fn() is None:
        meta["notes"].append("entropy column empty: range_partition_entropy has not landed yet")
    return BenchResult(meta=meta, rows=add_ratios(rows))


# ------------------------------------------------------------------------ reporting


def _fmt_ratio(x):
    return "-" if x is None else (f"{x:.3f}" if x < 0.1 else f"{x:.2f}")


def _fmt_err(x):
    if x is None:
        return "-"
    return "0" if x == 0 else (f"{x:.0f}" if float(x).is_integer() else f"{x:.3g}")


def _fmt_n(n):
    e = math.log10(n) if n > 0 else 0
    return f"1e{int(e)}" if n > 0 and float(e).is_integer() else f"{n:,}"


_COLUMNS = (
    "operation",
    "distribution",
    "n",
    "contender",
    "median",
    "spread",
    "x scipy",
    "x best peer",
    "compile",
    "error",
    "entropy",
    "notes",
)


def _cells(r: dict) -> list[str]:
    spread = "-" if r.get("min_s") is None else f"{_fmt_s(r['min_s'])} .. {_fmt_s(r['max_s'])}"
    ent = r.get("entropy")
    return [
        str(r.get("operation", "")),
        str(r.get("distribution", "")),
        _fmt_n(int(r.get("n", 0))),
        str(r.get("contender", "")),
        _fmt_s(r.get("median_s")),
        spread,
        _fmt_ratio(r.get("ratio_scipy")),
        _fmt_ratio(r.get("ratio_best_peer")),
        _fmt_s(r.get("compile_s")),
        _fmt_err(r.get("error")),
        "-" if ent is None else f"{ent:.3f}",
        str(r.get("notes") or ""),
    ]


def format_table(rows: list[dict], *, notes: bool = False) -> str:
    """A plain-text table of the rows (for the terminal)."""
    cols = list(_COLUMNS if notes else _COLUMNS[:-1])
    cells = [_cells(r)[: len(cols)] for r in rows]
    widths = [max([len(c)] + [len(x[i]) for x in cells]) for i, c in enumerate(cols)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(x.ljust(w) for x, w in zip(c, widths, strict=True)) for c in cells]
    return "\n".join(lines)


def summary_rows(rows: list[dict]) -> list[list[str]]:
    """One line per geoent contender and input: its time against scipy and the best peer.

    Columns: suite, operation, distribution, n, contender, geoent time, scipy time,
    best peer (name and time), the two ratios, geoent's error and the peers' errors
    against the exact answer.
    """
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["suite"], r["operation"], r["distribution"], r["n"]), []).append(r)
    out = []
    for (suite, op, dist, n), grp in groups.items():
        scipy_r = next((r for r in grp if r["contender"] == "scipy"), None)
        peers = [r for r in grp if not str(r["contender"]).startswith("geoent")]
        timed = [r for r in peers if r.get("median_s")]
        best = min(timed, key=lambda r: r["median_s"]) if timed else None
        errs = []
        for r in peers:
            if r.get("median_s") is None:
                errs.append(f"{r['contender']} failed")
            elif r.get("error") not in (None, 0, 0.0):
                errs.append(f"{r['contender']} {_fmt_err(r['error'])}")
        for r in grp:
            if not str(r["contender"]).startswith("geoent"):
                continue
            out.append(
                [
                    suite,
                    op,
                    dist,
                    _fmt_n(int(n)),
                    str(r["contender"]),
                    _fmt_s(r.get("median_s")),
                    _fmt_s(scipy_r.get("median_s")) if scipy_r else "-",
                    f"{best['contender']} {_fmt_s(best['median_s'])}" if best else "-",
                    _fmt_ratio(r.get("ratio_scipy")),
                    _fmt_ratio(r.get("ratio_best_peer")),
                    ("0" if r.get("error") == 0 else _fmt_err(r.get("error"))),
                    ", ".join(errs) or ("all exact" if peers else "-"),
                ]
            )
    return out


SUMMARY_COLUMNS = (
    "suite",
    "operation",
    "distribution",
    "n",
    "contender",
    "geoent",
    "scipy",
    "best peer",
    "x scipy",
    "x best peer",
    "error",
    "peers' errors",
)


def to_markdown(result: BenchResult) -> str:
    """The run as markdown: how it was made, then one table per suite."""
    m = result.meta
    out = [
        "## Benchmark results",
        "",
        f"Command: `{m.get('command', '')}`",
        "",
        f"Machine: {m.get('cpu')} ({m.get('cores')} cores, {m.get('os')}), "
        f"numba threads {m.get('numba_threads')}; python {m.get('python')}, "
        f"numpy {m.get('numpy')}, scipy {m.get('scipy')}, shapely {m.get('shapely')}, "
        f"numba {m.get('numba')}, triangle {m.get('triangle') or 'not installed'}, "
        f"CGAL {m.get('cgal') or 'not importable'}; "
        f"{m.get('date')}.",
        "",
        "Median of the timed rounds after a warm-up call; spread is min .. max; "
        "`x scipy` and `x best peer` are time ratios (below 1: geoent is faster); "
        "`compile` is the first call of geoent's kernels in the process (compile or cache load); "
        "`error` counts differences from the exact answer (hull vertices missing or extra; "
        "Delaunay defects found with exact predicates), 0 when exact; `entropy` is the input's "
        "certified range-partition entropy (natural log).",
        "",
    ]
    for note in m.get("notes", []):
        out.append(f"* {note}")
    if m.get("notes"):
        out.append("")
    summ = summary_rows(result.rows)
    if summ:
        out += [
            "### Summary",
            "",
            "| " + " | ".join(SUMMARY_COLUMNS) + " |",
            "|" + "|".join("---" for _ in SUMMARY_COLUMNS) + "|",
        ]
        out += ["| " + " | ".join(c.replace("|", "/") for c in line) + " |" for line in summ]
        out.append("")
    by_suite: dict[str, list[dict]] = {}
    for r in result.rows:
        by_suite.setdefault(r["suite"], []).append(r)
    for name, rows in by_suite.items():
        out.append(f"### {name}")
        out.append("")
        out.append("| " + " | ".join(_COLUMNS) + " |")
        out.append("|" + "|".join("---" for _ in _COLUMNS) + "|")
        for r in rows:
            out.append("| " + " | ".join(c.replace("|", "/") for c in _cells(r)) + " |")
        out.append("")
    return "\n".join(out)
