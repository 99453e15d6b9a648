"""tenants.checks.engine: what a check finds, where, and how the automatons are built
and shared. Dictionaries are made through the real services, with words unique to the
test (the database is shared by the whole session, platform dictionaries included)."""
import json
import uuid

import pytest
from django_tenants.utils import tenant_context

from tenants.checks import engine
from tenants.checks.engine import CheckedField, CheckReport, Finding, check_fields, highlight
from tenants.checks.services.dictionaries import activate_version, add_term, create_dictionary, import_csv
from tests.factories import apply_site, make_online_site, make_province


def tag():
    return uuid.uuid4().hex[:8]


def dictionary(kind, csv_text, *, site=None, **kwargs):
    made = create_dictionary(acting_user=None, name=f"测试词库{tag()}", kind=kind, site=site, **kwargs)
    import_csv(made, csv_text, acting_user=None)
    made.refresh_from_db()
    return made


def check(text, *, site_id=None):
    return check_fields([CheckedField("body", "正文", text)], site_id=site_id)


def found(report, text):
    return [finding for finding in report.findings if finding.text == text]


@pytest.fixture
def private_cache():
    """A fresh per-process cache that does not use the shared one, restored afterwards."""
    saved = engine.matcher_cache
    engine.matcher_cache = engine.MatcherCache(use_shared=False)
    yield engine.matcher_cache
    engine.matcher_cache = saved


def test_blocking_word_is_found_with_its_position():
    word = f"绝密{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},涉密,禁止\n")
    text = f"关于{word}文件的通知"
    report = check(text)
    [finding] = found(report, word)
    assert (finding.start, finding.end) == (2, 2 + len(word)) and text[finding.start:finding.end] == word
    assert finding.rule == "sensitive" and finding.severity == "block" and finding.category == "涉密"
    assert finding.field == "body" and finding.label == "正文"
    assert finding.message == f"含禁止使用的词语“{word}”（涉密）"
    assert finding in report.blocking and finding not in report.warnings


def test_warning_word_is_a_warning_not_a_block():
    word = f"慎用{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},政治,提示\n")
    [finding] = found(check(f"这是{word}。"), word)
    assert finding.severity == "warn" and "请确认" in finding.message


def test_typo_is_reported_with_its_correction():
    wrong, right = f"按装{tag()}", "安装"
    dictionary("typo", f"错误写法,正确写法\n{wrong},{right}\n")
    [finding] = found(check(f"已{wrong}完毕"), wrong)
    assert finding.rule == "typo" and finding.severity == "warn" and finding.suggestion == right
    assert finding.message == f"疑似错别字或不规范用语“{wrong}”，应为“{right}”"


def test_default_dictionaries_catch_secret_markings_and_common_typos():
    report = check("截止目前，该文件属绝密，其它事项另行通知。")
    [typo] = found(report, "截止目前")
    assert typo.suggestion == "截至目前" and typo.severity == "warn" and typo.start == 0
    [secret] = found(report, "绝密")
    assert secret.severity == "block" and secret.category == "涉密"
    assert found(report, "其它")[0].suggestion == "其他"


def test_longest_match_wins_and_matches_inside_it_are_dropped():
    t = tag()
    short, long, inner = f"{t}中华", f"{t}中华人民", f"{t[4:]}中华人"
    dictionary("sensitive", f"词语,分类,级别\n{short},政治,提示\n{long},政治,禁止\n{inner},政治,提示\n")
    report = check(f"甲{long}乙")
    mine = [f for f in report.findings if t[4:] in f.text]
    assert [(f.text, f.start) for f in mine] == [(long, 1)]


def test_partly_overlapping_words_are_both_reported():
    t = tag()
    first, second = f"{t}甲乙", f"乙丙{t}"
    dictionary("sensitive", f"词语,分类,级别\n{first},政治,提示\n{second},政治,提示\n")
    report = check(f"{t}甲乙丙{t}")
    assert [f.text for f in report.findings if t in f.text] == [first, second]


def test_findings_are_sorted_by_field_order_then_position():
    a, b = f"甲{tag()}", f"乙{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{a},政治,提示\n{b},政治,禁止\n")
    fields = [CheckedField("title", "标题", f"{b}与{a}"), CheckedField("body.0", "正文", f"{a}，{b}")]
    report = check_fields(fields, site_id=None)
    mine = [(f.field, f.text, f.start) for f in report.findings if f.text in (a, b)]
    assert mine == [("title", b, 0), ("title", a, len(b) + 1), ("body.0", a, 0), ("body.0", b, len(a) + 1)]
    keys = [(["title", "body.0"].index(f.field), f.start) for f in report.findings]
    assert keys == sorted(keys)


def test_leader_with_wrong_title_is_flagged():
    name = f"张{tag()}"
    dictionary("leader_title", f"姓名,正确职务\n{name},省长\n")
    text = f"{name}副省长主持会议。副省长{name}指出，{name}省长强调"
    report = check(text)
    mine = [f for f in report.findings if f.rule == "leader_title" and name in f.text]
    assert [f.text for f in mine] == [f"{name}副省长", f"副省长{name}"]
    assert all(f.suggestion == "省长" and f.severity == "warn" for f in mine)
    assert mine[0].message == f"领导职务可能有误：“{name}副省长”，{name}的职务为省长"
    assert text[mine[1].start:mine[1].end] == f"副省长{name}"


def test_leader_with_correct_title_is_not_flagged_even_when_a_shorter_title_is_inside():
    deputy, secretary = f"李{tag()}", f"王{tag()}"
    dictionary("leader_title", f"姓名,正确职务\n{deputy},副省长\n{secretary},市委书记、市长\n")
    report = check(f"副省长{deputy}、{deputy}副省长；市委书记{secretary}，{secretary}市长")
    assert not [f for f in report.findings if f.rule == "leader_title"]
    report = check(f"省长{deputy}，{secretary}副市长")
    assert [f.text for f in report.findings if f.rule == "leader_title"] == [f"省长{deputy}", f"{secretary}副市长"]


def test_leader_titles_checked_are_configurable():
    name = f"赵{tag()}"
    dictionary("leader_title", f"姓名,正确职务\n{name},局长\n", checked_titles=["局长", "处长"])
    report = check(f"{name}处长、{name}副局长")
    assert [f.text for f in report.findings if name in f.text] == [f"{name}处长"]


def test_site_dictionary_applies_to_its_own_site():
    site = apply_site(make_province())
    word = f"本站{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},本地,禁止\n", site=site)
    assert found(check(f"含{word}", site_id=site.pk), word)


def test_site_dictionary_does_not_apply_to_other_sites():
    site, other = apply_site(make_province()), apply_site(make_province())
    word = f"本站{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},本地,禁止\n", site=site)
    assert not found(check(f"含{word}", site_id=other.pk), word)
    assert not found(check(f"含{word}", site_id=None), word)


def test_same_word_in_platform_and_site_dictionary_is_reported_once_at_the_higher_severity():
    site = apply_site(make_province())
    word = f"双{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},政治,提示\n")
    dictionary("sensitive", f"词语,分类,级别\n{word},本地,禁止\n", site=site)
    [finding] = found(check(f"{word}", site_id=site.pk), word)
    assert finding.severity == "block"


def test_report_names_the_versions_it_used():
    site = apply_site(make_province())
    own = dictionary("typo", f"错误写法,正确写法\n错{tag()},对\n", site=site)
    report = check("无", site_id=site.pk)
    assert own.active_version_id in report.versions
    platform_ids = [version for version, in_site in _active(site) if not in_site]
    assert set(platform_ids) <= set(report.versions)


def _active(site):
    from tenants.checks.models import Dictionary

    return [(d.active_version_id, d.site_id is not None)
            for d in Dictionary.objects.filter(site__isnull=True) | Dictionary.objects.filter(site=site)]


def test_rollback_to_an_earlier_version_changes_what_is_found():
    old, new = f"旧{tag()}", f"新{tag()}"
    made = dictionary("sensitive", f"词语,分类,级别\n{old},政治,禁止\n")
    first = made.active_version
    import_csv(made, f"词语,分类,级别\n{new},政治,禁止\n", acting_user=None)
    text = f"{old}和{new}"
    assert [f.text for f in check(text).findings if f.text in (old, new)] == [new]
    activate_version(first, acting_user=None)
    assert [f.text for f in check(text).findings if f.text in (old, new)] == [old]


def test_automaton_built_once_per_dictionary_version(private_cache):
    site, other = apply_site(make_province()), apply_site(make_province())
    made = dictionary("sensitive", f"词语,分类,级别\n甲{tag()},政治,禁止\n", site=site)
    check("一", site_id=site.pk)
    assert private_cache.stats.builds == 2  # platform-wide, and the site's own
    check("二", site_id=site.pk)
    check("三", site_id=site.pk)
    assert private_cache.stats.builds == 2
    check("四", site_id=other.pk)  # the platform automaton is shared by every site
    assert private_cache.stats.builds == 2
    add_term(made, acting_user=None, text=f"乙{tag()}", category="政治", severity="禁止")
    check("五", site_id=site.pk)
    assert private_cache.stats.builds == 3  # only the site's new version
    check("六", site_id=site.pk)
    assert private_cache.stats.builds == 3


def test_another_process_loads_the_automaton_from_the_shared_cache_instead_of_building():
    site = apply_site(make_province())
    word = f"共享{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},政治,禁止\n", site=site)
    first = engine.MatcherCache(use_shared=True)
    second = engine.MatcherCache(use_shared=True)  # as a second worker process would
    saved = engine.matcher_cache
    try:
        engine.matcher_cache = first
        check("一", site_id=site.pk)
        assert first.stats.builds + first.stats.shared_loads == 2 and first.stats.builds >= 1
        engine.matcher_cache = second
        report = check(word, site_id=site.pk)
        assert second.stats.builds == 0 and second.stats.shared_loads == 2
        assert found(report, word)
    finally:
        engine.matcher_cache = saved


def test_check_works_while_the_connection_is_in_a_site_schema(private_cache):
    site = make_online_site()
    word = f"站内{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},本地,禁止\n", site=site)
    with tenant_context(site):
        report = check(f"正文{word}", site_id=site.pk)
    assert found(report, word) and private_cache.stats.builds == 2


def test_offsets_count_characters_also_after_characters_outside_the_bmp():
    word = f"字{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},政治,禁止\n")
    text = f"𠀀𠀁{word}𠀂"
    [finding] = found(check(text), word)
    assert (finding.start, finding.end) == (2, 2 + len(word))


def test_ascii_letters_match_whatever_their_case():
    word = f"vpn{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},网络,提示\n")
    [finding] = [f for f in check(f"使用{word.upper()}翻墙").findings if f.text.lower() == word]
    assert finding.text == word.upper()


def test_report_round_trips_through_as_dict():
    word = f"往返{tag()}"
    dictionary("sensitive", f"词语,分类,级别\n{word},政治,禁止\n")
    report = check(f"{word}")
    data = json.loads(json.dumps(report.as_dict(), ensure_ascii=False))
    assert CheckReport.from_dict(data) == report


def test_highlight_escapes_the_text_and_marks_each_finding():
    text = "<b>绝密</b>与其它"
    findings = [
        Finding("sensitive", "body", "正文", 3, 5, "绝密", "block", "涉密", "", "含禁止使用的词语“绝密”（涉密）"),
        Finding("typo", "body", "正文", 10, 12, "其它", "warn", "不规范用语", "其他", "应为\"其他\""),
    ]
    html = str(highlight(text, findings))
    assert html == ('&lt;b&gt;<mark class="check-block" title="含禁止使用的词语“绝密”（涉密）">绝密</mark>'
                    '&lt;/b&gt;与<mark class="check-warn" title="应为&quot;其他&quot;">其它</mark>')


def test_highlight_merges_overlapping_findings_into_one_mark():
    findings = [
        Finding("sensitive", "body", "正文", 0, 3, "甲乙丙", "warn", "政治", "", "一"),
        Finding("sensitive", "body", "正文", 2, 4, "丙丁", "block", "政治", "", "二"),
    ]
    assert str(highlight("甲乙丙丁戊", findings)) == '<mark class="check-block" title="一；二">甲乙丙丁</mark>戊'
