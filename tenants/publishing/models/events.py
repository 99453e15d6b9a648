"""The publish-event outbox: one row per page change in any site, written in the same
transaction as the change (tenants.publishing.signal_handlers), consumed by
tenants.publishing.services.outbox.dispatch_pending_events."""
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class EventKind(models.TextChoices):
    PUBLISH = "publish", "发布"
    UNPUBLISH = "unpublish", "取消发布"
    MOVE = "move", "移动"
    DELETE = "delete", "删除"


class EventStatus(models.TextChoices):
    PENDING = "pending", "待处理"
    PROCESSED = "processed", "已处理"
    FAILED = "failed", "处理失败"


class PublishEvent(models.Model):
    """A page of a site was published, unpublished, moved or deleted.

    Page and revision are plain ids: they live in the site's schema, and no foreign-key
    constraint crosses schemas. The payload is what the page looked like at the time
    (title, url_path, content type, parents of a move), so a consumer can act on a
    deleted page too. Pending events of one page are handed to the consumer in id
    order; an event whose handlers fail is retried (`next_attempt_at`) and ends
    `failed` after the maximum number of attempts."""

    site = models.ForeignKey(
        "registry.Site", verbose_name="网站", on_delete=models.PROTECT, related_name="publish_events"
    )
    page_id = models.IntegerField("页面ID")
    revision_id = models.IntegerField("版本ID", null=True, blank=True)
    kind = models.CharField("事件类型", max_length=20, choices=EventKind.choices)
    payload = models.JSONField("事件内容", default=dict, blank=True, encoder=DjangoJSONEncoder)
    status = models.CharField("状态", max_length=20, choices=EventStatus.choices, default=EventStatus.PENDING)
    created_at = models.DateTimeField("发生时间", auto_now_add=True)
    processed_at = models.DateTimeField("处理时间", null=True, blank=True)
    attempts = models.PositiveIntegerField("处理次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    next_attempt_at = models.DateTimeField("下次重试时间", null=True, blank=True)

    class Meta:
        verbose_name = "发布事件"
        verbose_name_plural = "发布事件"
        ordering = ["id"]
        indexes = [
            # The dispatcher's scan: pending events in id order.
            models.Index(fields=["id"], condition=models.Q(status="pending"), name="publishing_event_pending"),
            # "Is there an earlier pending event of this page?" (per-page order).
            models.Index(fields=["site", "page_id", "id"], condition=models.Q(status="pending"),
                         name="publishing_event_page_pending"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} 页面{self.page_id}（{self.site_id}）"
