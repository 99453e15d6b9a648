"""The applicants' and reviewers' pages of the console over HTTP: applying with an
attachment, a refused application keeping what was typed, the county office deciding
from the request page, return and resubmission with every version kept, overdue marks
in the queue, a stale decision refused, no leak to another county, notifications."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jiyue.identity.models import PlatformRole
from jiyue.identity.services.roles import grant_platform_role
from tenants.lifecycle.models import LifecycleRequest, Notification, RequestState, ReviewStep
from tenants.lifecycle.services.opening import submit_opening
from tenants.lifecycle.services.requests import decide_step
from tenants.registry.models import Site
from tests.factories import make_user
from tests.factories.clients import signed_in
from tests.factories.lifecycle import government, in_days, make_province_tree, opening_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def tree():
    return make_province_tree()


def _form_data(tree, **overrides):
    data = opening_data(tree.county, **overrides)
    data["hosts"] = "\n".join(data["hosts"])
    return {"org_unit": tree.county.pk, **data}


def _opening(tree, **overrides):
    data = opening_data(tree.county, **overrides)
    return submit_opening(acting_user=tree.applicant, org_unit=tree.county, attachments=[], **data)


def _current_step(request):
    return request.steps.filter(state="pending").order_by("round", "order").get()


def test_an_application_with_an_attachment_lands_on_its_page(tree):
    client = signed_in(tree.applicant)
    data = _form_data(tree)
    data["attachments"] = SimpleUploadedFile("批复文件.pdf", PDF, content_type="application/pdf")
    response = client.post("/lifecycle/apply/", data)
    assert response.status_code == 302
    request = LifecycleRequest.objects.get(site__short_code=data["short_code"])
    assert response["Location"] == f"/lifecycle/requests/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert data["name"] in page and tree.county.name in page and "批复文件.pdf" in page
    [attachment] = request.attachments.all()
    download = client.get(f"/lifecycle/requests/{request.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert _current_step(request).office == tree.county


@pytest.mark.parametrize("overrides, message", [
    ({"name": "随便起的名字"}, "门户网站"),
    ({"hosts": "www.example.com"}, ".gov.cn"),
])
def test_a_refused_application_answers_400_with_the_reason_and_keeps_the_values(tree, overrides, message):
    client = signed_in(tree.applicant)
    data = {**_form_data(tree), **overrides}
    response = client.post("/lifecycle/apply/", data)
    html = response.content.decode()
    assert response.status_code == 400 and message in html
    assert f'value="{data["responsible_person"]}"' in html and data["justification"] in html
    assert not Site.objects.filter(short_code=data["short_code"]).exists()
    assert not LifecycleRequest.objects.filter(applicant=tree.applicant).exists()


def test_a_second_site_for_the_same_unit_is_refused_on_the_form(tree):
    _opening(tree)
    response = signed_in(tree.applicant).post("/lifecycle/apply/", _form_data(tree))
    assert response.status_code == 400 and "已有网站" in response.content.decode()


def test_the_county_office_approves_from_the_request_page_and_the_city_is_next(tree):
    request = _opening(tree)
    client = signed_in(tree.county_approver)
    queue = client.get("/lifecycle/queue/").content.decode()
    assert f"/lifecycle/requests/{request.pk}/" in queue
    page = client.get(f"/lifecycle/requests/{request.pk}/").content.decode()
    step = _current_step(request)
    assert f'name="step_id" value="{step.pk}"' in page and 'name="decision"' in page
    response = client.post(f"/lifecycle/requests/{request.pk}/decide/",
                           {"step_id": step.pk, "decision": "approve", "comment": "同意，报市政府办公室"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.state == "approved" and step.decided_by == tree.county_approver
    assert _current_step(request).office == tree.city
    assert f"/lifecycle/requests/{request.pk}/" not in client.get("/lifecycle/queue/").content.decode()
    assert f"/lifecycle/requests/{request.pk}/" in signed_in(tree.city_approver).get("/lifecycle/queue/").content.decode()


def test_returned_with_a_comment_then_resubmitted_keeps_both_versions(tree):
    request = _opening(tree)
    step = _current_step(request)
    signed_in(tree.county_approver).post(f"/lifecycle/requests/{request.pk}/decide/", {
        "step_id": step.pk, "decision": "return", "comment": "请补充网站栏目规划"})
    request.refresh_from_db()
    assert request.state == RequestState.RETURNED
    client = signed_in(tree.applicant)
    page = client.get(f"/lifecycle/requests/{request.pk}/").content.decode()
    assert "请补充网站栏目规划" in page and 'name="resubmit-justification"' in page
    data = {f"resubmit-{key}": value for key, value in _form_data(tree, short_code=request.site.short_code).items()
            if key != "org_unit"}
    data["resubmit-justification"] = "已补充栏目规划：政务公开、政务服务、互动交流"
    response = client.post(f"/lifecycle/requests/{request.pk}/resubmit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW and request.round == 2
    assert list(request.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    page = client.get(f"/lifecycle/requests/{request.pk}/").content.decode()
    assert "已补充栏目规划" in page and "政府信息公开和政务服务需要" in page, "both versions are shown"
    assert _current_step(request).round == 2


def test_an_overdue_step_is_marked_in_the_queue(tree):
    request = _opening(tree)
    step = _current_step(request)
    ReviewStep.objects.filter(pk=step.pk).update(due_date=in_days(-2))
    queue = signed_in(tree.county_approver).get("/lifecycle/queue/").content.decode()
    row = re.search(rf'<tr data-step="{step.pk}" class="overdue">(.*?)</tr>', queue, re.S)
    assert row and "已超期" in row.group(1)
    other = _opening(make_province_tree())
    assert f'data-step="{_current_step(other).pk}"' not in queue


def test_a_stale_decision_is_refused_and_changes_nothing(tree):
    request = _opening(tree)
    step = _current_step(request)
    second_approver = make_user("approver")
    grant_platform_role(second_approver, PlatformRole.APPROVER, acting_user=None, org_unit=tree.county)
    first, second = signed_in(tree.county_approver), signed_in(second_approver)
    assert first.post(f"/lifecycle/requests/{request.pk}/decide/",
                      {"step_id": step.pk, "decision": "approve", "comment": ""}).status_code == 302
    response = second.post(f"/lifecycle/requests/{request.pk}/decide/",
                           {"step_id": step.pk, "decision": "reject", "comment": "不同意"})
    assert response.status_code == 409 and "已经处理" in response.content.decode()
    step.refresh_from_db()
    assert (step.state, step.decided_by) == ("approved", tree.county_approver)
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW


def test_another_county_sees_neither_the_request_nor_its_files(tree):
    data = opening_data(tree.county)
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **data, attachments=[
        SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")])
    attachment = request.attachments.get()
    other_county = government("另县人民政府", "county", tree.city)
    outsider = make_user("approver")
    grant_platform_role(outsider, PlatformRole.APPROVER, acting_user=None, org_unit=other_county)
    client = signed_in(outsider)
    for url in (f"/lifecycle/requests/{request.pk}/", f"/lifecycle/requests/{request.pk}/attachments/{attachment.pk}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert data["name"] not in response.content.decode()
    assert client.post(f"/lifecycle/requests/{request.pk}/decide/", {
        "step_id": _current_step(request).pk, "decision": "approve"}).status_code == 404


def test_the_applicant_is_notified_of_a_return_and_marks_it_read(tree):
    request = _opening(tree)
    decide_step(request, acting_user=tree.county_approver, decision="return", comment="请补充材料")
    client = signed_in(tree.applicant)
    page = client.get("/lifecycle/notifications/").content.decode()
    notice = Notification.objects.filter(recipient=tree.applicant, read_at__isnull=True).latest("pk")
    assert notice.message in page and f"/lifecycle/requests/{request.pk}/" in page
    response = client.post("/lifecycle/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=tree.applicant, read_at__isnull=True).exists()
    notice.refresh_from_db()
    assert notice.read_at is not None
