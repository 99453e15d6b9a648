#!/usr/bin/env bash
# Install what the test suite needs and run all of it. Used by README.md and .ci/run.
# Starts PostgreSQL and Redis if they are not running; installs Chromium (Debian) for
# the browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL on 127.0.0.1:5432 (trust auth for user postgres, as on the CI machine).
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "installing PostgreSQL"; apt_install postgresql
  fi
  log "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# Redis on 127.0.0.1:6379.
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  command -v redis-server >/dev/null || { log "installing Redis"; apt_install redis-server; }
  log "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done
fi

# Chromium for the Playwright tests (Playwright's own browser download cannot be used),
# and a CJK font so that screenshots of the Chinese UI are legible.
if [ ! -x /usr/bin/chromium ]; then log "installing Chromium"; apt_install chromium; fi
# libmagic: uploads are recognised by their content (python-magic).
if ! ldconfig -p 2>/dev/null | grep -q "libmagic.so.1"; then apt_install libmagic1; fi
# GNU gettext: a test runs makemessages to check that the catalogues match the source.
command -v xgettext >/dev/null || apt_install gettext
if ! fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk"; then apt_install fonts-wqy-zenhei || true; fi

log "installing Python packages"
python3 -m pip install -q --disable-pip-version-check -e '.[test]'

log "running the test suite"
exec python3 -m pytest -n 2 --dist loadfile "$@"
