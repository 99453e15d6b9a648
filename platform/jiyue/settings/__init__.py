"""Settings, imported in three layers (Zulip's split):

1. ``defaults``   -- what is true everywhere (apps, middleware, i18n).
2. ``configured`` -- what an operator sets through environment variables (Helm values).
3. ``computed``   -- what follows from 1 and 2 (database, cache, Celery, storage).

``test`` builds on this module for pytest.
"""
from .defaults import *  # noqa: F401,F403
from .configured import *  # noqa: F401,F403
from .computed import *  # noqa: F401,F403
