"""The lifecycle JSON API for a province's OA system: unit-scoped tokens acting as
their user, the same services as the console, every refusal a JSON error with a
Chinese message and nothing half-changed, and the OpenAPI document."""
import io
import json
import re

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from jiyue.audit.models import OperationLog
from jiyue.identity.models import PlatformRole, SiteRole
from jiyue.identity.services.roles import grant_platform_role
from tenants.lifecycle.models import LifecycleRequest, StepState, UnitApiToken
from tenants.lifecycle.services.tokens import issue_api_token, revoke_api_token
from tenants.registry.models import Level, Site
from tests.factories import grant, identity_code, make_online_site, make_user
from tests.factories.clients import CONSOLE
from tests.factories.lifecycle import department, government, in_days, make_province_tree, opening_data

HAN = re.compile(r"[\u4e00-\u9fff]")
API = "/api/v1/lifecycle"


@pytest.fixture
def tree():
    return make_province_tree()


def _key(tree, user, unit, name="OA"):
    return issue_api_token(acting_user=tree.province_approver, user=user, org_unit=unit, name=name)[1]


def _client(key=None) -> Client:
    # CSRF checks on, as in production: token calls need no CSRF token.
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    return Client(HTTP_HOST=CONSOLE, enforce_csrf_checks=True, **headers)


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def _assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert HAN.search(body["error"]), body
    if code:
        assert body["code"] == code, body
    return body


def _open(tree, client, unit=None, **overrides):
    unit = unit or tree.county
    return _post(client, f"{API}/requests/", {**opening_data(unit, **overrides), "org_unit": unit.code})


def _other_county(tree):
    county = government(f"{tree.city.name.removesuffix('人民政府')}另一县人民政府", Level.COUNTY, tree.city)
    return county, make_user("applicant", org_unit=county)


def test_county_oa_token_applies_for_an_opening_and_lists_it(tree):
    client = _client(_key(tree, tree.applicant, tree.county))
    response = _open(tree, client, short_code="oaopen1x")
    assert response.status_code == 201, response.content
    created = response.json()
    request = LifecycleRequest.objects.get(pk=created["id"])
    assert request.applicant == tree.applicant and request.site.short_code == "oaopen1x"
    assert created["state"] == "in_review" and created["kind"] == "opening"
    assert [step["office"]["code"] for step in created["steps"]] == [tree.county.code, tree.city.code,
                                                                     tree.province.code]
    assert created["pending_step"]["office"]["code"] == tree.county.code
    assert created["steps"][0]["due_date"] and created["versions"][0]["number"] == 1

    listed = client.get(f"{API}/requests/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == request.pk
    assert client.get(f"{API}/requests/", {"state": "approved"}).json()["count"] == 0
    assert client.get(f"{API}/requests/", {"site": "oaopen1x", "kind": "opening"}).json()["count"] == 1
    detail = client.get(f"{API}/requests/{request.pk}/").json()
    assert detail["payload"]["short_code"] == "oaopen1x"
    assert UnitApiToken.objects.get(user=tree.applicant).last_used_at is not None


def test_county_token_cannot_reach_requests_of_another_county_or_the_city(tree):
    other_county, other_applicant = _other_county(tree)
    assert _open(tree, _client(_key(tree, other_applicant, other_county)), unit=other_county).status_code == 201
    bureau = department(f"{tree.city.name.removesuffix('人民政府')}教育局", tree.city)
    bureau_client = _client(_key(tree, make_user("applicant", org_unit=bureau), bureau))
    assert _open(tree, bureau_client, unit=bureau).status_code == 201
    elsewhere = list(LifecycleRequest.objects.filter(org_unit__in=[other_county, bureau]))
    assert len(elsewhere) == 2
    # The city's approver may read both; their token for one county may not.
    client = _client(_key(tree, tree.city_approver, tree.county))
    assert client.get(f"{API}/requests/").json()["count"] == 0
    for request in elsewhere:
        _assert_error(client.get(f"{API}/requests/{request.pk}/"), 404, "not_found")
        _assert_error(_post(client, f"{API}/requests/{request.pk}/withdraw/", {}), 404, "not_found")
    _assert_error(client.get(f"{API}/sites/{tree.city_site.short_code}/"), 404, "not_found")
    _assert_error(_post(client, f"{API}/sites/{tree.city_site.short_code}/permanent-offline/", {"reason": "x"}),
                  404, "not_found")
    # The county approver of the other county decides nothing through a token of ours.
    county_approver_token = _client(_key(tree, tree.county_approver, tree.county))
    _assert_error(_post(county_approver_token, f"{API}/requests/{elsewhere[0].pk}/decision/",
                        {"decision": "approve"}), 404)
    assert not OperationLog.objects.filter(lifecycle_request__in=elsewhere, action__startswith="decide_").exists()
    assert all(r.steps.filter(state=StepState.PENDING, order=0).exists() for r in elsewhere)


def test_token_cannot_apply_for_a_unit_outside_its_subtree(tree):
    # The provincial office may apply on any unit's behalf, but not through a county token.
    client = _client(_key(tree, tree.province_approver, tree.county))
    bureau = department(f"{tree.city.name.removesuffix('人民政府')}教育局", tree.city)
    body = _assert_error(_open(tree, client, unit=bureau, short_code="oaout1x"), 403, "permission_denied")
    assert tree.county.name in body["error"] and bureau.name in body["error"]
    assert not Site.objects.filter(short_code="oaout1x").exists()
    assert not LifecycleRequest.objects.filter(org_unit=bureau).exists()


def test_county_approvers_token_approves_the_first_step(tree):
    created = _open(tree, _client(_key(tree, tree.applicant, tree.county))).json()
    client = _client(_key(tree, tree.county_approver, tree.county))
    queue = client.get(f"{API}/requests/", {"state": "in_review"}).json()
    assert [item["id"] for item in queue["results"]] == [created["id"]]
    response = _post(client, f"{API}/requests/{created['id']}/decision/",
                     {"decision": "approve", "comment": "同意", "step": created["pending_step"]["id"]})
    assert response.status_code == 200, response.content
    steps = response.json()["steps"]
    assert [step["state"] for step in steps] == ["approved", "pending", "waiting"]
    assert steps[0]["decided_by"] == tree.county_approver.username and steps[0]["comment"] == "同意"
    assert response.json()["pending_step"]["office"]["code"] == tree.city.code


def test_a_decision_on_a_step_already_decided_is_a_conflict_and_decides_nothing(tree):
    created = _open(tree, _client(_key(tree, tree.applicant, tree.county))).json()
    first_step = created["pending_step"]["id"]
    colleague = make_user("approver")
    grant_platform_role(colleague, PlatformRole.APPROVER, acting_user=None, org_unit=tree.county)
    path = f"{API}/requests/{created['id']}/decision/"
    approver, other = (_client(_key(tree, user, tree.county)) for user in (tree.county_approver, colleague))
    assert _post(approver, path, {"decision": "approve", "step": first_step}).status_code == 200
    # The colleague saw the same step and returns it: refused, 409, the step stays approved.
    body = _assert_error(_post(other, path, {"decision": "return", "comment": "补充材料", "step": first_step}),
                         409, "conflict")
    assert body["error"]
    # Once more by the same approver (a retried call).
    _assert_error(_post(approver, path, {"decision": "approve", "step": first_step}), 409, "conflict")
    request = LifecycleRequest.objects.get(pk=created["id"])
    assert request.steps.exclude(decided_by=None).count() == 1
    assert OperationLog.objects.filter(lifecycle_request=request, action="decide_opening").count() == 1
    # Without a step id the city's step is the current one, and a county approver may not decide it.
    _assert_error(_post(other, path, {"decision": "approve"}), 403, "permission_denied")


def test_invalid_bodies_are_400_with_a_chinese_message(tree):
    client = _client(_key(tree, tree.applicant, tree.county))
    data = {**opening_data(tree.county), "org_unit": tree.county.code}
    del data["sponsor"]
    body = _assert_error(_post(client, f"{API}/requests/", data), 400, "invalid")
    assert "sponsor" in body["fields"] and "sponsor" in body["error"]
    body = _assert_error(_post(client, f"{API}/requests/", {**data, "sponsor": "x", "org_unit": "nosuchunit"}),
                         400, "invalid")
    assert "org_unit" in body["fields"]
    _assert_error(client.post(f"{API}/requests/", "{not json", content_type="application/json"), 400)
    assert not LifecycleRequest.objects.filter(applicant=tree.applicant).exists()

    created = _open(tree, client).json()
    approver = _client(_key(tree, tree.county_approver, tree.county))
    path = f"{API}/requests/{created['id']}/decision/"
    body = _assert_error(_post(approver, path, {"decision": "maybe"}), 400, "invalid")
    assert "decision" in body["fields"]
    _assert_error(_post(approver, path, {}), 400, "invalid")
    # A service's refusal: returning without a reason.
    body = _assert_error(_post(approver, path, {"decision": "return"}), 400, "invalid")
    assert "fields" not in body
    _assert_error(client.get(f"{API}/requests/", {"state": "nonsense"}), 400, "invalid")
    assert LifecycleRequest.objects.get(pk=created["id"]).steps.exclude(decided_by=None).count() == 0


def test_a_service_refusal_of_the_application_is_400_and_creates_nothing(tree):
    client = _client(_key(tree, tree.applicant, tree.county))
    body = _assert_error(_open(tree, client, short_code="oabad1x", hosts=["www.example.com"]), 400, "invalid")
    assert "www.example.com" in body["error"]
    assert not Site.objects.filter(short_code="oabad1x").exists()


def test_revoked_unknown_or_missing_token_is_401(tree):
    token, key = issue_api_token(acting_user=tree.province_approver, user=tree.applicant, org_unit=tree.county,
                                 name="OA")
    assert _client(key).get(f"{API}/requests/").status_code == 200
    revoke_api_token(token, acting_user=tree.province_approver)
    response = _client(key).get(f"{API}/requests/")
    _assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"
    _assert_error(_client("jy_not-a-key").get(f"{API}/requests/"), 401, "authentication_failed")
    _assert_error(_client().get(f"{API}/requests/"), 401, "not_authenticated")
    _assert_error(_open(tree, _client(key), short_code="oarev1x"), 401)
    assert not Site.objects.filter(short_code="oarev1x").exists()


def test_only_the_provincial_office_issues_tokens_and_only_the_hash_is_kept(tree):
    with pytest.raises(PermissionDenied):
        issue_api_token(acting_user=tree.city_approver, user=tree.applicant, org_unit=tree.county, name="OA")
    token, key = issue_api_token(acting_user=tree.province_approver, user=tree.applicant, org_unit=tree.county,
                                 name="OA")
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)
    assert OperationLog.objects.filter(action="issue_api_token", acting_user=tree.province_approver).exists()
    with pytest.raises(ValidationError):
        issue_api_token(acting_user=tree.province_approver, user=tree.applicant, org_unit=tree.county, name=" ")
    revoke_api_token(token, acting_user=tree.province_approver)
    with pytest.raises(ValidationError):
        revoke_api_token(token, acting_user=tree.province_approver)


def test_openapi_document_is_served_without_a_token_and_names_the_paths(tree):
    response = _client().get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    assert document["openapi"].startswith("3.")
    from drf_spectacular.validation import validate_schema

    validate_schema(document)  # against the OpenAPI 3 JSON schema
    for path in ("/api/v1/lifecycle/requests/", "/api/v1/lifecycle/requests/{request_id}/decision/",
                 "/api/v1/lifecycle/sites/{code}/temporary-offline/", "/api/v1/lifecycle/sites/{code}/go-live/"):
        assert path in document["paths"], path
    assert "unitToken" in document["components"]["securitySchemes"]
    as_json = _client().get("/api/v1/schema/", {"format": "json"})
    assert json.loads(as_json.content)["paths"].keys() == document["paths"].keys()


def test_unknown_api_path_is_a_json_404(tree):
    _assert_error(_client().get("/api/v1/lifecycle/nothing-here/"), 404, "not_found")


def _county_site_admin(tree):
    site = make_online_site(tree.county)
    admin = make_user("siteadmin")
    grant(admin, site, SiteRole.SITE_ADMIN)
    return site, _client(_key(tree, admin, tree.county))


def test_temporary_offline_beyond_30_days_is_refused_with_the_services_message(tree):
    site, client = _county_site_admin(tree)
    path = f"{API}/sites/{site.short_code}/temporary-offline/"
    body = _assert_error(_post(client, path, {"reason": "改版", "planned_return_on": in_days(31).isoformat()}),
                         400, "invalid")
    assert "30" in body["error"] and "天" in body["error"]
    assert not site.lifecycle_requests.exists()
    _assert_error(_post(client, path, {"reason": "改版", "planned_return_on": "next week"}), 400, "invalid")
    response = _post(client, path, {"reason": "改版", "planned_return_on": in_days(10).isoformat()})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "temporary_offline"
    site_view = client.get(f"{API}/sites/{site.short_code}/").json()
    assert site_view["status"] == "online" and [r["id"] for r in site_view["lifecycle_requests"]] == \
        [response.json()["id"]]


def test_change_filing_through_the_api(tree):
    site, client = _county_site_admin(tree)
    response = _post(client, f"{API}/sites/{site.short_code}/change-filings/",
                     {"responsible_person": "李主任", "reason": "人员调整"})
    assert response.status_code == 201, response.content
    assert response.json()["payload"]["changes"] == {"responsible_person": "李主任"}
    _assert_error(_post(client, f"{API}/sites/{site.short_code}/change-filings/", {"reason": "无变化"}), 400)


def test_resubmit_after_a_return(tree):
    applicant = _client(_key(tree, tree.applicant, tree.county))
    created = _open(tree, applicant).json()
    approver = _client(_key(tree, tree.county_approver, tree.county))
    _post(approver, f"{API}/requests/{created['id']}/decision/", {"decision": "return", "comment": "补充说明"})
    path = f"{API}/requests/{created['id']}/resubmit/"
    body = _assert_error(_post(applicant, path, {"no_such_field": "x"}), 400, "invalid")
    assert "no_such_field" in body["fields"]
    response = _post(applicant, path, {"justification": "补充了建设必要性说明"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["state"] == "in_review"
    assert response.json()["payload"]["justification"] == "补充了建设必要性说明"


def test_issue_api_token_command_prints_a_key_that_works(tree):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_api_token", user=tree.applicant.username, unit=tree.county.code, name="OA", stdout=out,
                 stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("jy_") and err.getvalue()
    assert _client(key).get(f"{API}/requests/").status_code == 200
    assert UnitApiToken.objects.get(user=tree.applicant, org_unit=tree.county).created_by is None


def test_opening_through_review_security_check_and_go_live(tree, in_process_tasks):
    created = _open(tree, _client(_key(tree, tree.applicant, tree.county))).json()
    for approver in tree.approvers_for(tree.county):
        unit = tree.province if approver == tree.province_approver else tree.county
        response = _post(_client(_key(tree, approver, unit)), f"{API}/requests/{created['id']}/decision/",
                         {"decision": "approve"})
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"
    code = response.json()["site"]["code"]
    ops = _client(_key(tree, tree.ops, tree.province))
    path = f"{API}/sites/{code}/security-checks/"
    _assert_error(ops.post(path, {"result": "failed"}), 400, "invalid")  # a failure needs its summary
    report = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                content_type="application/pdf")
    response = ops.post(path, {"result": "passed", "summary": "ok", "report": report})
    assert response.status_code == 201, response.content
    assert response.json()["result"] == "passed" and response.json()["report"]["name"] == "report.pdf"
    number = identity_code()
    response = _post(ops, f"{API}/sites/{code}/go-live/", {"identity_code": number})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "online" and response.json()["identity_code"] == number
    assert response.json()["lifecycle_requests"][0]["state"] == "completed"
    # The applicant's token sees its own site but may not do ops' work.
    _assert_error(_post(_client(_key(tree, tree.applicant, tree.county)), f"{API}/sites/{code}/go-live/", {}),
                  403, "permission_denied")
