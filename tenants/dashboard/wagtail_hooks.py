"""The dashboard's work panels replace Wagtail's panels they cover: its "awaiting your
review" (ours leaves out your own submissions and shows their age) and "your most
recent edits" (ours: your drafts not yet submitted). Wagtail's panel of your pages in
review and of locked pages stay. Monitoring adds its panel (overdue columns) through
this same hook."""
from wagtail import hooks

from .panels import AwaitingMyReviewPanel, CheckFindingsPanel, MyDraftsPanel, ReturnedToMePanel, ScheduledPanel

REPLACED = {"workflow_objects_to_moderate", "recent_edits", "upgrade_notification", "whats_new_in_wagtail_version"}


@hooks.register("construct_homepage_panels")
def work_panels(request, panels):
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in REPLACED]
    user = request.user
    panels.extend([MyDraftsPanel(user), AwaitingMyReviewPanel(user), ReturnedToMePanel(user),
                   CheckFindingsPanel(user), ScheduledPanel(user)])
