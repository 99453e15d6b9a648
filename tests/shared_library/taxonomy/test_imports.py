"""Importing terms from CSV: adds, renames, moves and reorders by code, never deletes;
every bad row reported by line with nothing written; UTF-8 with or without a BOM and
GB18030; a dry run writes nothing; absent terms left alone or deactivated on request."""
import uuid

import pytest
from django.core.exceptions import ValidationError

from jiyue.audit.models import OperationLog
from shared_library.taxonomy.models import Taxonomy, Term
from shared_library.taxonomy.queries import term_tree
from shared_library.taxonomy.services.imports import import_csv, new_taxonomy

from .conftest import make_taxonomy


def _state(taxonomy):
    """(code, name, parent code, sort order, active) of every term, in display order."""
    return [(term.code, term.name, term.parent.code if term.parent_id else "", term.sort_order, term.is_active)
            for term in Term.objects.filter(taxonomy=taxonomy).select_related("parent").order_by("code")]


def _errors(taxonomy, text, **options):
    with pytest.raises(ValidationError) as error:
        import_csv(taxonomy, text.encode("utf-8") if isinstance(text, str) else text, acting_user=None, **options)
    return error.value.messages


def test_import_adds_renames_moves_and_reorders_by_code(topics):
    before = {term.code: term.pk for term in Term.objects.filter(taxonomy=topics)}
    report = import_csv(topics, (
        "code,name,parent_code,sort_order\n"
        "0902,生态环境保护,09,1\n"        # renamed, reordered
        "0901,城乡规划,09,2\n"            # reordered
        "0101,政务公开,09,3\n"            # moved under 09
        "0903,节能减排,0902,\n"           # new, under a renamed term, after its siblings
        "09,城乡建设、环境保护,,9\n"       # unchanged
    ).encode(), acting_user=None)
    assert (report.added, report.updated, report.unchanged, report.deactivated, report.left_alone) == (1, 3, 1, 0, 2)
    assert report.summary() == "新增1个，更新3个，未变1个，停用0个；另有2个分类不在文件中，保持不变"
    tree = term_tree(topics)
    assert tree.by_code["0903"].path_name == "城乡建设、环境保护 / 生态环境保护 / 节能减排"
    assert tree.by_code["0903"].sort_order == 2  # after 环境监测 (1)
    assert [term.code for term in tree.children(tree.by_code["09"])] == ["0902", "0901", "0101"]
    # The same rows, the same ids: pages of every site still point at them.
    assert all(Term.objects.get(taxonomy=topics, code=code).pk == pk for code, pk in before.items())
    changes = {change.code: change for change in report.changes}
    assert changes["0902"].details() == ["原名“环境保护”", "排序 2 → 1"]
    assert changes["0101"].details() == ["从01移至09", "排序 1 → 3"]
    assert OperationLog.objects.filter(action="import_taxonomy_terms", after__taxonomy=topics.code).count() == 2


def test_a_new_taxonomy_is_created_with_its_tree():
    suffix = uuid.uuid4().hex[:8]
    taxonomy = new_taxonomy(f"audience-{suffix}", f"服务对象{suffix}")
    report = import_csv(taxonomy, "code,name,parent_code\nP,个人,\nP1,老年人,P\nP2,儿童,P\nC,法人,\n",
                        acting_user=None)
    assert report.created_taxonomy and report.added == 4
    saved = Taxonomy.objects.get(code=taxonomy.code)
    assert [(term.code, term.depth, term.sort_order) for term in term_tree(saved)] == [
        ("P", 0, 0), ("P1", 1, 0), ("P2", 1, 1), ("C", 0, 1)]


def test_a_bad_file_is_rejected_with_every_bad_line_and_nothing_written(topics):
    before = _state(topics)
    errors = _errors(topics, (
        "code,name,parent_code,sort_order\n"
        "0103,新分类,,1\n"                    # line 2: fine
        ",无代码,,1\n"                        # line 3: empty code
        "0104,,01,1\n"                        # line 4: empty name
        "0105," + "长" * 61 + ",01,1\n"       # line 5: name too long
        "0103,重复代码,,2\n"                  # line 6: duplicate code
        "0106,城乡规划,01,1\n"                # line 7: name of an existing term
        "0107,孤儿,99,1\n"                    # line 8: unknown parent
        "0108,排序错,01,第一\n"                # line 9: bad sort order
        "0109,同名,01,1\n0110,同名,01,2\n"    # lines 10, 11: the same name twice
        "0111 坏代码,有空格,01,1\n"            # line 12: bad characters in a code
    ))
    assert errors == [
        "第3行：代码为空",
        "第4行：名称为空",
        "第5行：名称有61个字，最多60个字",
        "第6行：代码“0103”与第2行重复",
        "第7行：名称“城乡规划”已是分类0901的名称",
        "第8行：上级代码“99”既不在文件中，也不在分类体系中",
        "第9行：排序“第一”不是整数",
        "第10行：名称“同名”与第11行重复",
        "第11行：名称“同名”与第10行重复",
        "第12行：代码“0111 坏代码”只能包含字母、数字、“-”“_”和“.”",
    ]
    assert _state(topics) == before


def test_a_cycle_made_by_the_file_is_refused(topics):
    before = _state(topics)
    errors = _errors(topics, "code,name,parent_code,sort_order\n09,城乡建设、环境保护,090201,9\n")
    assert errors == ["第2行：“城乡建设、环境保护”不能放在“环境监测”之下：会形成循环"
                      "（城乡建设、环境保护 → 环境保护 → 环境监测 → 城乡建设、环境保护）"]
    errors = _errors(topics, "code,name,parent_code\na,甲,b\nb,乙,a\n")
    assert len(errors) == 2 and all("会形成循环" in message for message in errors)
    assert errors[0].startswith("第2行：") and errors[1].startswith("第3行：")
    assert _state(topics) == before


def test_two_terms_may_swap_names_in_one_import(topics):
    import_csv(topics, "code,name\n0901,环境保护\n0902,城乡规划\n", acting_user=None)
    names = {term.code: term.name for term in Term.objects.filter(taxonomy=topics)}
    assert (names["0901"], names["0902"]) == ("环境保护", "城乡规划")


def test_gb18030_file_as_excel_in_china_saves_it(topics):
    text = "code,name,parent_code,sort_order\r\n0903,土壤污染防治,0902,3\r\n"
    report = import_csv(topics, text.encode("gb18030"), acting_user=None)
    assert report.encoding == "GB18030" and report.added == 1
    assert term_tree(topics).by_code["0903"].path_name == "城乡建设、环境保护 / 环境保护 / 土壤污染防治"


def test_utf8_with_a_byte_order_mark(topics):
    report = import_csv(topics, "\ufeffcode,name,parent_code,sort_order\n0904,固体废物,09,4\n".encode(),
                        acting_user=None)
    assert report.encoding == "UTF-8" and report.added == 1
    assert Term.objects.get(taxonomy=topics, code="0904").name == "固体废物"


def test_an_undecodable_or_headerless_file_is_refused(topics):
    assert _errors(topics, b"\xff\xfe" + "code,name".encode("utf-16-le"))[0].startswith("文件是UTF-16编码")
    assert "表头" in _errors(topics, "0101,政务公开,01,1\n")[0]
    assert _errors(topics, "code,title\n")[0] == (
        "第1行（表头）：未知的列“title”；缺少列“name”。表头应为：code,name,parent_code,sort_order（可加 is_active 列）")
    assert _errors(topics, "code,name\n") == ["文件中没有分类"]
    assert _errors(topics, "code,name\n0101,政务公开,多余\n") == ["第2行：超出表头2列的单元格有1个"]


def test_dry_run_writes_nothing_and_reports_what_would_change(topics):
    before = _state(topics)
    logs = OperationLog.objects.count()
    report = import_csv(topics, "code,name,parent_code,sort_order\n09,城乡建设、环境保护,,9\n0902,生态环境,09,2\n"
                                "0905,新增分类,09,\n", acting_user=None, dry_run=True, deactivate_missing=True)
    assert report.dry_run and (report.added, report.updated, report.unchanged, report.deactivated) == (1, 1, 1, 4)
    assert report.summary() == "试运行，未写入：新增1个，更新1个，未变1个，停用4个"
    assert _state(topics) == before and OperationLog.objects.count() == logs


def test_deactivate_missing_deactivates_terms_absent_from_the_file(topics):
    report = import_csv(topics, (
        "code,name,parent_code,sort_order\n09,城乡建设、环境保护,,9\n0901,城乡规划,09,1\n"
    ), acting_user=None, deactivate_missing=True)
    assert report.deactivated == 4 and report.unchanged == 2
    active = {term.code for term in Term.objects.filter(taxonomy=topics, is_active=True)}
    assert active == {"09", "0901"}
    assert Term.objects.filter(taxonomy=topics).count() == 6  # deactivated, not deleted


def test_deactivate_missing_refuses_a_row_under_a_missing_parent(topics):
    errors = _errors(topics, "code,name,parent_code,sort_order\n090201,环境监测,0902,1\n", deactivate_missing=True)
    assert errors == ["第2行：上级分类“环境保护”不在文件中，将被停用（已选择停用文件中没有的分类）"]


def test_deactivating_a_parent_in_the_file_while_children_stay_active_is_refused(topics):
    errors = _errors(topics, "code,name,is_active\n0902,环境保护,0\n")
    assert errors == ["第2行：“环境保护”还有启用的下级分类“环境监测”：请先停用或移走下级分类"]
    report = import_csv(topics, "code,name,is_active\n0902,环境保护,0\n090201,环境监测,0\n", acting_user=None)
    assert report.deactivated == 2


def test_a_term_left_out_is_left_as_it_is(topics):
    report = import_csv(topics, "code,name\n0101,政务公开\n", acting_user=None)
    assert report.unchanged == 1 and report.left_alone == 5
    assert Term.objects.filter(taxonomy=topics, is_active=True).count() == 6


def test_a_missing_column_keeps_the_values_of_existing_terms(topics):
    """Without parent_code and sort_order in the header, a rename moves nothing."""
    import_csv(topics, "code,name\n090201,环境监测与评价\n", acting_user=None)
    term = term_tree(topics).by_code["090201"]
    assert term.path_name == "城乡建设、环境保护 / 环境保护 / 环境监测与评价" and term.sort_order == 1


def test_an_outdated_confirmation_is_refused(topics):
    text = "code,name,parent_code,sort_order\n0906,新分类甲,09,6\n".encode()
    digest = import_csv(topics, text, acting_user=None, dry_run=True).digest()
    import_csv(topics, "code,name\n0906,别人先加的\n".encode(), acting_user=None)
    with pytest.raises(ValidationError) as error:
        import_csv(topics, text, acting_user=None, expected_digest=digest)
    assert error.value.code == "stale_preview"
    assert Term.objects.get(taxonomy=topics, code="0906").name == "别人先加的"


def test_an_existing_taxonomy_export_imports_back_unchanged(topics):
    from shared_library.taxonomy.lib.csv_format import write_csv

    data = write_csv(term_tree(topics))
    assert data.startswith(b"\xef\xbb\xbf")
    report = import_csv(topics, data, acting_user=None)
    assert report.unchanged == 6 and not report.changed
    copy = make_taxonomy()
    report = import_csv(copy, data, acting_user=None)
    assert report.added == 6
    assert [term.path_name for term in term_tree(copy)] == [term.path_name for term in term_tree(topics)]
