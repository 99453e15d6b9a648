"""API tokens of a province's OA system (tenants.lifecycle.api). A token acts as its
user, only within its org unit's subtree. The provincial office (a province-wide
approver) or a superuser issues and revokes them; `acting_user=None` is the command
line on the server (`jiyue issue_api_token`), as for granting platform roles. The
plain key is returned once by `issue_api_token`; only its SHA-256 is stored."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation
from jiyue.identity.models import PlatformRole
from jiyue.identity.queries import has_province_role

from ..models import UnitApiToken
from ..models.tokens import PREFIX_LENGTH, hash_key

# last_used_at is written at most this often per token (one UPDATE, not one per call).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def _check_may_manage_tokens(acting_user) -> None:
    if acting_user is None:  # the command line on the server
        return
    if acting_user.is_superuser or has_province_role(acting_user, PlatformRole.APPROVER):
        return
    raise PermissionDenied(_("Only the provincial office (a province-wide approver) can issue or revoke API tokens"))


def _role(acting_user) -> str:
    return _("system") if acting_user is None else _("provincial office")


def _audit(token) -> dict:
    return {"token": token.pk, "name": token.name, "prefix": token.prefix, "user": token.user.username,
            "unit": token.org_unit.code}


@transaction.atomic
def issue_api_token(*, acting_user, user, org_unit, name: str) -> tuple[UnitApiToken, str]:
    """A new token for `user`, limited to `org_unit` and the units under it. Returns the
    token and its plain key; the key is not stored and cannot be shown again."""
    _check_may_manage_tokens(acting_user)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Give the API token a name (the system that will use it)"))
    if len(name) > UnitApiToken._meta.get_field("name").max_length:
        raise ValidationError(_("The API token name is too long (at most %(max)d characters)")
                              % {"max": UnitApiToken._meta.get_field("name").max_length})
    if not user.is_active:
        raise ValidationError(_("%(user)s is deactivated and cannot have an API token") % {"user": user.username})
    key = UnitApiToken.new_key()
    token = UnitApiToken.objects.create(name=name, user=user, org_unit=org_unit, prefix=key[:PREFIX_LENGTH],
                                        key_hash=hash_key(key), created_by=acting_user)
    log_operation("issue_api_token", acting_user=acting_user, role=_role(acting_user), after=_audit(token))
    return token, key


@transaction.atomic
def revoke_api_token(token: UnitApiToken, *, acting_user) -> UnitApiToken:
    """The token stops working at once (its next call gets a 401)."""
    _check_may_manage_tokens(acting_user)
    token = UnitApiToken.objects.select_for_update(of=("self",)).select_related("user", "org_unit").get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("The API token “%(name)s” was already revoked on %(date)s")
                              % {"name": token.name, "date": timezone.localdate(token.revoked_at)})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_operation("revoke_api_token", acting_user=acting_user, role=_role(acting_user), after=_audit(token))
    return token


def note_token_use(token: UnitApiToken) -> None:
    """Record when a token was last used: one UPDATE at most per LAST_USED_PRECISION,
    no audit row (every call of the OA system would write one)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        UnitApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
