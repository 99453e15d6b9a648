"""What a file is, from its bytes (tenants.media.lib.sniffing)."""
import io

import pytest

from tenants.media.lib.sniffing import markup_kind, sniff
from tests.tenants.media import samples


@pytest.mark.parametrize("data, kind", [
    (samples.pdf(), "pdf"),
    (samples.docx(), "docx"),
    (samples.xlsx(), "xlsx"),
    (samples.pptx(), "pptx"),
    (samples.ofd(), "ofd"),
    (samples.plain_zip(), "zip"),
    (samples.ole(), "ole"),
    (samples.png(), "png"),
    (samples.jpeg(), "jpeg"),
    (samples.image_as("GIF"), "gif"),
    (samples.image_as("WEBP"), "webp"),
    (samples.image_as("AVIF"), "avif"),
    (samples.image_as("BMP"), "bmp"),
    (samples.image_as("TIFF"), "tiff"),
    (samples.clean_svg(), "svg"),
    (samples.html_page(), "html"),
    (samples.gbk_text(), "text"),
    (samples.csv_text(), "text"),
    (b'<?xml version="1.0"?><rss version="2.0"/>', "xml"),
])
def test_sniff_names_the_content(data, kind):
    assert sniff(io.BytesIO(data)).kind == kind


@pytest.mark.parametrize("data, kind", [
    (samples.windows_exe(), "pe"),
    (samples.linux_elf(), "elf"),
    (samples.macho(), "macho"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x02" + b"\x00" * 60, "macho"),  # fat Mach-O shares Java's magic
    (samples.java_class(), "java"),
    (samples.shell_script(), "script"),
    (samples.jar(), "jar"),
    (samples.ole(samples.MSI_CLSID), "msi"),
])
def test_sniff_recognises_executables_by_signature(data, kind):
    sniffed = sniff(io.BytesIO(data))
    assert sniffed.kind == kind and sniffed.is_executable


def test_sniff_finds_an_executable_inside_a_zip_without_unpacking_it():
    sniffed = sniff(io.BytesIO(samples.zip_of([("说明.txt", "x"), ("工具/setup.exe", samples.windows_exe())])))
    assert (sniffed.kind, sniffed.member) == ("zip", "工具/setup.exe")


def test_sniff_leaves_the_file_at_its_start():
    file = io.BytesIO(samples.docx())
    file.seek(7)
    sniff(file)
    assert file.tell() == 0


@pytest.mark.parametrize("text, kind", [
    (b"\xef\xbb\xbf  <!-- made by hand -->\n<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
    (b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY a 'b'>]><svg/>", "svg"),
    (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'/>", "html"),
    (b"\n\n<script>alert(1)</script>", "html"),
    (b"<p>hello", "html"),
    (b"<!-- a comment that browsers take for HTML -->", "html"),
    ("<通知>正文</通知>".encode(), None),
    ("一段文字 <b>加粗</b>".encode(), None),
])
def test_markup_is_told_from_the_start_of_the_text(text, kind):
    assert markup_kind(text) == kind
