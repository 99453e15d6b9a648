"""The site's review workflow (审核流程) uses ReviewTask: no self-approval, and
保密审查 recorded on approval. Wagtail's own group task of that workflow retires."""
from django.db import migrations


def use_review_task(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ReviewTask = apps.get_model("review", "ReviewTask")
    content_type, _ = ContentType.objects.get_or_create(app_label="review", model="reviewtask")
    review = ReviewTask.objects.create(name="审核", active=True, content_type=content_type,
                                       requires_secrecy_review=True)
    reviewers = Group.objects.filter(name="审核").first()
    if reviewers is not None:
        review.groups.add(reviewers)
    old_tasks = Task.objects.filter(name="审核").exclude(pk=review.pk)
    WorkflowTask.objects.filter(task__in=old_tasks).update(task=review)
    old_tasks.update(active=False, name="审核（已停用）")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("siteaccess", "0002_site_role_groups"),
    ]
    operations = [migrations.RunPython(use_review_task, migrations.RunPython.noop)]
