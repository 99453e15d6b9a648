"""Settings for pytest: real PostgreSQL and Redis on loopback (see .ci/run).

Importing this module runs the package's __init__ first, which evaluates the
configured and computed layers before the defaults below are in the environment;
so they are evaluated again here."""
import importlib
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiyue_test")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("JIYUE_DATA_DIR", "/tmp/jiyue-test-data")
# Each test process has its own database (tests/conftest.py), so it gets its own cache
# keys too: the host-map version bumped by one xdist worker's sites must not reload
# another's map. Celery workers started by tests inherit the variable.
os.environ.setdefault("JIYUE_CACHE_KEY_PREFIX", f"test-{os.getpid()}:")

from . import computed, configured  # noqa: E402

importlib.reload(configured)
importlib.reload(computed)

from .computed import *  # noqa: E402,F401,F403
from .configured import *  # noqa: E402,F401,F403
from .defaults import *  # noqa: E402,F401,F403

# Tests watch every schema switch; keep connections short-lived.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JIYUE_HOSTMAP_CHECK_INTERVAL = 0.0
JIYUE_SITE_DOMAIN_SUFFIXES = (".gov.cn", ".localhost")
