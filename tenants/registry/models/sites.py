from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition
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
    REJECTED = "rejected", _("Application not approved")
    APPROVED = "approved", pgettext_lazy("site registry", "Approved")
    PROVISIONING = "provisioning", pgettext_lazy("site registry", "Opening")
    PRELAUNCH = "prelaunch", _("Pre-launch")
    ONLINE = "online", pgettext_lazy("site registry", "Online")
    TEMPORARILY_OFFLINE = "temporarily_offline", _("Temporarily offline")
    RETIRED = "retired", _("Permanently offline")


# Statuses in which the site's schema exists and its back office can be opened.
PROVISIONED_STATUSES = {SiteStatus.PRELAUNCH, SiteStatus.ONLINE, SiteStatus.TEMPORARILY_OFFLINE}
S = SiteStatus


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
    # The allowed changes of status are the transitions below, declared once; the
    # services of tenants.registry, tenants.provisioning and tenants.lifecycle call them.
    status = FSMField(pgettext_lazy("site registry", "status"), max_length=30,
                      choices=SiteStatus.choices, default=SiteStatus.APPLYING)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
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

    # -- status transitions (django-fsm-2); callers save the site afterwards --------
    @transition(field=status, source=[S.APPLYING, S.REJECTED], target=S.APPLYING)
    def reapply(self):
        """A unit applies again after a rejection or a withdrawal (the row is reused:
        a unit has at most one site)."""

    @transition(field=status, source=S.APPLYING, target=S.REJECTED)
    def reject_application(self):
        pass

    @transition(field=status, source=S.APPLYING, target=S.APPROVED)
    def approve_application(self):
        pass

    @transition(field=status, source=[S.APPROVED, S.PROVISIONING], target=S.PROVISIONING)
    def start_provisioning(self):
        pass

    @transition(field=status, source=[S.APPROVED, S.PROVISIONING], target=S.PRELAUNCH)
    def finish_provisioning_prelaunch(self):
        """Opened through the lifecycle workflow: editors work, the public waits for
        the security check and go-live."""

    @transition(field=status, source=[S.APPROVED, S.PROVISIONING], target=S.ONLINE)
    def finish_provisioning_online(self):
        """Registered by ops as an existing site (already checked and announced)."""

    @transition(field=status, source=S.PRELAUNCH, target=S.ONLINE)
    def go_live(self):
        pass

    @transition(field=status, source=S.ONLINE, target=S.TEMPORARILY_OFFLINE)
    def take_offline(self):
        pass

    @transition(field=status, source=S.TEMPORARILY_OFFLINE, target=S.ONLINE)
    def bring_back(self):
        pass

    @transition(field=status, source=[S.ONLINE, S.TEMPORARILY_OFFLINE, S.PRELAUNCH], target=S.RETIRED)
    def retire(self):
        pass

    @property
    def is_provisioned(self) -> bool:
        return self.status in PROVISIONED_STATUSES

    @property
    def primary_host(self) -> str | None:
        domain = self.domains.filter(is_primary=True).first()
        return domain.domain if domain else None


class Domain(DomainMixin):
    """A host name a site answers on (www.<city>.gov.cn and its aliases). After a
    domain change the old host stays until `redirect_until`, answering with 301s to
    the primary host."""

    redirect_until = models.DateField(_("redirects to the primary domain until"), null=True, blank=True)

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
