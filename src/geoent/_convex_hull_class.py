"""The scipy-compatible ``ConvexHull`` (``geoent.ConvexHull``), a subclass of
``scipy.spatial.ConvexHull``: apart from ``geoent.hull`` so that ``convex_hull``
imports no scipy (see :mod:`geoent.hull`)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull as _ScipyConvexHull

from . import _scipy_compat as _compat
from ._hull2d import fast_points, hull2d
from ._hull3d import hull3d
from ._hull_measures import (
    equations_3d,
    ring_measures_2d,
    scale_exponent,
    volume_area_bounds_3d,
)
from ._interrupt import interruptible
from ._validation import as_points, readonly_view
from .errors import InputError
from .hull import _check_method, instance_optimal_stats

__all__ = ["ConvexHull"]


# ---------------------------------------------------------------------------
# scipy-compatible object
# ---------------------------------------------------------------------------


def _good_facets(pts, simplices, g, visible):
    """scipy's ``good`` for ``QGg`` (visible) / ``QG-g``: facets strictly visible
    from point ``g``, decided by exact orientation."""
    from .predicates import orient2d, orient3d

    p = pts[g]
    if pts.shape[1] == 2:
        side = orient2d(pts[simplices[:, 0]], pts[simplices[:, 1]], p)
    else:
        side = orient3d(pts[simplices[:, 0]], pts[simplices[:, 1]], pts[simplices[:, 2]], p)
    vis = side < 0
    return vis if visible else ~vis


def _vertex_bounds(pts, vertices, good_spec):
    """Per-coordinate min and max over ``pts[vertices]`` (and the QGn point),
    gathered in blocks: the whole gather is as large as the input when every
    point is a vertex."""
    lo = hi = None
    for i in range(0, vertices.shape[0], 1 << 13):
        c = pts[vertices[i : i + (1 << 13)]]
        if good_spec is not None:
            c = np.vstack((c, pts[good_spec[0]]))
        bmin, bmax = c.min(axis=0), c.max(axis=0)
        lo = bmin if lo is None else np.minimum(lo, bmin)
        hi = bmax if hi is None else np.maximum(hi, bmax)
    return lo, hi


class ConvexHull(_ScipyConvexHull):
    """Convex hull with scipy.spatial.ConvexHull's attributes, computed exactly.

    A subclass of ``scipy.spatial.ConvexHull`` (for code that checks
    ``isinstance``); every attribute is geoent's own.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
    incremental : bool, optional
        Allow :meth:`add_points`.
    qhull_options : str, optional
        ``QGn`` / ``QG-n``: leave point n out and mark in ``good`` the facets
        visible / not visible from it (exact orientation). Qhull's tolerance
        options are accepted and ignored; unknown options raise ``ValueError``
        (see :mod:`geoent._scipy_compat`).
    method, hint
        As for :func:`convex_hull` (2D).

    Attributes
    ----------
    points : ndarray of double, shape (n, ndim)
        The input coordinates (read-only view).
    vertices : ndarray of intc, shape (nvertices,)
        Hull vertices; in 2D counter-clockwise from the lexicographically smallest
        (scipy: counter-clockwise, any start), in 3D ascending (scipy: input order).
    simplices : ndarray of intc, shape (nfacet, ndim)
        Facets: 2D edges ``[vertices[i], vertices[i + 1]]`` (counter-clockwise); 3D
        triangles counter-clockwise seen from outside.
    neighbors : ndarray of intc, shape (nfacet, ndim)
        ``neighbors[i, k]`` is the facet opposite vertex k of facet i.
    equations : ndarray of double, shape (nfacet, ndim + 1)
        ``[normal, offset]`` with a unit outward normal: ``normal . x + offset`` is 0
        on the facet's hyperplane and negative inside.
    volume : float
        Area in 2D, volume in 3D (scipy's meaning).
    area : float
        Perimeter in 2D, surface area in 3D (scipy's meaning). ``equations``,
        ``volume`` and ``area`` are accurate at every scale (computed after an exact
        power-of-two rescaling): a value beyond the double range is ``inf`` (e.g. the
        volume of a 3D hull of extent 1e300), one below it rounds to 0 or a subnormal.
    nsimplex, ndim, npoints : int
    min_bound, max_bound : ndarray of double
    coplanar : ndarray of intc, shape (0, 3)
        Always empty: no input point is dropped for numerical reasons.
    good : ndarray of bool or None
        With ``QGn``: per facet, whether point n sees it (``QG-n``: the opposite).
    stats : dict
        2D only: the instance-optimal algorithm's per-level work (see
        :func:`geoent.hull.instance_optimal_stats`, on every point, not only the
        filters' survivors); computed on first access.

    Raises
    ------
    QhullError
        (both ``GeometryError``, a ``ValueError``, and ``scipy.spatial.QhullError``)
        when the points have no full-dimensional extent (all equal, collinear in
        2D, coplanar in 3D); :func:`convex_hull` returns the lower-dimensional hull.

    Notes
    -----
    Index arrays are ``np.intc`` as in scipy; :func:`convex_hull` keeps int64.
    In 3D, ``equations`` is computed on first access and then kept (scipy
    computes it eagerly; the values are the same): for points in convex position
    it alone is 2.7x the input, and construction stays within 3x the input in
    extra peak memory (issue 18).
    ``equations`` and ``volume`` are accurate to a relative 1e-12 or computed
    exactly (``fractions``) where floating point cannot certify that.

    Examples
    --------
    >>> import geoent
    >>> h = geoent.ConvexHull([[0, 0], [2, 0], [2, 1], [0, 1], [1, 0.5]])
    >>> h.vertices.tolist(), h.volume, h.area
    ([0, 1, 2, 3], 2.0, 6.0)
    >>> h.equations[0].tolist()  # the edge y = 0: outward normal (0, -1)
    [0.0, -1.0, 0.0]
    """

    # scipy's base class defines these as read-only properties: plain class
    # attributes here let the instance hold its own values.
    points = None
    vertices = None

    def __init__(self, points, incremental=False, qhull_options=None, *, method="auto", hint=None):
        _check_method(method)
        opts = _compat.parse_qhull_options(qhull_options, "ConvexHull")
        # plain float64 2D input skips as_points' isfinite pass, as in convex_hull:
        # hull2d's first kernel pass counts non-finite values and raises. Not with
        # QGn, whose left-out point that pass would not see.
        pts = fast_points(points) if opts.good is None else as_points(points)
        self._method = method
        self._incremental = bool(incremental)
        self._closed = False
        self._good_spec = opts.good
        self._stats = None
        self._setup(pts, None, hint)

    def _setup(self, pts, keep, hint=None):
        """Hull of ``pts[keep]`` (all points when None; never the ``QGn`` point),
        indices reported in ``pts``."""
        n = pts.shape[0]
        if self._good_spec is not None:
            g = self._good_spec[0]
            if not 0 <= g < n:
                raise _compat.QhullOptionsError(
                    f"qhull_options: QG{g} names point {g}, but there are {n} points"
                )
            keep = np.arange(n) if keep is None else keep
            keep = keep[keep != g]
        sub = pts if keep is None else np.ascontiguousarray(pts[keep])
        self._ring_bounds = None
        self.points = readonly_view(pts)
        self.npoints, self.ndim = pts.shape
        self.coplanar = np.empty((0, 3), dtype=_compat.INDEX)
        if self.ndim == 2:
            self._init2d(sub, self._method, hint)
        else:
            if hint is not None:
                raise InputError("hint: only 2D hulls take a hint")
            self._init3d(sub)
        if keep is not None:
            self.vertices = keep[self.vertices]
            self.simplices = keep[self.simplices]
            self._stats = None
        self.vertices = _compat.as_index(self.vertices)
        self.simplices = _compat.as_index(self.simplices)
        self.neighbors = _compat.as_index(self.neighbors)
        self.nsimplex = self.simplices.shape[0]
        # the extreme coordinates are attained at hull vertices (and the QGn point)
        if self._ring_bounds is not None and keep is None and self._good_spec is None:
            self.min_bound, self.max_bound = self._ring_bounds  # from _init2d / _init3d
        else:
            self.min_bound, self.max_bound = _vertex_bounds(pts, self.vertices, self._good_spec)
        self._ring_bounds = None
        self.good = None
        if self._good_spec is not None:
            self.good = _good_facets(pts, self.simplices, *self._good_spec)

    def add_points(self, points, restart=False):
        """Add points to the hull (``incremental=True`` only).

        The new hull is the hull of the current vertices and the new points: a
        point that is not a vertex now can never become one, so the interior is
        never looked at again. ``restart=True`` recomputes from all points.

        Raises
        ------
        RuntimeError
            If the object was not made with ``incremental=True`` or is closed.

        Examples
        --------
        >>> import geoent
        >>> h = geoent.ConvexHull([[0, 0], [1, 0], [0, 1]], incremental=True)
        >>> h.add_points([[1, 1], [0.5, 0.5]])
        >>> sorted(h.vertices.tolist()), h.volume
        ([0, 1, 2, 3], 1.0)
        """
        if not self._incremental or self._closed:
            raise RuntimeError("incremental mode not enabled or already closed")
        new = as_points(points, ndim=self.ndim, min_points=0)
        old_n = self.npoints
        pts = np.concatenate((self.points, new))
        keep = None
        if not restart:
            keep = np.concatenate(
                (self.vertices.astype(np.int64), np.arange(old_n, pts.shape[0], dtype=np.int64))
            )
            if self._good_spec is not None:
                keep = np.append(keep, self._good_spec[0])
            keep = np.unique(keep)
        self._setup(pts, keep)

    def close(self):
        """End incremental mode: later :meth:`add_points` calls raise RuntimeError."""
        self._closed = True

    def _init2d(self, pts, method, hint):
        meth = "monotone" if method == "auto" else method
        v, stats = interruptible(pts.shape[0], hull2d, pts, meth, hint)
        if v.shape[0] < 3:
            what = "a single point" if v.shape[0] == 1 else "collinear"
            raise _compat.QhullError(
                f"points: the input is {what} (no 2D extent), so it has no 2D convex hull; "
                "geoent.convex_hull returns its lower-dimensional hull"
            )
        self._stats = stats
        h = v.shape[0]
        self.vertices = v
        # edge i runs from vertex i to vertex i + 1; its neighbours are edges i + 1
        # (opposite its first vertex) and i - 1, cyclically. Written in one compiled
        # pass, in scipy's index dtype (_setup's conversions are then no-ops),
        # with the coordinate bounds over the vertices.
        idx = np.empty((2, h, 2), dtype=_compat.INDEX)
        bounds = np.empty((2, 2))
        # on the vertices alone: the same values (max |coordinate|, which sets the
        # scale, is attained at a vertex), without passes over every point; the
        # ring arrays and the measures in one compiled call
        self.equations, self.volume, self.area = ring_measures_2d(pts, v, idx, bounds)
        self.simplices, self.neighbors = idx[0], idx[1]
        self._ring_bounds = bounds

    def _init3d(self, pts):
        res = interruptible(pts.shape[0], lambda: hull3d(pts, facets="int32"))
        if getattr(res, "dim", 3) < 3 or res.simplices is None:
            raise _compat.QhullError(
                "points: the input is coplanar, collinear or a single point (no 3D "
                "extent), so it has no 3D convex hull; geoent.convex_hull returns its "
                "lower-dimensional hull"
            )
        # intc straight from the hull (compacted in place): no int64 copies
        self.vertices = _compat.as_index(res.vertices)
        self.simplices = res.simplices
        self.neighbors = res.neighbors
        del res
        # equations (4 doubles a facet: 2.7x the input of points in convex
        # position) are computed on first access, at this scale
        k = scale_exponent(pts)
        self._equations, self._equations_at = None, k
        # with the vertex bounds _setup needs, in the same compiled call
        self.volume, self.area, self._ring_bounds = volume_area_bounds_3d(
            pts, self.simplices, self.vertices, k
        )

    @property
    def equations(self):
        if self._equations is None:
            self._equations = equations_3d(self.points, self.simplices, self._equations_at)
        return self._equations

    @equations.setter
    def equations(self, value):
        self._equations = value

    @property
    def stats(self):
        """Instance-optimal work per level (2D), computed on first access."""
        if self.ndim != 2:
            raise AttributeError("stats: available for 2D hulls only")
        if self._stats is None:
            self._stats = instance_optimal_stats(self.points)
        return self._stats

    def to_shapely(self):
        """The hull as a shapely geometry (2D: Polygon; 3D: MultiPolygon of facets)."""
        import shapely

        if self.ndim == 2:
            return shapely.Polygon(self.points[self.vertices])
        return shapely.MultiPolygon([shapely.Polygon(self.points[s]) for s in self.simplices])

    def plot(self, ax=None, **kwargs):
        """Draw the points and the hull with matplotlib (imported only here).

        Returns the axes; extra keyword arguments go to the hull's line (2D) or
        surface (3D).
        """
        import matplotlib.pyplot as plt

        if self.ndim == 2:
            if ax is None:
                _, ax = plt.subplots()
            p = self.points
            ax.plot(p[:, 0], p[:, 1], ".", ms=2, color="0.5")
            ring = np.append(self.vertices, self.vertices[0])
            ax.plot(p[ring, 0], p[ring, 1], kwargs.pop("color", "C0"), **kwargs)
            ax.set_aspect("equal", adjustable="datalim")
            return ax
        if ax is None:
            fig = plt.figure()
            ax = fig.add_subplot(projection="3d")
        p = self.points
        ax.plot_trisurf(p[:, 0], p[:, 1], p[:, 2], triangles=self.simplices, **kwargs)
        return ax

    def __repr__(self):
        return (
            f"ConvexHull(npoints={self.npoints}, ndim={self.ndim}, "
            f"nvertices={self.vertices.shape[0]}, nsimplex={self.nsimplex})"
        )
