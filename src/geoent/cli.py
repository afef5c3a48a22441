"""The ``geoent`` command line.

Each subcommand is a thin shell over a library function; see ``geoent --help``.
"""

from __future__ import annotations

import platform
import time

import numpy as np
import typer

app = typer.Typer(
    name="geoent",
    help="Entropy-aware exact computational geometry: hulls, Delaunay, entropy.",
    no_args_is_help=True,
    add_completion=False,
)


def _kernel_warmups():
    """One tiny call per kernel family, so its compile (or cache-load) time shows."""
    from . import predicates
    from .hull import convex_hull

    p = np.array([[0.0, 0.0]])
    q = np.array([[1.0, 0.0]])
    r = np.array([[0.0, 1.0]])
    s = np.array([[1.0, 1.0]])
    p3, q3, r3, s3, t3 = np.eye(3)[[0]], np.eye(3)[[1]], np.eye(3)[[2]], -np.eye(3)[[0]], np.zeros((1, 3))
    return {
        "predicates.orient2d": lambda: predicates.orient2d(p, q, r),
        "predicates.incircle": lambda: predicates.incircle(p, q, r, s),
        "predicates.orient3d": lambda: predicates.orient3d(p3, q3, r3, s3),
        "predicates.insphere": lambda: predicates.insphere(p3, q3, r3, s3, t3),
        "hull2d": lambda: convex_hull(np.random.default_rng(0).random((64, 2))),
    }


@app.command()
def info():
    """Versions, numba threading layer and kernel compile (or cache-load) times."""
    import numba
    import scipy
    import shapely

    from . import __version__

    typer.echo(f"geoent      {__version__}")
    typer.echo(f"python      {platform.python_version()} ({platform.machine()})")
    typer.echo(f"numpy       {np.__version__}")
    typer.echo(f"scipy       {scipy.__version__}")
    typer.echo(f"shapely     {shapely.__version__}")
    typer.echo(f"numba       {numba.__version__}")
    try:
        import torch

        typer.echo(f"torch       {torch.__version__}")
    except ImportError:
        typer.echo("torch       not installed (pip install 'geoent[torch]')")
    typer.echo(f"threads     {numba.get_num_threads()} (numba)")
    typer.echo("kernel first-call times (compile, or load from numba's cache):")
    for name, fn in _kernel_warmups().items():
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        fn()
        t2 = time.perf_counter()
        typer.echo(f"  {name:<22} first {t1 - t0:8.3f} s   warm {1e6 * (t2 - t1):9.1f} us")
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "not yet chosen (no parallel kernel has run)"
    typer.echo(f"threading   {layer}")


@app.command()
def demo(n: int = typer.Option(1_000_000, help="Points per generated data set.")):
    """Hulls of generated point sets, exact, timed against scipy.

    A small first version of the demo; later it grows into the full report.
    """
    from scipy.spatial import ConvexHull as ScipyHull

    from .datasets import make_points
    from .hull import convex_hull

    convex_hull(make_points("uniform", 100))  # compile (or load) before timing
    typer.echo(f"{'distribution':<14}{'n':>10}{'h':>8}{'geoent':>12}{'scipy':>12}{'same':>7}")
    for name in ("uniform", "disk", "gaussian", "circle", "kuzmin"):
        pts = make_points(name, n, seed=1)
        t0 = time.perf_counter()
        ours = convex_hull(pts)
        t1 = time.perf_counter()
        theirs = ScipyHull(pts).vertices
        t2 = time.perf_counter()
        same = set(ours.tolist()) == set(theirs.tolist())
        typer.echo(
            f"{name:<14}{n:>10}{len(ours):>8}{1e3 * (t1 - t0):>10.1f}ms{1e3 * (t2 - t1):>10.1f}ms"
            f"{'yes' if same else 'no':>7}"
        )


def main():
    app()


if __name__ == "__main__":
    main()
