"""Office and WPS documents with macros are refused (tenants.media.lib.macros through
check_upload), whatever their name; the same documents without macros pass.

The samples are built here: OOXML packages with zipfile, OLE2 compound files with
``compound_file`` below (olefile reads but cannot create them)."""
import io
import os
import struct
import uuid
import zlib

import olefile
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context
from wagtail.documents.models import Document

from tenants.media.lib.macros import CONTENT_TYPES_MAX_BYTES, UNREADABLE, VBA, XLM, find_macros
from tenants.media.lib.sniffing import sniff
from tenants.media.validators import check_upload
from tests.tenants.media import samples
from tests.tenants.media.conftest import upload

# --- OLE2 compound files ------------------------------------------------------------

FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
WORD_CLSID = "00020906-0000-0000-c000-000000000046"
EXCEL_CLSID = "00020820-0000-0000-c000-000000000046"
POWERPOINT_CLSID = "64818d10-4f9b-11cf-86ea-00aa00b929e8"


def compound_file(streams, clsid=WORD_CLSID):
    """A version 3 compound file ([MS-CFB]) holding ``streams``, {"Storage/Stream": bytes}
    (storages are made from the paths). Every stream is padded to the 4096-byte mini
    stream cutoff, so all live in ordinary 512-byte sectors and no mini stream is needed;
    each storage's children form a balanced red-black tree in CFB name order."""
    tree = {}
    for path, data in streams.items():
        *folders, leaf = path.split("/")
        node = tree
        for folder in folders:
            node = node.setdefault(folder, {})
        node[leaf] = data.ljust(4096, b"\x00")

    entries = []  # [name, type, data, children ids], the root first

    def add(name, node):
        index = len(entries)
        entries.append([name, 1 if isinstance(node, dict) else 2, node, []])
        if isinstance(node, dict):
            entries[index][3] = [add(child, node[child]) for child in node]
        return index

    add("Root Entry", tree)
    entries[0][1] = 5
    n_data = sum(-(-len(data) // 512) for _, kind, data, _ in entries if kind == 2)
    n_directory = -(-len(entries) // 4)
    n_fat = 1
    while n_fat * 128 < n_fat + n_directory + n_data:
        n_fat += 1
    fat = [FAT_SECTOR] * n_fat + list(range(n_fat + 1, n_fat + n_directory)) + [END_OF_CHAIN]
    directory, body = bytearray(n_directory * 512), bytearray()
    links = {}  # entry id -> (left, right, color)

    def sibling_tree(ids, depth, deepest):
        if not ids:
            return NO_STREAM
        middle = len(ids) // 2
        links[ids[middle]] = (sibling_tree(ids[:middle], depth + 1, deepest),
                              sibling_tree(ids[middle + 1:], depth + 1, deepest),
                              0 if depth == deepest > 0 else 1)  # red only on the deepest level
        return ids[middle]

    for entry in entries:  # each storage's child: the root of its children's tree
        ordered = sorted(entry[3], key=lambda i: (len(entries[i][0]), entries[i][0].upper()))
        entry.append(sibling_tree(ordered, 0, max(len(ordered).bit_length() - 1, 0)))
    links[0] = (NO_STREAM, NO_STREAM, 1)
    for index, (name, kind, data, _children, child) in enumerate(entries):
        start, size = END_OF_CHAIN, 0
        if kind == 2:
            start, size, count = n_fat + n_directory + len(body) // 512, len(data), -(-len(data) // 512)
            body += data.ljust(count * 512, b"\x00")
            fat += list(range(start + 1, start + count)) + [END_OF_CHAIN]
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        left, right, color = links[index]
        struct.pack_into("<64sHBBIII16s4x16xIQ", directory, index * 128, encoded, len(encoded), kind, color,
                         left, right, child, uuid.UUID(clsid).bytes_le if index == 0 else bytes(16), start, size)
    for index in range(len(entries), n_directory * 4):  # unused entries
        struct.pack_into("<III", directory, index * 128 + 68, NO_STREAM, NO_STREAM, NO_STREAM)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", olefile.MAGIC, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
                         0, n_fat, n_fat, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    fat += [FREE] * (n_fat * 128 - len(fat))
    return header + struct.pack(f"<{len(fat)}I", *fat) + bytes(directory) + bytes(body)


# A VBA project as Office stores it (the streams' content does not matter to the check).
VBA_PROJECT = {"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\n',
               "PROJECTwm": b"ThisDocument\x00T\x00h\x00\x00\x00\x00\x00",
               "VBA/_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00", "VBA/dir": b"\x01\x00",
               "VBA/ThisDocument": b"Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\nEnd Sub\r\n"}


def word_97(macros=False):
    streams = {"WordDocument": b"\xec\xa5\xc1\x00", "1Table": b"\x00", "\x05SummaryInformation": b"\xfe\xff"}
    if macros:
        streams.update({f"Macros/{path}": data for path, data in VBA_PROJECT.items()})
    return compound_file(streams)


def biff_record(record, body=b""):
    return struct.pack("<HH", record, len(body)) + body


def excel_97(*, vba=False, sheet_type=0):
    """A BIFF8 workbook whose one sheet has BoundSheet8.dt ``sheet_type`` (1: Excel 4.0 macro sheet)."""
    sheet_name = b"\x06\x00Sheet1"  # cch, fHighByte = 0, the name
    workbook = (biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
                + biff_record(0x0085, struct.pack("<IBB", 0, 0, sheet_type) + sheet_name)
                + biff_record(0x000A))
    streams = {"Workbook": workbook}
    if vba:
        streams.update({f"_VBA_PROJECT_CUR/{path}": data for path, data in VBA_PROJECT.items()})
    return compound_file(streams, EXCEL_CLSID)


def ppt_record(version, instance, record, body):
    return struct.pack("<HHI", version | instance << 4, record, len(body)) + body


def powerpoint_97(*, has_macros=None, storage=None):
    """A "PowerPoint Document" stream with, if asked, a VBAInfoContainer (fHasMacros
    ``has_macros``) and a compressed external storage (ExOleObjStg/VbaProjectStg) ``storage``."""
    records = ppt_record(0x1, 0, 0x03E9, bytes(40))  # DocumentAtom
    if has_macros is not None:
        atom = ppt_record(0x2, 0, 0x0400, struct.pack("<III", 3, has_macros, 2))
        records += ppt_record(0xF, 0, 0x07D0, ppt_record(0xF, 1, 0x03FF, atom))  # DocInfoList > VBAInfo
    document = ppt_record(0xF, 0, 0x03E8, records)  # DocumentContainer
    if storage is not None:
        document += ppt_record(0x0, 1, 0x1011, struct.pack("<I", len(storage)) + zlib.compress(storage))
    current_user = ppt_record(0, 0, 0x0FF6, struct.pack("<IIIHHBBH", 0x14, 0xE391C05F, 0, 0, 0x03F4, 3, 0, 0))
    return compound_file({"PowerPoint Document": document, "Current User": current_user}, POWERPOINT_CLSID)


# --- OOXML -----------------------------------------------------------------------------

MAIN_TYPES = {
    "docx": ("word/document.xml",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
             "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
}
VBA_TYPE = "application/vnd.ms-office.vbaProject"


def ooxml(kind="docx", *, macro_enabled=False, vba_part=None, defaults=(), overrides=(), parts=()):
    """A minimal valid package: [Content_Types].xml, the package relationships and the main
    part (with, if asked, the macro-enabled main content type), plus ``parts``
    [(name, bytes)]; ``defaults`` [(extension, type)] and ``overrides`` [(part, type)]
    are added to the content types. ``vba_part`` adds a VBA project under that name."""
    main, plain_type, macro_type = MAIN_TYPES[kind]
    defaults = [("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                ("xml", "application/xml"), *defaults]
    overrides = [(f"/{main}", macro_type if macro_enabled else plain_type), *overrides]
    parts = list(parts)
    if vba_part:
        defaults.append(("bin", VBA_TYPE))
        parts.append((vba_part, compound_file(VBA_PROJECT)))
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     + "".join(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults)
                     + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
                     + "</Types>")
    relationships = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     f'relationships/officeDocument" Target="{main}"/></Relationships>')
    return samples.zip_of([("[Content_Types].xml", content_types), ("_rels/.rels", relationships),
                           (main, "<document/>"), *parts])


def docm():
    """What Word saves as .docm: the macro-enabled main type and word/vbaProject.bin."""
    vba_rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
                ' Target="vbaProject.bin"/></Relationships>')
    return ooxml(macro_enabled=True, vba_part="word/vbaProject.bin",
                 parts=[("word/_rels/document.xml.rels", vba_rels)])


def refusal(name, data):
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, data), kind="document")
    return caught.value.code, caught.value.messages[0]


# --- The sample builder itself ------------------------------------------------------------

def test_compound_file_builder_makes_files_olefile_reads_and_libmagic_names():
    data = word_97(macros=True)
    ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    assert {"/".join(entry) for entry in ole.listdir(storages=True)} == {
        "1Table", "Macros", "Macros/PROJECT", "Macros/PROJECTwm", "Macros/VBA", "Macros/VBA/ThisDocument",
        "Macros/VBA/_VBA_PROJECT", "Macros/VBA/dir", "WordDocument", "\x05SummaryInformation"}
    assert ole.openstream("Macros/PROJECT").read().startswith(b'ID="{')
    assert sniff(io.BytesIO(data)).kind == "ole"


# --- OOXML -----------------------------------------------------------------------------

def test_docm_named_docx_is_refused_with_a_whole_sentence():
    code, message = refusal("通知.docx", docm())
    assert code == "macros"
    assert message == "“通知.docx”含有宏（VBA），为安全起见不能上传；请另存为不含宏的文档（如 .docx 或 PDF）后再上传。"


def test_the_message_follows_the_active_language():
    with translation.override("en"):
        code, message = refusal("notice.docx", docm())
    assert message == ("“notice.docx” contains macros (VBA); for safety it cannot be uploaded. Please save it as a "
                       "document without macros (such as .docx or PDF) and upload it again.")


@pytest.mark.parametrize("data, where", [
    (ooxml(vba_part="word/vbaProject.bin"), "word/vbaProject.bin"),
    (samples.zip_of([("[Content_Types].xml", samples._CONTENT_TYPES), ("word/document.xml", "<d/>"),
                     ("word/vbaProject.bin", b"\xd0\xcf")]), "word/vbaProject.bin"),  # the name alone
    (ooxml(parts=[("WORD/VBAPROJECT.BIN", b"x")]), "WORD/VBAPROJECT.BIN"),  # part names ignore case
    (ooxml(macro_enabled=True), "[Content_Types].xml: application/vnd.ms-word.document.macroenabled.main+xml"),
    (ooxml(overrides=[("/word/data.bin", VBA_TYPE)], parts=[("word/data.bin", b"x")]),
     "[Content_Types].xml: application/vnd.ms-office.vbaproject"),  # a VBA part under another name
    (ooxml(defaults=[("xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12")],
           parts=[("word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet1.xlsm", b"PK")]),
     "[Content_Types].xml: application/vnd.ms-excel.sheet.macroenabled.12"),  # an embedded .xlsm
], ids=["vba-part", "vba-part-name-only", "vba-part-upper-case", "macro-enabled-main", "renamed-vba-part",
        "embedded-xlsm"])
def test_vba_in_a_word_package_is_found(data, where):
    macros = find_macros(io.BytesIO(data), "docx")
    assert (macros.kind, macros.where, macros.save_as) == (VBA, where, ".docx")
    assert refusal("通知.docx", data)[0] == "macros"


@pytest.mark.parametrize("kind, name", [("xlsx", "统计.xlsx"), ("pptx", "汇报.pptx"), ("xlsx", "统计.et"),
                                        ("pptx", "汇报.dps"), ("docx", "公文.wps"), ("docx", "附件.zip")])
def test_macro_enabled_excel_powerpoint_and_wps_packages_are_refused(kind, name):
    folder = MAIN_TYPES[kind][0].split("/")[0]
    code, message = refusal(name, ooxml(kind, macro_enabled=True, vba_part=f"{folder}/vbaProject.bin"))
    assert code == "macros" and f"（如 .{kind} 或 PDF）" in message


@pytest.mark.parametrize("data", [
    ooxml("xlsx", parts=[("xl/macrosheets/sheet1.xml", "<xm:macrosheet/>")]),
    ooxml("xlsx", overrides=[("/xl/worksheets/sheet2.xml", "application/vnd.ms-excel.macrosheet+xml")],
          parts=[("xl/worksheets/sheet2.xml", "<xm:macrosheet/>")]),
], ids=["macrosheets-folder", "macrosheet-content-type"])
def test_excel_4_macro_sheets_are_refused(data):
    assert find_macros(io.BytesIO(data), "xlsx").kind == XLM
    code, message = refusal("统计.xlsx", data)
    assert code == "macros"
    assert message == ("“统计.xlsx”含有 Excel 4.0 宏（XLM），为安全起见不能上传；"
                       "请另存为不含宏的文档（如 .xlsx 或 PDF）后再上传。")


@pytest.mark.parametrize("name, data", [
    ("通知.docx", ooxml()),
    ("统计.xlsx", ooxml("xlsx", parts=[("xl/worksheets/sheet1.xml", "<worksheet/>")])),
    ("汇报.pptx", ooxml("pptx", parts=[("ppt/slides/slide1.xml", "<sld/>")])),
    # an embedded OLE object and a spare default for .bin that no VBA part uses
    ("通知.docx", ooxml(defaults=[("bin", "application/vnd.openxmlformats-officedocument.oleObject"),
                                  ("vml", VBA_TYPE)], parts=[("word/embeddings/oleObject1.bin", b"\xd0\xcf")])),
    ("附件.zip", samples.zip_of([("说明.txt", "vbaProject.bin"), ("代码/vbaProject.bin.txt", "x")])),
    ("通知.docx", samples.docx()),
], ids=["docx", "xlsx", "pptx", "docx-with-ole-object", "plain-zip", "samples-docx"])
def test_macro_free_packages_pass(name, data):
    assert find_macros(io.BytesIO(data), sniff(io.BytesIO(data)).kind) is None
    check_upload(SimpleUploadedFile(name, data), kind="document")


def test_an_oversized_content_types_part_is_refused_as_unreadable():
    """Decompressing it stops after CONTENT_TYPES_MAX_BYTES: a padded list could hide a renamed VBA part."""
    padding = "<!--" + "x" * CONTENT_TYPES_MAX_BYTES + "-->"
    data = samples.zip_of([("[Content_Types].xml", samples._CONTENT_TYPES.replace("<Types", padding + "<Types")),
                           ("word/document.xml", "<d/>")])
    assert find_macros(io.BytesIO(data), "docx").kind == UNREADABLE
    code, message = refusal("通知.docx", data)
    assert code == "macros_not_checkable"
    assert message == ("无法检查“通知.docx”是否含有宏（文件结构损坏或异常），为安全起见不能上传；"
                       "请用 Office 或 WPS 打开并重新保存（如另存为 .docx 或 PDF）后再上传。")


@pytest.mark.parametrize("content_types", [
    b"not xml",
    b'<!DOCTYPE Types [<!ENTITY t "application/vnd.ms-office.vbaProject">]><Types/>',
], ids=["not-xml", "dtd"])
def test_a_content_types_part_that_cannot_be_read_is_refused(content_types):
    data = samples.zip_of([("[Content_Types].xml", content_types), ("word/document.xml", "<d/>")])
    assert refusal("通知.docx", data)[0] == "macros_not_checkable"


# --- OLE2 compound files -------------------------------------------------------------------

@pytest.mark.parametrize("name, data, kind, where, save_as", [
    ("通知.doc", word_97(macros=True), VBA, "Macros", ".docx"),
    ("公文.wps", word_97(macros=True), VBA, "Macros", ".docx"),
    ("统计.xls", excel_97(vba=True), VBA, "_VBA_PROJECT_CUR", ".xlsx"),
    ("统计.et", excel_97(vba=True), VBA, "_VBA_PROJECT_CUR", ".xlsx"),
    ("统计.xls", excel_97(sheet_type=1), XLM, "Workbook: macro sheet", ".xlsx"),
    ("统计.xls", excel_97(sheet_type=6), XLM, "Workbook: VBA module sheet", ".xlsx"),
    # a VBA project anywhere in the tree, e.g. in an embedded object
    ("通知.doc", compound_file({"WordDocument": b"x", "ObjectPool/_1/VBA/dir": b"x"}), VBA, "ObjectPool/_1/VBA",
     ".docx"),
    ("汇报.ppt", powerpoint_97(has_macros=1), VBA, "PowerPoint Document: VBAInfoAtom", ".pptx"),
    ("汇报.dps", powerpoint_97(storage=compound_file(VBA_PROJECT)), VBA,
     "PowerPoint Document: embedded PROJECT", ".pptx"),  # the VBA project storage itself
    ("汇报.ppt", powerpoint_97(storage=excel_97(vba=True)), VBA,
     "PowerPoint Document: embedded _VBA_PROJECT_CUR", ".pptx"),  # an embedded macro workbook
], ids=["doc", "wps", "xls-vba", "et-vba", "xls-macro-sheet", "xls-vba-module-sheet", "doc-embedded-object",
        "ppt-vba-info", "dps-vba-storage", "ppt-embedded-workbook"])
def test_macros_in_office_97_and_wps_files_are_found_and_refused(name, data, kind, where, save_as):
    macros = find_macros(io.BytesIO(data), "ole")
    assert (macros.kind, macros.where, macros.save_as) == (kind, where, save_as)
    code, message = refusal(name, data)
    assert code == "macros" and f"（如 {save_as} 或 PDF）" in message


@pytest.mark.parametrize("name, data", [
    ("通知.doc", word_97()),
    ("公文.wps", word_97()),
    ("统计.xls", excel_97()),
    ("统计.xls", excel_97(sheet_type=2)),  # a chart sheet
    ("汇报.ppt", powerpoint_97()),
    ("汇报.ppt", powerpoint_97(has_macros=0)),  # an empty VBA storage
    ("汇报.ppt", powerpoint_97(storage=excel_97())),  # an embedded workbook without macros
    ("通知.doc", samples.ole()),
], ids=["doc", "wps", "xls", "xls-chart-sheet", "ppt", "ppt-empty-vba-storage", "ppt-embedded-workbook",
        "samples-ole"])
def test_office_97_and_wps_files_without_macros_pass(name, data):
    assert find_macros(io.BytesIO(data), "ole") is None
    check_upload(SimpleUploadedFile(name, data), kind="document")


def test_decompressing_powerpoint_storages_stops_at_a_budget(monkeypatch):
    monkeypatch.setattr("tenants.media.lib.macros.PPT_STORAGES_MAX_BYTES", 4 * 1024)
    data = powerpoint_97(storage=excel_97())  # a 5.5 KB workbook, compressed
    assert find_macros(io.BytesIO(data), "ole").kind == UNREADABLE
    assert refusal("汇报.ppt", data)[0] == "macros_not_checkable"


def test_a_damaged_compound_file_is_refused_as_unreadable():
    data = bytearray(word_97())
    data[48:52] = (9999).to_bytes(4, "little")  # the first directory sector, beyond the end
    code, message = refusal("通知.doc", bytes(data))
    assert code == "macros_not_checkable" and "无法检查“通知.doc”是否含有宏" in message


def test_the_check_leaves_the_file_at_its_start():
    for data, kind in ((docm(), "docx"), (word_97(macros=True), "ole"), (samples.pdf(), "pdf")):
        file = io.BytesIO(data)
        file.seek(9)
        find_macros(file, kind)
        assert file.tell() == 0


# --- Through the back office ----------------------------------------------------------------

@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_a_macro_document_and_stores_nothing(editor_client, site, multiple):
    documents_dir = os.path.join(settings.MEDIA_ROOT, "sites", site.schema_name, "documents")
    before = set(os.listdir(documents_dir)) if os.path.isdir(documents_dir) else set()
    name = f"宏通知{'批量' if multiple else ''}.docx"
    response = upload(editor_client, site, "documents", name, docm(), multiple=multiple)
    assert response.status_code == 200, response.status_code
    message = response.json()["error_message"] if multiple else response.content.decode()
    assert f"“{name}”含有宏（VBA），为安全起见不能上传" in message
    assert "请另存为不含宏的文档（如 .docx 或 PDF）后再上传。" in message
    with schema_context(site.schema_name):
        assert not Document.objects.filter(title=name.rsplit(".", 1)[0]).exists()
    after = set(os.listdir(documents_dir)) if os.path.isdir(documents_dir) else set()
    assert after == before
