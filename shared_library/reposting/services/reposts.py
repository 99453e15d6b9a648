"""Reposting (转载): one service function per change, called by the back office, the
API, subscriptions and mandates alike.

A repost makes a page in a column of the target site (tenants.reposts.services.pages) and
records it here, in one transaction across the two schemas (one database). It goes
through the target site's review workflow, unless the column accepts the source site
directly (ColumnPage.accept_reposts_from, set by the site administrator) or the caller
accepts it on the site's behalf (a mandate the site auto-accepts)."""
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole, SiteRoleGrant
from shared_library.resources.models import Resource, ResourceStatus
from tenants.registry.models.sites import PROVISIONED_STATUSES

from ..models import Repost, RepostMode, RepostStatus
from ..rules import COPYABLE_TYPES, column_takes


class RepostRefused(Exception):
    """A repost that cannot be made; the message says why, in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadyReposted(RepostRefused):
    """The item is already reposted where it was asked to go (the API answers 409)."""


@dataclass(frozen=True)
class BulkResult:
    reposts: list
    refusals: list  # (resource, message)
    already_there: set  # ids of the refused resources that are already in the column


# Why a repost was published without the target site's review (RepostAcceptance.reason).
ACCEPTED_BY_COLUMN = "column"
ACCEPTED_BY_MANDATE = "mandate"


def repost(resource: Resource, *, target_site, column_id: int, mode: str, acting_user,
           accept_reason: str | None = None) -> Repost:
    """Repost `resource` into column `column_id` of `target_site`. `acting_user` must be
    an editor of the target site; None is the platform itself (subscriptions, mandates
    a site auto-accepts)."""
    _check_request(resource, target_site=target_site, mode=mode, acting_user=acting_user)
    from tenants.columns.models import ColumnPage
    from tenants.reposts.services import pages

    with transaction.atomic(), tenant_context(target_site):
        # Locks the resource row: a withdrawal being ingested waits for this repost, and
        # this repost sees the withdrawal that committed first.
        locked = Resource.objects.select_for_update().select_related("site").get(pk=resource.pk)
        if locked.status != ResourceStatus.LIVE or not locked.is_valid:
            raise RepostRefused(_("“%(title)s” has been withdrawn at its source and can no longer be reposted.")
                                % {"title": locked.title})
        column = ColumnPage.objects.filter(pk=column_id).first()
        if column is None:
            raise RepostRefused(_("Column %(id)s does not exist on %(site)s.") % {"id": column_id,
                                                                                  "site": target_site.name})
        if not column_takes(column.column_type, locked.content_type):
            raise RepostRefused(
                _("Column “%(column)s” is a “%(type)s” column and does not take items of type “%(kind)s”.") % {
                    "column": column.title, "type": column.get_column_type_display(),
                    "kind": locked.get_content_type_label()})
        if Repost.objects.filter(resource=locked, target_site=target_site, column_id=column_id) \
                .exclude(status=RepostStatus.REMOVED).exists():
            raise AlreadyReposted(_("“%(title)s” is already reposted in column “%(column)s”.")
                                  % {"title": locked.title, "column": column.title})
        if accept_reason is None and column.accept_reposts_from.filter(pk=locked.site_id).exists():
            accept_reason = ACCEPTED_BY_COLUMN
        if mode == RepostMode.COPY:
            page = pages.create_copy_page(column, locked, user=acting_user)
        else:
            page = pages.create_reference_page(column, locked, mode, user=acting_user)
        record = Repost.objects.create(
            resource=locked, source_site_id=locked.site_id, target_site=target_site, column_id=column.pk,
            page_id=page.pk, mode=mode, created_by=acting_user, accepted_directly=accept_reason is not None,
            status=RepostStatus.LIVE if accept_reason else RepostStatus.IN_REVIEW,
            published_at=timezone.now() if accept_reason else None)
        from .mandates import link_repost

        link_repost(record)
        if accept_reason:
            pages.publish_accepted(page, resource=locked, reason=accept_reason)
        else:
            from tenants.review.services.submission import submit_for_review

            # The platform (a subscription) submits with no user: the site's reviewers
            # see it in their queue like any submission.
            submit_for_review(page, acting_user=acting_user)
    return record


def repost_many(resources, **kwargs) -> BulkResult:
    """Bulk repost: each item in its own transaction, so that one refusal (already
    there, withdrawn meanwhile) does not undo the others; every refusal is reported."""
    done, refused, already = [], [], set()
    for resource in resources:
        try:
            done.append(repost(resource, **kwargs))
        except RepostRefused as refusal:
            refused.append((resource, refusal.message))
            if isinstance(refusal, AlreadyReposted):
                already.add(resource.pk)
    return BulkResult(reposts=done, refusals=refused, already_there=already)


def _check_request(resource, *, target_site, mode, acting_user) -> None:
    if mode not in RepostMode.values:
        raise RepostRefused(_("Unknown repost mode “%(mode)s”.") % {"mode": mode})
    if target_site.status not in PROVISIONED_STATUSES:
        raise RepostRefused(_("%(site)s is not open and cannot receive reposts.") % {"site": target_site.name})
    if resource.site_id == target_site.pk:
        raise RepostRefused(_("An item cannot be reposted into its own site."))
    if mode == RepostMode.COPY and resource.content_type not in COPYABLE_TYPES:
        raise RepostRefused(_("An interpretation can only be reposted by link or live reference: a copy would "
                              "need a policy of your own site to interpret."))
    if acting_user is not None and not may_repost_into(acting_user, target_site):
        raise RepostRefused(_("You are not an editor of %(site)s.") % {"site": target_site.name})


def may_repost_into(user, site) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or SiteRoleGrant.objects.filter(user=user, site=site, role=SiteRole.EDITOR).exists()
