"""The `jiyue` command (also `python -m jiyue`).

  jiyue demo [--port 8000]   embedded PostgreSQL if DATABASE_URL is unset, migrate,
                             seed a demo province, serve on 127.0.0.1, print the URLs
  jiyue migrate [--workers]  public, template, then every site schema (fast path)
  jiyue <command> ...        any Django management command (create_site, grant_role,
                             provision_site, ...)

It calls the same services and commands as everything else; no database logic here."""
import argparse
import os
import signal
import subprocess
import sys


def _setup(database=True):
    """Django ready; with `database`, DATABASE_URL filled in (embedded PostgreSQL when
    unset). django.setup() connects to nothing, so the database may come after it:
    `jiyue demo --help` needs translations, not a running server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiyue.settings")
    import django

    django.setup()
    if database:
        from jiyue.embedded_db import ensure_database_url

        ensure_database_url()  # before any connection: nothing may use the placeholder


def demo(argv):
    # The demo's sites live under *.localhost, which browsers resolve to this machine.
    os.environ.setdefault("JIYUE_SITE_DOMAIN_SUFFIXES", ".gov.cn,.localhost")
    _setup(database=False)  # the help texts below are translated
    from django.conf import settings
    from django.utils.translation import gettext as _

    parser = argparse.ArgumentParser(prog="jiyue demo", description=_("Runs the demo environment"))
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help=_("only prepare the data; do not start the web server"))
    args = parser.parse_args(argv)
    _setup()

    from jiyue.demo import UNITS, seed_demo
    from tenants.schemas.migrate import migrate_all

    print(_("Migrating the database…"), flush=True)
    report = migrate_all(progress=lambda line: print("  " + line, flush=True))
    if not report.ok:
        print(_("Migration failed: %(failed)s") % {"failed": report.failed}, file=sys.stderr)
        return 1
    print(_("Preparing the demo data…"), flush=True)
    passwords = seed_demo()
    port = f":{args.port}"
    console = f"http://{settings.JIYUE_CONSOLE_HOST}{port}/"
    print("\n" + _("The Jiyue demo environment is ready:"))
    print("  " + _("Console (unified sign-in): %(url)s") % {"url": console})
    for *_unit, _code, name, host, _identity in UNITS:
        print("  " + _("%(site)s: %(url)s") % {"site": name, "url": f"http://{host}{port}/"})
    print("\n" + _("Demo accounts (passwords are saved in %(path)s):")
          % {"path": settings.JIYUE_DATA_DIR / "demo-accounts.json"})
    for username, password in passwords.items():
        print(f"  {username:8s} {password}")
    print("\n" + _("(*.localhost resolves to this machine in browsers; press Ctrl-C to stop)"), flush=True)
    if args.no_serve:
        return 0
    from django.db import connections

    connections.close_all()
    processes = [subprocess.Popen([
        sys.executable, "-m", "gunicorn", "jiyue.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
        "--workers", "2", "--access-logfile", "-", "--log-level", "warning", "--no-control-socket",
    ], env=os.environ.copy())]
    if settings.REDIS_URL:
        # Tasks go through Redis: something must consume them (without Redis they run in-process).
        processes.append(subprocess.Popen([
            sys.executable, "-m", "celery", "-A", "jiyue.celery_app", "worker", "--loglevel", "WARNING",
            "-Q", ",".join(settings.JIYUE_CELERY_QUEUES), "--concurrency", "1",
        ], env=os.environ.copy()))
    try:
        return processes[0].wait()
    except KeyboardInterrupt:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        print("\n" + _("Stopped."), flush=True)
        return 0


def migrate(argv):
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils.translation import gettext as _

    parser = argparse.ArgumentParser(prog="jiyue migrate")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        call_command("migrate_sites", workers=args.workers)
    except CommandError as error:
        print(_("Error: %(error)s") % {"error": error}, file=sys.stderr)
        return 1
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command == "demo":
        sys.exit(demo(argv[1:]))
    if command == "migrate":
        sys.exit(migrate(argv[1:]))
    if command in ("help", "-h", "--help"):
        print(__doc__)
        return
    _setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jiyue", *argv])
