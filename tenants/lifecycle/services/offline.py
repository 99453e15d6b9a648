"""Temporary offline (临时下线: at most once a calendar year, at most 30 days, reason and
planned return date, announced on the site and its parent portal; back on the planned
date by the beat) and permanent offline (永久下线: a tracked checklist, then retired with
its hosts redirecting to the parent portal). Both are approved like an opening."""
import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole, SiteRole
from jiyue.identity.queries import has_platform_role, has_province_role, roles_on_site
from tenants.content.models import AnnouncementKind
from tenants.content.services.announcements import publish_announcement
from tenants.registry.models import Site, SiteStatus
from tenants.registry.services.sites import retire_site

from ..models import ClosureItem, ClosureTask, OfflinePeriod, RequestKind, RequestState
from .attachments import add_attachment
from .notifications import notify, province_approvers
from .requests import complete_request, create_request


def check_may_apply_for_site(user, site) -> None:
    """A site's own administrator applies for its offline or change; so may the
    provincial office and ops on its behalf."""
    if SiteRole.SITE_ADMIN in roles_on_site(user, site):
        return
    if has_platform_role(user, PlatformRole.OPS) or has_province_role(user, PlatformRole.APPROVER):
        return
    raise PermissionDenied(_("Only an administrator of %(site)s can apply for this") % {"site": site.name})


def _date(value, field_label) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date(str(value or ""))
    if parsed is None:
        raise ValidationError(_("%(field)s is not a valid date (yyyy-mm-dd)") % {"field": field_label})
    return parsed


def _announce(site, *, kind, title, lines, acting_user, on_site=True) -> None:
    if on_site and site.status in (SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE):
        publish_announcement(site, kind=kind, title=title, paragraphs=lines, issuing_organ=site.sponsor,
                             acting_user=acting_user)
    parent = site.parent
    if parent is not None and parent.status == SiteStatus.ONLINE:
        publish_announcement(parent, kind=kind, title=title, paragraphs=lines, issuing_organ=parent.sponsor,
                             acting_user=acting_user)


# -- temporary offline ---------------------------------------------------------------
class TEMPORARY:
    """The handler of temporary offline requests (see requests._handler)."""

    @staticmethod
    def clean(site, data: dict, *, exclude_request=None) -> dict:
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for taking the site offline"))
        today = timezone.localdate()
        starts_on = _date(data.get("starts_on") or today, _("Start date"))
        returns_on = _date(data.get("planned_return_on"), _("Planned return date"))
        if starts_on < today:
            raise ValidationError(_("The start date cannot be in the past"))
        if returns_on <= starts_on:
            raise ValidationError(_("The planned return date must be after the start date"))
        limit = settings.JIYUE_TEMPORARY_OFFLINE_MAX_DAYS
        if (returns_on - starts_on).days > limit:
            raise ValidationError(_("A site may be temporarily offline for at most %(days)s days; the planned return "
                                    "date is %(count)s days after the start") % {"days": limit,
                                                                               "count": (returns_on - starts_on).days})
        earlier = OfflinePeriod.objects.filter(site=site, starts_on__year=starts_on.year)
        if earlier.exists():
            raise ValidationError(_("%(site)s was already temporarily offline in %(year)s (from %(date)s); a site may "
                                    "go temporarily offline at most once a year")
                                  % {"site": site.name, "year": starts_on.year, "date": earlier.first().starts_on})
        return {"reason": reason, "starts_on": starts_on.isoformat(), "planned_return_on": returns_on.isoformat()}

    @staticmethod
    def revise_payload(request, payload, *, acting_user):
        return TEMPORARY.clean(request.site, payload)

    @staticmethod
    def on_approved(request, *, acting_user) -> None:
        payload = request.payload
        period = OfflinePeriod.objects.create(
            site=request.site, request=request, reason=payload["reason"],
            starts_on=parse_date(payload["starts_on"]), planned_return_on=parse_date(payload["planned_return_on"]))
        site = request.site
        title = _("Announcement of the temporary offline of %(site)s") % {"site": site.name}
        lines = [_("%(site)s will be temporarily offline from %(start)s to %(end)s: %(reason)s.")
                 % {"site": site.name, "start": period.starts_on, "end": period.planned_return_on,
                    "reason": period.reason},
                 _("The site is expected back online on %(end)s.") % {"end": period.planned_return_on}]
        _announce(site, kind=AnnouncementKind.TEMPORARY_OFFLINE, title=title, lines=lines, acting_user=acting_user)
        if period.starts_on <= timezone.localdate():
            start_offline_period(period, acting_user=acting_user)

    @staticmethod
    def on_rejected(request, *, acting_user) -> None:
        return None


@transaction.atomic
def apply_for_temporary_offline(site, *, acting_user, reason: str, planned_return_on, starts_on=None):
    check_may_apply_for_site(acting_user, site)
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.status != SiteStatus.ONLINE:
        raise ValidationError(_("The site is “%(status)s”; only an online site can go temporarily offline")
                              % {"status": site.get_status_display()})
    payload = TEMPORARY.clean(site, {"reason": reason, "starts_on": starts_on, "planned_return_on": planned_return_on})
    return create_request(kind=RequestKind.TEMPORARY_OFFLINE, site=site, org_unit=site.org_unit,
                          acting_user=acting_user, payload=payload)


@transaction.atomic
def start_offline_period(period: OfflinePeriod, *, acting_user=None) -> OfflinePeriod:
    period = OfflinePeriod.objects.select_for_update(of=("self",)).select_related("site").get(pk=period.pk)
    if period.started_at is not None:
        return period
    site = Site.objects.select_for_update().get(pk=period.site_id)
    site.take_offline()
    site.save(update_fields=["status", "updated_at"])
    period.started_at = timezone.now()
    period.save(update_fields=["started_at"])
    log_operation("start_temporary_offline", acting_user=acting_user, site=site, lifecycle_request=period.request,
                  role=_("system") if acting_user is None else "", decision="offline",
                  after={"planned_return_on": period.planned_return_on.isoformat(), "reason": period.reason})
    return period


@transaction.atomic
def return_from_offline(period: OfflinePeriod, *, acting_user=None) -> OfflinePeriod:
    """Back online (the beat on the planned date, or ops earlier); recorded."""
    if acting_user is not None and not has_platform_role(acting_user, PlatformRole.OPS):
        raise PermissionDenied(_("Only ops staff can bring a site back online before its planned date"))
    period = OfflinePeriod.objects.select_for_update(of=("self",)).select_related("site", "request").get(pk=period.pk)
    if period.returned_at is not None:
        return period
    if period.started_at is None:
        raise ValidationError(_("The site has not gone offline yet; it cannot come back"))
    site = Site.objects.select_for_update().get(pk=period.site_id)
    site.bring_back()
    site.save(update_fields=["status", "updated_at"])
    period.returned_at = timezone.now()
    period.save(update_fields=["returned_at"])
    if period.request.state == RequestState.APPROVED:
        complete_request(period.request, acting_user=acting_user, action="complete_temporary_offline",
                         role=_("system") if acting_user is None else "")
    log_operation("return_from_temporary_offline", acting_user=acting_user, site=site,
                  lifecycle_request=period.request, role=_("system") if acting_user is None else "",
                  decision="online", before={"status": SiteStatus.TEMPORARILY_OFFLINE}, after={"status": site.status})
    notify([period.request.applicant], _("%(site)s is back online") % {"site": site.name}, request=period.request)
    return period


# -- permanent offline ---------------------------------------------------------------
class PERMANENT:
    @staticmethod
    def clean(site, data: dict) -> dict:
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("Give the reason for closing the site"))
        if site.parent is None:
            raise ValidationError(_("The provincial portal has no parent site to integrate its content into"))
        return {"reason": reason, "integrate_into": site.parent.short_code}

    @staticmethod
    def revise_payload(request, payload, *, acting_user):
        return PERMANENT.clean(request.site, payload)

    @staticmethod
    def on_approved(request, *, acting_user) -> None:
        request.complete_by = timezone.localdate() + datetime.timedelta(days=settings.JIYUE_CLOSURE_DEADLINE_DAYS)
        request.save(update_fields=["complete_by", "updated_at"])
        ClosureTask.objects.bulk_create([ClosureTask(request=request, item=item) for item in ClosureItem.values])
        site = request.site
        title = _("Announcement of the closure of %(site)s") % {"site": site.name}
        lines = [_("%(site)s closes permanently: %(reason)s.") % {"site": site.name,
                                                                  "reason": request.payload["reason"]},
                 _("Its content is integrated into %(parent)s.") % {"parent": site.parent.name}]
        _announce(site, kind=AnnouncementKind.PERMANENT_OFFLINE, title=title, lines=lines, acting_user=acting_user,
                  on_site=False)
        if site.parent is not None and site.parent.status == SiteStatus.ONLINE:
            _mark_done(request, ClosureItem.PARENT_ANNOUNCEMENT, acting_user=acting_user,
                       note=_("Published on %(parent)s") % {"parent": site.parent.name})

    @staticmethod
    def on_rejected(request, *, acting_user) -> None:
        return None


@transaction.atomic
def apply_for_permanent_offline(site, *, acting_user, reason: str):
    check_may_apply_for_site(acting_user, site)
    site = Site.objects.select_for_update(of=("self",)).select_related("parent").get(pk=site.pk)
    if site.status not in (SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE, SiteStatus.PRELAUNCH):
        raise ValidationError(_("The site is “%(status)s” and cannot be closed") % {"status": site.get_status_display()})
    payload = PERMANENT.clean(site, {"reason": reason})
    return create_request(kind=RequestKind.PERMANENT_OFFLINE, site=site, org_unit=site.org_unit,
                          acting_user=acting_user, payload=payload)


def _mark_done(request, item, *, acting_user, note="", attachment=None) -> ClosureTask:
    task = ClosureTask.objects.select_for_update().get(request=request, item=item)
    if task.done_at is None:
        task.done_by, task.done_at, task.note, task.attachment = acting_user, timezone.now(), note, attachment
        task.save()
        log_operation("complete_closure_item", acting_user=acting_user, site=request.site, lifecycle_request=request,
                      decision=item, comment=note)
    return task


@transaction.atomic
def complete_closure_item(request, item: str, *, acting_user, note: str = "", upload=None) -> ClosureTask:
    """Record one checklist item (with its evidence); the last one retires the site."""
    from .requests import lock_request

    request = lock_request(request.pk)
    if request.kind != RequestKind.PERMANENT_OFFLINE or request.state != RequestState.APPROVED:
        raise ValidationError(_("The checklist belongs to an approved permanent offline that is not yet complete"))
    if not (has_platform_role(acting_user, PlatformRole.OPS)
            or SiteRole.SITE_ADMIN in roles_on_site(acting_user, request.site)):
        raise PermissionDenied(_("Only ops staff or an administrator of the site can record closure steps"))
    item = ClosureItem(item)
    if not note.strip() and upload is None:
        raise ValidationError(_("Record what was done: a note or an attached file"))
    attachment = add_attachment(request, upload, acting_user=acting_user, purpose=item) if upload else None
    task = _mark_done(request, item, acting_user=acting_user, note=note.strip(), attachment=attachment)
    if not request.closure_tasks.filter(done_at__isnull=True).exists():
        retire_site(request.site, acting_user=acting_user)
        complete_request(request, acting_user=acting_user, action="complete_permanent_offline")
        notify([request.applicant] + province_approvers(), _("%(site)s is closed permanently")
               % {"site": request.site.name}, request=request)
    return task
