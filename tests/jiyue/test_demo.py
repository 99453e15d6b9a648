"""The README's first command: `jiyue demo` with nothing configured starts an embedded
PostgreSQL, seeds the demo province, serves it, stops everything on Ctrl-C, and a
second run reuses the data."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

pytestmark = pytest.mark.demo


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo_env(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env["JIYUE_DATA_DIR"] = str(data_dir)
    return env


def _fetch(port, host, path="/"):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _postgres_processes(data_dir):
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(data_dir) in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def _wait_for_line(process, text, lines, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        lines.append(line)
        if text in line:
            return
    raise AssertionError("demo did not get ready:\n" + "".join(lines))


def test_demo_serves_stops_on_ctrl_c_and_reuses_its_data(tmp_path):
    data_dir = tmp_path / "data"
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "jiyue", "demo", "--port", str(port)],
                               env=_demo_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    lines = []
    try:
        _wait_for_line(process, "按 Ctrl-C 停止", lines, timeout=240)
        output = "".join(lines)
        shenpi_password = next(line.split()[1] for line in lines if line.strip().startswith("shenpi"))
        assert "http://www.sheng.localhost" in output and "http://console.localhost" in output
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, body = _fetch(port, "www.sheng.localhost")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200 and "示范省人民政府门户网站" in body
        status, body = _fetch(port, "console.localhost", "/login/")
        assert status == 200 and "统一身份认证" in body
        assert _fetch(port, "www.dongcheng.localhost", "/zwgk/")[0] == 200
        # Sample content went through the real review (保密审查) and is live.
        status, body = _fetch(port, "www.sheng.localhost", "/zwgk/zcwj/")
        assert status == 200 and "关于推进政府网站集约化建设的通知" in body
        assert _postgres_processes(data_dir), "the embedded PostgreSQL serves the demo"
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's process group
        process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _postgres_processes(data_dir) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _postgres_processes(data_dir), "Ctrl-C stops the embedded PostgreSQL too"
    with pytest.raises(OSError):
        _fetch(port, "www.sheng.localhost")

    again = subprocess.run([sys.executable, "-m", "jiyue", "demo", "--no-serve"], env=_demo_env(data_dir),
                           capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stderr
    assert "公共schema：执行0个迁移" in again.stdout and "6个无需迁移" in again.stdout
    assert f"shenpi   {shenpi_password}" in again.stdout
