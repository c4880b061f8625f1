"""deploy/lib.sh: the web servers deploy/up starts and the nginx configuration that routes to them. Officers'
pages go to one-process servers that nginx picks by least_conn (an idle one when there is one)."""

import os
import re
import shutil
import subprocess
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
    portal = conf[conf.index("upstream motcua_portal {"):]
    assert "server 127.0.0.1:9102 backup;" in portal[:portal.index("}")]


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
