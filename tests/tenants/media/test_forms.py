"""Uploads through the real Wagtail admin of a site (/s/<code>/admin/), by a signed-in
editor: the single "add" forms and the multiple uploader both refuse with the policy's
message (tenants.media.forms), and accepted files land in the site's own storage prefix."""
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tenants.utils import schema_context
from wagtail.documents.models import Document
from wagtail.images.models import Image

from tests.tenants.media import samples
from tests.tenants.media.conftest import root_collection_id, upload


def documents_titled(site, title):
    with schema_context(site.schema_name):
        return list(Document.objects.filter(title=title))


def images_titled(site, title):
    with schema_context(site.schema_name):
        return list(Image.objects.filter(title=title))


def refused_single(response):
    assert response.status_code == 200, response.status_code  # the form again, with its errors
    return response.content.decode()


def refused_multiple(response):
    assert response.status_code == 200, response.status_code
    data = response.json()
    assert data["success"] is False
    return data["error_message"]


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_an_executable_document(editor_client, site, multiple):
    response = upload(editor_client, site, "documents", "exe通知.pdf", samples.windows_exe(), multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "实为 Windows 可执行程序" in message and "可执行程序不能上传" in message
    assert documents_titled(site, "exe通知") == []


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_html_named_pdf(editor_client, site, multiple):
    response = upload(editor_client, site, "documents", "html通知.pdf", samples.html_page(), multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "实为 HTML 网页" in message
    assert documents_titled(site, "html通知") == []


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_svg_with_script(editor_client, site, multiple):
    data = samples.svg_with(b"<script>alert(1)</script>")
    response = upload(editor_client, site, "documents", "脚本标志.svg", data, multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "含有可执行内容" in message and "script" in message
    assert documents_titled(site, "脚本标志") == []


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_a_lying_extension(editor_client, site, multiple):
    response = upload(editor_client, site, "documents", "假报告.pdf", samples.plain_zip(), multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "文件内容与扩展名不符" in message and "实为 ZIP 压缩包" in message
    assert documents_titled(site, "假报告") == []


@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_refuses_an_executable_image_with_our_message(editor_client, site, multiple):
    """Checked before Wagtail's image field opens the file with the imaging library."""
    response = upload(editor_client, site, "images", "假照片.png", samples.windows_exe(), multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "实为 Windows 可执行程序" in message
    assert images_titled(site, "假照片") == []


def test_admin_refuses_an_image_whose_content_is_another_format(editor_client, site):
    message = refused_multiple(upload(editor_client, site, "images", "错格式.jpg", samples.png(), multiple=True))
    assert "实为 PNG 图片" in message


@override_settings(JIYUE_UPLOAD_MAX_BYTES=256 * 1024)
@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_size_limit_is_checked_by_the_form(editor_client, site, multiple):
    data = samples.pdf() + b"\n" * (512 * 1024)
    response = upload(editor_client, site, "documents", "大文件.pdf", data, multiple=multiple)
    message = refused_multiple(response) if multiple else refused_single(response)
    assert "文件过大（0.5 MB）" in message and "上限为 0.25 MB" in message
    assert documents_titled(site, "大文件") == []


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=64 * 1024)
def test_admin_image_size_limit_is_checked_by_the_form(editor_client, site):
    data = samples.jpeg() + os.urandom(96 * 1024)
    message = refused_multiple(upload(editor_client, site, "images", "大图.jpg", data, multiple=True))
    assert "图片过大" in message and "上限为 0.06 MB" in message


def test_upload_form_shows_the_policy_in_chinese(editor_client, site):
    page = editor_client.get(f"/s/{site.short_code}/admin/documents/multiple/add/", HTTP_HOST="console.localhost")
    assert page.status_code == 200
    assert "大小上限 50 MB" in page.content.decode()


@pytest.mark.parametrize("name, data", [
    ("接受年报.pdf", samples.pdf()),
    ("接受通知.docx", samples.docx()),
    ("接受标志.svg", samples.clean_svg()),
    ("接受公文.ofd", samples.ofd()),
    ("接受照片.png", samples.png()),
])
@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_accepts_documents(editor_client, site, name, data, multiple):
    title = name.rsplit(".", 1)[0]
    if multiple:
        title += "（批量）"
        name = title + "." + name.rsplit(".", 1)[1]
    response = upload(editor_client, site, "documents", name, data, multiple=multiple)
    if multiple:
        assert response.status_code == 200 and response.json()["success"] is True, response.content
    else:
        assert response.status_code == 302, response.content.decode()[-2000:]
    (document,) = documents_titled(site, title)
    assert document.file.name.startswith("documents/")
    stored = os.path.join(settings.MEDIA_ROOT, "sites", site.schema_name, document.file.name)
    with open(stored, "rb") as file:
        assert file.read() == data


@pytest.mark.parametrize("name, data", [("接受照片.png", samples.png()), ("接受照片.jpg", samples.jpeg())])
@pytest.mark.parametrize("multiple", [False, True], ids=["single", "multiple"])
def test_admin_accepts_images(editor_client, site, name, data, multiple):
    stem, extension = name.rsplit(".", 1)
    title = f"{stem}{extension}{'（批量）' if multiple else ''}"
    response = upload(editor_client, site, "images", f"{title}.{extension}", data, multiple=multiple)
    if multiple:
        assert response.status_code == 200 and response.json()["success"] is True, response.content
    else:
        assert response.status_code == 302, response.content.decode()[-2000:]
    (image,) = images_titled(site, title)
    assert (image.width, image.height) == (64, 48)
    assert os.path.exists(os.path.join(settings.MEDIA_ROOT, "sites", site.schema_name, image.file.name))


def test_chooser_upload_tab_refuses_with_the_same_message(editor_client, site):
    """The document chooser's "upload" tab (inside the page editor) builds the same form."""
    prefix = "document-chooser-upload"
    response = editor_client.post(
        f"/s/{site.short_code}/admin/documents/chooser/create/",
        {f"{prefix}-title": "选择器网页", f"{prefix}-file": SimpleUploadedFile("选择器网页.pdf", samples.html_page()),
         f"{prefix}-collection": root_collection_id(site), f"{prefix}-tags": ""},
        HTTP_HOST="console.localhost", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and response.json()["step"] == "reshow_creation_form"
    assert "实为 HTML 网页" in response.json()["htmlFragment"]
    assert documents_titled(site, "选择器网页") == []


def test_replacing_an_image_file_on_the_edit_view_is_checked(editor_client, site):
    created = upload(editor_client, site, "images", "待替换.png", samples.png(), multiple=True).json()
    response = editor_client.post(
        f"/s/{site.short_code}/admin/images/{created['image_id']}/",
        {"title": "待替换", "file": SimpleUploadedFile("替换.png", samples.linux_elf()),
         "collection": root_collection_id(site), "tags": ""},
        HTTP_HOST="console.localhost")
    assert response.status_code == 200 and "实为 Linux 可执行程序" in response.content.decode()
    (image,) = images_titled(site, "待替换")
    with schema_context(site.schema_name):
        assert image.file.open("rb").read() == samples.png()
