"""The government content types: policy documents with their disclosure metadata,
interpretations linked both ways, required alt text, and bad input refused with a
message and nothing saved."""
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import tenant_context
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, rich_text, streamfield

from tenants.content.blocks import BodyBlock
from tenants.content.models import InterpretationPage, IssuedIndexNumber, PolicyDocumentPage, Validity
from tests.factories import make_online_site, staffed_site
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_policy, column, publish_through_review, term


@pytest.fixture
def people():
    return staffed_site()


def test_interpretation_linked_to_policy_both_ways_on_the_public_site(people):
    site, editor, reviewer = people
    with tenant_context(site):
        policy = add_policy(user=editor, title="关于促进就业的若干措施")
        interpretation = InterpretationPage(title="《关于促进就业的若干措施》政策解读", policy=policy, live=False,
                                            body=[("paragraph", "<p>解读正文</p>")])
        column("zcjd").add_child(instance=interpretation)
        interpretation.save_revision(user=editor)
        policy = publish_through_review(policy, editor, reviewer)
        interpretation = publish_through_review(interpretation, editor, reviewer)
        policy_url, interpretation_url = policy.url, interpretation.url
    client = Client()
    policy_html = client.get(policy_url, HTTP_HOST=site.primary_host).content.decode()
    interpretation_html = client.get(interpretation_url, HTTP_HOST=site.primary_host).content.decode()
    assert "相关解读" in policy_html and interpretation.title in policy_html and interpretation_url in policy_html
    assert policy.title in interpretation_html and policy_url in interpretation_html
    assert policy.index_number in policy_html and policy.index_number in interpretation_html
    # And in the back office: the policy's edit form lists its interpretation.
    edit_html = signed_in(editor).get(admin_url(site, "wagtailadmin_pages:edit", policy.pk)).content.decode()
    assert "相关解读" in edit_html and interpretation.title in edit_html


def test_interpretation_requires_its_policy():
    site = make_online_site()
    with tenant_context(site):
        page = InterpretationPage(title="没有关联文件的解读", live=False)
        with pytest.raises(ValidationError, match="请选择所解读的政策文件"):
            page.clean()


def test_amended_policy_links_to_the_superseding_document():
    site = make_online_site()
    with tenant_context(site):
        old, new = add_policy(title="旧办法"), add_policy(title="新办法")
        old.validity = Validity.AMENDED
        with pytest.raises(ValidationError, match="须链接修改它的文件"):
            old.clean()
        old.superseded_by = new
        old.clean()
        new.validity, new.superseded_by = Validity.VALID, old
        with pytest.raises(ValidationError, match="有效的文件不应链接替代文件"):
            new.clean()


def test_unknown_or_wrong_taxonomy_term_is_refused_by_the_model():
    site = make_online_site()
    with tenant_context(site):
        page = add_policy(title="分类测试")
        page.topic_id = 10**9
        with pytest.raises(ValidationError, match="主题分类不存在或已停用"):
            page.full_clean()
        page.topic = term("genre", "通知")  # a 体裁 term where a 主题 is expected
        with pytest.raises(ValidationError, match="主题分类不存在或已停用"):
            page.full_clean()


def test_image_block_requires_alt_text():
    with pytest.raises(ValidationError):
        BodyBlock().clean(BodyBlock().to_python([{"type": "image", "value": {"image": None, "alt": "", "caption": ""}}]))


def test_unknown_taxonomy_term_in_the_back_office_saves_nothing_and_uses_no_index_number(people):
    site, editor, _ = people
    client = signed_in(editor)
    with tenant_context(site):
        parent = column("zcwj")
        url = admin_url(site, "wagtailadmin_pages:add", "content", "policydocumentpage", parent.pk)
        issued_before = IssuedIndexNumber.objects.count()
    form_page = client.get(url)
    assert form_page.status_code == 200
    data = querydict_from_html(form_page.content.decode(), form_id="page-edit-form")
    with tenant_context(site):
        genre = term("genre", "通知").pk
    data.update(nested_form_data({
        "title": "分类错误的文件", "slug": "bad-topic", "issuing_organ": "测试局", "written_date": "2026-11-20",
        "publish_date": "2026-11-21", "topic": str(10**9), "genre": str(genre), "validity": "valid",
        "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
    }))
    response = client.post(url, data)
    assert response.status_code == 200
    assert "主题分类不存在或已停用" in response.content.decode()
    with tenant_context(site):
        assert not PolicyDocumentPage.objects.filter(title="分类错误的文件").exists()
        assert IssuedIndexNumber.objects.count() == issued_before
