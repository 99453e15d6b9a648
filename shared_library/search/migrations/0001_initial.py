import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


def create_text_indexes(apps, schema_editor):
    """RUM where the server has the extension, GIN otherwise (lib/text_indexes.py)."""
    from shared_library.search.lib.text_indexes import create_text_indexes

    create_text_indexes(schema_editor.connection)


def drop_text_indexes(apps, schema_editor):
    from shared_library.search.lib.text_indexes import drop_text_indexes

    drop_text_indexes(schema_editor.connection)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registry', '0003_lifecycle_fields'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('resource', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='resources.resource', verbose_name='library resource')),
                ('vector', django.contrib.postgres.search.SearchVectorField(verbose_name='search vector')),
                ('sort_date', models.DateTimeField(verbose_name='sort time')),
                ('year', models.SmallIntegerField(null=True, verbose_name='year')),
                ('topic_code', models.CharField(blank=True, max_length=20, verbose_name='topic code')),
                ('source_updated_at', models.DateTimeField(verbose_name='resource updated at')),
                ('index_format', models.PositiveSmallIntegerField(default=1, verbose_name='index format')),
                ('site', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.site', verbose_name='owning site')),
            ],
            options={
                'verbose_name': 'search index entry',
                'verbose_name_plural': 'search index entries',
                'db_table': 'search_entry',
            },
        ),
        migrations.RunPython(create_text_indexes, drop_text_indexes),
    ]
