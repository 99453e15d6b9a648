"""Wagtail's image and document forms with uploads checked by content
(tenants.media.validators). Settings make them the base of every image/document form
Wagtail builds (WAGTAILIMAGES_IMAGE_FORM_BASE, WAGTAILDOCS_DOCUMENT_FORM_BASE), so the
single and multiple upload views, the choosers' upload tabs and "replace file" on the
edit views all refuse with the same message."""
from functools import cache

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .validators import DOCUMENT, IMAGE, check_upload, policy_for, too_large_message


class _ContentCheckedFileMixin:
    """Runs check_upload before the field's own cleaning, so our message comes first (and
    Wagtail's image field never opens an executable with the imaging library)."""

    upload_kind: str

    def to_python(self, data):
        if isinstance(data, UploadedFile):
            check_upload(data, kind=self.upload_kind)
        return super().to_python(data)


@cache
def _checked_field_class(field_class, kind):
    return type(f"ContentChecked{field_class.__name__}", (_ContentCheckedFileMixin, field_class),
                {"upload_kind": kind})


def _check_file_field(form, kind):
    field = form.fields.get("file")
    if field is None:  # the multiple uploader's metadata form has no file field
        return
    # Wagtail builds the file field through its own formfield callback; keep that field
    # (label, widget, limits) and give it the content check.
    field.__class__ = _checked_field_class(type(field), kind)
    field.help_text = policy_for(kind).describe()
    # Shown by Wagtail's multiple uploader when the browser already sees the file is too big.
    field.error_messages["file_too_large_unknown_size"] = too_large_message(kind, None)


class SiteImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check_file_field(self, IMAGE)


class SiteDocumentForm(BaseDocumentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check_file_field(self, DOCUMENT)
