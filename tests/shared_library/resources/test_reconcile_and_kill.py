"""`jiyue library verify|rebuild` checks the library against the sites and makes them
agree; a consumer killed mid-batch (SIGKILL, a real process) loses and duplicates
nothing."""
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_library.resources.models import Resource, ResourceStatus, ResourceVersion
from tenants.publishing.models import EventStatus, PublishEvent
from tenants.publishing.services.outbox import dispatch_pending_events
from tests.factories import staffed_site
from tests.factories.content import add_article, publish_through_review


@pytest.fixture
def people():
    return staffed_site()


def _publish_articles(site, editor, reviewer, count):
    with tenant_context(site):
        return [publish_through_review(add_article(user=editor, title=f"资源库测试新闻{n}"), editor, reviewer)
                for n in range(count)]


def _library(*args):
    from io import StringIO

    out = StringIO()
    call_command("library", *args, stdout=out)
    return out.getvalue()


def test_verify_finds_missing_stale_and_extra_items_and_rebuild_fixes_them(people):
    site, editor, reviewer = people
    first, second, third = _publish_articles(site, editor, reviewer, 3)
    dispatch_pending_events()
    assert "缺失 0，过期 0，多余 0" in _library("verify", "--site", site.short_code)

    Resource.objects.filter(site=site, page_id=first.pk).delete()                      # missing
    stale = Resource.objects.get(site=site, page_id=second.pk)
    stale.metadata = {**stale.metadata, "title": "被改动的标题"}
    stale.save()                                                                        # stale
    Resource.objects.filter(site=site, page_id=third.pk).update(page_id=third.pk + 999)  # extra (+ missing)
    with pytest.raises(CommandError, match="资源库与 1 个网站不一致"):
        _library("verify", "--site", site.short_code)

    output = _library("rebuild", "--site", site.short_code)
    assert f"[1/1] {site.short_code}：检查 3 个页面，缺失 2，过期 1，多余 1" in output
    assert "缺失 0，过期 0，多余 0" in _library("verify", "--site", site.short_code)
    assert Resource.objects.get(site=site, page_id=second.pk).title == "资源库测试新闻1"
    assert Resource.objects.get(site=site, page_id=third.pk + 999).status == ResourceStatus.DELETED
    assert Resource.objects.get(site=site, page_id=first.pk).versions.get().kind == "rebuild"


def test_verify_of_an_unknown_site_is_a_one_line_error():
    with pytest.raises(CommandError, match="网站代号不存在：nosuch"):
        _library("verify", "--site", "nosuch")


def test_a_consumer_killed_mid_batch_loses_and_duplicates_nothing(people):
    site, editor, reviewer = people
    pages = _publish_articles(site, editor, reviewer, 40)
    events = list(PublishEvent.objects.filter(site=site, page_id__in=[p.pk for p in pages]).values_list("pk", flat=True))
    assert len(events) == 40
    process = subprocess.Popen(
        [sys.executable, "-m", "jiyue", "dispatch_publish_events", "--batch-size", "1000"],
        cwd=django_settings.REPO_ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while Resource.objects.filter(site=site).count() < 3:
            assert process.poll() is None, process.communicate()[0].decode()[-3000:]
            assert time.monotonic() < deadline, "the consumer did not start"
            time.sleep(0.01)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    at_kill = Resource.objects.filter(site=site).count()
    assert 3 <= at_kill < 40, f"killed after {at_kill} of 40: not mid-batch"
    # Every event the dead consumer finished is processed with its resource; the others
    # are pending (leased). Nothing is half-written.
    processed = PublishEvent.objects.filter(pk__in=events, status=EventStatus.PROCESSED).count()
    assert processed == ResourceVersion.objects.filter(event_id__in=events).count() == at_kill

    PublishEvent.objects.filter(pk__in=events, status=EventStatus.PENDING).update(next_attempt_at=timezone.now())
    dispatch_pending_events()
    assert PublishEvent.objects.filter(pk__in=events, status=EventStatus.PROCESSED).count() == 40
    assert Resource.objects.filter(site=site, page_id__in=[p.pk for p in pages]).count() == 40
    assert ResourceVersion.objects.filter(event_id__in=events).count() == 40
    assert set(ResourceVersion.objects.filter(resource__site=site).values_list("number", flat=True)) == {1}
    assert "缺失 0，过期 0，多余 0" in _library("verify", "--site", site.short_code)
