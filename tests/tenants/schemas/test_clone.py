"""Cloned site schemas must be indistinguishable from migrated ones (DESIGN.md: the
stock clone renames constraints, skips data migrations, and breaks later migrations)."""
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django_tenants.utils import schema_context
from wagtail.models import Collection, Locale, Page

from tenants.access.roles import GROUP_FOR_ROLE
from tenants.provisioning.services.provision import provision_site
from tenants.registry.services.sites import approve_site_application
from tenants.schemas.catalog import describe_schema
from tenants.schemas.clone import CloneError, clone_schema
from tenants.schemas.migrate import _migrate_schema_fully, migrate_all
from tests.factories import apply_site, approver, make_online_site, make_province

COLUMNS_MIGRATIONS = Path(__file__).resolve().parents[3] / "tenants" / "columns" / "migrations"


def make_site_by_full_migration():
    """A site whose schema was built by running every migration (the stock way)."""
    site = apply_site(make_province())
    approve_site_application(site, acting_user=approver())
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{site.schema_name}"')
    _migrate_schema_fully(site.schema_name)
    return provision_site(site)


def test_cloned_schema_catalog_is_identical_to_migrated_schema_names_included():
    cloned = make_online_site()
    migrated = make_site_by_full_migration()
    cloned_catalog = describe_schema(cloned.schema_name)
    migrated_catalog = describe_schema(migrated.schema_name)
    assert len(cloned_catalog["constraints"]) > 150  # Wagtail's tables are all there
    for part in ("columns", "constraints", "indexes", "sequences"):
        assert cloned_catalog[part] == migrated_catalog[part], part
    constraint_names = {row[1] for row in cloned_catalog["constraints"]}
    assert "unique_permission" in constraint_names  # Wagtail's, lost by the stock clone


def test_clone_carries_wagtail_data_migrations_and_role_groups():
    site = make_online_site()
    with schema_context(site.schema_name):
        assert Page.objects.filter(depth=1).count() == 1
        assert Locale.objects.exists()
        assert Collection.objects.filter(depth=1).exists()
        names = set(Group.objects.values_list("name", flat=True))
        assert set(GROUP_FOR_ROLE.values()) <= names
        # Sequences were carried over: new rows do not collide with copied ones.
        Group.objects.create(name="新用户组")


def test_clone_refuses_a_missing_template_and_an_existing_schema():
    with pytest.raises(CloneError, match="不存在"):
        clone_schema("no_such_template", "site_never_made")
    site = make_online_site()
    with pytest.raises(CloneError, match="已存在"):
        clone_schema(settings.JIYUE_TEMPLATE_SCHEMAS["portal"], site.schema_name)


# The newest real migration of the app; the test's own migrations (9xxx) build on it.
LATEST_COLUMNS_MIGRATION = max(path.stem for path in COLUMNS_MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _columns_with_new_migrations(tmp_path, monkeypatch, settings, package, migrations):
    target = tmp_path / package
    shutil.copytree(COLUMNS_MIGRATIONS, target, ignore=shutil.ignore_patterns("__pycache__"))
    for name, body in migrations.items():
        (target / f"{name}.py").write_text(textwrap.dedent(body).replace("LATEST", LATEST_COLUMNS_MIGRATION))
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"columns": package}


ADD_NAMED_CONSTRAINT = """
    from django.db import migrations, models

    class Migration(migrations.Migration):
        dependencies = [("columns", "LATEST")]
        operations = [
            migrations.AddField("columnpage", "legacy_code", models.CharField(max_length=20, null=True)),
            migrations.AddConstraint("columnpage", models.UniqueConstraint(
                fields=["legacy_code"], name="columns_legacy_code_uniq")),
        ]
"""
REMOVE_NAMED_CONSTRAINT = """
    from django.db import migrations

    class Migration(migrations.Migration):
        dependencies = [("columns", "9003_legacy_code")]
        operations = [migrations.RemoveConstraint("columnpage", "columns_legacy_code_uniq")]
"""


def _has_column(schema, table, column):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                       "AND table_name = %s AND column_name = %s", [schema, table, column])
        return cursor.fetchone() is not None


def _constraint_names(schema):
    return {row[1] for row in describe_schema(schema)["constraints"]}


def test_later_migrations_apply_to_cloned_and_migrated_schemas(tmp_path, monkeypatch, settings):
    cloned = make_online_site()
    migrated = make_site_by_full_migration()
    package = f"columns_migrations_{cloned.short_code}"
    _columns_with_new_migrations(tmp_path, monkeypatch, settings, package, {"9003_legacy_code": ADD_NAMED_CONSTRAINT})
    report = migrate_all(workers=2)
    assert report.ok, report.failed
    assert report.replayed >= 2
    for site in (cloned, migrated):
        assert _has_column(site.schema_name, "columns_columnpage", "legacy_code")
        assert "columns_legacy_code_uniq" in _constraint_names(site.schema_name)

    # A later migration removes that constraint by its name: it must find it everywhere.
    (tmp_path / package / "9004_drop_legacy_code_uniq.py").write_text(textwrap.dedent(REMOVE_NAMED_CONSTRAINT))
    sys.modules.pop(package, None)
    report = migrate_all(workers=2)
    assert report.ok, report.failed
    for site in (cloned, migrated):
        assert "columns_legacy_code_uniq" not in _constraint_names(site.schema_name)
    assert describe_schema(cloned.schema_name) == describe_schema(migrated.schema_name)

    # Nothing left to do: every schema is skipped by the one digest query.
    report = migrate_all(workers=2)
    assert report.replayed == 0 and report.migrated_fully == 0 and report.skipped == report.sites_total


def test_one_failing_schema_does_not_stop_the_others_and_a_rerun_finishes(tmp_path, monkeypatch, settings):
    healthy = make_online_site()
    broken = make_online_site()
    package = f"columns_migrations_{healthy.short_code}"
    _columns_with_new_migrations(tmp_path, monkeypatch, settings, package, {"9003_note": """
        from django.db import migrations, models

        class Migration(migrations.Migration):
            dependencies = [("columns", "LATEST")]
            operations = [migrations.AddField("columnpage", "note_x", models.TextField(null=True))]
    """})
    with connection.cursor() as cursor:  # someone added the column by hand in one schema
        cursor.execute(f'ALTER TABLE "{broken.schema_name}".columns_columnpage ADD COLUMN note_x text')
    report = migrate_all(workers=2)
    assert list(report.failed) == [broken.schema_name]
    assert "note_x" in report.failed[broken.schema_name]
    assert _has_column(healthy.schema_name, "columns_columnpage", "note_x")

    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{broken.schema_name}".columns_columnpage DROP COLUMN note_x')
    report = migrate_all(workers=2)
    # The template is current by now, so the schema left behind takes Django's full
    # migrate path; the others are skipped.
    assert report.ok and report.migrated_fully == 1 and report.skipped == report.sites_total - 1
    assert _has_column(broken.schema_name, "columns_columnpage", "note_x")


def test_a_data_migration_runs_on_every_site_schema_in_worker_processes(tmp_path, monkeypatch, settings):
    """A plan with RunPython cannot be replayed as SQL: each schema gets Django's migrate,
    from a pool of processes; one failure is reported and the rest go on."""
    sites = [make_online_site() for _ in range(3)]
    broken = sites[0]
    package = f"columns_migrations_{broken.short_code}"
    _columns_with_new_migrations(tmp_path, monkeypatch, settings, package, {"9003_data": """
        from django.db import migrations, models

        def describe_columns(apps, schema_editor):
            ColumnPage = apps.get_model("columns", "ColumnPage")
            ColumnPage.objects.filter(description="").update(description="默认描述")

        class Migration(migrations.Migration):
            dependencies = [("columns", "LATEST")]
            operations = [
                migrations.AddField("columnpage", "data_note", models.TextField(null=True)),
                migrations.RunPython(describe_columns, migrations.RunPython.noop),
            ]
    """})
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{broken.schema_name}".columns_columnpage ADD COLUMN data_note text')
    report = migrate_all(workers=2)
    assert list(report.failed) == [broken.schema_name]
    assert report.replayed == 0 and report.migrated_fully == report.sites_total - 1
    for site in sites[1:]:
        with schema_context(site.schema_name):
            from tenants.columns.models import ColumnPage

            assert set(ColumnPage.objects.values_list("description", flat=True)) == {"默认描述"}


def _triggers_on_user_table():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'public.identity_user'::regclass")
        return cursor.fetchone()[0]


def test_site_schemas_hold_no_foreign_key_constraints_into_the_public_schema():
    """Each such constraint adds triggers to the public table: with one user table and
    a schema per site they grew without bound and slowed every new site."""
    before = _triggers_on_user_table()
    sites = [make_online_site(), make_site_by_full_migration()]
    assert _triggers_on_user_table() == before
    for site in sites:
        references = [definition for _table, _name, kind, definition in describe_schema(site.schema_name)["constraints"]
                      if kind == "f" and "public." in definition]
        assert references == []
        with schema_context(site.schema_name):
            # The columns are still there and the ORM relation works.
            from wagtail.models import Page

            from tests.factories import make_user

            user = make_user()
            home = Page.objects.get(depth=2)
            home.owner = user
            home.save(update_fields=["owner"])
            assert Page.objects.get(pk=home.pk).owner == user
