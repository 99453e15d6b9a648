"""The library browser and the site's reposts in the back office's menu."""
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from .views import library, mandates, subscriptions


@hooks.register("register_admin_urls")
def library_urls():
    return [
        path("library/", library.browse, name="jiyue_library"),
        path("library/repost/", library.repost_selected, name="jiyue_library_repost"),
        path("library/reposts/", library.received, name="jiyue_reposts_received"),
        path("library/mandates/", mandates.queue, name="jiyue_mandate_queue"),
        path("library/mandates/<int:target_id>/accept/", mandates.accept, name="jiyue_mandate_accept"),
        path("library/mandates/preference/", mandates.preference, name="jiyue_mandate_preference"),
        path("library/subscriptions/", subscriptions.index, name="jiyue_subscriptions"),
        path("library/subscriptions/<int:subscription_id>/cancel/", subscriptions.cancel,
             name="jiyue_subscription_cancel"),
        path("library/issued/", mandates.issued, name="jiyue_mandates_issued"),
        path("library/issued/new/<int:resource_id>/", mandates.new, name="jiyue_mandate_new"),
        path("library/issued/<int:mandate_id>/", mandates.detail, name="jiyue_mandate"),
        path("library/issued/<int:mandate_id>/overdue.<str:file_format>", mandates.export,
             name="jiyue_mandate_export"),
    ]


@hooks.register("register_admin_menu_item")
def library_menu_item():
    items = [
        MenuItem(_("Browse the library"), reverse("jiyue_library"), name="jiyue-library", icon_name="search",
                 order=100),
        MenuItem(_("Mandatory reposts to do"), reverse("jiyue_mandate_queue"), name="jiyue-mandate-queue",
                 icon_name="warning", order=200),
        MenuItem(_("Reposts of this site"), reverse("jiyue_reposts_received"), name="jiyue-reposts",
                 icon_name="redirect", order=300),
        MenuItem(_("Subscriptions"), reverse("jiyue_subscriptions"), name="jiyue-subscriptions", icon_name="mail",
                 order=350),
        MenuItem(_("Mandatory reposts issued"), reverse("jiyue_mandates_issued"), name="jiyue-mandates-issued",
                 icon_name="list-ul", order=400),
    ]
    return SubmenuMenuItem(_("Resource library"), Menu(items=items), name="jiyue-resource-library",
                           icon_name="doc-full", order=250)
