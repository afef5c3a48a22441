"""Exceptions raised by geoent.

Every error geoent raises on bad input is a ``ValueError`` subclass, so code that
already catches ``ValueError`` (as it would for numpy or scipy) keeps working.
"""

__all__ = ["GeometryError", "InputError", "RangeError"]


class InputError(ValueError):
    """The input is not an array of finite points of the expected shape."""


class RangeError(InputError):
    """Coordinates span more binary orders of magnitude than exact arithmetic allows."""


class GeometryError(ValueError):
    """The input is valid but has no answer of the requested kind.

    For instance a :class:`~geoent.ConvexHull` of points with no 2D extent (all
    collinear), which scipy reports as a ``QhullError``.
    """
