"""deploy/motcua_site/wsgi.py, the entry point behind nginx: the client's address from nginx, and nothing
of the server's own environment in a request's environ (granian puts all of it there)."""

import gc
import importlib.util
import os
from pathlib import Path

import pytest

WSGI = Path(__file__).resolve().parents[2] / "deploy" / "motcua_site" / "wsgi.py"


@pytest.fixture
def entry(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "khoa-bi-mat-cua-may-chu")
    monkeypatch.setenv("DATABASE_URL", "postgres://motcua:mat-khau@db.example/motcua")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    spec = importlib.util.spec_from_file_location("deploy_site_wsgi_under_test", WSGI)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    gc.unfreeze()  # the module froze this test process's objects as a web process does; undo it here
    seen = []
    module._site = lambda environ, start_response: seen.append(dict(environ)) or [b"ok"]
    return module, seen


def as_granian_passes_it(**request):
    return dict(os.environ) | {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "REMOTE_ADDR": "127.0.0.1"} | request


def test_the_servers_environment_is_not_in_the_request(entry):
    module, seen = entry
    module.application(as_granian_passes_it(), lambda *a: None)
    environ = seen[0]
    assert "SECRET_KEY" not in environ and "DATABASE_URL" not in environ and "HTTP_PROXY" not in environ
    assert not any("mat-khau" in str(v) or "khoa-bi-mat" in str(v) for v in environ.values())
    assert environ["PATH_INFO"] == "/healthz" and environ["REQUEST_METHOD"] == "GET"


def test_a_header_the_client_sent_stays_even_if_the_server_has_a_variable_of_that_name(entry):
    module, seen = entry
    module.application(as_granian_passes_it(HTTP_PROXY="gia-tri-cua-khach"), lambda *a: None)
    assert seen[0]["HTTP_PROXY"] == "gia-tri-cua-khach"


def test_the_clients_address_comes_from_nginx_only_when_nginx_sent_the_request(entry):
    module, seen = entry
    module.application(as_granian_passes_it(HTTP_X_REAL_IP="203.0.113.7"), lambda *a: None)
    module.application(as_granian_passes_it(REMOTE_ADDR="198.51.100.2", HTTP_X_REAL_IP="203.0.113.7"), lambda *a: None)
    module.application(as_granian_passes_it(HTTP_X_REAL_IP="khong-phai-dia-chi"), lambda *a: None)
    assert [e["REMOTE_ADDR"] for e in seen] == ["203.0.113.7", "198.51.100.2", "127.0.0.1"]
