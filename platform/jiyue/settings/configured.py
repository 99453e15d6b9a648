"""Settings an operator sets through environment variables (the Helm chart's ConfigMap
and Secret). Every one has a safe default for the demo on one machine."""
import os
from pathlib import Path

import platformdirs


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("JIYUE_DEBUG", False)
SECRET_KEY = os.environ.get("JIYUE_SECRET_KEY", "jiyue-demo-secret-key-change-me-in-production")
# Unset means: `jiyue` starts an embedded PostgreSQL and fills this in (see jiyue.embedded_db).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Unset means: Celery tasks run in-process, cache in files (the demo).
REDIS_URL = os.environ.get("REDIS_URL", "")
JIYUE_CONSOLE_HOST = os.environ.get("JIYUE_CONSOLE_HOST", "console.localhost").lower()
JIYUE_S3_ENDPOINT_URL = os.environ.get("JIYUE_S3_ENDPOINT_URL", "")
JIYUE_S3_BUCKET = os.environ.get("JIYUE_S3_BUCKET", "jiyue")
JIYUE_DATA_DIR = Path(os.environ.get("JIYUE_DATA_DIR") or platformdirs.user_data_path("jiyue"))
# Site hosts are resolved by Jiyue's own router (unknown hosts get a 404), so Django's
# host check only needs to refuse what the router cannot: override to lock it down.
ALLOWED_HOSTS = [h for h in os.environ.get("JIYUE_ALLOWED_HOSTS", "*").split(",") if h]
# Parallel workers for `jiyue migrate` across site schemas.
JIYUE_MIGRATE_WORKERS = int(os.environ.get("JIYUE_MIGRATE_WORKERS", "4"))
# Persistent connections: measured ~110 req/s with a new connection per request
# against ~620 req/s with reuse (DESIGN.md).
JIYUE_CONN_MAX_AGE = int(os.environ.get("JIYUE_CONN_MAX_AGE", "300"))
# Proxies (ingress) in front of gunicorn that append to X-Forwarded-For; 0: use the
# connection's address (the operation log records the source IP).
JIYUE_TRUSTED_PROXY_COUNT = int(os.environ.get("JIYUE_TRUSTED_PROXY_COUNT", "0"))
# Domains a site may apply for (government sites: .gov.cn); the demo adds .localhost.
JIYUE_SITE_DOMAIN_SUFFIXES = tuple(
    s.strip() for s in os.environ.get("JIYUE_SITE_DOMAIN_SUFFIXES", ".gov.cn").split(",") if s.strip())
# Seconds after which a task taken by a worker that died is delivered again (Redis).
JIYUE_CELERY_VISIBILITY_TIMEOUT = int(os.environ.get("JIYUE_CELERY_VISIBILITY_TIMEOUT", "600"))
# Prefix of the Celery queue names (default, provisioning, publishing).
JIYUE_CELERY_QUEUE_PREFIX = os.environ.get("JIYUE_CELERY_QUEUE_PREFIX", "")
