"""The Celery application. Tasks are tenant-aware (tenant-schemas-celery): a task sent
from a site's schema carries that schema in its headers and runs in it, nowhere else."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiyue.settings")

from tenant_schemas_celery.app import CeleryApp  # noqa: E402

app = CeleryApp("jiyue")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
