"""Every site schema gets the three role groups (cloned schemas copy these rows).

Wagtail's own data migrations create "Moderators" and "Editors" with sensible page and
collection permissions and make Moderators the group of the default moderation
workflow; they become the reviewer (审核) and editor (编辑) groups. The site
administrator (网站管理员) gets the back office and its settings, and no content
permissions (system administration is separate from content work)."""
from django.db import migrations

ADMIN_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("wagtailcore", "site", "change_site"),
    ("wagtailcore", "workflow", "add_workflow"),
    ("wagtailcore", "workflow", "change_workflow"),
    ("wagtailcore", "task", "add_task"),
    ("wagtailcore", "task", "change_task"),
    ("wagtailcore", "locale", "change_locale"),
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group.objects.filter(name="Moderators").update(name="审核")
    Group.objects.filter(name="Editors").update(name="编辑")
    for name in ("审核", "编辑"):
        Group.objects.get_or_create(name=name)
    # Wagtail's default moderation workflow and its task, in the editors' language.
    apps.get_model("wagtailcore", "Workflow").objects.filter(name="Moderators approval").update(name="审核流程")
    apps.get_model("wagtailcore", "Task").objects.filter(name="Moderators approval").update(name="审核")
    admin_group, _ = Group.objects.get_or_create(name="网站管理员")
    for app_label, model, codename in ADMIN_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": f"Can {codename.replace('_', ' ')}"})
        admin_group.permissions.add(permission)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="网站管理员").delete()
    Group.objects.filter(name="审核").update(name="Moderators")
    Group.objects.filter(name="编辑").update(name="Editors")


class Migration(migrations.Migration):
    dependencies = [
        ("siteaccess", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
