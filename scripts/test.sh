#!/usr/bin/env bash
# Install what the test suite needs and run all of it. Used by README.md and .ci/run.
# Python packages go into the checkout's virtual environment (.venv/); PostgreSQL and
# Redis are started if they are not running; Chromium (Debian) is installed for the
# browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  cat <<'USAGE'
usage: bash scripts/test.sh [pytest arguments]

Installs, once, what the test suite needs and runs it on two workers:
  - Debian/Ubuntu packages when missing (as root or through sudo): python3.X-venv,
    postgresql, redis-server, chromium, libatomic1, libmagic1, gettext, shellcheck, a CJK font
  - a virtual environment in .venv/ with Jiyue and its test extras (pip install -e '.[test]')
It starts PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) if they are not running.
Environment: JIYUE_PYTHON (interpreter, default python3), JIYUE_VENV (default .venv),
JIYUE_APT=never (never run apt-get).
USAGE
  exit 0
fi

# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh
JIYUE_SCRIPT=test.sh

jiyue_find_python
jiyue_need_free_space . "${JIYUE_MIN_FREE_MB:-1500}"

# PostgreSQL on 127.0.0.1:5432 (trust auth for user postgres, as on the CI machine).
# Without PostgreSQL's client tools (pg_isready) a server that is already there (another
# machine's package, a container) is still found by its port, so that a second one is not
# installed whose start cannot take the port.
postgresql_answers() {
  if command -v pg_isready >/dev/null; then
    pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null
  else
    (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
  fi
}
if ! postgresql_answers; then
  installed_postgresql=""
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    jiyue_apt_install "the test database" postgresql
    installed_postgresql=1
  fi
  version=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -1)
  conf=/etc/postgresql/$version/main
  # The cluster we just installed asks for passwords on TCP; the tests connect as
  # postgres over 127.0.0.1 without one, as on the CI machine. A cluster that was
  # there before keeps its own rules.
  if [ -n "$installed_postgresql" ]; then
    jiyue_log "allowing trust auth on 127.0.0.1 for the test cluster"
    jiyue_as_root sed -i '1i host all all 127.0.0.1/32 trust' "$conf/pg_hba.conf" \
      || jiyue_fail "cannot edit $conf/pg_hba.conf (run as root or with sudo)"
  fi
  if pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    jiyue_as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  else
    jiyue_log "starting PostgreSQL $version"
    jiyue_as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start \
      || jiyue_fail "PostgreSQL $version could not be started (pg_ctlcluster $version main start)"
  fi
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 -q || jiyue_fail "PostgreSQL does not answer on 127.0.0.1:5432"
fi

# The rum extension for the search index (shared_library/search), beside a local
# cluster: the tests compare its results with the GIN fallback's. The server needs no
# restart; without it (apt-get not allowed, a server elsewhere) the search tests check
# the GIN index alone.
for cluster in /etc/postgresql/*/main; do
  [ -d "$cluster" ] || continue
  pg_version=$(basename "$(dirname "$cluster")")
  [ -f "/usr/share/postgresql/$pg_version/extension/rum.control" ] && continue
  if [ -n "$(jiyue_apt_mode)" ]; then
    jiyue_apt_install "the search index's RUM extension" "postgresql-$pg_version-rum"
  else
    jiyue_log "postgresql-$pg_version-rum is not installed: the search tests check the GIN index alone"
  fi
done

# Redis on 127.0.0.1:6379.
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  command -v redis-server >/dev/null || jiyue_apt_install "the task queue of the tests" redis-server
  jiyue_log "starting Redis"
  mkdir -p /tmp/jiyue-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/jiyue-redis --logfile /tmp/jiyue-redis/redis.log
  for _ in $(seq 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done
  (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null || jiyue_fail "Redis does not answer on 127.0.0.1:6379"
fi

# Chromium for the Playwright tests (Playwright's own browser download cannot be used),
# and a CJK font so that screenshots of the Chinese UI are legible.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Playwright's own driver (the node binary in its wheel) needs libatomic, which chromium
# does not bring along.
jiyue_has_library libatomic.so.1 || missing+=(libatomic1)
# libmagic: uploads are recognised by their content (python-magic).
jiyue_has_library libmagic.so.1 || missing+=(libmagic1)
# GNU gettext: a test runs makemessages to check that the catalogues match the source.
command -v xgettext >/dev/null || missing+=(gettext)
# A test runs shellcheck on these scripts.
command -v shellcheck >/dev/null || missing+=(shellcheck)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || missing+=(fonts-wqy-zenhei)
[ "${#missing[@]}" = 0 ] || jiyue_apt_install "the test suite" "${missing[@]}"

jiyue_setup_venv test

jiyue_log "running the test suite"
exec python -m pytest -n 2 --dist loadfile "$@"
