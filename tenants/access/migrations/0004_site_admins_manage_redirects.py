"""The site administrator (网站管理员) manages the site's URL redirects (设置 → 重定向):
those Wagtail creates when a page moves, and any added by hand for old links. SQL, so
that `jiyue migrate` replays it on every site schema."""
from django.db import migrations

GRANT = """
INSERT INTO django_content_type (app_label, model) VALUES ('wagtailredirects', 'redirect')
ON CONFLICT DO NOTHING;
INSERT INTO auth_permission (name, content_type_id, codename)
SELECT 'Can ' || replace(codename, '_', ' '), content_type.id, codename
FROM django_content_type AS content_type,
     unnest(ARRAY['add_redirect', 'change_redirect', 'delete_redirect']) AS codename
WHERE content_type.app_label = 'wagtailredirects' AND content_type.model = 'redirect'
ON CONFLICT DO NOTHING;
INSERT INTO auth_group_permissions (group_id, permission_id)
SELECT admin_group.id, permission.id
FROM auth_group AS admin_group, auth_permission AS permission
JOIN django_content_type AS content_type ON content_type.id = permission.content_type_id
WHERE admin_group.name = '网站管理员' AND content_type.app_label = 'wagtailredirects'
  AND permission.codename IN ('add_redirect', 'change_redirect', 'delete_redirect')
ON CONFLICT DO NOTHING;
"""
REVOKE = """
DELETE FROM auth_group_permissions WHERE group_id IN (SELECT id FROM auth_group WHERE name = '网站管理员')
AND permission_id IN (SELECT permission.id FROM auth_permission AS permission
  JOIN django_content_type AS content_type ON content_type.id = permission.content_type_id
  WHERE content_type.app_label = 'wagtailredirects');
"""


class Migration(migrations.Migration):
    dependencies = [
        ("siteaccess", "0003_editors_lock_pages"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]
    operations = [migrations.RunSQL(GRANT, REVOKE)]
