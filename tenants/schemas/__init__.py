"""Schema-level machinery shared by provisioning and migrations: cloning the template
schema (clone.py), comparing catalogs (catalog.py), and migrating every site schema
fast (migrate.py). See docs/tenancy.md."""
