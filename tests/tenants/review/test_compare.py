"""Revision compare of Chinese text (tenants.review.compare): an edit of one character
marks that character, not the whole sentence; Latin words and numbers stay whole; the
back office's compare view of two revisions uses it."""
import pytest
from django_tenants.utils import tenant_context
from wagtail.admin import compare as wagtail_compare

from jiyue.identity.models import SiteRole
from tenants.review import compare
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import CONSOLE, admin_url, signed_in
from tests.factories.content import add_article, fresh

LONG_SENTENCE = "为进一步做好春季森林防火工作，切实保障人民群众生命财产安全，现将有关事项通知如下"


def _changes(a, b):
    return compare.diff_text(a, b).changes


def _sides(changes):
    """The old and the new text, rebuilt from a diff."""
    old = "".join(value for kind, value in changes if kind != "addition")
    new = "".join(value for kind, value in changes if kind != "deletion")
    return old, new


def test_one_character_edit_in_a_long_sentence_marks_only_that_character():
    edited = LONG_SENTENCE.replace("春季", "秋季")
    assert _changes(LONG_SENTENCE, edited) == [
        ("equal", "为进一步做好"), ("deletion", "春"), ("addition", "秋"), ("equal", LONG_SENTENCE[7:]),
    ]
    assert compare.diff_text(LONG_SENTENCE, edited).to_html() == (
        '为进一步做好<span class="deletion">春</span><span class="addition">秋</span>'
        + LONG_SENTENCE[7:])


def test_inserted_and_deleted_characters():
    assert _changes("请各单位做好防火。", "请各单位认真做好防火。") == [
        ("equal", "请各单位"), ("addition", "认真"), ("equal", "做好防火。")]
    assert _changes("请各单位认真做好防火。", "请各单位做好防火。") == [
        ("equal", "请各单位"), ("deletion", "认真"), ("equal", "做好防火。")]


def test_mixed_chinese_and_english_keeps_words_and_numbers_whole():
    old = "Wagtail 8 于2026年发布，支持 Python 3.11 和 PostgreSQL。"
    new = "Wagtail 9 于2027年发布，支持 Python 3.12 和 PostgreSQL。"
    assert _changes(old, new) == [
        ("equal", "Wagtail "), ("deletion", "8"), ("addition", "9"), ("equal", " 于"),
        ("deletion", "2026"), ("addition", "2027"), ("equal", "年发布，支持 Python 3."),
        ("deletion", "11"), ("addition", "12"), ("equal", " 和 PostgreSQL。"),
    ]
    assert _changes("The quick brown fox", "The quick red fox") == [
        ("equal", "The quick "), ("deletion", "brown"), ("addition", "red"), ("equal", " fox")]


def test_tokens():
    assert compare.tokenise("政策Policy 2026年，ＡＢ１２〇") == [
        "政", "策", "Policy", " ", "2026", "年", "，", "ＡＢ１２", "〇"]
    assert compare.tokenise(None) == []


def test_a_rewritten_sentence_is_one_deletion_and_one_addition():
    # Common characters (天, ，我们) inside the rewrite are not shown as kept.
    assert _changes("今天天气很好，我们去公园散步。", "明天下雨了，我们在家里读书。") == [
        ("deletion", "今天天气很好，我们去公园散步"), ("addition", "明天下雨了，我们在家里读书"), ("equal", "。")]


def test_long_document_with_scattered_edits():
    sentences = [f"第{number}条　{LONG_SENTENCE}。" for number in range(1, 301)]
    old = "".join(sentences)
    edited = list(sentences)
    edited[10] = edited[10].replace("春季", "秋季")
    edited[200] = edited[200].replace("生命", "人身")
    edited.insert(100, "新增的一条规定。")
    new = "".join(edited)
    changes = _changes(old, new)
    assert _sides(changes) == (old, new)
    assert [change for change in changes if change[0] != "equal"] == [
        ("deletion", "春"), ("addition", "秋"), ("addition", "新增的一条规定。"),
        ("deletion", "生命"), ("addition", "人身")]


def test_a_very_large_rewrite_is_shown_whole():
    old, new = "甲" * (compare.HUGE_CHANGE + 1), "乙" * (compare.HUGE_CHANGE + 1)
    assert _changes(f"开头{old}结尾", f"开头{new}结尾") == [
        ("equal", "开头"), ("deletion", old), ("addition", new), ("equal", "结尾")]


def test_installed_in_place_of_wagtails_diff_text():
    assert wagtail_compare.diff_text is compare.diff_text


@pytest.fixture
def world():
    site = make_online_site()
    editor = make_user("editor")
    grant(editor, site, SiteRole.EDITOR)
    return {"site": site, "editor": editor}


def test_compare_view_of_two_revisions_marks_the_changed_characters(world):
    site = world["site"]
    with tenant_context(site):
        page = add_article(user=world["editor"], title="关于做好春季森林防火工作的通知", subtitle="Wagtail 8 版本说明",
                           body_text=f"{LONG_SENTENCE}。")
        first = page.get_latest_revision()
        page = fresh(page)
        page.title = "关于做好秋季森林防火工作的通知"
        page.subtitle = "Wagtail 9 版本说明"
        # The editor changes one character of the same paragraph (the block keeps its id).
        page.body = [{"type": "paragraph", "value": f"<p>{LONG_SENTENCE.replace('生命', '人身')}。</p>",
                      "id": page.body[0].id}]
        second = page.save_revision(user=world["editor"])
    client = signed_in(world["editor"])
    response = client.get(admin_url(site, "wagtailadmin_pages:revisions_compare", page.pk, first.pk, second.pk),
                          HTTP_HOST=CONSOLE)
    assert response.status_code == 200
    html = response.content.decode()
    # Title (a CharField), subtitle (mixed text) and a rich-text block of the body.
    assert '关于做好<span class="deletion">春</span><span class="addition">秋</span>季森林防火工作的通知' in html
    assert 'Wagtail <span class="deletion">8</span><span class="addition">9</span> 版本说明' in html
    assert ('切实保障人民群众<span class="deletion">生命</span><span class="addition">人身</span>财产安全'
            in html)
    assert '<span class="deletion">关于做好春季森林防火工作的通知</span>' not in html
