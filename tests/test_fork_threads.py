"""Processes and threads after parallel kernels (issue 18, item 1).

numba's GNU OpenMP layer kills a forked child that launches a parallel region, so
a fork-start ``multiprocessing.Pool`` used after ``convex_hulls`` or a large
``range_partition_entropy`` waited forever. The scripts run in a subprocess with a
timeout, so a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import geoent
from geoent import entropy as _entropy

_SRC = str(Path(geoent.__file__).resolve().parents[1])

_FORK_SCRIPT = textwrap.dedent(
    """
    import multiprocessing as mp
    import numba
    import numpy as np
    import geoent
    from geoent import entropy

    entropy._PARALLEL_FROM = 2000  # the parallel location kernel, on a small input
    rng = np.random.default_rng(0)
    pts = rng.random((4000, 2))
    offs = np.arange(0, 4001, 20)
    big = rng.random((3000, 2))

    def work(i):
        idx, io = geoent.convex_hulls(pts, offs)
        h = geoent.range_partition_entropy(big[: 2500 + 10 * i])
        return i, int(io[-1]), h.n_parts

    if __name__ == "__main__":
        idx, io = geoent.convex_hulls(pts, offs)         # parallel kernel 1
        h = geoent.range_partition_entropy(big)          # parallel kernel 2
        print("layer", numba.threading_layer())
        with mp.get_context("fork").Pool(2) as pool:
            res = pool.map_async(work, range(6)).get(timeout=120)
        assert sorted(r[0] for r in res) == list(range(6)), res
        assert all(r[1] == int(io[-1]) for r in res), (res, int(io[-1]))
        print("ok", len(res))
    """
)


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method is Linux's default")
def test_fork_pool_after_parallel_kernels(tmp_path):
    script = tmp_path / "fork_after_parallel.py"
    script.write_text(_FORK_SCRIPT)
    env = dict(os.environ)
    env["PYTHONPATH"] = _SRC + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("NUMBA_THREADING_LAYER", None)  # geoent's own choice is under test
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, env=env
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ok 6" in out.stdout
    layer = out.stdout.split()[1]
    assert layer in ("tbb", "workqueue"), out.stdout


def test_parallel_kernels_from_many_threads(monkeypatch):
    # workqueue aborts the process when two threads launch parallel regions at once;
    # geoent serialises its parallel kernels, so concurrent calls must all succeed
    # and agree with a single-threaded run.
    monkeypatch.setattr(_entropy, "_PARALLEL_FROM", 2000)
    rng = np.random.default_rng(3)
    pts = rng.random((20000, 2))
    offs = np.arange(0, 20001, 20)
    big = rng.random((5000, 2))
    ref_hulls = geoent.convex_hulls(pts, offs)
    ref_h = geoent.range_partition_entropy(big)

    def call(i):
        if i % 2:
            return geoent.convex_hulls(pts, offs)
        return geoent.range_partition_entropy(big)

    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(call, range(16)))
    for i, r in enumerate(results):
        if i % 2:
            np.testing.assert_array_equal(r[0], ref_hulls[0])
            np.testing.assert_array_equal(r[1], ref_hulls[1])
        else:
            assert r.n_parts == ref_h.n_parts
            np.testing.assert_array_equal(r.labels, ref_h.labels)
