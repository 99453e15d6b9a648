from django.core.exceptions import ValidationError
from django.db import models, transaction
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from shared_library.taxonomy.standard_lists import GENRE, TOPIC
from tenants.checks.engine import CheckedField
from tenants.review.panels import ContentCheckPanel

from ..forms import PolicyDocumentForm
from ..panels import LinkedInterpretationsPanel
from .base import ContentPage


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"


def _term_field(taxonomy_code, verbose_name):
    # Terms live in the public schema (shared library); no FK constraint crosses schemas.
    return models.ForeignKey(
        "taxonomy.Term", verbose_name=verbose_name, on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"taxonomy__code": taxonomy_code, "is_active": True},
        error_messages={"invalid": f"{verbose_name}不存在或已停用，请从列表中选择",
                        "invalid_choice": f"{verbose_name}不存在或已停用，请从列表中选择"},
    )


class PolicyDocumentPage(ContentPage):
    """政策文件 with the metadata of government information disclosure."""

    index_number = models.CharField("索引号", max_length=140, unique=True, blank=True,
                                    help_text="保存时按本站索引号规则自动生成")
    issuing_organ = models.CharField("发布机构", max_length=100)
    document_number = models.CharField("发文字号", max_length=100, blank=True)
    written_date = models.DateField("成文日期")
    publish_date = models.DateField("发布日期")
    topic = _term_field(TOPIC, "主题分类")
    genre = _term_field(GENRE, "体裁分类")
    validity = models.CharField("有效性", max_length=10, choices=Validity.choices, default=Validity.VALID)
    superseded_by = models.ForeignKey("self", verbose_name="修改或废止它的文件", null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="supersedes")

    checked_text_fields = [("title", "标题"), ("issuing_organ", "发布机构"), ("document_number", "发文字号")]
    search_fields = ContentPage.search_fields + [index.SearchField("document_number"),
                                                 index.FilterField("index_number")]
    # A copy is a new document: it gets its own 索引号.
    exclude_fields_in_copy = ["index_number"]

    content_panels = [ContentCheckPanel()] + Page.content_panels + [
        MultiFieldPanel([
            FieldPanel("index_number", read_only=True),
            FieldRowPanel([FieldPanel("issuing_organ"), FieldPanel("document_number")]),
            FieldRowPanel([FieldPanel("written_date"), FieldPanel("publish_date")]),
            FieldRowPanel([FieldPanel("topic"), FieldPanel("genre")]),
            FieldRowPanel([FieldPanel("validity"), PageChooserPanel("superseded_by", "content.PolicyDocumentPage")]),
        ], heading="公开属性"),
        FieldPanel("body"),
        InlinePanel("attachments", label="附件", heading="附件"),
        LinkedInterpretationsPanel(),
    ]
    template = "content/policy_document_page.html"
    base_form_class = PolicyDocumentForm

    class Meta:
        verbose_name = "政策文件"
        verbose_name_plural = "政策文件"

    def clean(self):
        super().clean()
        errors = {}
        if self.validity == Validity.VALID and self.superseded_by_id:
            errors["superseded_by"] = "有效的文件不应链接替代文件"
        if self.validity == Validity.AMENDED and not self.superseded_by_id:
            errors["superseded_by"] = "已修改的文件须链接修改它的文件"
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = "文件不能被自身替代"
        if self.written_date and self.publish_date and self.written_date > self.publish_date:
            errors["publish_date"] = "发布日期不能早于成文日期"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.index_number:
            return super().save(*args, **kwargs)
        from ..services.index_numbers import allocate_index_number, attach_index_number

        # One transaction: a failed save gives the number back, so numbers stay sequential.
        with transaction.atomic():
            self.index_number = allocate_index_number()
            result = super().save(*args, **kwargs)
            attach_index_number(self.index_number, page_id=self.pk)
        return result

    def content_check_fields(self) -> list[CheckedField]:
        attachments = [CheckedField(key=f"attachments.{index}", label=f"附件名称（第{index + 1}个）",
                                    text=attachment.title)
                       for index, attachment in enumerate(self.attachments.all()) if attachment.title]
        return super().content_check_fields() + attachments

    def live_interpretations(self):
        return self.interpretations.live().order_by("-publish_time")


class PolicyAttachment(Orderable):
    page = ParentalKey(PolicyDocumentPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey("wagtaildocs.Document", verbose_name="文件", on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField("显示名称", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def display_title(self):
        return self.title or self.document.title
