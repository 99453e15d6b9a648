"""索引号: the site's rule (a Wagtail site setting), a counter per scope, and every
number ever issued, kept after its page is deleted so that none is issued twice."""
from django.db import models
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from ..lib.index_number_rules import DEFAULT_PATTERN, parse_rule


def validate_index_number_pattern(value):
    parse_rule(value)


@register_setting(icon="list-ol")
class IndexNumberSettings(BaseSiteSetting):
    pattern = models.CharField("索引号规则", max_length=100, default=DEFAULT_PATTERN,
                               validators=[validate_index_number_pattern],
                               help_text="占位符：{unit_code} 单位代码，{year} 年份，{month} 月份，"
                                         "{seq:5} 五位序号（必须有且只有一个）")
    unit_code = models.CharField("单位代码", max_length=32, blank=True,
                                 help_text="留空时使用本单位在平台登记的单位代码")

    panels = [
        HelpPanel(content="索引号在政策文件创建时生成，全站唯一，删除文件后也不会再次使用。"
                          "修改规则只影响此后生成的索引号。"),
        FieldPanel("pattern"),
        FieldPanel("unit_code"),
    ]

    class Meta:
        verbose_name = "索引号规则"


class IndexNumberCounter(models.Model):
    scope = models.CharField("范围", max_length=120, unique=True)
    last_value = models.PositiveIntegerField("最后序号", default=0)

    class Meta:
        verbose_name = "索引号计数器"


class IssuedIndexNumber(models.Model):
    number = models.CharField("索引号", max_length=140, unique=True)
    # Not a foreign key: the record outlives the page.
    page_id = models.BigIntegerField("页面", null=True, blank=True)
    issued_at = models.DateTimeField("生成时间", auto_now_add=True)

    class Meta:
        verbose_name = "已使用的索引号"
