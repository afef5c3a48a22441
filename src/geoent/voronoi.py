"""Voronoi diagrams in 2D and 3D from geoent's exact Delaunay triangulation.

:class:`Voronoi` has scipy.spatial.Voronoi's attributes and meanings. Its
topology is exact: Voronoi vertices are the cells of the Delaunay subdivision
(simplices sharing one circumcircle or circumsphere are merged, decided by exact
``incircle == 0`` / ``insphere == 0``), so cocircular or cospherical points give
one Voronoi vertex, never copies joined by zero-length ridges (Qhull, with its
tolerances, may produce either). Vertex coordinates are circumcentres in doubles,
computed relative to a vertex of the simplex (see ``geoent._kernels.voronoi``).

Examples
--------
>>> import numpy as np, geoent
>>> pts = np.array([[0, 0], [2, 0], [0, 2], [2, 2], [1, 1]], dtype=float)
>>> vor = geoent.Voronoi(pts)
>>> vor.vertices.tolist()
[[0.0, 1.0], [1.0, 0.0], [1.0, 2.0], [2.0, 1.0]]
>>> vor.regions[vor.point_region[4]]  # the bounded cell of the centre point
[3, 2, 0, 1]
"""

from __future__ import annotations

import contextlib
import gc
import math

import numpy as np

from . import _delaunay3d as _d3
from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint, interruptible
from ._validation import as_points, check_exponent_range, in_exponent_window
from .errors import GeometryError

__all__ = ["Voronoi"]

# compiled ahead of time where built (geoent._aot), else the @njit kernels: a call
# answered by the compiled exports imports no numba (issue 13)
_kv, _k2, _gather = kernels_of("voronoi"), kernels_of("delaunay2d"), kernels_of("gather")


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while building many objects.

    Scipy's list attributes and the shapely cells are n to 6n new objects; each
    700 allocations the collector runs, and its older generations rescan every
    live object, which took longer than the building itself at 1e5 points.
    Nothing built here can form a reference cycle. (As ``timeit`` does.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_HUGE_PAGE = 1 << 21  # a transparent huge page on x86-64 and arm64 Linux


def _carve(specs):
    """Arrays ``[(shape, dtype), ...]`` carved from one new buffer (views of it:
    the buffer lives while any of them does), each at a 64-byte boundary.

    Why one buffer: numpy asks Linux for transparent huge pages on every
    allocation of 4 MiB or more (``madvise(MADV_HUGEPAGE)``), while numba's
    and numpy's smaller ones are faulted in 4 KiB page by page, about 1.7 us a
    fault here. At 1e5 points the Voronoi path touched about 20 MB of fresh
    memory per call; its page faults were a quarter of ``voronoi2d``'s time.
    A buffer of 4 MiB or more starts at a 2 MiB boundary and is rounded up to
    whole huge pages (2 MiB more are asked for, never touched, and the last
    page may be partly unused: at most 2 MiB of memory more per buffer). Where
    huge pages are not available nothing changes: the pages are faulted in as
    before. ``np.empty`` touches nothing, so room a kernel leaves unused costs
    address space only.
    """
    # math.prod, not np.prod: a few microseconds less per array (issue 13)
    sizes = [math.prod(shape) * np.dtype(dt).itemsize for shape, dt in specs]
    offs = []
    total = 0
    for size in sizes:
        offs.append(total)
        total += -(-size // 64) * 64
    pad = 64
    if total >= 2 * _HUGE_PAGE:
        # whole huge pages: a partial one at either end would be small pages
        pad = _HUGE_PAGE
        total = -(-total // pad) * pad
    buf = np.empty(total + pad, np.uint8)
    base = -buf.__array_interface__["data"][0] % pad
    return [
        buf[base + o : base + o + size].view(dt).reshape(shape)
        for (shape, dt), o, size in zip(specs, offs, sizes, strict=True)
    ]


def _triangulate2d(pts):
    """The 2D Delaunay kernel's own halfedge arrays (vertices in insertion order),
    as ``triangulation._build`` makes them, without its scipy-shaped outputs:
    ``(tri, opp, nt, xs, ys, k, perm, dup, label, cell)``, the coordinates
    scaled by ``2**k`` into the exact window, ``label[j]`` the input index of
    vertex ``j`` (the lowest of its exact copies), ``dup[j]`` the vertex point
    ``j`` copies (-1 for a vertex; in ``tri``'s dtype); ``cell`` (2n, uninitialised) shares
    ``tri``'s buffer, for :func:`_kv.voronoi2d` (kept with the triangulation
    for the regions' walk, and freed with it)."""
    from .triangulation import _insertion_order

    _k = _k2

    n = pts.shape[0]
    perm, _ = _insertion_order(pts, "hilbert")
    xs, ys, amax, amin = _gather.gather_xy_extent(pts, perm, cancel_flag())
    checkpoint()  # a cancelled gather is unfinished
    k = 0
    if not in_exponent_window(amax, amin, 4):
        _, k = check_exponent_range(np.array([amax, amin]), 4)
        if k:
            xs = np.ldexp(xs, k)
            ys = np.ldexp(ys, k)
    itype = np.int32 if 6 * n < 2**31 - 1 else np.int64
    # the kernel's slots (2n triangles at most), its copies and voronoi2d's
    # cell numbers in one buffer (see _carve)
    # dup in the slots' dtype, as triangulation._build passes it: the compiled
    # triangulate and vertex_labels take that one signature (geoent._aot)
    tri, opp, cell, dup = _carve(
        [((6 * n,), itype), ((6 * n,), itype), ((2 * n,), itype), ((n,), itype)]
    )
    dup.fill(-1)
    status = _k.NO_EXTENT
    nt = 0
    if n >= 3:
        checkpoint()
        nt, status = _k.triangulate(xs, ys, tri, opp, dup, 0, cancel_flag())
        checkpoint()
    if status != _k.OK:
        raise GeometryError(
            "Voronoi: the points have no 2D extent (all collinear, or fewer than "
            "three distinct points)"
        )
    label = _k.vertex_labels(perm, dup) if (dup >= 0).any() else perm
    return tri, opp, nt, xs, ys, k, perm, dup, label, cell


class Voronoi:
    """Voronoi diagram of a 2D or 3D point set, with scipy's interface.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
    furthest_site, incremental, qhull_options
        Accepted for scipy compatibility; ``furthest_site=True`` and
        ``incremental=True`` raise ``NotImplementedError``; ``qhull_options``
        is ignored (there are no tolerances to set).

    Attributes
    ----------
    points : ndarray (n, ndim)
    vertices : ndarray of float64 (nv, ndim)
        Voronoi vertices: circumcentres of the Delaunay cells.
    ridge_points : ndarray of intc (nr, 2)
        The two input points each ridge separates (int32, as scipy's).
    ridge_vertices : list of list of int
        Voronoi vertices of each ridge, -1 for the vertex at infinity. In 2D
        ``[-1, v]`` for unbounded ridges; in 3D the polygon's vertices in order
        around the Delaunay edge. (A flat form: ``ridge_vertices_array`` in 2D.)
        In 3D geoent lists every ridge, including the unbounded ones with a
        single finite vertex (the face shared by two hull points joined by an
        edge with one tetrahedron around it), which Qhull leaves out.
    regions : list of list of int
        Voronoi vertices of each region; -1 marks an unbounded region. In 2D
        counter-clockwise around the point (the -1 where the region opens); in
        3D ascending. One region per input point, in an order of geoent's
        choosing (2D: the Delaunay insertion order); the region of an exact
        duplicate that is not the lowest index of its group is empty.
    point_region : ndarray of int64 (n,)
        Index in ``regions`` of each point's region; exact duplicates share the
        region of the lowest index of their group.
    ndim, npoints : int
    min_bound, max_bound : ndarray

    Notes
    -----
    Built on first access, then kept: ``ridge_vertices`` and ``regions`` (the
    Python lists; the constructor makes flat integer arrays), and in 2D the
    regions themselves: the walk round every point that lists them runs when
    ``regions`` or :meth:`to_shapely` is first used, from the triangulation the
    constructor keeps for it (freed after the walk), together with the hull
    links and starting points that walk needs. In 2D the arrays the
    constructor makes (``vertices``, ``ridge_points``, ``point_region``, ...)
    are views of one buffer, freed when the last of them is. Scipy builds
    everything in its constructor, so ``Voronoi(points)`` alone does less work
    than scipy's; reading every attribute once does the same (see the README
    for both timings). The results do not depend on the order of access.

    Raises
    ------
    GeometryError
        When the points have no full-dimensional extent (all collinear in 2D,
        coplanar in 3D), as scipy raises ``QhullError``.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> g = np.array([[i, j] for i in range(3) for j in range(3)], dtype=float)
    >>> vor = geoent.Voronoi(g)  # 4 cocircular groups: one vertex each
    >>> len(vor.vertices), len(vor.ridge_points)
    (4, 12)
    """

    def __init__(self, points, furthest_site=False, incremental=False, qhull_options=None):
        if furthest_site:
            raise NotImplementedError("geoent.Voronoi: furthest_site=True is not supported")
        if incremental:
            raise NotImplementedError("geoent.Voronoi: incremental=True is not supported")
        pts = as_points(points, ndim=(2, 3))
        self.points = pts
        self.ndim = pts.shape[1]
        self.npoints = pts.shape[0]
        self.furthest_site = False
        self._regions = None
        self._ridge_vertices = None
        self._flat = self._off = None
        # Ctrl-C stops the construction promptly (geoent._interrupt)
        interruptible(self.npoints, self._build2d if self.ndim == 2 else self._build3d, pts)

    # -- construction ------------------------------------------------------

    def _build2d(self, pts):
        tri, opp, nt, xs, ys, k, perm, dup, label, cell = _triangulate2d(pts)
        checkpoint()
        n = self.npoints
        it = tri.dtype
        ne = (3 * nt) // 2 + 1  # Delaunay edges, at most (see voronoi2d_alloc)
        # the outputs kept for the object's life in one buffer (see _carve):
        # the attributes are views of it
        v, rp, rv, hin, hout, pr = _carve(
            [((nt, 2), np.float64), ((ne, 2), it), ((ne, 2), it), ((n,), it), ((n,), it),
             ((n,), np.int64)],
        )  # fmt: skip
        v, rp, rv, cell = _kv.voronoi2d(xs, ys, tri, opp, nt, label, cell, v, rp, rv, cancel_flag())
        checkpoint()  # a cancelled voronoi2d returned a partial diagram
        self.vertices = np.ldexp(v, -k) if k else v
        self.ridge_points = rp
        self._rv = rv
        # regions are numbered by insertion order (the order the kernel walks in);
        # point_region maps each input point to its own, copies to their vertex's
        self._perm = perm
        self.point_region = _kv.point_regions2d(perm, dup, pr)
        # the regions' walk is left to the first use of ``regions`` or
        # ``to_shapely`` (it is a sixth of the construction at 1e5 points),
        # and with it the hull links (filled into hin, hout) and each
        # vertex's starting halfedge, which only the walk needs
        self._hin = hin
        self._hout = hout
        self._walk = (tri, opp, nt, cell)

    def _region_arrays(self):
        """``(flat, off)``: region ``j`` is ``flat[off[j]:off[j + 1]]`` (2D: made
        on first use from the triangulation kept for it, which is then freed)."""
        if self._flat is None:
            tri, opp, nt, cell = self._walk

            def walk():
                checkpoint()
                out = _kv.regions2d(tri, opp, nt, cell, self._hin, self._hout, cancel_flag())
                checkpoint()  # a cancelled walk returned a partial list
                return out

            self._flat, self._off = interruptible(self.npoints, walk)
            self._walk = None
        return self._flat, self._off

    def _build3d(self, pts):
        res = _d3.build3d(pts, "morton", True)
        if res is None:
            raise GeometryError(
                "Voronoi: the points have no 3D extent (all coplanar, or fewer than "
                "four distinct points)"
            )
        scaled, k = check_exponent_range(pts, 5)
        P = np.ascontiguousarray(scaled)
        simp = res.simplices
        nb = res.neighbors
        checkpoint()
        cell, rep = _kv.cells3d(P, simp, nb, cancel_flag())
        checkpoint()
        v = _kv.circumcenters3d(P, simp, rep, cancel_flag())
        checkpoint()  # a cancelled circumcenters3d is unfinished
        self.vertices = np.ldexp(v, -k) if k else v
        checkpoint()
        rp, flat, off = _kv.ridges3d(P, simp, nb, cell, self.npoints, cancel_flag())
        checkpoint()
        self.ridge_points = rp.astype(np.intc)
        self._rflat = flat
        self._roff = off
        # regions: the cells of the tetrahedra around each point, -1 on the hull
        self._flat, self._off = _kv.regions3d(
            simp, cell, res.hull_facets, self.npoints, cancel_flag()
        )
        checkpoint()  # a cancelled regions3d is unfinished
        self._dups = res.coplanar
        self._finish_point_region()

    def _finish_point_region(self):
        pr = np.arange(self.npoints, dtype=np.int64)
        if self._dups.shape[0]:
            pr[self._dups[:, 0]] = self._dups[:, 2]
        self.point_region = pr

    # -- scipy's list attributes (and 2D regions), built on first use --------

    @property
    def min_bound(self):
        """Smallest coordinate of the points along each axis (as scipy's)."""
        return self.points.min(axis=0)

    @property
    def max_bound(self):
        """Largest coordinate of the points along each axis (as scipy's)."""
        return self.points.max(axis=0)

    @property
    def regions(self):
        """Vertices of each region (see the class documentation)."""
        if self._regions is None:
            flat, off = self._region_arrays()
            with _collector_paused():
                flat = flat.tolist()
                off = off.tolist()
                self._regions = [flat[off[i] : off[i + 1]] for i in range(self.npoints)]
        return self._regions

    @property
    def ridge_vertices(self):
        """Voronoi vertices of each ridge, -1 for infinity (lists, as scipy)."""
        if self._ridge_vertices is None:
            with _collector_paused():
                if self.ndim == 2:
                    self._ridge_vertices = self._rv.tolist()
                else:
                    flat = self._rflat.tolist()
                    off = self._roff.tolist()
                    self._ridge_vertices = [flat[off[i] : off[i + 1]] for i in range(len(off) - 1)]
        return self._ridge_vertices

    @property
    def ridge_vertices_array(self):
        """2D only: the ridge vertices as an int array (nr, 2), -1 first."""
        if self.ndim != 2:
            raise AttributeError("ridge_vertices_array exists in 2D only")
        return self._rv

    @property
    def ridge_dict(self):
        """``{(p, q): ridge vertices}`` as scipy's."""
        return {
            tuple(k): v
            for k, v in zip(self.ridge_points.tolist(), self.ridge_vertices, strict=True)
        }

    def __repr__(self):
        return (
            f"<geoent.Voronoi: {self.npoints} points, {len(self.vertices)} vertices, "
            f"{len(self.ridge_points)} ridges, {self.ndim}D>"
        )

    # -- shapely -------------------------------------------------------------

    def to_shapely(self, extent=None):
        """The 2D cells as shapely polygons clipped to a box, one per input point.

        Parameters
        ----------
        extent : (xmin, ymin, xmax, ymax) or shapely geometry, optional
            The clipping box (a geometry: its bounds). Default: the bounding box
            of the points, widened by 10% of its size on every side.

        Returns
        -------
        numpy.ndarray of shapely Polygons, shape (n,)
            ``out[i]`` is the cell of point ``i`` intersected with the box (exact
            duplicates get equal cells; a cell missing the box is an empty
            Polygon). Cells inside the box are the polygons of their Voronoi
            vertices, counter-clockwise; only cells reaching out of it go through
            ``shapely.clip_by_rect``.

        Examples
        --------
        >>> import numpy as np, geoent, shapely
        >>> vor = geoent.Voronoi([[0, 0], [1, 0], [0, 1], [1, 1]])
        >>> cells = vor.to_shapely(extent=(0, 0, 1, 1))
        >>> [round(c.area, 3) for c in cells]
        [0.25, 0.25, 0.25, 0.25]
        """
        import shapely

        if self.ndim != 2:
            raise ValueError("to_shapely: only 2D Voronoi diagrams have polygon cells")
        if extent is None:
            lo = self.min_bound
            hi = self.max_bound
            pad = 0.1 * (hi - lo).max()
            box = (lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad)
        elif hasattr(extent, "bounds"):
            box = tuple(extent.bounds)
        else:
            box = tuple(float(v) for v in extent)
            if len(box) != 4:
                raise ValueError("to_shapely: extent must be (xmin, ymin, xmax, ymax)")
        flat, off = self._region_arrays()
        coords, ring_off, inside = _kv.cell_rings(
            self.points,
            self._perm,
            self.point_region,
            self.vertices,
            flat,
            off,
            self._hin,
            self._hout,
            np.asarray(box, dtype=np.float64),
        )
        n = self.npoints
        with _collector_paused():
            polys = shapely.from_ragged_array(
                shapely.GeometryType.POLYGON, coords, (ring_off, np.arange(n + 1))
            )
            # only the cells reaching out of the box need clipping (few: those
            # near the hull, for the default box); the others lie inside it
            cut = np.flatnonzero(~inside)
            clipped = shapely.clip_by_rect(polys[cut], *box)
            # GEOS answers "GEOMETRYCOLLECTION EMPTY" for a cell missing the box
            clipped[shapely.is_empty(clipped)] = shapely.Polygon()
            polys[cut] = clipped
        return polys
