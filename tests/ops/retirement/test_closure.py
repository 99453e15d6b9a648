"""A county portal closed permanently into its city portal: the migration records the
checklist's "content integrated" (with the report attached) and "pages archived", and
after retirement the county's own host answers from the migration's URL mapping."""
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_tenants.utils import tenant_context

from ops.retirement.models import MappingStatus, RuleMatch, RunState, UrlMapping
from ops.retirement.sample_site import generate, serve
from ops.retirement.services.crawl import run_crawl
from ops.retirement.services.extraction import run_extract
from ops.retirement.services.importing import run_import
from ops.retirement.services.jobs import create_job
from ops.retirement.services.mapping import add_rule, run_map
from ops.retirement.services.redirects import retire_hosts
from ops.retirement.services.closure import record_closure_items
from tenants.columns.models import ColumnPage
from tenants.lifecycle.models import ClosureItem, RequestState
from tenants.lifecycle.services.offline import apply_for_permanent_offline, complete_closure_item
from tenants.registry.models import SiteStatus
from tests.factories import unique
from tests.factories.lifecycle import approve_all, county_site, make_province_tree


@pytest.fixture(scope="module")
def old_site():
    site = generate(30, seed=5)
    with serve(site) as server:
        yield site, server


def test_the_migration_completes_the_closure_checklist_and_keeps_the_old_host_answering(old_site):
    sample, server = old_site
    tree = make_province_tree()
    county, admin = county_site(tree)
    request = approve_all(apply_for_permanent_offline(county, acting_user=admin, reason="并入市政府门户网站"),
                          tree.approvers_for(tree.county))
    assert request.state == RequestState.APPROVED
    with pytest.raises(ValidationError, match="退役网站自己的"):
        create_job(acting_user=tree.ops, code=unique("c"), name=county.name, target_site=tree.city_site,
                   start_urls=[server.base_url + "/"], lifecycle_request=request)
    job = create_job(acting_user=tree.ops, code=unique("c"), name=county.name, target_site=tree.city_site,
                     source_site=county, lifecycle_request=request, start_urls=[server.base_url + "/"],
                     requests_per_second=1000, concurrency=4, timeout_seconds=5)
    with pytest.raises(ValidationError, match="导入尚未完成"):
        record_closure_items(job, acting_user=tree.ops)
    run_crawl(job)
    run_extract(job, processes=1)
    with tenant_context(tree.city_site):
        news = ColumnPage.objects.get(slug="zwyw").pk
    add_rule(job, acting_user=tree.ops, match_on=RuleMatch.URL_REGEX, pattern=".", target_column_id=news,
             content_type="article")
    run_map(job)
    assert run_import(job).state == RunState.DONE
    with pytest.raises(ValidationError, match="尚未重定向"):
        record_closure_items(job, acting_user=tree.ops)
    retire_hosts(job, acting_user=tree.ops, hosts={county.primary_host: server.base_url})

    record_closure_items(job, acting_user=tree.ops)
    tasks = {task.item: task for task in request.closure_tasks.all()}
    integrated = tasks[ClosureItem.CONTENT_INTEGRATED]
    assert integrated.done_at is not None and tree.city_site.name in integrated.note
    assert integrated.attachment.name.endswith(".xlsx")
    with integrated.attachment.file.open("rb") as handle:
        assert handle.read(2) == b"PK"
    assert tasks[ClosureItem.PAGES_ARCHIVED].done_at is not None
    complete_closure_item(request, ClosureItem.DOMAIN_DEREGISTERED, acting_user=admin, note="已注销")
    county.refresh_from_db()
    assert county.status == SiteStatus.RETIRED

    # The county's host answers from the mapping (not just "go to the parent portal").
    mapped = UrlMapping.objects.filter(job=job, status=MappingStatus.REDIRECT, old_url__contains=".htm").first()
    path = "/" + mapped.old_url.split("//", 1)[1].split("/", 1)[1]
    response = Client(HTTP_HOST=county.primary_host).get(path)
    assert response.status_code == 301 and response["Location"] == mapped.new_url
    assert f"//{tree.city_site.primary_host}" in mapped.new_url
    assert Client(HTTP_HOST=county.primary_host).get("/")["Location"].startswith(
        f"http://{tree.city_site.primary_host}")
