#!/usr/bin/env bash
# Install Jiyue and run the demo: embedded PostgreSQL unless DATABASE_URL is set,
# seeded sites, served on 127.0.0.1:8000. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q --disable-pip-version-check -e .
exec python3 -m jiyue demo "$@"
