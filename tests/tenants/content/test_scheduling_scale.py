"""Scheduled publishing at province scale (tenants/content/services/scheduling.py): the
beat finds the sites with due work in one query and enters only those. Due work is
what Wagtail's publish_scheduled acts on: a revision whose approved go-live time has
passed, a live page whose expiry has passed. Time passes by moving the stored times
into the past, as in test_scheduling_and_history.py."""
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context
from wagtail.models import PageLogEntry

from tenants.checks.services.dictionaries import add_term, create_dictionary
from tenants.content.services.scheduling import publish_scheduled_in_every_site, schemas_with_due_work
from tenants.registry.models import Site, SiteStatus
from tenants.registry.services.sites import approve_site_application
from tests.factories import apply_site, approver, make_online_site, make_province, staffed_site, unique
from tests.factories.content import add_article, add_policy, approve, fresh, publish_through_review, submit
from tests.factories.scheduling import in_the_past, time_reaches_expiry, time_reaches_go_live


def _scheduled(site, editor, reviewer, *, go_live_at, make=add_article, **fields):
    """A page approved for publication at `go_live_at` (first in the future: Wagtail
    only schedules a revision whose go-live time is to come)."""
    with tenant_context(site):
        page = make(user=editor, go_live_at=timezone.now() + timedelta(hours=1), **fields)
        submit(page, editor)
        approve(page, reviewer)
        assert fresh(page).scheduled_revision is not None
        if go_live_at <= timezone.now():
            time_reaches_go_live(page, when=go_live_at)
        return page


def test_beat_enters_only_the_sites_with_due_work():
    going_live, expiring, idle, future = (staffed_site() for _ in range(4))
    scheduled = _scheduled(*going_live, go_live_at=in_the_past(), make=add_policy, title="定时发布的通知")
    with tenant_context(expiring[0]):
        page = add_article(user=expiring[1], title="到期下线", expire_at=timezone.now() + timedelta(days=1))
        expired = publish_through_review(page, expiring[1], expiring[2])
        assert expired.live
        time_reaches_expiry(expired)
    with tenant_context(idle[0]):
        publish_through_review(add_article(user=idle[1], title="已发布"), idle[1], idle[2])
    later = _scheduled(*future, go_live_at=timezone.now() + timedelta(hours=3), title="三小时后发布")

    names = {site.schema_name for site, *_ in (going_live, expiring, idle, future)}
    assert schemas_with_due_work(sorted(names)) == {going_live[0].schema_name, expiring[0].schema_name}

    run = publish_scheduled_in_every_site()
    assert going_live[0].schema_name in run.due and expiring[0].schema_name in run.due
    assert idle[0].schema_name not in run.due and future[0].schema_name not in run.due
    assert run.sites >= 4 and not set(run.failed) & names
    assert run.as_dict()["due"] == run.due

    with tenant_context(going_live[0]):
        page = fresh(scheduled)
        assert page.live and page.scheduled_revision is None
        assert PageLogEntry.objects.filter(page=page, action="wagtail.publish.scheduled").exists()
    with tenant_context(expiring[0]):
        page = fresh(expired)
        assert not page.live and page.expired
        assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()
    with tenant_context(future[0]):
        page = fresh(later)
        assert not page.live and page.scheduled_revision is not None

    # Done: nothing is due in these sites any more.
    assert not {*publish_scheduled_in_every_site().due} & names


def test_gate_refused_revision_is_unscheduled_through_the_fast_path():
    site, editor, reviewer = staffed_site()
    word = f"新禁词{unique()[-6:]}"
    blocked = _scheduled(site, editor, reviewer, go_live_at=in_the_past(minutes=10),
                         title="先到时间的新闻", body_text=f"其中提到{word}。")
    later = _scheduled(site, editor, reviewer, go_live_at=in_the_past(minutes=5), title="后到时间的新闻")
    dictionary = create_dictionary(acting_user=None, name="本站敏感词", kind="sensitive", site=site)
    add_term(dictionary, acting_user=None, text=word, category="涉密", severity="block")

    run = publish_scheduled_in_every_site()
    assert site.schema_name in run.due
    assert run.unscheduled[site.schema_name] == [blocked.pk]
    assert site.schema_name not in run.failed
    with tenant_context(site):
        assert fresh(later).live
        blocked = fresh(blocked)
        assert not blocked.live and blocked.scheduled_revision is None
        assert PageLogEntry.objects.filter(page=blocked, action="wagtail.schedule.cancel").exists()
    # The refused revision no longer counts as due work.
    assert site.schema_name not in publish_scheduled_in_every_site().due


def test_half_provisioned_schema_does_not_stop_the_others():
    """A site marked provisioned whose schema has no tables (an interrupted clone) is
    reported, and the query still finds the other sites' due work."""
    site, editor, reviewer = staffed_site()
    page = _scheduled(site, editor, reviewer, go_live_at=in_the_past())
    broken = approve_site_application(apply_site(make_province()), acting_user=approver())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(broken.schema_name)}")
    Site.objects.filter(pk=broken.pk).update(status=SiteStatus.ONLINE)
    try:
        run = publish_scheduled_in_every_site()
    finally:
        Site.objects.filter(pk=broken.pk).update(status=SiteStatus.RETIRED)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA {connection.ops.quote_name(broken.schema_name)} CASCADE")
    assert broken.schema_name in run.failed and broken.schema_name not in run.due
    assert site.schema_name in run.due and site.schema_name not in run.failed
    with tenant_context(site):
        assert fresh(page).live


def _beat() -> tuple[int, list[str]]:
    """The queries of one beat run (without django-tenants' `SET search_path` before
    each cursor), and the sites it entered."""
    with CaptureQueriesContext(connection) as queries:
        run = publish_scheduled_in_every_site()
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")], run.due


def _online_sites() -> int:
    return Site.objects.filter(status=SiteStatus.ONLINE).count()


def test_beat_queries_do_not_grow_with_idle_sites():
    while _online_sites() < 3:
        make_online_site()
    publish_scheduled_in_every_site()  # whatever other tests left due is done now
    with_few, due = _beat()
    for _ in range(5):
        make_online_site()
    with_more, due_with_more = _beat()
    assert due_with_more == due
    assert len(with_more) == len(with_few), (with_few, with_more)
    if not due and _online_sites() <= 200:
        # The provisioned sites (and whether their schemas have the tables), then one
        # due-work query for up to 200 schemas.
        assert len(with_few) == 2, with_few
