"""A schema's catalog as comparable data: what must be identical between a cloned
site schema and one built by running every migration."""
from __future__ import annotations

from django.db import connection, transaction

from .sql import qn, unqualify_indexdef


def describe_schema(schema_name: str) -> dict[str, list]:
    """Tables with their columns (in order; attnum itself differs where a migration
    dropped a column, and a clone has no dropped columns), constraints (by name, with definitions), indexes
    (by name, with definitions) and sequences. Definitions are read with the search
    path set to the schema itself, so the schema's own name does not appear in them."""
    # set_config(..., true) lasts until the end of the transaction: hold one open.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('search_path', %s, true)", [qn(schema_name)])
        try:
            cursor.execute("SELECT oid FROM pg_namespace WHERE nspname = %s", [schema_name])
            namespace = cursor.fetchone()[0]
            result = {}
            cursor.execute(
                """
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated
                  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE c.relnamespace = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                 ORDER BY c.relname, a.attnum
                """, [namespace])
            result["columns"] = [tuple(row) for row in cursor.fetchall()]
            cursor.execute(
                """
                SELECT c.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
                  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                 WHERE con.connamespace = %s ORDER BY c.relname, con.conname
                """, [namespace])
            result["constraints"] = [tuple(row) for row in cursor.fetchall()]
            cursor.execute(
                """
                SELECT ic.relname, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                 WHERE ic.relnamespace = %s ORDER BY ic.relname
                """, [namespace])
            result["indexes"] = [(name, unqualify_indexdef(definition, schema_name))
                                 for name, definition in cursor.fetchall()]
            cursor.execute(
                """
                SELECT c.relname, s.seqtypid::regtype::text, s.seqstart, s.seqincrement, s.seqmax
                  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
                 WHERE c.relnamespace = %s ORDER BY c.relname
                """, [namespace])
            result["sequences"] = [tuple(row) for row in cursor.fetchall()]
        finally:
            connection.set_schema_to_public()
    return result
