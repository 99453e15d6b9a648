"""The back office speaks Simplified Chinese: every Wagtail string that Wagtail's own
zh_Hans catalogues lack is translated in platform/jiyue/locale (LOCALE_PATHS), the
compiled .mo files match their .po sources, and Django actually serves the Chinese."""
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation

from tests.jiyue.translation_script import gaps_script


@pytest.fixture(autouse=True)
def _database():
    """Overrides tests/conftest.py's autouse fixture: these tests read catalogues and
    never touch the database, so they need not wait for the migrated test database."""
    yield


def test_our_catalogues_are_where_django_looks_first():
    assert Path(settings.LOCALE_PATHS[0]).resolve() == gaps_script.JIYUE_LOCALE.resolve()
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_no_wagtail_string_is_left_untranslated():
    gaps = gaps_script.wagtail_gaps()
    listing = {domain: [f"{app}: {msgid!r}" for (_, msgid), (app, _) in entries.items()][:20]
               for domain, entries in gaps.items() if entries}
    assert not listing, (
        "Wagtail strings without a zh_Hans translation; run "
        "`python3 scripts/wagtail_translation_gaps.py --po`, translate them in "
        f"platform/jiyue/locale/zh_Hans/LC_MESSAGES and compile with msgfmt --check: {listing}")


@pytest.mark.parametrize("domain", gaps_script.DOMAINS)
def test_translations_keep_placeholders_tags_and_plural_forms(domain):
    assert gaps_script.format_problems(gaps_script.jiyue_catalogue(domain)) == []


@pytest.mark.parametrize("domain", gaps_script.DOMAINS)
def test_compiled_catalogue_matches_its_source(domain):
    stale = gaps_script.po_mo_differences(domain)
    assert stale == [], f"recompile {domain}.mo with msgfmt --check: {stale[:10]}"


def test_editor_sees_chinese_in_the_back_office():
    with translation.override("zh-hans"):
        # Strings Wagtail's zh_Hans lacks, filled by our catalogue.
        assert translation.gettext("The page could not be saved as it is locked.") == "页面已被锁定，无法保存。"
        assert translation.gettext("Schedule to publish") == "定时发布"
        assert translation.gettext("Locked by workflow") == "已被工作流锁定"
        assert translation.gettext("Go-live:") == "上线时间："
        assert translation.gettext("Compare") == "比较"
        assert (translation.gettext("The %(model_name)s could not be saved as it is locked")
                % {"model_name": "页面"}) == "该页面已被锁定，无法保存"
        assert (translation.ngettext("%(num_parent_objects)d page has been published",
                                     "%(num_parent_objects)d pages have been published", 3)
                % {"num_parent_objects": 3}) == "已发布 3 个页面"
        # Government wording overrides Wagtail's own zh_Hans for the workflow's reject action.
        assert translation.gettext("Request changes") == "退回修改"
        # Wagtail's existing translations still come through.
        assert translation.gettext("Publish") == "发布"
        assert translation.gettext("Unpublish") == "取消发布"


def test_admin_javascript_catalogue_is_chinese():
    from wagtail.admin.views.i18n import localized_js_catalog

    request = RequestFactory().get("/admin/jsi18n/")
    request.user = AnonymousUser()
    with translation.override("zh-hans"):
        content = localized_js_catalog(request).content.decode()
    # The view writes the catalogue with json.dumps (non-ASCII escaped).
    assert f'{json.dumps("Autosave in progress…")}: {json.dumps("正在自动保存…")}' in content
    assert json.dumps("插入块") in content  # "Insert a block"
    assert json.dumps("%(num)s 个错误") in content  # plural "%(num)s error"
