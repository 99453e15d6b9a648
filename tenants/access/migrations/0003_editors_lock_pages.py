"""Editors (编辑) may lock the page they are editing, so that nobody else saves over
their work; unlocking someone else's lock stays with reviewers (a lock's holder can
always unlock it)."""
from django.db import migrations


def grant_lock(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors = Group.objects.filter(name="编辑").first()
    root = Page.objects.filter(depth=1).first()
    lock = Permission.objects.filter(content_type__app_label="wagtailcore", codename="lock_page").first()
    if editors is None or root is None or lock is None:
        return
    GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=lock)


def revoke_lock(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name="编辑", page__depth=1, permission__codename="lock_page").delete()


class Migration(migrations.Migration):
    dependencies = [("siteaccess", "0002_site_role_groups")]
    operations = [migrations.RunPython(grant_lock, revoke_lock)]
