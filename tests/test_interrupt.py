"""Ctrl-C during a long ``delaunay`` (issue 18): a plain ``KeyboardInterrupt``
promptly, never ``SystemError ... returned a result with an exception set``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import geoent
from geoent._interrupt import interruptible

_SRC = str(Path(geoent.__file__).resolve().parents[1])

_CHILD = textwrap.dedent(
    """
    import sys, time
    import numpy as np
    import geoent
    import geoent._interrupt

    kind, n = sys.argv[1], int(sys.argv[2])
    rng = np.random.default_rng(0)
    call = geoent.delaunay if kind == "delaunay" else geoent.range_partition_entropy
    pts = rng.random((n, 2))
    call(pts[:300_000].copy())  # compile and warm, above the worker-thread threshold
    print("start", flush=True)
    t0 = time.perf_counter()
    try:
        call(pts)
        print("finished", time.perf_counter() - t0, flush=True)
    except KeyboardInterrupt:
        t1 = time.perf_counter()
        print("interrupted", flush=True)
        if kind == "delaunay":  # its insertion loop reads the cancel flag
            geoent._interrupt.last_done.wait()
            print("stopped", time.perf_counter() - t1, flush=True)
    """
)

#: (kind, points, seconds before SIGINT): each call takes several times longer than
#: that on the loaded 2-core dev machine (delaunay 8e6 ~10 s, SIGINT in the
#: triangulation kernel: before this fix a 5 s wait, or SystemError when it landed
#: in gather_xy_extent). The 3D hull is not covered: in a worker thread it measured
#: 1.45x slower (see issue 18's report), so it still runs in the calling thread.
CASES = [("delaunay", 8_000_000, 1.5)]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a subprocess")
@pytest.mark.parametrize("kind, n, delay", CASES)
def test_sigint_interrupts_a_long_kernel(tmp_path, kind, n, delay):
    script = tmp_path / "long_delaunay.py"
    script.write_text(_CHILD)
    env = dict(os.environ)
    env["PYTHONPATH"] = _SRC + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, str(script), kind, str(n)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout.readline().strip() == "start", proc.stderr.read()
        time.sleep(delay)
        sent = time.perf_counter()
        proc.send_signal(signal.SIGINT)
        line = proc.stdout.readline().strip()
        waited = time.perf_counter() - sent
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert line == "interrupted", (line, err)
    assert "SystemError" not in err, err
    if kind == "delaunay":  # and the worker itself stops (not after the whole kernel)
        stopped = [ln for ln in out.splitlines() if ln.startswith("stopped")]
        assert stopped and float(stopped[0].split()[1]) < 1.5, out
    # target 0.5 s; the bound leaves room for a loaded machine, and is far below the
    # kernel's own run time, which is what a missed signal would cost
    assert waited < 1.5, waited


def test_interruptible_passes_results_and_errors_through():
    assert interruptible(10**7, sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        interruptible(10**7, lambda: 1 / 0)
