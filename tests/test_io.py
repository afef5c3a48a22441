"""Reading and writing point sets (geoent.io): round trips, formats, bad files."""

import json

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from geoent.errors import InputError
from geoent.io import read_points, write_hull, write_points, write_triangles


@pytest.mark.parametrize("suffix", [".npy", ".csv", ".geojson", ".json"])
@pytest.mark.parametrize("dim", [2, 3])
def test_points_round_trip_is_bit_exact(tmp_path, suffix, dim):
    pts = np.random.default_rng(dim).standard_normal((37, dim)) * 1e5
    pts[0] = 1e-300  # subnormal-adjacent values survive repr/json
    pts[1] = -0.1
    path = tmp_path / f"p{suffix}"
    write_points(path, pts)
    back = read_points(path)
    assert back.dtype == np.float64 and back.shape == pts.shape
    assert np.array_equal(back, pts)


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=25, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 12), st.sampled_from([2, 3])), elements=finite))
def test_csv_and_npy_round_trip_any_finite_doubles(tmp_path_factory, pts):
    d = tmp_path_factory.mktemp("rt")
    for suffix in (".csv", ".npy"):
        write_points(d / f"p{suffix}", pts)
        back = read_points(d / f"p{suffix}")
        # -0.0 and 0.0 compare equal; every other value must be bit-identical
        assert np.array_equal(back, pts)


def test_txt_whitespace_comments_and_header(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text("# a comment\nx y\n0 1\n  2.5\t-3 \n\n1e3 4\n")
    assert read_points(path).tolist() == [[0, 1], [2.5, -3], [1000, 4]]


def test_csv_without_header(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("0,1,2\n3,4,5\n")
    assert read_points(path).tolist() == [[0, 1, 2], [3, 4, 5]]


def test_geojson_feature_collection_collects_every_coordinate(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [5, 6]}},
            {"type": "Feature", "geometry": None, "properties": {}},
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1], [0, 0]]]},
            },
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(doc))
    got = read_points(path)
    assert got.tolist() == [[5, 6], [0, 0], [1, 0], [0, 1], [0, 0]]


def test_wkt_one_geometry_per_line_and_multiline(tmp_path):
    a = tmp_path / "a.wkt"
    a.write_text("POINT (1 2)\nLINESTRING (3 4, 5 6)\n")
    assert read_points(a).tolist() == [[1, 2], [3, 4], [5, 6]]
    b = tmp_path / "b.wkt"
    b.write_text("MULTIPOINT (\n (0 0),\n (1 1)\n)")
    assert read_points(b).tolist() == [[0, 0], [1, 1]]
    c = tmp_path / "c.wkt"
    c.write_text("POINT Z (1 2 3)\n")
    assert read_points(c).tolist() == [[1, 2, 3]]


def test_write_hull_formats(tmp_path):
    pts = np.array([[0.0, 0.0], [4, 0], [4, 3], [0, 3], [1, 1]])
    idx = np.array([0, 1, 2, 3])
    write_hull(tmp_path / "h.npy", pts, idx)
    assert np.load(tmp_path / "h.npy").tolist() == idx.tolist()
    write_hull(tmp_path / "h.csv", pts, idx)
    lines = (tmp_path / "h.csv").read_text().splitlines()
    assert lines[0] == "index,x,y" and lines[3] == "2,4.0,3.0"
    write_hull(tmp_path / "h.geojson", pts, idx)
    feat = json.loads((tmp_path / "h.geojson").read_text())
    poly = shapely.geometry.shape(feat["geometry"])
    assert feat["properties"]["indices"] == [0, 1, 2, 3]
    assert poly.area == 12.0 and poly.is_valid
    # a degenerate (two-vertex) hull is a MultiPoint, not an invalid polygon
    write_hull(tmp_path / "seg.geojson", pts, np.array([0, 1]))
    assert json.loads((tmp_path / "seg.geojson").read_text())["geometry"]["type"] == "MultiPoint"


def test_write_triangles_formats(tmp_path):
    pts = np.array([[0.0, 0.0], [1, 0], [1, 1], [0, 1]])
    tri = np.array([[0, 1, 2], [0, 2, 3]])
    write_triangles(tmp_path / "t.npy", pts, tri)
    assert np.load(tmp_path / "t.npy").tolist() == tri.tolist()
    write_triangles(tmp_path / "t.csv", pts, tri)
    assert (tmp_path / "t.csv").read_text().splitlines() == ["i,j,k", "0,1,2", "0,2,3"]
    write_triangles(tmp_path / "t.geojson", pts, tri)
    doc = json.loads((tmp_path / "t.geojson").read_text())
    areas = [shapely.geometry.shape(f["geometry"]).area for f in doc["features"]]
    assert areas == [0.5, 0.5]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("nan.csv", "0,1\nnan,2\n", "line 2 is not finite"),
        ("inf.txt", "0 1\n2 inf\n", "line 2 is not finite"),
        ("ragged.csv", "0,1\n2,3,4\n", "columns"),
        ("words.csv", "x,y\n1,a\n", "line 2 is not numeric"),
        ("onecol.csv", "1\n2\n", "shape (n, 2) or (n, 3)"),
        ("header_only.csv", "x,y\n", "no data rows"),
        ("empty.txt", "", "no data rows"),
        ("bad.geojson", "{not json", "not valid JSON"),
        ("feature.geojson", '{"type": "Topology"}', "not a GeoJSON geometry"),
        ("nogeom.geojson", '{"type": "FeatureCollection", "features": []}', "no geometries"),
        ("bad.wkt", "POLYGON ((0 0, 1", "not WKT"),
        ("empty.wkt", "   ", "empty file"),
        (
            "mixedz.wkt",
            "POINT (1 2)\nPOINT Z (1 2 3)\n",
            "some geometries have a z coordinate",
        ),
    ],
)
def test_bad_text_files_raise_one_line_input_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError) as info:
        read_points(path)
    msg = str(info.value)
    assert message in msg and str(path) in msg and "\n" not in msg


def test_bad_npy_files(tmp_path):
    np.save(tmp_path / "obj.npy", np.array([object(), 1], dtype=object), allow_pickle=True)
    np.save(tmp_path / "flat.npy", np.arange(6.0))
    (tmp_path / "junk.npy").write_bytes(b"not an npy file at all")
    for name, message in [
        ("obj.npy", "not a plain numeric"),
        ("flat.npy", "shape (n, 2) or (n, 3)"),
        ("junk.npy", str(tmp_path / "junk.npy")),
    ]:
        with pytest.raises(InputError) as info:
            read_points(tmp_path / name)
        assert message in str(info.value)


def test_missing_file_directory_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_points(tmp_path / "nope.csv")
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match="not a file"):
        read_points(tmp_path / "d.csv")
    with pytest.raises(InputError, match=r"cannot read \.shp"):
        read_points(tmp_path / "x.shp")
    with pytest.raises(InputError, match=r"cannot write \.txt"):
        write_points(tmp_path / "x.txt", np.zeros((2, 2)))


def test_ndim_restriction(tmp_path):
    path = tmp_path / "p3.csv"
    write_points(path, np.ones((4, 3)))
    with pytest.raises(InputError, match=r"shape \(n, 2\)"):
        read_points(path, ndim=2)


@pytest.mark.parametrize(
    "name, content, message",
    [
        # the file's 1-based line, blank and comment lines counted (issue 18)
        ("c.csv", "\n# note\n\nx,y\n0,1\n2,3,4\n", "line 6 has 3 columns"),
        ("c.txt", "# a\n\n0 1\n\n# b\n1 2 3\n", "line 6 has 3 columns"),
        ("n.csv", "# a\n\n0,1\n1,2\nnan,3\n", "line 5 is not finite"),
        ("i.txt", "\n\n0 1\n# c\n2 -inf\n", "line 5 is not finite"),
        ("w.csv", "\n# a\nx,y\n0,1\n1,zz\n", "line 5 is not numeric"),
    ],
)
def test_text_reader_names_the_files_own_line(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        read_points(path)
