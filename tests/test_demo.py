"""``geoent demo``'s shortcuts (issue 13): slow peers timed once, checks not repeated
for results identical to geoent's, and the table saying both."""

import numpy as np
import pytest

import geoent
from geoent import bench, demo
from geoent.bench.model import is_peer
from geoent.bench.timing import warm_then_time
from geoent.testing import delaunay_defects


def _counter():
    calls = []

    def fn():
        calls.append(1)
        return len(calls)

    return fn, calls


def test_once_over_times_a_slow_first_call_alone():
    fn, calls = _counter()
    res, first, times = warm_then_time(fn, 5, 100.0, once_over=-1.0)  # every call is "slow"
    assert res == 1 and len(calls) == 1 and times == [first]
    fn, calls = _counter()
    res, first, times = warm_then_time(fn, 5, 100.0, once_over=1e9)  # none is
    assert res == 1 and len(calls) == 6 and len(times) == 5
    fn, calls = _counter()
    _, _, times = warm_then_time(fn, 4, 100.0)  # default: unchanged behaviour
    assert len(calls) == 5 and len(times) == 4


def _tri_case(seed=0, n=60):
    rng = np.random.default_rng(seed)
    pts = rng.random((n, 2))
    return pts, np.asarray(geoent.delaunay(pts))


def test_triangle_keys_ignore_numbering_order_and_orientation():
    pts, tri = _tri_case()
    idx = demo._point_index(pts)
    keys = demo._triangle_keys(pts, tri, idx)
    assert keys.shape == (len(tri),)
    perm = np.random.default_rng(1).permutation(len(pts))
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm))
    renumbered = inv[tri][:, [0, 2, 1]][::-1]  # other numbering, order, orientation
    assert np.array_equal(demo._triangle_keys(pts[perm], renumbered, idx), keys)
    # shapely-like output: coordinates per triangle, vertices numbered 0..3m-1
    coords = pts[tri].reshape(-1, 2)
    flat = np.arange(len(coords)).reshape(-1, 3)
    assert np.array_equal(demo._triangle_keys(coords, flat, idx), keys)
    # one edge flipped: another triangulation, other keys
    a, b = _flippable_pair(tri)
    flipped = tri.copy()
    flipped[[a, b]] = _flip(tri[a], tri[b])
    assert not np.array_equal(demo._triangle_keys(pts, flipped, idx), keys)
    # a vertex that is not an input point: no key (the full check decides)
    moved = pts.copy()
    moved[tri[0, 0]] += 1e-9
    assert demo._triangle_keys(moved, tri, idx) is None


def _flippable_pair(tri):
    """Two triangles sharing an edge (indices into ``tri``)."""
    for a in range(len(tri)):
        for b in range(a + 1, len(tri)):
            if len(set(tri[a]) & set(tri[b])) == 2:
                return a, b
    raise AssertionError("no shared edge")


def _flip(t1, t2):
    shared = sorted(set(t1) & set(t2))
    p = (set(t1) - set(shared)).pop()
    q = (set(t2) - set(shared)).pop()
    return np.array([[p, q, shared[0]], [p, q, shared[1]]])


def test_identical_results_reuse_geoents_counts_others_are_checked_in_full():
    pts, tri = _tri_case(2)
    a, b = _flippable_pair(tri)
    flipped = tri.copy()
    flipped[[a, b]] = _flip(tri[a], tri[b])
    calls = []

    def counting_error(data, canon, name):
        calls.append(name)
        return bench.SUITES["delaunay"].error(data, canon, name)

    import dataclasses

    base = dataclasses.replace(bench.SUITES["delaunay"], error=counting_error)
    err = demo._error_fn(base)
    canon = {
        "geoent": (pts, tri),
        "same": (pts[tri].reshape(-1, 2), np.arange(3 * len(tri)).reshape(-1, 3)),
        "flipped": (pts, flipped),
    }
    assert err(pts, canon, "geoent") == (0.0, "")
    e_same, note = err(pts, canon, "same")
    assert e_same == 0.0 and "identical to geoent's" in note
    e_flip, _ = err(pts, canon, "flipped")
    assert calls == ["geoent", "flipped"]  # the identical result was not checked again
    # the full check of the other result is the oracle's count
    assert e_flip == delaunay_defects(pts, pts, flipped)["total"] > 0


def test_identical_hull_vertex_sets_including_a_closed_ring():
    pts = np.random.default_rng(3).random((200, 2))
    exact = pts[np.asarray(geoent.convex_hull(pts))]
    ring = np.vstack((exact[::-1], exact[-1:]))  # other order, first vertex repeated
    key = demo._result_key("hull2d", exact, None)
    assert np.array_equal(demo._result_key("hull2d", ring, None), key)
    assert not np.array_equal(demo._result_key("hull2d", exact[1:], None), key)


def test_area_check_with_points_on_hull_edges():
    """delaunay_defects' area check on the strict hull (points on hull edges add no area)."""
    g = np.stack(np.meshgrid(np.arange(6.0), np.arange(5.0)), axis=-1).reshape(-1, 2)
    tri = np.asarray(geoent.delaunay(g))
    assert delaunay_defects(g, g, tri)["total"] == 0
    d = delaunay_defects(g, g, tri[1:])  # a gap: the areas no longer add up
    assert d["area"] == 1


def test_compact_table_marks_one_round_and_unchecked_results():
    rows = [
        dict(operation="delaunay", distribution="u", n=10, contender=c, median_s=t, rounds=k,
             error=e)
        for c, t, k, e in [
            ("geoent", 0.1, 3, 0.0),
            ("scipy", 1.0, 1, 0.0),
            ("cgal", 0.2, 3, None),
        ]
    ]  # fmt: skip
    head, lines = demo._compact(rows)
    cells = dict(zip(head, lines[0], strict=True))
    assert cells["scipy"].endswith("*") and not cells["geoent"].endswith("*")
    assert cells["errors"] == "exact; cgal not checked"
    rows[1]["error"] = 5.0
    _, lines = demo._compact(rows)
    assert lines[0][-1] == "scipy 5; cgal not checked"


@pytest.mark.slow
def test_run_demo_prints_steps_and_the_one_round_note(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "ONCE_OVER", -1.0)  # every peer's first call is "slow"
    lines = []
    summary = demo.run_demo(n=800, out=tmp_path, echo=lines.append, warm_ahead=False)
    text = "\n".join(lines)
    for what in ("convex hulls", "Delaunay", "certified entropy", "EntropyNet", "picture"):
        assert any(what in x and x.rstrip().endswith("...") for x in lines), what
    peers = [r for r in summary["rows"] if is_peer(r["contender"]) and r["median_s"]]
    assert peers and all(r["rounds"] == 1 for r in peers)
    assert "timed once" in " ".join(r["notes"] for r in peers)
    assert "* one timed call" in text
    assert "* one timed call" in (tmp_path / "report.md").read_text()
    # geoent's own rows keep their rounds and are exact
    mine = [r for r in summary["rows"] if r["contender"] == "geoent"]
    assert all(r["rounds"] == 3 and r["error"] == 0.0 for r in mine)
    assert not any(r["contender"] in demo.SKIPPED_CONTENDERS for r in summary["rows"])


@pytest.mark.slow
def test_run_demo_delaunay_step_on_smaller_generated_sets(tmp_path):
    summary = demo.run_demo(
        n=900, delaunay_n=400, rounds=1, out=tmp_path, echo=lambda *a: None, warm_ahead=False
    )
    sizes = {}
    for r in summary["rows"]:
        sizes.setdefault((r["operation"], r["distribution"]), set()).add(r["n"])
    tri = {d: s for (op, d), s in sizes.items() if op == "delaunay"}
    hull = {d: s for (op, d), s in sizes.items() if op == "convex_hull"}
    assert tri and hull
    for d in demo.GENERATED:
        assert hull[d] == {900}
        if d not in demo._NO_DELAUNAY:
            assert tri[d] == {400}
    # the real set is taken whole (here thinned to --n) in both steps
    assert tri[demo.REAL] == hull[demo.REAL]
    assert "(400 in the Delaunay step)" in (tmp_path / "report.md").read_text()
