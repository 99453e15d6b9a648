"""django-tenants' PostgreSQL backend, with one rule added to its schema editor: inside
a site's schema, no foreign-key *constraint* points at a table that lives only in the
public schema (today: identity_user, which Wagtail references ~18 times per site).

A foreign key installs two triggers on the table it references. With one global user
table and a schema per site, identity_user collected ~36 triggers per site (11,824 at
326 sites): every new site took longer to create (0.37 s at site 50, 1.1 s at site 260,
each FK re-reading the growing trigger list), and every update of a user row (each
sign-in) would fire all of them. The columns and their indexes stay; integrity holds
because users are deactivated, never deleted (jiyue.identity). Cloned and migrated
schemas both get their DDL from this editor, so their catalogs stay identical."""
from contextlib import contextmanager

from django.conf import settings
from django_tenants.postgresql_backend import base as tenant_backend


def _public_only_app_labels() -> frozenset[str]:
    from django.apps import apps

    modules = {app for app in settings.SHARED_APPS if app not in settings.TENANT_APPS}
    return frozenset(config.label for config in apps.get_app_configs() if config.name in modules)


class DatabaseSchemaEditor(tenant_backend.DatabaseWrapper.SchemaEditorClass):
    def _crosses_to_public(self, field) -> bool:
        remote = getattr(field, "remote_field", None)
        if remote is None or not getattr(field, "db_constraint", False) or field.many_to_many:
            return False
        if self.connection.schema_name == settings.PUBLIC_SCHEMA_NAME:
            return False
        model = remote.model
        if isinstance(model, str):  # unresolved lazy reference
            return False
        # Migrations hand us historical models: compare app labels, not module paths.
        return model._meta.app_label in _public_only_app_labels()

    @contextmanager
    def _without_cross_schema_constraints(self, fields):
        changed = [field for field in fields if self._crosses_to_public(field)]
        for field in changed:
            field.db_constraint = False
        try:
            yield
        finally:
            for field in changed:
                field.db_constraint = True

    def create_model(self, model):
        with self._without_cross_schema_constraints(model._meta.local_fields):
            super().create_model(model)

    def add_field(self, model, field):
        with self._without_cross_schema_constraints([field]):
            super().add_field(model, field)

    def alter_field(self, model, old_field, new_field, strict=False):
        with self._without_cross_schema_constraints([old_field, new_field]):
            super().alter_field(model, old_field, new_field, strict=strict)


class DatabaseWrapper(tenant_backend.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
