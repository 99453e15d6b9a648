"""Small SQL helpers for the schema machinery."""
import re

from django.db import connection


def qn(name: str) -> str:
    """Quote an identifier."""
    return connection.ops.quote_name(name)


def schema_exists(cursor, schema_name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
    return cursor.fetchone() is not None


def applied_migrations(cursor, schema_name: str) -> set[tuple[str, str]]:
    """The migrations recorded in one schema's own django_migrations table."""
    cursor.execute(
        "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relname = 'django_migrations'", [schema_name])
    if cursor.fetchone() is None:
        return set()
    cursor.execute(f"SELECT app, name FROM {qn(schema_name)}.django_migrations")
    return set(cursor.fetchall())


def unqualify_indexdef(definition: str, schema_name: str) -> str:
    """pg_get_indexdef() always names the table with its schema ("ON s.t"); drop it so
    the definition applies to (and compares across) any schema."""
    pattern = r" ON (ONLY )?(%s|%s)\." % (re.escape(qn(schema_name)), re.escape(schema_name))
    return re.sub(pattern, r" ON \1", definition, count=1)
