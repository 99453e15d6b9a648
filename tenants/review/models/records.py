from django.conf import settings
from django.db import models


class SecrecyReview(models.Model):
    """保密审查: who confirmed, and when, that this revision is 不涉密."""

    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.CASCADE, related_name="secrecy_reviews",
                                 verbose_name="版本")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+",
                                 verbose_name="审查人")
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    conclusion = models.CharField("结论", max_length=20, default="不涉密", editable=False)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "保密审查记录"
        verbose_name_plural = "保密审查记录"
        ordering = ["-confirmed_at"]


class ContentCheckRecord(models.Model):
    """The content checks of one revision, and who acknowledged its warnings."""

    revision = models.OneToOneField("wagtailcore.Revision", on_delete=models.CASCADE, related_name="check_record",
                                    verbose_name="版本")
    report = models.JSONField("检查结果")
    blocking_count = models.PositiveIntegerField("禁止项", default=0)
    warning_count = models.PositiveIntegerField("提示项", default=0)
    checked_at = models.DateTimeField("检查时间", auto_now=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+",
                                        null=True, blank=True, verbose_name="确认人")
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "内容检查记录"
        verbose_name_plural = "内容检查记录"

    @property
    def passes(self) -> bool:
        return self.blocking_count == 0 and (self.warning_count == 0 or self.acknowledged_at is not None)
