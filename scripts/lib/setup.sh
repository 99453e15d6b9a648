# shellcheck shell=bash
# Shared set-up of scripts/demo.sh and scripts/test.sh: Debian/Ubuntu packages through
# apt when they are missing (and we may), a Python that the project supports, and a
# virtual environment in the checkout (.venv/) that everything after it runs from.
# Sourced, not run. Settings (environment):
#   JIYUE_PYTHON     the interpreter that makes the venv (default: python3)
#   JIYUE_VENV       the venv's directory (default: <checkout>/.venv)
#   JIYUE_APT        auto (default: use apt-get as root or through sudo) | never
#   JIYUE_MIN_FREE_MB  free space needed where the venv goes (default per script)
# Every failure is one line on stderr and exit code 1.

JIYUE_PROJECT_DIR=${JIYUE_PROJECT_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
JIYUE_VENV=${JIYUE_VENV:-$JIYUE_PROJECT_DIR/.venv}
JIYUE_SCRIPT=${JIYUE_SCRIPT:-$(basename "$0")}
# The interpreters the project supports (pyproject.toml's requires-python says the same).
JIYUE_PYTHON_MIN=3.11
JIYUE_PYTHON_MAX=3.11

jiyue_log() { printf '[%s] %s\n' "$JIYUE_SCRIPT" "$*"; }
jiyue_fail() { printf '[%s] error: %s\n' "$JIYUE_SCRIPT" "$*" >&2; exit 1; }

# How we may run apt-get: "root", "sudo", or "" when we may not.
jiyue_apt_mode() {
  [ "${JIYUE_APT:-auto}" = never ] && return 0
  command -v apt-get >/dev/null 2>&1 || return 0
  if [ "$(id -u)" = 0 ]; then
    echo root
  elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    echo sudo
  fi
}

jiyue_as_root() {
  case "$(jiyue_apt_mode)" in
    root) "$@" ;;
    sudo) sudo "$@" ;;
    *) return 1 ;;
  esac
}

_jiyue_apt_updated=""
# jiyue_apt_install WHY PACKAGE...: install Debian packages or stop with one line.
jiyue_apt_install() {
  local why=$1; shift
  if [ -z "$(jiyue_apt_mode)" ]; then
    jiyue_fail "$why needs the packages: $*; apt-get may not be used here (not root, no sudo, or JIYUE_APT=never): install them (apt-get install $*) and run again"
  fi
  jiyue_log "installing $* ($why)"
  if [ -z "$_jiyue_apt_updated" ]; then
    jiyue_as_root apt-get update -qq >/dev/null || jiyue_fail "apt-get update failed (is a package mirror reachable?)"
    _jiyue_apt_updated=1
  fi
  jiyue_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || jiyue_fail "apt-get install $* failed"
}

# jiyue_need_free_space DIR MB: stop early when the disk holding DIR is (nearly) full.
jiyue_need_free_space() {
  local dir=$1 need_mb=$2 free_kb
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
  free_kb=$(df -Pk "$dir" | awk 'NR == 2 {print $4}')
  if [ -n "$free_kb" ] && [ "$((free_kb / 1024))" -lt "$need_mb" ]; then
    jiyue_fail "not enough disk space: $((free_kb / 1024)) MB free on the disk of $dir, at least $need_mb MB needed"
  fi
}

# jiyue_find_python: set JIYUE_PYTHON_BIN to a supported interpreter, or stop.
jiyue_find_python() {
  local python=${JIYUE_PYTHON:-python3} version
  JIYUE_PYTHON_BIN=$(command -v "$python" 2>/dev/null) \
    || jiyue_fail "no Python interpreter '$python' found: install python3 ($JIYUE_PYTHON_MIN) or set JIYUE_PYTHON"
  version=$("$JIYUE_PYTHON_BIN" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) \
    || jiyue_fail "$JIYUE_PYTHON_BIN does not run as a Python interpreter"
  if ! _jiyue_version_between "$version" "$JIYUE_PYTHON_MIN" "$JIYUE_PYTHON_MAX"; then
    jiyue_fail "Python $version ($JIYUE_PYTHON_BIN) is not supported: Jiyue needs Python $JIYUE_PYTHON_MIN to $JIYUE_PYTHON_MAX; set JIYUE_PYTHON to one"
  fi
  JIYUE_PYTHON_VERSION=$version
}

# _jiyue_version_between V MIN MAX: MIN <= V <= MAX, comparing major.minor.
_jiyue_version_between() {
  local v=$1 low=$2 high=$3
  [ "$(printf '%s\n%s\n' "$low" "$v" | sort -V | head -1)" = "$low" ] \
    && [ "$(printf '%s\n%s\n' "$v" "$high" | sort -V | head -1)" = "$v" ]
}

# jiyue_ensure_venv: make the venv once (with pip, from the interpreter's ensurepip);
# reuse it while it runs the same Python version.
jiyue_ensure_venv() {
  jiyue_find_python
  if [ -x "$JIYUE_VENV/bin/python" ]; then
    local venv_version
    venv_version=$("$JIYUE_VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
    if [ "$venv_version" = "$JIYUE_PYTHON_VERSION" ] && "$JIYUE_VENV/bin/python" -m pip --version >/dev/null 2>&1; then
      return 0
    fi
    jiyue_log "remaking $JIYUE_VENV (it runs Python ${venv_version:-?}, not $JIYUE_PYTHON_VERSION)"
    rm -rf "$JIYUE_VENV"
  fi
  jiyue_need_free_space "$(dirname "$JIYUE_VENV")" "${JIYUE_MIN_FREE_MB:-600}"
  # Debian and Ubuntu ship venv's ensurepip separately (python3.X-venv).
  if ! "$JIYUE_PYTHON_BIN" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    jiyue_apt_install "a virtual environment for Python $JIYUE_PYTHON_VERSION" "python$JIYUE_PYTHON_VERSION-venv"
    "$JIYUE_PYTHON_BIN" -c 'import ensurepip, venv' >/dev/null 2>&1 \
      || jiyue_fail "$JIYUE_PYTHON_BIN still cannot make a virtual environment (no ensurepip)"
  fi
  jiyue_log "making the virtual environment $JIYUE_VENV (Python $JIYUE_PYTHON_VERSION)"
  if ! "$JIYUE_PYTHON_BIN" -m venv "$JIYUE_VENV" >/dev/null; then
    rm -rf "$JIYUE_VENV"  # never leave a half-made venv for the next run to trust
    jiyue_fail "could not make the virtual environment $JIYUE_VENV"
  fi
}

# jiyue_install_project [EXTRAS]: pip install -e the checkout into the venv, only when
# pyproject.toml (or the extras, or the Python) changed since the last install.
jiyue_install_project() {
  local extras=${1:-} target=. stamp digest
  [ -n "$extras" ] && target=".[$extras]"
  stamp="$JIYUE_VENV/.jiyue-installed"
  digest=$( { cat "$JIYUE_PROJECT_DIR/pyproject.toml"; echo "$extras $JIYUE_PYTHON_VERSION"; } | cksum)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ]; then
    jiyue_log "Python packages up to date in $JIYUE_VENV"
    return 0
  fi
  jiyue_need_free_space "$JIYUE_VENV" "${JIYUE_MIN_FREE_MB:-600}"
  jiyue_log "installing Python packages into $JIYUE_VENV"
  rm -f "$stamp"
  if ! (cd "$JIYUE_PROJECT_DIR" && "$JIYUE_VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$target"); then
    jiyue_need_free_space "$JIYUE_VENV" 50
    jiyue_fail "pip could not install $target into $JIYUE_VENV (its messages are above)"
  fi
  printf '%s\n' "$digest" >"$stamp"
}

# jiyue_activate: everything after this runs from the venv (python3, jiyue, gunicorn…).
jiyue_activate() {
  export VIRTUAL_ENV="$JIYUE_VENV"
  export PATH="$JIYUE_VENV/bin:$PATH"
  unset PYTHONHOME
  hash -r
}

# jiyue_setup_venv [EXTRAS]: the three steps above, in order.
jiyue_setup_venv() {
  jiyue_ensure_venv
  jiyue_install_project "${1:-}"
  jiyue_activate
}

# jiyue_has_library SONAME: the dynamic linker's cache lists SONAME. ldconfig lives in
# /sbin, which is not on a normal user's PATH on Debian; grep reads all of its output
# (no -q), so that ldconfig never dies of SIGPIPE under pipefail.
jiyue_has_library() {
  local ldconfig
  ldconfig=$(command -v ldconfig || command -v /sbin/ldconfig || command -v /usr/sbin/ldconfig) \
    || return 1
  "$ldconfig" -p 2>/dev/null | grep -F "$1" >/dev/null
}

# jiyue_need_library SONAME PACKAGE WHY: a shared library the Python packages load.
jiyue_need_library() {
  if ! jiyue_has_library "$1"; then
    jiyue_apt_install "$3" "$2"
  fi
}
