"""Scattered-data interpolation on geoent's exact Delaunay triangulation.

``LinearNDInterpolator``, ``CloughTocher2DInterpolator`` and ``griddata`` with
scipy's signatures (``scipy.interpolate``), so that scipy code runs after
``from geoent.interpolate import ...``. They take points or a
:class:`geoent.Delaunay` (2D). The triangulation is geoent's exact one and every
query is located exactly (exact orientation tests): a query on the closed hull is
inside, one outside it gets ``fill_value``; there is no tolerance. The values are
scipy's formulas (barycentric; Nielson's gradient estimate and the
Clough-Tocher cubic), so on general-position input they agree with scipy's to
about 1e-14. Where scipy's tolerances place a query in a triangle that does not
hold it (or outside although it is on the hull), geoent's answer differs.

A geoent ``Delaunay`` is also an instance of ``scipy.spatial.Delaunay``, so scipy's
own interpolators accept it too (they then use scipy's tolerant point location
on geoent's triangles).

Not covered: 3D linear interpolation (waits for geoent's 3D Delaunay);
``method="nearest"`` and 1-D ``griddata`` are passed to scipy unchanged (they do
not triangulate).

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
from ._kernels import interpolate as _k
from ._validation import as_points, exponent_range
from .errors import InputError
from .triangulation import Delaunay

__all__ = ["LinearNDInterpolator", "CloughTocher2DInterpolator", "griddata"]


def _coords(args, ndim=2):
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

    def __init__(self, points, values, fill_value=np.nan, rescale=False):
        if isinstance(points, Delaunay):
            if rescale:
                raise ValueError(
                    "Rescaling is not supported when passing a Delaunay triangulation "
                    "as ``points``."
                )
            if points.ndim != 2:
                raise InputError("geoent.interpolate: only 2D triangulations are supported so far")
            self.tri = points
            pts = points.points
        else:
            pts = as_points(points, ndim=2)
            self.tri = None
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
        return _compat.locate(
            self._pts, self._simp, self.tri.neighbors, q, self._range, self._prange
        )

    def __call__(self, *args):
        """Evaluate at ``xi`` (array (..., 2), a tuple of coordinate arrays, or
        ``x, y``); returns shape ``xi.shape[:-1] + values.shape[1:]``."""
        xi = _coords(args)
        if xi.shape[-1] != 2:
            raise ValueError(f"number of dimensions in xi does not match x: {xi.shape[-1]} != 2")
        shape = xi.shape[:-1]
        q = as_points(np.asarray(xi).reshape(-1, 2), ndim=2, name="xi", min_points=0)
        if self.offset is not None:
            q = (q - self.offset) / self.scale
        out = self._evaluate(np.ascontiguousarray(q))
        if self.is_complex:
            half = out.shape[1] // 2
            out = out[:, :half] + 1j * out[:, half:]
        return out.reshape(shape + self.values_shape)


class LinearNDInterpolator(_Base):
    """Piecewise linear interpolation on geoent's exact Delaunay triangulation (2D).

    Parameters
    ----------
    points : array_like (n, 2) or geoent.Delaunay
    values : array_like (n, ...)
    fill_value : float, optional
        Value outside the closed convex hull (default NaN).
    rescale : bool, optional
        Rescale the points to the unit square before triangulating (scipy's).

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
    """

    def _evaluate(self, q):
        loc = self._locate(q)
        k = self._vals.shape[1]
        fill = self._fill(k)
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
            )
            return out[:, None]
        out = np.empty((q.shape[0], k))
        _k.linear(
            self._x, self._y, self._simp, loc, q[:, 0].copy(), q[:, 1].copy(), self._vals, fill, out
        )
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
        n, k = self._vals.shape
        grads = np.zeros((n, k, 2))
        for j in range(k):
            g = np.zeros((n, 2))
            col = np.ascontiguousarray(self._vals[:, j])
            if _k.estimate_gradients(self._x, self._y, indptr, indices, col, maxiter, tol, g) == 0:
                warnings.warn(
                    "Gradient estimation did not converge, the results may be inaccurate",
                    stacklevel=2,
                )
            grads[:, j, :] = g
        self.grad = grads

    def _evaluate(self, q):
        loc = self._locate(q)
        k = self._vals.shape[1]
        out = np.empty((q.shape[0], k))
        _k.clough_tocher(
            self._x,
            self._y,
            self._simp,
            self._nb,
            loc,
            q[:, 0].copy(),
            q[:, 1].copy(),
            self._vals,
            self.grad,
            self._fill(k),
            out,
        )
        return out


def griddata(points, values, xi, method="linear", fill_value=np.nan, rescale=False):
    """Interpolate unstructured 2D data (scipy's ``griddata``) on geoent's exact
    triangulation.

    Parameters
    ----------
    points : array_like (n, 2), or a tuple of n-arrays
    values : array_like (n,) or (n, ...)
    xi : array_like (..., 2), or a tuple of arrays broadcastable to one shape
    method : {"linear", "cubic", "nearest"}
        ``"nearest"`` (and 1-D data) goes to ``scipy.interpolate.griddata``.
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
    if method == "nearest" or pts.ndim == 1 or (pts.ndim == 2 and pts.shape[1] == 1):
        from scipy.interpolate import griddata as _sg

        return _sg(points, values, xi, method=method, fill_value=fill_value, rescale=rescale)
    if method == "linear":
        f = LinearNDInterpolator(pts, values, fill_value=fill_value, rescale=rescale)
    elif method == "cubic":
        f = CloughTocher2DInterpolator(pts, values, fill_value=fill_value, rescale=rescale)
    else:
        raise ValueError(f"Unknown interpolation method {method!r} for 2 dimensional data")
    if isinstance(xi, tuple):
        return f(xi)
    return f(np.asarray(xi))
