"""The body of articles, policy documents, interpretations and announcements."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "document-link", "superscript",
                      "subscript"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    # Required: screen readers read it (无障碍).
    alt = blocks.CharBlock(label=_("Alternative text"), max_length=200,
                           help_text=_("Describe what the image shows, for screen readers (required)"))
    caption = blocks.CharBlock(label=_("Image caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class AttachmentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Attachment"))
    title = blocks.CharBlock(label=_("Display name"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Attachment")
        template = "content/blocks/attachment.html"


class VideoLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Video title"), max_length=200)

    class Meta:
        icon = "media"
        label = _("Video link")
        template = "content/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if not value["url"].lower().startswith(("https://", "http://")):
            raise blocks.StructBlockValidationError({"url": ValidationError(
                _("The video URL must start with http:// or https://"))})
        return value


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Body text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    table = TableBlock(label=_("Table"), table_options={"language": "zh-cn"})
    attachment = AttachmentBlock()
    video = VideoLinkBlock()

    class Meta:
        label = _("Body")
