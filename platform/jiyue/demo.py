"""Seeding the demo province: a provincial portal, two city portals, three department
sites, a county without a site yet (it can apply for one), and the accounts of the
editorial plane (editor, reviewer, site administrator) and of the lifecycle workflows
(approvers of the provincial, city and county offices, the county's applicant, ops).
Idempotent: a second run finds everything in place and only prints the accounts again."""
import json
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from jiyue.identity.models import PlatformRole, SiteRole, User
from jiyue.identity.services.roles import grant_platform_role, grant_site_role
from jiyue.identity.services.users import create_user
from tenants.provisioning.services.provision import provision_site
from tenants.registry.models import Level, OrgUnit, OrgUnitKind, Site
from tenants.registry.services.sites import apply_for_site, approve_site_application

PORT_SUFFIX = ":8000"

# (unit code, unit name, kind, level, parent unit code, site code, site name, host, identity code)
UNITS = [
    ("sf", "示范省人民政府", OrgUnitKind.GOVERNMENT, Level.PROVINCE, None, "sheng", "示范省人民政府门户网站",
     "www.sheng.localhost", "3200000001"),
    ("sf-dc", "东城市人民政府", OrgUnitKind.GOVERNMENT, Level.CITY, "sf", "dongcheng", "东城市人民政府门户网站",
     "www.dongcheng.localhost", "3201000001"),
    ("sf-xc", "西城市人民政府", OrgUnitKind.GOVERNMENT, Level.CITY, "sf", "xicheng", "西城市人民政府门户网站",
     "www.xicheng.localhost", "3202000001"),
    ("sf-fgw", "示范省发展和改革委员会", OrgUnitKind.DEPARTMENT, Level.PROVINCE, "sf", "sheng_fgw",
     "示范省发展和改革委员会网站", "fgw.sheng.localhost", "3200000002"),
    ("sf-jyt", "示范省教育厅", OrgUnitKind.DEPARTMENT, Level.PROVINCE, "sf", "sheng_jyt", "示范省教育厅网站",
     "jyt.sheng.localhost", "3200000003"),
    ("sf-dc-gaj", "东城市公安局", OrgUnitKind.DEPARTMENT, Level.CITY, "sf-dc", "dongcheng_gaj",
     "东城市公安局网站", "gaj.dongcheng.localhost", "3201000002"),
]

# A unit without a site: its applicant walks through the opening workflow.
COUNTY = ("sf-dc-dh", "东湖县人民政府", "sf-dc")

# (username, full name, role, unit code the person works for or reviews for)
ACCOUNTS = [
    ("shenpi", "省审批员", "approver", None),
    ("bianji", "李编辑", "editor", None),
    ("shenhe", "王审核", "reviewer", None),
    ("guanli", "赵管理", "site_admin", None),
    ("dcshenpi", "东城市审批员", "approver", "sf-dc"),
    ("dhshenpi", "东湖县审批员", "approver", "sf-dc-dh"),
    ("dhshenq", "东湖县申请人", "applicant", "sf-dc-dh"),
]


def _passwords_file():
    return settings.JIYUE_DATA_DIR / "demo-accounts.json"


def _load_passwords() -> dict:
    path = _passwords_file()
    return json.loads(path.read_text()) if path.exists() else {}


def seed_demo() -> dict[str, str]:
    """Create what is missing; return {username: password}."""
    passwords = _load_passwords()
    with transaction.atomic():
        ops = User.objects.filter(username="yunwei").first()
        if ops is None:
            passwords["yunwei"] = secrets.token_urlsafe(9)
            ops = create_user("yunwei", passwords["yunwei"], full_name="张运维", validate=False)
            grant_platform_role(ops, PlatformRole.OPS, acting_user=None)
        users = {}
        for username, full_name, _role, _unit in ACCOUNTS:
            user = User.objects.filter(username=username).first()
            if user is None:
                passwords[username] = secrets.token_urlsafe(9)
                user = create_user(username, passwords[username], full_name=full_name, validate=False)
            users[username] = user
        grant_platform_role(users["shenpi"], PlatformRole.APPROVER, acting_user=None)
    path = _passwords_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(passwords, ensure_ascii=False, indent=2))
    path.chmod(0o600)

    units = {}
    for unit_code, unit_name, kind, level, parent_code, code, name, host, identity in UNITS:
        unit, _ = OrgUnit.objects.get_or_create(
            code=unit_code, defaults={"name": unit_name, "kind": kind, "level": level,
                                      "parent": units.get(parent_code)})
        units[unit_code] = unit
        site = Site.objects.filter(short_code=code).first()
        if site is None:
            site = apply_for_site(acting_user=ops, org_unit=unit, name=name, short_code=code, hosts=[host],
                                  sponsor=unit_name, operator="示范省大数据中心", identity_code=identity)
            approve_site_application(site, acting_user=users["shenpi"])
        if not site.is_provisioned:
            provision_site(site, acting_user=ops)
            site.refresh_from_db()
        # The editor, the reviewer and the site administrator work on the provincial portal
        # and one city portal.
        if code in ("sheng", "dongcheng"):
            grant_site_role(users["bianji"], site, SiteRole.EDITOR, acting_user=None)
            grant_site_role(users["shenhe"], site, SiteRole.REVIEWER, acting_user=None)
            grant_site_role(users["guanli"], site, SiteRole.SITE_ADMIN, acting_user=None)
        if code == "sheng":
            with tenant_context(site):
                _seed_content(editor=users["bianji"], reviewer=users["shenhe"])
    _seed_lifecycle_people(units, users)
    return passwords


@transaction.atomic
def _seed_lifecycle_people(units, users) -> None:
    """The county (no site yet), its applicant, and the approvers of its review chain."""
    code, name, parent_code = COUNTY
    units[code], _ = OrgUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": OrgUnitKind.GOVERNMENT, "level": Level.COUNTY,
                             "parent": units[parent_code]})
    for username, _full_name, role, unit_code in ACCOUNTS:
        user = users[username]
        if role == "approver" and unit_code:
            grant_platform_role(user, PlatformRole.APPROVER, acting_user=None, org_unit=units[unit_code])
        if role == "applicant" and user.org_unit_id != units[unit_code].pk:
            user.org_unit = units[unit_code]
            user.save(update_fields=["org_unit"])


def _seed_content(*, editor, reviewer) -> None:
    """A policy document with its interpretation and a news item, written by the
    editor and approved by the reviewer (保密审查) through the site's real workflow."""
    from shared_library.taxonomy.models import Term
    from tenants.columns.models import ColumnPage
    from tenants.content.models import ArticlePage, InterpretationPage, PolicyDocumentPage
    from tenants.review.services.approval import approve_current_step
    from tenants.review.services.submission import submit_for_review

    if PolicyDocumentPage.objects.exists():
        return
    today = timezone.localdate()
    policy = PolicyDocumentPage(
        title="示范省人民政府办公厅关于推进政府网站集约化建设的通知", live=False,
        issuing_organ="示范省人民政府办公厅", document_number=f"示政办发〔{today.year}〕1号",
        written_date=today, publish_date=today,
        topic=Term.objects.get(taxonomy__code="topic", name="综合政务"),
        genre=Term.objects.get(taxonomy__code="genre", name="通知"),
        body=[("paragraph", "<p>各市人民政府，省政府各部门：</p><p>为提升政府网站集约化水平，"
                            "现就统一技术平台建设有关事项通知如下。</p>")])
    interpretation = InterpretationPage(
        title="《关于推进政府网站集约化建设的通知》政策解读", live=False, interpreting_organ="示范省人民政府办公厅",
        summary="一图读懂集约化平台建设的主要任务。", body=[("paragraph", "<p>一、出台背景……</p>")])
    article = ArticlePage(title="示范省政府网站集约化平台上线运行", live=False, source="示范省人民政府办公厅",
                          body=[("paragraph", "<p>全省政府网站统一迁入集约化平台。</p>")])
    for page, slug in ((policy, "zcwj"), (interpretation, "zcjd"), (article, "zwyw")):
        if page is interpretation:
            page.policy = policy
        ColumnPage.objects.get(slug=slug).add_child(instance=page)
        page.save_revision(user=editor)
        submit_for_review(page, acting_user=editor)
        approve_current_step(page, acting_user=reviewer, secrecy_confirmed=True, acknowledge_warnings=True,
                             comment="示范数据")
