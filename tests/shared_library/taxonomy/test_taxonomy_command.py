"""`jiyue taxonomy import|export|show`: the summary line, every bad line on stderr with
exit code 1 and nothing written, --dry-run, --name for a new taxonomy."""
import io
import os
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shared_library.taxonomy.models import Taxonomy, Term


def jiyue(*args):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="jiyue.settings")
    return subprocess.run([sys.executable, "-m", "jiyue", *args], capture_output=True, text=True, env=env,
                          timeout=120)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("taxonomy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _file(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "terms.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_import_prints_the_changes_and_the_summary_line(topics, tmp_path):
    path = _file(tmp_path, "code,name,parent_code,sort_order\n0902,生态环境保护,09,2\n0903,节能减排,09,3\n")
    out, _err = _run("import", topics.code, path)
    lines = out.strip().splitlines()
    assert lines[-1] == "新增1个，更新1个，未变0个，停用0个；另有5个分类不在文件中，保持不变"
    assert "第2行：更新 0902 “生态环境保护”：原名“环境保护”" in lines
    assert "第3行：新增 0903 “节能减排”，上级：09" in lines
    assert Term.objects.get(taxonomy=topics, code="0903").parent.code == "09"


def test_dry_run_writes_nothing(topics, tmp_path):
    path = _file(tmp_path, "code,name\n01,综合政务\n0101,公开\n0199,新的\n", "gb18030")
    out, _err = _run("import", topics.code, path, "--dry-run", "--deactivate-missing")
    assert out.strip().splitlines()[-1] == "试运行，未写入：新增1个，更新1个，未变1个，停用4个"
    assert not Term.objects.filter(taxonomy=topics, code="0199").exists()
    assert Term.objects.filter(taxonomy=topics, is_active=True).count() == 6


def test_a_bad_file_exits_1_with_every_bad_line_and_writes_nothing(topics, tmp_path):
    path = _file(tmp_path, "code,name,parent_code\n0103,,01\n0104,孤儿,99\n0105,好的,01\n")
    result = jiyue("taxonomy", "import", topics.code, path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "第2行：名称为空", "第3行：上级代码“99”既不在文件中，也不在分类体系中",
        "CommandError: 未写入任何内容：请修改文件后重新导入"]
    assert not Term.objects.filter(taxonomy=topics, code__in=["0103", "0104", "0105"]).exists()


def test_a_new_taxonomy_needs_a_name(tmp_path):
    code = f"tx-{uuid.uuid4().hex[:8]}"
    path = _file(tmp_path, "\ufeffcode,name,parent_code\nP,个人,\nP1,老年人,P\n")
    with pytest.raises(CommandError, match="没有代码为“.*”的分类体系；如需新建，请用 --name 给出名称"):
        _run("import", code, path)
    result = jiyue("taxonomy", "import", code, path, "--name", f"服务对象{code}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[0] == f"新建分类体系“服务对象{code}”（{code}）"
    assert Taxonomy.objects.get(code=code).terms.count() == 2


def test_show_and_export(topics, tmp_path):
    out, _err = _run("show", topics.code)
    assert out.splitlines()[:2] == ["01 综合政务", "  0101 政务公开"]
    assert "    090201 环境监测" in out.splitlines()
    target = tmp_path / "out.csv"
    _run("export", topics.code, str(target))
    assert target.read_bytes().decode("utf-8-sig").splitlines()[:2] == [
        "code,name,parent_code,sort_order,is_active", "01,综合政务,,1,1"]
