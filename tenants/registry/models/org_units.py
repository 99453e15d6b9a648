from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Labels that are common English words carry a context: all apps' catalogues share one
# namespace, and ours come before Wagtail's, which translates "site" differently.


class Level(models.TextChoices):
    PROVINCE = "province", pgettext_lazy("site registry", "Provincial")
    CITY = "city", pgettext_lazy("site registry", "City")
    COUNTY = "county", pgettext_lazy("site registry", "County")
    TOWNSHIP = "township", pgettext_lazy("site registry", "Township")


# Which level sits directly above each level (a county reports to a city, ...).
PARENT_LEVEL = {Level.CITY: Level.PROVINCE, Level.COUNTY: Level.CITY, Level.TOWNSHIP: Level.COUNTY}


class OrgUnitKind(models.TextChoices):
    GOVERNMENT = "government", _("People's government")
    DEPARTMENT = "department", _("Government department")


class OrgUnit(models.Model):
    """A government or one of its departments. Governments form the hierarchy
    province -> city -> county -> township; a department hangs under its government
    and shares its level."""

    name = models.CharField(pgettext_lazy("site registry", "name"), max_length=100)
    kind = models.CharField(pgettext_lazy("site registry", "type"), max_length=20, choices=OrgUnitKind.choices)
    level = models.CharField(pgettext_lazy("site registry", "level"), max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # 统一社会信用代码 or another stable code the province uses for the unit.
    code = models.CharField(_("unit code"), max_length=32, unique=True)

    class Meta:
        verbose_name = pgettext_lazy("site registry", "unit")
        verbose_name_plural = pgettext_lazy("site registry", "units")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    @property
    def government(self) -> "OrgUnit":
        """The government this unit belongs to (itself for a government)."""
        return self if self.kind == OrgUnitKind.GOVERNMENT else self.parent
