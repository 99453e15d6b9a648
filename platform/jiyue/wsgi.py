import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiyue.settings")

from jiyue.embedded_db import ensure_database_url  # noqa: E402

ensure_database_url()
application = get_wsgi_application()
