"""The ``geoent`` command line.

Each subcommand is a thin shell over a library function; see ``geoent --help``.
"""

from __future__ import annotations

import platform
import time
from pathlib import Path
from typing import Annotated

import numpy as np
import typer

app = typer.Typer(
    name="geoent",
    help="Entropy-aware exact computational geometry: hulls, Delaunay, entropy.",
    no_args_is_help=True,
    add_completion=False,
)


_AOT_STATUS = {
    "aot": "in use (compiled when geoent was installed)",
    "jit-only": "not used (GEOENT_JIT_ONLY is set): numba's JIT",
    "missing": "not built (no C compiler at install, or run from a source tree): numba's JIT",
    "stale": "built from other kernel sources, ignored: numba's JIT (rebuild: pip install -e .)",
    "broken": "failed to load: numba's JIT",
}


@app.command()
def info(
    cold: Annotated[
        bool,
        typer.Option(
            "--cold",
            help="Also time each family in fresh processes: empty cache, then cached "
            "(about a minute or more: it compiles everything).",
        ),
    ] = False,
):
    """Versions, numba threading layer and kernel compile (or cache-load) times."""
    import numba
    import shapely

    from . import __version__

    typer.echo(f"geoent      {__version__}")
    typer.echo(f"python      {platform.python_version()} ({platform.machine()})")
    typer.echo(f"numpy       {np.__version__}")
    try:
        import scipy

        typer.echo(f"scipy       {scipy.__version__}")
    except ImportError:
        typer.echo("scipy       not installed (benchmark peer: pip install 'geoent[bench]')")
    typer.echo(f"shapely     {shapely.__version__}")
    typer.echo(f"numba       {numba.__version__}")
    try:
        import torch

        typer.echo(f"torch       {torch.__version__}")
    except ImportError:
        typer.echo("torch       not installed (pip install 'geoent[torch]')")
    from ._kernels import get_num_threads  # chooses geoent's threading layer first

    typer.echo(f"threads     {get_num_threads()} (numba)")
    from numba.core.event import install_recorder

    from . import _aot
    from .warmup import FAMILIES, family_call, fresh_process_times

    typer.echo(f"numba cache {numba.config.CACHE_DIR or '(next to the sources)'}")
    typer.echo(f"AOT kernels {_AOT_STATUS.get(_aot.status(), _aot.status())}")
    typer.echo("kernel families, in this process: first call (ahead-of-time kernels, or")
    typer.echo("numba's compile or cache load: 'jit N' = N kernels compiled or loaded) and")
    typer.echo("second call")
    for name in FAMILIES:
        fn = family_call(name)
        with install_recorder("numba:compile") as rec:
            t0 = time.perf_counter()
            fn()
            t1 = time.perf_counter()
        fn()
        t2 = time.perf_counter()
        jit = sum(1 for _, ev in rec.buffer if ev.is_start)
        how = f"jit {jit}" if jit else "aot"
        typer.echo(
            f"  {name:<17} first {t1 - t0:8.3f} s   second {1e3 * (t2 - t1):9.3f} ms   {how}"
        )
    if cold:
        typer.echo("in fresh processes, wall (cpu) s: cold = empty cache, cached = filled")
        for name in FAMILIES:
            r = fresh_process_times(name)
            (cw, cc), (kw, kc) = r["cold"], r["cached"]
            typer.echo(f"  {name:<17} cold {cw:7.2f} ({cc:6.2f})   cached {kw:6.3f} ({kc:6.3f})")
    try:
        layer = numba.threading_layer()
    except ValueError:
        layer = "not yet chosen (no parallel kernel has run)"
    typer.echo(f"threading   {layer}")


@app.command()
def warmup(
    families: Annotated[
        str | None, typer.Option(help="Comma-separated families (default: all).")
    ] = None,
    list_only: Annotated[
        bool, typer.Option("--list", help="List the kernel families and exit.")
    ] = False,
    jobs: Annotated[
        int, typer.Option(help="Processes compiling at once (e.g. the number of cores).")
    ] = 1,
):
    """Compile every kernel family into numba's cache (for container and CI builds).

    Run it where the cache will live (NUMBA_CACHE_DIR, else next to the sources), as
    the user that will run geoent; later processes then load machine code instead
    of compiling. One progress line per family. With --jobs N, N processes compile
    families at once (each compile is single-threaded).
    """
    from .warmup import FAMILIES, warm, warm_many

    if list_only:
        for name, what in FAMILIES.items():
            typer.echo(f"{name:<17} {what}")
        return
    names = [f.strip() for f in families.split(",") if f.strip()] if families else list(FAMILIES)
    unknown = [f for f in names if f not in FAMILIES]
    if unknown:
        _fail(f"unknown families {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    if jobs < 1:
        _fail(f"--jobs must be at least 1, got {jobs}")
    if jobs > 1:
        t0 = time.perf_counter()
        done = []

        def line(name, dt):
            done.append(name)
            typer.echo(f"[{len(done)}/{len(names)}] {name:<17} {dt:7.2f} s")

        warm_many(names, jobs, echo=line)
        wall = time.perf_counter() - t0
        typer.echo(f"warm: {len(names)} families in {wall:.1f} s wall with {jobs} processes")
        return
    total = 0.0
    for k, name in enumerate(names, 1):
        typer.echo(f"[{k}/{len(names)}] {name:<17} ...", nl=False)
        dt = warm(name)
        total += dt
        typer.echo(f" {dt:7.2f} s")
    typer.echo(f"warm: {len(names)} families in {total:.1f} s")


@app.command()
def demo(
    n: Annotated[int, typer.Option(help="Points per generated data set.")] = 100_000,
    out: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("geoent-demo"),
    seed: Annotated[int, typer.Option(help="Seed of the generated sets.")] = 0,
    delaunay_n: Annotated[
        int, typer.Option(help="Points per generated set in the Delaunay step (at most --n).")
    ] = 50_000,
):
    """Exact hulls, Delaunay, entropy and EntropyNet's hint on real and generated data.

    Times geoent against scipy, shapely, triangle and CGAL in one process (a peer
    whose first call on a set takes over 0.3 s is timed by that call alone, marked
    *), checks every result against the exact answer, and writes demo.png and
    report.md to --out. Optional pieces that are missing are skipped with a note.
    """
    try:
        import scipy  # noqa: F401  (the demo times geoent against scipy's Qhull)

        from .demo import run_demo
    except ImportError as exc:
        _fail(f"geoent demo needs the bench extra ({exc}): pip install 'geoent[bench]'")
    if n < 16:
        _fail(f"--n must be at least 16, got {n}")
    if delaunay_n < 16:
        _fail(f"--delaunay-n must be at least 16, got {delaunay_n}")
    run_demo(n=n, out=out, seed=seed, delaunay_n=delaunay_n, echo=typer.echo)


def _fail(message: str, code: int = 2):
    """One line on stderr, no traceback, a non-zero exit code."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def bench(
    quick: Annotated[bool, typer.Option("--quick", help="A run of about a minute.")] = False,
    suite: Annotated[
        list[str] | None,
        typer.Option(
            help="Suite(s): hull2d, batched, hull3d, delaunay, delaunay3d, voronoi, "
            "interpolate, entropy, entropynet."
        ),
    ] = None,
    sizes: Annotated[str | None, typer.Option(help="Comma-separated sizes, e.g. 1e4,1e6.")] = None,
    distributions: Annotated[
        str | None, typer.Option(help="Comma-separated distributions (default: the suite's).")
    ] = None,
    rounds: Annotated[int | None, typer.Option(help="Timed rounds (default 5, quick 3).")] = None,
    threads: Annotated[int | None, typer.Option(help="numba threads for the run.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated inputs.")] = 0,
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write rows and metadata as JSON.")
    ] = None,
    markdown: Annotated[Path | None, typer.Option(help="Write a markdown report.")] = None,
    plot: Annotated[
        Path | None, typer.Option(help="Write a PNG: time vs n, a panel per suite.")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
):
    """Benchmark geoent against scipy, shapely, triangle (and CGAL if importable)."""
    import sys

    try:
        import scipy  # noqa: F401  (the reference peer of every ratio)
    except ImportError as exc:
        _fail(f"geoent bench needs the bench extra ({exc}): pip install 'geoent[bench]'")
    from . import bench as B
    from .bench import report

    try:
        size_list = B.parse_sizes(sizes) if sizes else None
        result = B.run_bench(
            suite or None,
            sizes=size_list,
            distributions=distributions.split(",") if distributions else None,
            quick=quick,
            rounds=rounds,
            threads=threads,
            seed=seed,
            progress=progress,
            command="geoent " + " ".join(sys.argv[1:]) if sys.argv[1:] else "geoent bench",
        )
    except ValueError as exc:
        _fail(str(exc))
    typer.echo(B.format_table(result.rows))
    for note in result.meta["notes"]:
        typer.echo(f"note: {note}")
    if json_path:
        json_path.write_text(result.to_json(), encoding="utf-8")
        typer.echo(f"json: {json_path}")
    if markdown:
        markdown.write_text(B.to_markdown(result), encoding="utf-8")
        typer.echo(f"markdown: {markdown}")
    if plot:
        try:
            report.plot(plot, result.rows)
            typer.echo(f"plot: {plot}")
        except (ImportError, ValueError) as exc:
            typer.echo(f"plot skipped: {exc}", err=True)


def _read_or_fail(path: Path, ndim):
    from .errors import InputError
    from .io import read_points

    try:
        return read_points(path, ndim=ndim)
    except InputError as exc:
        _fail(str(exc))


#: -o's overwrite policy, stated in --help
_REPLACE = " An existing file is replaced (and the output says so); the input file never is."


def _check_output(path: Path | None, source: Path | None = None):
    """Fail before computing when the output's format is unknown or the output is
    the input file itself (never overwritten: the points would be lost)."""
    from .io import WRITE_FORMATS

    if path is not None and path.suffix.lower() not in WRITE_FORMATS:
        _fail(
            f"{path}: cannot write {path.suffix or 'files without a suffix'}; "
            f"expected one of {', '.join(WRITE_FORMATS)}"
        )
    if path is not None and source is not None and _same_file(path, source):
        _fail(f"{path}: is the input file; refusing to overwrite it (choose another -o)")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return a.resolve() == b.resolve()


def _written(what: str, path: Path, existed: bool) -> str:
    return f"{what} written to {path}" + (" (replaced the existing file)" if existed else "")


def _write_or_fail(writer, path: Path, *args):
    from .errors import InputError

    try:
        writer(path, *args)
    except InputError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")


def _plot_or_fail(path: Path, pts, **kw):
    """Write a picture of ``pts`` (matplotlib is the optional plot extra)."""
    try:
        from .plotting import plot_points

        plot_points(path, pts, **kw)
    except ImportError as exc:
        _fail(str(exc))
    typer.echo(f"picture written to {path}")


@app.command()
def hull(
    file: Annotated[
        Path,
        typer.Argument(
            help="Points: .npy, .csv, .txt, .geojson/.json, .wkt, or a zarr array (n, 2|3) "
            "(read chunk by chunk); or geometries: GeoParquet (.parquet) or GeoPackage "
            "(.gpkg), one hull per row."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the hull (.npy/.csv/.geojson); for geometries the table with "
            "each geometry replaced by its hull (.parquet/.gpkg/.geojson)." + _REPLACE,
        ),
    ] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of the points and hull.")] = None,
    method: Annotated[str, typer.Option(help="Hull algorithm (see geoent.convex_hull).")] = "auto",
    progress: Annotated[
        bool, typer.Option("--progress", help="Show dask's progress bar (zarr input).")
    ] = False,
):
    """Exact convex hull of the points in FILE (2D or 3D), or of every geometry in it."""
    from .errors import GeometryError, InputError
    from .geofiles import is_geofile, is_zarr
    from .hull import convex_hull
    from .io import write_hull

    if output is not None and _same_file(output, file):
        _fail(f"{output}: is the input file; refusing to overwrite it (choose another -o)")
    if is_geofile(file) or is_zarr(file):
        if plot:
            _fail("--plot: available for point files that fit in memory")
        if method != "auto":
            _fail("--method: available for point files that fit in memory")
        if is_zarr(file):
            _hull_zarr(file, output, progress)
        else:
            _hull_geofile(file, output)
        return
    _check_output(output, file)
    pts = _read_or_fail(file, (2, 3))
    t0 = time.perf_counter()
    try:
        idx = convex_hull(pts, method=method)
    except (InputError, GeometryError, ValueError) as exc:
        _fail(str(exc).splitlines()[0])
    dt = time.perf_counter() - t0
    typer.echo(
        f"{file}: {len(pts):,} points in {pts.shape[1]}D, {len(idx)} hull vertices "
        f"({1e3 * dt:.1f} ms including compilation on a first run)"
    )
    if output:
        existed = output.exists()
        _write_or_fail(write_hull, output, pts, idx)
        typer.echo(_written("hull", output, existed))
    else:
        more = " ..." if len(idx) > 50 else ""
        typer.echo("vertices: " + " ".join(map(str, np.asarray(idx)[:50].tolist())) + more)
    if plot:
        _plot_or_fail(plot, pts, hull=idx, title=f"{file.name}: {len(idx)} hull vertices")


def _hull_zarr(file: Path, output: Path | None, progress: bool):
    from .errors import InputError
    from .geofiles import hull_zarr

    t0 = time.perf_counter()
    try:
        idx, _, shape = hull_zarr(file, output, progress=progress)
    except InputError as exc:
        _fail(str(exc).splitlines()[0])
    dt = time.perf_counter() - t0
    typer.echo(
        f"{file}: {shape[0]:,} points in {shape[1]}D (zarr), {len(idx)} hull vertices ({dt:.2f} s)"
    )
    if output:
        typer.echo(f"hull written to {output}")
    else:
        more = " ..." if len(idx) > 50 else ""
        typer.echo("vertices: " + " ".join(map(str, idx[:50].tolist())) + more)


def _hull_geofile(file: Path, output: Path | None):
    from .errors import InputError
    from .geofiles import hull_geofile

    t0 = time.perf_counter()
    try:
        table = hull_geofile(file, output)
    except InputError as exc:
        _fail(str(exc).splitlines()[0])
    dt = time.perf_counter() - t0
    kinds = table.geometry.geom_type.fillna("None").value_counts()
    counts = ", ".join(f"{int(c)} {k}" for k, c in kinds.items())
    typer.echo(f"{file}: {len(table):,} geometries, one hull each ({dt:.2f} s): {counts}")
    if output:
        typer.echo(f"hulls written to {output}")
    else:
        typer.echo("hulls not written (give --output .parquet/.gpkg/.geojson)")


@app.command()
def delaunay(
    file: Annotated[
        Path, typer.Argument(help="2D points: .npy, .csv, .txt, .geojson/.json or .wkt.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the triangles (.npy/.csv/.geojson)." + _REPLACE),
    ] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG of the triangulation.")] = None,
):
    """Exact Delaunay triangulation of the 2D points in FILE."""
    from .errors import GeometryError, InputError
    from .io import write_triangles
    from .triangulation import delaunay as triangulate

    _check_output(output, file)
    pts = _read_or_fail(file, 2)
    t0 = time.perf_counter()
    try:
        tri = np.asarray(triangulate(pts))
    except (InputError, GeometryError, ValueError) as exc:
        _fail(str(exc).splitlines()[0])
    dt = time.perf_counter() - t0
    typer.echo(
        f"{file}: {len(pts):,} points, {len(tri):,} triangles "
        f"({1e3 * dt:.1f} ms including compilation on a first run)"
    )
    if output:
        existed = output.exists()
        _write_or_fail(write_triangles, output, pts, tri)
        typer.echo(_written("triangles", output, existed))
    if plot:
        _plot_or_fail(plot, pts, triangles=tri, title=f"{file.name}: {len(tri):,} triangles")


@app.command()
def train(
    config: Annotated[
        Path | None, typer.Option(help="JSON file of training options (flags override it).")
    ] = None,
    steps: Annotated[int | None, typer.Option(help="Optimiser steps.")] = None,
    batch: Annotated[int | None, typer.Option(help="Point sets per step.")] = None,
    n_points: Annotated[int | None, typer.Option(help="Points per training set.")] = None,
    lr: Annotated[float | None, typer.Option(help="Adam learning rate.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of data and initial weights.")] = None,
    threads: Annotated[int | None, typer.Option(help="torch threads (0: torch's own).")] = None,
    out: Annotated[
        Path, typer.Option(help="Weights file (state dict + .json sidecar; <out>.ckpt to resume).")
    ] = Path("entropynet.pt"),
    resume: Annotated[
        Path | None, typer.Option(help="Continue from a checkpoint written by an earlier run.")
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
):
    """Train EntropyNet (seeded, resumable; needs torch)."""
    import json

    try:
        from .torch.training import TrainConfig
        from .torch.training import train as run_training
    except ImportError as exc:
        _fail(str(exc))
    opts = {}
    if config is not None:
        try:
            opts = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            _fail(f"cannot read config {config}: {exc}")
    given = dict(steps=steps, batch=batch, n_points=n_points, lr=lr, seed=seed, threads=threads)
    opts.update({k: v for k, v in given.items() if v is not None})
    opts["out"] = str(out)
    try:
        # resuming keeps the checkpoint's options except those given here
        cfg = opts if resume is not None else TrainConfig.from_dict(opts)
    except (TypeError, ValueError) as exc:
        _fail(str(exc))
    t0 = time.perf_counter()
    _, history = run_training(cfg, resume=resume, progress=progress)
    last = history[-1] if history else {}
    typer.echo(
        f"trained in {time.perf_counter() - t0:.1f} s; weights: {out} (+ .json); "
        f"checkpoint: {out}.ckpt"
    )
    if last:
        typer.echo(
            "validation: survivors {val_survivors:.4f} (evenly spaced {val_survivors_even:.4f}), "
            "ratio {val_ratio:.3f}".format(**last)
        )


@app.command()
def entropy(
    file: Annotated[
        Path, typer.Argument(help="2D points: .npy, .csv, .txt, .geojson/.json or .wkt.")
    ],
    plot: Annotated[
        Path | None, typer.Option(help="Write a PNG of the partition and its triangles.")
    ] = None,
    upper: Annotated[
        bool, typer.Option("--upper", help="Certify triangles below the upper hull.")
    ] = False,
):
    """Certified range-partition entropy of the 2D points in FILE.

    Prints an upper bound on the structural entropy H (nats): the entropy of a
    respectful partition, built and then checked with exact predicates.
    """
    from .entropy import is_respectful, plot_partition, range_partition_entropy
    from .errors import InputError

    pts = _read_or_fail(file, 2)
    t0 = time.perf_counter()
    try:
        res = range_partition_entropy(pts, upper=upper)
    except InputError as exc:
        _fail(str(exc).splitlines()[0])
    dt = time.perf_counter() - t0
    n = len(pts)
    sizes = np.sort(res.sizes)[::-1]
    kind = "below the upper hull" if upper else "inside the hull"
    typer.echo(f"{file}: {n:,} points")
    typer.echo(
        f"entropy     {res.entropy:.6f} nats ({res.entropy / np.log(2):.6f} bits), "
        f"an upper bound on the structural entropy H; ln n = {np.log(n):.4f}"
    )
    typer.echo(
        f"partition   {res.n_parts:,} parts: {len(res.triangles):,} in triangles {kind}, "
        f"{res.n_singletons:,} singletons; largest parts "
        + ", ".join(f"{int(v):,}" for v in sizes[:5])
    )
    if n <= 2_000_000:
        ok = is_respectful(pts, res.labels, res.triangles, upper=upper, steiner=res.steiner)
        verdict = "yes" if ok else "NO"
        typer.echo(f"certified   {verdict} (every part checked with exact predicates)")
        if not ok:
            _fail("the partition failed its exact check; please report this", code=1)
    else:
        typer.echo("certified   not re-checked above 2,000,000 points (run geoent.is_respectful)")
    typer.echo(f"time        {1e3 * dt:.1f} ms (including compilation on a first run)")
    if plot:
        try:
            plot_partition(plot, pts, res)
        except ImportError as exc:
            _fail(str(exc))
        except OSError as exc:
            _fail(f"cannot write {plot}: {exc.strerror or exc}")
        typer.echo(f"picture written to {plot}")


experiment_app = typer.Typer(
    help="Reproductions of published claims (needs the torch and plot extras).",
    no_args_is_help=True,
)
app.add_typer(experiment_app, name="experiment")


@experiment_app.command("regularizers")
def experiment_regularizers(
    out: Annotated[Path, typer.Option(help="Directory for the report, JSON and PNGs.")] = Path(
        "regularizers-report"
    ),
    seeds: Annotated[int, typer.Option(help="Training seeds per method.")] = 5,
    only: Annotated[
        str | None,
        typer.Option(help="Comma-separated subset of: sparsity, calibration, attention."),
    ] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Two epochs: checks the pipeline, not the claims.")
    ] = False,
    threads: Annotated[int, typer.Option(help="torch threads for the run.")] = 1,
    plot: Annotated[bool, typer.Option(help="Write the PNGs (needs matplotlib).")] = True,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
):
    """Reproduce the entropy-regulariser claims on the shipped digits (needs torch).

    Configuration entropy, MIN-ENT / MIX-ENT and attention entropy, several seeds each;
    writes a markdown report, a JSON file and PNGs to --out (docs/regularizers.md).
    """
    import sys

    try:
        from .torch.experiments import run_regularizers
    except ImportError as exc:
        _fail(f"{exc} (pip install 'geoent[torch]')")
    if seeds < 1:
        _fail(f"--seeds must be at least 1, got {seeds}")
    if threads < 1:
        _fail(f"--threads must be at least 1, got {threads}")
    try:
        report = run_regularizers(
            out,
            experiments=only.split(",") if only else None,
            seeds=seeds,
            quick=quick,
            threads=threads,
            progress=progress,
            plots=plot,
            command="geoent " + " ".join(sys.argv[1:]),
        )
    except ValueError as exc:
        _fail(str(exc))
    except ImportError as exc:
        _fail(f"{exc} (pip install 'geoent[plot]', or pass --no-plot)")
    typer.echo(report["markdown"])
    for kind, path in sorted(report["files"].items()):
        typer.echo(f"{kind}: {path}")


def main():
    app()


if __name__ == "__main__":
    main()
