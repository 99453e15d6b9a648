"""tenants.checks.services.dictionaries: versioned dictionaries, all-or-nothing CSV
import with every broken row named, export that round-trips, rollback, audit."""
import uuid

import pytest
from django.core.exceptions import ValidationError

from jiyue.audit.models import OperationLog
from tenants.checks.models import DEFAULT_LEADER_TITLES, Dictionary, DictionaryVersion, Term
from tenants.checks.services.dictionaries import (
    activate_version, add_term, create_dictionary, export_csv, import_csv, remove_term, set_checked_titles,
)
from tests.factories import apply_site, make_province, make_user

SENSITIVE_CSV = "词语,分类,级别,备注\n绝密,涉密,禁止,密级标志\n内部资料,涉密,提示,\n他妈的,不文明用语,禁止,\n"


def new_dictionary(kind="sensitive", site=None, **kwargs):
    return create_dictionary(acting_user=None, name=f"测试词库{uuid.uuid4().hex[:8]}", kind=kind, site=site,
                             **kwargs)


def terms_of(version):
    return list(version.terms.order_by("position").values_list("text", "replacement", "category", "severity", "note"))


def messages(excinfo):
    return list(excinfo.value.messages)


def test_new_dictionary_starts_with_an_empty_active_version_one():
    made = new_dictionary()
    assert made.active_version.number == 1 and made.active_version.term_count == 0
    assert made.active_version.checked_titles == []
    leaders = new_dictionary("leader_title")
    assert leaders.active_version.checked_titles == DEFAULT_LEADER_TITLES


def test_import_makes_a_new_active_version_with_every_term():
    made = new_dictionary()
    user = make_user()
    version = import_csv(made, SENSITIVE_CSV, acting_user=user, note="首次导入")
    made.refresh_from_db()
    assert made.active_version == version and version.number == 2 and version.term_count == 3
    assert version.created_by == user and version.note == "首次导入"
    assert terms_of(version) == [("绝密", "", "涉密", "block", "密级标志"), ("内部资料", "", "涉密", "warn", ""),
                                 ("他妈的", "", "不文明用语", "block", "")]


def test_import_without_activating_leaves_the_active_version():
    made = new_dictionary()
    version = import_csv(made, SENSITIVE_CSV, acting_user=None, activate=False)
    made.refresh_from_db()
    assert made.active_version.number == 1 and version.number == 2


def test_csv_with_and_without_byte_order_mark_imports_the_same_terms():
    plain, marked = new_dictionary(), new_dictionary()
    a = import_csv(plain, SENSITIVE_CSV.encode("utf-8"), acting_user=None)
    b = import_csv(marked, SENSITIVE_CSV.encode("utf-8-sig"), acting_user=None)
    assert terms_of(a) == terms_of(b) and len(terms_of(a)) == 3


@pytest.mark.parametrize("row, problem", [
    ("机密,涉密", "第3行：缺少“级别”列"),
    ("机密,涉密,严重", "第3行：级别“严重”无效，应为“禁止”或“提示”"),
    (",涉密,禁止", "第3行：词语不能为空"),
    ("绝密,涉密,提示", "第3行：词语“绝密”与第2行重复"),
    ("机密,涉密,禁止,备注,多余", "第3行：多出1列"),
])
def test_broken_csv_row_saves_nothing_and_names_the_row(row, problem):
    made = new_dictionary()
    versions_before, terms_before = DictionaryVersion.objects.count(), Term.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        import_csv(made, f"词语,分类,级别,备注\n绝密,涉密,禁止,\n{row}\n", acting_user=None)
    assert any(message.startswith(problem) for message in messages(excinfo)), messages(excinfo)
    assert DictionaryVersion.objects.count() == versions_before and Term.objects.count() == terms_before
    made.refresh_from_db()
    assert made.active_version.number == 1


def test_every_broken_row_is_listed():
    made = new_dictionary("typo")
    csv_text = "错误写法,正确写法,级别\n其它,其他,\n按装,,提示\n截止目前,截至目前,很高\n其它,其他,提示\n年青,年青人,\n"
    with pytest.raises(ValidationError) as excinfo:
        import_csv(made, csv_text, acting_user=None)
    assert messages(excinfo) == [
        "第3行：正确写法不能为空",
        "第4行：级别“很高”无效，应为“禁止”或“提示”",
        "第5行：错误写法“其它”与第2行重复",
        "第6行：正确写法“年青人”包含错误写法“年青”，正确的写法也会被报为错误",
    ]


def test_wrong_header_is_refused_with_the_expected_header():
    with pytest.raises(ValidationError) as excinfo:
        import_csv(new_dictionary("leader_title"), "名字,职务\n张三,省长\n", acting_user=None)
    [message] = messages(excinfo)
    assert message.startswith("第1行（表头）：未知的列“名字”") and "姓名,正确职务,级别,备注" in message


def test_file_not_in_utf8_is_refused_with_a_hint():
    with pytest.raises(ValidationError) as excinfo:
        import_csv(new_dictionary(), SENSITIVE_CSV.encode("gbk"), acting_user=None)
    assert "UTF-8" in messages(excinfo)[0]


def test_file_without_terms_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        import_csv(new_dictionary(), "\ufeff词语,分类,级别\n\n", acting_user=None)
    assert messages(excinfo) == ["文件中没有词条"]


@pytest.mark.parametrize("kind, csv_text", [
    ("sensitive", SENSITIVE_CSV + "\"带,逗号\",政治,提示,\"多行\n备注\"\n"),
    ("typo", "错误写法,正确写法,分类,级别,备注\n其它,其他,不规范用语,提示,\n按装,安装,,禁止,常见\n"),
    ("leader_title", "姓名,正确职务,级别,备注\n张三,省长、省委副书记,提示,\n李四,副省长,禁止,分管教育\n"),
])
def test_export_round_trips_with_import(kind, csv_text):
    source, target = new_dictionary(kind), new_dictionary(kind)
    first = import_csv(source, csv_text, acting_user=None)
    exported = export_csv(first)
    assert exported.startswith(b"\xef\xbb\xbf")
    second = import_csv(target, exported, acting_user=None)
    assert terms_of(second) == terms_of(first) and second.term_count == first.term_count
    assert export_csv(second) == exported


def test_leader_titles_are_split_and_stored_joined():
    made = new_dictionary("leader_title")
    version = import_csv(made, "姓名,正确职务\n张三,\"省长，省委副书记/省长\"\n", acting_user=None)
    term = version.terms.get()
    assert term.replacement == "省长、省委副书记" and term.correct_titles == ["省长", "省委副书记"]


def test_activating_an_earlier_version_is_the_rollback():
    made = new_dictionary()
    first = import_csv(made, SENSITIVE_CSV, acting_user=None)
    second = import_csv(made, "词语,分类,级别\n机密,涉密,禁止\n", acting_user=None)
    activate_version(first, acting_user=None)
    made.refresh_from_db()
    assert made.active_version == first
    assert terms_of(second) == [("机密", "", "涉密", "block", "")]  # kept as it was
    with pytest.raises(ValidationError):
        activate_version(first, acting_user=None)


def test_versions_cannot_be_changed_once_written():
    version = import_csv(new_dictionary(), SENSITIVE_CSV, acting_user=None)
    version.note = "改过"
    with pytest.raises(ValueError):
        version.save()


def test_add_and_remove_term_each_make_a_new_version_from_the_active_one():
    made = new_dictionary()
    first = import_csv(made, SENSITIVE_CSV, acting_user=None)
    added = add_term(made, acting_user=None, text="机密", category="涉密", severity="禁止")
    assert added.number == first.number + 1 and added.term_count == 4
    assert [t[0] for t in terms_of(added)] == ["绝密", "内部资料", "他妈的", "机密"]
    removed = remove_term(made, "内部资料", acting_user=None)
    assert removed.term_count == 3 and [t[0] for t in terms_of(removed)] == ["绝密", "他妈的", "机密"]
    assert [t[0] for t in terms_of(first)] == ["绝密", "内部资料", "他妈的"]
    made.refresh_from_db()
    assert made.active_version == removed
    # After a rollback, edits start from the version that is active.
    activate_version(first, acting_user=None)
    branched = remove_term(made, "绝密", acting_user=None)
    assert [t[0] for t in terms_of(branched)] == ["内部资料", "他妈的"]


def test_adding_a_term_already_there_or_removing_one_that_is_not_is_refused():
    made = new_dictionary()
    import_csv(made, SENSITIVE_CSV, acting_user=None)
    with pytest.raises(ValidationError) as excinfo:
        add_term(made, acting_user=None, text="绝密", category="涉密", severity="禁止")
    assert "已在词库中" in messages(excinfo)[0]
    with pytest.raises(ValidationError):
        add_term(made, acting_user=None, text="机密", severity="严重")
    with pytest.raises(ValidationError):
        remove_term(made, "不存在的词", acting_user=None)


def test_leader_checked_titles_are_versioned_and_kept_on_import():
    made = new_dictionary("leader_title")
    changed = set_checked_titles(made, "省长、副省长、处长", acting_user=None)
    assert changed.checked_titles == ["省长", "副省长", "处长"]
    imported = import_csv(made, "姓名,正确职务\n张三,省长\n", acting_user=None)
    assert imported.checked_titles == ["省长", "副省长", "处长"]
    made.refresh_from_db()
    assert made.versions.get(number=1).checked_titles == DEFAULT_LEADER_TITLES


def test_dictionary_names_are_unique_within_the_platform_and_within_a_site():
    name = f"重名{uuid.uuid4().hex[:6]}"
    site = apply_site(make_province())
    create_dictionary(acting_user=None, name=name, kind="sensitive")
    create_dictionary(acting_user=None, name=name, kind="sensitive", site=site)  # another owner: fine
    with pytest.raises(ValidationError):
        create_dictionary(acting_user=None, name=name, kind="typo")
    with pytest.raises(ValidationError):
        create_dictionary(acting_user=None, name=name, kind="typo", site=site)


def test_every_write_writes_an_operation_log_row():
    user = make_user()
    site = apply_site(make_province())
    made = create_dictionary(acting_user=user, name=f"审计{uuid.uuid4().hex[:6]}", kind="leader_title", site=site)
    first = import_csv(made, "姓名,正确职务\n张三,省长\n", acting_user=user)
    add_term(made, acting_user=user, text="李四", replacement="副省长")
    remove_term(made, "李四", acting_user=user)
    set_checked_titles(made, ["省长"], acting_user=user)
    activate_version(first, acting_user=user)
    logs = OperationLog.objects.filter(detail__dictionary=made.pk).order_by("created_at", "pk")
    assert [log.action for log in logs] == [
        "checks_create_dictionary", "checks_import_dictionary", "checks_add_term", "checks_remove_term",
        "checks_set_checked_titles", "checks_activate_version",
    ]
    assert all(log.acting_user == user and log.site == site for log in logs)


def test_default_platform_dictionaries_are_seeded():
    seeded = {d.name: d for d in Dictionary.objects.filter(site__isnull=True, name__startswith="全省")}
    sensitive = seeded["全省通用敏感词"].active_version
    assert sensitive.terms.get(text="绝密").severity == "block"
    typo = seeded["全省通用错别字与不规范用语"].active_version
    assert typo.terms.get(text="截止目前").replacement == "截至目前"
    leaders = seeded["全省领导职务"].active_version
    assert leaders.term_count == 0 and leaders.checked_titles == DEFAULT_LEADER_TITLES
