#!/usr/bin/env bash
# Install Jiyue into a virtual environment in the checkout (.venv/) and run the demo:
# embedded PostgreSQL unless DATABASE_URL is set, seeded sites, served on
# 127.0.0.1:8000. Ctrl-C stops everything it started. Arguments go to `jiyue demo`.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  cat <<'USAGE'
usage: bash scripts/demo.sh [--port 8000] [--no-serve]

Installs, once, what the demo needs and runs `jiyue demo`:
  - Debian/Ubuntu packages when missing (as root or through sudo): python3.X-venv, libmagic1
  - a virtual environment in .venv/ with Jiyue installed in it (pip install -e .)
A second run reuses .venv/ and installs only what pyproject.toml changed.
Environment: JIYUE_PYTHON (interpreter, default python3), JIYUE_VENV (default .venv),
JIYUE_APT=never (never run apt-get), and the settings listed in README.md.
USAGE
  exit 0
fi

# shellcheck source=scripts/lib/setup.sh
. scripts/lib/setup.sh
JIYUE_SCRIPT=demo.sh

jiyue_find_python
jiyue_need_free_space . "${JIYUE_MIN_FREE_MB:-600}"
# Uploads are recognised by their content through libmagic (python-magic).
jiyue_need_library libmagic.so.1 libmagic1 "recognising uploads by their content"
jiyue_setup_venv ""
exec python -m jiyue demo "$@"
