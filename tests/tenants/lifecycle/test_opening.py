"""Opening a site (开办): the application's refusals, the review chain up the
hierarchy, returns and versions, provisioning to pre-launch, the security check gate
and go-live with the opening announcement on the site and its parent portal."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from jiyue.audit.models import OperationLog
from tenants.content.models import AnnouncementKind, AnnouncementPage
from tenants.lifecycle.models import Notification, RequestState, StepState
from tenants.lifecycle.services.opening import go_live, record_security_check, submit_opening
from tenants.lifecycle.services.requests import decide_step, resubmit_request, withdraw_request
from tenants.registry.models import Level, Site, SiteStatus
from tests.factories import make_user
from tests.factories.lifecycle import approve_all, department, make_province_tree, opening_data


def _error(excinfo):
    return "；".join(getattr(excinfo.value, "messages", None) or [str(excinfo.value)])


@pytest.fixture
def tree():
    return make_province_tree()


def _apply(tree, unit=None, **overrides):
    unit = unit or tree.county
    applicant = tree.applicant if unit == tree.county else make_user("applicant", org_unit=unit)
    return submit_opening(acting_user=applicant, org_unit=unit, **opening_data(unit, **overrides))


def test_opening_application_goes_to_the_county_office_first_with_a_working_day_due_date(tree):
    request = _apply(tree)
    steps = list(request.steps.order_by("order"))
    assert [step.office for step in steps] == [tree.county, tree.city, tree.province]
    assert [step.state for step in steps] == [StepState.PENDING, StepState.WAITING, StepState.WAITING]
    assert steps[0].due_date is not None and steps[0].due_date > datetime.date.today()
    assert request.site.status == SiteStatus.APPLYING
    assert Notification.objects.filter(recipient=tree.county_approver, request=request).exists()
    assert request.versions.count() == 1


def test_city_unit_chain_is_city_then_province(tree):
    bureau = department(f"{tree.city.name.removesuffix('人民政府')}教育局", tree.city)
    request = _apply(tree, unit=bureau)
    assert [step.office for step in request.steps.order_by("order")] == [tree.city, tree.province]


def test_provincial_department_chain_is_the_province_only(tree):
    bureau = department(f"{tree.province.name.removesuffix('人民政府')}教育厅", tree.province)
    request = _apply(tree, unit=bureau)
    assert [step.office for step in request.steps.all()] == [tree.province]


def test_opening_refused_for_a_unit_that_already_has_a_site(tree):
    with pytest.raises(ValidationError) as excinfo:
        submit_opening(acting_user=tree.province_approver, org_unit=tree.city, **opening_data(tree.city))
    assert "一个单位最多开设一个网站" in _error(excinfo)


def test_opening_refused_for_a_county_department(tree):
    bureau = department("测试县教育局", tree.county)
    with pytest.raises(ValidationError) as excinfo:
        _apply(tree, unit=bureau)
    assert "县级政府部门" in _error(excinfo)
    assert not Site.objects.filter(org_unit=bureau).exists()


def test_opening_refused_when_the_name_breaks_the_naming_rule(tree):
    with pytest.raises(ValidationError) as excinfo:
        _apply(tree, name="智慧县城网")
    message = _error(excinfo)
    assert "门户网站" in message and tree.county.name in message
    assert not Site.objects.filter(org_unit=tree.county).exists()


def test_opening_refused_when_the_domain_is_taken(tree):
    with pytest.raises(ValidationError) as excinfo:
        _apply(tree, hosts=[tree.city_site.primary_host])
    assert "已被其他网站使用" in _error(excinfo)


def test_opening_refused_for_a_domain_outside_gov_cn(tree):
    with pytest.raises(ValidationError) as excinfo:
        _apply(tree, hosts=["www.example.com"])
    assert ".gov.cn" in _error(excinfo)


def test_applicant_cannot_apply_for_another_unit(tree):
    with pytest.raises(PermissionDenied):
        submit_opening(acting_user=tree.applicant, org_unit=tree.province, **opening_data(tree.province))


def test_approving_out_of_order_is_refused(tree):
    request = _apply(tree)
    with pytest.raises(PermissionDenied) as excinfo:
        decide_step(request, acting_user=tree.city_approver, decision="approve")
    assert tree.county.name in _error(excinfo)
    assert request.steps.get(order=0).state == StepState.PENDING


def test_no_one_approves_their_own_application(tree):
    request = submit_opening(acting_user=tree.province_approver, org_unit=tree.county, **opening_data(tree.county))
    approve_all(request, [tree.county_approver, tree.city_approver])
    with pytest.raises(PermissionDenied) as excinfo:
        decide_step(request, acting_user=tree.province_approver, decision="approve")
    assert "自己提交" in _error(excinfo)
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW


def test_a_step_acted_on_after_it_was_decided_is_refused(tree):
    request = _apply(tree)
    step = request.current_step()
    decide_step(request, acting_user=tree.county_approver, decision="approve", step_id=step.pk)
    with pytest.raises(ValidationError) as excinfo:
        decide_step(request, acting_user=tree.county_approver, decision="reject", comment="晚了", step_id=step.pk)
    assert "已经处理" in _error(excinfo)
    step.refresh_from_db()
    assert step.state == StepState.APPROVED


def test_reject_needs_a_reason_and_frees_the_domain(tree):
    request = _apply(tree)
    host = request.site.primary_host
    with pytest.raises(ValidationError):
        decide_step(request, acting_user=tree.county_approver, decision="reject")
    decide_step(request, acting_user=tree.county_approver, decision="reject", comment="栏目规划不完整")
    request.refresh_from_db()
    assert request.state == RequestState.REJECTED
    site = Site.objects.get(pk=request.site_id)
    assert site.status == SiteStatus.REJECTED and site.primary_host is None
    assert Notification.objects.filter(recipient=tree.applicant, message__contains="栏目规划不完整").exists()
    # The unit applies again, on the same row, with the freed domain.
    again = _apply(tree, hosts=[host], short_code=site.short_code)
    assert again.site_id == site.pk and again.site.status == SiteStatus.APPLYING


def test_return_for_changes_then_resubmit_keeps_every_version_and_restarts_the_chain(tree):
    request = _apply(tree)
    decide_step(request, acting_user=tree.county_approver, decision="approve")
    decide_step(request, acting_user=tree.city_approver, decision="return", comment="补充负责人联系方式")
    request.refresh_from_db()
    assert request.state == RequestState.RETURNED
    request = resubmit_request(request, acting_user=tree.applicant, changes={"contact_phone": "0571-12345678"})
    assert request.state == RequestState.IN_REVIEW and request.version == 2 and request.round == 2
    assert [v.payload["contact_phone"] for v in request.versions.all()] == ["0571-88888888", "0571-12345678"]
    assert request.current_step().office == tree.county
    assert Site.objects.get(pk=request.site_id).contact_phone == "0571-12345678"


def test_withdrawn_application_frees_its_domain(tree):
    request = _apply(tree)
    withdraw_request(request, acting_user=tree.applicant)
    request.refresh_from_db()
    assert request.state == RequestState.WITHDRAWN
    assert not request.steps.filter(state=StepState.PENDING).exists()
    assert Site.objects.get(pk=request.site_id).domains.count() == 0


def test_final_approval_provisions_the_site_into_prelaunch(tree, in_process_tasks):
    request = _apply(tree)
    approve_all(request, tree.approvers_for(tree.county))
    request.refresh_from_db()
    site = Site.objects.get(pk=request.site_id)
    assert request.state == RequestState.APPROVED
    assert site.status == SiteStatus.PRELAUNCH and site.is_provisioned
    assert site.provisioning_jobs.count() == 1


def test_go_live_needs_a_passed_security_check_then_announces_on_site_and_parent(tree, in_process_tasks):
    request = _apply(tree)
    approve_all(request, tree.approvers_for(tree.county))
    site = Site.objects.get(pk=request.site_id)
    with pytest.raises(ValidationError) as excinfo:
        go_live(site, acting_user=tree.ops, identity_code="3201990001")
    assert "安全检测" in _error(excinfo)
    with pytest.raises(PermissionDenied):
        record_security_check(site, acting_user=tree.applicant, result="passed")
    record_security_check(site, acting_user=tree.ops, result="failed", summary="存在弱口令")
    with pytest.raises(ValidationError):
        go_live(site, acting_user=tree.ops, identity_code="3201990001")
    report = SimpleUploadedFile("检测报告.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                content_type="application/pdf")
    check = record_security_check(site, acting_user=tree.ops, result="passed", summary="复测通过", report=report)
    assert check.report is not None and check.report.file.name.startswith(f"lifecycle/{request.pk}/")

    site = go_live(site, acting_user=tree.ops, identity_code="3201990001")
    assert site.status == SiteStatus.ONLINE and site.identity_code == "3201990001"
    request.refresh_from_db()
    assert request.state == RequestState.COMPLETED
    for where in (site, Site.objects.get(pk=tree.city_site.pk)):
        with tenant_context(where):
            notice = AnnouncementPage.objects.get(kind=AnnouncementKind.OPENING)
            assert notice.live and site.name in notice.title
            assert notice.get_parent().slug == "tzgg"
    log = OperationLog.objects.filter(site=site, action="go_live").get()
    assert log.after["identity_code"] == "3201990001" and log.acting_user == tree.ops


def test_every_decision_is_in_the_operation_log_with_role_and_comment(tree):
    request = _apply(tree)
    decide_step(request, acting_user=tree.county_approver, decision="return", comment="请补充附件")
    entries = OperationLog.objects.filter(lifecycle_request=request).order_by("created_at", "id")
    assert [e.action for e in entries] == ["submit_opening", "decide_opening"]
    decision = entries[1]
    assert decision.decision == "return" and decision.comment == "请补充附件"
    assert tree.county.name in decision.role and decision.acting_user == tree.county_approver
    assert decision.before["state"] == "in_review" and decision.after["state"] == "returned"


def test_operation_log_is_append_only(tree):
    from django.db import DatabaseError, transaction

    entry = OperationLog.objects.filter(site=tree.city_site).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        OperationLog.objects.filter(pk=entry.pk).update(comment="改写")
    with pytest.raises(DatabaseError), transaction.atomic():
        OperationLog.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.comment == ""


def test_scoped_approver_does_not_become_province_staff(tree):
    from jiyue.identity.queries import is_platform_staff

    assert not is_platform_staff(tree.county_approver)
    assert is_platform_staff(tree.province_approver)
    assert tree.county.level == Level.COUNTY
