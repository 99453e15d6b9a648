#!/usr/bin/env bash
# Install Jiyue and run the demo: embedded PostgreSQL unless DATABASE_URL is set,
# seeded sites, served on 127.0.0.1:8000. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
# Uploads are recognised by their content through libmagic (python-magic).
if ! ldconfig -p 2>/dev/null | grep -q "libmagic.so.1"; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libmagic1 >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e .
exec python3 -m jiyue demo "$@"
