"""Notifications (in the console and by e-mail) at each step and before a deadline; the
source IP of a request in the operation log; files of rolled-back uploads swept."""
import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone

from jiyue.audit.context import AuditContextMiddleware
from jiyue.audit.models import OperationLog
from tenants.lifecycle.models import Notification, ReviewStep
from tenants.lifecycle.services.opening import submit_opening
from tenants.lifecycle.services.requests import decide_step
from tenants.lifecycle.services.schedule import remind_due_steps, remove_orphaned_files
from tests.factories.lifecycle import make_province_tree, opening_data


@pytest.fixture
def tree():
    tree = make_province_tree()
    for user in (tree.applicant, tree.county_approver, tree.city_approver):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return tree


def test_next_reviewer_and_applicant_hear_of_each_step_in_console_and_by_mail(tree):
    mail.outbox.clear()
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))
    assert {m.to[0] for m in mail.outbox} == {tree.county_approver.email, tree.applicant.email}
    mail.outbox.clear()
    decide_step(request, acting_user=tree.county_approver, decision="approve")
    to_city = Notification.objects.get(recipient=tree.city_approver, request=request)
    assert "待您审核" in to_city.message and to_city.url == f"/lifecycle/requests/{request.pk}/"
    assert Notification.objects.filter(recipient=tree.applicant, message__contains="已同意").exists()
    recipients = {m.to[0] for m in mail.outbox}
    assert recipients == {tree.city_approver.email, tree.applicant.email}
    assert all(m.subject.startswith("【集约】") for m in mail.outbox)


def test_reviewers_are_reminded_once_before_a_step_falls_due(tree):
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))
    step = request.current_step()
    remind_due_steps(step.due_date - datetime.timedelta(days=10))
    step.refresh_from_db()
    assert step.reminded_at is None
    ReviewStep.objects.filter(pk=step.pk).update(due_date=timezone.localdate() + datetime.timedelta(days=1))
    remind_due_steps(timezone.localdate())
    remind_due_steps(timezone.localdate())
    reminders = Notification.objects.filter(recipient=tree.county_approver, request=request, message__contains="到期")
    assert reminders.count() == 1


def test_operation_log_records_the_source_ip_of_the_request(tree):
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))

    def view(http_request):
        decide_step(request, acting_user=tree.county_approver, decision="approve")
        return None

    http_request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    AuditContextMiddleware(view)(http_request)
    entry = OperationLog.objects.get(lifecycle_request=request, action="decide_opening")
    assert entry.source_ip == "10.1.2.3"


def test_files_of_rolled_back_uploads_are_swept_but_attached_ones_stay(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    annex = SimpleUploadedFile("栏目规划.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, attachments=[annex],
                             **opening_data(tree.county))
    kept = request.attachments.get().file.name
    orphan = default_storage.save(f"lifecycle/{request.pk}/orphan.pdf", ContentFile(b"%PDF-1.4 orphan"))
    remove_orphaned_files(older_than=datetime.timedelta(hours=1), request_ids=[request.pk])
    assert default_storage.exists(orphan)  # too young: its transaction may still be in flight
    remove_orphaned_files(older_than=datetime.timedelta(seconds=-1), request_ids=[request.pk])
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)
