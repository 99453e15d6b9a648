"""Settings for bench.migrate's "one added nullable column" run: the real settings,
with the `columns` app's migrations taken from a temporary copy of its package that
bench.migrate writes (tenants/columns/migrations/* plus a generated AddField), so the
benchmark adds a migration without touching the repository. Only the migration graph
changes; the ColumnPage model class itself is untouched."""
import os

from jiyue.settings import *  # noqa: F401,F403

MIGRATION_MODULES = {"columns": os.environ.get("JIYUE_BENCH_COLUMNS_MIGRATIONS", "bench_columns_migrations")}
