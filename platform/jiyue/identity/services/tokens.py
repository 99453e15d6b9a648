"""API tokens of one site (the library API, shared_library/reposting/api). A token acts
as its user, and only on its site: the services check what the user may do there, the
API refuses any other site with a 403. Ops staff or the site's administrator issue and
revoke them; `acting_user=None` is the command line on the server
(`jiyue issue_site_api_token`). The plain key is returned once; only its SHA-256 is
stored (as for the lifecycle API's unit tokens, tenants.lifecycle.services.tokens)."""
import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiyue.audit.services import log_operation

from ..models import PlatformRole, SiteApiToken, SiteRole
from ..queries import can_enter_site, has_platform_role, roles_on_site

KEY_PREFIX = "jys_"
PREFIX_LENGTH = 8
# last_used_at is written at most this often per token (one UPDATE, not one per call).
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _check_may_manage_tokens(acting_user, site) -> str:
    """Refuses unless the person may manage the site's tokens; returns the role they act in."""
    if acting_user is None:  # the command line on the server
        return _("system")
    if has_platform_role(acting_user, PlatformRole.OPS):
        return PlatformRole.OPS.label
    if SiteRole.SITE_ADMIN in roles_on_site(acting_user, site):
        return SiteRole.SITE_ADMIN.label
    raise PermissionDenied(_("Only ops staff or an administrator of this site can issue or revoke its API tokens"))


def _audit(token) -> dict:
    return {"token": token.pk, "name": token.name, "prefix": token.prefix, "user": token.user.username,
            "site": token.site.short_code}


@transaction.atomic
def issue_site_api_token(*, acting_user, user, site, name: str) -> tuple[SiteApiToken, str]:
    """A new token of `site` acting as `user` (who must hold a role on the site).
    Returns the token and its plain key; the key is not stored and cannot be shown again."""
    role = _check_may_manage_tokens(acting_user, site)
    name = (name or "").strip()
    max_length = SiteApiToken._meta.get_field("name").max_length
    if not name:
        raise ValidationError(_("Give the API token a name (the system that will use it)"))
    if len(name) > max_length:
        raise ValidationError(_("The API token name is too long (at most %(max)d characters)") % {"max": max_length})
    if not user.is_active:
        raise ValidationError(_("%(user)s is deactivated and cannot have an API token") % {"user": user.username})
    if not can_enter_site(user, site.pk):
        raise ValidationError(_("%(user)s holds no role on %(site)s: a site's API token acts as one of its users")
                              % {"user": user.username, "site": site.name})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = SiteApiToken.objects.create(name=name, user=user, site=site, prefix=key[:PREFIX_LENGTH],
                                        key_hash=hash_key(key), created_by=acting_user)
    log_operation("issue_site_api_token", acting_user=acting_user, site=site, role=role, after=_audit(token))
    return token, key


@transaction.atomic
def revoke_site_api_token(token: SiteApiToken, *, acting_user) -> SiteApiToken:
    """The token stops working at once (its next call gets a 401)."""
    token = SiteApiToken.objects.select_for_update(of=("self",)).select_related("user", "site").get(pk=token.pk)
    role = _check_may_manage_tokens(acting_user, token.site)
    if token.revoked_at is not None:
        raise ValidationError(_("The API token “%(name)s” was already revoked on %(date)s")
                              % {"name": token.name, "date": timezone.localdate(token.revoked_at)})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    log_operation("revoke_site_api_token", acting_user=acting_user, site=token.site, role=role,
                  after=_audit(token))
    return token


def find_site_api_token(key: str) -> SiteApiToken | None:
    """The live token of this key, with its user and site (None if unknown or revoked)."""
    return (SiteApiToken.objects.select_related("user", "site")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True).first())


def note_site_token_use(token: SiteApiToken) -> None:
    """Record when a token was last used: one UPDATE at most per LAST_USED_PRECISION,
    no audit row (every call would write one)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        SiteApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
