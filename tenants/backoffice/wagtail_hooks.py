"""The back office's frame: the platform's stylesheet, the editor guide and the help
menu pointing at it instead of Wagtail's own guide on an outside site."""
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import views

# Wagtail's help menu items that open its own sites (guide.wagtail.org).
WAGTAIL_OUTSIDE_HELP = {"editor-guide"}


@hooks.register("insert_global_admin_css")
def backoffice_css():
    return format_html('<link rel="stylesheet" href="{}">', static("backoffice/backoffice.css"))


@hooks.register("register_admin_urls")
def guide_urls():
    return [path("guide/", views.editor_guide, name="jiyue_editor_guide")]


class GuideMenuItem(MenuItem):
    """The guide's URL is the open site's (/s/<code>/admin/guide/): reversed for each
    request, as menu items are built once per process."""

    def render_component(self, request):
        return LinkMenuItemComponent(self.name, self.label, reverse("jiyue_editor_guide"),
                                     icon_name=self.icon_name, classname=self.classname, attrs=self.attrs)


@hooks.register("register_help_menu_item")
def guide_menu_item():
    return GuideMenuItem(_("Editor guide"), "", icon_name="help", order=100, name="jiyue-editor-guide")


@hooks.register("construct_help_menu")
def drop_outside_help(request, menu_items):
    menu_items[:] = [item for item in menu_items
                     if item.name not in WAGTAIL_OUTSIDE_HELP and not item.name.startswith("whats-new-in-wagtail")]
