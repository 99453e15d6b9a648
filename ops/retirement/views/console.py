"""Console pages of site migrations (ops staff): the jobs, a job's pipeline with live
progress, rules and their dry run, the URL mapping as CSV, redirects, the closure
checklist, the report with its chart, and the replay of the archive. Thin views:
parse, call one service (or queue a stage as a Celery task), render."""
import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants.registry.models import Site

from ..forms import JobForm, MappingUploadForm, RuleForm
from ..lib.decoding import decode_html
from ..lib.links import is_html
from ..lib.replay import rewrite_html
from ..lib.urls import UnusableUrl, absolute, canonicalize, url_hash
from ..models import ArchiveRecord, JobIssue, MigrationJob, Stage
from ..queries import job_counts
from ..reports import build_report, chart_data, report_csv, report_xlsx
from ..services import closure, jobs, mapping, redirects
from ..services.archive import read_record
from ..services.runs import latest_runs
from ..tasks import STAGES, run_migration_stage

REPLAY_CSP = ("sandbox; default-src 'self'; script-src 'none'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data:; frame-src 'self'")


def _error_page(request, error):
    errors = list(error.messages) if isinstance(error, ValidationError) else [str(error)]
    status = 403 if isinstance(error, PermissionDenied) else 400
    return render(request, "console/error.html", {"errors": errors}, status=status)


def _job(request, code) -> MigrationJob:
    jobs.check_ops(request.user)
    return get_object_or_404(MigrationJob.objects.select_related("target_site", "source_site"), code=code)


def job_view(view):
    """Signed in, ops staff only, the job looked up by its code; a refusal of the
    service (ValidationError, PermissionDenied) becomes the error page."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, code, *args, **kwargs):
        try:
            return view(request, _job(request, code), *args, **kwargs)
        except (PermissionDenied, ValidationError) as error:
            return _error_page(request, error)

    return wrapped


@login_required
def job_list(request):
    try:
        jobs.check_ops(request.user)
    except PermissionDenied as error:
        return _error_page(request, error)
    rows = [(job, [latest_runs(job).get(value) for value, _label in Stage.choices])
            for job in MigrationJob.objects.select_related("target_site")[:200]]
    return render(request, "retirement/console/job_list.html", {"rows": rows, "stages": Stage.choices})


@login_required
def job_create(request):
    try:
        jobs.check_ops(request.user)
    except PermissionDenied as error:
        return _error_page(request, error)
    form = JobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target = Site.objects.filter(short_code=data["target"]).first()
            source = Site.objects.filter(short_code=data["source"]).first() if data["source"] else None
            if target is None or (data["source"] and source is None):
                raise ValidationError(_("No site has the short code: %(code)s") % {
                    "code": data["target"] if target is None else data["source"]})
            job = jobs.create_job(
                acting_user=request.user, code=data["code"], name=data["name"], target_site=target,
                source_site=source, start_urls=data["start_urls"], allowed_hosts=data["allowed_hosts"],
                ignore_robots=bool(data["ignore_robots_reason"]), ignore_robots_reason=data["ignore_robots_reason"],
                requests_per_second=data["requests_per_second"], concurrency=data["concurrency"],
                max_pages=data["max_pages"], max_depth=data["max_depth"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Migration job %(code)s created") % {"code": job.code})
            return redirect("retirement_job", code=job.code)
    return render(request, "retirement/console/job_create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@job_view
def job_detail(request, job):
    report = build_report(job)
    return render(request, "retirement/console/job_detail.html", {
        "job": job, "runs": _runs(job), "counts": job_counts(job), "rules": job.rules.all(),
        "rule_form": RuleForm(), "upload_form": MappingUploadForm(), "dry_run": mapping.dry_run(job),
        "report": report, "chart": chart_data(report),
        "issues": JobIssue.objects.filter(job=job).order_by("-id")[:100],
        "hosts": job.retired_hosts.all(), "stages": STAGES,
    })


def _runs(job):
    runs = latest_runs(job)
    return [(value, label, runs.get(value)) for value, label in Stage.choices]


@login_required
def job_progress(request, code):
    """The stages' progress, polled by the job page."""
    try:
        job = _job(request, code)
    except PermissionDenied as error:
        return JsonResponse({"error": str(error)}, status=403)
    return JsonResponse({"stages": [
        {"stage": value, "label": str(label), "state": run.state if run else "", "done": run.done if run else 0,
         "total": run.total if run else None, "message": run.message if run else ""}
        for value, label, run in _runs(job)]})


@require_POST
@job_view
def job_run(request, job):
    """Queue a stage (or every stage from it on) on the workers."""
    stage = request.POST.get("stage", "")
    if stage not in STAGES:
        return _error_page(request, ValidationError(_("Unknown stage “%(stage)s”") % {"stage": stage}))
    then = STAGES[STAGES.index(stage) + 1:] if request.POST.get("and_after") else ()
    run_migration_stage.delay(job.pk, stage, request.user.pk, tuple(then))
    messages.success(request, _("%(stage)s queued; progress is shown below") % {"stage": Stage(stage).label})
    return redirect("retirement_job", code=job.code)


@require_POST
@job_view
def rule_add(request, job):
    form = RuleForm(request.POST)
    if not form.is_valid():
        raise ValidationError([f"{form.fields[name].label}: {message}" for name, errors in form.errors.items()
                               for message in errors])
    mapping.add_rule(job, acting_user=request.user, **form.cleaned_data)
    messages.success(request, _("Rule added; the dry run below shows what it takes"))
    return redirect("retirement_job", code=job.code)


@job_view
def mapping_export(request, job):
    response = HttpResponse(mapping.export_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{job.code}-url-mapping.csv")
    return response


@require_POST
@job_view
def mapping_import(request, job):
    form = MappingUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        raise ValidationError(_("Choose a CSV file"))
    result = mapping.import_csv(job, form.cleaned_data["file"].read(), acting_user=request.user)
    messages.success(request, _("%(applied)s rows applied, %(broken)s broken rows skipped") % {
        "applied": result.applied, "broken": len(result.errors)})
    for line in result.errors[:20]:
        messages.warning(request, line)
    return redirect("retirement_job", code=job.code)


@require_POST
@job_view
def retire(request, job):
    redirects.retire_hosts(job, acting_user=request.user)
    messages.success(request, _("The old hosts now answer from the URL mapping"))
    return redirect("retirement_job", code=job.code)


@require_POST
@job_view
def closure_items(request, job):
    done = closure.record_closure_items(job, acting_user=request.user)
    messages.success(request, _("%(count)s checklist items of the permanent offline recorded") % {"count": len(done)})
    return redirect("retirement_job", code=job.code)


@job_view
def report_download(request, job, kind):
    if kind == "xlsx":
        response = HttpResponse(report_xlsx(job), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        response = HttpResponse(report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{job.code}-migration-report.{kind}")
    return response


@job_view
def archive_index(request, job):
    """The archived URLs of a job, searchable by a piece of the address."""
    query = request.GET.get("q", "").strip()
    records = ArchiveRecord.objects.filter(job=job).order_by("url")
    if query:
        records = records.filter(url__icontains=query)
    page = Paginator(records.only("id", "url", "status_code", "content_type", "captured_at"), 100).get_page(
        request.GET.get("page"))
    return render(request, "retirement/console/archive_index.html", {"job": job, "page": page, "query": query})


@job_view
def replay(request, job):
    """One archived response, as it was; an HTML page with its addresses pointing back into the replay."""
    url = request.GET.get("url", "")
    try:
        digest = url_hash(canonicalize(url))
    except UnusableUrl:
        digest = ""
    record = ArchiveRecord.objects.filter(job=job, url_hash=digest).select_related("warc", "job").first()
    if record is None:
        return render(request, "console/error.html", {"errors": [
            _("%(url)s is not in the archive of %(job)s") % {"url": url, "job": job.code}]}, status=404)
    archived = read_record(record)
    base = reverse("retirement_replay", kwargs={"code": job.code})
    if 300 <= archived.status < 400 and archived.header("location"):
        target = absolute(archived.header("location"), record.url) or ""
        return redirect(f"{base}?{urlencode({'url': target})}")
    content_type = archived.header("content-type")
    if archived.status == 200 and is_html(content_type):
        text = decode_html(archived.body, content_type).text
        body = rewrite_html(text, record.url, lambda address: f"{base}?{urlencode({'url': address})}")
        response = HttpResponse(body, content_type="text/html; charset=utf-8", status=archived.status)
    else:
        response = HttpResponse(archived.body, content_type=content_type or "application/octet-stream",
                                status=archived.status)
    response["Content-Security-Policy"] = REPLAY_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
