"""The dashboard's work panels (Wagtail home panels): one per queue of queries.py."""
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from . import queries


class WorkPanel(Component):
    template_name = "dashboard/work_panel.html"
    heading = ""
    empty_text = ""
    since_label = ""
    limit = 10

    def __init__(self, user):
        self.user = user

    def listing(self) -> queries.Listing:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        listing = self.listing()
        # The columns of the listed pages, in one query.
        parent_paths = {item.page.path[:-Page.steplen] for item in listing.items}
        columns = dict(Page.objects.filter(path__in=parent_paths).values_list("path", "title"))
        rows = [{"item": item, "column": columns.get(item.page.path[:-Page.steplen], ""),
                 "when": self.when(item)} for item in listing.items]
        return {"panel": self, "rows": rows, "total": listing.total, "more": listing.total - len(rows)}

    def when(self, item) -> str:
        if item.since is None:
            return ""
        if self.since_label:
            return str(self.since_label) % {"age": timesince(item.since)}
        return item.since.strftime("%Y-%m-%d %H:%M")


class MyDraftsPanel(WorkPanel):
    name = "jiyue_my_drafts"
    order = 100
    heading = _("My drafts")
    empty_text = _("No drafts waiting to be submitted")
    since_label = _("saved %(age)s ago")

    def listing(self):
        return queries.my_drafts(self.user, limit=self.limit)


class AwaitingMyReviewPanel(WorkPanel):
    name = "jiyue_awaiting_my_review"
    order = 110
    heading = _("Awaiting my review")
    empty_text = _("Nothing is waiting for your review")
    since_label = _("submitted %(age)s ago")

    def listing(self):
        return queries.awaiting_my_review(self.user, limit=self.limit)


class ReturnedToMePanel(WorkPanel):
    name = "jiyue_returned_to_me"
    order = 120
    heading = _("Returned to me")
    empty_text = _("Nothing has been returned to you")
    since_label = _("returned %(age)s ago")

    def listing(self):
        return queries.returned_to_me(self.user, limit=self.limit)


class CheckFindingsPanel(WorkPanel):
    name = "jiyue_check_findings"
    order = 130
    heading = _("Check findings to resolve")
    empty_text = _("No content check findings to resolve")
    since_label = _("saved %(age)s ago")

    def listing(self):
        return queries.check_findings(limit=self.limit)


class ScheduledPanel(WorkPanel):
    name = "jiyue_scheduled"
    order = 140
    heading = _("Scheduled for publishing")
    empty_text = _("Nothing is scheduled for publishing")
    since_label = ""

    def listing(self):
        return queries.scheduled(limit=self.limit)
