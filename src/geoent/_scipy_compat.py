"""What the scipy-compatible classes share: ``QhullError``, ``qhull_options``,
scipy's index dtype, the derived Delaunay attributes, furthest-site Delaunay and
the state behind ``incremental=True``.

Kept apart from :mod:`geoent.hull` and :mod:`geoent.triangulation` so that those
keep only their engines and the classes delegate here.

``qhull_options``
    A string (or bytes) of Qhull options separated by blanks. geoent is exact, so
    only the options that change *what* is computed have a meaning here:

    * ``QGn`` / ``QG-n`` (``ConvexHull``): point ``n`` is left out of the hull and
      ``good`` marks the facets visible (``QGn``) or not visible (``QG-n``) from
      it, visibility decided by an exact orientation (a point on a facet's plane
      does not see it);
    * ``Qu`` (``Delaunay``): the furthest-site triangulation (as
      ``furthest_site=True``).

    Options that only tune Qhull's tolerances, scaling, joggling, tracing or
    output are accepted and change nothing: ``Qbb QbB Qbk:n QBk:n Qc Qi Qs Qt Qx
    Qz Qv QJ QJn Q0..Q15 QRn Pp Po Pg Fv Tv Tc Tsn Cn C-n An A-n En Rn Un Vn Wn``
    and friends (``QJ`` included: geoent never perturbs the input, so exact
    duplicates stay out of a triangulation, listed in ``coplanar``). Anything
    else raises :class:`QhullOptionsError` (a ``ValueError``) naming it.
"""

from __future__ import annotations

import re

import numpy as np
from scipy.spatial import QhullError as _ScipyQhullError

from ._aot import jit_module, kernels_of
from ._delaunay3d import full_arrays
from ._interrupt import cancel_flag, checkpoint
from ._ordering import hilbert_order, multiscale_hilbert_order
from ._validation import EXPONENT_LIMITS, check_exponent_range, exponent_range
from ._vertex_maps import vertex_maps
from .errors import GeometryError, InputError

# the kernels, compiled ahead of time where built (geoent._aot), else the @njit
# kernels imported on first use: the scipy-compatible classes import this module,
# and numba only when a kernel they call is not compiled (issue 13)
_dk, _k3, _ki, _ord, _gather = (
    kernels_of(m) for m in ("delaunay2d", "delaunay3d", "delaunay3d_insert", "ordering", "gather")
)
# the incremental 2D triangulation passes other arrays (int64 copies) than the
# exported 2D kernels take, and is not exported: its kernels stay on the JIT
_dkj = jit_module("_kernels.delaunay2d")

__all__ = [
    "QhullError",
    "QhullOptionsError",
    "QhullOptions",
    "parse_qhull_options",
    "IncrementalDelaunay2D",
    "IncrementalDelaunay3D",
    "furthest_site_triangles",
    "delaunay_transform",
    "delaunay_equations",
    "neighbors_from_simplices",
]

INDEX = np.intc  # scipy's index dtype in the Qhull classes


class QhullError(GeometryError, _ScipyQhullError):
    """The input has no answer of the requested kind (e.g. no full-dimensional extent).

    Both a ``ValueError`` (geoent's :class:`~geoent.GeometryError`) and scipy's
    ``scipy.spatial.QhullError``, so ``except QhullError:`` written for scipy
    catches it too.
    """


class QhullOptionsError(InputError):
    """A ``qhull_options`` string holds an option geoent does not know."""


# Options accepted as no-ops: they tune Qhull's tolerances, scaling, joggling,
# output or tracing, none of which changes an exact result.
_NOOP = re.compile(
    r"^(Qbb|QbB|Qb\d+:-?[\d.eE+-]+|QB\d+:-?[\d.eE+-]+|Qbk:[\d.eE+-]+|QBk:[\d.eE+-]+"
    r"|Qc|Qi|Qs|Qt|Qx|Qz|Qv|Qa|Qf|Qm|Qr|Qw|Q\d+|QJ|QJ[\d.eE+-]+|QR-?\d+"
    r"|Pp|Po|Pg|PF[\d.eE+-]+|Pd\S*|PD\S*|Fv|Fx|Fa|Fc|Fn|Fs|FS|Ft|Fo|Fi|Fp|FP|FV|FM|Fm|FN|FO|FQ"
    r"|T[vcsfFiIoOpPzwWaA]\S*|[CAERUVW]-?[\d.eE+-]*|i|o|p|n|s|m|d|v|G|Qg)$"
)
_GOOD = re.compile(r"^QG(-?)(\d+)$")


class QhullOptions:
    """Parsed ``qhull_options``: ``good`` is ``(point, visible)`` or None;
    ``furthest`` is True for ``Qu``; ``ignored`` lists the accepted no-ops."""

    __slots__ = ("good", "furthest", "ignored", "text")

    def __init__(self):
        self.good = None
        self.furthest = False
        self.ignored = []
        self.text = ""


def parse_qhull_options(options, owner):
    """Parse a ``qhull_options`` argument (None, str or bytes) for ``owner``
    (``"ConvexHull"`` or ``"Delaunay"``).

    Examples
    --------
    >>> from geoent._scipy_compat import parse_qhull_options
    >>> o = parse_qhull_options("Qbb Qc QG-4", "ConvexHull")
    >>> o.good, o.ignored
    ((4, False), ['Qbb', 'Qc'])
    """
    out = QhullOptions()
    if options is None:
        return out
    if isinstance(options, bytes):
        options = options.decode("latin-1")
    if not isinstance(options, str):
        raise QhullOptionsError(
            f"qhull_options: expected a string such as 'Qbb Qc', got {type(options).__name__}"
        )
    out.text = options
    for tok in options.split():
        m = _GOOD.match(tok)
        if m:
            if owner != "ConvexHull":
                raise QhullOptionsError(
                    f"qhull_options: {tok!r} (good facets) is supported for ConvexHull only"
                )
            out.good = (int(m.group(2)), m.group(1) != "-")
        elif tok == "Qu":
            if owner != "Delaunay":
                raise QhullOptionsError(f"qhull_options: {tok!r} applies to Delaunay only")
            out.furthest = True
        elif _NOOP.match(tok):
            out.ignored.append(tok)
        else:
            raise QhullOptionsError(
                f"qhull_options: unknown option {tok!r}; geoent honours QGn/QG-n "
                "(ConvexHull good facets) and Qu (furthest-site Delaunay) and accepts "
                "Qhull's tolerance, scaling, joggle and output options as no-ops"
            )
    return out


def as_index(a):
    """``a`` as a C-contiguous array of scipy's index dtype (``np.intc``)."""
    return np.ascontiguousarray(a, dtype=INDEX)


# ---------------------------------------------------------------------------
# derived Delaunay attributes
# ---------------------------------------------------------------------------


def delaunay_transform(points, simplices):
    """Barycentric transforms ``(nsimplex, ndim + 1, ndim)`` as scipy defines them:
    ``T[i, :ndim] @ (x - T[i, ndim])`` gives the first ``ndim`` barycentric
    coordinates of ``x`` in simplex ``i``. Rows whose matrix is singular or
    ill-conditioned (reciprocal condition number below 1000 machine epsilons, scipy's
    rule) are NaN."""
    ndim = points.shape[1]
    v = points[simplices]  # (m, ndim + 1, ndim)
    r = v[:, ndim, :]
    T = np.swapaxes(v[:, :ndim, :] - r[:, None, :], 1, 2)  # columns: v_j - r
    out = np.full((simplices.shape[0], ndim + 1, ndim), np.nan)
    out[:, ndim, :] = r
    if simplices.shape[0] == 0:
        return out
    det = np.linalg.det(T)
    good = np.isfinite(det) & (det != 0.0)
    Tinv = np.full_like(T, np.nan)
    if good.any():
        Tinv[good] = np.linalg.inv(T[good])
    n1 = np.abs(T).sum(axis=1).max(axis=1)
    n1i = np.abs(Tinv).sum(axis=1).max(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rcond = 1.0 / (n1 * n1i)
    good &= rcond >= 1000 * np.finfo(float).eps  # scipy: rcond < 1000 eps is singular
    out[good, :ndim, :] = Tinv[good]
    return out


def lift(x, scale, shift):
    """Points on the paraboloid: ``(x, scale * |x|**2 + shift)``."""
    x = np.asarray(x, dtype=np.float64)
    z = np.empty(x.shape[:-1] + (x.shape[-1] + 1,))
    z[..., :-1] = x
    z[..., -1] = np.sum(x * x, axis=-1) * scale + shift
    return z


def delaunay_equations(points, simplices, scale, shift, furthest):
    """Hyperplanes of the lifted simplices, ``[unit normal, offset]``, normals
    pointing away from the lifted point set (down for the lower hull that is the
    Delaunay triangulation, up for the furthest-site one), as Qhull's."""
    ndim = points.shape[1]
    z = lift(points, scale, shift)
    v = z[simplices]  # (m, ndim + 1, ndim + 1)
    c = v.mean(axis=1)  # a point of each facet: differences from it are small
    d = v[:, :ndim, :] - v[:, ndim : ndim + 1, :]  # (m, ndim, ndim + 1)
    # normal by cofactors of the ndim x (ndim + 1) difference matrix
    nrm = np.empty((simplices.shape[0], ndim + 1))
    for k in range(ndim + 1):
        cols = [j for j in range(ndim + 1) if j != k]
        nrm[:, k] = (-1) ** k * np.linalg.det(d[:, :, cols]) if d.shape[0] else 0.0
    down = nrm[:, ndim] < 0 if not furthest else nrm[:, ndim] > 0
    nrm[~down] *= -1.0
    length = np.linalg.norm(nrm, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrm /= length[:, None]
    off = -np.einsum("ij,ij->i", nrm, c)
    return np.column_stack((nrm, off))


def neighbors_from_simplices(simplices):
    """Neighbours (neighbour j across the facet opposite vertex j, -1 if none) of
    triangles given as vertex triples."""
    m = simplices.shape[0]
    nb = np.full((m, 3), -1, np.int64)
    if m == 0:
        return nb
    a = simplices[:, [1, 2, 0]].ravel()
    b = simplices[:, [2, 0, 1]].ravel()
    lo = np.minimum(a, b)
    hi = np.maximum(a, b)
    key = lo.astype(np.int64) * (int(simplices.max()) + 1) + hi
    order = np.argsort(key, kind="stable")
    ks = key[order]
    same = np.flatnonzero(ks[1:] == ks[:-1])
    e1 = order[same]
    e2 = order[same + 1]
    nb.ravel()[e1] = e2 // 3
    nb.ravel()[e2] = e1 // 3
    return nb


def furthest_site_triangles(pts, hull):
    """Furthest-site Delaunay triangles (counter-clockwise) of the points whose
    strictly convex hull is ``hull`` (counter-clockwise vertex indices).

    Every circumcircle holds every input point (inside or on it). Built edge by
    edge: the triangle on a chord ``(a, b)`` of the convex polygon takes the
    vertex ``k`` of the chain beyond it whose circle through ``a, b, k`` holds the
    others, found by one scan with the exact in-circle test (circles through
    ``a, b`` are nested on one side of the chord), then both sub-chains are done
    the same way: O(h**2) exact tests for h hull vertices.
    """
    from ._kernels.predicates import incircle

    h = hull.shape[0]
    if h < 3:
        return np.empty((0, 3), np.int64)
    P, _ = check_exponent_range(np.ascontiguousarray(pts[hull]), 4)
    X = P[:, 0].tolist()
    Y = P[:, 1].tolist()
    tris = []
    stack = [(0, h - 1)]  # chain hull[i..j], closing chord j -> i
    while stack:
        i, j = stack.pop()
        if j - i < 2:
            continue
        a, b = j, i  # chord a -> b, the chain i+1..j-1 on its left
        k = i + 1
        for c in range(i + 2, j):
            # c strictly outside the circle through a, b, k (ccw): take c
            if incircle(X[a], Y[a], X[b], Y[b], X[k], Y[k], X[c], Y[c]) < 0.0:
                k = c
        tris.append((hull[a], hull[b], hull[k]))
        stack.append((i, k))
        stack.append((k, j))
    return np.array(tris, dtype=np.int64).reshape(-1, 3)


# ---------------------------------------------------------------------------
# incremental 2D Delaunay
# ---------------------------------------------------------------------------


class _Result:
    __slots__ = ("simplices", "neighbors", "hull_edges", "coplanar", "vertex_to_simplex")


def _finite_slot(tri, nt, inf):
    for t in range(nt):
        if tri[3 * t] != inf and tri[3 * t + 1] != inf and tri[3 * t + 2] != inf:
            return t
    return 0


class _IncrementalState:
    """What the 2D and 3D incremental states share: ``add`` (scale test, growth,
    bookkeeping around the insertion kernel), the input points and the vertex
    labels behind ``result``. Subclasses set ``_degree`` (the predicate degree whose
    exact window the stored coordinates are scaled into) and ``_kernels`` (the
    module with ``vertex_labels``), keep the input coordinates in ``X``, and give
    ``_order`` (spatial order of new points), ``_store_scaled`` (their scaled
    copy, in that order) and ``_insert`` (the kernel call)."""

    _degree = 0
    _kernels = None

    def add(self, new, first_index):
        """Insert the points ``new`` (validated, (m, d)) whose input indices start
        at ``first_index``; False (nothing changed) when they need another scale."""
        m = new.shape[0]
        if m == 0:
            return True
        lo, hi = EXPONENT_LIMITS[self._degree]
        emin, emax, nz = exponent_range(new)
        if nz and not (lo <= int(emin) + self.k and int(emax) + self.k <= hi):
            return False
        if self.n + m > self.cap:
            self._grow(self.n + m)
        n = self.n
        # a spatial order of the new points keeps the walks short
        order = self._order(new) if m > 32 else np.arange(m, dtype=np.int64)
        self.X[n : n + m] = new
        self.perm[n : n + m] = first_index + order
        self._store_scaled(n, new[order])
        checkpoint()
        self._insert(n, n + m)
        checkpoint()  # Ctrl-C (geoent._interrupt): the caller drops this half-updated state
        self.n = n + m
        return True

    def points(self):
        """The input points so far (a read-only view of the buffer)."""
        view = self.X[: self.n]
        view.flags.writeable = False
        return view

    def _labels(self):
        """``(perm, dup, dups, label)`` of the vertices so far: input index of each,
        the vertex each exact copy repeats (or -1), the copies' positions, and the
        input index each vertex is reported as."""
        perm = self.perm[: self.n]
        dup = self.dup[: self.n]
        dups = np.flatnonzero(dup >= 0)
        label = self._kernels.vertex_labels(perm, dup) if dups.size else perm
        return perm, dup, dups, label


class IncrementalDelaunay2D(_IncrementalState):
    """The kernel state of a triangulation that ``add_points`` extends in place.

    Vertex ids are insertion positions; ``perm[pos]`` is the input index. The
    ghost vertex is the capacity ``cap`` (not the point count) so that inserting
    points does not rename it; when the capacity doubles it is renamed once.
    Coordinates are stored scaled by ``2**k`` (exact window of the in-circle
    test); points that do not fit the same scale make ``add`` return False (the
    caller then rebuilds with geoent's kernel).
    """

    _degree = 4  # incircle
    _kernels = _dkj

    def __init__(self, pts, perm):
        n = pts.shape[0]
        self.n = n
        self.cap = n + n // 4 + 16  # room for some points before the first copy
        xs, ys, amax, amin = _gather.gather_xy_extent(pts, perm, cancel_flag())
        checkpoint()  # a cancelled gather is unfinished
        k = 0
        if amax > 0.0:
            _, k = check_exponent_range(np.array([amax, amin]), 4)
        self.k = k
        self._alloc(self.cap)
        self.xs[:n] = np.ldexp(xs, k) if k else xs
        self.ys[:n] = np.ldexp(ys, k) if k else ys
        self.perm[:n] = perm
        self.X[:n] = pts
        checkpoint()
        nt, status = _dkj.triangulate(
            self.xs[:n], self.ys[:n], self.tri, self.opp, self.dup[:n], 0, cancel_flag()
        )
        checkpoint()
        self.ok = status == _dkj.OK
        if not self.ok:
            return
        _dkj.relabel_ghost(self.tri, nt, n, self.cap)
        self.nt = nt
        self.start = _finite_slot(self.tri, nt, self.cap)

    def _alloc(self, cap):
        itype = np.int32 if 6 * cap + 8 < 2**31 - 1 else np.int64
        self.X = np.empty((cap, 2))  # input coordinates, input order
        self.xs = np.empty(cap)
        self.ys = np.empty(cap)
        self.perm = np.empty(cap, np.int64)
        self.dup = np.full(cap, -1, np.int64)
        self.tri = np.empty(6 * cap + 6, itype)
        self.opp = np.empty(6 * cap + 6, itype)

    def _grow(self, need):
        cap = max(2 * self.cap, need)
        old = (self.xs, self.ys, self.perm, self.dup, self.tri, self.opp, self.X)
        n, nt = self.n, self.nt
        self._alloc(cap)
        self.X[:n] = old[6][:n]
        self.xs[:n] = old[0][:n]
        self.ys[:n] = old[1][:n]
        self.perm[:n] = old[2][:n]
        self.dup[:n] = old[3][:n]
        self.tri[: 3 * nt] = old[4][: 3 * nt]
        self.opp[: 3 * nt] = old[5][: 3 * nt]
        _dkj.relabel_ghost(self.tri, nt, self.cap, cap)
        self.cap = cap

    def _order(self, new):
        return multiscale_hilbert_order(
            np.ascontiguousarray(new[:, 0]), np.ascontiguousarray(new[:, 1])
        )

    def _store_scaled(self, n, sub):
        m = sub.shape[0]
        self.xs[n : n + m] = np.ldexp(sub[:, 0], self.k) if self.k else sub[:, 0]
        self.ys[n : n + m] = np.ldexp(sub[:, 1], self.k) if self.k else sub[:, 1]

    def _insert(self, lo, hi):
        self.nt, self.start = _dkj.insert_points(
            self.xs, self.ys, self.tri, self.opp, self.dup, self.nt, self.cap, lo, hi, self.start,
            cancel_flag(),
        )  # fmt: skip

    def result(self):
        """Simplices, neighbours, hull edges, coplanar rows and vertex_to_simplex
        in input indices (as ``triangulation._build`` gives them)."""
        n, nt, inf = self.n, self.nt, self.cap
        perm, dup, dups, label = self._labels()
        cancel = cancel_flag()
        simp, nb, vtri = _dkj.extract(self.tri, self.opp, nt, inf, label, True, cancel)
        checkpoint()  # cancelled extraction kernels leave their output unfinished
        vtri = vtri[:n]
        res = _Result()
        res.simplices = simp
        res.neighbors = nb
        res.hull_edges = _dkj.hull_cycle(self.tri, self.opp, nt, inf, label, cancel)
        checkpoint()
        res.vertex_to_simplex, res.coplanar = vertex_maps(n, vtri, label, dup, dups, perm)
        return res


class IncrementalDelaunay3D(_IncrementalState):
    """The kernel state of a 3D tetrahedralisation that ``add_points`` extends in
    place (``_kernels/delaunay3d_insert.py``).

    As :class:`IncrementalDelaunay2D`: vertex ids are insertion positions
    (``perm[pos]`` is the input index); the vertex at infinity is the capacity
    ``cap``, renamed once when the capacity grows; coordinates are stored scaled by
    ``2**k`` (exact window of ``insphere``), and points that do not fit that scale
    make ``add`` return False (the caller then rebuilds). The first points are
    tetrahedralised by ``delaunay3d.tetrahedralize`` (the batch kernel), later ones
    inserted by ``delaunay3d_insert.insert_points``.
    """

    _degree = 5  # insphere
    _kernels = _k3

    def __init__(self, pts, perm):
        n = pts.shape[0]
        self.n = n
        self.cap = n + n // 4 + 16
        P, amax, amin = _k3.gather3(pts, perm, cancel_flag())
        checkpoint()  # a cancelled gather3 is unfinished
        k = 0
        if amax > 0.0:
            _, k = check_exponent_range(np.array([amax, amin]), 5)
        self.k = k
        self.P = np.empty((self.cap, 3))  # scaled, insertion order
        self.X = np.empty((self.cap, 3))  # input coordinates, input order
        self.perm = np.empty(self.cap, np.int64)
        self.dup = np.full(self.cap, -1, np.int64)
        self.P[:n] = np.ldexp(P, k) if k else P
        self.X[:n] = pts
        self.perm[:n] = perm
        self.ok = False
        if n < 4:
            return
        tcap = max(64, int(6.9 * self.cap + 64))
        itype = np.int32 if 8 * 2 * tcap < 2**31 - 1 else np.int64
        checkpoint()
        T, nt, status = _k3.tetrahedralize(
            self.P[:n], np.empty(8 * tcap, itype), self.dup[:n], cancel_flag()
        )
        checkpoint()  # Ctrl-C (geoent._interrupt): a cancelled run is partial
        if status != _k3.OK:
            return
        _ki.relabel_infinity(T, nt, n, self.cap)
        self.T, self.nt = T, nt
        self.start = _ki.finite_slot(T, nt, self.cap)
        # kept between add_points calls, so that a call costs time in its points
        self.mark = np.zeros(T.shape[0] // 8, np.int64)
        self.free, self.nfree = _ki.dead_slots(T, nt)
        self.ok = True

    def _grow(self, need):
        cap = max(2 * self.cap, need)
        n = self.n
        for name, fill in (("P", None), ("X", None), ("perm", None), ("dup", -1)):
            old = getattr(self, name)
            new = np.empty((cap,) + old.shape[1:], old.dtype)
            if fill is not None:
                new.fill(fill)
            new[:n] = old[:n]
            setattr(self, name, new)
        if self.T.dtype == np.int32 and 16 * int(6.9 * cap + 64) >= 2**31 - 1:
            self.T = self.T.astype(np.int64)  # halffaces 4t + k of up to 2x the slots
        _ki.relabel_infinity(self.T, self.nt, self.cap, cap)
        self.cap = cap

    def _order(self, new):
        idx = np.arange(new.shape[0], dtype=np.int64)
        order = _ord.multiscale(_ord.morton_order(new, idx, cancel_flag()), 8, cancel_flag())
        checkpoint()  # a cancelled multiscale is unfinished
        return order

    def _store_scaled(self, n, sub):
        self.P[n : n + sub.shape[0]] = np.ldexp(sub, self.k) if self.k else sub

    def _insert(self, lo, hi):
        self.T, self.nt, self.start, self.mark, self.free, self.nfree = _ki.insert_points(
            self.P,
            self.T,
            self.nt,
            self.dup,
            lo,
            hi,
            self.start,
            self.cap,
            self.mark,
            self.free,
            self.nfree,
            cancel_flag(),
        )

    def result(self):
        """Simplices, neighbours, hull facets, coplanar rows and vertex_to_simplex
        in input indices (as ``_delaunay3d.build3d`` gives them)."""
        n, nt, inf = self.n, self.nt, self.cap
        perm, dup, dups, label = self._labels()
        simp, nb, hull, vtet = full_arrays(self.T, nt, inf, n, label, INDEX)
        res = _Result()
        res.simplices = simp
        res.neighbors = nb
        res.hull_edges = hull
        res.vertex_to_simplex, res.coplanar = vertex_maps(n, vtet, label, dup, dups, perm)
        return res


def furthest_result(pts):
    """``_Result`` of the furthest-site triangulation, or None without 2D extent."""
    from .hull import convex_hull

    hull = convex_hull(pts)
    if hull.shape[0] < 3:
        return None
    simp = furthest_site_triangles(pts, hull)
    res = _Result()
    res.simplices = simp
    res.neighbors = neighbors_from_simplices(simp)
    res.hull_edges = np.column_stack((hull, np.roll(hull, -1))).astype(np.int64)
    v2s = np.full(pts.shape[0], -1, np.int64)
    v2s[simp.ravel()] = np.repeat(np.arange(simp.shape[0]), 3)
    res.vertex_to_simplex = v2s
    res.coplanar = np.empty((0, 3), np.int64)
    return res


# ---------------------------------------------------------------------------
# exact point location for the scipy-compatible classes and the interpolators
# ---------------------------------------------------------------------------


def _scale_for(ranges, degree):
    """Power-of-two exponent that brings every ``(emin, emax, nonzero)`` range into
    the exact window of ``degree`` (RangeError through check_exponent_range)."""
    lo = [int(r[0]) for r in ranges if r[2]]
    hi = [int(r[1]) for r in ranges if r[2]]
    if not lo:
        return 0
    probe = np.array([2.0 ** max(min(lo), -1074), np.ldexp(1.0, max(hi) - 1)])
    _, k = check_exponent_range(probe, degree, name="xi")
    return k


#: rows per numpy pass over the queries, with Ctrl-C checkpoints between passes
_QUERY_BLOCK = 1 << 21


def _query_exponents(qi):
    """``exponent_range(qi)`` over blocks of rows, with checkpoints between them (one
    numpy pass over 1e7 queries took up to 1.2 s at load 13): the same values."""
    if qi.shape[0] <= _QUERY_BLOCK:
        return exponent_range(qi)
    parts = []
    for s in range(0, qi.shape[0], _QUERY_BLOCK):
        checkpoint()
        parts.append(exponent_range(qi[s : s + _QUERY_BLOCK]))
    nz = [p for p in parts if p[2]]
    if not nz:
        return parts[0]
    return min(int(p[0]) for p in nz), max(int(p[1]) for p in nz), True


def _locate_in_box(points, simplices, q, point_range, point_exponents, degree, walk):
    """The frame of :func:`locate` and :func:`locate3d`: -1 for every query outside
    the points' bounding box (comparisons alone), ``walk(points, qi)`` for the
    queries ``qi`` inside it, both scaled by one power of two into the window of
    the predicates of ``degree``."""
    nq = q.shape[0]
    out = np.full(nq, -1, np.int64)
    if nq == 0 or simplices.shape[0] == 0:
        return out
    lo = points.min(axis=0) if point_range is None else point_range[0]
    hi = points.max(axis=0) if point_range is None else point_range[1]
    inbox = np.ones(nq, dtype=bool)
    for j in range(q.shape[1]):  # one column per pass, Ctrl-C looked at between them
        inbox &= (q[:, j] >= lo[j]) & (q[:, j] <= hi[j])
        checkpoint()
    if inbox.all():
        idx = None
        qi = q
    else:
        idx = np.flatnonzero(inbox)
        if idx.size == 0:
            return out
        qi = q[idx]
    checkpoint()  # numpy passes over many queries hold Ctrl-C: look between them
    pe = exponent_range(points) if point_exponents is None else point_exponents
    k = _scale_for((pe, _query_exponents(qi)), degree)
    checkpoint()
    if k:
        points = np.ldexp(points, k)
        qi = np.ldexp(qi, k)
    res = walk(points, qi)
    checkpoint()  # a cancelled walk leaves its result unfinished
    if idx is None:
        return res
    out[idx] = res
    return out


def locate(points, simplices, neighbors, q, point_range=None, point_exponents=None):
    """Triangle holding each query (rows of ``q``), exactly; -1 outside the hull.

    Queries outside the points' bounding box are answered -1 by comparisons alone
    (so far queries, such as 1e300, need no scaling); the rest are located by the
    exact visibility walk with one power-of-two scale for points and queries.
    """

    def walk(points, qi):
        qx = np.ascontiguousarray(qi[:, 0])
        qy = np.ascontiguousarray(qi[:, 1])
        checkpoint()
        if qi.shape[0] > 32:
            qorder = hilbert_order(qx, qy)
        else:
            qorder = np.arange(qi.shape[0], dtype=np.int64)
        res = np.empty(qi.shape[0], np.int64)
        x = np.ascontiguousarray(points[:, 0])
        y = np.ascontiguousarray(points[:, 1])
        _dk.locate(qx, qy, qorder, x, y, simplices, neighbors, res, cancel_flag())
        return res

    return _locate_in_box(points, simplices, q, point_range, point_exponents, 2, walk)


def locate_with_tol(transform, neighbors, q, found, tol, box=None):
    """scipy's ``tol``: a query outside the hull (``found == -1``) is given a hull
    simplex whose barycentric coordinates are all ``>= -tol`` (and ``<= 1 + tol``),
    if there is one. Exact answers (``found >= 0``) are kept. Any dimension:
    ``transform`` is scipy's (m, d + 1, d) array; ``box`` the points' (min, max)
    bounds, which rule out far queries at once."""
    out = found.copy()
    miss = np.flatnonzero(found < 0)
    if miss.size == 0 or tol is None or not tol > 0:
        return out
    border = np.flatnonzero((neighbors < 0).any(axis=1))
    if border.size == 0:
        return out
    d = q.shape[1]
    T = transform[border]
    if box is not None:
        # coordinates c_j >= -tol summing to 1 put x = sum c_j v_j within
        # (d + 1) * tol * width of the points' box on every axis, so queries
        # further out cannot match (twice that margin, for rounding): far queries
        # skip the brute force over the hull simplices
        lo, hi = (np.asarray(b, dtype=np.float64) for b in box)
        pad = 2.0 * (d + 1) * float(tol) * (hi - lo)
        with np.errstate(over="ignore", invalid="ignore"):
            near = ((q[miss] >= lo - pad) & (q[miss] <= hi + pad)).all(axis=1)
        miss = miss[near]
        if miss.size == 0:
            return out
    chunk = max(1, 4_000_000 // (border.size * d))
    for s in range(0, miss.size, chunk):
        ids = miss[s : s + chunk]
        diff = q[ids][:, None, :] - T[None, :, d, :]  # (k, b, d)
        with np.errstate(invalid="ignore", over="ignore"):
            c = np.einsum("bij,kbj->kbi", T[:, :d, :], diff)
            clast = 1.0 - c.sum(axis=2)
            ok = (c >= -tol).all(axis=2) & (c <= 1 + tol).all(axis=2)
            ok &= (clast >= -tol) & (clast <= 1 + tol)
        has = ok.any(axis=1)
        out[ids[has]] = border[np.argmax(ok[has], axis=1)]
    return out


def locate3d(points, simplices, neighbors, q, point_range=None, point_exponents=None):
    """Tetrahedron holding each query (rows of ``q``, (k, 3)), exactly; -1 outside
    the hull. As :func:`locate`: queries outside the points' bounding box are
    answered -1 by comparisons alone (far queries need no scaling); the rest are
    located by the exact visibility walk (``delaunay3d.locate``) with one
    power-of-two scale for points and queries (``orient3d``'s window)."""

    def walk(points, qi):
        qi = np.ascontiguousarray(qi)
        checkpoint()
        qidx = np.arange(qi.shape[0], dtype=np.int64)
        qorder = _ord.morton_order(qi, qidx, cancel_flag()) if qi.shape[0] > 32 else qidx
        checkpoint()  # a cancelled morton_order is out of order
        res = np.empty(qi.shape[0], np.int64)
        pts = np.ascontiguousarray(points)
        _k3.locate(qi, qorder, pts, simplices, neighbors, res, cancel_flag())
        return res

    return _locate_in_box(points, simplices, q, point_range, point_exponents, 3, walk)
