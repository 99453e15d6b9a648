"""Two provincial approvers acting on the same step at once, through real parallel
requests against a real server: one decision, one provisioning. And a Celery worker
killed during provisioning: the task is redelivered and the site ends pre-launch once."""
import os
import signal
import threading
import time

import psycopg2
import pytest
from django.conf import settings

from jiyue.identity.models import PlatformRole
from tenants.lifecycle.models import ReviewStep, StepState
from tenants.lifecycle.services.opening import submit_opening
from tenants.lifecycle.services.requests import decide_step
from tenants.provisioning.models import JobStatus, ProvisioningJob
from tenants.registry.models import Site, SiteStatus
from tests.celery_worker import start_worker, tasks_routed_to
from tests.factories import make_user
from tests.factories.lifecycle import approve_all, make_province_tree, opening_data


def _approved_up_to_the_province(tree):
    request = submit_opening(acting_user=tree.applicant, org_unit=tree.county, **opening_data(tree.county))
    return approve_all(request, [tree.county_approver, tree.city_approver])


def test_two_approvers_on_the_same_step_give_one_decision_and_one_provisioning(in_process_tasks):
    tree = make_province_tree()
    request = _approved_up_to_the_province(tree)
    step = request.current_step()
    second = make_user("shengban", PlatformRole.APPROVER)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            decide_step(request, acting_user=user, decision="approve", step_id=step.pk)
            outcomes.append("ok")
        except Exception as error:  # the loser's refusal
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(user,)) for user in (tree.province_approver, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert outcomes.count("ok") == 1, outcomes
    refusal = next(o for o in outcomes if o != "ok")
    assert "已经处理" in "；".join(refusal.messages)
    decided = ReviewStep.objects.filter(request=request, state=StepState.APPROVED, order=2)
    assert decided.count() == 1
    site = Site.objects.get(pk=request.site_id)
    assert site.status == SiteStatus.PRELAUNCH
    assert ProvisioningJob.objects.filter(site=site).count() == 1


def _blocking_connection():
    database = settings.DATABASES["default"]
    return psycopg2.connect(dbname=database["NAME"], user=database["USER"], host=database["HOST"],
                            port=database["PORT"] or 5432, password=database.get("PASSWORD") or None)


@pytest.mark.celery
def test_worker_killed_during_provisioning_is_retried_and_the_site_ends_prelaunch_once(tmp_path_factory):
    """The worker is SIGKILLed while the clone runs (a lock held by this test keeps it
    there); with acks_late the broker delivers the task again, after the visibility
    timeout (2 s here), to the next worker, and the site is provisioned once."""
    tree = make_province_tree()
    request = _approved_up_to_the_province(tree)
    site_id = request.site_id
    queue = f"kill-{os.getpid()}-{time.monotonic_ns()}"
    # Hold the template's page table: the worker's clone waits on this lock.
    blocker = _blocking_connection()
    cursor = blocker.cursor()
    cursor.execute(f"LOCK TABLE {settings.JIYUE_TEMPLATE_SCHEMAS['portal']}.wagtailcore_page "
                   "IN ACCESS EXCLUSIVE MODE")
    with tasks_routed_to(queue):
        worker, _log = start_worker("jiyue.celery_app", queue, tmp_path_factory,
                                    JIYUE_CELERY_VISIBILITY_TIMEOUT="2")
        try:
            decide_step(request, acting_user=tree.province_approver, decision="approve")
            job = ProvisioningJob.objects.get(site_id=site_id)
            deadline = time.monotonic() + 60
            while ProvisioningJob.objects.get(pk=job.pk).status != JobStatus.RUNNING:
                assert time.monotonic() < deadline, "the worker never started the job"
                time.sleep(0.2)
            time.sleep(0.5)  # the clone is now waiting on the lock
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            blocker.rollback()
            blocker.close()
        replacement, log = start_worker("jiyue.celery_app", queue, tmp_path_factory,
                                        JIYUE_CELERY_VISIBILITY_TIMEOUT="2")
        try:
            deadline = time.monotonic() + 120
            while Site.objects.get(pk=site_id).status != SiteStatus.PRELAUNCH:
                assert time.monotonic() < deadline, "the task was not delivered again:\n" + log.read_text()[-3000:]
                time.sleep(0.5)
        finally:
            replacement.terminate()
            replacement.wait(timeout=30)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert ProvisioningJob.objects.filter(site_id=site_id).count() == 1
    assert Site.objects.get(pk=site_id).status == SiteStatus.PRELAUNCH
