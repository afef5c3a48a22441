"""Compile (or load from numba's cache) each kernel family up front.

geoent's kernels are compiled ahead of time when geoent is installed (``setup.py``,
``geoent._aot``); those that are not (parallel kernels, the 2D hull filters of inputs
over 4,096 points, and every kernel where the build did not happen or is stale) are
compiled by numba on their first call and cached on disk (``NUMBA_CACHE_DIR``, else
next to the sources); the ``large`` family's calls reach the former. A container
build or a CI image can pay the compile once with ``geoent warmup`` (or
:func:`warm`), so the first real call only loads machine code.
:func:`fresh_process_times` measures a family as a new user meets it: a fresh
process with an empty cache (cold), then a fresh process with the cache the first
one wrote (cached).

Examples
--------
>>> from geoent import warmup
>>> list(warmup.FAMILIES)[:3]
['hull2d', 'batched', 'hull3d']
>>> warmup.warm("hull2d") >= 0.0
True
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

__all__ = ["FAMILIES", "family_call", "fresh_process_times", "warm", "warm_many"]

#: Kernel family -> what its warm-up call does (the public call that compiles it).
FAMILIES = {
    "hull2d": "convex_hull on 1,000 2D points",
    "batched": "convex_hulls on 100 sets of 10 points",
    "hull3d": "ConvexHull on 1,000 3D points",
    "delaunay": "delaunay on 1,000 2D points",
    "entropy": "range_partition_entropy on 1,000 2D points",
    "instance_optimal": 'convex_hull(method="instance_optimal") on 1,000 points',
    "predicates": "orient2d, incircle, orient3d, insphere on 1,000 rows",
    "delaunay3d": "delaunay and Delaunay (find_simplex) on 1,000 3D points",
    "voronoi": "Voronoi on 1,000 2D and on 1,000 3D points, with their regions",
    "interpolate": "griddata (linear, cubic) on 1,000 2D points and linear on 1,000 3D points",
    "large": "kernels never compiled ahead of time: convex_hull on 100,000 points "
    "(filters), convex_hulls on 30,000 sets of 4 and range_partition_entropy on "
    "1,000,000 points (parallel), delaunay (2D and 3D) and ConvexHull on 200,000 "
    "points (interruptible calls run the JIT kernels; Voronoi and interpolation on "
    "200,000 points or more compile on their first such call)",
}


def family_call(name):
    """A function of no argument making the family's warm-up call (data made here)."""
    import numpy as np

    if name not in FAMILIES:
        raise ValueError(f"unknown kernel family {name!r}; known: {', '.join(FAMILIES)}")
    rng = np.random.default_rng(0)
    p2, p3 = rng.random((1000, 2)), rng.random((1000, 3))
    offs = np.arange(0, 1001, 10)
    rows2 = [rng.random((1000, 2)) for _ in range(4)]
    rows3 = [rng.random((1000, 3)) for _ in range(5)]
    import geoent as g

    if name == "large":
        from ._interrupt import MIN_POINTS
        from .entropy import _PARALLEL_FROM

        big, sets = rng.random((100_000, 2)), rng.random((30_000, 4, 2))
        many = rng.random((_PARALLEL_FROM, 2))
        long2, long3 = rng.random((MIN_POINTS, 2)), rng.random((MIN_POINTS, 3))

        def large():
            g.convex_hull(big)
            g.convex_hulls(sets)
            g.range_partition_entropy(many)
            g.delaunay(long2)
            g.delaunay(long3)
            g.ConvexHull(long3)

        return large

    def predicates():
        g.predicates.orient2d(*rows2[:3])
        g.predicates.incircle(*rows2)
        g.predicates.orient3d(*rows3[:4])
        g.predicates.insphere(*rows3)

    def delaunay3d():
        g.delaunay(p3)
        g.Delaunay(p3).find_simplex(rows3[0][:50])

    def voronoi():
        return g.Voronoi(p2).regions, g.Voronoi(p3).regions  # regions: built on first use

    def interpolate():
        from geoent.interpolate import griddata

        q2, q3 = rows2[0][:50], rows3[0][:50]
        griddata(p2, p2[:, 0], q2, method="linear")
        griddata(p2, p2[:, 0], q2, method="cubic")
        griddata(p3, p3[:, 0], q3, method="linear")

    return {
        "hull2d": lambda: g.convex_hull(p2),
        "batched": lambda: g.convex_hulls(p2, offs),
        "hull3d": lambda: g.ConvexHull(p3),
        "delaunay": lambda: g.delaunay(p2),
        "entropy": lambda: g.range_partition_entropy(p2),
        "instance_optimal": lambda: g.convex_hull(p2, method="instance_optimal"),
        "predicates": predicates,
        "delaunay3d": delaunay3d,
        "voronoi": voronoi,
        "interpolate": interpolate,
    }[name]


def warm(name):
    """Make the family's warm-up call in this process; its wall time in seconds
    (compile time on an empty cache, load time on a filled one)."""
    fn = family_call(name)
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


#: Rough cold-compile cost order (largest first, issue 13's table): parallel jobs
#: take the families round-robin in this order, so each gets a similar share.
_COST_ORDER = (
    "large",
    "instance_optimal",
    "batched",
    "hull3d",
    "predicates",
    "voronoi",
    "delaunay3d",
    "interpolate",
    "delaunay",
    "entropy",
    "hull2d",
)

_WARM_CHILD = """
import sys
from geoent.warmup import warm
for name in sys.argv[1:]:
    warm(name)
"""


def warm_many(names, jobs=1, echo=None):
    """Warm the families ``names`` with ``jobs`` processes at once; ``{name: seconds}``.

    With ``jobs > 1`` the families are shared round-robin (largest first) between
    this process and ``jobs - 1`` child processes, which compile their share into
    numba's cache (same environment, so the same cache folder) while this one
    compiles its own; then this process loads theirs from the cache. ``echo(name,
    seconds)`` is called per family as it finishes here (a child's family: its
    load time here, after the child is done). On one core this is no faster.
    """
    names = list(names)
    jobs = max(1, min(int(jobs), len(names)))
    rank = {n: i for i, n in enumerate(_COST_ORDER)}
    ordered = sorted(names, key=lambda n: rank.get(n, len(rank)))
    groups = [ordered[k::jobs] for k in range(jobs)]
    procs = []
    for group in groups[1:]:
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", _WARM_CHILD, *group],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    out = {}
    for name in groups[0]:
        out[name] = warm(name)
        if echo is not None:
            echo(name, out[name])
    for p in procs:
        p.wait()  # a failed child only means this process compiles its families
    for group in groups[1:]:
        for name in group:
            out[name] = warm(name)
            if echo is not None:
                echo(name, out[name])
    return {n: out[n] for n in names}


_CHILD = """
import json, sys, time
from geoent.warmup import family_call
fn = family_call(sys.argv[1])
w, c = time.perf_counter(), time.process_time()
fn()
print("GEOENT_WARM " + json.dumps([time.perf_counter() - w, time.process_time() - c]))
"""


def _child(name, cache):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, name], env=env, capture_output=True, text=True
    )
    for line in proc.stdout.splitlines():
        if line.startswith("GEOENT_WARM "):
            return tuple(json.loads(line.split(" ", 1)[1]))
    raise RuntimeError(f"warm-up of {name} failed in a child process:\n{proc.stderr}")


def fresh_process_times(name):
    """``{"cold": (wall, cpu), "cached": (wall, cpu)}`` seconds of the family's first
    call in a fresh process with an empty numba cache, then in another fresh process
    with the cache the first one wrote (the cache is a temporary folder, removed after)."""
    if name not in FAMILIES:
        raise ValueError(f"unknown kernel family {name!r}; known: {', '.join(FAMILIES)}")
    with tempfile.TemporaryDirectory(prefix="geoent-cold-") as cache:
        cold = _child(name, cache)
        cached = _child(name, cache)
    return {"cold": cold, "cached": cached}
