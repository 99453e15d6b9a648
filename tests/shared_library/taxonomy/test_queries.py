"""The tree of a taxonomy: display order, depth and path names in one query, a term's
descendants in one recursive query, path names of many terms in one query."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_library.taxonomy.models import Term
from shared_library.taxonomy.queries import descendant_ids, path_name, path_names, term_tree, \
    terms_with_descendants

from .conftest import make_taxonomy


def _statements(captured):
    """The queries run, without django-tenants' `SET search_path` before each cursor."""
    return [query["sql"] for query in captured.captured_queries if not query["sql"].startswith("SET search_path")]


def _terms(taxonomy):
    return {term.code: term for term in Term.objects.filter(taxonomy=taxonomy)}


def test_the_tree_comes_in_display_order_with_depths_and_path_names_in_one_query(topics):
    with CaptureQueriesContext(connection) as queries:
        tree = term_tree(topics)
        listed = [(term.code, term.depth, term.path_name) for term in tree]
    assert len(_statements(queries)) == 1
    assert listed == [
        ("01", 0, "综合政务"),
        ("0101", 1, "综合政务 / 政务公开"),
        ("09", 0, "城乡建设、环境保护"),
        ("0901", 1, "城乡建设、环境保护 / 城乡规划"),
        ("0902", 1, "城乡建设、环境保护 / 环境保护"),
        ("090201", 2, "城乡建设、环境保护 / 环境保护 / 环境监测"),
    ]
    assert [term.code for term in tree.roots] == ["01", "09"]
    assert [term.code for term in tree.children(tree.by_code["09"])] == ["0901", "0902"]
    assert tree.by_code["09"].child_count == 2 and tree.by_code["090201"].child_count == 0


def test_the_tree_of_a_large_taxonomy_is_still_one_query():
    rows = [(f"r{i}", f"根{i}", "", i) for i in range(20)]
    rows += [(f"r{i}c{j}", f"根{i}子{j}", f"r{i}", j) for i in range(20) for j in range(10)]
    taxonomy = make_taxonomy(rows)
    with CaptureQueriesContext(connection) as queries:
        tree = term_tree(taxonomy.code)
        assert len(tree) == 220 and tree.nodes[1].path_name == "根0 / 根0子0"
    assert len(_statements(queries)) == 1


def test_siblings_sort_by_sort_order_then_code():
    taxonomy = make_taxonomy([("b", "乙", "", 1), ("a", "甲", "", 1), ("c", "丙", "", 0)])
    assert [term.code for term in term_tree(taxonomy)] == ["c", "a", "b"]


def test_active_only_leaves_out_inactive_subtrees(topics):
    from shared_library.taxonomy.services.terms import deactivate_term

    terms = _terms(topics)
    deactivate_term(terms["090201"], acting_user=None)
    deactivate_term(terms["0902"], acting_user=None)
    codes = [term.code for term in term_tree(topics, active_only=True)]
    assert codes == ["01", "0101", "09", "0901"]


def test_descendant_ids_include_the_whole_subtree_in_one_query(topics):
    terms = _terms(topics)
    with CaptureQueriesContext(connection) as queries:
        ids = descendant_ids(terms["09"])
    assert len(_statements(queries)) == 1
    assert set(ids) == {terms[code].pk for code in ("09", "0901", "0902", "090201")}
    assert set(descendant_ids(terms["0902"].pk, include_self=False)) == {terms["090201"].pk}
    assert descendant_ids(terms["0101"]) == [terms["0101"].pk]
    matched = Term.objects.filter(terms_with_descendants([terms["0902"], terms["01"]]))
    assert {term.code for term in matched} == {"0902", "090201", "01", "0101"}


def test_path_names_of_many_terms_in_one_query(topics):
    terms = _terms(topics)
    with CaptureQueriesContext(connection) as queries:
        names = path_names([terms["090201"], terms["01"], terms["0901"].pk])
    assert len(_statements(queries)) == 1
    assert names == {terms["090201"].pk: "城乡建设、环境保护 / 环境保护 / 环境监测", terms["01"].pk: "综合政务",
                     terms["0901"].pk: "城乡建设、环境保护 / 城乡规划"}
    assert path_name(terms["0902"]) == "城乡建设、环境保护 / 环境保护"
    assert path_name(terms["01"]) == "综合政务"


def test_the_standard_lists_are_roots():
    tree = term_tree("topic")
    seeded = [tree.by_code[f"{number:02d}"] for number in range(1, 22)]
    assert all(term.parent_id is None and term.depth == 0 for term in seeded)
    assert tree.by_code["01"].path_name == "综合政务"
