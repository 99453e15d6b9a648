from django.contrib import messages
from django.utils.translation import ngettext
from wagtail import hooks

from .services.checks import record_revision_checks


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def check_saved_content(request, page):
    """On every save: check the new revision and say what was found."""
    page = page.specific
    revision = page.get_latest_revision()
    if revision is None or not hasattr(page, "content_check_fields"):
        return None
    record = record_revision_checks(revision)
    if record.blocking_count:
        messages.error(request, ngettext(
            "The content check found %(count)s forbidden word, marked under “Content check”; the content cannot "
            "be submitted for review until it is changed.",
            "The content check found %(count)s forbidden words, marked under “Content check”; the content cannot "
            "be submitted for review until they are changed.",
            record.blocking_count) % {"count": record.blocking_count})
    elif record.warning_count:
        messages.warning(request, ngettext(
            "The content check has %(count)s warning, marked under “Content check”; please look at it.",
            "The content check has %(count)s warnings, marked under “Content check”; please look at them.",
            record.warning_count) % {"count": record.warning_count})
    return None


@hooks.register("construct_page_action_menu")
def publish_only_through_review(menu_items, request, context):
    """Content goes live through the review workflow (保密审查), never by a direct publish."""
    page = context.get("page")
    if page is not None and hasattr(page.specific_class or object, "content_check_fields"):
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]
