"""One account per person, in the public schema, with roles granted per site and
platform-wide (统一身份认证).

Wagtail reads permissions through ``user.groups`` and ``Group.user_set``; the groups
of a site live in that site's schema. So the two permission relations of the user go
through tables of the tenant app ``tenants.access``: the same query finds the groups
of whatever site the request is in, and nothing of any other site."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class User(AbstractUser):
    groups = models.ManyToManyField(
        Group, through="siteaccess.GroupMembership", blank=True,
        related_name="user_set", related_query_name="user", verbose_name=_("site groups"),
    )
    user_permissions = models.ManyToManyField(
        Permission, through="siteaccess.UserPermissionGrant", blank=True,
        related_name="user_set", related_query_name="user", verbose_name=_("site permissions"),
    )

    # The unit the person works for: an applicant applies for this unit's site.
    org_unit = models.ForeignKey("registry.OrgUnit", verbose_name=_("unit"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="members")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self) -> str:
        # Chinese order: family name first, no space.
        return f"{self.last_name}{self.first_name}".strip()


class SiteRole(models.TextChoices):
    SITE_ADMIN = "site_admin", _("Site administrator")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")


# Roles that touch content; a site administrator may hold none of them on the same
# site (separation of system administration from content work).
CONTENT_ROLES = frozenset({SiteRole.EDITOR, SiteRole.REVIEWER})


class PlatformRole(models.TextChoices):
    APPROVER = "approver", _("Provincial approver")
    OPS = "ops", _("Ops staff")


class SiteRoleGrant(models.Model):
    """A person's role on one site. The source of truth; the Wagtail group membership
    in the site's schema is derived from it by jiyue.identity.services.roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_grants")
    site = models.ForeignKey("registry.Site", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=SiteRole.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("site role grant")
        verbose_name_plural = _("site role grants")
        constraints = [models.UniqueConstraint(fields=["user", "site", "role"], name="identity_site_grant_unique")]

    def __str__(self):
        return f"{self.user} @ {self.site}: {self.get_role_display()}"


class PlatformRoleGrant(models.Model):
    """A platform role. An approver's grant may be scoped to a government (its office
    reviews lifecycle requests of the units under it); unscoped means province-wide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="platform_grants")
    role = models.CharField(_("role"), max_length=20, choices=PlatformRole.choices)
    org_unit = models.ForeignKey("registry.OrgUnit", verbose_name=_("for unit"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("platform role grant")
        verbose_name_plural = _("platform role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(org_unit__isnull=True),
                                    name="identity_platform_grant_unique"),
            models.UniqueConstraint(fields=["user", "role", "org_unit"], condition=models.Q(org_unit__isnull=False),
                                    name="identity_platform_grant_unit_unique"),
        ]


class SiteApiToken(models.Model):
    """An API token of one site (the library API, shared_library.reposting.api): it acts
    as its user, on that site only. Only a hash of the key is stored; the key itself is
    shown once, by jiyue.identity.services.tokens.issue_site_api_token."""

    name = models.CharField(pgettext_lazy("api token", "name"), max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_api_tokens")
    site = models.ForeignKey("registry.Site", verbose_name=pgettext_lazy("api token", "site"),
                             on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("site API token")
        verbose_name_plural = _("site API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.name})"
