"""Opening a site (开办): application → review up the hierarchy → provincial approval →
provisioning (the site is pre-launch: its editors work, the public waits) → security
check passed → go-live with the opening announcement (开通公告) on the site and on its
parent portal, and the 网站标识码 recorded."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole
from jiyue.identity.queries import has_platform_role, has_province_role, is_platform_staff
from tenants.columns.column_templates import TEMPLATES
from tenants.content.models import AnnouncementKind
from tenants.content.services.announcements import publish_announcement
from tenants.provisioning.services.provision import request_provisioning
from tenants.registry.models import OrgUnitKind, Site, SiteKind, SiteStatus
from tenants.registry.services import sites as registry
from tenants.registry.validators import normalize_host

from ..lib.naming import check_site_name
from ..models import CheckResult, RequestKind, SecurityCheck
from .attachments import add_attachment
from .requests import complete_request, create_request

# What an opening application holds (the payload of its versions).
FIELDS = ("name", "kind", "short_code", "hosts", "sponsor", "operator", "responsible_person", "contact_phone",
          "contact_email", "column_plan", "justification")
CONTACT_FIELDS = ("responsible_person", "contact_phone", "contact_email")


def check_may_apply_for(user, org_unit) -> None:
    """People apply for their own unit; the provincial office and ops may register an
    application on a unit's behalf."""
    if getattr(user, "org_unit_id", None) == org_unit.pk or is_platform_staff(user):
        return
    raise PermissionDenied(_("You can only apply for a site of your own unit (%(unit)s is not yours)")
                           % {"unit": org_unit.name})


def check_domain_suffix(host: str) -> str:
    host = normalize_host(host)
    suffixes = settings.JIYUE_SITE_DOMAIN_SUFFIXES
    if not any(host.endswith(suffix) for suffix in suffixes):
        raise ValidationError(_("The domain %(host)s is not allowed: government sites use a domain ending in "
                                "%(suffixes)s") % {"host": host, "suffixes": " / ".join(suffixes)})
    return host


def clean_payload(org_unit, data: dict) -> dict:
    """Check an application against the rules that do not depend on the registry."""
    missing = [field for field in ("name", "short_code", "hosts", "sponsor", "responsible_person", "contact_phone",
                                   "justification") if not data.get(field)]
    if missing:
        raise ValidationError(_("These fields are required: %(fields)s") % {"fields": ", ".join(missing)})
    expected_kind = SiteKind.PORTAL if org_unit.kind == OrgUnitKind.GOVERNMENT else SiteKind.DEPARTMENT
    kind = data.get("kind") or expected_kind
    if kind != expected_kind:
        raise ValidationError(_("%(unit)s can only have a %(kind)s") % {"unit": org_unit.name,
                                                                        "kind": SiteKind(expected_kind).label})
    column_plan = data.get("column_plan") or kind
    if column_plan not in TEMPLATES:
        raise ValidationError(_("Unknown column plan template %(plan)s") % {"plan": column_plan})
    hosts = data["hosts"]
    if isinstance(hosts, str):
        hosts = [line.strip() for line in hosts.splitlines() if line.strip()]
    payload = {field: (data.get(field) or "").strip() if isinstance(data.get(field) or "", str) else data.get(field)
               for field in FIELDS}
    payload.update(name=check_site_name(org_unit, data["name"]), kind=kind, column_plan=column_plan,
                   hosts=[check_domain_suffix(host) for host in hosts])
    return payload


@transaction.atomic
def submit_opening(*, acting_user, org_unit, attachments=(), **data):
    """开办申请. Refused, each with one line: a unit with a site already, a county
    department or township, a name off the naming rule, a domain that is taken or not
    a government domain."""
    check_may_apply_for(acting_user, org_unit)
    payload = clean_payload(org_unit, data)
    site = registry.apply_for_site(
        acting_user=acting_user, org_unit=org_unit, name=payload["name"], short_code=payload["short_code"],
        hosts=payload["hosts"], sponsor=payload["sponsor"], operator=payload["operator"],
        contact={field: payload[field] for field in CONTACT_FIELDS})
    request = create_request(kind=RequestKind.OPENING, site=site, org_unit=org_unit, acting_user=acting_user,
                             payload=payload)
    for upload in attachments:
        add_attachment(request, upload, acting_user=acting_user)
    return request


def revise_payload(request, payload: dict, *, acting_user) -> dict:
    """A returned application, corrected: the same checks again, the site row updated."""
    org_unit = request.org_unit
    clean = clean_payload(org_unit, payload)
    site = request.site
    if clean["short_code"] != site.short_code:
        raise ValidationError(_("The site code cannot be changed on resubmission; withdraw and apply again"))
    registry.update_site_info(site, acting_user=acting_user, name=clean["name"], sponsor=clean["sponsor"],
                              operator=clean["operator"], **{field: clean[field] for field in CONTACT_FIELDS})
    registry.replace_application_domains(site, clean["hosts"], acting_user=acting_user)
    return clean


def on_approved(request, *, acting_user) -> None:
    """Final (provincial) approval: provisioning starts by itself, the site ends pre-launch."""
    registry.approve_site_application(request.site, acting_user=acting_user)
    request_provisioning(request.site, acting_user=acting_user, prelaunch=True)


def on_rejected(request, *, acting_user) -> None:
    """Rejected or withdrawn: the domains are free again; the unit may apply anew."""
    registry.reject_site_application(request.site, acting_user=acting_user)


def _check_ops_or_province(user) -> None:
    if not (has_platform_role(user, PlatformRole.OPS) or has_province_role(user, PlatformRole.APPROVER)):
        raise PermissionDenied(_("Only ops staff and the provincial office can do this"))


def opening_request_of(site):
    return site.lifecycle_requests.filter(kind=RequestKind.OPENING).order_by("-created_at").first()


@transaction.atomic
def record_security_check(site, *, acting_user, result: str, summary: str = "", report=None) -> SecurityCheck:
    """安全检测 of a pre-launch site, by ops (who, when, result, report)."""
    if not has_platform_role(acting_user, PlatformRole.OPS):
        raise PermissionDenied(_("Only ops staff record security checks"))
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.status != SiteStatus.PRELAUNCH:
        raise ValidationError(_("The site is “%(status)s”; security checks are recorded for pre-launch sites")
                              % {"status": site.get_status_display()})
    result = CheckResult(result)
    if result == CheckResult.FAILED and not summary.strip():
        raise ValidationError(_("Describe what failed in the security check"))
    attachment = None
    if report is not None:
        request = opening_request_of(site)
        if request is None:
            raise ValidationError(_("The site has no opening request to file the report with"))
        attachment = add_attachment(request, report, acting_user=acting_user, purpose="security_report")
    check = SecurityCheck.objects.create(site=site, checked_by=acting_user, result=result, summary=summary.strip(),
                                         report=attachment)
    log_operation("record_security_check", acting_user=acting_user, site=site,
                  lifecycle_request=opening_request_of(site), role=_("ops"), decision=result, comment=summary,
                  after={"check": check.pk})
    return check


def opening_announcement(site) -> tuple[str, list[str]]:
    title = _("Announcement of the opening of %(site)s") % {"site": site.name}
    lines = [_("%(site)s (%(host)s), sponsored by %(sponsor)s, has been approved and opens today.")
             % {"site": site.name, "host": site.primary_host, "sponsor": site.sponsor},
             _("Site identification code: %(code)s.") % {"code": site.identity_code}]
    return title, lines


@transaction.atomic
def go_live(site, *, acting_user, identity_code: str | None = None) -> Site:
    """The site opens to the public once its latest security check passed. Publishes the
    开通公告 on the site and on its parent portal and records the 网站标识码."""
    _check_ops_or_province(acting_user)
    site = Site.objects.select_for_update(of=("self",)).select_related("parent").get(pk=site.pk)
    if site.status != SiteStatus.PRELAUNCH:
        raise ValidationError(_("The site is “%(status)s”; only a pre-launch site can go live")
                              % {"status": site.get_status_display()})
    check = site.security_checks.first()
    if check is None or check.result != CheckResult.PASSED:
        raise ValidationError(_("The site cannot go live before it passes a security check"))
    if identity_code and identity_code != site.identity_code:
        registry.update_site_info(site, acting_user=acting_user, identity_code=identity_code)
        site.refresh_from_db()
    if not site.identity_code:
        raise ValidationError(_("Enter the site identification code before going live"))
    site.go_live()
    site.save(update_fields=["status", "updated_at"])
    title, lines = opening_announcement(site)
    publish_announcement(site, kind=AnnouncementKind.OPENING, title=title, paragraphs=lines,
                         issuing_organ=site.sponsor, acting_user=acting_user)
    if site.parent is not None and site.parent.status == SiteStatus.ONLINE:
        publish_announcement(site.parent, kind=AnnouncementKind.OPENING, title=title, paragraphs=lines,
                             issuing_organ=site.parent.sponsor, acting_user=acting_user)
    request = opening_request_of(site)
    log_operation("go_live", acting_user=acting_user, site=site, lifecycle_request=request,
                  role=_("ops") if has_platform_role(acting_user, PlatformRole.OPS) else _("provincial office"),
                  decision="online", before={"status": SiteStatus.PRELAUNCH},
                  after={"status": site.status, "identity_code": site.identity_code, "security_check": check.pk})
    if request is not None and request.state == "approved":
        complete_request(request, acting_user=acting_user, action="complete_opening")
    from .notifications import notify

    if request is not None:
        notify([request.applicant], _("%(site)s is online") % {"site": site.name}, request=request)
    return site
