"""Settings for pytest: real PostgreSQL and Redis on loopback (see .ci/run)."""
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiyue")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("JIYUE_DATA_DIR", "/tmp/jiyue-test-data")

from . import *  # noqa: E402,F401,F403
from .computed import DATABASES  # noqa: E402

DATABASES["default"]["TEST"] = {"NAME": "test_jiyue"}
# Tests check every schema switch; keep connections short-lived and visible.
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
JIYUE_HOSTMAP_CHECK_INTERVAL = 0.0
CELERY_TASK_ALWAYS_EAGER = False
