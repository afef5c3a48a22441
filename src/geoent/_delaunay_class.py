"""The scipy-compatible ``Delaunay`` (``geoent.Delaunay``), a subclass of
``scipy.spatial.Delaunay``: apart from ``geoent.triangulation`` so that ``delaunay``
imports no scipy (see :mod:`geoent.triangulation`)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import Delaunay as _ScipyDelaunay

from . import _scipy_compat as _compat
from . import triangulation as _tri
from ._aot import jit_module
from ._interrupt import cancel_flag, interruptible
from ._validation import as_points, exponent_range, readonly_view
from .errors import GeometryError, InputError
from .triangulation import _build, _d3_order, _furthest_result, _insertion_order, _lazy

__all__ = ["Delaunay"]

_OK, _NO_EXTENT = 0, 1  # geoent._kernels.delaunay2d's statuses (read without numba)
_NO_EXTENT_MESSAGE = (
    "Delaunay: the points have no 2D extent (they are all collinear, or there are "
    "fewer than three distinct points); geoent.delaunay returns an empty triangle "
    "array for such input"
)

_d3 = jit_module("_delaunay3d")  # the 3D engine, imported on first 3D use (kernels: _aot)


class Delaunay(_ScipyDelaunay):
    """Delaunay triangulation of a 2D point set, exact, with scipy's interface.

    A subclass of ``scipy.spatial.Delaunay`` (so scipy code that checks
    ``isinstance``, such as ``scipy.interpolate.LinearNDInterpolator``, accepts
    it); every attribute is geoent's own, computed exactly.

    Parameters
    ----------
    points : array_like, shape (n, 2) or (n, 3)
        (n, 3): the exact 3D Delaunay tetrahedralisation (see
        :mod:`geoent._delaunay3d`; ``furthest_site`` is 2D only).
    furthest_site : bool, optional
        The furthest-site triangulation (every circumcircle holds every point)
        of the strictly convex hull vertices.
    incremental : bool, optional
        Allow :meth:`add_points`, which inserts new points into the existing
        triangulation (exact Lawson insertion in 2D, exact Bowyer-Watson insertion
        in 3D), not a rebuild.
    qhull_options : str, optional
        Parsed: ``Qu`` is ``furthest_site``; options that tune Qhull's tolerances
        are accepted and ignored; unknown options raise ``ValueError``. See
        :mod:`geoent._scipy_compat`.
    order : {"hilbert", "brio", "none"}, int array or object, optional
        Insertion order; see :func:`delaunay`.

    In 3D, ``simplices`` are tetrahedra with ``orient3d > 0`` (see
    :func:`delaunay`), ``neighbors[i, j]`` is the tetrahedron across the facet
    opposite ``simplices[i, j]`` (-1 on the hull), ``convex_hull`` the hull
    facets (h, 3), counter-clockwise seen from outside, and ``coplanar`` lists
    the exact duplicates as in 2D. ``transform``, ``plane_distance``,
    ``lift_points`` and ``equations`` follow scipy in both dimensions (with
    ``paraboloid_scale = 1`` and ``paraboloid_shift = 0``).

    Attributes
    ----------
    points : ndarray of float64, shape (n, 2)
        The input points.
    simplices : ndarray of intc, shape (m, 3)
        Counter-clockwise triangles.
    neighbors : ndarray of intc, shape (m, 3)
        ``neighbors[i, j]`` is the triangle across the edge opposite vertex
        ``simplices[i, j]``, -1 on the hull.
    convex_hull : ndarray of intc, shape (h, 2)
        Hull edges, counter-clockwise around the hull (interior on the left),
        one per pair of consecutive boundary vertices, collinear ones included.
    coplanar : ndarray of intc, shape (k, 3)
        Exact duplicates left out of the triangulation: rows (point index, a
        triangle holding the vertex it coincides with, that vertex's index),
        sorted by point index. (scipy also lists points Qhull dropped for
        precision; geoent drops none.)
    vertex_to_simplex : ndarray of intc, shape (n,)
        A triangle each point is a vertex of; for a duplicate, a triangle
        holding the vertex it coincides with (-1 only for points a
        furthest-site triangulation leaves out).
    transform, equations, paraboloid_scale, paraboloid_shift
        scipy's barycentric transforms and lifted hyperplanes (lift
        ``z = |x|**2``: scale 1, shift 0).
    vertex_neighbor_vertices : tuple of two intc arrays
    min_bound, max_bound : ndarray of float64
    furthest_site : bool
    good : None
    nsimplex, npoints, ndim : int

    Raises
    ------
    QhullError
        (both a ``ValueError`` and ``scipy.spatial.QhullError``) when the points
        have no 2D extent (all collinear, or fewer than three distinct points).

    Notes
    -----
    Index arrays are ``np.intc`` as in scipy; the functional :func:`delaunay`
    keeps int64.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> pts = np.array([[0, 0], [2, 0], [0, 2], [2, 2], [1, 1], [1, 1]])
    >>> d = geoent.Delaunay(pts)
    >>> d.nsimplex
    4
    >>> d.coplanar[:, [0, 2]].tolist()  # point 5 is a copy of point 4
    [[5, 4]]
    >>> d.find_simplex([[1.5, 1.0], [3.0, 3.0]])[1].item()
    -1
    >>> d = geoent.Delaunay(pts[:4], incremental=True)
    >>> d.add_points([[1, 1]]); d.nsimplex
    4
    """

    # The combinatorial arrays are properties: after add_points they are
    # extracted from the kernel state on first access (so add_points itself costs
    # only the insertion). They can be assigned like plain attributes.
    _stale = False
    points = _lazy("points")
    simplices = _lazy("simplices")
    neighbors = _lazy("neighbors")
    convex_hull = _lazy("convex_hull")
    coplanar = _lazy("coplanar")
    vertex_to_simplex = _lazy("vertex_to_simplex")
    nsimplex = _lazy("nsimplex")

    def __init__(
        self, points, furthest_site=False, incremental=False, qhull_options=None, *, order="hilbert"
    ):
        opts = _compat.parse_qhull_options(qhull_options, "Delaunay")
        pts = as_points(points, ndim=(2, 3))
        self.furthest_site = bool(furthest_site) or opts.furthest
        self._order = order
        self._incremental = bool(incremental)
        self._closed = False
        self._inc = None
        self.paraboloid_scale = 1.0
        self.paraboloid_shift = 0.0
        self.good = None
        if pts.shape[1] == 3:
            self._init3d(pts)
            return
        if self._small(pts):
            return
        self._set(pts, self._compute(pts))

    def _small(self, pts):
        """The default 2D build of a small set in one compiled call
        (``geoent._kernels.delaunay2d_small.small_delaunay_full``: the same kernels
        as ``_build``, so the same arrays); False where it does not apply (other
        options, exact duplicates, coordinates that need rescaling)."""
        if not (
            pts.shape[0] <= _tri.SMALL_UP_TO
            and not self.furthest_site
            and not self._incremental
            and isinstance(self._order, str)
            and self._order == "hilbert"
            and _compat.INDEX is np.intc
            and np.dtype(np.intc) == np.int32
            and _tri._one_call_small()
        ):
            return False
        status, simplices, neighbors, hull_edges, v2s, lo, hi = _tri._small.small_delaunay_full(
            pts, _tri._ordering.HILBERT_TABLE, *_tri._WINDOW4, cancel_flag()
        )
        if status == _NO_EXTENT:
            raise _compat.QhullError(_NO_EXTENT_MESSAGE)
        if status != _OK:
            return False
        # _set's steps (the kernel's arrays are scipy's dtype already)
        view = pts.view()
        view.flags.writeable = False
        self.points = view
        self._stale = False
        self.simplices = simplices
        self.neighbors = neighbors
        self.convex_hull = _compat.as_index(hull_edges)
        self.coplanar = _compat.as_index(np.empty((0, 3), np.int64))
        self.vertex_to_simplex = v2s
        self.ndim = 2
        self.npoints = pts.shape[0]
        self.nsimplex = simplices.shape[0]
        if lo.shape[0]:
            self.min_bound, self.max_bound = lo, hi
        else:  # a zero extreme: numpy's own reductions (the sign of a zero)
            self.min_bound, self.max_bound = pts.min(axis=0), pts.max(axis=0)
        self._clear_derived()
        return True

    def _init3d(self, pts):
        """(n, 3) input: geoent's exact 3D Delaunay (issue 14), with scipy's dtypes."""
        if self.furthest_site:
            raise InputError("furthest_site: supported for 2D input only")
        if self._incremental:
            self._set(pts, self._compute(pts))
            return
        try:
            _d3.fill_delaunay3d(self, pts, _d3_order(self._order))
        except GeometryError as exc:
            raise _compat.QhullError(str(exc)) from exc
        ix = _compat.as_index
        self.points = readonly_view(pts)
        self.simplices = ix(self.simplices)
        self.neighbors = ix(self.neighbors)
        self.convex_hull = ix(self.convex_hull)
        cop = self.coplanar
        v2s = self.vertex_to_simplex.copy()
        if cop.shape[0]:
            v2s[cop[:, 0]] = cop[:, 1]  # duplicates: a simplex holding their vertex
        self.coplanar = ix(cop)
        self.vertex_to_simplex = ix(v2s)
        # min_bound, max_bound: set by fill_delaunay3d (from its order kernel's pass)
        self._clear_derived()

    def _compute(self, pts):
        if pts.shape[1] == 3:  # incremental 3D (the batch path is _init3d's)
            perm = _d3.insertion_order3(pts, _d3_order(self._order))
            self._inc = interruptible(pts.shape[0], _compat.IncrementalDelaunay3D, pts, perm)
            if not self._inc.ok:
                self._inc = None
                raise _compat.QhullError(
                    "Delaunay: the points have no 3D extent (they are all coplanar, or "
                    "there are fewer than four distinct points)"
                )
            return self._inc.result()
        if self.furthest_site:
            res = _furthest_result(pts)
        elif self._incremental:
            perm, _ = _insertion_order(pts, self._order)
            if pts.shape[0] < 3:
                res = None
            else:
                self._inc = interruptible(pts.shape[0], _compat.IncrementalDelaunay2D, pts, perm)
                res = self._inc.result() if self._inc.ok else None
        else:
            res = interruptible(pts.shape[0], _build, pts, self._order, True)
        if res is None:
            raise _compat.QhullError(_NO_EXTENT_MESSAGE)
        return res

    def _set(self, pts, res, bounds=None):
        view = pts.view()
        view.flags.writeable = False
        self.points = view
        self._stale = False
        ix = _compat.as_index
        self.simplices = ix(res.simplices)
        self.neighbors = ix(res.neighbors)
        self.convex_hull = ix(res.hull_edges)
        self.coplanar = ix(res.coplanar)
        v2s = res.vertex_to_simplex.copy()
        if res.coplanar.shape[0]:
            v2s[res.coplanar[:, 0]] = res.coplanar[:, 1]
        self.vertex_to_simplex = ix(v2s)
        self.ndim = pts.shape[1]
        self.npoints = pts.shape[0]
        self.nsimplex = res.simplices.shape[0]
        if bounds is None:
            bounds = (pts.min(axis=0), pts.max(axis=0))
        self.min_bound, self.max_bound = bounds
        self._clear_derived()

    def _clear_derived(self):
        self._vnv = None
        self._transform = None
        self._equations = None
        self._prange = None

    def _refresh(self):
        """Extract the arrays from the incremental kernel state (after add_points),
        or rebuild them from the points when an interrupted add_points dropped it."""
        bounds = (self.min_bound, self.max_bound)
        if self._inc is None:
            pts = self.__dict__["_points"]
            self._set(pts, self._compute(pts), bounds)
        else:
            self._set(self._inc.points(), self._inc.result(), bounds)

    # scipy's attributes computed on first use -------------------------------

    @property
    def transform(self):
        """Barycentric transforms, shape (nsimplex, ndim + 1, ndim), as scipy's:
        rows of ill-conditioned simplices are NaN (scipy's rule)."""
        if self._transform is None:
            # any ndim; NaN rows by scipy's conditioning rule (3D too)
            self._transform = _compat.delaunay_transform(self.points, self.simplices)
        return self._transform

    @property
    def equations(self):
        """Hyperplanes ``[normal, offset]`` of the lifted triangles, shape (nsimplex, 4)."""
        if self._equations is None and self.ndim == 3:
            self._equations = _d3.lifted_equations(self.points, self.simplices)
        if self._equations is None:
            self._equations = _compat.delaunay_equations(
                self.points,
                self.simplices,
                self.paraboloid_scale,
                self.paraboloid_shift,
                self.furthest_site,
            )
        return self._equations

    @property
    def vertex_neighbor_vertices(self):
        """``(indptr, indices)``: the neighbours of vertex k are
        ``indices[indptr[k]:indptr[k + 1]]`` (ascending), as in scipy."""
        return self._vertex_neighbors()

    def lift_points(self, x):
        """Lift points to the paraboloid ``z = scale * |x|**2 + shift`` (scipy's).

        Examples
        --------
        >>> import geoent
        >>> geoent.Delaunay([[0, 0], [1, 0], [0, 1]]).lift_points([[1.0, 2.0]]).tolist()
        [[1.0, 2.0, 5.0]]
        """
        return _compat.lift(x, self.paraboloid_scale, self.paraboloid_shift)

    def plane_distance(self, xi):
        """Signed distances of the lifted ``xi`` to every lifted simplex's
        hyperplane, shape ``xi.shape[:-1] + (nsimplex,)`` (scipy's)."""
        xi = np.asanyarray(xi, dtype=np.float64)
        if xi.shape[-1] != self.ndim:
            raise ValueError("xi has different dimensionality than triangulation")
        z = self.lift_points(xi)
        eq = self.equations
        return z @ eq[:, :-1].T + eq[:, -1]

    # incremental mode -------------------------------------------------------

    def add_points(self, points, restart=False):
        """Insert ``points`` into the triangulation (``incremental=True`` only).

        New points get the next input indices. They are inserted into the
        existing triangulation (2D) or tetrahedralisation (3D) by the exact
        insertion kernel, in a spatial order within the batch; ``restart=True``
        rebuilds from all points instead, as does a batch whose coordinates do not
        fit the exact window at the current power-of-two scale. (A furthest-site
        triangulation, which uses only hull vertices, is rebuilt from the hull.)
        Ties among cocircular (cospherical) points follow the insertion order, so
        the result may choose other, equally valid, simplices there than a batch
        build of all the points.

        Examples
        --------
        >>> import geoent
        >>> cube = [[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)]
        >>> d = geoent.Delaunay(cube, incremental=True)
        >>> d.add_points([[0.5, 0.5, 0.5]]); d.nsimplex
        12

        Raises
        ------
        RuntimeError
            If the object was not made with ``incremental=True`` or is closed.
        """
        if not self._incremental or self._closed:
            raise RuntimeError("incremental mode not enabled or already closed")
        old = self.__dict__["_points"]  # not self.points: that would extract the arrays
        new = as_points(points, ndim=self.ndim, min_points=0)
        n_old = old.shape[0]
        bounds = (self.min_bound, self.max_bound)
        if new.shape[0]:
            bounds = (
                np.minimum(bounds[0], new.min(axis=0)),
                np.maximum(bounds[1], new.max(axis=0)),
            )
        if self._inc is not None and not restart and not self.furthest_site:
            try:
                added = interruptible(new.shape[0], self._inc.add, new, n_old)
            except KeyboardInterrupt:
                # Ctrl-C (geoent._interrupt) left the kernel state half-updated: drop
                # it; the triangulation of the points before this call is rebuilt
                # from them on next use
                self._inc = None
                self._stale = True
                raise
            if added:
                # inserted in place; arrays are extracted when next read
                self._points = self._inc.points()
                self.npoints = self._points.shape[0]
                self.min_bound, self.max_bound = bounds
                self._clear_derived()
                self._stale = True
                return
        pts = np.concatenate((old, new)) if new.shape[0] else np.array(old)
        self._inc = None
        self._set(pts, self._compute(pts), bounds)

    def close(self):
        """End incremental mode: later :meth:`add_points` calls raise RuntimeError."""
        self._closed = True
        self._inc = None

    def _vertex_neighbors(self):
        if self._vnv is None:
            s = self.simplices.astype(np.int64)
            k = s.shape[1]
            pairs = [(i, j) for i in range(k) for j in range(k) if i != j]
            src = np.concatenate([s[:, i] for i, _ in pairs])
            dst = np.concatenate([s[:, j] for _, j in pairs])
            n = self.npoints
            key = np.unique(src * n + dst)
            src = key // n
            indptr = np.zeros(n + 1, np.int64)
            np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
            self._vnv = (_compat.as_index(indptr), _compat.as_index(key % n))
        return self._vnv

    def __repr__(self):
        what = "triangles" if self.ndim == 2 else "tetrahedra"
        return f"<geoent.Delaunay: {self.npoints} points, {self.nsimplex} {what}>"

    def find_simplex(self, xi, bruteforce=False, tol=None):
        """The simplex (triangle, or tetrahedron in 3D) containing each query
        point, exactly; -1 outside the hull.

        Parameters
        ----------
        xi : array_like, shape (..., ndim)
        bruteforce : bool
            Accepted for scipy compatibility; the walk is exact either way.
        tol : float, optional
            None (default): exact location, a point outside the closed hull gets
            -1. A positive ``tol`` (scipy's meaning): a point outside the hull
            whose barycentric coordinates in a hull simplex are all ``>= -tol``
            (and ``<= 1 + tol``) is given that simplex. Points inside the closed
            hull keep their exact answer.

        Returns
        -------
        ndarray of intc, shape ``xi.shape[:-1]``
            For a point on a face, an edge or at a vertex, one of the simplices
            holding it. Queries outside the points' bounding box (1e300 say) get
            -1 without any scaling.

        Raises
        ------
        IndexError
            For a scalar ``xi`` (as scipy).
        ValueError
            When the last axis of ``xi`` is not ``ndim``, or for NaN/inf.

        Examples
        --------
        >>> import geoent
        >>> d = geoent.Delaunay([[0, 0], [1, 0], [0, 1]])
        >>> d.find_simplex([[0.2, 0.2], [1, 1], [0.5, 0.5], [1e300, 0]]).tolist()
        [0, -1, 0, -1]
        >>> d.find_simplex([-1e-17, 0.5], tol=1e-12).item()
        0
        """
        arr = np.asanyarray(xi)
        if arr.shape[-1] != self.ndim:  # a 0-d xi raises IndexError here, as in scipy
            raise InputError(
                f"xi: expected an array of shape (..., {self.ndim}), got shape {arr.shape}"
            )
        d = self.ndim
        shape = arr.shape[:-1]
        q = as_points(np.asarray(arr).reshape(-1, d), ndim=d, name="xi", min_points=0)
        if self._prange is None:
            self._prange = exponent_range(self.points)
        # Ctrl-C stops the query sort and the walk (geoent._interrupt)
        out = interruptible(
            q.shape[0],
            _compat.locate3d if d == 3 else _compat.locate,
            self.points,
            self.simplices,
            self.neighbors,
            q,
            (self.min_bound, self.max_bound),
            self._prange,
        )
        if tol is not None:
            out = _compat.locate_with_tol(
                self.transform,
                self.neighbors,
                q,
                out,
                float(tol),
                (self.min_bound, self.max_bound),
            )
        return _compat.as_index(out).reshape(shape)

    def plot(self, ax=None, **kwargs):
        """Draw the triangles and points with matplotlib (imported on first use).

        Returns the axes. Extra keyword arguments go to ``ax.triplot``.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        kw = {"color": "C0", "lw": 0.6}
        kw.update(kwargs)
        ax.triplot(self.points[:, 0], self.points[:, 1], self.simplices, **kw)
        ax.plot(self.points[:, 0], self.points[:, 1], "o", color="C1", ms=2)
        ax.set_aspect("equal")
        return ax
