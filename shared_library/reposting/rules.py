"""Which columns take which library items. A column lists what its type says it holds
(tenants.columns.ColumnType): news, policies and announcements go into 信息发布 columns
and special topics, interpretations into 解读回应 columns and special topics; service and
interaction columns take no reposts."""
from tenants.columns.models import ColumnType

COLUMN_TYPES_FOR = {
    "article": {ColumnType.PUBLISHING, ColumnType.SPECIAL},
    "policy": {ColumnType.PUBLISHING, ColumnType.SPECIAL},
    "announcement": {ColumnType.PUBLISHING, ColumnType.SPECIAL},
    "interpretation": {ColumnType.INTERPRETATION, ColumnType.SPECIAL},
}
# A full copy is an independent page of the target site; an interpretation cannot be one,
# as it must point at a policy of its own site.
COPYABLE_TYPES = {"article", "policy", "announcement"}


def column_takes(column_type: str, content_type: str) -> bool:
    return column_type in COLUMN_TYPES_FOR.get(content_type, set())
