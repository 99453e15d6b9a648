"""Reposting (转载) in the three modes: a live reference shows the source's current
content and disappears with it everywhere; a copy is the target's own page and survives
it; a link opens the source wherever it moves. Reposts are reviewed by the target site
unless its administrator made the column accept the source directly."""
import pytest
from django.db import transaction
from django_tenants.utils import tenant_context
from wagtail.models import Page

from shared_library.reposting.models import Repost, RepostMode, RepostStatus
from shared_library.reposting.services.reposts import RepostRefused, repost, repost_many
from shared_library.resources.models import Resource
from tenants.columns.models import ColumnPage
from tenants.content.models import ArticlePage
from tenants.publishing.services.outbox import dispatch_pending_events
from tenants.reposts.models import RepostPage
from tests.factories.content import approve, fresh
from tests.shared_library.reposting.support import (
    accept_directly, column_id, page_url, public_get, published_article, source_site, target_site, update_title,
    withdraw)


@pytest.fixture
def world():
    source = source_site()
    page, resource = published_article(source)
    return {"source": source, "page": page, "resource": resource, "b": target_site(), "c": target_site()}


def _repost(world, target, mode, slug="zwyw", **kwargs):
    site, editor, _reviewer = world[target]
    return repost(world["resource"], target_site=site, column_id=column_id(site, slug), mode=mode,
                  acting_user=editor, **kwargs)


def _column_html(site, slug="zwyw"):
    with tenant_context(site):
        url = ColumnPage.objects.get(slug=slug).url
    return public_get(site, url).content.decode()


def test_withdrawal_removes_a_live_reference_everywhere_and_updates_show_on_every_site(world):
    source_name = world["source"][0].name
    for target in ("b", "c"):
        accept_directly(world[target][0], "zwyw", world["source"][0])
        record = _repost(world, target, RepostMode.REFERENCE)
        assert record.status == RepostStatus.LIVE and record.accepted_directly
    for target in ("b", "c"):
        site = world[target][0]
        record = Repost.objects.get(target_site=site)
        html = public_get(site, page_url(site, record.page_id)).content.decode()
        assert "省政府召开常务会议" in html and "会议研究部署经济工作" in html
        assert f'来源：<a href="{world["resource"].url}">{source_name}</a>' in html
        assert f'<link rel="canonical" href="{world["resource"].url}">' in html
        assert "省政府召开常务会议" in _column_html(site)

    update_title(world["source"], world["page"], "省政府召开第十二次常务会议")
    for target in ("b", "c"):
        site = world[target][0]
        url = page_url(site, Repost.objects.get(target_site=site).page_id)
        assert "省政府召开第十二次常务会议" in public_get(site, url).content.decode()
        assert "省政府召开第十二次常务会议" in _column_html(site)

    withdraw(world["source"], world["page"])
    for target in ("b", "c"):
        site = world[target][0]
        url = page_url(site, Repost.objects.get(target_site=site).page_id)
        assert public_get(site, url).status_code == 404
        assert "常务会议" not in _column_html(site)


def test_a_copy_survives_the_withdrawal_of_its_source(world):
    accept_directly(world["b"][0], "zwyw", world["source"][0])
    record = _repost(world, "b", RepostMode.COPY)
    site = world["b"][0]
    with tenant_context(site):
        copy = Page.objects.get(pk=record.page_id).specific
        assert isinstance(copy, ArticlePage) and copy.live and copy.source == world["source"][0].name
        url = copy.url
    withdraw(world["source"], world["page"])
    response = public_get(site, url)
    assert response.status_code == 200 and "会议研究部署经济工作" in response.content.decode()
    # The copy is the target's own content: it enters the library as the target's resource.
    assert Resource.objects.filter(site=site, page_id=record.page_id, status="live").exists()


def test_a_link_follows_the_source_to_its_new_url_after_a_move(world):
    accept_directly(world["b"][0], "zwyw", world["source"][0])
    record = _repost(world, "b", RepostMode.LINK)
    site = world["b"][0]
    old_url = world["resource"].url
    assert f'href="{old_url}"' in _column_html(site)
    assert public_get(site, page_url(site, record.page_id))["Location"] == old_url
    with tenant_context(world["source"][0]):
        with transaction.atomic():
            fresh(world["page"]).move(ColumnPage.objects.get(slug="bmdt"), pos="last-child")
    dispatch_pending_events()
    new_url = Resource.objects.get(pk=world["resource"].pk).url
    assert new_url != old_url and "/bmdt/" in new_url
    assert f'href="{new_url}"' in _column_html(site) and old_url not in _column_html(site)
    assert public_get(site, page_url(site, record.page_id))["Location"] == new_url


def test_reposts_go_through_the_target_sites_review_unless_the_column_accepts_the_source(world):
    site, editor, reviewer = world["b"]
    record = _repost(world, "b", RepostMode.REFERENCE)
    assert record.status == RepostStatus.IN_REVIEW and not record.accepted_directly
    with tenant_context(site):
        page = Page.objects.get(pk=record.page_id).specific
        assert not page.live and page.current_workflow_state is not None
    assert "常务会议" not in _column_html(site)
    with tenant_context(site):
        approve(page, reviewer)
    dispatch_pending_events()
    record.refresh_from_db()
    assert record.status == RepostStatus.LIVE and record.published_at is not None
    assert "省政府召开常务会议" in _column_html(site)


def test_refusals_say_why_and_leave_nothing_behind(world):
    site, editor, _reviewer = world["b"]
    with tenant_context(site):
        pages_before = Page.objects.count()
    cases = [
        (dict(slug="ldxx"), "互动交流"),  # an interaction column takes no news
        (dict(slug="zcjd"), "解读回应"),  # nor does an interpretation column
    ]
    for options, words in cases:
        with pytest.raises(RepostRefused) as refused:
            _repost(world, "b", RepostMode.REFERENCE, **options)
        assert words in refused.value.message
    with pytest.raises(RepostRefused, match="本站"):
        repost(world["resource"], target_site=world["source"][0], column_id=column_id(world["source"][0], "zwyw"),
               mode=RepostMode.REFERENCE, acting_user=world["source"][1])
    outsider = world["c"][1]  # an editor of another site
    with pytest.raises(RepostRefused, match="编辑"):
        repost(world["resource"], target_site=site, column_id=column_id(site, "zwyw"), mode=RepostMode.REFERENCE,
               acting_user=outsider)
    _repost(world, "b", RepostMode.REFERENCE)
    with pytest.raises(RepostRefused, match="已转载"):
        _repost(world, "b", RepostMode.LINK)
    with tenant_context(site):
        assert Page.objects.count() == pages_before + 1
    assert Repost.objects.filter(target_site=site).count() == 1


def test_a_withdrawn_item_cannot_be_reposted_and_bulk_reports_each_refusal(world):
    second_page, second = published_article(world["source"], title="全省安全生产工作会议召开")
    withdraw(world["source"], world["page"])
    site, editor, _reviewer = world["b"]
    result = repost_many([Resource.objects.get(pk=world["resource"].pk), second], target_site=site,
                         column_id=column_id(site, "zwyw"), mode=RepostMode.REFERENCE, acting_user=editor)
    assert [record.resource_id for record in result.reposts] == [second.pk]
    assert len(result.refusals) == 1 and "撤回" in result.refusals[0][1]


def test_an_editor_of_the_target_cannot_change_the_source_through_a_reference(world):
    accept_directly(world["b"][0], "zwyw", world["source"][0])
    record = _repost(world, "b", RepostMode.REFERENCE)
    site, editor, _reviewer = world["b"]
    with tenant_context(site):
        page = RepostPage.objects.get(pk=record.page_id)
        form_fields = set(page.get_edit_handler().get_form_options()["fields"])
        assert "title" in form_fields and not form_fields & {"resource", "mode", "body"}
        page.title = "改过的标题"
        page.save_revision(user=editor)
    resource = Resource.objects.get(pk=world["resource"].pk)
    assert resource.title == "省政府召开常务会议" and resource.version == 1
