"""Cloning the template schema into a new site's schema.

django-tenants' clone (a 4,600-line plpgsql function, re-created before every clone)
takes ~1.8 s and renames 21 of 31 unique constraints to PostgreSQL's defaults, so a
later migration that drops a constraint by name fails on cloned schemas only
(DESIGN.md). Here the template's catalog is read once per template version and turned
into one SQL script that recreates every table, constraint and index under its own
name, copies the template's rows (Wagtail's root page, locale, collections, the site
role groups, content types, permissions) and its sequence positions. Running that
script is a single round trip inside the caller's transaction: if anything after it
fails, the new schema disappears with the rollback.

The script is generated with the search_path set to the template alone, so names
inside the template come out unqualified (and land in whatever schema the script is
run against) while references to the public schema stay qualified as ``public.x``.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from django.db import connection

from .sql import applied_migrations, qn, schema_exists, unqualify_indexdef


class CloneError(Exception):
    """The template cannot be cloned; the message says why, in Chinese."""


@dataclass(frozen=True)
class Snapshot:
    template: str
    version: str
    script: str  # everything after CREATE SCHEMA; run with search_path = the new schema
    table_count: int


_cache: dict[str, Snapshot] = {}
_cache_lock = threading.Lock()


def template_version(cursor, template: str) -> str:
    """Identifies the template's state: its applied migrations."""
    applied = sorted(applied_migrations(cursor, template))
    return hashlib.sha256(repr(applied).encode()).hexdigest()[:16]


def get_snapshot(template: str) -> Snapshot:
    with connection.cursor() as cursor:
        if not schema_exists(cursor, template):
            raise CloneError(f"模板schema {template} 不存在，请先运行 jiyue migrate")
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
            raise CloneError(f"schema {new_schema} 已存在")
        cursor.execute(f"CREATE SCHEMA {qn(new_schema)}; SET LOCAL search_path = {qn(new_schema)};\n"
                       + snapshot.script)
    # The SET LOCAL above changed the search path behind django-tenants' back.
    connection.set_schema_to_public()


def _build_snapshot(template: str, version: str) -> Snapshot:
    with connection.cursor() as cursor:
        # Read pg_get_*def() output as the clone will need it: see the module docstring.
        cursor.execute("SELECT set_config('search_path', %s, true)", [qn(template)])
        try:
            cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [template])
            namespace = cursor.fetchone()[0]
            _refuse_unsupported_objects(cursor, namespace, template)
            tables = _tables(cursor, namespace)
            parts = [_create_table(cursor, oid, name, template) for oid, name in tables]
            constraints = _constraints(cursor, namespace)
            parts += [_add_constraint(c) for c in constraints if c[2] != "f"]
            parts += _indexes(cursor, namespace, template)
            parts += _copy_rows(cursor, tables, template)
            parts += _sequence_positions(cursor, namespace, template)
            parts += [_add_constraint(c) for c in constraints if c[2] == "f"]
        finally:
            connection.set_schema_to_public()
    return Snapshot(template=template, version=version, script="\n".join(parts), table_count=len(tables))


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
        raise CloneError(f"模板schema {template} 含有克隆不支持的对象：{', '.join(unsupported)}")


def _tables(cursor, namespace) -> list[tuple[int, str]]:
    cursor.execute(
        "SELECT oid, relname FROM pg_class WHERE relnamespace = %s AND relkind = 'r' ORDER BY relname",
        [namespace],
    )
    return cursor.fetchall()


def _create_table(cursor, table_oid, table, template) -> str:
    cursor.execute(
        """
        SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname END,
               s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               seq.relname
          FROM pg_attribute a
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          LEFT JOIN pg_collation co ON co.oid = a.attcollation
          LEFT JOIN pg_depend dep ON dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
                                 AND dep.deptype = 'i' AND dep.classid = 'pg_class'::regclass
          LEFT JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
          LEFT JOIN pg_sequence s ON s.seqrelid = seq.oid
         WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY a.attnum
        """,
        [table_oid],
    )
    columns = []
    for (name, type_, not_null, default, identity, generated, collation,
         start, increment, minimum, maximum, cache, cycle, seq_name) in cursor.fetchall():
        column = f"{qn(name)} {type_}"
        if collation:
            column += f" COLLATE {qn(collation)}"
        if identity:
            kind = "ALWAYS" if identity == "a" else "BY DEFAULT"
            column += (f" GENERATED {kind} AS IDENTITY (SEQUENCE NAME {qn(seq_name)} START WITH {start} "
                       f"INCREMENT BY {increment} MINVALUE {minimum} MAXVALUE {maximum} CACHE {cache}"
                       f"{' CYCLE' if cycle else ''})")
        elif generated:
            column += f" GENERATED ALWAYS AS ({default}) {'STORED' if generated == 's' else 'VIRTUAL'}"
        elif default is not None:
            column += f" DEFAULT {default}"
        if not_null:
            column += " NOT NULL"
        columns.append(column)
    if not columns:
        raise CloneError(f"模板表 {template}.{table} 没有列")
    return f"CREATE TABLE {qn(table)} (\n  " + ",\n  ".join(columns) + "\n);"


def _constraints(cursor, namespace) -> list[tuple[str, str, str, str]]:
    # NOT NULL constraints (contype 'n', PostgreSQL 18) come with the column definitions.
    cursor.execute(
        """
        SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
          FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
         WHERE con.connamespace = %s AND con.contype IN ('p', 'u', 'c', 'x', 'f')
         ORDER BY c.relname, position(con.contype IN 'pucxf'), con.conname
        """,
        [namespace],
    )
    return cursor.fetchall()


def _add_constraint(constraint) -> str:
    table, name, _kind, definition = constraint
    return f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition};"


def _indexes(cursor, namespace, template) -> list[str]:
    """Indexes that do not back a primary key, unique or exclusion constraint."""
    cursor.execute(
        """
        SELECT pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         WHERE ic.relnamespace = %s
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                            WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                              AND con.contype IN ('p', 'u', 'x'))
         ORDER BY ic.relname
        """,
        [namespace],
    )
    return [unqualify_indexdef(row[0], template) + ";" for row in cursor.fetchall()]


def _copy_rows(cursor, tables, template) -> list[str]:
    statements = []
    for table_oid, table in tables:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {qn(template)}.{qn(table)})")
        if not cursor.fetchone()[0]:
            continue
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
    cursor.execute("SELECT relname FROM pg_class WHERE relnamespace = %s AND relkind = 'S' ORDER BY relname",
                   [namespace])
    return [
        f"SELECT setval('{qn(name)}', s.last_value, s.is_called) FROM {qn(template)}.{qn(name)} s;"
        for (name,) in cursor.fetchall()
    ]
