"""Which language a request gets: the console and back offices follow the browser
(Simplified Chinese by default, English as the fallback); a site's public pages are
always in the platform's language, whatever the visitor's browser asks."""
from django.test import Client
from django_tenants.utils import tenant_context

from jiyue.identity.models import SiteRole
from tests.factories import grant, make_online_site, make_user, staffed_site
from tests.factories.clients import CONSOLE, admin_url, signed_in
from tests.factories.content import add_policy, publish_through_review


def test_console_speaks_chinese_by_default_and_english_to_an_english_browser():
    chinese = Client().get("/login/", HTTP_HOST=CONSOLE)
    english = Client().get("/login/", HTTP_HOST=CONSOLE, HTTP_ACCEPT_LANGUAGE="en")
    assert "统一身份认证登录" in chinese.content.decode() and chinese["Content-Language"] == "zh-hans"
    assert "Unified identity sign-in" in english.content.decode() and english["Content-Language"] == "en"
    assert "统一身份认证登录" not in english.content.decode()


def test_back_office_forms_are_english_for_an_english_browser():
    site = make_online_site()
    editor = make_user("editor")
    grant(editor, site, SiteRole.EDITOR)
    with tenant_context(site):
        policy = add_policy(user=editor)
    url = admin_url(site, "wagtailadmin_pages:edit", policy.pk)
    english = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    chinese = signed_in(editor).get(url).content.decode()
    assert "Index number" in english and "索引号" not in english
    assert "索引号" in chinese and "Index number" not in chinese


def test_public_pages_stay_chinese_whatever_the_browser_asks():
    site, editor, reviewer = staffed_site()
    with tenant_context(site):
        policy = publish_through_review(add_policy(user=editor), editor, reviewer)
        url = policy.url
    response = Client().get(url, HTTP_HOST=site.primary_host, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    # The model's translated label (有效 / "In force") comes out in Chinese.
    assert '<td data-field="validity">有效' in html
    assert response["Content-Language"] == "zh-hans"
    assert "Accept-Language" not in response.get("Vary", "")


def test_refusal_pages_of_public_hosts_stay_chinese_those_of_the_console_follow_the_browser():
    unknown_host = Client().get("/", HTTP_HOST="no-such-site.gov.localhost", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown_host.status_code == 404 and "网站不存在" in unknown_host.content.decode()
    unknown_code = Client().get("/s/no-such-code/admin/", HTTP_HOST=CONSOLE, HTTP_ACCEPT_LANGUAGE="en")
    assert unknown_code.status_code == 404 and "Site not found" in unknown_code.content.decode()
