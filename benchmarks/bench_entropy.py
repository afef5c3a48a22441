"""Time of the certified entropy (construction, and its exact check), and the work table.

Timing::

    python -m pytest benchmarks/bench_entropy.py --benchmark-enable

Sizes: 1e5 and 1e6 points (``GEOENT_BENCH_ENTROPY_SIZES``, e.g. ``1e6,1e7``), on the
uniform, circle, clustered and Kuzmin distributions. ``extra_info`` carries the
certified entropy and the number of parts. With ``--benchmark-disable`` (CI) each case
runs once on a few hundred points and checks the certificate exactly. The evidence that
the entropy predicts the instance-optimal hull's work is ``benchmarks/entropy_work.py``
(a script: a table and a plot); its measurement function is checked here at a tiny size.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import geoent

DISTS = ("uniform", "circle", "clusters", "kuzmin")
SIZES = tuple(
    int(float(s)) for s in os.environ.get("GEOENT_BENCH_ENTROPY_SIZES", "1e5,1e6").split(",")
)


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dist", DISTS)
@pytest.mark.parametrize("upper", [False, True], ids=["hull", "upper"])
def test_range_partition_entropy(benchmark, shrink, points_cache, dist, n, upper):
    pts = points_cache(dist, shrink(n, 300))
    geoent.range_partition_entropy(pts[:64], upper=upper)  # compile or load first
    res = benchmark(geoent.range_partition_entropy, pts, upper=upper)
    benchmark.extra_info.update(entropy=res.entropy, parts=res.n_parts, n=len(pts))
    if len(pts) <= 200_000:
        assert geoent.is_respectful(
            pts, res.labels, res.triangles, upper=upper, steiner=res.steiner
        )


@pytest.mark.parametrize("dist", ("uniform", "circle"))
def test_is_respectful(benchmark, shrink, points_cache, dist):
    pts = points_cache(dist, shrink(1_000_000, 300))
    res = geoent.range_partition_entropy(pts)
    assert benchmark(geoent.is_respectful, pts, res.labels, res.triangles)


def test_entropy_work_table(bench_disabled):
    """The work script measures what it says (examined >= n, ratio finite)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import entropy_work

    n = 300 if bench_disabled else 100_000
    rows = entropy_work.measure([n], families=["clusters_in_triangle", "circle"], progress=None)
    assert [r["family"] for r in rows] == ["clusters_in_triangle", "circle"]
    for r in rows:
        assert r["examined"] >= r["n"] and 0 < r["ratio"] < 10
    assert rows[0]["entropy"] == 0.0  # everything in the frame triangle
    assert rows[1]["entropy"] > rows[0]["entropy"]
