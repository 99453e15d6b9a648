"""Cloning the template schema into a new site's schema.

django-tenants' clone (a 4,600-line plpgsql function, re-created before every clone)
takes ~1.8 s and renames 21 of 31 unique constraints to PostgreSQL's defaults, so a
later migration that drops a constraint by name fails on cloned schemas only
(DESIGN.md). Here the template's catalog is read once per template version and turned
into one SQL script:

1. ``CREATE TABLE t (LIKE template.t INCLUDING ALL)`` for every table (columns,
   defaults, identity, CHECK constraints, indexes and PK/UNIQUE/EXCLUDE constraints,
   copied as expression trees);
2. renames that give every index, constraint and identity sequence the template's
   name, learnt once from a probe run that is rolled back;
3. the template's rows, read when the script runs (Wagtail's root page, locale,
   collections, the role groups, the default column tree, content types, permissions),
   and its sequence types and positions;
4. the foreign keys, from ``pg_get_constraintdef()``.

Running it is a single round trip inside the caller's transaction: if anything after
it fails, the new schema disappears with the rollback. Definitions are read with the
search path set to the template alone, so its own names come out unqualified (and land
in whatever schema the script runs against) while references to the public schema stay
qualified as ``public.x``.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from .sql import applied_migrations, qn, schema_exists, unqualify_indexdef


class CloneError(Exception):
    """The template cannot be cloned; the message says why (translated, Chinese by default)."""


@dataclass(frozen=True)
class Snapshot:
    template: str
    version: str
    script: str  # everything after CREATE SCHEMA; run with search_path = the new schema


_cache: dict[str, Snapshot] = {}
_cache_lock = threading.Lock()


def template_version(cursor, template: str) -> str:
    """Identifies the template's state: its applied migrations."""
    applied = sorted(applied_migrations(cursor, template))
    return hashlib.sha256(repr(applied).encode()).hexdigest()[:16]


def get_snapshot(template: str) -> Snapshot:
    with connection.cursor() as cursor:
        if not schema_exists(cursor, template):
            raise CloneError(_("Template schema %(schema)s does not exist; run jiyue migrate first")
                             % {"schema": template})
        version = template_version(cursor, template)
    with _cache_lock:
        snapshot = _cache.get(template)
        if snapshot is None or snapshot.version != version:
            snapshot = _build_snapshot(template, version)
            _cache[template] = snapshot
        return snapshot


def clone_schema(template: str, new_schema: str) -> None:
    """Create ``new_schema`` as a copy of ``template``. Call inside a transaction."""
    snapshot = get_snapshot(template)
    with connection.cursor() as cursor:
        if schema_exists(cursor, new_schema):
            raise CloneError(_("Schema %(schema)s already exists") % {"schema": new_schema})
        cursor.execute(f"CREATE SCHEMA {qn(new_schema)}; SET LOCAL search_path = {qn(new_schema)};\n"
                       + snapshot.script)
    # The SET LOCAL above changed the search path behind django-tenants' back.
    connection.set_schema_to_public()


def _build_snapshot(template: str, version: str) -> Snapshot:
    # set_config(..., true) lasts until the end of the transaction: hold one open.
    with transaction.atomic(), connection.cursor() as cursor:
        # Read pg_get_*def() output as the clone will need it: see the module docstring.
        cursor.execute("SELECT set_config('search_path', %s, true)", [qn(template)])
        try:
            cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
            namespace = cursor.fetchone()[0]
            _refuse_unsupported_objects(cursor, namespace, template)
            tables = _tables(cursor, namespace)
            # LIKE copies columns, defaults, identity, CHECK constraints and every index
            # and PK/UNIQUE/EXCLUDE constraint as expression trees. Re-parsing
            # pg_get_indexdef() text instead would change partial-index predicates
            # (Wagtail's unique_in_progress_workflow) from what a migration creates.
            parts = [f"CREATE TABLE {qn(name)} (LIKE {qn(template)}.{qn(name)} INCLUDING ALL);"
                     for _oid, name in tables]
            parts += _renames_to_template_names(cursor, template, list(parts))
            parts += _copy_rows(cursor, tables, template)
            parts += _sequence_positions(cursor, namespace, template)
            parts += _foreign_keys(cursor, namespace)
        finally:
            connection.set_schema_to_public()
    return Snapshot(template=template, version=version, script="\n".join(parts))


PROBE_SCHEMA = "jiyue_clone_probe"


def _renames_to_template_names(cursor, template, create_statements) -> list[str]:
    """LIKE names indexes, constraints and identity sequences by PostgreSQL's defaults
    (21 of 31 unique constraints differ from Django's names). Those defaults are
    deterministic, so one trial run in a scratch schema, rolled back, tells which
    objects to rename to the template's names; every clone then runs the renames."""
    sid = transaction.savepoint()
    try:
        cursor.execute(f"CREATE SCHEMA {qn(PROBE_SCHEMA)}; SET LOCAL search_path = {qn(PROBE_SCHEMA)};\n"
                       + "\n".join(create_statements))
        probe, original = _named_objects(cursor, PROBE_SCHEMA), _named_objects(cursor, template)
    finally:
        transaction.savepoint_rollback(sid)
        cursor.execute("SELECT set_config('search_path', %s, true)", [qn(template)])
    if probe.keys() != original.keys():
        missing = sorted(str(key) for key in original.keys() ^ probe.keys())[:5]
        raise CloneError(_("Objects of template schema %(schema)s cannot be copied with LIKE: %(objects)s")
                         % {"schema": template, "objects": missing})
    first, second = [], []
    for index, key in enumerate(sorted(probe)):
        kind, table = key[0], key[1]
        for position, (generated, wanted) in enumerate(zip(probe[key], original[key])):
            if generated == wanted:
                continue
            temporary = f"jiyue_rename_{index}_{position}"
            first.append(_rename(kind, table, generated, temporary))
            second.append(_rename(kind, table, temporary, wanted))
    # Two passes, so that a rename never collides with a name still to be moved.
    return first + second


def _rename(kind, table, old, new) -> str:
    if kind == "constraint":
        return f"ALTER TABLE {qn(table)} RENAME CONSTRAINT {qn(old)} TO {qn(new)};"
    if kind == "index":
        return f"ALTER INDEX {qn(old)} RENAME TO {qn(new)};"
    return f"ALTER SEQUENCE {qn(old)} RENAME TO {qn(new)};"


def _named_objects(cursor, schema) -> dict[tuple, list[str]]:
    """(kind, table, definition without names) -> names, for one schema."""
    objects: dict[tuple, list[str]] = {}
    cursor.execute(
        """
        SELECT c.relname, con.conname, con.contype::text || ':' || pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = con.connamespace
         WHERE n.nspname = %s AND con.contype IN ('p', 'u', 'c', 'x')
         ORDER BY 1, 3, 2
        """, [schema])
    for table, name, definition in cursor.fetchall():
        objects.setdefault(("constraint", table, definition), []).append(name)
    cursor.execute(
        """
        SELECT t.relname, ic.relname, pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
          JOIN pg_namespace n ON n.oid = ic.relnamespace
         WHERE n.nspname = %s AND NOT EXISTS (
               SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid
                  AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))
        """, [schema])
    rows = []
    for table, name, definition in cursor.fetchall():
        anonymous = unqualify_indexdef(definition, schema).replace(f"INDEX {qn(name)} ON", "INDEX ON", 1)
        anonymous = anonymous.replace(f"INDEX {name} ON", "INDEX ON", 1)
        rows.append((table, anonymous, name))
    for table, definition, name in sorted(rows):
        objects.setdefault(("index", table, definition), []).append(name)
    cursor.execute(
        """
        SELECT t.relname, a.attname, seq.relname
          FROM pg_depend d JOIN pg_class seq ON seq.oid = d.objid AND seq.relkind = 'S'
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
          JOIN pg_namespace n ON n.oid = seq.relnamespace
         WHERE n.nspname = %s AND d.deptype = 'i'
        """, [schema])
    for table, column, name in cursor.fetchall():
        objects.setdefault(("sequence", table, column), []).append(name)
    return objects


def _refuse_unsupported_objects(cursor, namespace, template) -> None:
    """Objects this clone does not copy must not exist in the template: better a
    clear error than a site schema that silently lacks them."""
    cursor.execute(
        """
        SELECT 'relation ' || c.relname FROM pg_class c
         WHERE c.relnamespace = %(ns)s AND (c.relkind IN ('v', 'm', 'f')
               OR (c.relkind = 'S' AND NOT EXISTS (
                   SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')))
        UNION ALL
        SELECT 'trigger ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE c.relnamespace = %(ns)s AND NOT t.tgisinternal
        UNION ALL
        SELECT 'function ' || p.proname FROM pg_proc p WHERE p.pronamespace = %(ns)s
        """,
        {"ns": namespace},
    )
    unsupported = [row[0] for row in cursor.fetchall()]
    if unsupported:
        raise CloneError(_("Template schema %(schema)s contains objects that cloning does not support: %(objects)s")
                         % {"schema": template, "objects": ", ".join(unsupported)})


def _tables(cursor, namespace) -> list[tuple[int, str]]:
    cursor.execute(
        "SELECT oid, relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' ORDER BY relname",
        [namespace],
    )
    return cursor.fetchall()


def _foreign_keys(cursor, namespace) -> list[str]:
    """LIKE copies every constraint but foreign keys; they come last, after the rows."""
    cursor.execute(
        """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         WHERE con.connamespace = %s AND con.contype = 'f'
         ORDER BY c.relname, con.conname
        """,
        [namespace],
    )
    return [f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition};"
            for table, name, definition in cursor.fetchall()]


def _copy_rows(cursor, tables, template) -> list[str]:
    """Every table, empty or not: the rows are read when the script runs, so a template
    whose content changed since the snapshot was built is still copied whole."""
    statements = []
    for table_oid, table in tables:
        cursor.execute(
            "SELECT attname, attidentity FROM pg_attribute WHERE attrelid = %s AND attnum > 0 "
            "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum", [table_oid])
        rows = cursor.fetchall()
        column_list = ", ".join(qn(name) for name, _ in rows)
        overriding = " OVERRIDING SYSTEM VALUE" if any(identity == "a" for _, identity in rows) else ""
        statements.append(f"INSERT INTO {qn(table)} ({column_list}){overriding} "
                          f"SELECT {column_list} FROM {qn(template)}.{qn(table)};")
    return statements


def _sequence_positions(cursor, namespace, template) -> list[str]:
    """Each sequence's type (LIKE makes identity sequences bigint even for integer
    columns) and its position, both as in the template."""
    cursor.execute(
        "SELECT c.relname, format_type(s.seqtypid, NULL) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid "
        "WHERE c.relnamespace = %s ORDER BY c.relname", [namespace])
    statements = []
    for name, type_ in cursor.fetchall():
        statements.append(f"ALTER SEQUENCE {qn(name)} AS {type_};")
        statements.append(f"SELECT setval('{qn(name)}', s.last_value, s.is_called) "
                          f"FROM {qn(template)}.{qn(name)} s;")
    return statements
