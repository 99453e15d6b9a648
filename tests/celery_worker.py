"""A real Celery worker process for tests whose behaviour is asynchronous."""
import contextlib
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings


def start_worker(app_module, queue, tmp_path_factory, **extra_env):
    """Start a `celery worker` of `app_module` on `queue`, against the test database and
    Redis, and wait until it answers a ping; returns (process, log path)."""
    from jiyue.celery_app import app

    env = os.environ.copy()
    env.update(DJANGO_SETTINGS_MODULE="jiyue.settings", DATABASE_URL=os.environ["DATABASE_URL"],
               REDIS_URL=settings.REDIS_URL, JIYUE_DATA_DIR=str(tmp_path_factory.mktemp("worker-data")))
    env.update(extra_env)  # e.g. the app server's JIYUE_DATA_DIR, for files both must read
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    name = f"{queue.replace(',', '_')}-{time.monotonic_ns()}"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app_module, "worker", "--pool", "solo",
             "--loglevel", "INFO", "-Q", queue, "-n", f"{name}@%h", "--without-gossip", "--without-mingle"],
            cwd=settings.REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited: {log.read_text()}")
        if app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=0.5):
            return process, log
    process.terminate()
    raise RuntimeError(f"Celery worker did not start: {log.read_text()}")


@contextlib.contextmanager
def running_worker(app_module, queue, tmp_path_factory):
    """A `celery worker` of `app_module` on `queue`; yields the path of its log."""
    process, log = start_worker(app_module, queue, tmp_path_factory)
    try:
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def tasks_routed_to(queue):
    """Every task this process sends goes to `queue` while inside."""
    from jiyue.celery_app import app

    routes = dict(app.conf.task_routes or {})
    app.conf.task_routes = {"*": {"queue": queue}}
    reset_router(app)
    try:
        yield queue
    finally:
        app.conf.task_routes = routes
        reset_router(app)


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, tmp_path_factory):
    """Starts `celery worker` against the test database and Redis; yields its queue.
    Module-scoped: while it runs, every task of this process goes to it, and it
    dispatches the outbox through the library's consumer, which must not happen under
    the tests of other modules (they dispatch and count events themselves)."""
    queue = f"test-{os.getpid()}"
    with running_worker("jiyue.celery_app", queue, tmp_path_factory), tasks_routed_to(queue):
        yield queue


def reset_router(app):
    # Celery builds its router once, at the first task sent in the process (page
    # changes send one on commit); a changed task_routes needs a new one.
    app.amqp._rtable = None
    app.amqp.__dict__.pop("router", None)
