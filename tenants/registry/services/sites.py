"""Writes to the site registry. The registry rules of DESIGN.md are enforced here
and only here: one site per unit; no sites for county departments or townships; the
parent site follows the org hierarchy; hosts unique; codes immutable once online;
no one approves their own application."""
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole
from jiyue.identity.queries import has_platform_role

from ..models import Domain, Level, OrgUnit, OrgUnitKind, Site, SiteKind, SiteStatus
from ..validators import normalize_host, validate_identity_code, validate_short_code

# Fields that identify a site to the outside world and to its schema.
IMMUTABLE_ONCE_ONLINE = ("short_code", "identity_code", "schema_name")
SCHEMA_PREFIX = "site_"


def schema_name_for(short_code: str) -> str:
    return f"{SCHEMA_PREFIX}{short_code}"


def check_unit_may_have_site(org_unit: OrgUnit) -> None:
    if org_unit.level == Level.TOWNSHIP:
        raise ValidationError(
            _("Townships (%(unit)s) do not have sites of their own; they publish through the county "
              "government portal") % {"unit": org_unit.name})
    if org_unit.kind == OrgUnitKind.DEPARTMENT and org_unit.level == Level.COUNTY:
        raise ValidationError(
            _("County government departments (%(unit)s) do not have sites of their own; they publish "
              "through the county government portal") % {"unit": org_unit.name})
    if Site.objects.filter(org_unit=org_unit).exclude(status=SiteStatus.REJECTED).exists():
        raise ValidationError(_("%(unit)s already has a site; a unit may have at most one site")
                              % {"unit": org_unit.name})


def expected_parent_site(org_unit: OrgUnit) -> Site | None:
    """A department's site hangs under its government's portal; a government's portal
    under the portal of the government above it; the provincial portal has none."""
    if org_unit.kind == OrgUnitKind.DEPARTMENT:
        parent_unit = org_unit.parent
    elif org_unit.level == Level.PROVINCE:
        return None
    else:
        parent_unit = org_unit.parent
    if parent_unit is None:
        raise ValidationError(_("%(unit)s has no parent unit, so its parent site cannot be determined")
                              % {"unit": org_unit.name})
    parent_site = Site.objects.filter(org_unit=parent_unit).first()
    if parent_site is None:
        raise ValidationError(_("The parent unit %(unit)s has no site yet; open the parent site first")
                              % {"unit": parent_unit.name})
    return parent_site


def check_parent(org_unit: OrgUnit, parent: Site | None) -> Site | None:
    expected = expected_parent_site(org_unit)
    if parent is not None and (expected is None or parent.pk != expected.pk):
        wanted = expected.name if expected else _("none (the provincial portal has no parent site)")
        raise ValidationError(
            _("Wrong parent site: the parent site of %(unit)s should be %(expected)s, not %(given)s")
            % {"unit": org_unit.name, "expected": wanted, "given": parent.name})
    return expected


def check_host_free(host: str, *, exclude_site: Site | None = None) -> str:
    host = normalize_host(host)
    if host == settings.JIYUE_CONSOLE_HOST:
        raise ValidationError(_("The domain %(host)s is the address of the platform console and cannot be used "
                                "for a site") % {"host": host})
    taken = Domain.objects.filter(domain=host)
    if exclude_site is not None:
        taken = taken.exclude(tenant=exclude_site)
    if taken.exists():
        raise ValidationError(_("The domain %(host)s is already used by another site") % {"host": host})
    return host


def _check_short_code_free(short_code: str, *, exclude_site: Site | None = None) -> None:
    validate_short_code(short_code)
    taken = Site.objects.filter(short_code=short_code)
    if exclude_site is not None:
        taken = taken.exclude(pk=exclude_site.pk)
    if taken.exists():
        raise ValidationError(_("The site code %(code)s is already taken") % {"code": short_code})


def _check_identity_code_free(identity_code: str, *, exclude_site: Site | None = None) -> None:
    validate_identity_code(identity_code)
    taken = Site.objects.filter(identity_code=identity_code)
    if exclude_site is not None:
        taken = taken.exclude(pk=exclude_site.pk)
    if taken.exists():
        raise ValidationError(_("The site identification code %(code)s is already taken") % {"code": identity_code})


@transaction.atomic
def apply_for_site(
    *, acting_user, org_unit: OrgUnit, name: str, short_code: str, hosts: list[str],
    sponsor: str, operator: str = "", identity_code: str | None = None, parent: Site | None = None,
    icp_number: str = "", psb_number: str = "", contact: dict | None = None,
) -> Site:
    """Register an application (开办申请) for a new site, status `applying`. A unit
    whose earlier application was rejected applies again on the same row (a unit has
    at most one site)."""
    check_unit_may_have_site(org_unit)
    parent = check_parent(org_unit, parent)
    earlier = Site.objects.select_for_update().filter(org_unit=org_unit, status=SiteStatus.REJECTED).first()
    _check_short_code_free(short_code, exclude_site=earlier)
    if identity_code:
        _check_identity_code_free(identity_code, exclude_site=earlier)
    if not hosts:
        raise ValidationError(_("At least one domain is required"))
    clean_hosts = []
    for host in hosts:
        host = check_host_free(host)
        if host in clean_hosts:
            raise ValidationError(_("The domain %(host)s is entered more than once") % {"host": host})
        clean_hosts.append(host)
    if not name.strip() or not sponsor.strip():
        raise ValidationError(_("The site name and the sponsor may not be empty"))
    fields = dict(
        name=name.strip(), short_code=short_code, schema_name=schema_name_for(short_code),
        level=org_unit.level,
        kind=SiteKind.PORTAL if org_unit.kind == OrgUnitKind.GOVERNMENT else SiteKind.DEPARTMENT,
        org_unit=org_unit, parent=parent, sponsor=sponsor.strip(), operator=operator.strip(),
        identity_code=identity_code or None, icp_number=icp_number, psb_number=psb_number,
        applied_by=acting_user if _is_user(acting_user) else None, approved_by=None, **(contact or {}),
    )
    if earlier is not None:
        site = earlier
        for field, value in fields.items():
            setattr(site, field, value)
        site.reapply()
    else:
        site = Site(status=SiteStatus.APPLYING, **fields)
    site.full_clean()
    try:
        with transaction.atomic():
            site.save()
            for index, host in enumerate(clean_hosts):
                Domain.objects.create(domain=host, tenant=site, is_primary=index == 0)
    except IntegrityError as exc:  # a concurrent application took a code or host
        raise ValidationError(_("The site code, the site identification code, the unit or a domain is already "
                                "taken: %(error)s") % {"error": exc}) from exc
    log_operation("apply_for_site", acting_user=acting_user, site=site, hosts=clean_hosts)
    return site


def _is_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


@transaction.atomic
def approve_site_application(site: Site, *, acting_user) -> Site:
    """Provincial approval. The approver holds the approver role and is not the applicant."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if not has_platform_role(acting_user, PlatformRole.APPROVER):
        raise PermissionDenied(_("Only provincial approvers can approve site applications"))
    if site.applied_by_id is not None and site.applied_by_id == acting_user.pk:
        raise PermissionDenied(_("You cannot approve an application you submitted yourself"))
    if site.status != SiteStatus.APPLYING:
        raise ValidationError(_("The site is “%(status)s”, so its application cannot be approved")
                              % {"status": site.get_status_display()})
    site.approve_application()
    site.approved_by = acting_user
    site.save(update_fields=["status", "approved_by", "updated_at"])
    log_operation("approve_site_application", acting_user=acting_user, site=site)
    return site


@transaction.atomic
def reject_site_application(site: Site, *, acting_user) -> Site:
    """The application was rejected or withdrawn: the site row stays (the unit may apply
    again on it), its domains are released for others."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    site.reject_application()
    site.save(update_fields=["status", "updated_at"])
    hosts = list(site.domains.values_list("domain", flat=True))
    site.domains.all().delete()
    log_operation("reject_site_application", acting_user=acting_user, site=site, before={"hosts": hosts})
    return site


@transaction.atomic
def replace_application_domains(site: Site, hosts: list[str], *, acting_user) -> list[str]:
    """A returned application's corrected domains (before approval only)."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    if site.status != SiteStatus.APPLYING:
        raise ValidationError(_("Domains of an approved site are changed through a change filing"))
    clean = []
    for host in hosts:
        host = check_host_free(host, exclude_site=site)
        if host in clean:
            raise ValidationError(_("The domain %(host)s is entered more than once") % {"host": host})
        clean.append(host)
    if not clean:
        raise ValidationError(_("At least one domain is required"))
    before = list(site.domains.values_list("domain", flat=True))
    site.domains.all().delete()
    for index, host in enumerate(clean):
        Domain.objects.create(domain=host, tenant=site, is_primary=index == 0)
    log_operation("replace_application_domains", acting_user=acting_user, site=site, before={"hosts": before},
                  after={"hosts": clean})
    return clean


@transaction.atomic
def update_site_info(site: Site, *, acting_user, **changes) -> Site:
    """File a change of basic information (变更备案). Codes are immutable once online."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    allowed = {"name", "sponsor", "operator", "icp_number", "psb_number", "short_code", "identity_code",
               "responsible_person", "contact_phone", "contact_email"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s")
                              % {"fields": ", ".join(sorted(unknown))})
    # The site code names the schema: fixed once provisioning starts. The 网站标识码 is
    # recorded up to go-live (a pre-launch site gets it), then fixed too.
    frozen_fields = {
        SiteStatus.APPLYING: (), SiteStatus.APPROVED: (), SiteStatus.REJECTED: (),
        SiteStatus.PROVISIONING: ("short_code", "schema_name"), SiteStatus.PRELAUNCH: ("short_code", "schema_name"),
    }.get(site.status, IMMUTABLE_ONCE_ONLINE)
    frozen = [f for f in frozen_fields if f in changes and changes[f] != getattr(site, f)]
    if frozen:
        raise ValidationError(
            _("Once a site is open, its site code and site identification code cannot be changed"))
    if "short_code" in changes and changes["short_code"] != site.short_code:
        _check_short_code_free(changes["short_code"], exclude_site=site)
        site.schema_name = schema_name_for(changes["short_code"])
    if changes.get("identity_code") and changes["identity_code"] != site.identity_code:
        _check_identity_code_free(changes["identity_code"], exclude_site=site)
    before = {field: getattr(site, field) for field in changes}
    for field, value in changes.items():
        setattr(site, field, value)
    site.full_clean()
    site.save()
    if "name" in changes and before["name"] != site.name and site.is_provisioned:
        _rename_site_tree(site)
    log_operation("update_site_info", acting_user=acting_user, site=site,
                  before={k: str(v) for k, v in before.items()}, after={k: str(v) for k, v in changes.items()})
    return site


def _rename_site_tree(site: Site) -> None:
    # The back office names the site on its root and home pages (tenants.columns).
    from django_tenants.utils import tenant_context

    from tenants.columns.services.site_tree import name_site_tree

    with tenant_context(site):
        name_site_tree(site.name)


@transaction.atomic
def change_primary_domain(site: Site, host: str, *, acting_user, redirect_days: int) -> Domain:
    """A domain change: the new host becomes primary; the old primary keeps answering
    with 301s to it for `redirect_days`, then is removed (tenants.lifecycle's beat)."""
    import datetime

    from django.utils import timezone

    site = Site.objects.select_for_update().get(pk=site.pk)
    host = check_host_free(host, exclude_site=site)
    old = site.domains.filter(is_primary=True).first()
    if old is not None and old.domain == host:
        raise ValidationError(_("%(host)s is already the site's primary domain") % {"host": host})
    until = timezone.localdate() + datetime.timedelta(days=redirect_days)
    site.domains.filter(is_primary=True).update(is_primary=False)
    if old is not None:
        Domain.objects.filter(pk=old.pk).update(redirect_until=until)
    domain, _created = Domain.objects.update_or_create(
        domain=host, defaults={"tenant": site, "is_primary": True, "redirect_until": None})
    log_operation("change_primary_domain", acting_user=acting_user, site=site,
                  before={"primary": old.domain if old else None},
                  after={"primary": host, "old_domain_redirects_until": until.isoformat()})
    return domain


@transaction.atomic
def retire_site(site: Site, *, acting_user) -> Site:
    """Permanently offline: its hosts redirect to the parent portal from now on."""
    site = Site.objects.select_for_update().get(pk=site.pk)
    before = site.status
    site.retire()
    site.save(update_fields=["status", "updated_at"])
    log_operation("retire_site", acting_user=acting_user, site=site, before={"status": before},
                  after={"status": site.status})
    return site


@transaction.atomic
def add_domain(site: Site, host: str, *, acting_user, primary: bool = False) -> Domain:
    host = check_host_free(host)
    if primary:
        site.domains.filter(is_primary=True).update(is_primary=False)
    domain = Domain.objects.create(domain=host, tenant=site, is_primary=primary)
    log_operation("add_domain", acting_user=acting_user, site=site, host=host, primary=primary)
    return domain


@transaction.atomic
def remove_domain(site: Site, host: str, *, acting_user) -> None:
    domain = site.domains.filter(domain=normalize_host(host)).first()
    if domain is None:
        raise ValidationError(_("The site %(site)s has no domain %(host)s") % {"site": site.name, "host": host})
    if domain.is_primary:
        raise ValidationError(_("The primary domain cannot be removed; make another domain primary first"))
    domain.delete()
    log_operation("remove_domain", acting_user=acting_user, site=site, host=host)


@transaction.atomic
def mark_site_provisioned(site: Site, *, acting_user=None, prelaunch: bool = False) -> Site:
    """Called when provisioning completes. A site opened through the lifecycle workflow
    becomes pre-launch (预上线): the security check and the opening announcement come
    before go-live (tenants.lifecycle.services.opening). A site ops register as an
    existing one goes online at once."""
    if prelaunch:
        site.finish_provisioning_prelaunch()
    else:
        site.finish_provisioning_online()
    site.save(update_fields=["status", "updated_at"])  # save(), so the host map hears of it
    log_operation("site_prelaunch" if prelaunch else "site_online", acting_user=acting_user, site=site)
    return site
