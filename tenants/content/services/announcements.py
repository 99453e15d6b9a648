"""Announcements the platform itself publishes on a site: the opening announcement
(开通公告), temporary and permanent offline notices, a domain change. Their text comes
from the lifecycle workflow whose approval covers it; the approver who triggered it is
recorded as the 保密审查 of the revision, so the publish gate holds as for any content."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from tenants.columns.models import ColumnPage
from tenants.review.services.approval import record_secrecy_review
from tenants.review.services.checks import acknowledge_check_warnings, record_revision_checks

from ..models import AnnouncementPage

NOTICE_COLUMN_SLUG = "tzgg"


@transaction.atomic
def publish_announcement(site, *, kind: str, title: str, paragraphs: list[str], issuing_organ: str,
                         acting_user) -> int:
    """Publish an announcement in the site's 通知公告 column; returns the page id."""
    with tenant_context(site):
        column = ColumnPage.objects.filter(slug=NOTICE_COLUMN_SLUG).first()
        if column is None:
            raise ValidationError(_("The site %(site)s has no notices column for the announcement")
                                  % {"site": site.name})
        body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
        stamp = timezone.now()
        page = AnnouncementPage(title=title, kind=kind, issuing_organ=issuing_organ, live=False,
                                slug=f"{slugify(kind)}-{stamp:%Y%m%d%H%M%S%f}", publish_time=stamp,
                                body=[("paragraph", body)])
        column.add_child(instance=page)
        revision = page.save_revision(user=acting_user)
        record_revision_checks(revision)
        acknowledge_check_warnings(revision, acting_user=acting_user)
        record_secrecy_review(revision, acting_user=acting_user, comment=_("Announcement of the site lifecycle"))
        # The lifecycle service checked who may announce (ops, the provincial office);
        # they hold no editing role on the site itself.
        revision.publish(user=acting_user, skip_permission_checks=True)
        return page.pk
