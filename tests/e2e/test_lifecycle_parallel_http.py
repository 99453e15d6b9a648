"""Two provincial approvers decide the same step at the same moment, as two real HTTP
requests served by two gunicorn workers: one decision is recorded, the other gets 409,
and the site is provisioned once."""
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from jiyue.identity.models import PlatformRole
from tenants.lifecycle.models import ReviewStep, StepState
from tenants.lifecycle.services.opening import submit_opening
from tenants.lifecycle.services.tokens import issue_api_token
from tenants.provisioning.models import ProvisioningJob
from tenants.registry.models import Site, SiteStatus
from tests.factories import make_user
from tests.factories.lifecycle import approve_all, make_province_tree, opening_data

pytestmark = pytest.mark.browser


def _post(server, path, key, body):
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", data=json.dumps(body).encode(), method="POST",
        headers={"Host": "console.localhost", "Authorization": f"Token {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_two_approvers_posting_at_once_give_one_decision_and_one_provisioning(app_server, app_worker):
    tree = make_province_tree()
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))
    request = approve_all(request, [tree.county_approver, tree.city_approver])
    step = request.current_step()
    second = make_user("shengban", PlatformRole.APPROVER)
    keys = [issue_api_token(acting_user=None, user=user, org_unit=tree.province, name="OA")[1]
            for user in (tree.province_approver, second)]
    barrier = threading.Barrier(2)
    results = []

    def decide(key):
        barrier.wait(timeout=10)
        results.append(_post(app_server, f"/api/v1/lifecycle/requests/{request.pk}/decision/", key,
                             {"decision": "approve", "comment": "同意", "step": step.pk}))

    threads = [threading.Thread(target=decide, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    statuses = sorted(status for status, _body in results)
    assert statuses == [200, 409], results
    conflict = next(body for status, body in results if status == 409)
    assert "已经处理" in conflict["error"]
    assert ReviewStep.objects.filter(request=request, order=2, state=StepState.APPROVED).count() == 1
    deadline = time.monotonic() + 90
    while Site.objects.get(pk=request.site_id).status != SiteStatus.PRELAUNCH:
        assert time.monotonic() < deadline, "the worker did not provision the site"
        time.sleep(0.5)
    assert ProvisioningJob.objects.filter(site_id=request.site_id).count() == 1
