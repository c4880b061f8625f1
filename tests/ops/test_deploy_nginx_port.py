"""The shipped nginx on a port other than 80 (issue 18, item 5): the site must see the host with the port the
browser used, or Django's CSRF origin check refuses every form POST (403) and the links the site builds
(resumable-upload Location, password-reset mail, payment return address) lose the port.

The rendered configuration is checked, then a real nginx (skipped where it is not installed; `make test`
installs nginx-light through scripts/system-packages) is put in front of a server that echoes the Host
header, and in front of the site itself for a sign-in with a browser's cookie, token, Origin and Referer."""

import http.server
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from contextlib import contextmanager

import pytest
import requests

from tests.ops.test_deploy_layout import deploy_lib

needs_nginx = pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed here")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxied_host_header(conf: str) -> str:
    """The variable nginx sends as Host, through a `map` if the configuration uses one."""
    value = re.search(r"^\s*proxy_set_header\s+Host\s+(\S+);", conf, re.M).group(1)
    mapped = re.search(r"map\s+(\$\w+)\s+" + re.escape(value) + r"\s*\{([^}]*)\}", conf)
    if mapped:  # map $http_host $motcua_host { "" $host; default $http_host; }
        default = re.search(r"default\s+(\S+);", mapped.group(2))
        return f"{mapped.group(1)} (default {default.group(1)})"
    return value


def test_the_rendered_configuration_passes_the_host_with_its_port(tmp_path):
    conf = deploy_lib(tmp_path, "nginx_conf", NGINX_PORT="9090", WEB_PORT_BASE="9100")
    # $host is the name without the port; $host:$server_port would add ":80" behind a TLS terminator or a port
    # forward (the browser's Origin has no port there). $http_host is what the browser sent, port included.
    assert proxied_host_header(conf) in ("$http_host", "$http_host (default $http_host)")
    assert not re.search(r"proxy_set_header\s+Host\s+\$host;", conf)
    # A client's own X-Forwarded-Host is not passed on as if nginx had set it.
    host = re.search(r"^\s*proxy_set_header\s+Host\s+(\S+);", conf, re.M).group(1)
    assert re.search(r"^\s*proxy_set_header\s+X-Forwarded-Host\s+" + re.escape(host) + ";", conf, re.M)


@contextmanager
def nginx_in_front_of(tmp_path, upstream_port: int):
    """A real nginx from deploy/lib.sh nginx_conf on a free port, routing to 127.0.0.1:upstream_port; yields
    its port."""
    port = free_port()
    state = tmp_path / "state"
    conf = deploy_lib(tmp_path, "nginx_conf", NGINX_PORT=str(port), WEB_PORT_BASE=str(upstream_port), STAFF_WORKERS="1")
    # Workers as root here (www-data cannot enter pytest's private temporary directory); as the account
    # running the test otherwise.
    conf = conf.replace("user www-data;", "user root;" if os.geteuid() == 0 else "")
    for part in ("run", "log", "nginx/tmp"):
        (state / part).mkdir(parents=True, exist_ok=True)
    (state / "nginx" / "nginx.conf").write_text(conf)
    process = subprocess.Popen(["nginx", "-e", "stderr", "-g", "daemon off;", "-p", str(state / "nginx"),
                                "-c", str(state / "nginx" / "nginx.conf")], stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(10)


class EchoHost(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        EchoHost.seen.append((self.headers.get("Host"), self.headers.get("X-Forwarded-Host")))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@needs_nginx
def test_the_site_behind_nginx_sees_the_host_and_port_the_browser_used(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), EchoHost)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    EchoHost.seen = []
    try:
        with nginx_in_front_of(tmp_path, server.server_address[1]) as port:
            # What a browser sends on a non-standard port: the port is in Host (and in Origin).
            assert requests.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
            # Behind a port forward or a TLS terminator the browser sends no port: none is added.
            assert requests.get(f"http://127.0.0.1:{port}/", headers={"Host": "motcua.example.vn"}, timeout=10).ok
            # A forged X-Forwarded-Host is replaced by the real one.
            assert requests.get(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Host": "evil.example"}, timeout=10).ok
    finally:
        server.shutdown()
    assert EchoHost.seen == [(f"127.0.0.1:{port}", f"127.0.0.1:{port}"), ("motcua.example.vn", "motcua.example.vn"),
                             (f"127.0.0.1:{port}", f"127.0.0.1:{port}")]


PASSWORD = "Thanh-Hoa-mot-cua-2026"


@needs_nginx
def test_a_browser_signs_in_through_nginx_on_a_non_standard_port(tmp_path, live_server, transactional_db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("canbo.cong", password=PASSWORD)
    upstream = urllib.parse.urlsplit(live_server.url).port
    with nginx_in_front_of(tmp_path, upstream) as port:
        site = f"http://127.0.0.1:{port}"
        browser = requests.Session()
        browser.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130"
        form = browser.get(f"{site}/dang-nhap/", timeout=10)
        assert form.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        assert browser.cookies.get("csrftoken")
        # As Chromium posts a form on http://127.0.0.1:PORT: Origin and Referer carry the port.
        answer = browser.post(f"{site}/dang-nhap/", allow_redirects=False, timeout=10,
                              data={"csrfmiddlewaretoken": token, "username": "canbo.cong", "password": PASSWORD},
                              headers={"Origin": site, "Referer": f"{site}/dang-nhap/"})
        assert answer.status_code == 302, (answer.status_code, answer.text[:300])
        assert answer.headers["Location"] in ("/mot-cua/", f"{site}/mot-cua/")
        assert browser.cookies.get("sessionid")
        # Signed in: the desk answers through the same nginx (and a redirect keeps the port).
        desk = browser.get(f"{site}/mot-cua/", allow_redirects=False, timeout=10)
        assert desk.status_code in (200, 302)
        if desk.status_code == 302:
            assert not desk.headers["Location"].startswith("http://127.0.0.1/")
