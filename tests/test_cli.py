"""The ``geoent`` command line, through typer's CliRunner."""

import json

import numpy as np
import pytest
import shapely
from typer.testing import CliRunner

import geoent
from geoent import bench
from geoent.cli import app
from geoent.io import read_points, write_points
from geoent.testing import delaunay_defects

runner = CliRunner()


def _invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _command_names():
    return [c.name or c.callback.__name__ for c in app.registered_commands]


def test_every_command_has_help():
    names = _command_names()
    assert {"info", "demo", "bench", "hull", "delaunay"} <= set(names)
    for name in names:
        res = _invoke(name, "--help")
        assert res.exit_code == 0, (name, res.output)
        assert "Usage" in res.output


@pytest.fixture(scope="module")
def points():
    rng = np.random.default_rng(7)
    pts = rng.random((400, 2))
    pts[:20] = pts[20:40]  # exact duplicates
    return pts


def _write_input(path, pts):
    suf = path.suffix
    if suf == ".txt":
        np.savetxt(path, pts, fmt="%.17g")
    elif suf == ".wkt":
        path.write_text("\n".join(f"POINT ({float(x)!r} {float(y)!r})" for x, y in pts))
    else:
        write_points(path, pts)


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".txt", ".geojson", ".wkt"])
def test_hull_reads_every_format_and_writes_every_output(tmp_path, points, suffix):
    src = tmp_path / f"in{suffix}"
    _write_input(src, points)
    assert np.array_equal(read_points(src), points)
    expected = geoent.convex_hull(points)
    out = tmp_path / "hull.npy"
    res = _invoke("hull", src, "--output", out)
    assert res.exit_code == 0, res.output
    assert f"{len(expected)} hull vertices" in res.output
    assert np.load(out).tolist() == expected.tolist()
    res = _invoke("hull", src, "-o", tmp_path / "hull.csv")
    assert res.exit_code == 0, res.output
    rows = (tmp_path / "hull.csv").read_text().splitlines()[1:]
    assert [int(r.split(",")[0]) for r in rows] == expected.tolist()
    res = _invoke("hull", src, "-o", tmp_path / "hull.geojson")
    assert res.exit_code == 0, res.output
    feat = json.loads((tmp_path / "hull.geojson").read_text())
    assert feat["properties"]["indices"] == expected.tolist()
    assert shapely.geometry.shape(feat["geometry"]).equals(
        shapely.convex_hull(shapely.multipoints(points))
    )


def test_hull_prints_vertices_and_plots(tmp_path, points):
    src = tmp_path / "in.npy"
    np.save(src, points)
    png = tmp_path / "hull.png"
    res = _invoke("hull", src, "--plot", png)
    assert res.exit_code == 0, res.output
    first = " ".join(map(str, geoent.convex_hull(points).tolist()[:5]))
    assert f"vertices: {first}" in res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".geojson"])
def test_delaunay_command(tmp_path, points, suffix):
    src = tmp_path / "in.csv"
    write_points(src, points)
    out = tmp_path / f"tri{suffix}"
    res = _invoke("delaunay", src, "-o", out, "--plot", tmp_path / "tri.png")
    assert res.exit_code == 0, res.output
    if suffix == ".npy":
        tri = np.load(out)
    elif suffix == ".csv":
        tri = np.loadtxt(out, delimiter=",", skiprows=1, dtype=np.int64).reshape(-1, 3)
    else:
        doc = json.loads(out.read_text())
        tri = np.array([f["properties"]["indices"] for f in doc["features"]])
    assert f"{len(tri):,} triangles" in res.output
    assert delaunay_defects(points, points, tri)["total"] == 0
    assert (tmp_path / "tri.png").stat().st_size > 1000


@pytest.mark.parametrize(
    "name, content, needle",
    [
        ("missing.npy", None, "no such file"),
        ("nan.csv", "0,1\n1,2\nnan,3\n", "line 3 is not finite"),
        ("garbage.csv", "a,b\nx,y\n", "not numeric"),
        ("wrongshape.csv", "1,2,3,4\n5,6,7,8\n", "got shape (2, 4)"),
        ("bad.geojson", "{", "not valid JSON"),
        ("bad.wkt", "POINT (1", "not WKT"),
        ("points.shp", "whatever", "cannot read .shp"),
    ],
)
@pytest.mark.parametrize("command", ["hull", "delaunay"])
def test_bad_files_exit_nonzero_with_one_line(tmp_path, name, content, needle, command):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    res = _invoke(command, path)
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_bad_npy_and_bad_output(tmp_path, points):
    flat = tmp_path / "flat.npy"
    np.save(flat, np.arange(5.0))
    res = _invoke("hull", flat)
    assert res.exit_code != 0 and "got shape (5,)" in res.output
    good = tmp_path / "ok.npy"
    np.save(good, points)
    res = _invoke("hull", good, "-o", tmp_path / "out.xlsx")
    assert res.exit_code != 0 and "cannot write .xlsx" in res.output
    res = _invoke("hull", good, "-o", tmp_path / "no_such_dir" / "out.npy")
    assert res.exit_code != 0 and "cannot write" in res.output and "Traceback" not in res.output


@pytest.mark.slow
def test_demo_small(tmp_path):
    out = tmp_path / "demo"
    res = _invoke("demo", "--n", 2000, "--out", out)
    assert res.exit_code == 0, res.output
    assert "convex_hull" in res.output and "scipy" in res.output
    report = (out / "report.md").read_text()
    assert "| operation | data | n | geoent |" in report
    assert (out / "demo.png").read_bytes()[:4] == b"\x89PNG"
    # every hull in the table is exact, and the notes say what was skipped
    assert "convex_hull | uniform | 2,000" in report
    res = _invoke("demo", "--n", 3)
    assert res.exit_code != 0 and "--n must be at least 16" in res.output


@pytest.mark.slow
def test_bench_quick_tiny(tmp_path):
    js, md, png = tmp_path / "b.json", tmp_path / "b.md", tmp_path / "b.png"
    res = _invoke(
        "bench", "--quick", "--sizes", "150", "--rounds", "1", "--no-progress",
        "--distributions", "uniform,ball",
        "--json", js, "--markdown", md, "--plot", png,
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    doc = json.loads(js.read_text())
    assert doc["meta"]["quick"] is True and doc["rows"]
    keys = set(bench.ROW_KEYS) | {"ratio_scipy", "ratio_best_peer"}
    assert all(keys <= set(r) for r in doc["rows"])  # a suite may add its own keys
    assert {r["n"] for r in doc["rows"] if r["suite"] != "entropynet"} == {150}
    assert "## Benchmark results" in md.read_text()
    assert png.read_bytes()[:4] == b"\x89PNG"
    hull_rows = [r for r in doc["rows"] if r["suite"] == "hull2d" and r["contender"] == "geoent"]
    assert hull_rows and all(r["error"] == 0.0 for r in hull_rows)
    # every suite yields rows or says why it was skipped
    with_rows = {r["suite"] for r in doc["rows"]}
    for name in bench.suite_names():
        assert name in with_rows or any(
            n.startswith(f"{name}: skipped") for n in doc["meta"]["notes"]
        ), (name, doc["meta"]["notes"])
    # geoent's own rows are exact wherever they ran and were checked
    for r in doc["rows"]:
        # (the paper's restructure mode moves points: approximate by design)
        exact_mode = "restructure" not in r["contender"]
        if r["contender"].startswith("geoent") and exact_mode and r["median_s"] is not None:
            assert r["error"] in (0.0, None), r


def test_bench_bad_options():
    res = _invoke("bench", "--suite", "nope", "--no-progress")
    assert res.exit_code != 0 and "unknown suite" in res.output
    res = _invoke("bench", "--sizes", "ten", "--no-progress")
    assert res.exit_code != 0 and "not a number" in res.output


def test_demo_degrades_when_optional_packages_are_missing(tmp_path, monkeypatch):
    """No matplotlib, no torch (optional extras): notes, not a crash; EntropyNet's
    hint needs no torch (the pretrained hull-hint layers run in numba)."""
    import sys

    from geoent.demo import run_demo

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises ImportError
    monkeypatch.setitem(sys.modules, "torch", None)
    lines = []
    summary = run_demo(n=500, out=tmp_path / "d", rounds=1, echo=lines.append)
    notes = " | ".join(summary["notes"])
    assert summary["entropynet"] and all(r["identical"] for r in summary["entropynet"])
    assert "picture skipped" in notes and "matplotlib" in notes
    assert summary["picture"] is None and (tmp_path / "d" / "report.md").exists()
    hull_rows = [r for r in summary["rows"] if r["operation"] == "convex_hull"]
    assert {r["distribution"] for r in hull_rows} == {
        "airports",
        "uniform",
        "circle",
        "kuzmin",
        "grid",
    }
    tri_rows = [r for r in summary["rows"] if r["operation"] == "delaunay"]
    assert tri_rows and all(r["error"] == 0.0 for r in tri_rows if r["contender"] == "geoent")
    assert all(r["error"] == 0.0 for r in hull_rows if r["contender"] == "geoent")


def test_warmup_lists_and_warms_families():
    from geoent.warmup import FAMILIES

    res = _invoke("warmup", "--list")
    assert res.exit_code == 0, res.output
    assert [line.split()[0] for line in res.output.splitlines()] == list(FAMILIES)
    res = _invoke("warmup", "--families", "hull2d,batched")
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert lines[0].startswith("[1/2] hull2d") and lines[0].endswith(" s")
    assert lines[1].startswith("[2/2] batched")
    assert lines[2].startswith("warm: 2 families")
    res = _invoke("warmup", "--families", "hull2d,nonsense")
    assert res.exit_code == 2
    assert "nonsense" in res.output


def test_warmup_jobs_shares_families_between_processes(monkeypatch):
    """--jobs 2: one family compiled here, the other in a child process (which
    writes the cache this process then loads); every family gets its line."""
    from geoent import warmup

    started = []
    real_popen = warmup.subprocess.Popen

    def popen(cmd, **kw):
        started.append(cmd[3:])  # the families handed to the child
        return real_popen(cmd, **kw)

    monkeypatch.setattr(warmup.subprocess, "Popen", popen)
    res = _invoke("warmup", "--families", "hull2d,batched", "--jobs", "2")
    assert res.exit_code == 0, res.output
    assert started == [["hull2d"]]  # batched (the larger) here, hull2d in the child
    lines = res.output.splitlines()
    assert [ln.split()[1] for ln in lines[:2]] == ["batched", "hull2d"]
    assert lines[2].startswith("warm: 2 families") and "2 processes" in lines[2]
    assert _invoke("warmup", "--jobs", "0").exit_code == 2


def test_info_times_every_family():
    from geoent.warmup import FAMILIES

    res = _invoke("info")
    assert res.exit_code == 0, res.output
    for name in FAMILIES:
        (line,) = [ln for ln in res.output.splitlines() if ln.split()[:1] == [name]]
        first, second = float(line.split()[2]), float(line.split()[5])
        assert first >= 0 and second >= 0


def test_warmup_module_rejects_unknown_family():
    from geoent import warmup

    with pytest.raises(ValueError, match="unknown kernel family"):
        warmup.family_call("nonsense")
    with pytest.raises(ValueError, match="unknown kernel family"):
        warmup.fresh_process_times("nonsense")


def test_import_geoent_loads_no_heavy_module():
    import subprocess
    import sys

    code = (
        "import sys, geoent; "
        "print(sorted(m for m in ('numba', 'scipy', 'torch', 'matplotlib', 'typer', 'rich', "
        "'tqdm', 'shapely') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    code = "import geoent; print(geoent.convex_hull([[0, 0], [1, 0], [0, 1]]).tolist())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[0, 1, 2]"


@pytest.mark.parametrize("command", ["hull", "delaunay"])
def test_output_never_overwrites_the_input_and_says_when_it_replaces(tmp_path, command):
    # issue 18: -o silently overwrote an existing file, even the input itself
    src = tmp_path / "pts.csv"
    write_points(src, np.random.default_rng(0).random((30, 2)))
    before = src.read_bytes()
    for same in (src, tmp_path / "." / "pts.csv"):
        res = _invoke(command, src, "-o", same)
        assert res.exit_code != 0 and "is the input file" in res.output, res.output
        assert src.read_bytes() == before
    out = tmp_path / "out.csv"
    res = _invoke(command, src, "-o", out)
    assert res.exit_code == 0 and "replaced" not in res.output, res.output
    out.write_text("old")
    res = _invoke(command, src, "-o", out)
    assert res.exit_code == 0 and "(replaced the existing file)" in res.output, res.output
    assert out.read_text() != "old"
    helptext = " ".join(_invoke(command, "--help").output.replace("│", " ").split())
    assert "the input file never is" in helptext
