"""Peak memory of the large kernels, each measured in a fresh process (issue 18).

Targets (extra peak RSS over the input's size, output included): the 3D hull of
points in convex position at most 3x, 2D Delaunay at most 6x. The child resets
the kernel's peak-RSS counter after building its input and a warm-up call
(``/proc/self/clear_refs``), and runs with a fixed glibc mmap threshold so that
every large array is its own mapping (otherwise freed temporaries of the input
stay resident and hide later allocations). Measured in session 4 at 1e6-3e6
points: 2.62x and 4.99x; the bounds below leave room for allocator noise at the
smaller size used here. Linux only.
"""

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/status"
)

_CHILD = r"""
import gc, json, sys
import geoent
from geoent.datasets import make_points

def status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024

fn = {
    "hull": geoent.convex_hull,
    "ConvexHull": geoent.ConvexHull,
    "delaunay": geoent.delaunay,
}[sys.argv[1]]
dist, n = sys.argv[2], int(sys.argv[3])
from geoent import _aot
# warm up the kernels the large call runs: calls of 200,000 points or more run the
# JIT kernels, smaller ones the ahead-of-time ones where built (geoent._aot)
_aot.gil_free(True)
fn(make_points(dist, 5000, seed=1))
_aot.gil_free(False)
pts = make_points(dist, n, seed=0)
gc.collect()
with open("/proc/self/clear_refs", "w") as fh:
    fh.write("5")
base = status("VmRSS")
out = fn(pts)
ratio = (status("VmHWM") - base) / pts.nbytes
size = out.vertices.shape[0] if hasattr(out, "vertices") else out.shape[0]
print(json.dumps({"ratio": ratio, "out": int(size)}))
"""


def _extra_over_input(kind, dist, n):
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "65536"}
    res = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, dist, str(n)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_sphere_hull_extra_memory_at_most_3x_input():
    got = _extra_over_input("hull", "sphere", 400_000)
    assert got["out"] == 400_000  # every point of the sphere is a corner
    assert got["ratio"] <= 3.0, got


@pytest.mark.slow
def test_sphere_ConvexHull_construction_extra_memory_at_most_3x_input():
    # at construction: equations (2.7x the input alone) are computed on first
    # access; volume and area in blocks of facets. Measured 2.79x at 4e5 and 1e6.
    got = _extra_over_input("ConvexHull", "sphere", 400_000)
    assert got["out"] == 400_000
    assert got["ratio"] <= 3.0, got


@pytest.mark.slow
def test_delaunay_extra_memory_at_most_6x_input():
    got = _extra_over_input("delaunay", "uniform", 400_000)
    assert got["out"] > 790_000  # about 2n triangles
    assert got["ratio"] <= 6.0, got
