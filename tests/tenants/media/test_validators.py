"""The upload policy (tenants.media.validators.check_upload): each rule on its own."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tenants.media.validators import check_upload
from tests.tenants.media import samples


def refusal(name, data, kind="document"):
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, data), kind=kind)
    return caught.value.code, caught.value.messages[0]


@override_settings(JIYUE_UPLOAD_MAX_BYTES=1024 * 1024)
def test_size_limit_refuses_a_document_over_JIYUE_UPLOAD_MAX_BYTES_stating_it_in_MB():
    code, message = refusal("年报.pdf", samples.pdf() + b"\n" * (1536 * 1024))
    assert code == "file_too_large"
    assert "1.5 MB" in message and "上限为 1 MB" in message


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=2 * 1024 * 1024)
def test_size_limit_for_images_is_WAGTAILIMAGES_MAX_UPLOAD_SIZE():
    code, message = refusal("照片.jpg", samples.jpeg() + b"\x00" * (3 * 1024 * 1024), kind="image")
    assert code == "file_too_large" and "图片大小上限为 2 MB" in message
    check_upload(SimpleUploadedFile("照片.jpg", samples.jpeg()), kind="image")


def test_empty_file_is_refused():
    assert refusal("空.txt", b"")[0] == "empty_file"


@pytest.mark.parametrize("name, data, label", [
    ("通知.pdf", samples.windows_exe(), "Windows 可执行程序"),
    ("setup.exe", samples.windows_exe(), "Windows 可执行程序"),
    ("附件.doc", samples.ole(samples.MSI_CLSID), "Windows 安装包（MSI）"),
    ("数据.xlsx", samples.linux_elf(), "Linux 可执行程序"),
    ("图.png", samples.macho(), "macOS 可执行程序"),
    ("说明.txt", samples.shell_script(), "脚本程序"),
    ("Main.class", samples.java_class(), "Java 程序"),
    ("资料.zip", samples.jar(), "Java 程序包（JAR）"),
])
def test_executables_are_refused_whatever_their_name(name, data, label):
    code, message = refusal(name, data)
    assert code == "executable"
    assert label in message and "可执行程序不能上传" in message


def test_executable_inside_a_zip_is_refused():
    code, message = refusal("材料.zip", samples.zip_of([("申报表.docx", samples.docx()), ("安装/setup.exe", b"MZ")]))
    assert code == "executable_in_archive" and "安装/setup.exe" in message


@pytest.mark.parametrize("name", ["通知.pdf", "通知.html", "通知.txt", "通知.doc", "通知.xls", "通知.jpg"])
def test_html_is_refused_whatever_its_name(name):
    code, message = refusal(name, samples.html_page())
    assert code == "html" and "HTML 网页" in message


def test_xhtml_is_html():
    xhtml = b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert refusal("页面.svg", xhtml)[0] == "html"


@pytest.mark.parametrize("fragment, reason", [
    (b"<script>alert(document.cookie)</script>", "脚本（<script>）"),
    (b'<rect width="5" height="5" onmouseover="alert(1)"/>', "事件处理属性（onmouseover）"),
    (b'<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a>', "javascript:"),
    (b'<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
     "foreignObject"),
])
def test_svg_with_script_is_refused(fragment, reason):
    code, message = refusal("标志.svg", samples.svg_with(fragment))
    assert code == "unsafe_svg" and reason in message


def test_clean_svg_is_allowed_as_a_document_not_as_an_image():
    assert check_upload(SimpleUploadedFile("标志.svg", samples.clean_svg()), kind="document").kind == "svg"
    code, message = refusal("标志.svg", samples.clean_svg(), kind="image")
    assert code == "extension_not_allowed" and "“.svg”" in message


@pytest.mark.parametrize("name", ["说明.md", "页面.htm", "宏.docm", "无扩展名", ".pdf"])
def test_extension_outside_the_allow_list_is_refused(name):
    code, message = refusal(name, samples.gbk_text())
    assert code == "extension_not_allowed" and "允许的类型" in message and "PDF" in message


@pytest.mark.parametrize("name, data, really", [
    ("报告.pdf", samples.plain_zip(), "ZIP 压缩包"),
    ("报告.pdf", samples.docx(), "Word 文档（.docx）"),
    ("报告.docx", samples.pdf(), "PDF 文档"),
    ("报表.xls", samples.xlsx(), "Excel 表格（.xlsx）"),
    ("报表.xlsx", samples.ole(), "Office 97-2003 或 WPS 文档"),
    ("照片.jpg", samples.png(), "PNG 图片"),
    ("照片.png", samples.pdf(), "PDF 文档"),
    ("数据.csv", samples.png(), "PNG 图片"),
    ("标志.svg", samples.png(), "PNG 图片"),
    ("文件.ofd", samples.pdf(), "PDF 文档"),
    ("说明.txt", b'<?xml version="1.0"?><rss/>', "XML 文档"),
])
def test_content_must_match_the_extension(name, data, really):
    code, message = refusal(name, data)
    assert code == "content_mismatch"
    assert f"内容实为 {really}" in message or f"内容实为{really}" in message, message


@pytest.mark.parametrize("name, data", [
    ("年度报告.pdf", samples.pdf()),
    ("通知.doc", samples.ole()),
    ("通知.doc", b"{\\rtf1\\ansi notice}"),
    ("通知.docx", samples.docx()),
    ("统计.xls", samples.ole("00020820-0000-0000-c000-000000000046")),
    ("统计.xlsx", samples.xlsx()),
    ("汇报.pptx", samples.pptx()),
    ("公文.wps", samples.ole()),
    ("统计.et", samples.ole()),
    ("电子公文.ofd", samples.ofd()),
    ("说明.txt", samples.gbk_text()),
    ("名单.csv", samples.csv_text()),
    ("附件.zip", samples.plain_zip()),
    ("附件.zip", samples.docx()),
    ("附件.rar", b"Rar!\x1a\x07\x01\x00" + bytes(64)),
    ("附件.7z", b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(64)),
    ("照片.PNG", samples.png()),
    ("照片.jpeg", samples.jpeg()),
    ("标志.svg", samples.clean_svg()),
])
def test_government_document_types_are_accepted(name, data):
    check_upload(SimpleUploadedFile(name, data), kind="document")


@pytest.mark.parametrize("name, data", [
    ("照片.png", samples.png()), ("照片.jpg", samples.jpeg()), ("动图.gif", samples.image_as("GIF")),
    ("照片.webp", samples.image_as("WEBP")), ("照片.avif", samples.image_as("AVIF")),
])
def test_raster_images_are_accepted_as_images(name, data):
    check_upload(SimpleUploadedFile(name, data), kind="image")


@override_settings(WAGTAILDOCS_EXTENSIONS=["pdf"])
def test_allow_list_follows_WAGTAILDOCS_EXTENSIONS():
    assert refusal("通知.docx", samples.docx())[0] == "extension_not_allowed"
