"""The test suite's settings: the project's own (motcua.settings, production defaults), with what the
suite needs on top. Production settings never look at what is imported; a test that wants the production
values starts a fresh process with DJANGO_SETTINGS_MODULE=motcua.settings.

Each value below can still be changed from the environment, as in motcua.settings, and a test switches
a feature back on where it tests it (settings.MOTCUA_REQUIRE_TOTP = True, MOTCUA_CHECK_SECRETS = True…)."""

from motcua.settings import *  # noqa: F403
from motcua.settings import HUEY, env

# Background tasks run in-process and at once (tests/notify/test_worker_killed.py starts a real worker).
HUEY = {**HUEY, "immediate": env.bool("HUEY_IMMEDIATE", default=True)}

# The local stand-ins for outside services under /lien-thong/ (DVCQG, population data, payment sandbox).
MOTCUA_LOCAL_RECEIVERS = env.bool("MOTCUA_LOCAL_RECEIVERS", default=True)

# Two-step sign-in is not required of heads and admins; tests/org/test_totp.py turns it on.
MOTCUA_REQUIRE_TOTP = env.bool("MOTCUA_REQUIRE_TOTP", default=False)

# Plain http on the test client's loopback; tests/ops/test_security_headers.py checks the production values.
MOTCUA_HTTPS = env.bool("MOTCUA_HTTPS", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=MOTCUA_HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=MOTCUA_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=MOTCUA_HTTPS)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if MOTCUA_HTTPS else 0)

# The suite runs on the built-in secrets; tests/ops/test_secrets.py turns the check on.
MOTCUA_CHECK_SECRETS = False
