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


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiyue.settings")
    import django

    from jiyue.embedded_db import ensure_database_url

    ensure_database_url()  # before django.setup(): nothing may connect to the placeholder
    django.setup()


def demo(argv):
    parser = argparse.ArgumentParser(prog="jiyue demo", description="运行演示环境")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网站服务")
    args = parser.parse_args(argv)
    _setup()
    from django.conf import settings

    from jiyue.demo import UNITS, seed_demo
    from tenants.schemas.migrate import migrate_all

    print("正在迁移数据库……", flush=True)
    report = migrate_all(progress=lambda line: print("  " + line, flush=True))
    if not report.ok:
        print(f"迁移失败：{report.failed}", file=sys.stderr)
        return 1
    print("正在准备演示数据……", flush=True)
    passwords = seed_demo()
    port = f":{args.port}"
    console = f"http://{settings.JIYUE_CONSOLE_HOST}{port}/"
    print("\n集约演示环境已就绪：")
    print(f"  控制台（统一登录）：{console}")
    for *_unit, _code, name, host, _identity in UNITS:
        print(f"  {name}：http://{host}{port}/")
    print("\n演示账号（密码保存在 %s）：" % (settings.JIYUE_DATA_DIR / "demo-accounts.json"))
    for username, password in passwords.items():
        print(f"  {username:8s} {password}")
    print("\n（*.localhost 在浏览器中解析到本机；按 Ctrl-C 停止）", flush=True)
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
            "-Q", "default,provisioning", "--concurrency", "1",
        ], env=os.environ.copy()))
    try:
        return processes[0].wait()
    except KeyboardInterrupt:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        print("\n已停止。", flush=True)
        return 0


def migrate(argv):
    _setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    parser = argparse.ArgumentParser(prog="jiyue migrate")
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)
    try:
        call_command("migrate_sites", workers=args.workers)
    except CommandError as error:
        print(f"错误：{error}", file=sys.stderr)
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
