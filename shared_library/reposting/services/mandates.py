"""Mandatory reposts (必转): issuing one, a target site accepting it (by hand or
automatically), the issuer's compliance view, reminders before the deadline and the
overdue report.

《政府网站发展指引》 asks lower sites to repost the key information of the government above
them promptly; the province's rule is 12 hours, the default deadline here
(`JIYUE_MANDATE_DEADLINE_HOURS`)."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole, SiteRoleGrant
from shared_library.resources.models import ResourceStatus
from tenants.lifecycle.lib.chain import units_below
from tenants.registry.models.sites import Site, SiteKind, SiteStatus

from ..models import Mandate, MandatePreference, MandateTarget, RepostMode, RepostStatus
from ..rules import COLUMN_TYPES_FOR
from .reposts import ACCEPTED_BY_MANDATE, RepostRefused, may_repost_into, repost

DEFAULT_DEADLINE_HOURS = 12
REMIND_BEFORE = datetime.timedelta(hours=2)


class Compliance:
    ON_TIME = "on_time"
    LATE = "late"
    PENDING = "pending"
    IN_REVIEW = "in_review"
    MISSING = "missing"

    LABELS = {
        ON_TIME: pgettext_lazy("mandate compliance", "Reposted in time"),
        LATE: pgettext_lazy("mandate compliance", "Reposted late"),
        PENDING: pgettext_lazy("mandate compliance", "Not yet reposted"),
        IN_REVIEW: pgettext_lazy("mandate compliance", "In review"),
        MISSING: pgettext_lazy("mandate compliance", "Missing after the deadline"),
    }
    OVERDUE = {LATE, MISSING}


@dataclass(frozen=True)
class TargetState:
    target: MandateTarget
    state: str
    reposted_at: datetime.datetime | None

    @property
    def label(self) -> str:
        return str(Compliance.LABELS[self.state])

    @property
    def overdue(self) -> bool:
        return self.state in Compliance.OVERDUE


def deadline_hours() -> int:
    return getattr(settings, "JIYUE_MANDATE_DEADLINE_HOURS", DEFAULT_DEADLINE_HOURS)


def sites_below(issuer_site):
    """The sites an issuer may mandate: every provisioned site of the units under the
    issuer's government, the issuer excluded."""
    # The router's site object may carry only the routing fields: read the unit here.
    unit = Site.objects.select_related("org_unit__parent").get(pk=issuer_site.pk).org_unit
    government = unit.government
    return Site.objects.filter(org_unit_id__in=units_below(government), status=SiteStatus.ONLINE) \
        .exclude(pk=issuer_site.pk).select_related("org_unit").order_by("org_unit__level", "name")


def issue_mandate(resource, *, issuer_site, target_sites, column_type: str, acting_user,
                  deadline: datetime.datetime | None = None, mode: str = RepostMode.REFERENCE,
                  note: str = "") -> Mandate:
    issuer_site = Site.objects.get(pk=issuer_site.pk)
    if issuer_site.kind != SiteKind.PORTAL:
        raise RepostRefused(_("Only a portal can mandate reposts for the sites below it."))
    if acting_user is not None and not may_repost_into(acting_user, issuer_site):
        raise RepostRefused(_("You are not an editor of %(site)s.") % {"site": issuer_site.name})
    if resource.site_id != issuer_site.pk:
        raise RepostRefused(_("A site can only mandate its own items."))
    if resource.status != ResourceStatus.LIVE or not resource.is_valid:
        raise RepostRefused(_("“%(title)s” is not published and cannot be mandated.") % {"title": resource.title})
    if column_type not in COLUMN_TYPES_FOR.get(resource.content_type, ()):
        raise RepostRefused(_("Items of this type cannot go into columns of the chosen type."))
    if mode not in RepostMode.values:
        raise RepostRefused(_("Unknown repost mode “%(mode)s”.") % {"mode": mode})
    targets = list(target_sites)
    if not targets:
        raise RepostRefused(_("Choose at least one site the repost is mandatory for."))
    allowed = set(sites_below(issuer_site).values_list("pk", flat=True))
    outside = [site.name for site in targets if site.pk not in allowed]
    if outside:
        raise RepostRefused(_("These sites are not below %(issuer)s and cannot be mandated: %(sites)s.")
                            % {"issuer": issuer_site.name, "sites": "、".join(outside)})
    deadline = deadline or timezone.now() + datetime.timedelta(hours=deadline_hours())
    if deadline <= timezone.now():
        raise RepostRefused(_("The deadline must be in the future."))
    with transaction.atomic():
        mandate = Mandate.objects.create(resource=resource, issuer_site=issuer_site, column_type=column_type,
                                         mode=mode, deadline=deadline, note=note[:200], created_by=acting_user)
        MandateTarget.objects.bulk_create([MandateTarget(mandate=mandate, site=site) for site in targets])
        _link_existing_reposts(mandate)
        transaction.on_commit(lambda: _send_auto_accept(mandate.pk), robust=True)
    return mandate


def accept_mandate(target: MandateTarget, *, acting_user, column_id: int | None = None, mode: str | None = None):
    """The target site reposts the mandated item: by an editor from the queue (through the
    site's review, like any repost), or automatically (acting_user None: published at
    once, `RepostAcceptance` reason "mandate")."""
    mandate = target.mandate
    if column_id is None:
        column_id = default_column_id(target.site, mandate.column_type)
        if column_id is None:
            raise RepostRefused(_("%(site)s has no column of the type this repost is mandated into.")
                                % {"site": target.site.name})
    record = repost(mandate.resource, target_site=target.site, column_id=column_id, mode=mode or mandate.mode,
                    acting_user=acting_user, accept_reason=ACCEPTED_BY_MANDATE if acting_user is None else None)
    target.refresh_from_db()
    return record


def auto_accept(mandate_id: int) -> int:
    """Repost the mandate into every target site that accepts mandates automatically;
    each in its own transaction. Returns how many were reposted. Safe to run again."""
    mandate = Mandate.objects.select_related("resource__site").get(pk=mandate_id)
    done = 0
    targets = MandateTarget.objects.filter(mandate=mandate, repost__isnull=True,
                                           site__mandate_preference__auto_accept=True).select_related("site")
    for target in targets:
        target.mandate = mandate
        try:
            accept_mandate(target, acting_user=None)
            done += 1
        except RepostRefused:
            continue  # left in the site's queue, where an editor sees why
    return done


def default_column_id(site, column_type: str) -> int | None:
    from tenants.columns.models import ColumnPage

    with tenant_context(site):
        return ColumnPage.objects.filter(column_type=column_type).order_by("path") \
            .values_list("pk", flat=True).first()


def link_repost(record) -> None:
    """A repost of a mandated item (whatever way it was made) counts for its mandates."""
    MandateTarget.objects.filter(mandate__resource_id=record.resource_id, site_id=record.target_site_id) \
        .exclude(repost__status__in=[RepostStatus.LIVE, RepostStatus.IN_REVIEW]).update(repost=record)


def states(mandate, *, now=None) -> list[TargetState]:
    """Each target site's compliance with the mandate, in the issuer's order."""
    now = now or timezone.now()
    targets = mandate.targets.select_related("site", "repost").order_by("site__org_unit__level", "site__name")
    return [states_of_target(target, now=now, mandate=mandate) for target in targets]


def states_of_target(target, *, now=None, mandate=None) -> TargetState:
    mandate = mandate or target.mandate
    now = now or timezone.now()
    record = target.repost
    reposted_at = record.published_at if record and record.status == RepostStatus.LIVE else None
    if reposted_at is not None:
        state = Compliance.ON_TIME if reposted_at <= mandate.deadline else Compliance.LATE
    elif now > mandate.deadline:
        state = Compliance.MISSING
    elif record is not None and record.status == RepostStatus.IN_REVIEW:
        state = Compliance.IN_REVIEW
    else:
        state = Compliance.PENDING
    return TargetState(target=target, state=state, reposted_at=reposted_at)


def summary(rows: list[TargetState]) -> dict[str, int]:
    counts = {state: 0 for state in Compliance.LABELS}
    for row in rows:
        counts[row.state] += 1
    return counts


def queue_for(site):
    """The mandates a site has to repost, soonest deadline first (done ones after)."""
    return MandateTarget.objects.filter(site=site).select_related(
        "mandate__resource__site", "mandate__issuer_site", "repost").order_by("repost_id", "mandate__deadline")


def set_auto_accept(site, value: bool, *, acting_user) -> MandatePreference:
    if acting_user is not None and not acting_user.is_superuser and not SiteRoleGrant.objects.filter(
            user=acting_user, site=site, role=SiteRole.SITE_ADMIN).exists():
        raise RepostRefused(_("Only the site administrator can change this setting."))
    preference, _created = MandatePreference.objects.update_or_create(
        site=site, defaults={"auto_accept": value, "updated_by": acting_user})
    return preference


def send_reminders(*, now=None) -> int:
    """Remind the editors of each target site that has not reposted a mandate whose
    deadline is less than REMIND_BEFORE away, once per target. Returns how many sites."""
    from tenants.lifecycle.services.notifications import notify

    now = now or timezone.now()
    due = MandateTarget.objects.filter(reminded_at__isnull=True, mandate__deadline__gt=now,
                                       mandate__deadline__lte=now + REMIND_BEFORE) \
        .exclude(repost__status=RepostStatus.LIVE).select_related("mandate__resource", "site")
    sent = 0
    for target in due:
        with transaction.atomic():
            locked = MandateTarget.objects.select_for_update(skip_locked=True).filter(
                pk=target.pk, reminded_at__isnull=True).first()
            if locked is None:
                continue
            editors = [grant.user for grant in SiteRoleGrant.objects.filter(
                site=target.site, role=SiteRole.EDITOR, user__is_active=True).select_related("user")]
            deadline = timezone.localtime(target.mandate.deadline).strftime("%Y-%m-%d %H:%M")
            notify(editors, _("Mandatory repost due by %(deadline)s: “%(title)s” has not been reposted on "
                              "%(site)s yet.") % {"deadline": deadline, "title": target.mandate.resource.title,
                                                 "site": target.site.name},
                   url=f"/s/{target.site.short_code}/admin/library/mandates/")
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            sent += 1
    return sent


def _link_existing_reposts(mandate) -> None:
    from ..models import Repost

    for record in Repost.objects.filter(resource=mandate.resource, status__in=[RepostStatus.LIVE,
                                                                               RepostStatus.IN_REVIEW]):
        MandateTarget.objects.filter(mandate=mandate, site_id=record.target_site_id, repost__isnull=True) \
            .update(repost=record)


def _send_auto_accept(mandate_id: int) -> None:
    from ..tasks import auto_accept_mandate

    auto_accept_mandate.delay(mandate_id)
