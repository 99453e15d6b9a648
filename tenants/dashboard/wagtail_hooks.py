"""The back-office home (Wagtail's dashboard) of a site: the work panels of panels.py
in place of the Wagtail panels they cover.

Replaced: "Awaiting your review" (ours: never your own submissions, with their age and
check counts), "Your pages in workflow moderation" (ours: 退回给我 with the reviewer's
comment, and 审核中), "Your most recent edits" (ours: 我的草稿, the edits not yet
published). Kept: "Your locked pages" (nothing of ours lists locks) and the site
summary above the panels. Wagtail's upgrade notice and what's-new banner are not
panels (its settings switch them off).

Monitoring's overdue columns (queries.overdue_columns) will be a panel added here
once it returns a queue; until then there is none."""
from wagtail import hooks

from .panels import work_panels

REPLACED_WAGTAIL_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation", "recent_edits"}


@hooks.register("construct_homepage_panels")
def add_work_panels(request, panels):
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in REPLACED_WAGTAIL_PANELS]
    panels.extend(work_panels(request.user))
