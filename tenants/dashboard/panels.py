"""The dashboard's work panels: Wagtail home-page panels (``Component`` subclasses with
a template, as ``wagtail.admin.views.home`` builds its own), one per queue of
queries.py. A panel shows its count, at most ``queries.LIMIT`` items each linking to
the page's edit view, an empty state, and a "view all" link where Wagtail has a list."""
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext, pgettext, pgettext_lazy
from wagtail.admin.ui.components import Component

from . import queries


def duration(seconds: float) -> str:
    """A span in its largest whole unit, in the viewer's language: "3 天", "5 小时",
    "0 分钟" (Django's timesince says 日 in Chinese; the back office says 天)."""
    seconds = max(0, int(seconds))
    days, hours, minutes = seconds // 86400, seconds // 3600, seconds // 60
    if days:
        return npgettext("dashboard age", "%(count)s day", "%(count)s days", days) % {"count": days}
    if hours:
        return npgettext("dashboard age", "%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return npgettext("dashboard age", "%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def age(when, now=None) -> str:
    """How long ago."""
    return duration(((now or timezone.now()) - when).total_seconds()) if when else ""


def due_in(when, now=None) -> str:
    """How long until."""
    return duration((when - (now or timezone.now())).total_seconds()) if when else ""


def local_time(when) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else ""


class WorkPanel(Component):
    """One queue on the dashboard. Subclasses name the queue and its texts."""

    name = ""
    order = 100
    template_name = ""
    heading = ""
    empty_text = ""
    icon = "doc-empty-inverse"

    def __init__(self, user):
        self.user = user

    def get_queue(self) -> queries.Queue:
        raise NotImplementedError

    def view_all_url(self, parent_context) -> str:
        """A Wagtail list holding the whole queue, or "" where Wagtail has none."""
        return ""

    def get_context_data(self, parent_context=None):
        queue = self.get_queue()
        now = timezone.now()
        rows = [{"item": item, "at": local_time(item.when),
                 "age": age(item.when, now) if item.when and item.when <= now else "",
                 "due": due_in(item.when, now) if item.when and item.when > now else ""} for item in queue.items]
        return {
            "panel": self,
            "rows": rows,
            "total": queue.total,
            "heading": pgettext("dashboard panel heading", "%(heading)s (%(count)s)")
            % {"heading": self.heading, "count": queue.total},
            "view_all_url": self.view_all_url(parent_context or {}) if queue.total else "",
            "request": (parent_context or {}).get("request"),
        }


def _report(name, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


class MyDraftsPanel(WorkPanel):
    name = "jiyue_my_drafts"
    order = 100
    template_name = "dashboard/panels/my_drafts.html"
    heading = _("My drafts")
    empty_text = _("No drafts for now")
    icon = "doc-empty-inverse"

    def get_queue(self):
        return queries.my_drafts(self.user)

    def view_all_url(self, parent_context):
        # The page explorer searches the whole tree once a filter is set.
        root_page = parent_context.get("root_page")
        base = (reverse("wagtailadmin_explore", args=[root_page.pk]) if getattr(root_page, "pk", None)
                else reverse("wagtailadmin_explore_root"))
        return f"{base}?{urlencode({'edited_by': self.user.pk, 'ordering': '-latest_revision_created_at'})}"


class AwaitingMyReviewPanel(WorkPanel):
    name = "jiyue_awaiting_my_review"
    order = 110
    template_name = "dashboard/panels/awaiting_my_review.html"
    heading = pgettext_lazy("dashboard panel", "Awaiting my review")
    empty_text = _("Nothing is awaiting your review for now")
    icon = "tasks"

    def get_queue(self):
        return queries.awaiting_my_review(self.user)

    def view_all_url(self, parent_context):
        return _report("wagtailadmin_reports:workflow_tasks", reviewable="true", status="in_progress")

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["csrf_token"] = (parent_context or {}).get("csrf_token")
        return context


class ReturnedToMePanel(WorkPanel):
    name = "jiyue_returned_to_me"
    order = 120
    template_name = "dashboard/panels/returned_to_me.html"
    heading = _("Returned to me")
    empty_text = _("Nothing has been returned to you for now")
    icon = "undo"

    def get_queue(self):
        return queries.returned_to_me(self.user)

    def view_all_url(self, parent_context):
        return _report("wagtailadmin_reports:workflow", status="needs_changes", requested_by=self.user.pk)


class InReviewPanel(WorkPanel):
    name = "jiyue_in_review"
    order = 150
    template_name = "dashboard/panels/in_review.html"
    heading = _("My submissions in review")
    empty_text = _("None of your submissions is in review for now")
    icon = "time"

    def get_queue(self):
        return queries.in_review(self.user)

    def view_all_url(self, parent_context):
        return _report("wagtailadmin_reports:workflow", status="in_progress", requested_by=self.user.pk)


class CheckFindingsPanel(WorkPanel):
    name = "jiyue_check_findings"
    order = 130
    template_name = "dashboard/panels/check_findings.html"
    heading = _("Check findings to resolve")
    empty_text = _("No check findings to resolve for now")
    icon = "warning"

    def get_queue(self):
        return queries.check_findings(self.user)


class ScheduledPanel(WorkPanel):
    name = "jiyue_scheduled"
    order = 140
    template_name = "dashboard/panels/scheduled.html"
    heading = pgettext_lazy("dashboard panel", "Scheduled publishing")
    empty_text = _("Nothing is scheduled for now")
    icon = "calendar-alt"

    def get_queue(self):
        return queries.scheduled()


def work_panels(user) -> list[WorkPanel]:
    """The panels every back-office user gets, in their order on the page."""
    return [MyDraftsPanel(user), AwaitingMyReviewPanel(user), ReturnedToMePanel(user), CheckFindingsPanel(user),
            ScheduledPanel(user), InReviewPanel(user)]
