"""Change filing (变更备案) of a site's basic information, filed with its supervising
office (the first office of its review chain): name, domain, 主办/承办单位, responsible
person. A domain change keeps the old domain answering with 301s for
JIYUE_DOMAIN_CHANGE_REDIRECT_DAYS and puts an announcement on the site."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from tenants.content.models import AnnouncementKind
from tenants.content.services.announcements import publish_announcement
from tenants.registry.models import Site, SiteStatus
from tenants.registry.services import sites as registry

from ..lib.chain import review_chain
from ..lib.naming import check_site_name
from ..models import RequestKind
from .offline import check_may_apply_for_site
from .opening import check_domain_suffix
from .requests import complete_request, create_request

INFO_FIELDS = ("name", "sponsor", "operator", "responsible_person", "contact_phone", "contact_email")


def clean(site, data: dict) -> dict:
    changes = {}
    for field in INFO_FIELDS:
        value = data.get(field)
        if value is not None and str(value).strip() != (getattr(site, field) or ""):
            changes[field] = str(value).strip()
    if "name" in changes:
        changes["name"] = check_site_name(site.org_unit, changes["name"])
    if data.get("domain"):
        host = check_domain_suffix(data["domain"])
        if host != site.primary_host:
            registry.check_host_free(host, exclude_site=site)
            changes["domain"] = host
    if not changes:
        raise ValidationError(_("The filing changes nothing: every value equals the current one"))
    reason = (data.get("reason") or "").strip()
    return {"changes": changes, "before": {field: (getattr(site, field) or "") if field != "domain"
                                           else site.primary_host for field in changes}, "reason": reason}


@transaction.atomic
def file_change(site, *, acting_user, reason: str = "", **data):
    check_may_apply_for_site(acting_user, site)
    site = Site.objects.select_for_update().select_related("org_unit").get(pk=site.pk)
    if site.status not in (SiteStatus.PRELAUNCH, SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE):
        raise ValidationError(_("The site is “%(status)s”; changes are filed for open sites")
                              % {"status": site.get_status_display()})
    payload = clean(site, {**data, "reason": reason})
    # Filed with the supervisor: the office the site reports to, not the whole chain.
    return create_request(kind=RequestKind.CHANGE, site=site, org_unit=site.org_unit, acting_user=acting_user,
                          payload=payload, chain=review_chain(site.org_unit)[:1])


def revise_payload(request, payload, *, acting_user):
    return clean(request.site, {**payload.get("changes", {}), "reason": payload.get("reason", "")})


def on_approved(request, *, acting_user) -> None:
    site = request.site
    changes = dict(request.payload["changes"])
    domain = changes.pop("domain", None)
    if changes:
        registry.update_site_info(site, acting_user=acting_user, **changes)
    if domain:
        old = site.primary_host
        registry.change_primary_domain(site, domain, acting_user=acting_user,
                                       redirect_days=settings.JIYUE_DOMAIN_CHANGE_REDIRECT_DAYS)
        site.refresh_from_db()
        if site.status == SiteStatus.ONLINE:
            publish_announcement(
                site, kind=AnnouncementKind.DOMAIN_CHANGE,
                title=_("Announcement of the new domain of %(site)s") % {"site": site.name},
                paragraphs=[_("From today %(site)s is at %(new)s. The old domain %(old)s forwards to it for "
                              "%(days)s days.") % {"site": site.name, "new": domain, "old": old,
                                                   "days": settings.JIYUE_DOMAIN_CHANGE_REDIRECT_DAYS}],
                issuing_organ=site.sponsor, acting_user=acting_user)
    log_operation("apply_change_filing", acting_user=acting_user, site=site, lifecycle_request=request,
                  before=request.payload["before"], after=request.payload["changes"])
    complete_request(request, acting_user=acting_user, action="complete_change")


def on_rejected(request, *, acting_user) -> None:
    return None
