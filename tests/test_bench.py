"""The benchmark harness: row format, ratios, exactness checks of peers (no timing asserts)."""

import json
import re
import time
from itertools import combinations

import numpy as np
import pytest
from scipy.spatial import Delaunay as QDelaunay

from geoent import bench
from geoent.bench import (
    ROW_KEYS,
    Contender,
    Suite,
    add_ratios,
    hull_vertex_error,
    parse_sizes,
    run_bench,
    run_suite,
    vertex_set_error,
)
from geoent.datasets import make_points
from geoent.testing import delaunay_defects

from . import naive

RATIO_KEYS = ("ratio_scipy", "ratio_best_peer", "ratio_read")


# ---------------------------------------------------------------- fake suite


def _fake_suite():
    """Contenders with known behaviour: exact/fast, exact/slow, wrong, failing."""

    def exact(pts):
        return np.flatnonzero(pts[:, 0] >= 0.5)

    def slow(pts):
        time.sleep(0.004)
        return exact(pts)

    def wrong(pts):
        return exact(pts)[1:]  # drops one answer point

    def broken(pts):
        raise RuntimeError("boom\nsecond line")

    def contenders():
        return [
            Contender("geoent", run=exact, canon=lambda d, s, r: d[r], compiled=True),
            Contender("scipy", run=slow, canon=lambda d, s, r: d[r]),
            Contender(
                "shapely",
                prepare=lambda p: p.copy(),
                run=wrong,
                canon=lambda d, s, r: d[r],
            ),
            Contender("cgal", run=broken),
        ], ["cgal: a note about a skipped peer"]

    return Suite(
        "fake",
        "select",
        ("uniform",),
        (200,),
        ("uniform",),
        (200,),
        make_input=make_points,
        contenders=contenders,
        error=vertex_set_error,
        planar_input=False,
    )


def test_fake_suite_rows_follow_the_contract():
    rows, notes = run_suite(_fake_suite(), sizes=[200, 400], distributions=["uniform"], rounds=3)
    assert notes == ["fake: cgal: a note about a skipped peer"]
    assert len(rows) == 8
    for r in rows:
        assert tuple(r) == ROW_KEYS
        assert (
            r["suite"] == "fake" and r["operation"] == "select" and r["distribution"] == "uniform"
        )
    by = {(r["n"], r["contender"]): r for r in rows}
    for n in (200, 400):
        g, s, w, c = (by[(n, k)] for k in ("geoent", "scipy", "shapely", "cgal"))
        for r in (g, s, w):
            assert r["rounds"] == 3
            assert r["min_s"] <= r["median_s"] <= r["max_s"]
        assert s["min_s"] >= 0.004  # the sleep is inside the timed call
        assert g["compile_s"] is not None and s["compile_s"] is None
        assert g["error"] == 0.0 and s["error"] == 0.0
        assert w["error"] == 1.0 and "1 missing, 0 extra" in w["notes"]
        assert "geometry build" in w["notes"]
        # a failing peer is a row with a one-line note, not a crash
        assert c["median_s"] is None and c["error"] is None
        assert c["notes"] == "failed: RuntimeError: boom"


def test_ratios_on_the_fake_suite():
    rows, _ = run_suite(_fake_suite(), sizes=[300], distributions=["uniform"], rounds=2)
    add_ratios(rows)
    by = {r["contender"]: r for r in rows}
    scipy_t = by["scipy"]["median_s"]
    best = min(by["scipy"]["median_s"], by["shapely"]["median_s"])  # cgal failed: not a peer
    for name in ("geoent", "scipy", "shapely"):
        r = by[name]
        assert r["ratio_scipy"] == pytest.approx(r["median_s"] / scipy_t)
        assert r["ratio_best_peer"] == pytest.approx(r["median_s"] / best)
    assert by["scipy"]["ratio_scipy"] == 1.0
    assert by["cgal"]["ratio_scipy"] is None and by["cgal"]["ratio_best_peer"] is None


def test_add_ratios_groups_and_missing_references():
    def row(n, c, t, dist="d"):
        return dict(suite="s", operation="o", distribution=dist, n=n, contender=c, median_s=t)

    rows = [
        row(1, "geoent", 2.0),
        row(1, "geoent+hint", 1.0),
        row(1, "shapely", 4.0),
        row(2, "geoent", 3.0),  # no scipy and no peer at n=2
        row(1, "scipy", 8.0, dist="other"),
        row(1, "geoent", 4.0, dist="other"),
    ]
    add_ratios(rows)
    assert [(r["ratio_scipy"], r["ratio_best_peer"]) for r in rows] == [
        (None, 0.5),
        (None, 0.25),
        (None, 1.0),
        (None, None),
        (1.0, 1.0),
        (0.5, 0.5),
    ]


# ------------------------------------------------------------- exactness checks


def test_hull_vertex_error_counts_missing_and_extra():
    exact = np.array([[0.0, 0], [1, 0], [1, 1], [0, 1]])
    assert hull_vertex_error(exact, exact[::-1]) == (0, 0)
    assert hull_vertex_error(exact, np.vstack((exact[:3], exact[:1], [[0.5, 0.5]]))) == (1, 1)
    assert hull_vertex_error(np.array([[0.0, -0.0]]), np.array([[-0.0, 0.0]])) == (0, 0)


@pytest.mark.parametrize("seed", range(6))
def test_delaunay_defects_agrees_with_brute_force(seed):
    rng = np.random.default_rng(seed)
    pts = rng.random((14, 2))
    good = QDelaunay(pts).simplices
    assert delaunay_defects(pts, pts, good)["total"] == 0
    assert naive.is_delaunay(pts, good)
    # flip one interior edge: a valid triangulation that is no longer Delaunay
    tri = [tuple(t) for t in good.tolist()]
    for t1, t2 in combinations(range(len(tri)), 2):
        shared = set(tri[t1]) & set(tri[t2])
        if len(shared) == 2:
            (p,) = set(tri[t1]) - shared
            (q,) = set(tri[t2]) - shared
            u, v = sorted(shared)
            quad = pts[[p, u, q, v]]
            # the flip is only a triangulation when the quad p-u-q-v is convex
            e = np.roll(quad, -1, axis=0) - quad
            f = np.roll(e, -1, axis=0)
            cr = e[:, 0] * f[:, 1] - e[:, 1] * f[:, 0]
            if not (all(c > 0 for c in cr) or all(c < 0 for c in cr)):
                continue
            flipped = [t for k, t in enumerate(tri) if k not in (t1, t2)] + [(p, q, u), (p, q, v)]
            d = delaunay_defects(pts, pts, np.array(flipped))
            assert not naive.is_delaunay(pts, np.array(flipped))
            assert d["non_delaunay"] == 1 and d["total"] == 1, d
            break
    else:
        pytest.fail("no flippable edge found")


def test_delaunay_defects_missing_foreign_degenerate_and_renumbered():
    pts = np.array([[0.0, 0], [2, 0], [2, 2], [0, 2], [1, 0.5]])
    tri = QDelaunay(pts).simplices
    # dropping a triangle leaves a gap: area mismatch (and maybe a missing point)
    d = delaunay_defects(pts, pts, tri[1:])
    assert d["area"] == 1
    # a library that copies and renumbers vertices (like shapely) is judged by coordinates
    perm = np.random.default_rng(0).permutation(len(pts))
    inv = np.argsort(perm)
    assert delaunay_defects(pts, pts[perm], inv[tri])["total"] == 0
    # a Steiner point is foreign; a zero-area triangle is degenerate
    verts = np.vstack((pts, [[5.0, 5.0]]))
    assert delaunay_defects(pts, verts, np.vstack((tri, [[0, 1, 5]])))["foreign"] == 1
    line = np.array([[0.0, 0], [1, 1], [2, 2]])
    assert delaunay_defects(line, line, np.array([[0, 1, 2]]))["degenerate"] == 1
    # duplicates need not be used twice
    dup = np.vstack((pts, pts[:2]))
    assert delaunay_defects(dup, dup, tri)["total"] == 0
    assert delaunay_defects(pts, pts, tri[:0])["missing"] == 5


def test_parse_sizes():
    assert parse_sizes("1e3, 2_000,30000") == [1000, 2000, 30000]
    assert parse_sizes([10, "1e2"]) == [10, 100]
    for bad in ("", "abc", "1.5", "0", "-5", "inf"):
        with pytest.raises(ValueError):
            parse_sizes(bad)


# ------------------------------------------------------------------- real suites


@pytest.mark.slow
def test_run_bench_hull2d_tiny_and_reports(tmp_path):
    res = run_bench(
        ["hull2d", "delaunay"],
        sizes=[300],
        distributions=["uniform", "grid"],  # grid: Qhull and GEOS are exact there too
        rounds=1,
        progress=False,
        command="test",
    )
    assert res.meta["command"] == "test" and res.meta["cores"] >= 1
    rows = res.rows
    for r in rows:
        assert tuple(r)[: len(ROW_KEYS)] == ROW_KEYS and set(r) == set(ROW_KEYS) | set(RATIO_KEYS)
    hull_rows = {(r["distribution"], r["contender"]): r for r in rows if r["suite"] == "hull2d"}
    for dist in ("uniform", "grid"):
        for c in ("geoent", "scipy", "shapely"):
            r = hull_rows[(dist, c)]
            assert r["median_s"] > 0 and r["rounds"] == 1
            # scipy and shapely agree with the exact hull on this easy input
            assert r["error"] == 0.0, r
        # the floor: timed, no error, never the best peer; geoent's time over it
        floor = hull_rows[(dist, "read-pass")]
        assert floor["median_s"] > 0 and floor["error"] is None and floor["ratio_read"] == 1.0
        g = hull_rows[(dist, "geoent")]
        assert g["ratio_read"] == pytest.approx(g["median_s"] / floor["median_s"])
        peers = [
            r["median_s"]
            for (d, c), r in hull_rows.items()
            if d == dist
            and c not in ("read-pass",)
            and not c.startswith("geoent")
            and r["median_s"]
        ]
        assert g["ratio_best_peer"] == pytest.approx(g["median_s"] / min(peers))
    tri_rows = [r for r in rows if r["suite"] == "delaunay" and r["contender"] == "triangle"]
    assert tri_rows and all(r["error"] == 0.0 for r in tri_rows)
    md = bench.to_markdown(res)
    assert "### hull2d" in md and "| convex_hull | uniform | 300 | geoent |" in md
    back = json.loads(res.to_json())
    assert back["rows"] == json.loads(json.dumps(rows))
    from geoent.plotting import plot_bench

    plot_bench(tmp_path / "b.png", rows)
    assert (tmp_path / "b.png").stat().st_size > 1000


def test_unknown_suite_and_distribution_are_errors():
    with pytest.raises(ValueError, match="unknown suite 'nope'"):
        run_bench(["nope"], progress=False)
    with pytest.raises(ValueError, match="unknown distribution 'moon'"):
        run_bench(["hull2d"], distributions=["moon"], progress=False)
    with pytest.raises(ValueError, match="--threads"):
        run_bench(["hull2d"], threads=10_000, progress=False)


def test_run_bench_interpolate_tiny():
    res = run_bench(
        ["interpolate"], sizes=[400], distributions=["uniform"], rounds=1, progress=False
    )
    rows = {r["contender"]: r for r in res.rows}
    assert set(rows) == {"geoent", "scipy"}
    assert rows["geoent"]["median_s"] > 0 and rows["scipy"]["median_s"] > 0
    # same values as scipy where both are defined (general-position input)
    assert rows["geoent"]["error"] is None
    m = re.search(r"max \|diff\| vs scipy (\S+);", rows["geoent"]["notes"])
    assert m and float(m.group(1)) < 1e-12, rows["geoent"]["notes"]
    assert rows["geoent"]["ratio_scipy"] > 0
