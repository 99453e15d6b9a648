"""The dictionaries in the console (/dictionaries/): who may manage which, import with
the broken rows listed, export, rollback, paging."""
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiyue.identity.models import PlatformRole, SiteRole
from tenants.checks.models import Dictionary
from tenants.checks.services.dictionaries import create_dictionary, import_csv
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import CONSOLE, signed_in


def name():
    return f"词库{uuid.uuid4().hex[:8]}"


def upload(text, encoding="utf-8-sig"):
    return SimpleUploadedFile("terms.csv", text.encode(encoding), content_type="text/csv")


def test_platform_staff_creates_and_imports_a_platform_dictionary():
    ops = make_user(platform_role=PlatformRole.OPS)
    client = signed_in(ops)
    title = name()
    response = client.post("/dictionaries/new/", {"name": title, "kind": "sensitive", "site": ""})
    assert response.status_code == 302
    made = Dictionary.objects.get(name=title)
    assert made.site is None and response["Location"] == f"/dictionaries/{made.pk}/"
    response = client.post(f"/dictionaries/{made.pk}/import/", {
        "file": upload("词语,分类,级别\n绝密,涉密,禁止\n内部资料,涉密,提示\n"), "note": "第一批", "activate": "on"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.active_version.number == 2 and made.active_version.term_count == 2
    page = client.get(f"/dictionaries/{made.pk}/").content.decode()
    assert "第2版（2个词条）" in page and "第一批" in page
    assert title in client.get("/dictionaries/").content.decode()


def test_broken_csv_upload_lists_the_broken_rows_and_saves_nothing():
    ops = make_user(platform_role=PlatformRole.OPS)
    made = create_dictionary(acting_user=ops, name=name(), kind="sensitive")
    response = signed_in(ops).post(f"/dictionaries/{made.pk}/import/", {
        "file": upload("词语,分类,级别\n绝密,涉密,禁止\n机密,涉密\n,涉密,提示\n绝密,涉密,提示\n"), "activate": "on"})
    page = response.content.decode()
    assert response.status_code == 400 and "未导入" in page
    assert "第3行：缺少“级别”列" in page and "第4行：词语不能为空" in page and "第5行：词语“绝密”与第2行重复" in page
    assert made.versions.count() == 1


def test_site_admin_manages_the_own_site_dictionaries():
    site = make_online_site()
    admin = make_user()
    grant(admin, site, SiteRole.SITE_ADMIN)
    client = signed_in(admin)
    form = client.get("/dictionaries/new/").content.decode()
    assert site.name in form and "全省通用" not in form
    title = name()
    response = client.post("/dictionaries/new/", {"name": title, "kind": "typo", "site": site.pk})
    assert response.status_code == 302
    made = Dictionary.objects.get(name=title)
    assert made.site == site
    response = client.post(f"/dictionaries/{made.pk}/import/", {"file": upload("错误写法,正确写法\n按装,安装\n"),
                                                                  "activate": "on"})
    assert response.status_code == 302
    listing = client.get("/dictionaries/").content.decode()
    assert title in listing and "全省通用错别字与不规范用语" not in listing


def test_site_admin_cannot_manage_platform_or_other_sites_dictionaries():
    site, other = make_online_site(), make_online_site()
    admin = make_user()
    grant(admin, site, SiteRole.SITE_ADMIN)
    platform = Dictionary.objects.get(site__isnull=True, name="全省通用敏感词")
    foreign = create_dictionary(acting_user=None, name=name(), kind="sensitive", site=other)
    client = signed_in(admin)
    for dictionary in (platform, foreign):
        versions = dictionary.versions.count()
        assert client.get(f"/dictionaries/{dictionary.pk}/").status_code == 403
        response = client.post(f"/dictionaries/{dictionary.pk}/import/",
                               {"file": upload("词语,分类,级别\n机密,涉密,禁止\n"), "activate": "on"})
        assert response.status_code == 403
        assert dictionary.versions.count() == versions
    response = client.post("/dictionaries/new/", {"name": name(), "kind": "typo", "site": ""})
    assert response.status_code == 400 and not Dictionary.objects.filter(created_by=admin, site=None).exists()
    response = client.post("/dictionaries/new/", {"name": name(), "kind": "typo", "site": other.pk})
    assert response.status_code == 400 and "所选网站不存在或无权管理" in response.content.decode()


def test_editor_cannot_open_the_dictionary_console():
    site = make_online_site()
    editor = make_user()
    grant(editor, site, SiteRole.EDITOR)
    own = create_dictionary(acting_user=None, name=name(), kind="sensitive", site=site)
    client = signed_in(editor)
    assert client.get("/dictionaries/").status_code == 403
    assert client.get(f"/dictionaries/{own.pk}/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in():
    response = Client(HTTP_HOST=CONSOLE).get("/dictionaries/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_exported_csv_downloads_and_imports_back_to_the_same_terms():
    ops = make_user(platform_role=PlatformRole.OPS)
    source = create_dictionary(acting_user=ops, name=name(), kind="leader_title")
    version = import_csv(source, "姓名,正确职务,级别,备注\n张三,省长、省委副书记,提示,\n", acting_user=ops)
    client = signed_in(ops)
    response = client.get(f"/dictionaries/{source.pk}/versions/{version.number}/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    target = create_dictionary(acting_user=ops, name=name(), kind="leader_title")
    response = client.post(f"/dictionaries/{target.pk}/import/", {
        "file": SimpleUploadedFile("x.csv", response.content, content_type="text/csv"), "activate": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert list(target.active_version.terms.values_list("text", "replacement")) == [("张三", "省长、省委副书记")]


def test_activating_an_earlier_version_in_the_console_rolls_back():
    ops = make_user(platform_role=PlatformRole.OPS)
    made = create_dictionary(acting_user=ops, name=name(), kind="sensitive")
    first = import_csv(made, "词语,分类,级别\n绝密,涉密,禁止\n", acting_user=ops)
    import_csv(made, "词语,分类,级别\n机密,涉密,禁止\n", acting_user=ops)
    client = signed_in(ops)
    assert client.get(f"/dictionaries/{made.pk}/versions/{first.number}/activate/").status_code == 405
    assert client.post(f"/dictionaries/{made.pk}/versions/{first.number}/activate/").status_code == 302
    made.refresh_from_db()
    assert made.active_version == first
    response = client.post(f"/dictionaries/{made.pk}/versions/{first.number}/activate/")
    assert response.status_code == 400 and "已是当前版本" in response.content.decode()


def test_version_terms_are_shown_a_page_at_a_time():
    ops = make_user(platform_role=PlatformRole.OPS)
    made = create_dictionary(acting_user=ops, name=name(), kind="sensitive")
    # Platform-wide and never deleted: words no other test's content can contain.
    rows = "".join(f"翻页样词{index:04d},政治,提示\n" for index in range(250))
    version = import_csv(made, "词语,分类,级别\n" + rows, acting_user=ops)
    client = signed_in(ops)
    first = client.get(f"/dictionaries/{made.pk}/versions/{version.number}/").content.decode()
    assert "翻页样词0000" in first and "翻页样词0099" in first and "翻页样词0100" not in first and "第1/3页" in first
    last = client.get(f"/dictionaries/{made.pk}/versions/{version.number}/?page=3").content.decode()
    assert "翻页样词0249" in last and "翻页样词0199" not in last
    assert client.get(f"/dictionaries/{made.pk}/versions/99/").status_code == 404


def test_terms_are_added_and_removed_in_the_console_as_new_versions():
    ops = make_user(platform_role=PlatformRole.OPS)
    made = create_dictionary(acting_user=ops, name=name(), kind="typo")
    client = signed_in(ops)
    response = client.post(f"/dictionaries/{made.pk}/terms/add/", {"text": "其它", "replacement": "其他"})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.active_version.number == 2 and made.active_version.terms.get().replacement == "其他"
    page = client.get(f"/dictionaries/{made.pk}/versions/2/").content.decode()
    assert "正确写法" in page and "其他" in page and "删除" in page
    response = client.post(f"/dictionaries/{made.pk}/terms/add/", {"text": "其它", "replacement": "其他"})
    assert response.status_code == 400 and "已在词库中" in response.content.decode()
    assert client.post(f"/dictionaries/{made.pk}/terms/remove/", {"text": "其它"}).status_code == 302
    made.refresh_from_db()
    assert made.active_version.number == 3 and made.active_version.term_count == 0


def test_leader_dictionary_titles_to_check_are_changed_in_the_console():
    ops = make_user(platform_role=PlatformRole.OPS)
    made = create_dictionary(acting_user=ops, name=name(), kind="leader_title")
    client = signed_in(ops)
    page = client.get(f"/dictionaries/{made.pk}/").content.decode()
    assert "检查的职务" in page and "省长、副省长" in page
    assert "姓名,正确职务,级别,备注" in client.get(f"/dictionaries/{made.pk}/import/").content.decode()
    assert client.post(f"/dictionaries/{made.pk}/titles/", {"titles": "省长\n副省长、处长"}).status_code == 302
    made.refresh_from_db()
    assert made.active_version.number == 2 and made.active_version.checked_titles == ["省长", "副省长", "处长"]
    response = client.post(f"/dictionaries/{made.pk}/titles/", {"titles": "省长、副省长、处长"})
    assert response.status_code == 400 and "没有变化" in response.content.decode()


def test_dictionary_link_is_shown_only_to_people_who_may_manage_dictionaries():
    site = make_online_site()
    editor, site_admin = make_user("editor"), make_user("siteadmin")
    grant(editor, site, SiteRole.EDITOR)
    grant(site_admin, site, SiteRole.SITE_ADMIN)
    ops = make_user(platform_role=PlatformRole.OPS)
    link = 'href="/dictionaries/"'
    assert link not in signed_in(editor).get("/").content.decode()
    assert link in signed_in(site_admin).get("/").content.decode()
    home = signed_in(ops).get("/").content.decode()
    assert link in home and 'href="/sites/"' in home
