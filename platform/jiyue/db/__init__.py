"""Database plumbing: the PostgreSQL backend Jiyue runs on (see backend/base.py)."""
