"""The back office's previews (Wagtail renders them through a fake request inside the
back-office request) show the page as the public sees it: the site's public template,
in the site's schema, with the public URL forms; and the back-office request that made
them goes on in its own site."""
from django_tenants.utils import tenant_context

from tests.factories import staffed_site
from tests.factories.clients import admin_url, signed_in
from tests.factories.content import add_policy, column, publish_through_review


def test_view_draft_renders_the_public_template_of_the_open_site():
    site, editor, reviewer = staffed_site()
    with tenant_context(site):
        published = publish_through_review(add_policy(user=editor, title="已发布的文件"), editor, reviewer)
        draft = add_policy(user=editor, title="关于预览的通知", body_text="草稿的正文")
    client = signed_in(editor, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get(admin_url(site, "wagtailadmin_pages:view_draft", draft.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<meta name="SiteName" content="{site.name}">' in html
    assert "草稿的正文" in html and "索引号" in html, "the policy template with its metadata table"
    # The column's preview links its pages by their public URLs, without the /s/<code>/ prefix.
    with tenant_context(site):
        column_page, url = column("zcwj"), published.url
    listing = client.get(admin_url(site, "wagtailadmin_pages:view_draft", column_page.pk)).content.decode()
    assert f'href="{url}"' in listing and "/s/" not in url
    # The editor's next back-office screen is still this site's, in their language.
    explorer = client.get(admin_url(site, "wagtailadmin_explore", column_page.pk))
    assert explorer.status_code == 200 and "关于预览的通知" in explorer.content.decode()
