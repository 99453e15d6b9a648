"""The site administrator (网站管理员) manages the site's URL redirects (设置 → 重定向):
those Wagtail creates when a page moves, and any added by hand for old links."""
from django.db import migrations

REDIRECT_PERMISSIONS = ["add_redirect", "change_redirect", "delete_redirect"]


def grant_redirects(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_group = Group.objects.filter(name="网站管理员").first()
    if admin_group is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailredirects", model="redirect")
    for codename in REDIRECT_PERMISSIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"})
        admin_group.permissions.add(permission)


def revoke_redirects(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    admin_group = Group.objects.filter(name="网站管理员").first()
    if admin_group is not None:
        admin_group.permissions.remove(*admin_group.permissions.filter(
            content_type__app_label="wagtailredirects", codename__in=REDIRECT_PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("siteaccess", "0003_editors_lock_pages"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]
    operations = [migrations.RunPython(grant_redirects, revoke_redirects)]
