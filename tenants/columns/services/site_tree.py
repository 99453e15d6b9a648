"""Creating a site's home page, Wagtail Site record and default column tree. Runs
inside the new site's schema, within the provisioning transaction."""
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from ..column_templates import TEMPLATES
from ..models import ColumnPage, SiteHomePage


def create_site_tree(*, site_name: str, hostname: str, template: str) -> SiteHomePage:
    """Idempotent: a schema that already has its home page is left as it is."""
    existing = SiteHomePage.objects.first()
    if existing is not None:
        return existing
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
