from django.db import migrations

from shared_library.taxonomy.standard_lists import TAXONOMIES, numbered


def seed(apps, schema_editor):
    Taxonomy = apps.get_model("taxonomy", "Taxonomy")
    Term = apps.get_model("taxonomy", "Term")
    for code, name in TAXONOMIES.items():
        taxonomy, _ = Taxonomy.objects.get_or_create(code=code, defaults={"name": name})
        for term_code, term_name, order in numbered(code):
            Term.objects.get_or_create(taxonomy=taxonomy, code=term_code,
                                       defaults={"name": term_name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
