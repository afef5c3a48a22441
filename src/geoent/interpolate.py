"""Scattered-data interpolation on geoent's exact Delaunay triangulation.

``LinearNDInterpolator``, ``CloughTocher2DInterpolator`` and ``griddata`` with
scipy's signatures (``scipy.interpolate``), so that scipy code runs after
``from geoent.interpolate import ...``. They take points or a
:class:`geoent.Delaunay`: 2D for all three, 3D for ``LinearNDInterpolator`` and
``griddata(method="linear")`` (on geoent's exact 3D Delaunay tetrahedralisation).
The triangulation is geoent's exact one and every query is located exactly
(exact orientation tests): a query on the closed hull is inside, one outside it
gets ``fill_value``; there is no tolerance. The values are scipy's formulas
(barycentric; Nielson's gradient estimate and the Clough-Tocher cubic), so on
general-position input they agree with scipy's to about 1e-14. Where scipy's
tolerances place a query in a simplex that does not hold it (or outside although
it is on the hull), geoent's answer differs.

A geoent ``Delaunay`` is also an instance of ``scipy.spatial.Delaunay``, so scipy's
own interpolators accept it too (they then use scipy's tolerant point location
on geoent's triangles).

Passed to scipy unchanged: ``method="nearest"`` (a k-d tree, no triangulation;
any dimension), 1-D ``griddata``, and ``griddata`` on points of more than three
dimensions (geoent is 2D/3D).

Examples
--------
>>> import numpy as np
>>> from geoent.interpolate import griddata
>>> pts = np.array([[0, 0], [1, 0], [0, 1], [1, 1]], dtype=float)
>>> griddata(pts, pts.sum(axis=1), [[0.25, 0.5], [2.0, 2.0]]).tolist()
[0.75, nan]
"""

from __future__ import annotations

import warnings

import numpy as np

from . import _scipy_compat as _compat
from ._aot import kernels_of
from ._interrupt import cancel_flag, checkpoint, interruptible
from ._validation import as_points, exponent_range
from .errors import InputError
from .triangulation import Delaunay

__all__ = ["LinearNDInterpolator", "CloughTocher2DInterpolator", "griddata"]

# compiled ahead of time where built (geoent._aot), else the @njit kernels (issue 13)
_k = kernels_of("interpolate")


def _coords(args, ndim):
    """Query points from ``f(xi)``, ``f(x, y)`` or ``f((x, y))``, as scipy's
    ``_ndim_coords_from_arrays``: an array of shape (..., ndim)."""
    if len(args) == 1:
        a = args[0]
        if isinstance(a, tuple):
            parts = np.broadcast_arrays(*[np.asanyarray(p) for p in a])
            return np.stack(parts, axis=-1)
        arr = np.asanyarray(a)
        if arr.ndim == 1 and ndim != 1:
            if arr.shape[0] != ndim:
                raise InputError(f"xi: expected points of dimension {ndim}, got shape {arr.shape}")
            arr = arr.reshape(1, ndim)
        return arr
    parts = np.broadcast_arrays(*[np.asanyarray(p) for p in args])
    return np.stack(parts, axis=-1)


class _Base:
    """Shared set-up: triangulation, values, rescaling, fill value, calls."""

    _dims = (2,)

    @staticmethod
    def _dim_message(d):
        return f"geoent.interpolate: this interpolator takes 2D points, got {d} dimensions"

    def __init__(self, points, values, fill_value=np.nan, rescale=False):
        if isinstance(points, Delaunay):
            if rescale:
                raise ValueError(
                    "Rescaling is not supported when passing a Delaunay triangulation "
                    "as ``points``."
                )
            if points.ndim not in self._dims:
                raise InputError(self._dim_message(points.ndim))
            self.tri = points
            pts = points.points
        else:
            pts = as_points(points, ndim=self._dims)
            self.tri = None
        self.ndim = pts.shape[1]
        self.points = pts
        if rescale:
            self.offset = pts.mean(axis=0)
            scale = np.ptp(pts, axis=0)
            scale[~(scale > 0)] = 1.0
            self.scale = scale
            pts = (pts - self.offset) / self.scale
        else:
            self.offset = None
            self.scale = None
        self._pts = np.ascontiguousarray(pts)
        if self.tri is None:
            self.tri = Delaunay(self._pts)
        vals = np.asarray(values)
        if vals.ndim == 0 or vals.shape[0] != pts.shape[0]:
            raise ValueError("different number of values and points")
        self.values_shape = vals.shape[1:]
        self.is_complex = np.issubdtype(vals.dtype, np.complexfloating)
        flat = vals.reshape(vals.shape[0], -1)
        if self.is_complex:
            flat = np.concatenate((flat.real, flat.imag), axis=1)
        self._vals = np.ascontiguousarray(flat, dtype=np.float64)
        self.values = vals
        self.fill_value = fill_value
        if self.ndim == 2:
            self._x = np.ascontiguousarray(self._pts[:, 0])
            self._y = np.ascontiguousarray(self._pts[:, 1])
        self._simp = self.tri.simplices  # intc
        if self.offset is None:
            self._range = (self.tri.min_bound, self.tri.max_bound)
        else:
            self._range = (self._pts.min(axis=0), self._pts.max(axis=0))
        self._prange = None

    def _fill(self, k):
        fv = complex(self.fill_value) if self.is_complex else float(self.fill_value)
        if self.is_complex:
            half = k // 2
            return np.concatenate((np.full(half, fv.real), np.full(half, fv.imag)))
        return np.full(k, fv)

    def _locate(self, q):
        if self._prange is None:
            self._prange = exponent_range(self._pts)
        where = _compat.locate3d if self.ndim == 3 else _compat.locate
        return where(self._pts, self._simp, self.tri.neighbors, q, self._range, self._prange)

    def __call__(self, *args):
        """Evaluate at ``xi`` (array (..., ndim), a tuple of coordinate arrays, or
        ``x, y[, z]``); returns shape ``xi.shape[:-1] + values.shape[1:]``."""
        d = self.ndim
        xi = _coords(args, d)
        if xi.shape[-1] != d:
            raise ValueError(f"number of dimensions in xi does not match x: {xi.shape[-1]} != {d}")
        shape = xi.shape[:-1]
        q = as_points(np.asarray(xi).reshape(-1, d), ndim=d, name="xi", min_points=0)
        if self.offset is not None:
            q = (q - self.offset) / self.scale
        # Ctrl-C stops the location and the evaluation kernels (geoent._interrupt)
        out = interruptible(q.shape[0], self._evaluate, np.ascontiguousarray(q))
        if self.is_complex:
            half = out.shape[1] // 2
            out = out[:, :half] + 1j * out[:, half:]
        return out.reshape(shape + self.values_shape)


class LinearNDInterpolator(_Base):
    """Piecewise linear interpolation on geoent's exact Delaunay triangulation
    (2D) or tetrahedralisation (3D).

    Parameters
    ----------
    points : array_like (n, 2) or (n, 3), or geoent.Delaunay
    values : array_like (n, ...)
    fill_value : float, optional
        Value outside the closed convex hull (default NaN).
    rescale : bool, optional
        Rescale the points to the unit square (cube) before triangulating (scipy's).

    Notes
    -----
    In 3D the barycentric coordinates are scipy's (relative to the last vertex of
    the tetrahedron, the last coordinate one minus the others), with the inverse
    edge matrix by cofactors where scipy uses an LU factorisation: the values
    agree to rounding on general-position input. Points of more than three
    dimensions raise ``InputError`` (scipy's class handles them).

    Examples
    --------
    >>> import numpy as np
    >>> from geoent.interpolate import LinearNDInterpolator
    >>> pts = np.array([[0, 0], [2, 0], [0, 2], [2, 2]], dtype=float)
    >>> f = LinearNDInterpolator(pts, 3 * pts[:, 0] - pts[:, 1])
    >>> f([[1.0, 1.0], [0.5, 1.5]]).tolist()
    [2.0, 0.0]
    >>> f(1.0, 0.5).item()
    2.5

    In 3D (a tetrahedralisation of the cube's corners and its centre):

    >>> cube = np.array([[i, j, k] for i in (0, 1) for j in (0, 1) for k in (0, 1)] + [[0.5] * 3])
    >>> g = LinearNDInterpolator(cube, cube @ [1.0, 2.0, 4.0])
    >>> g([[0.25, 0.5, 0.75], [2.0, 0.0, 0.0]]).tolist()
    [4.25, nan]
    """

    _dims = (2, 3)

    @staticmethod
    def _dim_message(d):
        return (
            f"geoent.interpolate.LinearNDInterpolator: points of {d} dimensions; geoent "
            "interpolates 2D and 3D data (scipy.interpolate.LinearNDInterpolator takes more)"
        )

    def _evaluate(self, q):
        loc = self._locate(q)
        k = self._vals.shape[1]
        fill = self._fill(k)
        if self.ndim == 3:
            out = np.empty((q.shape[0], k))
            _k.linear3d(self._pts, self._simp, loc, q, self._vals, fill, out, cancel_flag())
            checkpoint()  # a cancelled kernel leaves ``out`` unfinished
            return out
        if k == 1:
            out = np.empty(q.shape[0])
            _k.linear_grid(
                self._x,
                self._y,
                self._simp,
                loc,
                q[:, 0].copy(),
                q[:, 1].copy(),
                self._vals[:, 0].copy(),
                fill[0],
                out,
                cancel_flag(),
            )
            checkpoint()
            return out[:, None]
        out = np.empty((q.shape[0], k))
        qx, qy = q[:, 0].copy(), q[:, 1].copy()
        _k.linear(self._x, self._y, self._simp, loc, qx, qy, self._vals, fill, out, cancel_flag())
        checkpoint()
        return out


class CloughTocher2DInterpolator(_Base):
    """Piecewise cubic, C1 (Clough-Tocher) interpolation on geoent's exact
    Delaunay triangulation, with scipy's gradient estimate.

    Parameters
    ----------
    points : array_like (n, 2) or geoent.Delaunay
    values : array_like (n, ...)
    fill_value : float, optional
    tol : float, optional
        Tolerance of the gradient estimation (scipy's, 1e-6).
    maxiter : int, optional
        Most Gauss-Seidel sweeps of the gradient estimation (scipy's, 400).
    rescale : bool, optional

    Examples
    --------
    >>> import numpy as np
    >>> from geoent.interpolate import CloughTocher2DInterpolator
    >>> rng = np.random.default_rng(0)
    >>> pts = rng.random((50, 2))
    >>> f = CloughTocher2DInterpolator(pts, pts[:, 0] + 2 * pts[:, 1])
    >>> bool(abs(f(0.5, 0.5) - 1.5) < 1e-6)
    True
    """

    def __init__(self, points, values, fill_value=np.nan, tol=1e-6, maxiter=400, rescale=False):
        super().__init__(points, values, fill_value=fill_value, rescale=rescale)
        self._nb = np.ascontiguousarray(self.tri.neighbors, dtype=np.int64)
        indptr, indices = self.tri.vertex_neighbor_vertices
        indptr = np.ascontiguousarray(indptr, dtype=np.int64)
        indices = np.ascontiguousarray(indices, dtype=np.int64)
        n = self._vals.shape[0]
        # Ctrl-C stops the sweeps (geoent._interrupt): up to maxiter passes over n points
        self.grad = interruptible(n, self._gradients, indptr, indices, maxiter, tol)

    def _gradients(self, indptr, indices, maxiter, tol):
        n, k = self._vals.shape
        grads = np.zeros((n, k, 2))
        for j in range(k):
            g = np.zeros((n, 2))
            col = np.ascontiguousarray(self._vals[:, j])
            sweeps = _k.estimate_gradients(
                self._x, self._y, indptr, indices, col, maxiter, tol, g, cancel_flag()
            )
            checkpoint()  # a cancelled estimate is unfinished
            if sweeps == 0:
                warnings.warn(
                    "Gradient estimation did not converge, the results may be inaccurate",
                    stacklevel=4,
                )
            grads[:, j, :] = g
        return grads

    def _evaluate(self, q):
        loc = self._locate(q)
        k = self._vals.shape[1]
        out = np.empty((q.shape[0], k))
        qx = q[:, 0].copy()
        checkpoint()  # between numpy passes over the queries (Ctrl-C, issue 18)
        qy = q[:, 1].copy()
        checkpoint()
        _k.clough_tocher(
            self._x,
            self._y,
            self._simp,
            self._nb,
            loc,
            qx,
            qy,
            self._vals,
            self.grad,
            self._fill(k),
            out,
            cancel_flag(),
        )
        checkpoint()
        return out


def griddata(points, values, xi, method="linear", fill_value=np.nan, rescale=False):
    """Interpolate unstructured 2D or 3D data (scipy's ``griddata``) on geoent's
    exact triangulation (tetrahedralisation).

    Parameters
    ----------
    points : array_like (n, 2) or (n, 3), or a tuple of n-arrays
    values : array_like (n,) or (n, ...)
    xi : array_like (..., ndim), or a tuple of arrays broadcastable to one shape
    method : {"linear", "cubic", "nearest"}
        ``"cubic"`` is 2D only (as scipy's). ``"nearest"`` (any dimension), 1-D
        data and data of more than three dimensions go to
        ``scipy.interpolate.griddata`` unchanged.
    fill_value : float
        Outside the closed convex hull (not used by ``"nearest"``).
    rescale : bool

    Examples
    --------
    >>> import numpy as np
    >>> from geoent.interpolate import griddata
    >>> rng = np.random.default_rng(1)
    >>> pts = rng.random((200, 2))
    >>> gx, gy = np.mgrid[0.3:0.7:3j, 0.3:0.7:3j]
    >>> z = griddata(pts, pts[:, 0] * 2 - pts[:, 1], (gx, gy))
    >>> bool(np.allclose(z, gx * 2 - gy))
    True
    """
    if isinstance(points, tuple):
        points = np.stack(np.broadcast_arrays(*[np.asarray(p) for p in points]), axis=-1)
    pts = np.asarray(points)
    d = pts.shape[1] if pts.ndim == 2 else 1
    if method == "nearest" or pts.ndim == 1 or d == 1 or d > 3:
        from scipy.interpolate import griddata as _sg

        return _sg(points, values, xi, method=method, fill_value=fill_value, rescale=rescale)
    if method == "linear":
        f = LinearNDInterpolator(pts, values, fill_value=fill_value, rescale=rescale)
    elif method == "cubic" and d == 2:
        f = CloughTocher2DInterpolator(pts, values, fill_value=fill_value, rescale=rescale)
    else:
        raise ValueError(f"Unknown interpolation method {method!r} for {d} dimensional data")
    if isinstance(xi, tuple):
        return f(xi)
    return f(np.asarray(xi))
