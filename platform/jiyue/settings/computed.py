"""Settings derived from the defaults and from what the operator configured."""
import os

import dj_database_url

from .configured import (
    DATABASE_URL,
    JIYUE_CELERY_QUEUE_PREFIX,
    JIYUE_CELERY_VISIBILITY_TIMEOUT,
    JIYUE_CONN_MAX_AGE,
    JIYUE_CONSOLE_HOST,
    JIYUE_DATA_DIR,
    JIYUE_S3_BUCKET,
    JIYUE_S3_ENDPOINT_URL,
    REDIS_URL,
)

if DATABASE_URL:
    _database = dj_database_url.parse(DATABASE_URL)
else:
    # Placeholder until jiyue.embedded_db fills DATABASE_URL in; a process that reaches
    # the database without either fails with a clear connection error.
    _database = {"NAME": "jiyue", "HOST": "", "USER": "postgres"}
_database.update(
    # django-tenants' backend plus one rule: no FK constraints from site schemas to public tables.
    ENGINE="jiyue.db.backend",
    CONN_MAX_AGE=JIYUE_CONN_MAX_AGE,
    CONN_HEALTH_CHECKS=True,
)
DATABASES = {"default": _database}

# Static files are served from the finders (WHITENOISE_USE_FINDERS); an image build
# that runs collectstatic names its target in JIYUE_STATIC_ROOT.
STATIC_ROOT = os.environ.get("JIYUE_STATIC_ROOT") or None
MEDIA_ROOT = JIYUE_DATA_DIR / "media"

# "default" prefixes every key with the current schema (Wagtail caches site root paths
# under one fixed key; shared between sites, one site would get another's URLs).
# "shared" holds platform-wide keys such as the host-map version.
# JIYUE_CACHE_KEY_PREFIX separates platforms that share one Redis (and parallel test
# runs, each with its own database, from one another's keys).
_KEY_PREFIX = os.environ.get("JIYUE_CACHE_KEY_PREFIX", "")
_TENANT_KEYS = {"KEY_PREFIX": _KEY_PREFIX, "KEY_FUNCTION": "django_tenants.cache.make_key",
                "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key"}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                    **_TENANT_KEYS},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                   "KEY_PREFIX": f"{_KEY_PREFIX}shared"},
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # The demo: one machine, no Redis. Files are shared by the web workers, so the
    # host-map version still reaches every process.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(JIYUE_DATA_DIR / "cache"),
            **_TENANT_KEYS,
        },
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(JIYUE_DATA_DIR / "cache-shared"),
        },
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies mid-run goes back to the queue: at once when a pool process
# dies, and when the whole worker dies, after the broker's visibility timeout (the
# task services are idempotent, so a redelivery is safe).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": JIYUE_CELERY_VISIBILITY_TIMEOUT}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Queue names carry JIYUE_CELERY_QUEUE_PREFIX: two platforms (or a test run beside a
# demo) on one Redis do not consume each other's tasks.
JIYUE_CELERY_QUEUES = [JIYUE_CELERY_QUEUE_PREFIX + name
                       for name in ("default", "provisioning", "migrations", "publishing")]
CELERY_TASK_DEFAULT_QUEUE = JIYUE_CELERY_QUEUE_PREFIX + "default"
CELERY_TASK_ROUTES = {"tenants.provisioning.tasks.*": {"queue": JIYUE_CELERY_QUEUE_PREFIX + "provisioning"},
                      "tenants.publishing.tasks.*": {"queue": JIYUE_CELERY_QUEUE_PREFIX + "publishing"},
                      # Site migrations run for minutes to hours: a queue of their own.
                      "ops.retirement.tasks.*": {"queue": JIYUE_CELERY_QUEUE_PREFIX + "migrations"}}
# Catches up on publish events whose on-commit task was lost, and on retries.
CELERY_BEAT_SCHEDULE = {
    "dispatch-publish-events": {"task": "tenants.publishing.tasks.dispatch_publish_events_task",
                                "schedule": 60.0},
    # Go-live and expiry times of pages (Wagtail's publish_scheduled in every site); a
    # run not started within the minute is dropped, the next one does its work.
    "publish-scheduled-pages": {"task": "tenants.content.tasks.publish_scheduled_pages",
                                "schedule": 60.0, "options": {"expires": 55}},
    # Offline periods start and end on their dates; late work is escalated (tenants.lifecycle).
    "lifecycle-schedule": {"task": "tenants.lifecycle.tasks.run_lifecycle_schedule_task",
                           "schedule": 900.0, "options": {"expires": 600}},
    "lifecycle-orphaned-files": {"task": "tenants.lifecycle.tasks.remove_orphaned_files_task",
                                 "schedule": 86400.0},
    # Editors of sites that have not reposted a mandated item hear of it before the
    # deadline (shared_library.reposting).
    "mandate-reminders": {"task": "shared_library.reposting.tasks.send_mandate_reminders",
                          "schedule": 600.0, "options": {"expires": 540}},
}

if JIYUE_S3_ENDPOINT_URL:
    AWS_S3_ENDPOINT_URL = JIYUE_S3_ENDPOINT_URL
    AWS_STORAGE_BUCKET_NAME = JIYUE_S3_BUCKET
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = False
    _media_backend = "jiyue.storage.SiteS3Storage"
else:
    _media_backend = "jiyue.storage.SiteFileSystemStorage"
STORAGES = {
    "default": {"BACKEND": _media_backend},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAILADMIN_BASE_URL = f"http://{JIYUE_CONSOLE_HOST}"
