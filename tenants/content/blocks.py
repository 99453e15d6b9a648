"""The body of articles, policy documents, interpretations and announcements."""
from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "superscript",
                      "subscript"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    # Required: screen readers read it (无障碍).
    alt = blocks.CharBlock(label="替代文字", max_length=200, help_text="描述图片内容，供读屏软件朗读（必填）")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "content/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="附件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "content/blocks/attachment.html"


class VideoLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label="视频地址")
    title = blocks.CharBlock(label="视频标题", max_length=200)

    class Meta:
        icon = "media"
        label = "视频链接"
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["url"].lower().startswith(("https://", "http://")):
            raise blocks.StructBlockValidationError({"url": ValidationError("视频地址必须以 http:// 或 https:// 开头")})
        return value


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="正文", features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    table = TableBlock(label="表格", table_options={"language": "zh-cn"})
    attachment = AttachmentBlock()
    video = VideoLinkBlock()

    class Meta:
        label = "正文"
