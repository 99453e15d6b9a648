"""Every publish, update, unpublish, move and delete of a content page flows from the
outbox into the library once and in order, with its version history; bodies are
sanitised; a document that fails its schema is kept with its issues, not dropped."""
import json

import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from wagtail.models import Page

from shared_library.resources.models import Resource, ResourceStatus
from shared_library.resources.queries import resources_with_schema_issues
from tenants.columns.models import ColumnPage
from tenants.publishing.models import EventStatus, PublishEvent
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories import staffed_site
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_article, add_policy, column, fresh, publish_through_review


@pytest.fixture
def people():
    return staffed_site()


def _resource(site, page):
    return Resource.objects.get(site=site, page_id=page.pk)


def _outbox(site, page):
    """The page's events as the outbox holds them (for failure messages)."""
    return list(PublishEvent.objects.filter(site=site, page_id=page.pk).order_by("pk")
                .values_list("kind", "status", "attempts", "last_error"))


def test_a_published_policy_enters_the_library_with_its_government_metadata(people):
    site, editor, reviewer = people
    with tenant_context(site):
        policy = publish_through_review(add_policy(user=editor, title="关于印发营商环境条例的通知",
                                                   document_number="测政办发〔2026〕12号"), editor, reviewer)
        url = policy.get_full_url()
    dispatch_pending_events()
    resource = _resource(site, policy)
    metadata = resource.metadata
    assert (resource.status, resource.version, resource.is_valid) == (ResourceStatus.LIVE, 1, True)
    assert metadata["content_type"] == "policy" and metadata["title"] == "关于印发营商环境条例的通知"
    assert metadata["index_number"] == policy.index_number and metadata["document_number"] == "测政办发〔2026〕12号"
    assert metadata["written_date"] == "2026-11-20" and metadata["topic"]["name"] == "综合政务"
    assert metadata["genre"]["name"] == "通知" and metadata["validity"] == "valid"
    assert metadata["origin"] == {"site_code": site.short_code, "site_name": site.name,
                                  "site_id_code": site.identity_code, "page_id": policy.pk,
                                  "revision_id": policy.live_revision_id, "url": url}
    assert metadata["column"]["path"] == "/zwgk/zcwj/"
    assert resource.url == url and url.endswith(policy.url)
    assert "通知正文" in resource.body_text


def test_update_unpublish_and_delete_add_versions_in_order(people):
    site, editor, reviewer = people
    with tenant_context(site):
        article = publish_through_review(add_article(user=editor, title="第一版标题"), editor, reviewer)
        article.title = "第二版标题"
        article.save_revision(user=editor)
        article = publish_through_review(article, editor, reviewer)
        with transaction.atomic():
            fresh(article).unpublish()
    dispatch_pending_events()
    resource = _resource(site, article)
    assert resource.status == ResourceStatus.WITHDRAWN and resource.title == "第二版标题", _outbox(site, article)
    assert [(v.number, v.kind, v.metadata["title"]) for v in resource.versions.all()] == [
        (1, "publish", "第一版标题"), (2, "publish", "第二版标题"), (3, "unpublish", "第二版标题")]
    with tenant_context(site):
        with transaction.atomic():
            Page.objects.get(pk=article.pk).delete()
    dispatch_pending_events()
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.DELETED and resource.versions.count() == 4


def test_a_move_updates_the_column_and_the_public_url(people):
    site, editor, reviewer = people
    with tenant_context(site):
        article = publish_through_review(add_article(column("zcwj"), user=editor), editor, reviewer)
        with transaction.atomic():
            Page.objects.get(pk=article.pk).move(ColumnPage.objects.get(slug="tzgg"), pos="last-child")
        new_url = fresh(article).get_full_url()
    dispatch_pending_events()
    resource = _resource(site, article)
    assert resource.metadata["column"]["path"] == "/xwdt/tzgg/", _outbox(site, article)
    assert resource.url == new_url and "/xwdt/tzgg/" in new_url
    assert [v.kind for v in resource.versions.all()] == ["publish", "move"]


def test_an_event_handed_over_twice_adds_one_version(people):
    site, editor, reviewer = people
    with tenant_context(site):
        article = publish_through_review(add_article(user=editor), editor, reviewer)
    dispatch_pending_events()
    event = PublishEvent.objects.get(site=site, page_id=article.pk, kind="publish")
    PublishEvent.objects.filter(pk=event.pk).update(status=EventStatus.PENDING)  # as after a lost lease
    dispatch_pending_events()
    assert _resource(site, article).versions.count() == 1


def test_bodies_are_sanitised(people):
    site, editor, reviewer = people
    with tenant_context(site):
        article = add_article(user=editor, body_text='安全<script>alert(1)</script><a href="javascript:x()">链接</a>')
        article = publish_through_review(article, editor, reviewer)
    dispatch_pending_events()
    body = _resource(site, article).metadata["body"]
    assert "<script" not in body and "javascript:" not in body and "安全" in body and "链接" in body


def test_a_document_that_fails_its_schema_is_kept_and_reported_to_its_site(people):
    site, editor, reviewer = people
    with tenant_context(site):
        # 发文字号 with a padded serial number and square brackets: not GB/T 9704-2012's form.
        policy = publish_through_review(add_policy(user=editor, document_number="测政办发[2026]012号"),
                                        editor, reviewer)
    dispatch_pending_events()
    resource = _resource(site, policy)
    assert resource.status == ResourceStatus.LIVE and not resource.is_valid
    assert resource.schema_issues == [{"path": "document_number", "message": "发文字号格式不符合要求"}]
    assert list(resources_with_schema_issues(site)) == [resource]
    assert PublishEvent.objects.get(site=site, page_id=policy.pk, kind="publish").status == EventStatus.PROCESSED
    # The site's editors see it, with the field to fix, on the library's page.
    html = signed_in(editor).get(admin_url(site, "jiyue_library")).content.decode()
    assert "data-schema-issues" in html and "发文字号格式不符合要求" in html and policy.title in html


def test_columns_and_home_pages_stay_out_of_the_library(people):
    site, editor, reviewer = people
    with tenant_context(site):
        with transaction.atomic():
            column("zcwj").save_revision().publish()
    dispatch_pending_events()
    assert not Resource.objects.filter(site=site).exists()


def test_a_new_schema_version_migrates_the_stored_resources(people, tmp_path, monkeypatch):
    from shared_library.resources.lib import metadata_schema
    from shared_library.resources.services.schema_upgrade import upgrade_resources

    site, editor, reviewer = people
    with tenant_context(site):
        article = publish_through_review(add_article(user=editor), editor, reviewer)
    dispatch_pending_events()
    # Version 2 requires 服务对象 (audience); its upgrade gives old documents a default.
    v2 = json.loads(metadata_schema.SCHEMA_FILES[1].read_text(encoding="utf-8"))
    v2["properties"]["schema_version"] = {"const": 2}
    v2["required"] = [*v2["required"], "audience"]
    (tmp_path / "v2.json").write_text(json.dumps(v2, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setitem(metadata_schema.SCHEMA_FILES, 2, tmp_path / "v2.json")
    monkeypatch.setitem(metadata_schema.UPGRADES, 2, lambda document: {**document, "audience": ["公众"]})
    try:
        assert upgrade_resources(to_version=2) >= 1
    finally:  # the parsed schemas are cached per version
        metadata_schema.schema.cache_clear()
        metadata_schema._validator.cache_clear()
    resource = _resource(site, article)
    assert (resource.schema_version, resource.metadata["audience"], resource.is_valid) == (2, ["公众"], True)
    assert [v.kind for v in resource.versions.all()] == ["publish", "upgrade"]
    assert upgrade_resources(to_version=2) == 0, "resumable: nothing left to do"
