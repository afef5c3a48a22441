"""Study for issue 12: round-1 filters on thin/rotated inputs (standalone script).

Times, in one process on the same array (median of --rounds):
* ``current``: geoent.convex_hull(pts) as the engine stands (fixed-normal octagon);
* ``adaptive``: the same engine with round 1 replaced by the Visvalingam polygon of
  ``_kernels/hull2d_adaptive`` (parameters --loss, --kmax);
* ``read``: one read pass computing eight extreme values (``extremes8``).
Also the survivors of round 1 for both. Results are checked equal.

    python benchmarks/study_adaptive_filter.py --sizes 1e6,1e7 --rounds 5
"""

import argparse

import numpy as np

import geoent
from geoent import _hull2d_shape as S
from geoent import hull as H
from geoent._kernels import hull2d as _k
from geoent._kernels import hull2d_adaptive as _a
from geoent._kernels import hull2d_filter as _f
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
        return H._hull2d(pts)[0]
    idx, status = S.survivors(q, n, P, info)
    assert status == 0
    return H._sorted_chain(q, idx)


def current_round1(pts):
    n = pts.shape[0]
    q = pts.reshape(-1)
    step = max(4, n // H._SAMPLE)
    sample = np.arange(0, n, step, dtype=np.int64)
    P = H._hull_of_subset(q, sample)
    vx, vy = _k.gather(q, P, P.shape[0])
    _, c8 = _f.octagon_constants(vx, vy)
    idx = np.empty(n, dtype=np.int64)
    return _f.octagon_pass(q, c8, idx, np.empty(2 * n), np.zeros(1, np.uint8))[0]


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
            w, c = times(
                {
                    "read": lambda q=q: _a.extremes8(q),
                    "cur": lambda p=pts: geoent.convex_hull(p),
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
