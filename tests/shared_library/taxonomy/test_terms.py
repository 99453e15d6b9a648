"""Changing one term: add, rename, move and reorder, no cycles, deactivation refused
while children are active, reactivation refused under an inactive parent; only the
provincial office's platform staff; every change in the operation log."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiyue.audit.models import OperationLog
from jiyue.identity.models import PlatformRole, SiteRole
from shared_library.taxonomy.models import Term
from shared_library.taxonomy.services.terms import add_term, create_taxonomy, deactivate_term, reactivate_term, \
    update_term
from tests.factories import grant, make_online_site, make_province, make_unit, make_user

from .conftest import make_taxonomy


def _term(taxonomy, code):
    return Term.objects.select_related("taxonomy").get(taxonomy=taxonomy, code=code)


def _messages(error):
    return " ".join(error.value.messages)


def test_add_a_child_goes_after_its_siblings(topics):
    ops = make_user(platform_role=PlatformRole.OPS)
    term = add_term(topics, code="0903", name="节能减排", parent=_term(topics, "09"), acting_user=ops)
    assert term.parent.code == "09" and term.sort_order == 3 and term.is_active
    log = OperationLog.objects.filter(action="add_taxonomy_term", acting_user=ops).get()
    assert log.after["code"] == "0903"


def test_an_existing_code_or_name_is_refused(topics):
    with pytest.raises(ValidationError) as error:
        add_term(topics, code="0901", name="新名称", acting_user=None)
    assert "代码“0901”已被“城乡规划”使用" in _messages(error)
    with pytest.raises(ValidationError) as error:
        add_term(topics, code="0999", name="环境保护", acting_user=None)
    assert "名称“环境保护”已是分类0902的名称" in _messages(error)
    assert not Term.objects.filter(taxonomy=topics, code="0999").exists()


def test_rename_move_and_reorder(topics):
    term = update_term(_term(topics, "0101"), name="政务公开与服务", parent=_term(topics, "09"), sort_order=7,
                       acting_user=None)
    assert (term.name, term.parent.code, term.sort_order) == ("政务公开与服务", "09", 7)
    term = update_term(term, name=term.name, parent=None, sort_order=0, acting_user=None)
    assert term.parent is None


def test_moving_a_term_under_its_own_descendant_is_refused(topics):
    with pytest.raises(ValidationError) as error:
        update_term(_term(topics, "09"), name="城乡建设、环境保护", parent=_term(topics, "090201"), sort_order=9,
                    acting_user=None)
    assert "形成循环" in _messages(error)
    assert "城乡建设、环境保护 → 环境保护 → 环境监测 → 城乡建设、环境保护" in _messages(error)
    assert _term(topics, "09").parent_id is None
    with pytest.raises(ValidationError) as error:
        update_term(_term(topics, "09"), name="城乡建设、环境保护", parent=_term(topics, "09"), sort_order=9,
                    acting_user=None)
    assert "不能是自己的上级" in _messages(error)


def test_a_parent_of_another_taxonomy_is_refused(topics):
    other = make_taxonomy([("x", "其他体系的分类", "", 1)])
    with pytest.raises(ValidationError) as error:
        update_term(_term(topics, "01"), name="综合政务", parent=_term(other, "x"), sort_order=1, acting_user=None)
    assert "上级分类必须属于同一分类体系" in _messages(error)


def test_deactivating_a_term_with_active_children_is_refused_naming_them(topics):
    with pytest.raises(ValidationError) as error:
        deactivate_term(_term(topics, "09"), acting_user=None)
    assert "“城乡建设、环境保护”还有启用的下级分类“城乡规划”、“环境保护”" in _messages(error)
    assert _term(topics, "09").is_active
    deactivate_term(_term(topics, "090201"), acting_user=None)
    deactivate_term(_term(topics, "0902"), acting_user=None)
    assert not _term(topics, "0902").is_active


def test_reactivating_under_an_inactive_parent_is_refused(topics):
    deactivate_term(_term(topics, "0101"), acting_user=None)
    deactivate_term(_term(topics, "01"), acting_user=None)
    with pytest.raises(ValidationError) as error:
        reactivate_term(_term(topics, "0101"), acting_user=None)
    assert "上级分类“综合政务”已停用" in _messages(error)
    reactivate_term(_term(topics, "01"), acting_user=None)
    reactivate_term(_term(topics, "0101"), acting_user=None)
    assert _term(topics, "0101").is_active


def test_moving_an_active_term_under_an_inactive_one_is_refused(topics):
    deactivate_term(_term(topics, "0101"), acting_user=None)
    with pytest.raises(ValidationError) as error:
        update_term(_term(topics, "0901"), name="城乡规划", parent=_term(topics, "0101"), sort_order=1,
                    acting_user=None)
    assert "上级分类“政务公开”已停用" in _messages(error)


def test_a_term_is_never_deleted(topics):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        _term(topics, "0101").delete()


def test_only_the_provincial_office_changes_taxonomies(topics):
    site = make_online_site()
    editor, admin = make_user(), make_user()
    grant(editor, site, SiteRole.EDITOR)
    grant(admin, site, SiteRole.SITE_ADMIN)
    city_approver = make_user()
    from jiyue.identity.services.roles import grant_platform_role

    grant_platform_role(city_approver, PlatformRole.APPROVER, acting_user=None, org_unit=make_unit(make_province()))
    for person in (editor, admin, city_approver):
        with pytest.raises(PermissionDenied):
            add_term(topics, code="0199", name=f"不得添加{person.pk}", acting_user=person)
        with pytest.raises(PermissionDenied):
            create_taxonomy(code=f"no-{person.pk}", name=f"不得创建{person.pk}", acting_user=person)
    assert not Term.objects.filter(taxonomy=topics, code="0199").exists()
    approver = make_user(platform_role=PlatformRole.APPROVER)
    assert add_term(topics, code="0199", name="省级审批人添加", acting_user=approver).pk
