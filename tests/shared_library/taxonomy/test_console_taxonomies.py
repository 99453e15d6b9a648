"""The taxonomy screens of the console over HTTP: only the provincial office's platform
staff (others 403), the tree, add / rename / move / deactivate, and the CSV upload:
a dry run showing what would change, then the confirmation applying it."""
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiyue.identity.models import PlatformRole, SiteRole
from shared_library.taxonomy.models import Taxonomy, Term
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import CONSOLE, signed_in


def upload(text, encoding="utf-8-sig", name="terms.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _ops():
    return signed_in(make_user(platform_role=PlatformRole.OPS))


def _term(taxonomy, code):
    return Term.objects.get(taxonomy=taxonomy, code=code)


def test_the_tree_shows_terms_indented_with_inactive_marked(topics):
    from shared_library.taxonomy.services.terms import deactivate_term

    deactivate_term(_term(topics, "090201"), acting_user=None)
    client = _ops()
    listing = client.get("/taxonomies/").content.decode()
    assert "主题分类" in listing and topics.name in listing and f"/taxonomies/{topics.code}/" in listing
    page = client.get(f"/taxonomies/{topics.code}/").content.decode()
    rows = re.findall(r'<tr id="term-(\w+)" data-depth="(\d)"( class="inactive")?', page)
    assert rows == [("01", "0", ""), ("0101", "1", ""), ("09", "0", ""), ("0901", "1", ""), ("0902", "1", ""),
                    ("090201", "2", ' class="inactive"')]
    assert "已停用" in page and "共6个分类，5个启用。" in page
    assert 'title="城乡建设、环境保护 / 环境保护 / 环境监测"' in page


def test_a_site_editor_or_admin_gets_403_everywhere(topics):
    site = make_online_site()
    editor, admin = make_user(), make_user()
    grant(editor, site, SiteRole.EDITOR)
    grant(admin, site, SiteRole.SITE_ADMIN)
    term = _term(topics, "0101")
    for person in (editor, admin):
        client = signed_in(person)
        for url in ("/taxonomies/", f"/taxonomies/{topics.code}/", f"/taxonomies/{topics.code}/import/",
                    f"/taxonomies/{topics.code}/terms/{term.pk}/", f"/taxonomies/{topics.code}/export/"):
            assert client.get(url).status_code == 403, url
        assert client.post(f"/taxonomies/{topics.code}/terms/add/",
                           {"code": "0188", "name": "编辑添加", "parent": ""}).status_code == 403
        assert client.post(f"/taxonomies/{topics.code}/terms/{term.pk}/deactivate/").status_code == 403
        assert client.post(f"/taxonomies/{topics.code}/import/",
                           {"file": upload("code,name\n0189,编辑导入\n")}).status_code == 403
        assert client.post("/taxonomies/", {"code": f"no-{person.pk}", "name": f"编辑{person.pk}"}).status_code == 403
        assert "/taxonomies/" not in client.get("/").content.decode()
    assert not Term.objects.filter(taxonomy=topics, code__in=["0188", "0189"]).exists()
    assert _term(topics, "0101").is_active


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client(HTTP_HOST=CONSOLE).get("/taxonomies/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_create_a_taxonomy_add_rename_move_and_deactivate_terms():
    client = _ops()
    code = f"tx-{uuid.uuid4().hex[:8]}"
    response = client.post("/taxonomies/", {"code": code, "name": f"服务对象{code}"})
    assert response.status_code == 302 and response["Location"] == f"/taxonomies/{code}/"
    taxonomy = Taxonomy.objects.get(code=code)
    assert client.post(f"/taxonomies/{code}/terms/add/", {"code": "P", "name": "个人", "parent": ""}).status_code == 302
    parent = _term(taxonomy, "P")
    response = client.post(f"/taxonomies/{code}/terms/add/", {"code": "P1", "name": "老人", "parent": parent.pk})
    assert response.status_code == 302
    child = _term(taxonomy, "P1")
    assert child.parent == parent and "已新增“老人”" in client.get(f"/taxonomies/{code}/").content.decode()
    form = client.get(f"/taxonomies/{code}/terms/{parent.pk}/").content.decode()
    assert f'value="{child.pk}"' not in form  # a term cannot go under its own child
    response = client.post(f"/taxonomies/{code}/terms/{child.pk}/", {"name": "老年人", "parent": "",
                                                                     "sort_order": 5})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.name, child.parent_id, child.sort_order) == ("老年人", None, 5)
    client.post(f"/taxonomies/{code}/terms/{child.pk}/", {"name": "老年人", "parent": parent.pk, "sort_order": 1})
    response = client.post(f"/taxonomies/{code}/terms/{parent.pk}/deactivate/")
    assert response.status_code == 400
    assert "“个人”还有启用的下级分类“老年人”：请先停用或移走下级分类" in response.content.decode()
    assert client.post(f"/taxonomies/{code}/terms/{child.pk}/deactivate/").status_code == 302
    assert client.post(f"/taxonomies/{code}/terms/{parent.pk}/deactivate/").status_code == 302
    assert not Term.objects.filter(taxonomy=taxonomy, is_active=True).exists()
    response = client.post(f"/taxonomies/{code}/terms/add/", {"code": "P", "name": "重复", "parent": ""})
    assert response.status_code == 400 and "代码“P”已被“个人”使用" in response.content.decode()


def test_rename_to_a_taken_name_keeps_the_form_with_the_message(topics):
    term = _term(topics, "0101")
    response = _ops().post(f"/taxonomies/{topics.code}/terms/{term.pk}/",
                           {"name": "城乡规划", "parent": term.parent_id, "sort_order": 1})
    assert response.status_code == 400 and "名称“城乡规划”已是分类0901的名称" in response.content.decode()
    assert _term(topics, "0101").name == "政务公开"


def test_upload_shows_a_dry_run_then_the_confirmation_applies_it(topics):
    client = _ops()
    response = client.post(f"/taxonomies/{topics.code}/import/", {"file": upload(
        "code,name,parent_code,sort_order\r\n0902,生态环境保护,09,2\r\n0101,政务公开,09,3\r\n0903,节能减排,09,\r\n",
        "gb18030")})
    page = response.content.decode()
    assert response.status_code == 200 and "预览：尚未写入任何内容" in page and "按GB18030编码读取" in page
    assert "试运行，未写入：新增1个，更新2个，未变0个，停用0个；另有4个分类不在文件中，保持不变" in page
    assert "原名“环境保护”" in page and "从01移至09" in page
    assert not Term.objects.filter(taxonomy=topics, code="0903").exists()  # nothing written yet
    payload = re.search(r'name="payload" value="([^"]+)"', page).group(1)
    digest = re.search(r'name="digest" value="([^"]+)"', page).group(1)
    response = client.post(f"/taxonomies/{topics.code}/import/apply/", {"payload": payload, "digest": digest})
    assert response.status_code == 302 and response["Location"] == f"/taxonomies/{topics.code}/"
    assert "已导入：新增1个，更新2个" in client.get(response["Location"]).content.decode()
    assert _term(topics, "0101").parent.code == "09" and _term(topics, "0902").name == "生态环境保护"
    assert _term(topics, "0903").sort_order == 4
    # The same confirmation again: the taxonomy no longer is what was previewed.
    response = client.post(f"/taxonomies/{topics.code}/import/apply/", {"payload": payload, "digest": digest})
    assert response.status_code == 409 and "预览之后分类体系已被修改" in response.content.decode()


def test_a_bad_upload_lists_the_errors_by_line_and_writes_nothing(topics):
    response = _ops().post(f"/taxonomies/{topics.code}/import/", {"file": upload(
        "code,name,parent_code\n0103,,01\n09,城乡建设、环境保护,090201\n")})
    page = response.content.decode()
    assert response.status_code == 400 and "未导入任何内容" in page
    assert "第2行：名称为空" in page and "第3行：“城乡建设、环境保护”不能放在“环境监测”之下：会形成循环" in page
    assert 'name="payload"' not in page
    assert _term(topics, "09").parent_id is None


def test_a_tampered_confirmation_is_refused(topics):
    response = _ops().post(f"/taxonomies/{topics.code}/import/apply/", {"payload": "forged", "digest": "x"})
    assert response.status_code == 400 and "确认信息无效" in response.content.decode()


def test_export_downloads_a_csv_that_excel_opens(topics):
    response = _ops().get(f"/taxonomies/{topics.code}/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf") and "attachment" in response["Content-Disposition"]
