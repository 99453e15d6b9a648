"""End-to-end set-up: the real application served by gunicorn (a separate process, as
in production) against this worker's test database and Redis, and headless Chromium
(Debian's `chromium` package) driven by Playwright."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CONSOLE_HOST = "console.localhost"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Every *.localhost name (the console host, site hosts) reaches the test server.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
HEALTH_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


class AppServer:
    def __init__(self, port: int, log_path: Path, queue_prefix: str, data_dir: Path):
        self.port = port
        self.log_path = log_path
        self.data_dir = data_dir  # JIYUE_DATA_DIR: its files (storage) are the server's
        # Tasks the server sends go to queues of its own (see app_worker).
        self.queue_prefix = queue_prefix
        self.console_url = f"http://{CONSOLE_HOST}:{port}"

    def console(self, path: str = "/") -> str:
        return self.console_url + path


@pytest.fixture(scope="session")
def app_server(django_db_setup, tmp_path_factory):
    """gunicorn with the production settings module, on a free loopback port."""
    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).with_name("gunicorn"))
    database = settings.DATABASES["default"]
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("jiyue-data")
    (data_dir / "static").mkdir()  # STATIC_ROOT; WhiteNoise serves from the finders
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    queue_prefix = f"e2e-{os.getpid()}-"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="jiyue.settings",
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                     f"{database['PORT'] or 5432}/{django_db_setup}",
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        JIYUE_DATA_DIR=str(data_dir),
        JIYUE_CONSOLE_HOST=CONSOLE_HOST,
        JIYUE_CELERY_QUEUE_PREFIX=queue_prefix,
        # Test sites live under *.localhost, which Chromium maps to the server.
        JIYUE_SITE_DOMAIN_SUFFIXES=".gov.cn,.localhost",
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [gunicorn, "jiyue.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--timeout", "60", "--access-logfile", "-", "--error-logfile", "-",
             # The default control socket is one path per machine: parallel servers clash.
             "--no-control-socket"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while not _healthy(port):
            if process.poll() is not None or time.monotonic() > deadline:
                reason = (f"exited with {process.returncode}" if process.poll() is not None
                          else f"not healthy after {HEALTH_TIMEOUT:.0f} s")
                pytest.fail(f"gunicorn {reason}; log:\n{log_path.read_text(errors='replace')[-4000:]}",
                            pytrace=False)
            time.sleep(0.2)
        yield AppServer(port, log_path, queue_prefix, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def app_worker(app_server, tmp_path_factory):
    """A Celery worker for the tasks the server sends (provisioning after an approval)."""
    from tests.celery_worker import start_worker

    queues = ",".join(app_server.queue_prefix + name for name in ("default", "provisioning", "publishing"))
    process, log = start_worker("jiyue.celery_app", queues, tmp_path_factory,
                                JIYUE_CELERY_QUEUE_PREFIX=app_server.queue_prefix)
    try:
        yield log
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing browser test shows the tail of the server's log."""
    report = yield
    server = getattr(item, "funcargs", {}).get("app_server")
    if report.failed and isinstance(server, AppServer) and server.log_path.exists():
        report.sections.append(("gunicorn log", server.log_path.read_text(errors="replace")[-6000:]))
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: browser tests need Debian's chromium "
                    "(apt-get install -y chromium); `playwright install` is not used", pytrace=False)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop marked as running in this thread, so
    # Django would refuse the test's own ORM calls as "async"; they are not.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def artifacts_dir():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

