"""Production settings do not depend on what is imported: the test suite's defaults live in
tests/settings.py, and motcua.settings gives production values even in a process that has imported pytest
(a bench script, a worker started by a test, a tool that happens to load it)."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SHOW = """
import pytest, django
django.setup()
from django.conf import settings as s
from motcua.ops.secrets import enforced
print(s.MOTCUA_LOCAL_RECEIVERS, s.HUEY["immediate"], s.MOTCUA_REQUIRE_TOTP, s.MOTCUA_HTTPS,
      s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, enforced())
"""
NAMES = ("receivers", "immediate", "totp", "https", "redirect", "secure_cookie", "secrets_checked")
SET_BY_TESTS = {"DEBUG", "HUEY_IMMEDIATE", "MOTCUA_LOCAL_RECEIVERS", "MOTCUA_REQUIRE_TOTP", "MOTCUA_HTTPS",
                "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "DJANGO_SETTINGS_MODULE"}


def _settings(module: str, **env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SET_BY_TESTS}
    out = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, timeout=60, cwd=REPO,
                         env={**clean, "PYTHONPATH": f"{REPO / 'src'}:{REPO}", "DJANGO_SETTINGS_MODULE": module,
                              **env})
    assert out.returncode == 0, out.stderr
    return dict(zip(NAMES, out.stdout.split(), strict=True))


def test_production_settings_are_the_same_in_a_process_that_imported_pytest():
    assert _settings("motcua.settings", DEBUG="0") == {
        "receivers": "False", "immediate": "False", "totp": "True", "https": "True", "redirect": "True",
        "secure_cookie": "True", "secrets_checked": "True"}


def test_the_suite_gets_its_defaults_from_its_own_settings_module():
    assert _settings("tests.settings", DEBUG="0") == {
        "receivers": "True", "immediate": "True", "totp": "False", "https": "False", "redirect": "False",
        "secure_cookie": "False", "secrets_checked": "False"}
