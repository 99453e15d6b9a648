"""The README's two commands set up a virtual environment in the checkout instead of
writing into the system Python (PEP 668 refuses that on Debian 12 and Ubuntu 24.04).
The set-up functions of scripts/lib/setup.sh run here against a throwaway project,
with an interpreter that has no pip of its own."""
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SETUP = REPO_ROOT / "scripts" / "lib" / "setup.sh"
SCRIPTS = [REPO_ROOT / "scripts" / "demo.sh", REPO_ROOT / "scripts" / "test.sh", SETUP, REPO_ROOT / ".ci" / "run"]


def _run_setup(commands, env, cwd):
    """Source setup.sh in a fresh bash and run `commands`."""
    script = f'set -euo pipefail; . "{SETUP}"; {commands}'
    return subprocess.run(["bash", "-c", script], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    # The test suite's own venv must not be what the scripts find first.
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not (Path(p) / "activate").exists())
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def python_without_pip(tmp_path_factory):
    """A Python 3.11 interpreter without pip: a venv made --without-pip, as Debian's
    python3 is before python3-pip. ensurepip (the stdlib's) is still there."""
    base = tmp_path_factory.mktemp("nopip")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(base / "py")], check=True)
    python = base / "py" / "bin" / "python"
    assert subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode != 0
    return python


@pytest.fixture
def tiny_project(tmp_path):
    """A throwaway project for the install step, so the test installs nothing from PyPI."""
    project = tmp_path / "project"
    (project / "tinyjiyue").mkdir(parents=True)
    (project / "tinyjiyue" / "__init__.py").write_text("VALUE = 'made in the venv'\n")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "tinyjiyue"\nversion = "0.1"\n'
        '[tool.setuptools]\npackages = ["tinyjiyue"]\n')
    return project


@pytest.fixture(scope="module")
def build_wheels(tmp_path_factory):
    """pip builds an editable install in an isolated environment that needs setuptools
    and wheel: fetch them once (pip's cache usually has them), so that the installs
    under test use no index at all."""
    import setuptools

    wheels = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "-d", str(wheels),
                    f"setuptools=={setuptools.__version__}", "wheel"], check=True, capture_output=True)
    return wheels


def _offline(env, wheels):
    env["PIP_FIND_LINKS"] = str(wheels)
    env["PIP_NO_INDEX"] = "1"
    return env


def test_setup_makes_a_venv_in_the_checkout_and_runs_from_it(python_without_pip, tiny_project, build_wheels):
    env = _offline(_clean_env(JIYUE_PYTHON=str(python_without_pip), JIYUE_APT="never",
                                         JIYUE_PROJECT_DIR=str(tiny_project)), build_wheels)
    result = _run_setup('jiyue_setup_venv ""; command -v python; python -c "import tinyjiyue, sys; '
                        'print(tinyjiyue.VALUE); print(sys.prefix)"', env, tiny_project)
    assert result.returncode == 0, result.stderr + result.stdout
    venv = tiny_project / ".venv"
    lines = result.stdout.strip().splitlines()
    assert lines[-3] == str(venv / "bin" / "python")
    assert lines[-2] == "made in the venv"
    assert Path(lines[-1]) == venv
    assert (venv / "bin" / "pip").exists()
    # The interpreter it was made from still has no pip: nothing was written into it.
    assert subprocess.run([str(python_without_pip), "-m", "pip", "--version"], capture_output=True).returncode != 0


def test_second_run_reuses_the_venv_and_installs_only_after_a_change(python_without_pip, tiny_project, build_wheels):
    env = _offline(_clean_env(JIYUE_PYTHON=str(python_without_pip), JIYUE_APT="never",
                                         JIYUE_PROJECT_DIR=str(tiny_project)), build_wheels)
    first = _run_setup('jiyue_setup_venv ""', env, tiny_project)
    assert first.returncode == 0, first.stderr
    marker = tiny_project / ".venv" / "bin" / "python"
    made_at = marker.stat().st_mtime_ns

    started = time.monotonic()
    second = _run_setup('jiyue_setup_venv ""', env, tiny_project)
    elapsed = time.monotonic() - started
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stdout
    assert "making the virtual environment" not in second.stdout
    assert marker.stat().st_mtime_ns == made_at
    assert elapsed < 10, f"a second run with nothing changed took {elapsed:.1f} s"

    pyproject = tiny_project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('version = "0.1"', 'version = "0.2"'))
    third = _run_setup('jiyue_setup_venv ""; python -c "import importlib.metadata as m; '
                       'print(m.version(\'tinyjiyue\'))"', env, tiny_project)
    assert third.returncode == 0, third.stderr
    assert "installing Python packages" in third.stdout
    assert third.stdout.strip().splitlines()[-1] == "0.2"


def test_a_venv_of_another_python_version_is_remade(python_without_pip, tiny_project, build_wheels):
    env = _offline(_clean_env(JIYUE_PYTHON=str(python_without_pip), JIYUE_APT="never",
                                         JIYUE_PROJECT_DIR=str(tiny_project)), build_wheels)
    fake_bin = tiny_project / ".venv" / "bin"
    fake_bin.mkdir(parents=True)
    (fake_bin / "python").write_text("#!/bin/sh\necho 3.9\n")
    (fake_bin / "python").chmod(0o755)
    result = _run_setup('jiyue_setup_venv ""; python -c "import tinyjiyue"', env, tiny_project)
    assert result.returncode == 0, result.stderr
    assert "remaking" in result.stdout


def _one_error_line(result):
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_too_old_python_fails_early_with_one_line(tmp_path):
    # A stand-in answers the version probe as a Python 3.10 would.
    old = tmp_path / "python3.10"
    old.write_text("#!/bin/sh\necho 3.10\n")
    old.chmod(0o755)
    env = _clean_env(JIYUE_PYTHON=str(old), JIYUE_PROJECT_DIR=str(tmp_path))
    line = _one_error_line(_run_setup("jiyue_setup_venv", env, tmp_path))
    assert "Python 3.10" in line and "3.11" in line and "JIYUE_PYTHON" in line
    assert not (tmp_path / ".venv").exists()


def test_missing_interpreter_fails_with_one_line(tmp_path):
    env = _clean_env(JIYUE_PYTHON="no-such-python3", JIYUE_PROJECT_DIR=str(tmp_path))
    line = _one_error_line(_run_setup("jiyue_setup_venv", env, tmp_path))
    assert "no-such-python3" in line


def test_venv_module_missing_and_apt_not_allowed_fails_with_one_line(tmp_path):
    """Debian's python3 without python3-venv: ensurepip is not there. When apt may not
    be used, the script names the package to install and stops, making nothing."""
    shadow = tmp_path / "shadow" / "ensurepip"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('ensurepip is not available')\n")
    wrapper = tmp_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{shadow.parent}" exec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    env = _clean_env(JIYUE_PYTHON=str(wrapper), JIYUE_APT="never", JIYUE_PROJECT_DIR=str(tmp_path))
    line = _one_error_line(_run_setup("jiyue_setup_venv", env, tmp_path))
    version = "%d.%d" % sys.version_info[:2]
    assert f"python{version}-venv" in line and "apt-get" in line
    assert not (tmp_path / ".venv").exists()


def test_full_disk_fails_early_with_one_line(python_without_pip, tmp_path):
    # More free space than any disk has: the check must refuse before making anything.
    env = _clean_env(JIYUE_PYTHON=str(python_without_pip), JIYUE_PROJECT_DIR=str(tmp_path),
                     JIYUE_MIN_FREE_MB=str(10 ** 12))
    line = _one_error_line(_run_setup("jiyue_setup_venv", env, tmp_path))
    assert "not enough disk space" in line and "MB free" in line
    assert not (tmp_path / ".venv").exists()


@pytest.mark.parametrize("script", ["demo.sh", "test.sh"])
def test_help_says_what_is_installed_and_where_without_installing(script, tmp_path):
    env = _clean_env(JIYUE_VENV=str(tmp_path / "venv"))
    result = subprocess.run(["bash", str(REPO_ROOT / "scripts" / script), "--help"], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert ".venv/" in result.stdout and "python3.X-venv" in result.stdout
    assert not (tmp_path / "venv").exists()


def test_supported_python_range_matches_pyproject():
    requires = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    text = SETUP.read_text()
    low = re.search(r"^JIYUE_PYTHON_MIN=(\S+)$", text, re.M)[1]
    high = re.search(r"^JIYUE_PYTHON_MAX=(\S+)$", text, re.M)[1]
    major, minor = high.split(".")
    assert requires == f">={low},<{major}.{int(minor) + 1}"


def test_shellcheck_passes_on_the_scripts():
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: scripts/test.sh installs it (Debian package shellcheck)"
    result = subprocess.run([shellcheck, "-x", *map(str, SCRIPTS)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    assert "scripts/test.sh" in (REPO_ROOT / ".ci" / "run").read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    assert "bash scripts/test.sh" in readme and "bash scripts/demo.sh" in readme
    assert ".venv/bin/activate" in readme
