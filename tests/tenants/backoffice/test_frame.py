"""The back office names the open site on every screen (a band in the site's colour,
with its level), switches to the same screen on another granted site, links to the
public site and the console, and carries the platform's identity: no "Root", no
Wagtail logo, the help menu opens the platform's own editor guide."""
import json
import re

import pytest
from django_tenants.utils import tenant_context
from wagtail.models import Page

from tenants.backoffice.context import band_colour, contrast_with_white, same_screen_path
from tenants.registry.services.sites import update_site_info
from tests.factories import grant, make_online_site, make_user
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_policy, column

WAGTAIL_BIRD = 'class="wagtail-logo'  # wagtailadmin/logo.html's markup


@pytest.fixture
def two_sites():
    site_a, site_b, other = make_online_site(), make_online_site(), make_online_site()
    editor = make_user("editor")
    grant(editor, site_a, "editor")
    grant(editor, site_b, "editor")
    return site_a, site_b, other, editor


def _band(html):
    match = re.search(r'<div class="jiyue-site-band".*?</nav>\s*</div>', html, re.S)
    assert match, "no site band"
    return match.group()


def test_every_screen_names_the_open_site_and_its_level(two_sites):
    site_a, _site_b, _other, editor = two_sites
    client = signed_in(editor)
    with tenant_context(site_a):
        policy = add_policy(user=editor)
        zcwj = column("zcwj").pk
    for name, args in [("wagtailadmin_home", ()), ("wagtailadmin_explore_root", ()), ("wagtailadmin_explore", (zcwj,)),
                       ("wagtailadmin_pages:edit", (policy.pk,)), ("wagtailimages:index", ()),
                       ("wagtaildocs:index", ()), ("jiyue_editor_guide", ())]:
        response = client.get(admin_url(site_a, name, *args))
        assert response.status_code == 200, name
        band = _band(response.content.decode())
        assert f'data-site-name>{site_a.name}</strong>' in band, name
        assert "省级门户网站" in band and f"--jiyue-band: {band_colour(site_a.short_code)}" in band, name


def test_the_switcher_lists_the_granted_sites_and_keeps_the_screen(two_sites):
    site_a, site_b, other, editor = two_sites
    client = signed_in(editor)
    with tenant_context(site_a):
        policy = add_policy(user=editor)
    band = _band(client.get(admin_url(site_a, "wagtailadmin_pages:edit", policy.pk)).content.decode())
    targets = dict(re.findall(r'<a href="([^"]+)" data-switch-to="([^"]+)"', band))
    assert sorted(targets.values()) == sorted([site_a.short_code, site_b.short_code])
    assert other.short_code not in band and other.name not in band
    # An edit screen's object id does not exist on the other site: the switch opens its page list.
    assert f"/s/{site_b.short_code}/admin/pages/" in targets
    assert f'data-switch-to="{site_a.short_code}" aria-current="page"' in band
    images = _band(client.get(admin_url(site_a, "wagtailimages:index")).content.decode())
    assert f'href="/s/{site_b.short_code}/admin/images/" data-switch-to="{site_b.short_code}"' in images
    assert client.get(f"/s/{site_b.short_code}/admin/images/").status_code == 200
    assert f'href="http://{site_a.primary_host}/"' in band and 'href="/" data-console-link' in band


def test_a_switch_to_a_site_not_granted_is_403_without_its_name(two_sites):
    _site_a, _site_b, other, editor = two_sites
    response = signed_in(editor).get(f"/s/{other.short_code}/admin/pages/")
    assert response.status_code == 403 and other.name not in response.content.decode()


def test_band_colours_keep_white_text_readable():
    for code in [f"s{n}" for n in range(300)]:
        colour = band_colour(code)
        red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        assert contrast_with_white(red, green, blue) >= 4.5, code
    assert len({band_colour(f"s{n}") for n in range(20)}) > 10, "sites get distinct colours"


@pytest.mark.parametrize("path, expected", [
    ("/admin/pages/12/edit/", "/admin/pages/"), ("/admin/", "/admin/"), ("/admin/images/", "/admin/images/"),
    ("/admin/snippets/app/model/edit/4/", "/admin/snippets/app/model/edit/"), ("/admin/pages/3/", "/admin/pages/"),
])
def test_same_screen_path_cuts_at_the_first_object_id(path, expected):
    assert same_screen_path(path) == expected


def test_no_screen_shows_root_or_the_wagtail_logo(two_sites):
    site_a, _site_b, _other, editor = two_sites
    site_admin = make_user("siteadmin")
    grant(site_admin, site_a, "site_admin")
    with tenant_context(site_a):
        policy = add_policy(user=editor)
        root, home = Page.objects.get(depth=1), Page.objects.get(depth=2)
        assert root.title == home.title == site_a.name
    screens = [("wagtailadmin_home", ()), ("wagtailadmin_explore_root", ()), ("wagtailadmin_explore", (home.pk,)),
               ("wagtailadmin_pages:edit", (policy.pk,)), ("wagtailadmin_pages:move", (policy.pk,)),
               ("wagtailadmin_pages:copy", (policy.pk,)), ("wagtailadmin_choose_page", ()),
               ("wagtailadmin_choose_page_child", (root.pk,)), ("wagtailimages:index", ()), ("wagtaildocs:index", ()),
               ("wagtailadmin_reports:locked_pages", ()), ("wagtailredirects:index", ()),
               ("wagtailadmin_pages:history", (policy.pk,)), ("jiyue_editor_guide", ())]
    for user in (editor, site_admin):
        client = signed_in(user)
        for name, args in screens:
            response = client.get(admin_url(site_a, name, *args))
            if response.status_code in (302, 403):  # not this role's screen
                continue
            assert response.status_code == 200, (user.username, name, response.status_code)
            text = response.content.decode()
            if response["Content-Type"].startswith("application/json"):
                text = json.dumps(json.loads(text), ensure_ascii=False)
            assert not re.search(r"\bRoot\b|根目录|根页面", text), (user.username, name)
            assert WAGTAIL_BIRD not in text, (user.username, name)
    # The sidebar's page explorer reads the root through the admin API.
    api = signed_in(editor).get(admin_url(site_a, "wagtailadmin_api:pages:listing") + "?child_of=root")
    assert api.status_code in (200, 404) and "Root" not in api.content.decode()


def test_renaming_a_site_renames_its_root_and_home():
    site = make_online_site()
    update_site_info(site, acting_user=None, name=f"{site.name}新")
    with tenant_context(site):
        assert set(Page.objects.filter(depth__in=(1, 2)).values_list("title", flat=True)) == {f"{site.name}新"}


def test_the_platform_identity_and_the_help_menu(two_sites):
    site_a, _site_b, _other, editor = two_sites
    client = signed_in(editor)
    html = client.get(admin_url(site_a, "wagtailadmin_home")).content.decode()
    assert re.search(r"<title>[^<]* - 集约</title>", html)
    assert "backoffice/favicon" in html and "backoffice/logo" in html and WAGTAIL_BIRD not in html
    assert "guide.wagtail.org" not in html
    sidebar = json.loads(re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
                                   html, re.S).group(1))
    flat = json.dumps(sidebar, ensure_ascii=False)
    assert f"/s/{site_a.short_code}/admin/guide/" in flat and "guide.wagtail.org" not in flat
    guide = client.get(admin_url(site_a, "jiyue_editor_guide"))
    text = guide.content.decode()
    assert guide.status_code == 200 and "保密审查" in text and "内容检查" in text and 'id="checks"' in text
    english = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en").get(admin_url(site_a, "jiyue_editor_guide"))
    assert "Submitting and review" in english.content.decode()


def test_the_dashboard_is_titled_with_the_open_site(two_sites):
    site_a, _site_b, _other, editor = two_sites
    html = signed_in(editor).get(admin_url(site_a, "wagtailadmin_home")).content.decode()
    assert re.search(rf'<h1 class="w-h1[^"]*">\s*{re.escape(site_a.name)}\s*</h1>', html)
