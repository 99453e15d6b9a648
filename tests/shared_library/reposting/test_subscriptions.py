"""Subscriptions: a column subscribed to another site's column, or to a topic, receives
that source's new items by itself, in the chosen mode, through the target's review
unless the column accepts the source; updates of items already delivered add nothing."""
import pytest
from django_tenants.utils import tenant_context
from wagtail.models import Page

from shared_library.reposting.models import Repost, RepostStatus
from shared_library.reposting.services.reposts import RepostRefused
from shared_library.reposting.services.subscriptions import deliver, subscribe
from shared_library.resources.models import Resource
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_policy, publish_through_review, term
from tests.shared_library.reposting.support import (
    column_id, published_article, source_site, target_site, update_title)


@pytest.fixture
def world():
    source = source_site()
    page, resource = published_article(source, title="第一条新闻")  # the column has published before
    return {"source": source, "first": resource, "first_page": page, "b": target_site()}


def _subscribe_to_column(world, slug="zwyw", mode="reference"):
    site, editor, _reviewer = world["b"]
    return subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode=mode, acting_user=editor,
                     source_site=world["source"][0], source_column_id=column_id(world["source"][0], slug))


def test_a_column_subscribed_to_another_sites_column_receives_its_new_items_through_review(world):
    subscription = _subscribe_to_column(world)
    assert subscription.source_column_title == "政务要闻"
    _page, new = published_article(world["source"], title="第二条新闻")
    assert deliver(new.pk) == 1
    record = Repost.objects.get(target_site=world["b"][0], resource=new)
    assert record.status == RepostStatus.IN_REVIEW and record.created_by is None and record.mode == "reference"
    with tenant_context(world["b"][0]):
        assert Page.objects.get(pk=record.page_id).specific.current_workflow_state is not None
    # An update of a delivered item, and an item published before the subscription, are not new.
    update_title(world["source"], _page, "第二条新闻（更新）")
    assert not Repost.objects.filter(target_site=world["b"][0], resource=world["first"]).exists()
    assert Repost.objects.filter(target_site=world["b"][0]).count() == 1
    assert deliver(new.pk) == 0, "delivered once"


def test_a_topic_subscription_takes_policies_of_that_topic_from_any_site(world):
    site, editor, _reviewer = world["b"]
    subscribe(target_site=site, column_id=column_id(site, "zcwj"), mode="link", acting_user=editor,
              topic_code=term("topic", "综合政务").code)
    source, source_editor, source_reviewer = world["source"]
    with tenant_context(source):
        matching = publish_through_review(add_policy(user=source_editor, title="关于综合政务的通知"),
                                          source_editor, source_reviewer)
        other = publish_through_review(add_policy(user=source_editor, title="关于科技教育的通知",
                                                  topic=term("topic", "科技、教育")), source_editor, source_reviewer)
    dispatch_pending_events()
    # (Other tests' topic subscriptions may share this database: count this site's reposts.)
    deliver(Resource.objects.get(site=source, page_id=matching.pk).pk)
    deliver(Resource.objects.get(site=source, page_id=other.pk).pk)
    record = Repost.objects.get(target_site=site)
    assert record.mode == "link" and record.resource.page_id == matching.pk


def test_subscription_refusals_say_why(world):
    site, editor, _reviewer = world["b"]
    source = world["source"][0]
    with pytest.raises(RepostRefused, match="二者选一"):
        subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode="reference", acting_user=editor)
    with pytest.raises(RepostRefused, match="其他网站"):
        subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode="reference", acting_user=editor,
                  source_site=site, source_column_id=column_id(site, "zwyw"))
    with pytest.raises(RepostRefused, match="尚无已发布信息"):
        subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode="reference", acting_user=editor,
                  source_site=source, source_column_id=column_id(source, "ldxx"))
    with pytest.raises(RepostRefused, match="未知的主题分类"):
        subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode="reference", acting_user=editor,
                  topic_code="nosuch")
    with pytest.raises(RepostRefused, match="编辑"):
        subscribe(target_site=site, column_id=column_id(site, "zwyw"), mode="reference",
                  acting_user=world["source"][1], topic_code=term("topic", "综合政务").code)
    _subscribe_to_column(world)
    with pytest.raises(RepostRefused, match="已订阅"):
        _subscribe_to_column(world, mode="link")


def test_an_editor_subscribes_and_cancels_from_the_back_office(world):
    site, editor, _reviewer = world["b"]
    client = signed_in(editor)
    url = admin_url(site, "jiyue_subscriptions")
    page = client.get(url).content.decode()
    source = world["source"][0]
    option = f"column:{source.pk}:{column_id(source, 'zwyw')}"
    assert option in page and f"{source.name} / 政务要闻" in page
    response = client.post(url, {"column": column_id(site, "zwyw"), "source": option, "mode": "copy"})
    assert response.status_code == 302
    listing = client.get(url).content.decode()
    assert "data-subscription-id=" in listing and "完整复制" in listing
    subscription_id = int(listing.split('data-subscription-id="')[1].split('"')[0])
    client.post(admin_url(site, "jiyue_subscription_cancel", subscription_id))
    assert "暂无订阅" in client.get(url).content.decode()
