"""The upload policy: what a site may publish as an image or a document, decided by the
file's content (tenants.media.lib.sniffing), never by its name alone.

In order, ``check_upload`` refuses:

1. a file over the size limit (documents ``JIYUE_UPLOAD_MAX_BYTES``, images
   ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``), or an empty one;
2. an executable (EXE/DLL, MSI, ELF, Mach-O, Java, APK, scripts...), and a ZIP with an
   executable inside, whatever the name;
3. an HTML page, whatever the name;
4. an SVG with scripts, event handlers, javascript: URLs, foreignObject or entities;
5. an extension outside the allow-list (``WAGTAILDOCS_EXTENSIONS`` /
   ``WAGTAILIMAGES_EXTENSIONS``, limited to the extensions known below);
6. content that is not what the extension says ("a .pdf that is really a ZIP"),
   naming what it really is.
"""
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

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
    "doc": "Word 文档", "xls": "Excel 表格", "ppt": "PowerPoint 演示文稿",
    "wps": "WPS 文字文档", "et": "WPS 表格", "dps": "WPS 演示文稿",
    "docx": "Word 文档", "xlsx": "Excel 表格", "pptx": "PowerPoint 演示文稿",
    "txt": "纯文本", "csv": "CSV 表格", "jpg": LABELS["jpeg"], "tif": LABELS["tiff"],
}

_DEFAULT_EXTENSIONS = {
    IMAGE: ["avif", "gif", "jpg", "jpeg", "png", "webp"],
    DOCUMENT: sorted(EXTENSION_CONTENT),
}
_NOUN = {IMAGE: "图片", DOCUMENT: "文件"}


@dataclass(frozen=True)
class UploadPolicy:
    kind: str

    @property
    def noun(self) -> str:
        return _NOUN[self.kind]

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
        types = "、".join(extension.upper() for extension in self.extensions)
        if self.max_bytes is None:
            return f"支持的类型：{types}。"
        return f"支持的类型：{types}；大小上限 {megabytes(self.max_bytes)} MB。"


def policy_for(kind: str) -> UploadPolicy:
    if kind not in _NOUN:
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
        return f"{policy.noun}过大，{policy.noun}大小上限为 {limit}。"
    return f"{policy.noun}过大（{megabytes(size)} MB），{policy.noun}大小上限为 {limit}，请压缩或拆分后再上传。"


def _spaced(label: str) -> str:
    """A space between Chinese text and a label that starts in Latin letters."""
    return f" {label}" if label[:1].isascii() else label


def check_upload(file, *, kind: str) -> Sniffed:
    """Refuses ``file`` with a ValidationError (Chinese message) unless the policy for
    ``kind`` ("image" or "document") allows it; returns what the file is. The file is
    left at position 0."""
    policy = policy_for(kind)
    name = os.path.basename(file.name or "")
    size = file.size
    if policy.max_bytes is not None and size is not None and size > policy.max_bytes:
        raise ValidationError(too_large_message(kind, size), code="file_too_large")
    if not size:
        raise ValidationError(f"“{name}”是空文件，不能上传。", code="empty_file")

    sniffed = sniff(file)
    if sniffed.is_executable:
        raise ValidationError(f"“{name}”实为{_spaced(sniffed.label)}，可执行程序不能上传。", code="executable")
    if sniffed.member:
        raise ValidationError(f"压缩包“{name}”内含可执行程序“{sniffed.member}”，不能上传。",
                              code="executable_in_archive")
    if sniffed.kind == "html":
        raise ValidationError(f"“{name}”实为 HTML 网页，网页文件不能作为{policy.noun}上传（无论扩展名是什么）。",
                              code="html")
    if sniffed.kind == "svg":
        file.seek(0)
        hazards = svg_hazards(file.read())
        file.seek(0)
        if hazards:
            raise ValidationError(f"SVG 文件“{name}”含有可执行内容：{'、'.join(hazards)}，不能上传。",
                                  code="unsafe_svg")

    stem, dot, extension = name.rpartition(".")
    extension = extension.lower() if dot and stem else ""
    if extension not in policy.extensions:
        allowed = "、".join(e.upper() for e in policy.extensions)
        shown = f"“.{extension}”" if extension else "没有扩展名的"
        raise ValidationError(f"不支持上传{shown}{policy.noun}。允许的类型：{allowed}。",
                              code="extension_not_allowed")
    if sniffed.kind not in EXTENSION_CONTENT[extension]:
        expected = EXTENSION_LABELS.get(extension) or LABELS.get(extension, extension.upper())
        raise ValidationError(
            f"文件内容与扩展名不符：“{name}”的扩展名表示{_spaced(expected)}，但内容实为{_spaced(sniffed.label)}。",
            code="content_mismatch")
    return sniffed
