"""Certified range-partition (structural) entropy of a planar point set.

Definitions (Afshani, Barbay and Chan, "Instance-optimal geometric algorithms",
JACM 2017). A partition {S_1, ..., S_t} of a set S of n points is *respectful* when
every part is a single point or lies in a closed triangle that lies in the convex hull
of S (for the upper-hull problem: in the region U below the upper hull, i.e. the points
(x, y) with x between the smallest and largest x of S and y at most the upper hull at
x). The *structural entropy* is

    H(S) = min over respectful partitions of  sum_k (|S_k| / n) ln(n / |S_k|)

(natural logarithm; 0 <= H <= ln n). Computing the minimum exactly is a hard
combinatorial problem; :func:`range_partition_entropy` *builds* a respectful partition
and returns its entropy, which is therefore an **upper bound** on H(S): H(S) is the
minimum over all respectful partitions and ours is one of them. Every partition it
returns carries its certificate (one triangle per part) and :func:`is_respectful`
verifies it with exact predicates, so the bound holds for every input, not just in
floating point. Hull algorithms with pruning run in O(n (H(S) + 1)) time, so a small
certified value proves that the input is easy; a large one proves nothing by itself.

How the partition is built (full hull, ``upper=False``):

1. the exact convex hull h_0..h_{m-1} (strictly convex vertices);
2. a *root* triangle of three hull vertices: among candidates (every triple when
   m <= 12, else rotated thirds of the hull improved towards maximal area), the 12
   holding the most points and the largest are tried, and the one whose whole
   construction (steps 3-5) has the lowest entropy wins, evaluated exactly on up to
   4096 points, else on a strided sample of 4096 plus the hull vertices (when m is
   above 4096, the candidate holding the most points is taken);
3. the three *pockets* beyond its edges are triangulated like quickhull's recursion:
   the chain beyond a chord (a, b) gets the apex c farthest from the chord and the
   triangle (a, c, b), and the sub-pockets (a, c), (c, b) recurse (below depth
   2 log2 m + 8 the apex is taken from the middle half of the chain, which bounds the
   depth by O(log m));
4. each point goes to the first triangle of that hierarchy that holds it (root, then
   down the pocket it lies in), located with exact orient2d tests in O(log m) each;
5. hull vertices left alone in their part move to a bigger part whose triangle has
   them as a corner, and the remaining lone hull vertices are packed into triples of
   consecutive hull vertices (any three hull vertices span a triangle inside the hull,
   and no triangle inside the hull holds more than three of them).

Every triangle has input points as corners, hence lies in the hull. The whole
construction takes O(n log n) time in the worst case (the hull, then O(log m)
predicates per point) and memory linear in n.

Upper-hull variant (``upper=True``): the points on or below the chord from the top-left
to the top-right hull vertex form one part in a triangle (L, W, R) whose third corner W
is a Steiner point deep below (computed, then verified exactly), or two parts in the
trapezoid (L, (x_L, y_min), (x_R, y_min), R) when no such W fits (points exactly below
L or R, or range trouble); the upper pocket is handled as above. Steiner corners are
returned in ``EntropyResult.steiner``; triangle indices >= n point into it.

How tight is it? On small sets the exact minimum over respectful partitions is
computable (``tests/naive.py``, exact rational arithmetic). On 640 seeded
sets of 6 to 9 points (uniform, Gaussian, a cluster inside a ring, small integer grids
with collinear points and duplicates) the certified value equals H(S) on 99.5% of
them; the mean gap is 0.0012 nats and the largest 0.25 nats (a set whose optimum uses
two disjoint triangles of hull vertices, which a triangulation cannot produce); it was
never below H(S) (``GAP_STATISTICS``; ``python tests/naive.py --gap``).
On points in convex position and on a cluster inside a triangle of hull vertices the
certified value equals H(S) exactly (derived by hand, tested). On large sets no exact
value is known; the construction is a heuristic with a certificate, not an
approximation algorithm with a proven factor.

Examples
--------
>>> import numpy as np, geoent
>>> pts = np.array([[0, 0], [4, 0], [0, 4], [1, 1], [1, 2], [2, 1]])
>>> res = geoent.range_partition_entropy(pts)
>>> float(res.entropy), res.labels.tolist()
(0.0, [0, 0, 0, 0, 0, 0])
>>> geoent.is_respectful(pts, res.labels, res.triangles)
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from . import _kernels
from ._aot import kernels_of
from ._interrupt import checkpoint, interruptible
from ._validation import as_points, check_exponent_range
from .errors import InputError, RangeError

# kernels compiled ahead of time where built (geoent._aot), else numba's JIT
_k = kernels_of("entropy")
_floats = kernels_of("floats")

__all__ = [
    "EntropyResult",
    "range_partition_entropy",
    "is_respectful",
    "partition_entropy",
    "plot_partition",
]

# Measured with ``python tests/naive.py --gap --seeds 40`` (exact minimum by
# brute force in rational arithmetic; 4 families x n = 6..9 x 40 seeded sets).
GAP_STATISTICS = {
    "command": "python tests/naive.py --gap --seeds 40",
    "sets": 640,
    "families": ("uniform", "gaussian", "cluster+ring", "int-grid (collinear, duplicates)"),
    "sizes": (6, 7, 8, 9),
    "fraction_exact": 0.995,
    "mean_gap_nats": 0.0012,
    "max_gap_nats": 0.2499,
    "never_below_exact": True,
}

_SAMPLE = 4096
_ALL_TRIPLES_UP_TO = 12
_ROOT_TRIALS = 12  # candidate roots whose whole construction is evaluated
_ROOT_EVAL_MAX_HULL = 4096  # above this many hull vertices, take the best by count
_PARALLEL_FROM = 1_000_000  # points from which location runs on numba threads
#: up to this many points (every one evaluated: at most _SAMPLE) the default
#: construction runs in two compiled calls (``_build_small``; issue 13), serially:
#: not from _PARALLEL_FROM points (tests lower that to run the threads' kernel)
_SMALL_PATH_UP_TO = _SAMPLE
#: up to this many points that path computes the hull itself (a merge sort: a
#: convex_hull call costs more below, numpy's sort less above)
_OWN_HULL_UP_TO = 256
#: whether small calls take that path: None means where the compiled module is in
#: use. With numba's JIT alone its two kernels are one more compile in the
#: family's first call (measured with it: 12.7-14.5 s CPU for the first call on
#: 100 points, fresh cache, ``GEOENT_JIT_ONLY=1``, against 10.8-13.4 s before), for
#: a few hundred microseconds a call. The tests set True.
SMALL_PATH = None


def _small_path_on():
    if SMALL_PATH is None:
        from ._aot import status

        return status() == "aot"
    return SMALL_PATH


@dataclass(frozen=True)
class EntropyResult:
    """A certified respectful partition and its entropy.

    Attributes
    ----------
    entropy : float
        sum over parts of (|S_k| / n) ln(n / |S_k|), natural log, singletons included;
        an upper bound on the structural entropy H(S) (see the module docstring).
    labels : ndarray of int64, shape (n,)
        Part of each point: an index into ``triangles``, or -1 for a singleton.
    triangles : ndarray of int64, shape (t, 3)
        The certifying triangle of part t. Indices < n are input points; indices >= n
        are rows ``i - n`` of ``steiner`` (only in the upper-hull variant).
    n_parts : int
        Number of parts, singletons included.
    upper : bool
        Whether triangles are certified below the upper hull (True) or inside the hull.
    steiner : ndarray of float64, shape (s, 2)
        Triangle corners that are not input points (empty unless ``upper``).
    n_singletons : int
        Points in parts of their own (label -1).
    method : str
        ``"hierarchy"`` (the default construction) or ``"fan"`` (a given polygon).
    """

    entropy: float
    labels: np.ndarray
    triangles: np.ndarray
    n_parts: int
    upper: bool = False
    steiner: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    n_singletons: int = 0
    method: str = "hierarchy"

    @property
    def sizes(self) -> np.ndarray:
        """Number of points in each triangle part (int64, shape (t,))."""
        return _k.part_counts(np.ascontiguousarray(self.labels), len(self.triangles))

    def corners(self, points) -> np.ndarray:
        """Coordinates of the certifying triangles, shape (t, 3, 2)."""
        pts = np.vstack([np.asarray(points, dtype=np.float64).reshape(-1, 2), self.steiner])
        return pts[self.triangles]


def partition_entropy(labels) -> float:
    """Entropy sum_k (|S_k|/n) ln(n/|S_k|) of a partition given by labels (-1: singleton).

    Examples
    --------
    >>> from geoent.entropy import partition_entropy
    >>> round(partition_entropy([0, 0, 1, 1]), 6) == round(__import__("math").log(2), 6)
    True
    """
    lab = np.ascontiguousarray(np.asarray(labels, dtype=np.int64).ravel())
    n = lab.shape[0]
    if n == 0:
        return 0.0
    top = int(lab.max())
    sizes = _k.part_counts(lab, top + 1) if top >= 0 else np.empty(0, np.int64)
    return _entropy_of_sizes(sizes[sizes > 0], n)


def _entropy_of_sizes(sizes, n):
    """Entropy of n points in parts of the given (positive, int64) sizes, in this
    order, the rest singletons: :func:`partition_entropy`'s arithmetic, shared."""
    single = n - int(sizes.sum())
    sizes = sizes.astype(np.float64)
    # sizes of 1 and singletons contribute the same ln(n) / n each
    total = float(np.sum(sizes * (math.log(n) - np.log(sizes)))) + single * math.log(n)
    return max(0.0, total / n)


# ---------------------------------------------------------------------------
# construction
# ---------------------------------------------------------------------------


def _sample(n):
    if n <= _SAMPLE:
        return np.arange(n, dtype=np.int64)
    return np.linspace(0, n - 1, _SAMPLE).astype(np.int64)


def _farthest_in_arc(hx, hy, i, j, k, m):
    """Position strictly between i and k (cyclically, going up from i) farthest from
    the line through positions i and k, starting from j (local ternary search on the
    unimodal distance of a convex chain; a heuristic, so float arithmetic is fine)."""
    lo, hi = i + 1, (k if k > i else k + m) - 1
    if lo > hi:
        return j

    def dist(p):
        p %= m
        ax, ay = hx[i % m], hy[i % m]
        dx, dy = hx[k % m] - ax, hy[k % m] - ay
        return -(dx * (hy[p] - ay) - dy * (hx[p] - ax))

    while hi - lo > 32:
        third = (hi - lo) // 3
        if dist(lo + third) < dist(hi - third):
            lo = lo + third + 1
        else:
            hi = hi - third
    best = max(range(lo, hi + 1), key=dist)
    return best % m


def _root_candidates(hx, hy):
    m = hx.shape[0]
    if m <= _ALL_TRIPLES_UP_TO:
        return np.array(list(combinations(range(m), 3)), dtype=np.int64)
    # np.linspace(0, m, 24, endpoint=False)'s values (its arithmetic: arange * step
    # + start), without its overhead
    starts = np.unique((np.arange(24.0) * (m / 24) + 0.0).astype(np.int64))
    # from each start, two rounds of moving each corner to the farthest vertex of
    # its arc (``_farthest_in_arc``), compiled: ``_root_candidates_python`` is the
    # same in Python (kept as the tests' reference)
    rows = _k.root_candidate_rows(hx, hy, starts)
    # the distinct rows in lexicographic order (np.unique(axis=0) costs ~30 us more)
    rows = rows[np.lexsort((rows[:, 2], rows[:, 1], rows[:, 0]))]
    first = np.ones(rows.shape[0], dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]).any(axis=1)
    return rows[first]


def _root_candidates_python(hx, hy):
    """:func:`_root_candidates` for more than ``_ALL_TRIPLES_UP_TO`` hull
    vertices, step by step in Python (the reference of its compiled version)."""
    m = hx.shape[0]
    cands = set()
    for o in np.unique(np.linspace(0, m, 24, endpoint=False).astype(np.int64)):
        tri = [int(o), int(o + m // 3) % m, int(o + (2 * m) // 3) % m]
        cands.add(tuple(sorted(tri)))
        # two rounds of moving each corner to the farthest vertex of its arc
        for _ in range(2):
            for c in range(3):
                a, b = tri[(c + 2) % 3], tri[(c + 1) % 3]
                tri[c] = _farthest_in_arc(hx, hy, a, tri[c], b, m)
            if len(set(tri)) == 3:
                cands.add(tuple(sorted(tri)))
    return np.array(sorted(cands), dtype=np.int64)


def _rank_roots(x, y, hx, hy):
    """Root candidates (hull positions, rows sorted ascending), best first: by points
    held (exactly on up to 4096 points, else on a strided sample), then by area."""
    cand = _root_candidates(hx, hy)
    tri = np.column_stack(
        [hx[cand[:, 0]], hy[cand[:, 0]], hx[cand[:, 1]], hy[cand[:, 1]], hx[cand[:, 2]],
         hy[cand[:, 2]]]
    )  # fmt: skip
    counts = _k.count_in_triangles(x, y, _sample(x.shape[0]), np.ascontiguousarray(tri))
    area = np.abs(
        (tri[:, 2] - tri[:, 0]) * (tri[:, 5] - tri[:, 1])
        - (tri[:, 3] - tri[:, 1]) * (tri[:, 4] - tri[:, 0])
    )
    order = np.lexsort((-area, -counts))
    first = list(order[:_ROOT_TRIALS])
    biggest = int(np.argmax(area))
    if biggest not in first:
        first.append(biggest)
    return cand[np.array(first)]


def _full_root(i0, i1, i2, m, hx, hy, hidx):
    chord_a = np.array([i0, i1, i2], dtype=np.int64)
    chord_b = np.array([i1, i2, i0 + m], dtype=np.int64)
    rtri = np.array([[hx[i0], hy[i0], hx[i1], hy[i1], hx[i2], hy[i2]]])
    root_idx = np.array([[hidx[i0], hidx[i1], hidx[i2]]], dtype=np.int64)
    return chord_a, chord_b, rtri, root_idx


def _assign(x, y, hidx, chord_a, chord_b, rtri, root_idx):
    """Labels and part triangles for the hierarchy under the given root."""
    m = hidx.shape[0]
    hx = np.ascontiguousarray(x[hidx])
    hy = np.ascontiguousarray(y[hidx])
    nroot = rtri.shape[0]
    # unrestricted farthest apexes for the top levels, balanced splits below
    free_depth = 2 * int(m).bit_length() + 8
    na, nc, nb, nl, nr, roots = _k.build_pockets(hx, hy, chord_a, chord_b, free_depth)
    labels = np.empty(x.shape[0], dtype=np.int64)
    checkpoint()  # between kernels: Ctrl-C (geoent._interrupt)
    if x.shape[0] >= _PARALLEL_FROM:
        with _kernels.parallel_lock:
            _k.locate_parallel(x, y, hx, hy, chord_a % m, chord_b % m, roots,
                               np.ascontiguousarray(rtri), na, nc, nb, nl, nr, labels)  # fmt: skip
    else:
        _k.locate(x, y, hx, hy, chord_a % m, chord_b % m, roots, np.ascontiguousarray(rtri),
                  na, nc, nb, nl, nr, labels)  # fmt: skip
    nparts = nroot + na.shape[0]
    checkpoint()
    counts = _k.part_counts(labels, nparts)
    nonapex = counts.copy()
    nonapex[nroot:] -= 1  # each node's apex is located at its own node
    _k.regroup_apexes(hidx, nroot, nc, nl, nr, labels, counts, nonapex)
    checkpoint()
    tris = np.vstack([root_idx, np.column_stack([hidx[na], hidx[nc], hidx[nb]])])
    return _regroup_small(x, y, labels, tris)


def _choose_root(x, y, hidx, hx, hy):
    """The candidate root whose whole construction has the lowest entropy, evaluated
    on the points (up to 4096) or on a strided sample plus the hull vertices."""
    m = hidx.shape[0]
    ranked = _rank_roots(x, y, hx, hy)
    if len(ranked) == 1 or m > _ROOT_EVAL_MAX_HULL:
        return ranked[0]
    ev = np.union1d(_sample(x.shape[0]), hidx)
    xe = np.ascontiguousarray(x[ev])
    ye = np.ascontiguousarray(y[ev])
    he = np.searchsorted(ev, hidx)
    # every candidate's whole construction in one compiled call (the steps of
    # _assign and _compact; _root_entropies_python is the same in Python), then
    # each entropy with partition_entropy's own arithmetic
    sizes, offs = _k.root_part_sizes(
        xe, ye, he, np.ascontiguousarray(xe[he]), np.ascontiguousarray(ye[he]),
        np.ascontiguousarray(ranked, dtype=np.int64),
    )  # fmt: skip
    n = xe.shape[0]
    # _entropy_of_sizes of every candidate, its elementwise arithmetic done once on
    # all the sizes (the same values elementwise; each sum is still numpy's sum of
    # that candidate's terms, so each entropy is the same float; issue 13)
    log_n = math.log(n)
    sf = sizes.astype(np.float64)
    terms = sf * (log_n - np.log(sf))
    held = np.concatenate(([0], np.cumsum(sizes)))  # exact (int64) prefix sums
    best, best_h = ranked[0], np.inf
    for r, (i0, i1, i2) in enumerate(ranked):
        lo, hi = int(offs[r]), int(offs[r + 1])
        single = n - int(held[hi] - held[lo])  # points in no part of two or more
        total = float(np.sum(terms[lo:hi])) + single * log_n
        h = max(0.0, total / n)
        if h < best_h - 1e-12:
            best, best_h = (i0, i1, i2), h
    return best


def _root_entropies_python(xe, ye, he, ranked, hx, hy):
    """Entropy of the whole construction under each candidate root, step by step
    in Python (the reference of :func:`_choose_root`'s compiled loop)."""
    m = he.shape[0]
    out = []
    for i0, i1, i2 in ranked:
        lab, tri = _assign(xe, ye, he, *_full_root(int(i0), int(i1), int(i2), m, hx, hy, he))
        out.append(partition_entropy(_compact(lab, tri)[0]))
    return out


def _steiner_root(x, y, xl, yl, xr, yr, below, scale_k, pts):
    """Root triangles (rows ax, ay, bx, by, cx, cy, scaled coordinates) covering every
    point on or below the chord L -> R, and their Steiner corners in input coordinates.
    """
    bx, by = x[below], y[below]
    edge = ((bx == xl) & (by != yl)) | ((bx == xr) & (by != yr))
    xw = 0.5 * (xl + xr)
    if not edge.any() and xl < xw < xr:
        with np.errstate(all="ignore"):
            left = bx > xl
            need_l = np.where(left, (xw - xl) * (yl - by) / np.where(left, bx - xl, 1.0), 0.0)
            right = bx < xr
            need_r = np.where(right, (xr - xw) * (yr - by) / np.where(right, xr - bx, 1.0), 0.0)
            yw = min(yl - max(0.0, float(need_l.max(initial=0.0))),
                     yr - max(0.0, float(need_r.max(initial=0.0))))  # fmt: skip
        span = abs(yw) + abs(yl) + abs(yr) + 1.0
        yw -= 1e-6 * span
        for _ in range(60):
            if not math.isfinite(yw):
                break
            w_in = np.array([[xw, yw]])
            w_orig = np.ldexp(w_in, -scale_k)
            if not (np.isfinite(w_orig).all() and (np.ldexp(w_orig, scale_k) == w_in).all()):
                break
            ok = True
            for ax_, ay_, bx_, by_ in ((xl, yl, xw, yw), (xw, yw, xr, yr)):
                if (_k.line_side(bx, by, ax_, ay_, bx_, by_) < 0).any():
                    ok = False
                    break
            if ok:
                try:
                    check_exponent_range(np.vstack([pts, w_orig]), 2)
                except RangeError:
                    break
                return np.array([[xl, yl, xw, yw, xr, yr]]), w_orig
            yw -= 2.0 * span
            span *= 3.0
    # the trapezoid L, (x_L, y_min), (x_R, y_min), R as two triangles (exact corners:
    # coordinates of input points)
    ymin_s = float(np.ldexp(float(pts[:, 1].min()), scale_k))
    tri = np.array([[xl, yl, xl, ymin_s, xr, yr], [xl, ymin_s, xr, ymin_s, xr, yr]])
    steiner = np.ldexp(np.array([[xl, ymin_s], [xr, ymin_s]]), -scale_k)
    return tri, steiner


def _upper_extremes(hx, hy):
    """Positions of the top-right and top-left hull vertices."""
    xmax, xmin = hx.max(), hx.min()
    right = np.flatnonzero(hx == xmax)
    left = np.flatnonzero(hx == xmin)
    return int(right[np.argmax(hy[right])]), int(left[np.argmax(hy[left])])


def _exponent_scale(pts):
    """``check_exponent_range(pts, 2)``, decided by one compiled pass when no scale
    is needed (the common case; its numpy passes cost tens of microseconds on a
    small call, issue 13)."""
    from ._validation import in_exponent_window

    if pts.shape[0] and pts.flags.c_contiguous and pts.dtype == np.float64:
        amax, amin, bad = _floats.range_stats(pts.reshape(-1))
        if not bad and in_exponent_window(amax, amin, 2):
            return pts, 0
    return check_exponent_range(pts, 2)


def _build(pts, upper):
    """``(labels, tris, steiner, entropy)``: the construction (not yet compacted,
    and entropy None; or, for the full hull of at most ``_SAMPLE`` points,
    compacted, with ``partition_entropy(labels)``)."""
    n = pts.shape[0]
    scaled, k = _exponent_scale(pts)
    x = np.ascontiguousarray(scaled[:, 0])
    y = np.ascontiguousarray(scaled[:, 1])
    if not upper and n <= _SMALL_PATH_UP_TO and n < _PARALLEL_FROM and _small_path_on():
        # every point evaluated (no sample): the whole construction in two calls
        done = _build_small(x, y, pts)
        if done is not None:
            labels, tris, h = done
            return labels, tris, np.empty((0, 2)), h
    from .hull import convex_hull

    hidx = np.ascontiguousarray(convex_hull(pts), dtype=np.int64)
    checkpoint()
    m = hidx.shape[0]
    if m <= 2:
        # all points on a segment (or one point): one part in the degenerate triangle
        labels = np.zeros(n, dtype=np.int64) if n > 1 else np.full(n, -1, dtype=np.int64)
        tris = np.array([[hidx[0], hidx[-1], hidx[-1]]], dtype=np.int64)
        return labels, tris[: 1 if n > 1 else 0], np.empty((0, 2)), None
    hx = np.ascontiguousarray(x[hidx])
    hy = np.ascontiguousarray(y[hidx])
    steiner = np.empty((0, 2))
    if not upper:
        i0, i1, i2 = (int(v) for v in _choose_root(x, y, hidx, hx, hy))
        root = _full_root(i0, i1, i2, m, hx, hy, hidx)
    else:
        ir, il = _upper_extremes(hx, hy)
        if il < ir:
            il += m
        xl, yl, xr, yr = hx[il % m], hy[il % m], hx[ir], hy[ir]
        below = _k.line_side(x, y, xr, yr, xl, yl) >= 0
        rtri, steiner = _steiner_root(x, y, xl, yl, xr, yr, below, k, pts)
        il_pt, ir_pt = hidx[il % m], hidx[ir]
        if len(steiner) == 1:
            root_idx = np.array([[il_pt, n, ir_pt]], dtype=np.int64)
        else:
            root_idx = np.array([[il_pt, n, ir_pt], [n, n + 1, ir_pt]], dtype=np.int64)
        root = (np.array([ir], dtype=np.int64), np.array([il], dtype=np.int64), rtri, root_idx)
    labels, tris = _assign(x, y, hidx, *root)
    return labels, tris, steiner, None


def _build_small(x, y, pts):
    """``_build`` (full hull) of at most ``_SAMPLE`` points, compacted
    (``_compact``), in two compiled calls: ``small_roots`` does the hull (the same
    as ``convex_hull``'s), ``_rank_roots`` and ``_choose_root``'s constructions
    (every point evaluated, no sample at this size), ``small_build`` the choice (from
    numpy's log of the part sizes, taken here in one pass as ``_choose_root`` does)
    and ``_assign`` under the winner. None when the hull has fewer than 3 vertices
    (the general path handles that). Returns ``(labels, tris, entropy)``: the
    entropy is the winner's, the same float as ``partition_entropy(labels)`` (the
    same sizes in the same order, numpy's log elementwise, numpy's pairwise sum).
    (On 100 points the general path makes about 25 kernel calls and as many numpy
    steps: about 500 us, several times the work; issue 13.)"""
    n = x.shape[0]
    if n <= _OWN_HULL_UP_TO:
        hidx = np.empty(0, dtype=np.int64)  # small_roots' own hull
    else:
        from .hull import convex_hull

        hidx = np.ascontiguousarray(convex_hull(pts), dtype=np.int64)
    hidx, ranked, sizes, offs = _k.small_roots(x, y, hidx)
    if ranked.shape[0] == 0:
        return None
    log_n = math.log(n)
    sf = sizes.astype(np.float64)
    terms = sf * (log_n - np.log(sf))
    return _k.small_build(x, y, hidx, ranked, sizes, offs, terms, log_n)


def _regroup_small(x, y, labels, tris):
    """Repack the points of parts with one or two points into triangles of their own
    (see ``geoent._kernels.entropy.group_small``). Modifies ``labels``."""
    t = tris.shape[0]
    counts = _k.part_counts(labels, t)
    small = _k.small_parts(labels, counts, 2)
    if small.shape[0] < 2:
        return labels, tris
    # keep neighbours together: by old part (nodes near each other in the hierarchy
    # are near each other in the plane), then by index
    small = _k.order_by_label(small, labels, t)
    group, gtri, ng = _k.group_small(x, y, np.ascontiguousarray(small, dtype=np.int64))
    labels[small] = t + group
    return labels, np.vstack([tris, gtri])


def _compact(labels, tris):
    """Drop empty parts, turn parts of one point into singletons, renumber (a copy)."""
    t = tris.shape[0]
    if t == 0:
        return np.full(labels.shape[0], -1, dtype=np.int64), tris.reshape(0, 3)
    counts = _k.part_counts(labels, t)
    keep = counts >= 2
    new = np.full(t, -1, dtype=np.int64)
    new[keep] = np.arange(int(keep.sum()), dtype=np.int64)
    out = labels.astype(np.int64, copy=True)
    _k.renumber(out, new)
    return out, tris[keep]


def _fan(pts, polygon):
    n = pts.shape[0]
    poly = np.asarray(polygon)
    if poly.ndim != 1 or poly.size == 0 or not np.issubdtype(poly.dtype, np.integer):
        raise InputError(f"polygon: expected a 1-D array of point indices, got {poly!r:.80}")
    poly = poly.astype(np.int64)
    if poly.min() < 0 or poly.max() >= n:
        raise InputError(f"polygon: indices must lie in [0, {n}), got {poly.min()}..{poly.max()}")
    scaled, _ = check_exponent_range(pts, 2)
    x = np.ascontiguousarray(scaled[:, 0])
    y = np.ascontiguousarray(scaled[:, 1])
    poly = np.ascontiguousarray(poly)
    convex = bool(poly.shape[0] >= 3 and _k.is_strictly_convex_ccw(x, y, poly))
    labels = np.empty(n, dtype=np.int64)
    _k.fan_labels(x, y, poly, convex, labels)
    k = poly.shape[0]
    if k >= 3:
        tris = np.column_stack([np.full(k - 2, poly[0]), poly[1:-1], poly[2:]]).astype(np.int64)
    else:
        tris = np.array([[poly[0], poly[-1], poly[-1]]], dtype=np.int64)
    return labels, tris


def range_partition_entropy(points, *, upper=False, polygon=None) -> EntropyResult:
    """Certified upper bound on the structural (range-partition) entropy of 2D points.

    Builds a respectful partition of the points (every part a singleton or inside a
    triangle inside the hull, or below the upper hull) and returns its entropy
    sum_k (|S_k|/n) ln(n/|S_k|) with the certificate. Since the structural entropy
    H(S) is the minimum of this quantity over all respectful partitions, the value is
    an upper bound on H(S), exact in the sense that :func:`is_respectful` verifies the
    certificate with exact predicates. See the module docstring for the construction.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    upper : bool
        Certify triangles below the upper hull (the upper-hull variant of the theory)
        instead of inside the hull. The upper-hull entropy is never larger in theory,
        since the hull lies below its upper hull.
    polygon : array_like of int, optional
        Use the fan triangulation of this polygon of input points instead of the
        default construction: triangles (p_0, p_i, p_{i+1}) in order, each point in the
        first one holding it (closed), points in none are singletons. Triangles with
        input points as corners always lie in the hull, so any polygon is allowed (the
        point location is a binary search when the polygon is strictly convex and
        counter-clockwise, else a scan of the triangles). This is the hard limit of
        ``geoent.torch.soft_range_partition_entropy(..., family="respectful")``.

    Returns
    -------
    EntropyResult

    Raises
    ------
    InputError
        Bad points (see ``geoent._validation.as_points``), or a bad polygon.
    RangeError
        Coordinates spanning more binary orders of magnitude than exact orient2d
        supports.

    Examples
    --------
    >>> import numpy as np, geoent
    >>> t = np.linspace(0, 2 * np.pi, 9)[:-1]
    >>> circle = np.column_stack([np.cos(t), np.sin(t)])  # 8 points in convex position
    >>> res = geoent.range_partition_entropy(circle)
    >>> sorted(res.sizes.tolist())  # two triples and a pair: the exact optimum
    [2, 3, 3]
    >>> round(res.entropy, 4)
    1.0822
    """
    pts = as_points(points, ndim=2)
    if polygon is not None:
        if upper:
            raise InputError("polygon= and upper=True cannot be combined")
        labels, tris = _fan(pts, polygon)
        method = "fan"
        steiner = np.empty((0, 2))
        h = None
    else:
        labels, tris, steiner, h = interruptible(pts.shape[0], _build, pts, False)
        if h is None:
            labels, tris = _compact(labels, tris)
        if upper:
            # a partition respectful for the hull is respectful below the upper hull
            # too, so the upper-hull certificate is the better of the two
            lu, tu, su, _ = interruptible(pts.shape[0], _build, pts, True)
            lu, tu = _compact(lu, tu)
            hu = partition_entropy(lu)
            if hu < (partition_entropy(labels) if h is None else h):
                labels, tris, steiner, h = lu, tu, su, hu
        method = "hierarchy"
    if h is None:
        labels, tris = _compact(labels, tris)
        h = partition_entropy(labels)
    # (otherwise compact already: _compact would copy the same arrays)
    single = int(np.count_nonzero(labels < 0))
    return EntropyResult(
        entropy=h,
        labels=labels,
        triangles=tris,
        n_parts=int(tris.shape[0]) + single,
        upper=bool(upper),
        steiner=np.asarray(steiner, dtype=np.float64).reshape(-1, 2),
        n_singletons=single,
        method=method,
    )


# ---------------------------------------------------------------------------
# verification
# ---------------------------------------------------------------------------


def _upper_chain(hx, hy):
    """Upper hull from its leftmost to its rightmost vertex (x strictly increasing)."""
    m = hx.shape[0]
    if m == 1:
        return hx.copy(), hy.copy()
    if m == 2:
        if hx[0] == hx[1]:
            top = int(np.argmax(hy))
            return hx[top : top + 1].copy(), hy[top : top + 1].copy()
        order = np.argsort(hx)
        return hx[order].copy(), hy[order].copy()
    ir, il = _upper_extremes(hx, hy)
    if il < ir:
        il += m
    pos = np.arange(il, ir - 1, -1) % m  # walk clockwise from top-left to top-right
    return np.ascontiguousarray(hx[pos]), np.ascontiguousarray(hy[pos])


def respectful_violation(points, labels, triangles, *, upper=False, steiner=None):
    """Why a partition is not respectful, or None when it is (see :func:`is_respectful`)."""
    pts = as_points(points, ndim=2)
    n = pts.shape[0]
    st = (
        np.empty((0, 2))
        if steiner is None
        else as_points(steiner, ndim=2, name="steiner", min_points=0)
    )
    lab = np.asarray(labels)
    if lab.shape != (n,) or not (np.issubdtype(lab.dtype, np.integer) or lab.size == 0):
        raise InputError(f"labels: expected {n} integers (one per point), got {lab.shape}")
    tri = np.asarray(triangles)
    if tri.size == 0:
        tri = np.empty((0, 3), dtype=np.int64)
    if tri.ndim != 2 or tri.shape[1] != 3 or not np.issubdtype(tri.dtype, np.integer):
        raise InputError(f"triangles: expected an integer array of shape (t, 3), got {tri.shape}")
    lab = lab.astype(np.int64)
    tri = tri.astype(np.int64)
    t = tri.shape[0]
    if n and (lab.min() < -1 or lab.max() >= t):
        raise InputError(f"labels: expected values in [-1, {t}), got {lab.min()}..{lab.max()}")
    if t and (tri.min() < 0 or tri.max() >= n + st.shape[0]):
        raise InputError(
            f"triangles: corner indices must lie in [0, {n + st.shape[0]}) "
            f"({n} points + {st.shape[0]} Steiner points)"
        )
    allpts, _ = check_exponent_range(np.vstack([pts, st]), 2)
    ax = np.ascontiguousarray(allpts[:, 0])
    ay = np.ascontiguousarray(allpts[:, 1])
    tx = np.ascontiguousarray(ax[tri]).reshape(t, 3)
    ty = np.ascontiguousarray(ay[tri]).reshape(t, 3)
    ok = _k.parts_in_triangles(ax[:n], ay[:n], np.ascontiguousarray(lab), tx, ty)
    if not ok.all():
        i = int(np.argmin(ok))
        return f"point {i} is not in the triangle of its part {int(lab[i])}"
    from .hull import convex_hull

    hidx = convex_hull(pts)
    hx = np.ascontiguousarray(ax[hidx])
    hy = np.ascontiguousarray(ay[hidx])
    cx = np.ascontiguousarray(tx.ravel())
    cy = np.ascontiguousarray(ty.ravel())
    if upper:
        ux, uy = _upper_chain(hx, hy)
        inside = _k.corners_below_upper(cx, cy, ux, uy)
        where = "below the upper hull"
    else:
        inside = _k.corners_in_hull(cx, cy, hx, hy)
        where = "inside the hull"
    if not inside.all():
        j = int(np.argmin(inside))
        return f"triangle {j // 3} has corner {j % 3} not {where}"
    return None


def is_respectful(points, labels, triangles, *, upper=False, steiner=None) -> bool:
    """Whether a labelled partition is respectful, decided with exact predicates.

    True when every point with a label t >= 0 lies in the closed triangle
    ``triangles[t]`` and every triangle lies inside the convex hull of ``points`` (or,
    with ``upper=True``, in the region below the upper hull: x within the points'
    x-range and y at most the upper hull there). A triangle lies in a convex region iff
    its three corners do, so the test is corner containment. Degenerate triangles
    (collinear corners) are the segments they span.

    Parameters
    ----------
    points : array_like, shape (n, 2)
    labels : array_like of int, shape (n,)
        Part of each point, -1 for a singleton.
    triangles : array_like of int, shape (t, 3)
        Corner indices: < n for input points, n + j for ``steiner[j]``.
    upper : bool
    steiner : array_like, shape (s, 2), optional
        Corners that are not input points.

    Returns
    -------
    bool

    Raises
    ------
    InputError
        Malformed arrays (wrong shapes, labels or indices out of range).

    Examples
    --------
    >>> import numpy as np, geoent
    >>> pts = np.array([[0, 0], [2, 0], [0, 2], [0.5, 0.5]])
    >>> geoent.is_respectful(pts, [0, 0, 0, 0], [[0, 1, 2]])
    True
    >>> geoent.is_respectful(pts, [0, 0, -1, 0], [[0, 1, 3]])  # point 1 is a corner...
    True
    >>> geoent.is_respectful(pts, [0, 0, 0, 0], [[0, 1, 3]])  # ...but point 2 is outside
    False
    """
    return respectful_violation(points, labels, triangles, upper=upper, steiner=steiner) is None


def plot_partition(path, points, result, *, title=None, max_points=50_000, max_triangles=5_000):
    """Write a picture of a certified partition: points coloured by part (singletons
    grey), the certifying triangles and the hull. matplotlib is imported lazily.

    Parameters
    ----------
    path : str or os.PathLike
        Output file; the format follows the suffix (PNG, SVG, PDF...).
    points : array_like, shape (n, 2)
    result : EntropyResult
    title : str, optional
    max_points, max_triangles : int
        Caps for very large inputs (an evenly strided subset is drawn).
    """
    try:
        import matplotlib
    except ImportError:
        raise ImportError("matplotlib is needed for pictures: pip install 'geoent[plot]'") from None
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .hull import convex_hull

    pts = as_points(points, ndim=2)
    n = pts.shape[0]
    idx = np.linspace(0, n - 1, min(n, max_points)).astype(np.int64)
    lab = result.labels[idx]
    fig, ax = plt.subplots(figsize=(7, 7))
    tri = result.corners(pts)
    step = max(1, len(tri) // max_triangles)
    for t in tri[::step]:
        ring = np.vstack([t, t[:1]])
        ax.plot(ring[:, 0], ring[:, 1], "-", color="0.25", lw=0.4, alpha=0.7)
    single = lab < 0
    size = max(0.5, min(12.0, 4000.0 / max(len(idx), 1)))
    ax.scatter(pts[idx[single], 0], pts[idx[single], 1], s=size, c="0.6", linewidths=0)
    cmap = plt.get_cmap("tab20")
    ax.scatter(
        pts[idx[~single], 0],
        pts[idx[~single], 1],
        s=size,
        c=cmap((lab[~single] % 20) / 19.0),
        linewidths=0,
        rasterized=True,
    )
    h = pts[convex_hull(pts)]
    ring = np.vstack([h, h[:1]])
    ax.plot(ring[:, 0], ring[:, 1], "-", color="#d62728", lw=1.2)
    ax.set_aspect("equal", adjustable="datalim")
    kind = "below the upper hull" if result.upper else "inside the hull"
    ax.set_title(
        title
        or f"certified entropy H <= {result.entropy:.4f} nats: {result.n_parts} parts "
        f"({result.n_singletons} singletons), triangles {kind}"
    )
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
