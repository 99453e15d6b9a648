"""Test set-up: a real PostgreSQL database per xdist worker, migrated once per session
by the same code as `jiyue migrate`, and real Redis. Tests create what they need with
the real services and unique codes, so they never depend on each other's data."""
import os

import psutil
import psycopg2
import pytest
from django.conf import settings
from django.db import connections


def _admin_connection():
    database = settings.DATABASES["default"]
    conn = psycopg2.connect(dbname="postgres", user=database["USER"], host=database["HOST"],
                            port=database["PORT"] or 5432, password=database.get("PASSWORD") or None)
    conn.autocommit = True
    return conn


@pytest.fixture(scope="session")
def django_db_setup(django_db_blocker, request):
    # xdist's worker id, also when xdist is not loaded (-p no:xdist).
    worker_id = getattr(request.config, "workerinput", {}).get("workerid", "master")
    # One database per test process: parallel sessions (xdist workers, two people on
    # one machine) never drop each other's data.
    name = f"jiyue_test_{worker_id}_{os.getpid()}"
    settings.DATABASES["default"]["NAME"] = name
    os.environ["DATABASE_URL"] = _database_url(name)
    with django_db_blocker.unblock():
        connections.close_all()
        admin = _admin_connection()
        with admin.cursor() as cursor:
            _drop_databases_of_dead_test_runs(cursor)
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
        from tenants.schemas.migrate import migrate_all

        report = migrate_all(workers=2)
        assert report.ok, report.failed
    yield name
    with django_db_blocker.unblock():
        connections.close_all()
        admin = _admin_connection()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _drop_databases_of_dead_test_runs(cursor):
    """A run that was killed leaves its database behind; its name ends in its pid."""
    cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'jiyue\\_test\\_%%'")
    for (name,) in cursor.fetchall():
        pid = name.rsplit("_", 1)[-1]
        if pid.isdigit() and not psutil.pid_exists(int(pid)):
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url(name):
    database = settings.DATABASES["default"]
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{name}"


@pytest.fixture(autouse=True)
def _database(django_db_setup, django_db_blocker):
    """Every test talks to the real database; no per-test transaction is wrapped
    around it because provisioning, migrations and Celery need real commits."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        yield
        connection.set_schema_to_public()


@pytest.fixture
def in_process_tasks():
    """Celery's in-process mode, as in the demo (no REDIS_URL): the task runs when the
    request's transaction commits."""
    from jiyue.celery_app import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
