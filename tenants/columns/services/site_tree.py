"""A site's home page, Wagtail Site record and default column tree.

The tree is built once per kind of site, in that kind's template schema
(`prepare_template_tree`, run by `jiyue migrate`), with Wagtail's own API; a new site
gets it by the clone and only has its title and host set (`ensure_site_tree`).
Building it per site costs ~0.6 s for a portal (every page save also validates,
indexes for search and updates the reference index); personalising costs ~10 ms."""
import hashlib

from wagtail.models import Page
from wagtail.models import Site as WagtailSite
from wagtail.search import index

from ..column_templates import TEMPLATES
from ..models import ColumnPage, SiteHomePage

TEMPLATE_HOST = "template.invalid"


def column_template_version(template: str) -> str:
    return hashlib.sha256(repr(TEMPLATES[template]).encode()).hexdigest()[:12]


def prepare_template_tree(template: str) -> bool:
    """Make the current schema (a template) hold the current column tree of its kind.
    Returns whether it had to be (re)built."""
    marker = f"template:{column_template_version(template)}"
    site = WagtailSite.objects.filter(is_default_site=True).first()
    if site is not None and site.site_name == marker:
        return False
    WagtailSite.objects.all().delete()
    for home in SiteHomePage.objects.all():
        home.delete()
    _build_tree(site_name=marker, hostname=TEMPLATE_HOST, template=template)
    return True


def ensure_site_tree(*, site_name: str, hostname: str, template: str) -> SiteHomePage:
    """Give the current schema its site's home page title and host (building the tree
    first when the schema came from somewhere else than a template). Idempotent."""
    home = SiteHomePage.objects.first()
    if home is None:
        home = _build_tree(site_name=site_name, hostname=hostname, template=template)
    name_site_tree(site_name)
    WagtailSite.objects.filter(root_page=home).update(hostname=hostname, port=80, is_default_site=True)
    WagtailSite.clear_site_root_paths_cache()
    return SiteHomePage.objects.get(pk=home.pk)


def name_site_tree(site_name: str) -> None:
    """The site's name on Wagtail's root page, its home page and its Wagtail Site: the
    back office shows the root's title at the top of the page tree (in the explorer,
    breadcrumbs and choosers), where it would otherwise read "Root"."""
    for page in Page.objects.filter(depth__in=(1, 2)).exclude(title=site_name, draft_title=site_name):
        Page.objects.filter(pk=page.pk).update(title=site_name, draft_title=site_name)
        page.title = page.draft_title = site_name
        if page.depth == 2:
            index.insert_or_update_object(page.specific)
    WagtailSite.objects.exclude(site_name=site_name).update(site_name=site_name)


def _build_tree(*, site_name: str, hostname: str, template: str) -> SiteHomePage:
    root = Page.get_first_root_node()
    home = root.add_child(instance=SiteHomePage(title=site_name, slug="home", live=True))
    WagtailSite.objects.create(hostname=hostname, port=80, root_page=home, is_default_site=True,
                               site_name=site_name)
    _add_columns(home, TEMPLATES[template])
    return home


def _add_columns(parent, entries) -> None:
    for title, slug, column_type, children in entries:
        column = parent.add_child(instance=ColumnPage(
            title=title, slug=slug, column_type=column_type, live=True, show_in_menus=parent.depth == 2,
        ))
        _add_columns(column, children)
