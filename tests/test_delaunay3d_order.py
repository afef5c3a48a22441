"""3D Delaunay's stages around the kernel: the default insertion order with its
gather (``ordering.morton_multiscale``) and the extraction into T's own storage
(``delaunay3d.extract_tets``).

Oracles: a numpy rendering of the Morton multiscale order (keys, stable argsort,
rounds), the two kernels the fused one replaces (``morton_order`` then
``multiscale`` then ``gather3``), and a numpy rendering of the extraction
(``numpy_extract``).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geoent
from geoent._kernels import delaunay3d as k3
from geoent._kernels import ordering as ko
from geoent.datasets import make_points

NOFLAG = np.zeros(1, np.uint8)


# the face opposite vertex j, as the kernel's FACE
_FACE = ((1, 3, 2), (0, 2, 3), (0, 3, 1), (0, 1, 2))


def numpy_extract(T, nt, inf, label):
    """Finite tetrahedra, neighbours (-1 across the hull) and hull facets of a
    kernel state, in slot order, written with numpy only."""
    S = T[: 8 * nt].reshape(nt, 8).astype(np.int64)
    alive = S[:, 0] >= 0
    ghost = alive & (S[:, :4] == inf).any(axis=1)
    fin = alive & ~ghost
    newid = np.full(nt, -1, np.int64)
    newid[fin] = np.arange(np.count_nonzero(fin))
    simp = label[S[fin, :4]]
    nb = newid[S[fin, 4:] >> 2]
    hull = []
    for row in S[ghost]:
        (q,) = np.flatnonzero(row[:4] == inf)
        f = _FACE[q]
        hull.append([label[row[f[1]]], label[row[f[0]]], label[row[f[2]]]])
    return simp, nb, np.array(hull, np.int64).reshape(-1, 3)


def numpy_morton_multiscale(pts, base=8):
    """Multiscale rounds of the Morton order, written with numpy only."""
    n = pts.shape[0]
    if n <= 2:
        return np.arange(n)
    lo = pts.min(axis=0)
    hi = pts.max(axis=0)
    ext = (hi - lo).max()  # one scale: the bounding box's longest side
    scale = 1024.0 / ext if ext > 0.0 else 0.0
    q = np.clip(np.trunc((pts - lo) * scale), 0, 1023).astype(np.int64)
    key = np.zeros(n, np.int64)
    for ax in range(3):
        for b in range(10):
            key |= ((q[:, ax] >> b) & 1) << (3 * b + ax)
    curve = np.argsort(key, kind="stable")
    top = 0
    while base ** (top + 2) <= n:
        top += 1
    p = np.arange(n)
    level = np.zeros(n, np.int64)
    for lv in range(1, top + 1):
        level[p % base**lv == 0] = lv
    level[0] = top
    return curve[np.argsort(top - level, kind="stable")]


def two_kernels(pts):
    n = pts.shape[0]
    perm = ko.multiscale(ko.morton_order(pts, np.arange(n), NOFLAG), 8, NOFLAG)
    G, amax, amin = k3.gather3(pts, perm, NOFLAG)
    return perm, G, amax, amin


def fused(pts, gather=True):
    n = pts.shape[0]
    perm = np.full(n, -7, np.int64)
    G = np.full((n if gather else 0, 3), np.nan)
    box = np.full((2, 3), np.nan)
    amax, amin = ko.morton_multiscale(pts, 8, perm, G, box, NOFLAG)
    # the bounds: numpy's (the sign of a zero aside)
    assert np.array_equal(box, [pts.min(axis=0), pts.max(axis=0)])
    return perm, G, amax, amin


def inputs():
    rng = np.random.default_rng(2)
    out = {f"cube_{n}": make_points("cube", n, n) for n in (1, 2, 3, 4, 8, 63, 64, 65, 512, 513)}
    out["cube_4097"] = make_points("cube", 4097, 1)
    out["ball"] = make_points("ball", 5000, 3)
    out["sphere"] = make_points("sphere", 3000, 4)
    out["lattice"] = np.mgrid[0:13, 0:13, 0:13].reshape(3, -1).T.astype(float)
    c = make_points("cube", 3000, 5)
    out["duplicates"] = np.vstack((c, c[::3], c, c[::7]))
    out["offset"] = make_points("cube", 3000, 6) * 1e-3 + 1e5
    out["huge_offset"] = make_points("cube", 2000, 7) + 2.0**60
    out["wide"] = make_points("cube", 2000, 8) * 1e300 - 0.5e300
    out["tiny"] = rng.standard_normal((3000, 3)) * 1e-300
    out["zeros"] = np.zeros((70, 3))
    out["signed_zeros"] = np.array([[-0.0, 0.0, 1.0], [0.0, -0.0, 1.0], [1, 2, 3], [0, 0, 0]] * 30)
    out["flat"] = np.column_stack((rng.random((600, 2)), np.zeros(600)))
    out["coarse"] = rng.integers(0, 3, (4000, 3)).astype(float)
    return out


@pytest.mark.parametrize("name", sorted(inputs()))
def test_morton_multiscale_is_the_two_kernels_and_gather(name):
    pts = np.ascontiguousarray(inputs()[name], dtype=np.float64)
    perm, G, amax, amin = fused(pts)
    ref_perm, ref_G, ref_amax, ref_amin = two_kernels(pts)
    assert np.array_equal(perm, ref_perm)
    assert np.array_equal(np.sort(perm), np.arange(pts.shape[0]))
    # the coordinates bit for bit (the sign of a zero included)
    assert G.tobytes() == ref_G.tobytes() == pts[perm].tobytes()
    a = np.abs(pts)
    assert amax == ref_amax == a.max()
    assert amin == ref_amin == (a[a > 0].min() if (a > 0).any() else np.inf)
    # without a gather: the same order, nothing written to G
    assert np.array_equal(fused(pts, gather=False)[0], perm)


@pytest.mark.parametrize("name", ["cube_4097", "ball", "lattice", "duplicates", "offset", "flat"])
def test_morton_multiscale_against_numpy(name):
    pts = inputs()[name]
    assert np.array_equal(fused(pts)[0], numpy_morton_multiscale(pts))


@settings(deadline=None, max_examples=60)
@given(
    st.integers(1, 700),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1.0, 1e-3, 1e200, 3.0**-500]),
    st.integers(1, 40),
)
def test_morton_multiscale_hypothesis(n, seed, scale, grid):
    # coarse grids give many equal keys: the ties keep input order
    pts = np.floor(np.random.default_rng(seed).random((n, 3)) * grid) * scale
    perm = fused(pts)[0]
    assert np.array_equal(perm, two_kernels(pts)[0])
    assert np.array_equal(perm, numpy_morton_multiscale(pts))


def test_insertion_order3_default_is_the_fused_order():
    from geoent._delaunay3d import insertion_order3

    pts = make_points("ball", 3000, 9)
    assert np.array_equal(insertion_order3(pts, "morton"), two_kernels(pts)[0])


def _triangulate(pts, cap):
    n = pts.shape[0]
    perm, P, _, _ = fused(pts)
    dup = np.full(n, -1, np.int64)
    T, nt, status = k3.tetrahedralize(P, np.empty(8 * cap, np.int32), dup, NOFLAG)
    assert status == k3.OK
    label = k3.vertex_labels(perm, dup)
    return T, nt, label


@pytest.mark.parametrize("cap", [5, None])
@pytest.mark.parametrize("dist", ["cube", "sphere"])
def test_extract_tets_in_place(dist, cap):
    """Rows written over T's own storage are the finite tetrahedra in slot order
    (cap 5: T was regrown by the kernel, so its length is not the caller's)."""
    pts = make_points(dist, 3000, 1)
    pts = np.vstack((pts, pts[::5]))  # copies: labels are not the insertion order
    n = pts.shape[0]
    T, nt, label = _triangulate(pts, cap or int(6.9 * n + 64))
    ref = numpy_extract(T, nt, n, label)[0]
    out = T.view(np.int64).reshape(-1, 4)
    m = k3.extract_tets(T, nt, n, label, out, NOFLAG)
    assert m == ref.shape[0] > 0
    assert np.array_equal(out[:m], ref)


def test_extract_tets_to_fresh_memory():
    pts = make_points("ball", 2000, 2)
    n = pts.shape[0]
    T, nt, label = _triangulate(pts, int(6.9 * n + 64))
    out = np.full((nt, 4), -5, np.int64)
    m = k3.extract_tets(T, nt, n, label, out, NOFLAG)
    assert np.array_equal(out[:m], numpy_extract(T, nt, n, label)[0])
    assert (out[m:] == -5).all()


@pytest.mark.parametrize("dist", ["cube", "ball", "gaussian"])
def test_delaunay_rows_are_delaunay_class_rows(dist):
    """The fast path (order and gather fused, rows in T's storage) and the full
    path (``number_tets`` + ``extract_into``) give the same rows in the same order."""
    pts = make_points(dist, 4000, 3)
    pts = np.vstack((pts, pts[::9]))
    tets = geoent.delaunay(pts)
    assert tets.dtype == np.int64 and tets.flags.c_contiguous
    d = geoent.Delaunay(pts)
    assert np.array_equal(tets, d.simplices)
    assert d.min_bound.tobytes() == pts.min(axis=0).tobytes()
    assert d.max_bound.tobytes() == pts.max(axis=0).tobytes()
    # a result independent of later calls (it lives in its own T)
    keep = tets.copy()
    geoent.delaunay(make_points(dist, 4000, 4))
    assert np.array_equal(tets, keep)


@pytest.mark.parametrize("index", [np.intc, np.int64])
@pytest.mark.parametrize("dist", ["cube", "sphere"])
def test_number_tets_and_extract_into(dist, index):
    """The full extraction into caller-allocated arrays of either index dtype:
    simplices, neighbours and hull facets as numpy finds them, and a vertex map
    naming a tetrahedron that holds each vertex."""
    pts = make_points(dist, 2500, 6)
    pts = np.vstack((pts, pts[::4]))
    n = pts.shape[0]
    T, nt, label = _triangulate(pts, 5)
    simp, nb, hull = numpy_extract(T, nt, n, label)
    newid = np.full(nt, 99, np.int32)
    m, h = k3.number_tets(T, nt, n, newid, NOFLAG)
    assert (m, h) == (simp.shape[0], hull.shape[0])
    # rows numbered in slot order, ghosts and dead slots -1
    ghost = (T[0 : 8 * nt : 8] < 0) | (T.reshape(-1, 8)[:nt, :4] == n).any(axis=1)
    assert np.array_equal(newid < 0, ghost)
    assert np.array_equal(newid[newid >= 0], np.arange(m))
    out = (np.empty((m, 4), index), np.empty((m, 4), index), np.empty((h, 3), index))
    v = np.full(n, -1, np.int64)
    k3.extract_into(T, nt, n, label, newid, *out, v, NOFLAG)
    for a, b in zip(out, (simp, nb, hull), strict=True):
        assert a.dtype == index and np.array_equal(a, b)
    # vtet: unmapped vertex ids (insertion order); the rows hold mapped ones
    raw = T.reshape(-1, 8)[:nt, :4][newid >= 0]
    used = np.zeros(n, bool)
    used[raw.ravel()] = True
    assert np.array_equal(v >= 0, used)
    assert all(i in raw[v[i]] for i in np.flatnonzero(used))


@pytest.mark.parametrize("order", ["morton", "brio"])
def test_delaunay_bounds_with_zero_extremes(order):
    """Bounds of ``geoent.Delaunay`` equal numpy's, bit for bit, with zeros of
    either sign as extremes (numpy's reductions decide the sign)."""
    pts = make_points("cube", 500, 5) - [0.0, 0.5, 0.0]
    pts[:3] = [[-0.0, 0.0, 0.0], [0.0, -0.7, -0.0], [0.5, 0.6, 1.0]]
    pts[:, 0] = np.abs(pts[:, 0])
    d = geoent.Delaunay(pts, order=order)
    assert d.min_bound.tobytes() == pts.min(axis=0).tobytes()
    assert d.max_bound.tobytes() == pts.max(axis=0).tobytes()
