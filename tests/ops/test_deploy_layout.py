"""deploy/lib.sh: the web servers deploy/up starts and the nginx configuration that routes to them. Officers'
pages go to one-process servers that nginx picks by least_conn (an idle one when there is one)."""

import os
import re
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "deploy" / "lib.sh"


def deploy_lib(tmp_path, command: str, **env) -> str:
    """Run `command` after sourcing deploy/lib.sh on a new state directory, with `env` set."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    done = subprocess.run(["bash", "-c", f'source "{LIB}"; {command}'], capture_output=True, text=True, check=True,
                          env=keep | {"MOTCUA_STATE": str(tmp_path / "state")} | env)
    return done.stdout


def test_each_officers_process_is_a_server_of_its_own_on_the_next_port(tmp_path):
    lines = deploy_lib(tmp_path, "web_servers", WEB_PORT_BASE="9100", STAFF_WORKERS="4").splitlines()
    assert lines == [
        "web-portal 9100 2 0", "web-api 9101 2 5",
        "web-staff-1 9102 1 0", "web-staff-2 9103 1 0", "web-staff-3 9104 1 0", "web-staff-4 9105 1 0",
    ]


def test_nginx_sends_officers_pages_to_the_least_busy_staff_server(tmp_path):
    conf = deploy_lib(tmp_path, "nginx_conf", WEB_PORT_BASE="9100", STAFF_WORKERS="3", NGINX_PORT="9090")
    staff = conf[conf.index("upstream motcua_staff {"):]
    staff = staff[:staff.index("}")]
    assert "least_conn;" in staff
    assert [line.strip() for line in staff.splitlines() if line.strip().startswith("server ")] == [
        "server 127.0.0.1:9102 max_fails=1 fail_timeout=2s;", "server 127.0.0.1:9103 max_fails=1 fail_timeout=2s;",
        "server 127.0.0.1:9104 max_fails=1 fail_timeout=2s;", "server 127.0.0.1:9100 backup;", "server 127.0.0.1:9101 backup;",
    ]
    assert re.findall(r"@[A-Z_]+@", conf.split("\n", 2)[2]) == []  # every placeholder filled (the comment names them)
    assert "zone motcua_staff" in staff  # the counts least_conn goes by, shared by nginx's workers
    for kind in ("portal", "api"):  # while the portal or the API server restarts, every staff process helps
        upstream = conf[conf.index(f"upstream motcua_{kind} {{"):]
        upstream = upstream[:upstream.index("}")]
        assert all(f"server 127.0.0.1:{port} backup;" in upstream for port in (9102, 9103, 9104))


def test_up_stops_web_servers_of_an_earlier_layout_first(tmp_path):
    # The single web-staff of before, and a web-staff-3 left over when STAFF_WORKERS went from 3 to 2:
    # granian shares a port (SO_REUSEPORT), so they would go on answering beside the new servers.
    run = tmp_path / "state" / "run"
    run.mkdir(parents=True)
    supervisors = {name: subprocess.Popen(["sleep", "60"]) for name in ("web-staff", "web-staff-3", "web-staff-1", "web-api")}
    for process in supervisors.values():  # reaped the moment they end, as a real supervisor's parent would
        threading.Thread(target=process.wait, daemon=True).start()
    try:
        for name, process in supervisors.items():
            (run / f"{name}.pid").write_text(str(process.pid))
        out = deploy_lib(tmp_path, "stop_stale_web_servers", STAFF_WORKERS="2")
        assert sorted(out.split()) == sorted("deploy: stopping web-staff deploy: stopping web-staff-3".split())
        assert supervisors["web-staff"].wait(5) == -signal.SIGTERM and supervisors["web-staff-3"].wait(5) == -signal.SIGTERM
        assert supervisors["web-staff-1"].poll() is None and supervisors["web-api"].poll() is None
    finally:
        for process in supervisors.values():
            process.kill()
            process.wait()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")
def test_the_rendered_configuration_is_valid_nginx(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(deploy_lib(tmp_path, "nginx_conf", WEB_PORT_BASE="9100", STAFF_WORKERS="2", NGINX_PORT="9090")
                    .replace("user www-data;", ""))
    (tmp_path / "state" / "log").mkdir(parents=True, exist_ok=True)
    for part in ("run", "nginx/tmp/body", "nginx/tmp/proxy", "nginx/tmp/fastcgi", "nginx/tmp/uwsgi", "nginx/tmp/scgi"):
        (tmp_path / "state" / part).mkdir(parents=True, exist_ok=True)
    checked = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
