"""No site runs on a default secret (issue 18, item 1): with DEBUG off the site, the worker and every
command refuse to start while a secret is missing, built-in or too short."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.ops import startup
from motcua.ops.secrets import check_secrets

REPO = Path(__file__).resolve().parents[2]
GOOD = {"SECRET_KEY": secrets.token_urlsafe(50), "MOTCUA_PAYMENT_SECRET": secrets.token_urlsafe(32)}


@pytest.fixture
def production(settings):
    settings.MOTCUA_CHECK_SECRETS = True
    for name, value in GOOD.items():
        setattr(settings, name, value)
    settings.METRICS_TOKEN = ""
    settings.MOTCUA_DVCQG_URL = settings.MOTCUA_POPULATION_URL = settings.MOTCUA_SMS_URL = ""
    settings.MOTCUA_ZALO_URL = ""
    return settings


def refused(settings=None) -> set[str]:
    return {e.msg.split(": ", 1)[1].split(" ")[0] for e in check_secrets()}


def test_good_secrets_start(production):
    assert check_secrets() == []


@pytest.mark.parametrize("value", ["dev-only-not-secret-motcua", "sandbox-secret-not-for-production", "", "short",
                                   "a" * 60])
@pytest.mark.parametrize("name", ["SECRET_KEY", "MOTCUA_PAYMENT_SECRET"])
def test_a_built_in_missing_or_weak_secret_stops_the_site(production, name, value):
    setattr(production, name, value)
    errors = check_secrets()
    assert [e.level for e in errors] == [40]  # ERROR: the process does not start
    assert name in errors[0].msg and "Không khởi động" in errors[0].msg and name in errors[0].hint


@pytest.mark.parametrize("switch, token", [("MOTCUA_DVCQG_URL", "MOTCUA_DVCQG_TOKEN"),
                                           ("MOTCUA_POPULATION_URL", "MOTCUA_POPULATION_TOKEN"),
                                           ("MOTCUA_SMS_URL", "MOTCUA_SMS_TOKEN"),
                                           ("MOTCUA_ZALO_URL", "MOTCUA_ZALO_SECRET_KEY")])
def test_a_connector_that_is_on_needs_its_token(production, switch, token):
    setattr(production, token, "")
    assert check_secrets() == []  # off: no token needed
    setattr(production, switch, "https://dich-vu.example.gov.vn/api")
    assert refused() == {token}
    setattr(production, token, "abc123")
    assert refused() == {token}  # too short
    setattr(production, token, secrets.token_hex(16))
    assert check_secrets() == []


def test_the_metrics_token_when_set_must_be_long(production):
    production.METRICS_TOKEN = "metrics"
    assert refused() == {"METRICS_TOKEN"}
    production.METRICS_TOKEN = secrets.token_urlsafe(32)
    assert check_secrets() == []


def test_debug_keeps_the_built_in_secrets_for_make_run(settings):
    settings.MOTCUA_CHECK_SECRETS = None
    settings.DEBUG = True
    settings.SECRET_KEY = "dev-only-not-secret-motcua"
    assert check_secrets() == []


def test_a_web_process_refuses_to_serve(production):
    production.SECRET_KEY = "dev-only-not-secret-motcua"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        startup.started(lambda environ, start_response: [])


def _command(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "MOTCUA_PAYMENT_SECRET",
                                                              "MOTCUA_CHECK_SECRETS"}}
    return subprocess.run([sys.executable, "-m", "motcua", *args], capture_output=True, text=True, timeout=120,
                          cwd=REPO, env={**clean, "PYTHONPATH": str(REPO / "src"), "DEBUG": "0",
                                         "DJANGO_SETTINGS_MODULE": "motcua.settings", **env})


def test_commands_and_the_worker_refuse_to_start_on_the_built_in_secrets():
    out = _command("check")
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr and "MOTCUA_PAYMENT_SECRET" in out.stderr
    assert "Không khởi động khi khóa bí mật chưa an toàn" in out.stderr
    assert _command("check", **GOOD).returncode == 0, _command("check", **GOOD).stderr
