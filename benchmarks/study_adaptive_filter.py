"""Study for issue 12: round-1 filters on thin/rotated inputs (standalone script).

Times, in one process on the same array (median of --rounds):
* ``current``: the engine with round 1 forced to the fixed-normal octagon (x, y,
  x + y, x - y), the round 1 of the engine before issue 12 (``_hull2d_shape._FORCE =
  0``; the later rounds are today's);
* ``adaptive``: the engine as it stands (``geoent._hull2d_shape``: round 1 chosen
  among the octagon, the octagon in the sample polygon's frame, the disk and
  Visvalingam polygons);
* ``read``: one read pass computing eight extreme values (``extremes8``).
Also the survivors of round 1 for both. Results are checked equal.

    python benchmarks/study_adaptive_filter.py --sizes 1e6,1e7 --rounds 5
"""

import argparse

import numpy as np

import geoent
from geoent import _hull2d as H
from geoent import _hull2d_shape as S
from geoent._kernels import hull2d_adaptive as _a
from geoent.bench.timing import interleaved as times
from geoent.datasets import make_points

FAMILIES = (
    "uniform disk gaussian kuzmin annulus "
    "strip10_r0 strip10_r0.1 strip10_r0.6 strip100_r0 strip100_r0.1 strip100_r0.6 "
    "strip1000_r0 strip1000_r0.1 strip1000_r0.6 gauss20_r0.6 gauss20_r0.1 gauss1000_r0.6"
).split()


def adaptive_hull(pts, info=None, hint_ids=None):
    """The engine with ``geoent._hull2d_shape``'s filters (float64 C-contiguous input
    in the exponent window; what ``convex_hull`` does around it is unchanged)."""
    n = pts.shape[0]
    q = pts.reshape(-1)
    P = S.filter_polygon(q, n, hint_ids) if n > H._SMALL else None
    if P is None:
        return H.hull2d(pts)[0]
    idx, status = S.survivors(q, n, P, info)
    assert status == 0
    return H._sorted_chain(q, idx)


def current_hull(pts):
    """The engine with round 1 forced to the fixed-normal octagon."""
    S._FORCE = 0
    try:
        return geoent.convex_hull(pts)
    finally:
        S._FORCE = None


def current_round1(pts):
    """Survivors of the fixed-normal octagon's round 1."""
    n = pts.shape[0]
    q = pts.reshape(-1)
    P = S.filter_polygon(q, n)
    if P is None:
        return n
    info = {}
    S._FORCE = 0
    try:
        S.survivors(q, n, P, info)
    finally:
        S._FORCE = None
    return info["k"][0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1e6,1e7")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--families", default=",".join(FAMILIES))
    a = ap.parse_args()
    warm = make_points("uniform", 100000)
    geoent.convex_hull(warm)
    adaptive_hull(warm)
    _a.extremes8(warm.reshape(-1))
    print("CPU ms (min over rounds, thread_time); wall ratios in brackets (median)")
    print(
        "| family | n | h | read | current | adaptive | cur/read | ada/read | ada/cur "
        "| ada/ada(uniform) | r1 surv cur | r1 surv ada | K | final ada |"
    )
    print("|" + "---|" * 14)
    base = {}
    for size in a.sizes.split(","):
        n = int(float(size))
        for fam in a.families.split(","):
            pts = make_points(fam, n, seed=0)
            q = pts.reshape(-1)
            h0 = geoent.convex_hull(pts)
            info = {}
            h1 = adaptive_hull(pts, info)
            assert np.array_equal(h0, h1), fam
            assert np.array_equal(h0, current_hull(pts)), fam
            w, c = times(
                {
                    "read": lambda q=q: _a.extremes8(q),
                    "cur": lambda p=pts: current_hull(p),
                    "ada": lambda p=pts: adaptive_hull(p),
                },
                a.rounds,
            )
            base.setdefault(n, c["ada"])
            s1 = current_round1(pts)
            print(
                f"| {fam} | {n:.0e} | {len(h0)} | {c['read'] * 1e3:.2f} | {c['cur'] * 1e3:.2f} | "
                f"{c['ada'] * 1e3:.2f} | {c['cur'] / c['read']:.2f} [{w['cur'] / w['read']:.2f}] | "
                f"{c['ada'] / c['read']:.2f} [{w['ada'] / w['read']:.2f}] | "
                f"{c['ada'] / c['cur']:.2f} [{w['ada'] / w['cur']:.2f}] | "
                f"{c['ada'] / base[n]:.2f} | "
                f"{s1} | {info.get('k', [0])[0]} | "
                f"{info.get('round1')}{'F' if info.get('framed') else ''} | "
                f"{info.get('k', [0])[-1]} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
