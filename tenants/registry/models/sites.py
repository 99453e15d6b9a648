from django.conf import settings
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from ..validators import validate_identity_code, validate_short_code
from .org_units import Level


class SiteKind(models.TextChoices):
    PORTAL = "portal", "门户网站"
    DEPARTMENT = "department", "部门网站"


class SiteStatus(models.TextChoices):
    APPLYING = "applying", "申请中"
    APPROVED = "approved", "已批准"
    PROVISIONING = "provisioning", "开通中"
    ONLINE = "online", "已上线"
    TEMPORARILY_OFFLINE = "temporarily_offline", "临时下线"
    RETIRED = "retired", "永久下线"


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

    name = models.CharField("网站名称", max_length=100)
    short_code = models.CharField(
        "网站代号", max_length=40, unique=True, validators=[validate_short_code],
        help_text="小写字母、数字和下划线，用于后台地址 /s/<代号>/",
    )
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    kind = models.CharField("类型", max_length=20, choices=SiteKind.choices)
    org_unit = models.OneToOneField(
        "registry.OrgUnit", verbose_name="开办单位", on_delete=models.PROTECT, related_name="site"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级网站", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    sponsor = models.CharField("主办单位", max_length=100)
    operator = models.CharField("承办单位", max_length=100, blank=True)
    identity_code = models.CharField(
        "网站标识码", max_length=10, unique=True, null=True, blank=True, validators=[validate_identity_code]
    )
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    psb_number = models.CharField("公安机关备案号", max_length=50, blank=True)
    status = models.CharField("状态", max_length=30, choices=SiteStatus.choices, default=SiteStatus.APPLYING)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "网站"
        verbose_name_plural = "网站"
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
        verbose_name = "域名"
        verbose_name_plural = "域名"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(is_primary=True), name="registry_domain_one_primary"
            )
        ]

    def __str__(self):
        return self.domain
