# ruff: noqa: E501 - one signature per line, as recorded
"""The exports compiled ahead of time: ``<module>__<kernel>`` -> pycc signature(s).

One table, read by the build (``aot_exports.py``) and, without numba, by the
resolver's argument checks (``geoent._aot``, ``GEOENT_AOT_CHECK=1``). Each signature
is exactly what the API passes to the ``@njit`` kernel ``geoent._kernels.<module>.
<kernel>`` (readonly arrays written as writable ones: compiled code does not
distinguish them) and what it returns; recorded with ``benchmarks/aot_signatures.py``
and then pinned here. A kernel the API calls with two signatures lists both (the
resolver picks by argument types). A kernel whose arguments or results change must
change here too: ``tests/test_aot.py`` runs each family on both paths, with the
arguments checked against this table.
"""

EXPORTS = {
    "delaunay2d__count_finite": "i8(i4[::1], i8, i8, u1[::1])",
    "delaunay2d__extract_into": "none(i4[::1], i4[::1], i8, i8, i8[::1], i4[:, ::1], i4[:, ::1], i4[::1], i4[::1], u1[::1])",
    "delaunay2d__extract_simplices": "none(i4[::1], i8, i8, i8[::1], i8[:, ::1], u1[::1])",
    "delaunay2d__hull_cycle": "i8[:, ::1](i4[::1], i4[::1], i8, i8, i8[::1], u1[::1])",
    "delaunay2d__triangulate": "UniTuple(i8, 2)(f8[::1], f8[::1], i4[::1], i4[::1], i4[::1], i8, u1[::1])",
    "delaunay2d__vertex_labels": "i8[::1](i8[::1], i4[::1])",
    "entropy__build_pockets": "UniTuple(i8[::1], 6)(f8[::1], f8[::1], i8[::1], i8[::1], i8)",
    "entropy__count_in_triangles": "i8[::1](f8[::1], f8[::1], i8[::1], f8[:, ::1])",
    "entropy__group_small": "Tuple((i8[::1], i8[:, ::1], i8))(f8[::1], f8[::1], i8[::1])",
    "entropy__locate": "none(f8[::1], f8[::1], f8[::1], f8[::1], i8[::1], i8[::1], i8[::1], f8[:, ::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1])",
    "entropy__order_by_label": "i8[::1](i8[::1], i8[::1], i8)",
    "entropy__part_counts": "i8[::1](i8[::1], i8)",
    "entropy__regroup_apexes": "none(i8[::1], i8, i8[::1], i8[::1], i8[::1], i8[::1], i8[::1], i8[::1])",
    "entropy__renumber": "none(i8[::1], i8[::1])",
    "entropy__root_candidate_rows": "i8[:, ::1](f8[::1], f8[::1], i8[::1])",
    "entropy__root_part_sizes": "UniTuple(i8[::1], 2)(f8[::1], f8[::1], i8[::1], f8[::1], f8[::1], i8[:, ::1])",
    "entropy__small_parts": "i8[::1](i8[::1], i8[::1], i8)",
    "floats__range_stats": "Tuple((f8, f8, i8))(f8[::1])",
    "gather__gather_xy": "UniTuple(f8[::1], 2)(f8[::1], i8[::1], i8)",
    "gather__gather_xy_extent": "Tuple((f8[::1], f8[::1], f8, f8))(f8[:, ::1], i8[::1], u1[::1])",
    "hull2d__monotone_chain": "i8[::1](f8[::1], f8[::1], i8[::1])",
    "hull2d__sorted_hull": "i8[::1](f8[::1], i8[::1])",
    "hull2d_ks__ks_vertices": "UniTuple(i8[::1], 3)(f8[::1], i8[::1], i8)",
    "hull2d_small__small_survivors": "Tuple((i8[::1], i8))(f8[::1])",
    "hull3d__abs_range": "UniTuple(f8, 2)(f8[:, ::1])",
    "hull3d__build_cubemap": "i4[::1](f8[:], f8[:], f8[:], i4[:, ::1], i4[:, ::1], u1[::1], i8[::1], f8[::1], i8, f8)",
    "hull3d__choose_sample": "Tuple((u1[::1], i8[::1]))(i8, i8, i8)",
    "hull3d__compact": "UniTuple(i8[:, ::1], 2)(i4[:, ::1], i4[:, ::1], u1[::1], i8)",
    "hull3d__compact_inplace": "i8(i4[:, ::1], i4[:, ::1], u1[::1], i8, i4[::1])",
    "hull3d__corners": [
        "i8[::1](i4[:, ::1], u1[::1], i8, i8)",
        "i8[::1](i8[:, ::1], u1[::1], i8, i8)",
    ],
    "hull3d__facet_planes": "f8[:, ::1](f8[:], f8[:], f8[:], i4[:, ::1], u1[::1], i8, f8[::1])",
    "hull3d__filter_points": "i8[::1](f8[:, ::1], u1[::1], f8[:], f8[:], f8[:], i4[:, ::1], i4[:, ::1], f8[::1], i4[::1], i8, f8[:, ::1], f8, UniTuple(f8, 6), u1[::1])",
    "hull3d__find_tetra": "UniTuple(i8, 5)(f8[:, ::1], i8[::1], u1[::1])",
    "hull3d__grow_state": "Tuple((i4[:, ::1], i4[:, ::1], u1[::1], i4[::1]))(i4[:, ::1], i4[:, ::1], u1[::1], i4[::1], i8[::1], i8)",
    "hull3d__init_tetra": "none(f8[:], f8[:], f8[:], i8, i8, i8, i8, i4[:, ::1], i4[:, ::1], u1[::1], i8[::1], f8[::1])",
    "hull3d__inner_box": "UniTuple(f8, 6)(f8[:], f8[:], f8[:], i4[:, ::1], i4[:, ::1], u1[::1], i8[::1], f8[::1], f8[:, ::1], i8)",
    "hull3d__inner_radius2": "f8(f8[:, ::1], u1[::1], i8, f8[::1])",
    "hull3d__insert_range": "none(f8[:], f8[:], f8[:], i8[::1], i8, i8, f8[::1], i4[:, ::1], i4[:, ::1], u1[::1], i4[::1], i8[::1], i4[::1], i8[::1], u1[::1])",
    "hull3d__lowest_duplicates": "UniTuple(i8[::1], 3)(f8[:], f8[:], f8[:], i8[::1], i8[::1], i8)",
    "hull3d__merge_coplanar": "Tuple((i8[:, ::1], i8[:, ::1], b1))(f8[:], f8[:], f8[:], i8[:, ::1], i8[:, ::1], i8)",
    "hull3d__new_state": "Tuple((i4[:, ::1], i4[:, ::1], u1[::1], i4[::1]))(i8)",
    "hull3d__relabel": "none(i4[:, ::1], u1[::1], i8, i8[::1], i8[::1], i8)",
    "hull3d__rename": [
        "none(i4[:, ::1], i8[::1], i8[::1])",
        "none(i8[:, ::1], i8[::1], i8[::1])",
    ],
    "hull3d__strictly_inside": "b1(f8[:], f8[:], f8[:], i4[:, ::1], u1[::1], i8, f8, f8, f8)",
    "hulls_batched__compact_hulls": "UniTuple(i8[::1], 2)(i8[::1], i8[::1], i8[::1], i8, b1[::1])",
    "hulls_batched__many_hulls_serial": "Tuple((i8[::1], i8[::1], b1[::1]))(f8[::1], i8[::1], i8, u1[::1])",
    "ordering__hilbert_keys": "Tuple((u8[::1], b1))(f8[:], f8[:], i8[::1], u2[::1], i8, i8[::1], i8, u1[::1])",
    "ordering__morton_order": "i8[::1](f8[:, ::1], i8[::1])",
    "ordering__multiscale": "i8[::1](i8[::1], i8, u1[::1])",
    "ordering__refine_runs": "none(f8[:], f8[:], i8[::1], u8[::1], i8, u2[::1], i8, i8[::1], u1[::1])",
    "predicates__incircle_batch": "none(f8[:, ::1], f8[:, ::1], f8[:, ::1], f8[:, ::1], i1[::1])",
    "predicates__insphere_batch": "none(f8[:, ::1], f8[:, ::1], f8[:, ::1], f8[:, ::1], f8[:, ::1], i1[::1])",
    "predicates__orient2d": "f8(f8, f8, f8, f8, f8, f8)",
    "predicates__orient2d_batch": "none(f8[:, ::1], f8[:, ::1], f8[:, ::1], i1[::1])",
    "predicates__orient3d_batch": "none(f8[:, ::1], f8[:, ::1], f8[:, ::1], f8[:, ::1], i1[::1])",
}
