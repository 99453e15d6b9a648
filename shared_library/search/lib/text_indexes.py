"""The text-search indexes of `search_entry`: RUM where the server has the extension
(Debian: postgresql-<version>-rum), GIN otherwise. Used by the migration and by
`jiyue search indexes` (after installing the extension on a running server)."""
import logging

from django.db import DatabaseError, transaction

logger = logging.getLogger(__name__)

RUM_INDEXES = [
    "CREATE INDEX IF NOT EXISTS search_entry_rum_rank ON search_entry USING rum (vector rum_tsvector_ops)",
    "CREATE INDEX IF NOT EXISTS search_entry_rum_date ON search_entry "
    "USING rum (vector rum_tsvector_addon_ops, sort_date) WITH (attach = 'sort_date', to = 'vector')",
]
GIN_INDEX = "CREATE INDEX IF NOT EXISTS search_entry_gin ON search_entry USING gin (vector)"
DROP_ALL = ["DROP INDEX IF EXISTS search_entry_rum_rank", "DROP INDEX IF EXISTS search_entry_rum_date",
            "DROP INDEX IF EXISTS search_entry_gin"]


def rum_available(cursor) -> bool:
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")
    return cursor.fetchone()[0]


def create_text_indexes(connection) -> str:
    """Create the best indexes the server allows; returns "rum" or "gin"."""
    with connection.cursor() as cursor:
        kind = "gin"
        if rum_available(cursor):
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                kind = "rum"
            except DatabaseError as error:  # e.g. not allowed to create extensions
                logger.warning("search: the rum extension could not be created (%s); using GIN", error)
        if kind == "rum":
            for sql in RUM_INDEXES:
                cursor.execute(sql)
            cursor.execute("DROP INDEX IF EXISTS search_entry_gin")
        else:
            cursor.execute(GIN_INDEX)
    return kind


def drop_text_indexes(connection) -> None:
    with connection.cursor() as cursor:
        for sql in DROP_ALL:
            cursor.execute(sql)
