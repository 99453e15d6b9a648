"""Notices to the people a lifecycle step concerns: in the console, and by e-mail
(Django's mail backend) after the transaction commits."""
from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiyue.identity.models import PlatformRole, PlatformRoleGrant, User
from tenants.registry.models import Level

from ..models import Notification


def reviewers_of(office) -> list[User]:
    """The approvers of a government's office (province-wide approvers for the province)."""
    if office.level == Level.PROVINCE:
        return province_approvers()
    grants = PlatformRoleGrant.objects.filter(role=PlatformRole.APPROVER, user__is_active=True, org_unit=office)
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))


def province_approvers() -> list[User]:
    """Who hears of escalations: the provincial office's approvers."""
    grants = PlatformRoleGrant.objects.filter(role=PlatformRole.APPROVER, user__is_active=True)
    grants = grants.filter(org_unit__isnull=True) | grants.filter(org_unit__level=Level.PROVINCE)
    return list(User.objects.filter(pk__in=grants.values("user_id")).order_by("pk"))


def notify(recipients, message: str, *, request=None, url: str = "") -> list[Notification]:
    """One notice per distinct recipient; the e-mails go out once the transaction commits."""
    if request is not None and not url:
        url = f"/lifecycle/requests/{request.pk}/"
    unique = {user.pk: user for user in recipients if user is not None}
    notices = [Notification(recipient=user, request=request, message=message[:300], url=url)
               for user in unique.values()]
    Notification.objects.bulk_create(notices)
    mails = [(_("[Jiyue] %(message)s") % {"message": message[:80]},
              f"{message}\n\nhttp://{settings.JIYUE_CONSOLE_HOST}{url}", None, [user.email])
             for user in unique.values() if user.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notices


def mark_read(user, notification_ids=None) -> int:
    notices = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        notices = notices.filter(pk__in=notification_ids)
    return notices.update(read_at=timezone.now())
