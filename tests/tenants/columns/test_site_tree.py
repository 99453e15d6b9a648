"""The default column trees live in the template schemas: a new site gets its kind's
tree with its own title and host; a changed column template reaches new sites after
`jiyue migrate` and leaves existing sites alone."""
from django.conf import settings
from django_tenants.utils import schema_context
from wagtail.models import Site as WagtailSite
from wagtail.search.backends import get_search_backend

from tenants.columns import column_templates
from tenants.columns.models import ColumnPage, ColumnType, SiteHomePage
from tenants.columns.services.site_tree import TEMPLATE_HOST
from tenants.schemas.migrate import migrate_all
from tests.factories import make_online_site


def _top_titles(site):
    with schema_context(site.schema_name):
        return [page.title for page in SiteHomePage.objects.get().get_children()]


def test_a_new_site_has_its_own_title_host_and_search_entry():
    site = make_online_site()
    with schema_context(site.schema_name):
        home = SiteHomePage.objects.get()
        assert home.title == home.draft_title == site.name
        wagtail_site = WagtailSite.objects.get()
        assert (wagtail_site.hostname, wagtail_site.site_name) == (site.primary_host, site.name)
        assert not WagtailSite.objects.filter(hostname=TEMPLATE_HOST).exists()
        found = list(get_search_backend().search(site.name, SiteHomePage))
        assert [page.pk for page in found] == [home.pk]


def test_a_changed_column_template_reaches_new_sites_after_migrate(monkeypatch):
    before = make_online_site()
    changed = column_templates.PORTAL + [("应急管理", "yjgl", ColumnType.PUBLISHING, [])]
    monkeypatch.setitem(column_templates.TEMPLATES, "portal", changed)
    try:
        report = migrate_all(workers=2)
        assert report.ok, report.failed
        with schema_context(settings.JIYUE_TEMPLATE_SCHEMAS["portal"]):
            assert ColumnPage.objects.filter(slug="yjgl").exists()
        after = make_online_site()
        assert _top_titles(after)[-1] == "应急管理"
        assert "应急管理" not in _top_titles(before)
    finally:
        monkeypatch.undo()
        assert migrate_all(workers=2).ok  # the template goes back to the shipped tree
    assert "应急管理" not in _top_titles(make_online_site())
