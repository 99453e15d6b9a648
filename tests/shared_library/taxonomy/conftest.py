"""Taxonomies made through the real import service, with unique codes and names (the
test database is shared by the whole session and never rolled back)."""
import uuid

import pytest

from shared_library.taxonomy.services.imports import import_terms, new_taxonomy


def make_taxonomy(rows=(), name=None):
    """A saved taxonomy with ``rows`` ((code, name, parent_code, sort_order) tuples)."""
    suffix = uuid.uuid4().hex[:8]
    taxonomy = new_taxonomy(f"tx-{suffix}", name or f"测试分类{suffix}")
    if not rows:
        taxonomy.save()
        return taxonomy
    import_terms(taxonomy, [as_row(row, line) for line, row in enumerate(rows, start=2)], acting_user=None)
    return taxonomy


def as_row(row, line=None):
    code, name, parent_code, sort_order = row
    return {"code": code, "name": name, "parent_code": parent_code or "",
            "sort_order": "" if sort_order is None else str(sort_order), "line": line}


TOPICS = [
    ("09", "城乡建设、环境保护", "", 9),
    ("0901", "城乡规划", "09", 1),
    ("0902", "环境保护", "09", 2),
    ("090201", "环境监测", "0902", 1),
    ("01", "综合政务", "", 1),
    ("0101", "政务公开", "01", 1),
]


@pytest.fixture
def topics():
    return make_taxonomy(TOPICS)
