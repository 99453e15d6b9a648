"""Console pages of site migrations (included at /migrations/ on the console host)."""
from django.urls import path

from .views import console

urlpatterns = [
    path("", console.job_list, name="retirement_jobs"),
    path("new/", console.job_create, name="retirement_job_create"),
    path("<slug:code>/", console.job_detail, name="retirement_job"),
    path("<slug:code>/progress/", console.job_progress, name="retirement_progress"),
    path("<slug:code>/run/", console.job_run, name="retirement_run"),
    path("<slug:code>/rules/", console.rule_add, name="retirement_rule_add"),
    path("<slug:code>/mapping.csv", console.mapping_export, name="retirement_mapping_export"),
    path("<slug:code>/mapping/import/", console.mapping_import, name="retirement_mapping_import"),
    path("<slug:code>/retire/", console.retire, name="retirement_retire"),
    path("<slug:code>/closure/", console.closure_items, name="retirement_closure"),
    path("<slug:code>/report.<str:kind>", console.report_download, name="retirement_report"),
    path("<slug:code>/archive/", console.archive_index, name="retirement_archive"),
    path("<slug:code>/replay/", console.replay, name="retirement_replay"),
]
