"""Wagtail's image and document forms with uploads checked by content (filled in by the media work)."""
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm


class SiteImageForm(BaseImageForm):
    pass


class SiteDocumentForm(BaseDocumentForm):
    pass
