"""Exactness checks of a contender's result against geoent's exact answer.

Triangulations are judged by :func:`geoent.testing.delaunay_defects` (exact
predicates, no reference needed); hulls by their vertex coordinates here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["hull_vertex_error", "vertex_set_error", "defect_note"]


def _row_keys(a: np.ndarray) -> np.ndarray:
    """Rows of a float array as opaque byte strings (``-0.0`` counted as ``0.0``)."""
    a = np.ascontiguousarray(np.asarray(a, dtype=np.float64).reshape(len(a), -1) + 0.0)
    return a.view(np.dtype((np.void, a.dtype.itemsize * a.shape[1]))).ravel()


def hull_vertex_error(exact: np.ndarray, got: np.ndarray) -> tuple[int, int]:
    """``(missing, extra)``: exact hull vertices absent from ``got``, and the reverse.

    Both arguments are vertex *coordinates* (one row a vertex; a leading set-id
    column for batched hulls), so the comparison does not depend on which of
    several duplicate points a library reports.

    Examples
    --------
    >>> import numpy as np
    >>> hull_vertex_error(np.array([[0., 0], [1, 0], [0, 1]]), np.array([[0., 0], [1, 0]]))
    (1, 0)
    """
    e = np.unique(_row_keys(exact))
    g = np.unique(_row_keys(got))
    return int(np.count_nonzero(~np.isin(e, g))), int(np.count_nonzero(~np.isin(g, e)))


def vertex_set_error(data, canon, name, *, ref="geoent"):
    """``(error, note)`` of contender ``name``: hull vertices missing plus extra, against
    the canonical vertex coordinates of ``ref`` (geoent's exact answer)."""
    if ref not in canon:
        return None, "no exact reference"
    if canon[name] is None:
        return None, "result not checked"
    if name == ref:
        return 0.0, ""
    missing, extra = hull_vertex_error(canon[ref], canon[name])
    err = float(missing + extra)
    note = (
        f"vertices: {missing} missing, {extra} extra (of {len(np.unique(_row_keys(canon[ref])))})"
    )
    return err, (note if err else "")


def defect_note(d: dict) -> str:
    """The nonzero counts of a :func:`geoent.testing.delaunay_defects` dict, in words."""
    parts = [
        f"{k} {d[k]}"
        for k in ("missing", "foreign", "degenerate", "non_delaunay", "nonmanifold")
        if d[k]
    ]
    if d["area"]:
        parts.append("areas do not sum to the hull's")
    return ", ".join(parts)
