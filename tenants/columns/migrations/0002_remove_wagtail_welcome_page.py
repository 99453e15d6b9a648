"""Wagtail's initial data adds a "Welcome" page and a default Site in every schema;
a Jiyue site gets its own home page and Site record when it is provisioned
(tenants.columns.services.site_tree), so the template must not carry them."""
from django.db import migrations


def remove_welcome_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Site.objects.filter(hostname="localhost", root_page__depth=2, root_page__slug="home").delete()
    for page in Page.objects.filter(depth=2, slug="home", content_type__model="page"):
        page.delete()
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("columns", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_welcome_page, migrations.RunPython.noop)]
