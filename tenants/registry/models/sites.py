from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tenants.models import DomainMixin, TenantMixin

from ..validators import validate_identity_code, validate_short_code
from .org_units import Level

# Labels that are common English words carry a context: all apps' catalogues share one
# namespace, and ours come before Wagtail's, which translates "site" differently.


class SiteKind(models.TextChoices):
    PORTAL = "portal", pgettext_lazy("site registry", "Portal")
    DEPARTMENT = "department", _("Department site")


class SiteStatus(models.TextChoices):
    APPLYING = "applying", _("Application pending")
    APPROVED = "approved", pgettext_lazy("site registry", "Approved")
    PROVISIONING = "provisioning", pgettext_lazy("site registry", "Opening")
    ONLINE = "online", pgettext_lazy("site registry", "Online")
    TEMPORARILY_OFFLINE = "temporarily_offline", _("Temporarily offline")
    RETIRED = "retired", _("Permanently offline")


# Statuses in which the site's schema exists and its back office can be opened.
PROVISIONED_STATUSES = {SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE}


class Site(TenantMixin):
    """A government website: a tenant with its own PostgreSQL schema.

    Writes go through tenants.registry.services.sites, which enforces the rules of
    DESIGN.md (one site per unit, no county-department or township sites, immutable
    codes once online)."""

    # Schemas are created by cloning the template (tenants.provisioning), never by
    # django-tenants' save() hook, and never dropped by a delete.
    auto_create_schema = False
    auto_drop_schema = False

    name = models.CharField(pgettext_lazy("site registry", "site name"), max_length=100)
    short_code = models.CharField(
        _("site code"), max_length=40, unique=True, validators=[validate_short_code],
        help_text=_("Lowercase letters, digits and underscores; the back-office address is /s/ followed by the site code"),
    )
    level = models.CharField(pgettext_lazy("site registry", "level"), max_length=20, choices=Level.choices)
    kind = models.CharField(pgettext_lazy("site registry", "type"), max_length=20, choices=SiteKind.choices)
    org_unit = models.OneToOneField(
        "registry.OrgUnit", verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="site"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent site"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    sponsor = models.CharField(pgettext_lazy("site registry", "sponsor"), max_length=100)
    operator = models.CharField(pgettext_lazy("site registry", "operator"), max_length=100, blank=True)
    identity_code = models.CharField(
        _("site identification code"), max_length=10, unique=True, null=True, blank=True,
        validators=[validate_identity_code],
    )
    icp_number = models.CharField(_("ICP filing number"), max_length=50, blank=True)
    psb_number = models.CharField(_("public security filing number"), max_length=50, blank=True)
    status = models.CharField(pgettext_lazy("site registry", "status"), max_length=30,
                              choices=SiteStatus.choices, default=SiteStatus.APPLYING)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("site registry", "applicant"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=pgettext_lazy("site registry", "approved by"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("site registry", "site")
        verbose_name_plural = pgettext_lazy("site registry", "sites")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    @property
    def is_provisioned(self) -> bool:
        return self.status in PROVISIONED_STATUSES

    @property
    def primary_host(self) -> str | None:
        domain = self.domains.filter(is_primary=True).first()
        return domain.domain if domain else None


class Domain(DomainMixin):
    """A host name a site answers on (www.<city>.gov.cn and its aliases)."""

    class Meta:
        verbose_name = pgettext_lazy("site registry", "domain")
        verbose_name_plural = pgettext_lazy("site registry", "domains")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_primary=True), name="registry_domain_one_primary"
            )
        ]

    def __str__(self):
        return self.domain
