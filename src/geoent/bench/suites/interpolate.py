"""Suite ``interpolate``: ``griddata(method="linear")``, geoent.interpolate against scipy.

Each input of n points gets smooth values and a g x g grid over its bounding box
(g = round(sqrt(n))), built apart (``prepare``, not in the median). ``error`` is
None (no exact reference is computed); the notes give the largest difference from
scipy's values where both are finite and the number of grid nodes whose NaN status
differs (a query on the hull boundary: geoent
locates it exactly; scipy uses a tolerance). On cocircular input (grids) the two
triangulations may legitimately differ, and so may the values.
"""

from __future__ import annotations

import numpy as np

from ...datasets import make_points
from ..model import Contender, Suite
from ..runner import register

__all__ = ["SUITE"]


def _case(p):
    v = np.sin(3 * p[:, 0]) * np.cos(2 * p[:, 1])
    g = max(2, round(float(np.sqrt(len(p)))))
    lo, hi = p.min(axis=0), p.max(axis=0)
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], g), np.linspace(lo[1], hi[1], g))
    return p, v, (gx, gy)


def contenders():
    from scipy.interpolate import griddata as scipy_griddata

    from ...interpolate import griddata

    return [
        Contender("geoent", run=lambda s: griddata(*s), prepare=_case, compiled=True),
        Contender("scipy", run=lambda s: scipy_griddata(*s), prepare=_case),
    ], []


def error(data, canon, name):
    # ``error`` is reserved for the error against an exact answer, which is not
    # computed here (interpolated values are rounded floats): None, and the
    # difference from scipy's values goes into the notes
    if name == "scipy" or "scipy" not in canon:
        return None, ""
    a, b = canon[name], canon["scipy"]
    both = np.isfinite(a) & np.isfinite(b)
    diff = float(np.abs(a[both] - b[both]).max()) if both.any() else 0.0
    differ = int((np.isnan(a) != np.isnan(b)).sum())
    return None, f"max |diff| vs scipy {diff:.1e}; NaN status differs at {differ} nodes"


SUITE = register(
    Suite(
        "interpolate",
        "griddata_linear",
        ("uniform", "gaussian", "kuzmin"),
        (10_000, 100_000, 1_000_000),
        ("uniform",),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=error,
    )
)
