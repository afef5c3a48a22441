"""Suite ``entropy``: the certified range-partition entropy (no peer computes one)."""

from __future__ import annotations

from ...datasets import DISTRIBUTIONS_2D, make_points
from ...entropy import is_respectful, range_partition_entropy
from ..model import Contender, Suite
from ..runner import register

__all__ = ["SUITE"]

CHECK_MAX_N = 200_000  # the exact respectfulness check is skipped above this size


def contenders():
    cs = [Contender("geoent", run=range_partition_entropy, canon=lambda d, s, r: r, compiled=True)]
    return cs, ["no peer computes a certified range-partition entropy"]


def error(data, canon, name):
    res = canon[name]
    if len(data) > CHECK_MAX_N:
        return None, "partition not checked above 2e5 points"
    ok = bool(is_respectful(data, res.labels, res.triangles))
    return (0.0, "partition checked respectful") if ok else (1.0, "partition NOT respectful")


SUITE = register(
    Suite(
        "entropy",
        "range_partition_entropy",
        tuple(DISTRIBUTIONS_2D),
        (1_000, 10_000, 100_000, 1_000_000),
        ("uniform", "circle", "kuzmin"),
        (10_000, 100_000),
        make_input=make_points,
        contenders=contenders,
        error=error,
    )
)
