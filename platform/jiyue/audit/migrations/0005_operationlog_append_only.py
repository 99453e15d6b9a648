"""The operation log is append-only in the database itself: no row may be updated, and
none younger than the retention period (RETENTION_DAYS, 6 months) deleted, whoever
connects. Purging older rows stays possible."""
from django.db import migrations

RETENTION = "183 days"

FORWARD = f"""
CREATE OR REPLACE FUNCTION audit_operationlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'operation log rows cannot be changed (append-only)';
    END IF;
    IF OLD.created_at > now() - interval '{RETENTION}' THEN
        RAISE EXCEPTION 'operation log rows are kept at least {RETENTION}';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_operationlog_append_only
    BEFORE UPDATE OR DELETE ON audit_operationlog
    FOR EACH ROW EXECUTE FUNCTION audit_operationlog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_operationlog_append_only ON audit_operationlog;
DROP FUNCTION IF EXISTS audit_operationlog_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_operationlog_structured_fields")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
