from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Page

from tenants.review.panels import ContentCheckPanel

from .base import ContentPage


class InterpretationKind(models.TextChoices):
    TEXT = "text", "文字解读"
    GRAPHIC = "graphic", "图解"
    VIDEO = "video", "视频解读"
    EXPERT = "expert", "专家解读"


class InterpretationPage(ContentPage):
    """政策解读, linked to the policy document it explains; each page shows the other."""

    # Nullable so that deleting a policy keeps its interpretations (they then say so).
    policy = models.ForeignKey("content.PolicyDocumentPage", verbose_name="所解读的政策文件", null=True,
                               blank=False, on_delete=models.SET_NULL, related_name="interpretations")
    kind = models.CharField("解读形式", max_length=20, choices=InterpretationKind.choices,
                            default=InterpretationKind.TEXT)
    interpreting_organ = models.CharField("解读机构", max_length=100, blank=True)
    summary = models.TextField("摘要", blank=True)

    checked_text_fields = [("title", "标题"), ("interpreting_organ", "解读机构"), ("summary", "摘要")]
    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        PageChooserPanel("policy", "content.PolicyDocumentPage"),
        MultiFieldPanel([FieldPanel("kind"), FieldPanel("interpreting_organ"), FieldPanel("publish_time")],
                        heading="解读信息"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    template = "content/interpretation_page.html"

    class Meta:
        verbose_name = "政策解读"
        verbose_name_plural = "政策解读"

    def clean(self):
        super().clean()
        if self.policy_id is None:
            raise ValidationError({"policy": "请选择所解读的政策文件"})
