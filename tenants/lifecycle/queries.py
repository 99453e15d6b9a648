"""Reads of the site lifecycle, and the permission-checked lookups (`access_*`) that the
console and the API share. A lookup that the person may not make raises Http404, so
that nothing tells them whether the request or site exists."""
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jiyue.identity.models import PlatformRole, SiteRole
from jiyue.identity.queries import (approver_unit_ids, has_platform_role, has_province_role, is_platform_staff,
                                    roles_on_site)
from tenants.registry.models import Level, OrgUnit, Site

from .lib.chain import units_below
from .models import LifecycleRequest, Notification, ReviewStep, StepState


def scoped_unit_ids(user) -> set[int] | None:
    """The units whose sites and requests a person oversees: None means all (the
    provincial office, ops); an office's approver sees the units under that office."""
    if is_platform_staff(user):
        return None
    ids: set[int] = set()
    for unit_id in approver_unit_ids(user) - {None}:
        ids.update(units_below(OrgUnit.objects.get(pk=unit_id)))
    return ids


def visible_requests(user, *, within_unit=None):
    """Requests the person may read: their own, those under the offices they review for,
    all for the provincial office and ops; `within_unit` narrows to a unit's subtree
    (an API token's scope)."""
    requests = LifecycleRequest.objects.select_related("site", "org_unit", "applicant")
    scope = scoped_unit_ids(user)
    if scope is not None:
        requests = requests.filter(Q(applicant=user) | Q(org_unit_id__in=scope))
    if within_unit is not None:
        requests = requests.filter(org_unit_id__in=units_below(within_unit))
    return requests


def access_request(user, request_id, *, within_unit=None) -> LifecycleRequest:
    try:
        return visible_requests(user, within_unit=within_unit).get(pk=int(request_id))
    except (LifecycleRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("The request does not exist")) from None


def visible_sites(user, *, within_unit=None):
    sites = Site.objects.select_related("org_unit", "parent")
    scope = scoped_unit_ids(user)
    if scope is not None:
        # Also the sites they administer, and those they applied for (an applicant follows
        # their site through opening).
        administered = Site.objects.filter(role_grants__user=user, role_grants__role=SiteRole.SITE_ADMIN)
        applied = LifecycleRequest.objects.filter(applicant=user).values("site_id")
        sites = sites.filter(Q(org_unit_id__in=scope) | Q(pk__in=administered.values("pk")) | Q(pk__in=applied))
    if within_unit is not None:
        sites = sites.filter(org_unit_id__in=units_below(within_unit))
    return sites


def access_lifecycle_site(user, short_code, *, within_unit=None) -> Site:
    """A site whose lifecycle the person may see: overseen by their office, or one they
    administer."""
    try:
        return visible_sites(user, within_unit=within_unit).get(short_code=short_code)
    except Site.DoesNotExist:
        raise Http404(_("The site does not exist")) from None


def pending_reviews(user):
    """Pending steps this person may decide (the same rule as services.requests.may_review,
    in one query), never on their own requests."""
    if not user.is_authenticated or not user.is_active:
        return ReviewStep.objects.none()
    offices = Q(office_id__in=approver_unit_ids(user) - {None})
    if has_province_role(user, PlatformRole.APPROVER):
        offices |= Q(office__level=Level.PROVINCE)
    return ReviewStep.objects.filter(offices, state=StepState.PENDING).exclude(request__applicant=user)


def review_queue(user):
    """Pending steps this person may decide, oldest due first, with `is_overdue`."""
    today = timezone.localdate()
    steps = list(pending_reviews(user)
                 .select_related("request__site", "request__org_unit", "request__applicant", "office")
                 .order_by("due_date", "started_at"))
    for step in steps:
        step.is_overdue = step.due_date is not None and step.due_date < today
    return steps


def requests_of(user):
    return LifecycleRequest.objects.filter(applicant=user).select_related("site", "org_unit")


def unread_notifications(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def site_timeline(site):
    """Everything that happened to a site, oldest first (the operation log)."""
    from jiyue.audit.models import OperationLog

    return OperationLog.objects.filter(site=site).select_related("acting_user").order_by("created_at", "id")


def hierarchy(user):
    """The org tree the person oversees, each unit with its site and the number of sites
    per status beneath it: [(unit, depth, site, counts)] in tree order."""
    scope = scoped_unit_ids(user)
    units = list(OrgUnit.objects.order_by("name"))
    if scope is not None:
        units = [unit for unit in units if unit.pk in scope]
    site_of = {site.org_unit_id: site for site in Site.objects.filter(org_unit__in=units)}
    children: dict[int | None, list[OrgUnit]] = {}
    present = {unit.pk for unit in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in present else None
        children.setdefault(parent, []).append(unit)
    order = {Level.PROVINCE: 0, Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3}
    rows = []

    def walk(unit, depth):
        below = [unit]
        position = len(rows)
        rows.append(None)
        for child in sorted(children.get(unit.pk, []), key=lambda u: (u.kind != "government", order[u.level], u.name)):
            below.extend(walk(child, depth + 1))
        counts: dict[str, int] = {}
        for member in below:
            site = site_of.get(member.pk)
            if site is not None:
                counts[site.status] = counts.get(site.status, 0) + 1
        rows[position] = (unit, depth, site_of.get(unit.pk), counts)
        return below

    for root in sorted(children.get(None, []), key=lambda u: (order[u.level], u.name)):
        walk(root, 0)
    return rows


def status_counts(sites) -> dict[str, int]:
    return dict(sites.values_list("status").annotate(count=Count("id")).values_list("status", "count"))


def may_manage_site_roles(user, site) -> bool:
    return has_platform_role(user, PlatformRole.OPS) or SiteRole.SITE_ADMIN in roles_on_site(user, site)
