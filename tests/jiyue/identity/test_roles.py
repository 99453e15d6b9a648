"""Roles: public grants are the truth, Wagtail group membership in the site's schema
follows them; system administration is separate from content work."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from jiyue.audit.models import OperationLog
from jiyue.identity.models import PlatformRole, SiteRole, SiteRoleGrant
from jiyue.identity.services.roles import grant_site_role, revoke_site_role
from tests.factories import apply_site, grant, make_online_site, make_province, make_user


def _groups_in(site, user):
    with schema_context(site.schema_name):
        return set(Group.objects.filter(user=user).values_list("name", flat=True))


def test_granting_a_role_adds_the_matching_group_in_that_site_only():
    site_a, site_b = make_online_site(), make_online_site()
    user = make_user()
    grant(user, site_a, SiteRole.EDITOR)
    assert _groups_in(site_a, user) == {"编辑"}
    assert _groups_in(site_b, user) == set()
    assert OperationLog.objects.filter(action="grant_site_role", site=site_a).exists()


def test_reviewer_group_may_publish_and_editor_group_may_not():
    site = make_online_site()
    editor, reviewer = make_user(), make_user()
    grant(editor, site, SiteRole.EDITOR)
    grant(reviewer, site, SiteRole.REVIEWER)
    with schema_context(site.schema_name):
        from wagtail.models import Page

        home = Page.objects.get(depth=2)
        editor = type(editor).objects.get(pk=editor.pk)
        reviewer = type(reviewer).objects.get(pk=reviewer.pk)
        assert home.permissions_for_user(editor).can_edit()
        assert not home.permissions_for_user(editor).can_publish()
        assert home.permissions_for_user(reviewer).can_publish()


def test_site_administrator_cannot_also_hold_content_roles_on_the_same_site():
    site, other = make_online_site(), make_online_site()
    user = make_user()
    grant(user, site, SiteRole.SITE_ADMIN)
    for role in (SiteRole.EDITOR, SiteRole.REVIEWER):
        with pytest.raises(ValidationError) as excinfo:
            grant(user, site, role)
        assert "系统管理与内容管理分离" in "".join(excinfo.value.messages)
    grant(user, other, SiteRole.EDITOR)  # another site is fine
    content_user = make_user()
    grant(content_user, site, SiteRole.EDITOR)
    with pytest.raises(ValidationError):
        grant(content_user, site, SiteRole.SITE_ADMIN)


def test_site_administrator_group_has_no_page_permissions():
    site = make_online_site()
    admin = make_user()
    grant(admin, site, SiteRole.SITE_ADMIN)
    with schema_context(site.schema_name):
        from wagtail.models import Page

        admin = type(admin).objects.get(pk=admin.pk)
        assert admin.has_perm("wagtailadmin.access_admin")
        assert not Page.objects.get(depth=2).permissions_for_user(admin).can_edit()


def test_revoking_removes_the_membership():
    site = make_online_site()
    user = make_user()
    grant(user, site, SiteRole.REVIEWER)
    revoke_site_role(user, site, SiteRole.REVIEWER, acting_user=None)
    assert _groups_in(site, user) == set()
    assert not SiteRoleGrant.objects.filter(user=user, site=site).exists()


def test_only_ops_or_the_sites_administrator_may_grant():
    site = make_online_site()
    outsider, admin, ops = make_user(), make_user(), make_user(platform_role=PlatformRole.OPS)
    grant(admin, site, SiteRole.SITE_ADMIN)
    with pytest.raises(PermissionDenied):
        grant_site_role(make_user(), site, SiteRole.EDITOR, acting_user=outsider)
    grant_site_role(make_user(), site, SiteRole.EDITOR, acting_user=admin)
    grant_site_role(make_user(), site, SiteRole.EDITOR, acting_user=ops)


def test_no_grants_on_a_site_without_a_schema():
    site = apply_site(make_province())
    with pytest.raises(ValidationError) as excinfo:
        grant(make_user(), site, SiteRole.EDITOR)
    assert "尚未开通" in "".join(excinfo.value.messages)
