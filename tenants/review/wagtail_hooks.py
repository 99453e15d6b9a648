from django.contrib import messages
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
        messages.error(request, f"内容检查发现 {record.blocking_count} 处禁止使用的词语，已在“内容检查”中标出；"
                                "修改前不能提交审核。")
    elif record.warning_count:
        messages.warning(request, f"内容检查有 {record.warning_count} 条提示，已在“内容检查”中标出，请核对。")
    return None


@hooks.register("construct_page_action_menu")
def publish_only_through_review(menu_items, request, context):
    """Content goes live through the review workflow (保密审查), never by a direct publish."""
    page = context.get("page")
    if page is not None and hasattr(page.specific_class or object, "content_check_fields"):
        menu_items[:] = [item for item in menu_items if getattr(item, "name", "") != "action-publish"]
