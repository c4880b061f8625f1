"""Project wiring. Everything that differs between a laptop and a province comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("MOTCUA_VAR_DIR", default=str(REPO_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(REPO_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Demo installations only: seed-demo may run and the start page lists the demo accounts and API key.
MOTCUA_DEMO = env.bool("MOTCUA_DEMO", default=DEBUG)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-motcua")
# Every process refuses to start on a missing, built-in or short secret (ops/secrets.py): None = unless
# DEBUG. The test suite's settings turn it off (tests/settings.py); no environment variable does.
MOTCUA_CHECK_SECRETS = None
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "motcua.calendar",
    "motcua.org",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.notify",
    "motcua.integrations",
    "motcua.documents",
    "motcua.payments",
    "motcua.printing",
    "motcua.desk",
    "motcua.portal",
    "motcua.applications",
    "motcua.feedback",
    "motcua.reports",
    "motcua.api",
    "motcua.web",
    "huey.contrib.djhuey",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "motcua.org.middleware.SecondFactorRequired",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.portal.identity.context",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'motcua.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE transactions: the web server and the worker queue for the write lock instead of
    # failing with "database is locked" (select_for_update is a no-op on SQLite).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory: concurrency tests need several connections to the same database.
    # One per process, so two test runs on one machine do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    # Django's backend with a health check that polls the socket instead of asking the server (ops/postgresql).
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "motcua.ops.postgresql"
    # No JIT: report queries cost just above its threshold and spent 5–30 ms compiling for a 100 ms read
    # (docs/benchmarks.md, reports); nothing here runs long enough to win it back.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Parameters sent apart from the SQL (server-side binding), and a statement run twice on a connection
    # kept prepared by psycopg: PostgreSQL then no longer parses and plans it. The tracking look-up's
    # database CPU went from 0.33 to 0.12 ms (docs/benchmarks.md). DB_PREPARED_STATEMENTS=0 turns this off,
    # e.g. behind PgBouncer older than 1.21 in transaction mode (prepared statements live per connection).
    if env.bool("DB_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

# Sign-in: django-axes locks a user name out after repeated failures (5 in a row, for 15 minutes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("MOTCUA_SIGNIN_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("MOTCUA_SIGNIN_LOCKOUT_MINUTES", default=15))
# By user name only: the staff of a one-stop centre share one public address, and locking the address
# would lock the whole counter out because of one mistyped password.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Attempts during a lockout do not extend it, so the page can say exactly when the name opens again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The lockout page: Vietnamese, with how long the name stays locked (org/views.py).
AXES_LOCKOUT_CALLABLE = "motcua.org.views.locked_out"
# A password-reset link works once, for this long.
PASSWORD_RESET_TIMEOUT = env.int("MOTCUA_PASSWORD_RESET_SECONDS", default=3600)
# A half-finished two-step sign-in (password right, code not yet given) expires after this.
MOTCUA_TOTP_PENDING_SECONDS = 300
# Download links of dossier files expire after this (documents/links.py).
MOTCUA_DOWNLOAD_LINK_SECONDS = env.int("MOTCUA_DOWNLOAD_LINK_SECONDS", default=3600)
# Heads, unit admins and superusers must turn two-step sign-in on before working (org/middleware.py).
# On in production; off with DEBUG (the demo) and in the test suite's settings (tests/settings.py).
MOTCUA_REQUIRE_TOTP = env.bool("MOTCUA_REQUIRE_TOTP", default=not DEBUG)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Staff sign in on the desk's own page; uploads live outside the static paths and are served only
# through access-checked views.
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/mot-cua/"
MEDIA_ROOT = Path(env.str("MOTCUA_MEDIA_ROOT", default=str(VAR_DIR / "uploads")))

# The province this installation serves (its code from vietnam-provinces) and the public base URL
# used in tracking links printed on receipts.
MOTCUA_PROVINCE_CODE = env.int("MOTCUA_PROVINCE_CODE", default=38)
MOTCUA_PUBLIC_URL = env.str("MOTCUA_PUBLIC_URL", default="http://127.0.0.1:8000")

# ---- ops: observability and HTTP hardening (motcua.ops; docs/deployment.md) -------------------------
INSTALLED_APPS.append("motcua.ops")
# First: the request id is set before anything can log, and every response is counted and timed.
MIDDLEWARE.insert(0, "motcua.ops.middleware.RequestIdMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "motcua.ops.middleware.SecurityHeadersMiddleware")

# Logs: one JSON object per line (LOG_FORMAT=json, the default when DEBUG is off) or readable text;
# both carry the request id and have personal data masked (ops/logs.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "motcua.ops.logs.RequestContext"},
        "mask": {"()": "motcua.ops.logs.MaskPersonalData"},
    },
    "formatters": {
        "json": {"()": "motcua.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request", "mask"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's records go through the handler above only (its default console and mail handlers
        # would write them a second time, unmasked).
        "django": {"handlers": [], "level": "INFO"},
        # The middleware writes one access line per request; Django's own would repeat it for 4xx/5xx.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# /metrics answers loopback clients, and others presenting "Authorization: Bearer <METRICS_TOKEN>".
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# HTTPS. MOTCUA_HTTPS (on unless DEBUG) sets the defaults of the four settings below; each can also be
# set alone. `make run` (DEBUG) and the tests (tests/settings.py) work over plain http on loopback.
MOTCUA_HTTPS = env.bool("MOTCUA_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=MOTCUA_HTTPS)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=MOTCUA_HTTPS)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=MOTCUA_HTTPS)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if MOTCUA_HTTPS else 0)
# Probes and scrapes come over plain http from the machine or the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto (and strips the client's own).
if env.bool("MOTCUA_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "motcua.web.views.csrf_failure"  # a Vietnamese page that says what to do, not Django's
SECURE_CONTENT_TYPE_NOSNIFF = True
# Addresses can carry a dossier code or a phone (tracking look-ups): never sent to other sites.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (ops/middleware.py adds the hashes of the few inline styles it allows).
MOTCUA_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# Other sites forms may lead to (besides the payment platform and the OIDC issuer, added by themselves).
MOTCUA_CSP_FORM_TARGETS = env.list("MOTCUA_CSP_FORM_TARGETS", default=[])
MOTCUA_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# ---- end ops ------------------------------------------------------------------------------------------

# Background work (huey). SQLite file by default; Redis when REDIS_URL is set (several workers/machines).
# HUEY_IMMEDIATE runs tasks in-process and at once (the test suite's settings, tests/settings.py).
REDIS_URL = env.str("REDIS_URL", default="")
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "motcua",
    "immediate": env.bool("HUEY_IMMEDIATE", default=False),
    "consumer": {"workers": env.int("WORKERS", default=2), "worker_type": "thread"},
    **({"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "huey.sqlite3")}),
}
# Django's cache: shared by every process in Redis when REDIS_URL is set, else per process (memory).
# Short timeouts: with Redis down, the API rate limit counts in the database instead of waiting.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
# REST API: requests per minute per key (public calls: per address); 0 = no limit. See api/ratelimit.py.
MOTCUA_API_REQUESTS_PER_MINUTE = env.int("MOTCUA_API_REQUESTS_PER_MINUTE", default=6000)

# The outbox: exponential backoff from 30 s, capped at 6 h, 16 attempts (about two days) before a
# message is marked dead; a claimed message left unfinished for 5 minutes (a killed worker) is retried.
MOTCUA_OUTBOX_BACKOFF_SECONDS = env.int("MOTCUA_OUTBOX_BACKOFF_SECONDS", default=30)
MOTCUA_OUTBOX_BACKOFF_MAX_SECONDS = env.int("MOTCUA_OUTBOX_BACKOFF_MAX_SECONDS", default=6 * 3600)
MOTCUA_OUTBOX_MAX_ATTEMPTS = env.int("MOTCUA_OUTBOX_MAX_ATTEMPTS", default=16)
MOTCUA_OUTBOX_LEASE_SECONDS = env.int("MOTCUA_OUTBOX_LEASE_SECONDS", default=300)
MOTCUA_OUTBOX_LOG = env.str("MOTCUA_OUTBOX_LOG", default=str(VAR_DIR / "outbox.log"))
MOTCUA_SMTP_TIMEOUT = env.int("MOTCUA_SMTP_TIMEOUT", default=10)
# Providers. Left empty, a channel writes to MOTCUA_OUTBOX_LOG instead (development and demo).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
MOTCUA_SMS_URL = env.str("MOTCUA_SMS_URL", default="")
MOTCUA_SMS_BRANDNAME = env.str("MOTCUA_SMS_BRANDNAME", default="MOTCUA")
MOTCUA_SMS_TOKEN = env.str("MOTCUA_SMS_TOKEN", default="")
# Zalo OA (ZNS): the template-message URL, the OAuth URL that refreshes the access token, the app's id
# and secret key, and the first refresh token (later ones are stored by the worker as they rotate).
MOTCUA_ZALO_URL = env.str("MOTCUA_ZALO_URL", default="")
MOTCUA_ZALO_OAUTH_URL = env.str("MOTCUA_ZALO_OAUTH_URL", default="https://oauth.zaloapp.com/v4/oa/access_token")
MOTCUA_ZALO_APP_ID = env.str("MOTCUA_ZALO_APP_ID", default="")
MOTCUA_ZALO_SECRET_KEY = env.str("MOTCUA_ZALO_SECRET_KEY", default="")
MOTCUA_ZALO_REFRESH_TOKEN = env.str("MOTCUA_ZALO_REFRESH_TOKEN", default="")
MOTCUA_HTTP_TIMEOUT = env.int("MOTCUA_HTTP_TIMEOUT", default=10)
# Population data: the national service's URL, or empty for the local registry (demo).
MOTCUA_POPULATION_URL = env.str("MOTCUA_POPULATION_URL", default="")
MOTCUA_POPULATION_TOKEN = env.str("MOTCUA_POPULATION_TOKEN", default="")
# The national public-service portal (DVCQG): every dossier event is synchronised when a URL is set.
MOTCUA_DVCQG_SYNC = env.bool("MOTCUA_DVCQG_SYNC", default=True)
MOTCUA_DVCQG_URL = env.str("MOTCUA_DVCQG_URL", default="")
MOTCUA_DVCQG_TOKEN = env.str("MOTCUA_DVCQG_TOKEN", default="")
# Online payment: the provider, the platform's address (empty: the project's sandbox gateway), the
# partner code and the secret that signs every message (MaXacThuc).
MOTCUA_PAYMENT_PROVIDER = env.str("MOTCUA_PAYMENT_PROVIDER", default="national")
MOTCUA_PAYMENT_URL = env.str("MOTCUA_PAYMENT_URL", default="")
MOTCUA_PAYMENT_PARTNER = env.str("MOTCUA_PAYMENT_PARTNER", default="MOTCUA")
MOTCUA_PAYMENT_SECRET = env.str("MOTCUA_PAYMENT_SECRET", default="sandbox-secret-not-for-production")
MOTCUA_PAYMENT_TOKEN = env.str("MOTCUA_PAYMENT_TOKEN", default="")
# Local stand-ins for outside services under /lien-thong/ (demos and tests); off in production.
MOTCUA_LOCAL_RECEIVERS = env.bool("MOTCUA_LOCAL_RECEIVERS", default=DEBUG)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="motcua@localhost")
# Uploaded scans and result documents: the largest file accepted (bytes).
MOTCUA_UPLOAD_MAX_BYTES = env.int("MOTCUA_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# Uploaded scans hold personal data: readable by the service account (and its group) only, whatever
# the server's umask (Django's default is 0o644 for files).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
