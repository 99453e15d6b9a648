"""The `jiyue` command: bad input gives a non-zero exit and one line saying what is
wrong, and nothing is written."""
import os
import subprocess
import sys

from tenants.registry.models import Site
from tests.factories import make_online_site, make_province, unique


def jiyue(*args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jiyue.settings")
    return subprocess.run([sys.executable, "-m", "jiyue", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def test_create_site_with_a_bad_identity_code_exits_non_zero_with_one_line():
    unit = make_province()
    code = unique("s")
    result = jiyue("create_site", "--unit", unit.code, "--name", "测试网站", "--code", code,
                   "--host", f"www.{code}.localhost", "--sponsor", unit.name, "--identity-code", "12AB")
    assert result.returncode == 1
    assert "网站标识码应为10位数字" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not Site.objects.filter(short_code=code).exists()


def test_create_site_with_a_duplicate_host_exits_non_zero():
    taken = make_online_site()
    unit = make_province()
    code = unique("s")
    result = jiyue("create_site", "--unit", unit.code, "--name", "测试网站", "--code", code,
                   "--host", taken.primary_host, "--sponsor", unit.name)
    assert result.returncode == 1 and "已被其他网站使用" in result.stderr
    assert not Site.objects.filter(short_code=code).exists()


def test_unknown_site_code_exits_non_zero():
    result = jiyue("provision_site", "--site", "no_such_site")
    assert result.returncode == 1 and "网站代号不存在：no_such_site" in result.stderr


def test_create_site_then_provision_from_the_command_line():
    from jiyue.identity.models import PlatformRole
    from tests.factories import make_user

    approver = make_user("approver", PlatformRole.APPROVER)
    unit = make_province()
    code = unique("s")
    created = jiyue("create_site", "--unit", unit.code, "--name", "命令行网站", "--code", code,
                    "--host", f"www.{code}.localhost", "--sponsor", unit.name, "--approve-as", approver.username)
    assert created.returncode == 0, created.stderr
    provisioned = jiyue("provision_site", "--site", code)
    assert provisioned.returncode == 0, provisioned.stderr
    assert Site.objects.get(short_code=code).status == "online"


def test_migrate_with_nothing_to_do_skips_every_site():
    make_online_site()
    result = jiyue("migrate")
    assert result.returncode == 0, result.stderr
    assert "失败0" in result.stdout and "重放0" in result.stdout


def test_import_dictionary_creates_a_version_and_a_broken_row_saves_nothing(tmp_path):
    from tenants.checks.models import Dictionary

    name = unique("词库")
    good = tmp_path / "good.csv"
    good.write_text("词语,分类,级别\n绝密,涉密,禁止\n内部资料,涉密,提示\n", encoding="utf-8-sig")
    result = jiyue("import_dictionary", "--name", name, "--kind", "sensitive", "--file", str(good))
    assert result.returncode == 0, result.stderr
    assert "第2版\t2个词条" in result.stdout
    dictionary = Dictionary.objects.get(name=name, site=None)
    broken = tmp_path / "broken.csv"
    broken.write_text("词语,分类,级别\n机密,涉密,禁止\n秘密,涉密,严重\n", encoding="utf-8")
    result = jiyue("import_dictionary", "--name", name, "--file", str(broken))
    assert result.returncode == 1 and "第3行" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    dictionary.refresh_from_db()
    assert dictionary.active_version.number == 2 and dictionary.versions.count() == 2


def test_every_jiyue_command_explains_itself_in_the_active_language():
    """Commands declare a lazy `help`; JiyueBaseCommand translates it for argparse."""
    from django.core.management import get_commands, load_command_class
    from django.utils import translation

    from jiyue.lib.management import JiyueBaseCommand

    def help_text(app, name, language):
        with translation.override(language):
            return load_command_class(app, name).create_parser("jiyue", name).format_help()

    ours = {name: app for name, app in get_commands().items()
            if isinstance(load_command_class(app, name), JiyueBaseCommand)}
    assert {"grant_role", "create_site", "import_dictionary", "migrate_sites"} <= set(ours)
    for name, app in ours.items():
        assert help_text(app, name, "zh-hans") != help_text(app, name, "en"), name
    assert "授予角色" in help_text(ours["grant_role"], "grant_role", "zh-hans")
    assert "Grants a role" in help_text(ours["grant_role"], "grant_role", "en")
