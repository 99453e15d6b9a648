"""Wagtail's root page of an existing site's schema takes the site's name (new sites get
it at provisioning, tenants.columns.services.site_tree.name_site_tree): the back office
shows the root's title at the top of the page tree, where it read "Root". A template
schema has no site and keeps its title. SQL, so that `jiyue migrate` replays it on every
site schema (current_schema() is the site's)."""
from django.db import migrations

NAME_ROOT = """
UPDATE wagtailcore_page AS page SET title = site.name, draft_title = site.name
FROM public.registry_site AS site
WHERE site.schema_name = current_schema() AND page.depth = 1
"""


class Migration(migrations.Migration):
    dependencies = [("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunSQL(NAME_ROOT, migrations.RunSQL.noop)]
