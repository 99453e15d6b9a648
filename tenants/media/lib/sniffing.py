"""What an uploaded file is, from its bytes alone; its name is never consulted here.

libmagic (through python-magic) names the content; a few checks of our own make the
answer independent of the libmagic version and look where libmagic does not:

- executables are recognised by their own signatures first (MZ, ELF, Mach-O, Java
  class, shebang, DEX, WebAssembly, Windows shortcut), whatever libmagic says;
- a ZIP is opened (its directory only, nothing is decompressed) to tell Word/Excel/
  PowerPoint (OOXML) and OFD documents, Java and Android packages apart, and to find
  executables packed inside;
- an OLE2 compound file (Office 97-2003, WPS) is checked for the MSI installer class;
- text is read from its start to tell HTML, SVG and other XML apart, the way browsers
  sniff HTML (WHATWG MIME Sniffing, "identifying a resource with an unknown MIME type").

The policy (which kinds are allowed under which extension) is in tenants.media.validators.
"""
import re
import uuid
import zipfile
from dataclasses import dataclass

import magic
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

HEAD_BYTES = 64 * 1024

LABELS = {
    "pdf": _("a PDF document"),
    "ofd": _("an OFD document"),
    "ole": _("an Office 97-2003 or WPS document"),
    "rtf": _("an RTF document"),
    "docx": _("a Word document (.docx)"),
    "xlsx": _("an Excel spreadsheet (.xlsx)"),
    "pptx": _("a PowerPoint presentation (.pptx)"),
    "zip": _("a ZIP archive"),
    "rar": _("a RAR archive"),
    "7z": _("a 7z archive"),
    "text": _("plain text"),
    "png": _("a PNG image"),
    "jpeg": _("a JPEG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "avif": _("an AVIF image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "svg": _("an SVG vector image"),
    "html": _("an HTML page"),
    "xml": _("an XML document"),
    # Executables: refused whatever the file is called.
    "pe": _("a Windows executable (EXE/DLL)"),
    "msi": _("a Windows installer (MSI)"),
    "lnk": _("a Windows shortcut"),
    "elf": _("a Linux executable (ELF)"),
    "macho": _("a macOS executable (Mach-O)"),
    "java": _("a Java program (.class)"),
    "jar": _("a Java package (JAR)"),
    "apk": _("an Android installer (APK)"),
    "dex": _("an Android program (DEX)"),
    "wasm": _("a WebAssembly program"),
    "script": _("a script"),
}

EXECUTABLE_KINDS = frozenset({"pe", "msi", "lnk", "elf", "macho", "java", "jar", "apk", "dex", "wasm", "script"})

# Names inside a ZIP that run when double-clicked after unpacking.
EXECUTABLE_MEMBER_EXTENSIONS = frozenset({
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "msc", "bat", "cmd", "ps1", "psm1", "vbs", "vbe",
    "js", "jse", "wsf", "wsh", "hta", "lnk", "reg", "jar", "apk", "sh", "app", "dmg", "elf", "run",
})

_MIME_KINDS = {
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "zip",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "zip",
    "application/x-rar": "rar",
    "application/vnd.rar": "rar",
    "application/x-rar-compressed": "rar",
    "application/x-7z-compressed": "7z",
    "application/x-ole-storage": "ole",
    "application/cdfv2": "ole",
    "application/msword": "ole",
    "application/vnd.ms-excel": "ole",
    "application/vnd.ms-powerpoint": "ole",
    "application/vnd.ms-office": "ole",
    "application/x-msi": "msi",
    "application/x-ms-installer": "msi",
    "application/x-ms-shortcut": "lnk",
    "application/x-dosexec": "pe",
    "application/vnd.microsoft.portable-executable": "pe",
    "application/x-msdownload": "pe",
    "application/x-executable": "elf",
    "application/x-sharedlib": "elf",
    "application/x-pie-executable": "elf",
    "application/x-object": "elf",
    "application/x-mach-binary": "macho",
    "application/x-java-applet": "java",
    "application/java-archive": "jar",
    "application/vnd.android.package-archive": "apk",
    "application/wasm": "wasm",
    "application/javascript": "script",
    "text/javascript": "script",
    "text/x-shellscript": "script",
    "text/x-msdos-batch": "script",
    "application/x-bat": "script",
    "text/x-php": "script",
    "text/x-perl": "script",
    "text/x-ruby": "script",
    "text/x-lua": "script",
    "text/x-tcl": "script",
    "text/x-awk": "script",
    "text/rtf": "rtf",
    "application/rtf": "rtf",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "image/svg+xml": "svg",
    "text/xml": "xml",
    "application/xml": "xml",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/avif": "avif",
    "image/bmp": "bmp",
    "image/x-ms-bmp": "bmp",
    "image/tiff": "tiff",
}

# Used when libmagic has no answer (or a different libmagic version gives another one).
_SIGNATURES = [
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"{\\rtf", "rtf"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
]

# MSI, MSP and MST files are OLE2 compound files whose root storage has one of these classes.
_MSI_CLASSES = frozenset(uuid.UUID(value).bytes_le for value in (
    "000c1084-0000-0000-c000-000000000046", "000c1086-0000-0000-c000-000000000046",
    "000c1082-0000-0000-c000-000000000046"))


@dataclass(frozen=True)
class Sniffed:
    kind: str  # a key of LABELS, or "unknown"
    mime: str  # libmagic's MIME type
    description: str  # libmagic's description
    member: str = ""  # for a ZIP: the first executable found inside, by name

    @property
    def label(self) -> str:
        """What the file is, for messages (in the active language)."""
        if self.kind in LABELS:
            return str(LABELS[self.kind])
        return gettext("unrecognized content (%(description)s)") % {"description": self.description}

    @property
    def is_executable(self) -> bool:
        return self.kind in EXECUTABLE_KINDS


def sniff(file) -> Sniffed:
    """What ``file`` (a Django File/UploadedFile or any seekable binary file) is.
    Reads from the start and leaves the file at position 0."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    mime = magic.from_buffer(head, mime=True)
    description = magic.from_buffer(head)
    kind = (_executable_signature(head) or _MIME_KINDS.get(mime.lower()) or _signature(head)
            or _text_kind(mime) or "unknown")
    member = ""
    if kind == "zip":
        kind, member = _look_inside_zip(file)
    elif kind == "ole" and _ole_root_class(file) in _MSI_CLASSES:
        kind = "msi"
    elif kind in {"text", "xml", "html", "svg"}:
        kind = markup_kind(head) or kind
    file.seek(0)
    return Sniffed(kind=kind, mime=mime, description=description, member=member)


def _executable_signature(head: bytes) -> str | None:
    if head.startswith(b"MZ"):
        return "pe"
    if head.startswith(b"\x7fELF"):
        return "elf"
    if head[:4] in {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"}:
        return "macho"
    if head.startswith(b"\xca\xfe\xba\xbe"):
        # Shared by Java classes (then minor, major version >= 45) and fat Mach-O (then a small arch count).
        return "macho" if int.from_bytes(head[4:8], "big") < 30 else "java"
    if head.startswith(b"#!"):
        return "script"
    if head.startswith(b"dex\n"):
        return "dex"
    if head.startswith(b"\x00asm"):
        return "wasm"
    if head.startswith(b"L\x00\x00\x00\x01\x14\x02\x00"):
        return "lnk"
    return None


def _signature(head: bytes) -> str | None:
    for prefix, kind in _SIGNATURES:
        if head.startswith(prefix):
            return kind
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in {b"avif", b"avis"}:
        return "avif"
    return None


def _text_kind(mime: str) -> str | None:
    if mime.startswith("text/"):
        return "script" if mime.startswith("text/x-script") else "text"
    return None


def _look_inside_zip(file) -> tuple[str, str]:
    """Reads the ZIP's central directory (no member is decompressed)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return "zip", ""
    finally:
        file.seek(0)
    name_set = set(names)
    if "AndroidManifest.xml" in name_set and "classes.dex" in name_set:
        return "apk", ""
    if "META-INF/MANIFEST.MF" in name_set and any(name.endswith(".class") for name in names):
        return "jar", ""
    if "OFD.xml" in name_set:
        return "ofd", ""
    if "[Content_Types].xml" in name_set:
        for folder, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(name.startswith(folder) for name in names):
                return kind, ""
    for name in names:
        extension = name.rsplit("/", 1)[-1].rpartition(".")[2].lower()
        if "." in name.rsplit("/", 1)[-1] and extension in EXECUTABLE_MEMBER_EXTENSIONS:
            return "zip", name
    return "zip", ""


def _ole_root_class(file) -> bytes | None:
    """The class id of an OLE2 compound file's root storage ([MS-CFB] 2.2 and 2.6)."""
    try:
        file.seek(0)
        header = file.read(512)
        sector_shift = int.from_bytes(header[30:32], "little")
        first_directory_sector = int.from_bytes(header[48:52], "little")
        if sector_shift not in (9, 12) or first_directory_sector >= 0xFFFFFFFA:
            return None
        file.seek((first_directory_sector + 1) << sector_shift)
        root_entry = file.read(128)
        return root_entry[80:96] if len(root_entry) == 128 else None
    except (OSError, ValueError):
        return None
    finally:
        file.seek(0)


# WHATWG MIME Sniffing: a resource whose first bytes (after whitespace) are one of these
# tags, followed by a space or ">", is taken for HTML by browsers.
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]",
    re.IGNORECASE)
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^\[>]*(?:\[.*?\])?\s*>", re.IGNORECASE | re.DOTALL)
_ROOT_ELEMENT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def markup_kind(head: bytes) -> str | None:
    """"svg", "html" or "xml" for markup, from the start of the text; None for other text."""
    text = _decode(head)
    position = 0
    doctype = ""
    while True:
        match = _PROLOG_ITEM.match(text, position)
        if match is None or match.end() == position:
            break
        if match.group(0).lower().startswith("<!doctype"):
            doctype = match.group(0).lower()
        position = match.end()
    root = _ROOT_ELEMENT.match(text, position)
    root_name = root.group(2).lower() if root else ""
    if root_name == "svg" or (not root and "svg" in doctype.split("[")[0]):
        return "svg"
    if root_name == "html" or "html" in doctype.split("[")[0]:
        return "html"
    if _HTML_START.match(text.lstrip()[:512]):
        return "html"
    if root:
        return "xml"
    return None


def _decode(head: bytes) -> str:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(encoding, errors="replace")
    return head.decode("utf-8", errors="replace")
