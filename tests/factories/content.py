"""Content made and reviewed through the real page API and review services."""
import datetime

from wagtail.models import Page

from shared_library.taxonomy.models import Term
from tenants.columns.models import ColumnPage
from tenants.content.models import ArticlePage, PolicyDocumentPage
from tenants.review.services.approval import approve_current_step
from tenants.review.services.submission import submit_for_review


def column(slug="zcwj"):
    """A column of the current site's tree (both kinds of site have 政策文件 zcwj)."""
    return ColumnPage.objects.get(slug=slug)


def term(taxonomy, name):
    return Term.objects.get(taxonomy__code=taxonomy, name=name)


def add_article(parent=None, *, user=None, title="测试新闻", body_text="正文内容", **fields):
    if parent is None:
        parent = ColumnPage.objects.filter(slug__in=["zwyw", "gzdt"]).first() or column()
    page = ArticlePage(title=title, body=[("paragraph", f"<p>{body_text}</p>")], live=False, **fields)
    parent.add_child(instance=page)
    page.save_revision(user=user)
    return page


def add_policy(parent=None, *, user=None, title="关于测试工作的通知", body_text="通知正文", **fields):
    parent = parent or column("zcwj")
    values = {
        "issuing_organ": "测试市人民政府办公室", "document_number": "测政办发〔2026〕1号",
        "written_date": datetime.date(2026, 11, 20), "publish_date": datetime.date(2026, 11, 23),
        "topic": term("topic", "综合政务"), "genre": term("genre", "通知"),
    }
    values.update(fields)
    page = PolicyDocumentPage(title=title, body=[("paragraph", f"<p>{body_text}</p>")], live=False, **values)
    parent.add_child(instance=page)
    page.save_revision(user=user)
    return page


def submit(page, user):
    return submit_for_review(page, acting_user=user)


def approve(page, reviewer, *, secrecy_confirmed=True, acknowledge_warnings=False, comment=""):
    return approve_current_step(page, acting_user=reviewer, secrecy_confirmed=secrecy_confirmed,
                                acknowledge_warnings=acknowledge_warnings, comment=comment)


def fresh(page):
    """The page as stored now (its specific class)."""
    return Page.objects.get(pk=page.pk).specific


def publish_through_review(page, editor, reviewer):
    submit(page, editor)
    approve(page, reviewer)
    return fresh(page)
