"""The site administrator (网站管理员) chooses the sources a column accepts without review
(ColumnPage.accept_reposts_from). SQL, so that `jiyue migrate` replays it on every site
schema."""
from django.db import migrations

GRANT = """
INSERT INTO django_content_type (app_label, model) VALUES ('reposts', 'repostpage')
ON CONFLICT DO NOTHING;
INSERT INTO auth_permission (name, content_type_id, codename)
SELECT 'Can set the sources a column accepts without review', content_type.id, 'accept_direct_reposts'
FROM django_content_type AS content_type
WHERE content_type.app_label = 'reposts' AND content_type.model = 'repostpage'
ON CONFLICT DO NOTHING;
INSERT INTO auth_group_permissions (group_id, permission_id)
SELECT admin_group.id, permission.id
FROM auth_group AS admin_group, auth_permission AS permission
JOIN django_content_type AS content_type ON content_type.id = permission.content_type_id
WHERE admin_group.name = '网站管理员' AND content_type.app_label = 'reposts'
  AND permission.codename = 'accept_direct_reposts'
ON CONFLICT DO NOTHING;
"""
REVOKE = """
DELETE FROM auth_group_permissions WHERE permission_id IN (SELECT permission.id FROM auth_permission AS permission
  JOIN django_content_type AS content_type ON content_type.id = permission.content_type_id
  WHERE content_type.app_label = 'reposts' AND permission.codename = 'accept_direct_reposts');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reposts", "0001_initial"),
        ("siteaccess", "0004_site_admins_manage_redirects"),
    ]
    operations = [migrations.RunSQL(GRANT, REVOKE)]
