"""With a real Celery worker, as in production: a new item on the source goes through
the outbox to the library and on to the subscribed column, where the public sees it;
a site that accepts mandates automatically has the mandated item published by itself."""
import os
import time

import pytest
from django_tenants.utils import tenant_context

from shared_library.reposting.models import Repost, RepostStatus
from shared_library.reposting.services import mandates
from shared_library.reposting.services.subscriptions import subscribe
from tenants.columns.models import ColumnPage, ColumnType
from tests.celery_worker import start_worker, tasks_routed_to
from tests.factories.content import add_article, publish_through_review
from tests.factories.lifecycle import make_province_tree
from tests.shared_library.reposting.support import (
    accept_directly, column_id, public_get, published_article, source_site, target_site)
from tests.shared_library.reposting.test_mandates import _staff


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory):
    """A worker that also takes the tasks it sends itself (the outbox's handlers send the
    subscription and mandate tasks from inside the worker): its queue prefix is its own."""
    queue = f"test-{os.getpid()}-delivery"
    queues = ",".join([queue] + [f"{queue}-{name}" for name in ("default", "provisioning", "publishing")])
    process, _log = start_worker("jiyue.celery_app", queues, tmp_path_factory,
                                 JIYUE_CELERY_QUEUE_PREFIX=f"{queue}-")
    try:
        with tasks_routed_to(queue):
            yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)


def _eventually(check, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def _column_html(site, slug="zwyw"):
    with tenant_context(site):
        url = ColumnPage.objects.get(slug=slug).url
    return public_get(site, url).content.decode()


def test_a_new_item_reaches_the_subscribed_column_by_itself_and_only_once(worker):
    source = source_site()
    published_article(source, title="栏目已有的新闻")
    target, editor, _reviewer = target_site()
    accept_directly(target, "zwyw", source[0])
    subscribe(target_site=target, column_id=column_id(target, "zwyw"), mode="reference", acting_user=editor,
              source_site=source[0], source_column_id=column_id(source[0], "zwyw"))
    site, source_editor, source_reviewer = source
    with tenant_context(site):
        page = publish_through_review(add_article(user=source_editor, title="订阅送达的新闻"), source_editor,
                                      source_reviewer)
    assert _eventually(lambda: "订阅送达的新闻" in _column_html(target)), "delivered by the worker"
    with tenant_context(site):
        page.title = "订阅送达的新闻（修订）"
        page.save_revision(user=source_editor)
        publish_through_review(page, source_editor, source_reviewer)
    assert _eventually(lambda: "订阅送达的新闻（修订）" in _column_html(target))
    assert Repost.objects.filter(target_site=target).count() == 1
    assert "栏目已有的新闻" not in _column_html(target), "only items published after subscribing"


def test_a_mandate_is_published_by_itself_on_a_site_that_auto_accepts(worker):
    tree = make_province_tree()
    issuer, city = _staff(tree.province_site), _staff(tree.city_site)
    _page, resource = published_article((issuer["site"], issuer["editor"], issuer["reviewer"]),
                                        title="全省必转的通知")
    mandates.set_auto_accept(city["site"], True, acting_user=city["admin"])
    mandate = mandates.issue_mandate(resource, issuer_site=issuer["site"], target_sites=[city["site"]],
                                     column_type=ColumnType.PUBLISHING, acting_user=issuer["editor"])
    assert _eventually(lambda: Repost.objects.filter(target_site=city["site"], status=RepostStatus.LIVE).exists())
    assert [row.state for row in mandates.states(mandate)] == [mandates.Compliance.ON_TIME]
