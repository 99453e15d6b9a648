from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡镇"


# Which level sits directly above each level (a county reports to a city, ...).
PARENT_LEVEL = {Level.CITY: Level.PROVINCE, Level.COUNTY: Level.CITY, Level.TOWNSHIP: Level.COUNTY}


class OrgUnitKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"


class OrgUnit(models.Model):
    """A government or one of its departments. Governments form the hierarchy
    province -> city -> county -> township; a department hangs under its government
    and shares its level."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=OrgUnitKind.choices)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # 统一社会信用代码 or another stable code the province uses for the unit.
    code = models.CharField("单位代码", max_length=32, unique=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["level", "name"]

    def __str__(self):
        return self.name

    @property
    def government(self) -> "OrgUnit":
        """The government this unit belongs to (itself for a government)."""
        return self if self.kind == OrgUnitKind.GOVERNMENT else self.parent
