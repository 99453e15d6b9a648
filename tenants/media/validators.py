"""The upload policy: what a site may publish as an image or a document, decided by the
file's content (tenants.media.lib.sniffing), never by its name alone.

In order, ``check_upload`` refuses:

1. a file over the size limit (documents ``JIYUE_UPLOAD_MAX_BYTES``, images
   ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``), or an empty one;
2. an executable (EXE/DLL, MSI, ELF, Mach-O, Java, APK, scripts...), and a ZIP with an
   executable inside, whatever the name;
3. an HTML page, whatever the name;
4. an SVG with scripts, event handlers, javascript: URLs, foreignObject or entities;
5. an Office or WPS document with macros (VBA, Excel 4.0 macro sheets), whatever the
   name (tenants.media.lib.macros), and one whose structure cannot be checked for them;
6. an extension outside the allow-list (``WAGTAILDOCS_EXTENSIONS`` /
   ``WAGTAILIMAGES_EXTENSIONS``, limited to the extensions known below);
7. content that is not what the extension says ("a .pdf that is really a ZIP"),
   naming what it really is.

Messages are in the active language (Simplified Chinese by default); each is a whole
sentence per kind of upload ("image" or "document"), so that every language can word it.
"""
import os
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .lib.macros import UNREADABLE, VBA, XLM, find_macros
from .lib.sniffing import LABELS, Sniffed, sniff
from .lib.svg import svg_hazards

MB = 1024 * 1024

IMAGE = "image"
DOCUMENT = "document"

# The content kinds (tenants.media.lib.sniffing) accepted under each extension.
EXTENSION_CONTENT = {
    "pdf": {"pdf"},
    "ofd": {"ofd"},
    # Word saves RTF under .doc too; WPS's own formats are OLE2 (older) or OOXML (newer).
    "doc": {"ole", "rtf"},
    "xls": {"ole"},
    "ppt": {"ole"},
    "wps": {"ole", "docx", "rtf"},
    "et": {"ole", "xlsx"},
    "dps": {"ole", "pptx"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "txt": {"text"},
    "csv": {"text"},
    # Office and OFD documents are ZIP files underneath.
    "zip": {"zip", "docx", "xlsx", "pptx", "ofd"},
    "rar": {"rar"},
    "7z": {"7z"},
    "png": {"png"},
    "jpg": {"jpeg"},
    "jpeg": {"jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "avif": {"avif"},
    "bmp": {"bmp"},
    "tif": {"tiff"},
    "tiff": {"tiff"},
    "svg": {"svg"},
}

# What the editor expects a file with this extension to be.
EXTENSION_LABELS = {
    "doc": _("a Word document"), "xls": _("an Excel spreadsheet"), "ppt": _("a PowerPoint presentation"),
    "wps": _("a WPS Writer document"), "et": _("a WPS spreadsheet"), "dps": _("a WPS presentation"),
    "docx": _("a Word document"), "xlsx": _("an Excel spreadsheet"), "pptx": _("a PowerPoint presentation"),
    "txt": _("plain text"), "csv": _("a CSV spreadsheet"), "jpg": LABELS["jpeg"], "tif": LABELS["tiff"],
}

# What tenants.media.lib.macros found, for the refusal message.
MACRO_LABELS = {VBA: _("macros (VBA)"), XLM: _("Excel 4.0 macros (XLM)")}

_DEFAULT_EXTENSIONS = {
    IMAGE: ["avif", "gif", "jpg", "jpeg", "png", "webp"],
    DOCUMENT: sorted(EXTENSION_CONTENT),
}

# The messages that name the kind of upload, one sentence per kind.
_MESSAGES = {
    IMAGE: {
        "too_large": _("The image is too large; the maximum size of an image is %(limit)s."),
        "too_large_size": _("The image is too large (%(size)s MB); the maximum size of an image is %(limit)s. "
                            "Please compress or split it and upload it again."),
        "html": _("“%(name)s” is actually an HTML page; web pages cannot be uploaded as images "
                  "(whatever the extension)."),
        "extension": _("Images of type “.%(extension)s” cannot be uploaded. Allowed types: %(allowed)s."),
        "no_extension": _("Images without an extension cannot be uploaded. Allowed types: %(allowed)s."),
    },
    DOCUMENT: {
        "too_large": _("The document is too large; the maximum size of a document is %(limit)s."),
        "too_large_size": _("The document is too large (%(size)s MB); the maximum size of a document is "
                            "%(limit)s. Please compress or split it and upload it again."),
        "html": _("“%(name)s” is actually an HTML page; web pages cannot be uploaded as documents "
                  "(whatever the extension)."),
        "extension": _("Documents of type “.%(extension)s” cannot be uploaded. Allowed types: %(allowed)s."),
        "no_extension": _("Documents without an extension cannot be uploaded. Allowed types: %(allowed)s."),
    },
}


@dataclass(frozen=True)
class UploadPolicy:
    kind: str

    def message(self, key: str, /, **values) -> str:
        """The message ``key`` of _MESSAGES for this kind of upload, filled in."""
        return _interpolate(str(_MESSAGES[self.kind][key]), values)

    @property
    def max_bytes(self) -> int | None:
        if self.kind == IMAGE:
            return getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * MB)
        return settings.JIYUE_UPLOAD_MAX_BYTES

    @property
    def extensions(self) -> list[str]:
        setting = "WAGTAILIMAGES_EXTENSIONS" if self.kind == IMAGE else "WAGTAILDOCS_EXTENSIONS"
        configured = getattr(settings, setting, None) or _DEFAULT_EXTENSIONS[self.kind]
        # An extension whose content this module cannot check is not allowed.
        return [extension.lower() for extension in configured if extension.lower() in EXTENSION_CONTENT]

    def describe(self) -> str:
        """One line for help texts: the allowed types and the size limit."""
        types = _join(extension.upper() for extension in self.extensions)
        if self.max_bytes is None:
            return gettext("Supported types: %(types)s.") % {"types": types}
        return gettext("Supported types: %(types)s; maximum size %(size)s MB.") % {
            "types": types, "size": megabytes(self.max_bytes)}


def policy_for(kind: str) -> UploadPolicy:
    if kind not in _MESSAGES:
        raise ValueError(f"unknown upload kind: {kind!r}")
    return UploadPolicy(kind)


def megabytes(size: int) -> str:
    """A size in MB for messages: "50", "1.5", at least "0.01"."""
    text = f"{size / MB:.2f}".rstrip("0").rstrip(".")
    return text if text != "0" else "0.01"


def too_large_message(kind: str, size: int | None) -> str:
    policy = policy_for(kind)
    limit = f"{megabytes(policy.max_bytes)} MB"
    if size is None:
        return policy.message("too_large", limit=limit)
    return policy.message("too_large_size", size=megabytes(size), limit=limit)


def _join(items) -> str:
    return pgettext("list separator", ", ").join(str(item) for item in items)


# A placeholder right after a Chinese character.
_AFTER_HANZI = re.compile(r"(?<=[\u4e00-\u9fff])%\((\w+)\)s")


def _interpolate(message: str, values: dict) -> str:
    """``message % values``, with a space between a Chinese character and a value that
    follows it and starts in Latin letters (a label such as "PNG ..."), as Chinese
    typography has it. English messages are left as they are."""

    def spaced(match):
        return (" " if str(values[match.group(1)])[:1].isascii() else "") + match.group(0)

    return _AFTER_HANZI.sub(spaced, message) % values


def check_upload(file, *, kind: str) -> Sniffed:
    """Refuses ``file`` with a ValidationError (translated message) unless the policy for
    ``kind`` ("image" or "document") allows it; returns what the file is. The file is
    left at position 0."""
    policy = policy_for(kind)
    name = os.path.basename(file.name or "")
    size = file.size
    if policy.max_bytes is not None and size is not None and size > policy.max_bytes:
        raise ValidationError(too_large_message(kind, size), code="file_too_large")
    if not size:
        raise ValidationError(gettext("“%(name)s” is an empty file and cannot be uploaded.") % {"name": name},
                              code="empty_file")

    sniffed = sniff(file)
    if sniffed.is_executable:
        message = gettext("“%(name)s” is actually %(label)s; executable programs cannot be uploaded.")
        raise ValidationError(_interpolate(message, {"name": name, "label": sniffed.label}), code="executable")
    if sniffed.member:
        message = gettext("The archive “%(name)s” contains the executable program “%(member)s” "
                          "and cannot be uploaded.")
        raise ValidationError(message % {"name": name, "member": sniffed.member}, code="executable_in_archive")
    if sniffed.kind == "html":
        raise ValidationError(policy.message("html", name=name), code="html")
    if sniffed.kind == "svg":
        file.seek(0)
        hazards = svg_hazards(file.read())
        file.seek(0)
        if hazards:
            message = gettext("The SVG file “%(name)s” contains executable content: %(hazards)s; "
                              "it cannot be uploaded.")
            raise ValidationError(message % {"name": name, "hazards": _join(hazards)}, code="unsafe_svg")
    macros = find_macros(file, sniffed.kind)
    if macros is not None and macros.kind == UNREADABLE:
        message = gettext("“%(name)s” could not be checked for macros because its structure is damaged or unusual; "
                          "for safety it cannot be uploaded. Please open it in Office or WPS, save it again (for "
                          "example as %(format)s or PDF) and upload it again.")
        raise ValidationError(_interpolate(message, {"name": name, "format": macros.save_as}),
                              code="macros_not_checkable")
    if macros is not None:
        message = gettext("“%(name)s” contains %(macros)s; for safety it cannot be uploaded. Please save it as a "
                          "document without macros (such as %(format)s or PDF) and upload it again.")
        values = {"name": name, "macros": str(MACRO_LABELS[macros.kind]), "format": macros.save_as}
        raise ValidationError(_interpolate(message, values), code="macros")

    stem, dot, extension = name.rpartition(".")
    extension = extension.lower() if dot and stem else ""
    if extension not in policy.extensions:
        allowed = _join(e.upper() for e in policy.extensions)
        if extension:
            message = policy.message("extension", extension=extension, allowed=allowed)
        else:
            message = policy.message("no_extension", allowed=allowed)
        raise ValidationError(message, code="extension_not_allowed")
    if sniffed.kind not in EXTENSION_CONTENT[extension]:
        expected = EXTENSION_LABELS.get(extension) or LABELS.get(extension, extension.upper())
        message = gettext("The content does not match the extension: the extension of “%(name)s” indicates "
                          "%(expected)s, but the content is %(actual)s.")
        raise ValidationError(_interpolate(message, {"name": name, "expected": expected, "actual": sniffed.label}),
                              code="content_mismatch")
    return sniffed
