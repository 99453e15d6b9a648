"""The site administrator (网站管理员) edits the 索引号 rule in the site's settings."""
from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="content", model="indexnumbersettings")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_indexnumbersettings",
        defaults={"name": "Can change 索引号规则"})
    for group in Group.objects.filter(name="网站管理员"):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial"), ("siteaccess", "0002_site_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
