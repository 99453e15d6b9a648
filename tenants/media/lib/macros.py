"""Macros in Office and WPS documents: whether a file carries a VBA project or Excel 4.0
(XLM) macro sheets, from its structure alone (nothing is run or decompiled).

- OOXML (docx/xlsx/pptx and their macro-enabled cousins, any ZIP with a
  ``[Content_Types].xml``): a ``vbaProject.bin`` part or a ``macrosheets/`` folder, read
  from the ZIP's central directory; and the content types that ``[Content_Types].xml``
  gives the parts present (macro-enabled main parts, ``vnd.ms-office.vbaProject``, macro
  sheets), which also catches a VBA part under another name and an embedded .xlsm. That
  one small part is decompressed, at most ``CONTENT_TYPES_MAX_BYTES``.
- OLE2 compound files (Office 97-2003, WPS), through olefile: the VBA storages and streams
  anywhere in the tree (``Macros``, ``_VBA_PROJECT_CUR``, ``VBA``, ``_VBA_PROJECT``,
  ``PROJECT``; embedded objects included); Excel 4.0 macro sheets in the workbook's sheet
  list (BIFF BoundSheet records); PowerPoint 97-2003, which keeps its VBA project as a
  zlib-compressed compound file inside the "PowerPoint Document" stream: the
  VBAInfoAtom's fHasMacros flag ([MS-PPT] 2.4.10) and, as oletools' olevba does, the
  embedded storages (ExOleObjStg/VbaProjectStg records) opened and searched in turn.

A structure that cannot be read ("unreadable") is reported as such: the caller refuses
what it cannot check. See tenants/media/README.md.
"""
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import olefile
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# [Content_Types].xml lists one line per part; 1 MB is some ten thousand parts, far beyond
# any document Office or WPS writes. A bigger one is refused as unreadable (rather than
# skipped) so that padding it cannot hide a renamed VBA part.
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# Storages embedded in a PowerPoint 97-2003 file are zlib-compressed: decompress at most this
# (all of them together), so that many small bombs cannot keep a worker busy either.
PPT_STORAGES_MAX_BYTES = 64 * 1024 * 1024

VBA = "vba"
XLM = "xlm"
UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Macros:
    kind: str  # VBA, XLM or UNREADABLE (could not be checked)
    where: str  # the part, storage, stream or record that shows it
    save_as: str  # the macro-free format to suggest: ".docx", ".xlsx" or ".pptx"


def find_macros(file, kind: str) -> Macros | None:
    """Macros in ``file`` whose content kind (tenants.media.lib.sniffing) is ``kind``;
    None when there are none or the kind cannot carry them. Leaves the file at position 0."""
    try:
        if kind in {"docx", "xlsx", "pptx", "zip"}:
            return _ooxml_macros(file, kind)
        if kind == "ole":
            return _ole_macros(file)
        return None
    finally:
        file.seek(0)


# --- OOXML -------------------------------------------------------------------------

_SAVE_AS_BY_FOLDER = {"word/": ".docx", "xl/": ".xlsx", "ppt/": ".pptx"}


def _ooxml_macros(file, kind: str) -> Macros | None:
    try:
        file.seek(0)
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None  # not a ZIP after all: nothing Office would open as a document
    with archive:
        infos = archive.infolist()
        names = [_part_name(info.filename) for info in infos]
        content_types = [info for info, name in zip(infos, names) if name == "[content_types].xml"]
        if not content_types:
            return None  # a plain ZIP, not an Office package
        save_as = _ooxml_save_as(kind, names)
        for info, name in zip(infos, names):
            if name.rsplit("/", 1)[-1] == "vbaproject.bin":
                return Macros(VBA, info.filename, save_as)
            if "/macrosheets/" in f"/{name}":
                return Macros(XLM, info.filename, save_as)
        # Office reads one [Content_Types].xml; a package with several is not one we can vouch for.
        if len(content_types) > 1:
            return Macros(UNREADABLE, "[Content_Types].xml", save_as)
        try:
            types = _content_types(archive, content_types[0])
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
                ElementTree.ParseError, DefusedXmlException):
            # Encrypted, damaged, not XML, or with a DTD (refused by defusedxml).
            return Macros(UNREADABLE, "[Content_Types].xml", save_as)
        if types is None:
            return Macros(UNREADABLE, "[Content_Types].xml", save_as)
    extensions = {name.rpartition(".")[2] for name in names if "." in name.rsplit("/", 1)[-1]}
    for element, key, content_type in types:
        # Only a type that applies to a part present counts (generators may declare spare defaults).
        if element == "default" and key not in extensions:
            continue
        if element == "override" and key not in names:
            continue
        if content_type.endswith("sheet.binary.macroenabled.main"):
            continue  # every .xlsb has this main part; its macros would be a vbaProject part
        if "macroenabled" in content_type or "vbaproject" in content_type:
            return Macros(VBA, f"[Content_Types].xml: {content_type}", save_as)
        if "macrosheet" in content_type:
            return Macros(XLM, f"[Content_Types].xml: {content_type}", save_as)
    return None


def _ooxml_save_as(kind: str, names: list[str]) -> str:
    if kind != "zip":
        return f".{kind}"
    for folder, extension in _SAVE_AS_BY_FOLDER.items():
        if any(name.startswith(folder) for name in names):
            return extension
    return ".docx"


def _part_name(filename: str) -> str:
    """A ZIP entry's OPC part name, compared as Office does: case-insensitive, no leading slash."""
    return filename.replace("\\", "/").lstrip("/").lower()


def _content_types(archive, info) -> list[tuple[str, str, str]] | None:
    """(element, extension or part name, content type), lower-cased, from [Content_Types].xml;
    None when it is larger than CONTENT_TYPES_MAX_BYTES."""
    with archive.open(info) as member:
        data = member.read(CONTENT_TYPES_MAX_BYTES + 1)
    if len(data) > CONTENT_TYPES_MAX_BYTES:
        return None
    root = ElementTree.fromstring(data, forbid_dtd=True)
    types = []
    for element in root:
        local = element.tag.rsplit("}", 1)[-1].lower()
        attributes = {key.lower(): value for key, value in element.attrib.items()}
        content_type = attributes.get("contenttype", "").strip().lower()
        if local == "default":
            types.append(("default", attributes.get("extension", "").strip().lower(), content_type))
        elif local == "override":
            types.append(("override", _part_name(attributes.get("partname", "").strip()), content_type))
    return types


# --- OLE2 compound files -----------------------------------------------------------

# Word: Macros/; Excel: _VBA_PROJECT_CUR/; every VBA project: VBA/, VBA/_VBA_PROJECT, PROJECT.
_VBA_ENTRY_NAMES = frozenset({"macros", "_vba_project_cur", "vba", "_vba_project", "project"})


def _ole_macros(file) -> Macros | None:
    file.seek(0)
    try:
        ole = olefile.OleFileIO(file)
        try:
            return _ole_tree_macros(ole, depth=0)
        finally:
            ole.close()  # leaves ``file`` open: olefile closes only files it opened itself
    except Exception:  # olefile raises many kinds on hostile input; refusing what it cannot read is safe
        return Macros(UNREADABLE, "compound file", ".docx")


def _ole_tree_macros(ole, *, depth: int) -> Macros | None:
    entries = ole.listdir(streams=True, storages=True)
    top = {entry[0].lower() for entry in entries if len(entry) == 1}
    save_as = (".xlsx" if top & {"workbook", "book"} else ".pptx" if "powerpoint document" in top else ".docx")
    for entry in entries:
        if any(part.lower() in _VBA_ENTRY_NAMES for part in entry):
            return Macros(VBA, "/".join(entry), save_as)
    for stream in ("Workbook", "Book"):
        if ole.exists(stream) and ole.get_type(stream) == olefile.STGTY_STREAM:
            sheet = _biff_macro_sheet(ole.openstream(stream).read())
            if sheet is not None:
                return Macros(XLM, f"{stream}: {sheet}", save_as)
    # Storages embedded in a presentation are searched one level deep.
    powerpoint = "PowerPoint Document"
    if depth == 0 and ole.exists(powerpoint) and ole.get_type(powerpoint) == olefile.STGTY_STREAM:
        return _ppt_macros(ole.openstream(powerpoint).read(), save_as)
    return None


# BIFF records ([MS-XLS] 2.4): BOF, EOF, FilePass (encryption), BoundSheet8 (a sheet of the workbook).
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS, _BIFF_BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
# BoundSheet8.dt: 1 macro sheet (Excel 4.0), 6 VBA module sheet (Excel 5).
_MACRO_SHEET_TYPES = {1: "macro sheet", 6: "VBA module sheet"}


def _biff_macro_sheet(data: bytes) -> str | None:
    """The first macro sheet in a BIFF5/8 workbook's globals substream, if any."""
    position = 0
    while position + 4 <= len(data):
        record, size = struct.unpack_from("<HH", data, position)
        body = data[position + 4:position + 4 + size]
        if record == _BIFF_EOF or (record == _BIFF_BOF and position > 0):
            return None  # the end of the globals: the sheet list is complete
        position += 4 + size
        if record == _BIFF_FILEPASS:
            return None  # encrypted: the sheet types are encrypted too (see README)
        if record == _BIFF_BOUNDSHEET and len(body) >= 6 and body[5] in _MACRO_SHEET_TYPES:
            return _MACRO_SHEET_TYPES[body[5]]
    return None


# [MS-PPT] VBAInfoContainer (recVer 0xF, recInstance 1, type 0x03FF, length 0x14) holding a
# VBAInfoAtom (recVer 2, type 0x0400, length 0x0C): persistIdRef, fHasMacros, version.
_PPT_VBA_INFO = bytes.fromhex("1f00ff0314000000" "020000040c000000")
# ExOleObjStg / VbaProjectStg / ExControlStg records (type 0x1011): recInstance 1 compressed, 0 not.
_PPT_STORAGE = re.compile(rb"[\x00\x10]\x00\x11\x10")


def _ppt_macros(stream: bytes, save_as: str) -> Macros | None:
    start = stream.find(_PPT_VBA_INFO)
    while start != -1:
        atom = stream[start + len(_PPT_VBA_INFO):start + len(_PPT_VBA_INFO) + 12]
        if len(atom) == 12 and struct.unpack("<III", atom)[1] != 0:
            return Macros(VBA, "PowerPoint Document: VBAInfoAtom", save_as)
        start = stream.find(_PPT_VBA_INFO, start + 1)
    # Storages embedded in the stream (the VBA project itself, OLE objects, ActiveX controls).
    budget = PPT_STORAGES_MAX_BYTES
    for match in _PPT_STORAGE.finditer(stream):
        offset = match.start()
        if offset + 8 > len(stream):
            break
        (length,) = struct.unpack_from("<I", stream, offset + 4)
        if offset + 8 + length > len(stream):
            continue  # not a record: the bytes only look like a header
        body = stream[offset + 8:offset + 8 + length]
        if stream[offset] == 0x10:  # compressed: decompressedSize, then zlib data
            decompressor = zlib.decompressobj()
            try:
                body = decompressor.decompress(body[4:], budget + 1)
            except zlib.error:
                continue
            budget -= len(body)
            if budget < 0:
                return Macros(UNREADABLE, "PowerPoint Document: embedded storages", save_as)
        if not body.startswith(olefile.MAGIC):
            continue
        try:
            found = _ole_tree_macros(olefile.OleFileIO(io.BytesIO(body)), depth=1)
        except Exception:  # a damaged embedded object: PowerPoint would not load it either
            continue
        if found is not None and found.kind != UNREADABLE:
            return Macros(found.kind, f"PowerPoint Document: embedded {found.where}", save_as)
    return None
