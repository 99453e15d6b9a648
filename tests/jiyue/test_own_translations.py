"""Our own UI strings are Django i18n: English msgids, Simplified Chinese in a catalogue
per app (modules outside apps use the project catalogue, platform/jiyue/locale),
English as the fallback for people whose browser asks for it.

The catalogues must be complete, compiled, in step with the source (what makemessages
extracts today), must not change Django's or Wagtail's wording behind their back, and no
Chinese literal may creep back into UI code: Chinese left in source is data, listed in
CHINESE_DATA with the reason."""
import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import django
import pytest
import wagtail
from django.apps import apps

from tests.jiyue.translation_script import gaps_script

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCE_ROOTS = [REPO_ROOT / "platform", REPO_ROOT / "tenants", REPO_ROOT / "shared_library", REPO_ROOT / "ops"]
PROJECT_LOCALE = REPO_ROOT / "platform" / "jiyue" / "locale"
HAN = re.compile(r"[\u4e00-\u9fff]")

# Source files whose (non-docstring) Chinese is data, not UI.
CHINESE_DATA = {
    "platform/jiyue/demo.py": "the demo province: units, sites, accounts and seeded content",
    "platform/jiyue/settings/defaults.py": "the languages' own names and the product name 集约",
    "tenants/access/roles.py": "names of the per-site groups, stored and looked up by name",
    "tenants/checks/engine.py": "fallback finding categories, stored in revision check reports",
    "tenants/checks/lib/matcher.py": "fallback finding categories, kept in the shared matcher",
    "tenants/checks/lib/csv_formats.py": "dictionary CSV column headers: a file format",
    "tenants/checks/lib/terms.py": "severity words (禁止/提示) that dictionary CSVs contain",
    "tenants/checks/models/dictionaries.py": "the default leader titles of a new dictionary",
    "tenants/columns/column_templates.py": "the default column trees of new sites",
    "tenants/lifecycle/lib/naming.py": "the naming rule of government websites (…人民政府门户网站, …网站)",
    "tenants/review/models/records.py": "the stored conclusion of a secrecy review (不涉密)",
    "shared_library/taxonomy/standard_lists.py": "the State Council's topic and genre lists",
    "ops/retirement/sample_site.py": "the generated old county portal that tests and bench.migration crawl",
    "ops/retirement/lib/decoding.py": "the common Chinese characters that tell a right decoding from mojibake",
    "ops/retirement/lib/extract.py": "the labels old government pages use (索引号, 发布机构, 有效性…), read from pages",
    "tenants/backoffice/templates/backoffice/guide/zh_hans.html": "the editor guide: a document, one per language",
    "tenants/backoffice/templates/backoffice/guide/en.html": "the editor guide in English, naming the Chinese terms",
}


@pytest.fixture(autouse=True)
def _database():
    """These tests read source and catalogues; they need no database."""
    yield


def _our_app_dirs():
    dirs = []
    # The checkout's own virtual environment (.venv/) holds Django's and Wagtail's apps.
    environment = Path(sys.prefix).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if (path.is_relative_to(REPO_ROOT) and not path.is_relative_to(REPO_ROOT / "themes")
                and not path.is_relative_to(environment)):
            dirs.append(path)
    return sorted(dirs)


OUR_APP_DIRS = _our_app_dirs()


def _relative(path):
    return str(Path(path).relative_to(REPO_ROOT))


def _source_files():
    for root in SOURCE_ROOTS:
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".py", ".html", ".txt") or not path.is_file():
                continue
            if {"migrations", "locale", "__pycache__", "settings"} & set(path.relative_to(REPO_ROOT).parts[:-1]):
                continue
            yield path


def _outside_apps(path):
    return not any(path.resolve().is_relative_to(app_dir) for app_dir in OUR_APP_DIRS)


def _catalogue(locale_dir):
    return Path(locale_dir) / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _extract(files, base, tmp_path):
    """The catalogue makemessages writes today for `files` (relative to `base`)."""
    copy = tmp_path / "source"
    for path in files:
        target = copy / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    (copy / "locale").mkdir(parents=True)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jiyue.settings.test",
               PYTHONPATH=os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "platform")]))
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location", "-e", "html,txt,py"],
        cwd=copy, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    po = _catalogue(copy / "locale")
    return set(gaps_script.parse_po(po)) if po.exists() else set()


@pytest.mark.parametrize("app_dir", OUR_APP_DIRS, ids=_relative)
def test_each_app_catalogue_is_complete_compiled_and_well_formed(app_dir):
    po = _catalogue(app_dir / "locale")
    assert po.exists(), f"{_relative(app_dir)} has no zh_Hans catalogue"
    entries = gaps_script.parse_po(po).values()
    untranslated = [entry.msgid for entry in entries if not gaps_script.is_translated(entry)]
    assert untranslated == [], f"untranslated or fuzzy in {_relative(po)}"
    assert gaps_script.format_problems(po) == []
    assert gaps_script.po_mo_differences("django", locale_dir=app_dir / "locale") == [], \
        f"recompile {_relative(po.with_suffix('.mo'))} with msgfmt --check"


@pytest.mark.parametrize("app_dir", OUR_APP_DIRS, ids=_relative)
def test_each_app_catalogue_holds_exactly_what_its_source_marks(app_dir, tmp_path):
    files = [path for path in _source_files() if path.resolve().is_relative_to(app_dir)]
    extracted = _extract(files, app_dir, tmp_path)
    committed = set(gaps_script.parse_po(_catalogue(app_dir / "locale")))
    fix = f"run makemessages in {_relative(app_dir)} (see docs/i18n.md)"
    assert sorted(extracted - committed, key=str) == [], f"strings missing from the catalogue: {fix}"
    assert sorted(committed - extracted, key=str) == [], f"strings no longer in the source: {fix}"


def test_modules_outside_apps_are_in_the_project_catalogue(tmp_path):
    files = [path for path in _source_files() if _outside_apps(path)]
    extracted = _extract(files, REPO_ROOT, tmp_path)
    assert extracted, "no translatable string outside apps: the extraction is broken"
    project = gaps_script.parse_po(_catalogue(PROJECT_LOCALE))
    missing = sorted(extracted - set(project), key=str)
    assert missing == [], "add them to platform/jiyue/locale/zh_Hans/LC_MESSAGES/django.po"
    assert all(gaps_script.is_translated(project[key]) for key in extracted)


def _translations(mo):
    with open(mo, "rb") as handle:
        return {key: value for key, value in gettext.GNUTranslations(handle)._catalog.items() if key}


def test_app_catalogues_do_not_reword_django_or_wagtail():
    """An app listed before wagtail.admin in INSTALLED_APPS wins for a shared msgid: a
    plain "Site" would turn Wagtail's 站点 into 网站 all over the admin. Shared words
    need a msgctxt (pgettext). Deliberate rewording lives in the project catalogue."""
    theirs = {}
    for root in (Path(wagtail.__file__).parent, Path(django.__file__).parent):
        for mo in root.glob("**/locale/zh_Hans/LC_MESSAGES/django.mo"):
            for key, value in _translations(mo).items():
                theirs.setdefault(key, set()).add(value)
    # The project catalogue (LOCALE_PATHS) is consulted first, so its wording is the one in use.
    ours = _translations(PROJECT_LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.mo")
    for key, value in ours.items():
        theirs.setdefault(key, set()).add(value)
    reworded = []
    for app_dir in OUR_APP_DIRS:
        for key, value in _translations(app_dir / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").items():
            if key in theirs and value not in theirs[key]:
                reworded.append(f"{_relative(app_dir)}: {key!r} → {value!r}, theirs {sorted(theirs[key])}")
    assert reworded == []


def _docstring_lines(tree):
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _chinese_literal_lines(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        # Template comments ({# … #}) may explain in Chinese; markup may not.
        text = re.sub(r"\{#.*?#\}", lambda match: "\n" * match.group().count("\n"), text)
        return [number for number, line in enumerate(text.splitlines(), 1) if HAN.search(line)]
    tree = ast.parse(text)
    skip = _docstring_lines(tree)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value) \
                and node.lineno not in skip:
            found.add(node.lineno)
    return sorted(found)


def test_no_chinese_literal_in_ui_code():
    offenders = {}
    for path in _source_files():
        relative = _relative(path)
        if relative in CHINESE_DATA:
            continue
        lines = _chinese_literal_lines(path)
        if lines:
            offenders[relative] = lines
    assert offenders == {}, (
        "Chinese literals in UI code: write the English with gettext and the Chinese in the "
        "app's catalogue (docs/i18n.md); if it is data, list the file in CHINESE_DATA")


def test_data_files_listed_still_hold_chinese():
    """The allow-list shrinks with the code: an entry that no longer applies goes."""
    stale = [relative for relative in CHINESE_DATA if not _chinese_literal_lines(REPO_ROOT / relative)]
    assert stale == []
