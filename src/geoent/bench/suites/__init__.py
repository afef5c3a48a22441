"""The contender sets, one module per suite; importing this package registers them all.

To add a suite, write a module here that builds a :class:`geoent.bench.Suite` and
passes it to :func:`geoent.bench.register`, then import it below: the order of the
imports is the run order of ``geoent bench``.
"""

# isort: off
from . import (  # noqa: F401
    hull2d,
    batched,
    hull3d,
    delaunay,
    delaunay3d,
    voronoi,
    interpolate,
    entropy,
    entropynet,
    geo,
)
# isort: on
