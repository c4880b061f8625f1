"""Least privilege in the deployment deploy/up makes (issue 18, items 6 and 1): PostgreSQL with passwords and
an application role that is not a superuser (also for a cluster an earlier deploy/up made with `trust`),
uploads, var/outbox.log and logs closed to other local accounts, a service account of its own by default,
and every secret generated, kept private and long enough for the site's start-up check.

The deploy/lib.sh functions deploy/up calls are run on a state directory of the test's own; only the
PostgreSQL test starts a server (a throwaway cluster on a free port)."""

import os
import pwd
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.ops.test_deploy_layout import LIB, deploy_lib

REPO = LIB.parents[1]
ME = pwd.getpwuid(os.geteuid()).pw_name
PGBIN = Path("/usr/lib/postgresql/15/bin")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def lib(tmp_path, command: str, **env) -> str:
    """deploy/lib.sh with the services run as the account running the test (no setpriv in a test)."""
    return deploy_lib(tmp_path, command, **({"DEPLOY_USER": ME} | env))


# ---- files closed to other accounts ----------------------------------------------------------------------


def test_the_deployment_and_its_services_write_files_no_other_account_can_read(tmp_path):
    assert lib(tmp_path, "umask").strip() == "0027"
    # What the outbox channel does (Path.open("a")), in a process started by deploy/supervise from a shell
    # whose umask would have let everybody read the file.
    outbox = tmp_path / "outbox.log"
    run = tmp_path / "run"
    run.mkdir()
    write = f"from pathlib import Path; Path({str(outbox)!r}).open('a').write('0912345678: 482913\\n')"
    supervise = subprocess.Popen(["bash", "-c", f'umask 022; exec "{REPO}/deploy/supervise" worker-1 "{run}" -- '
                                  f'"{sys.executable}" -c "{write}; import time; time.sleep(60)"'])
    try:
        for _ in range(100):
            if outbox.exists():
                break
            time.sleep(0.05)
        assert mode(outbox) == 0o640
    finally:
        supervise.terminate()
        supervise.wait(10)


def test_uploads_are_written_for_the_service_account_only(tmp_path):
    # Django chmods every upload to FILE_UPLOAD_PERMISSIONS (0o644 by default, whatever the umask).
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "print(oct(settings.FILE_UPLOAD_PERMISSIONS), settings.STATIC_ROOT)\n"
        "default_storage.save('ho-so/2026/scan.pdf', ContentFile(b'%PDF-1.4'))\n"
    )
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")} | {
        "DJANGO_SETTINGS_MODULE": "motcua_site.settings", "PYTHONPATH": f"{REPO / 'src'}:{REPO / 'deploy'}",
        "DEBUG": "1", "MOTCUA_VAR_DIR": str(tmp_path / "var"), "MOTCUA_MEDIA_ROOT": str(tmp_path / "media"),
        "MOTCUA_STATIC_ROOT": str(tmp_path / "static")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0o640", str(tmp_path / "static")]
    assert mode(tmp_path / "media" / "ho-so" / "2026" / "scan.pdf") == 0o640
    assert mode(tmp_path / "media" / "ho-so") == 0o750


def test_up_closes_private_directories_and_what_an_earlier_deployment_left_open(tmp_path):
    state = tmp_path / "state"
    for part in ("var", "media/cu", "log"):
        (state / part).mkdir(parents=True, mode=0o755)
    old = {state / "var" / "outbox.log": "0912345678 ma 482913", state / "media" / "cu" / "scan.pdf": "%PDF",
           state / "log" / "web-portal.log": "dat-lai-mat-khau/MQ/token",
           state / "env": (REPO / "deploy" / "env.example").read_text()}
    for path, text in old.items():
        path.write_text(text)
        path.chmod(0o644)
    lib(tmp_path, "make_secrets; use_secrets; prepare_state")
    assert mode(state) == 0o755  # nginx's workers go through it to static/
    assert mode(state / "static") == 0o755
    for private in ("var", "media", "media/cu", "log", "redis"):
        assert mode(state / private) == 0o750, private
    assert mode(state / "secrets") == 0o700
    assert mode(state / "env") == 0o600  # a province's payment secret may be in it
    for path in old:
        assert mode(path) & 0o007 == 0, path
    assert mode(state / "var" / "outbox.log") == 0o640
    assert mode(state / "started") == 0o755 and (state / "started").stat().st_uid == os.geteuid()


# ---- the service account ----------------------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() != 0, reason="the default account applies when deploy/up runs as root")
def test_run_as_root_the_services_get_an_account_of_their_own(tmp_path):
    assert lib(tmp_path, "echo $DEPLOY_USER", DEPLOY_USER="").strip() == "motcua"
    # An env file made before says DEPLOY_USER= (empty): that meant root, now it means the default account.
    (tmp_path / "state").mkdir(exist_ok=True)
    (tmp_path / "state" / "env").write_text((REPO / "deploy" / "env.example").read_text() + "DEPLOY_USER=\n")
    assert deploy_lib(tmp_path, "echo $DEPLOY_USER").strip() == "motcua"
    assert lib(tmp_path, "echo $DEPLOY_USER", DEPLOY_USER="root").strip() == "root"  # only when asked for


def test_without_root_the_services_run_as_the_account_running_deploy_up(tmp_path):
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        state = Path(tempfile.mkdtemp(prefix="motcua-state-"))
        try:
            state.chmod(0o777)
            keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG")}
            done = subprocess.run(["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
                                   "bash", "-c", f'source "{LIB}"; echo $DEPLOY_USER'], capture_output=True, text=True,
                                  env=keep | {"MOTCUA_STATE": str(state), "HOME": "/tmp", "DEPLOY_USER": "motcua"})
            assert done.stdout.strip() == "nobody", done.stderr
            assert "not run as root" in done.stderr
        finally:
            shutil.rmtree(state)
    else:
        assert deploy_lib(tmp_path, "echo $DEPLOY_USER").strip() == ME


# ---- secrets ----------------------------------------------------------------------------------------------


def test_up_generates_every_secret_once_private_and_long_enough_for_the_start_up_check(tmp_path):
    first = lib(tmp_path, "make_secrets; use_secrets; env", PG_PORT="55432", REDIS_PORT="56432")
    secrets = tmp_path / "state" / "secrets"
    assert mode(secrets) == 0o700
    kept = {path.name: path.read_text() for path in secrets.iterdir()}
    assert set(kept) == {"secret_key", "payment_secret", "metrics_token", "pg_password", "redis_password"}
    assert all(mode(secrets / name) == 0o600 for name in kept)
    assert len(kept["secret_key"]) >= 60 and len(kept["payment_secret"]) >= 48 and len(kept["metrics_token"]) >= 40
    assert len(set(kept.values())) == 5
    environment = dict(line.split("=", 1) for line in first.splitlines() if "=" in line)
    assert environment["SECRET_KEY"] == kept["secret_key"]
    assert environment["MOTCUA_PAYMENT_SECRET"] == kept["payment_secret"]
    assert environment["METRICS_TOKEN"] == kept["metrics_token"]
    assert environment["DATABASE_URL"] == f"postgres://motcua:{kept['pg_password']}@127.0.0.1:55432/motcua"
    assert environment["REDIS_URL"] == f"redis://:{kept['redis_password']}@127.0.0.1:56432/0"
    # Kept: a second deploy/up uses the same ones.
    lib(tmp_path, "make_secrets")
    assert {path.name: path.read_text() for path in secrets.iterdir()} == kept
    # The platform's real secret in <state>/env (or the environment) wins over the generated one.
    with (tmp_path / "state" / "env").open("a") as env:
        env.write("MOTCUA_PAYMENT_SECRET=the-platform-issued-this-secret-0123456789\n")
    assert lib(tmp_path, "make_secrets; echo $MOTCUA_PAYMENT_SECRET").strip() == "the-platform-issued-this-secret-0123456789"

    # The site's own start-up check (motcua/ops/secrets.py) accepts them with DEBUG off.
    check = ("import django; django.setup()\nfrom motcua.ops.secrets import problems\nprint(problems())")
    site = {k: environment[k] for k in ("SECRET_KEY", "MOTCUA_PAYMENT_SECRET", "METRICS_TOKEN", "PATH")} | {
        "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "motcua.settings", "PYTHONPATH": str(REPO / "src"),
        "MOTCUA_VAR_DIR": str(tmp_path / "var")}
    done = subprocess.run([sys.executable, "-c", check], env=site, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr[-2000:]


def test_every_secret_is_named_in_env_example_and_the_deployment_guide():
    example = (REPO / "deploy" / "env.example").read_text()
    guide = (REPO / "docs" / "deployment.md").read_text()
    for name in ("SECRET_KEY", "MOTCUA_PAYMENT_SECRET", "METRICS_TOKEN", "MOTCUA_DVCQG_TOKEN", "MOTCUA_POPULATION_TOKEN",
                 "MOTCUA_SMS_TOKEN", "MOTCUA_ZALO_SECRET_KEY"):
        assert re.search(rf"^#? ?{name}=", example, re.M), name
        assert name in guide, name
    for kept in ("secrets/secret_key", "secrets/payment_secret", "secrets/metrics_token", "secrets/pg_password",
                 "secrets/redis_password"):
        assert kept in example and kept in guide, kept


# ---- PostgreSQL -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def pg_state():
    """A state directory PostgreSQL's account can enter (pytest's own temporary directory is private)."""
    if not (PGBIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 is not installed here")
    state = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    state.chmod(0o755)
    env = {"MOTCUA_STATE": str(state), "PG_PORT": str(free_port())}
    yield state, env
    subprocess.run(["bash", "-c", f'source "{LIB}"; pg_stop'], env=os.environ | env | {"DEPLOY_USER": ME})
    shutil.rmtree(state, ignore_errors=True)


def run_lib(env, command: str, **more) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(["bash", "-c", f'source "{LIB}"; {command}'], capture_output=True, text=True,
                          env=keep | env | {"DEPLOY_USER": ME} | more)


def psql(env, sql: str, password: str | None, user: str = "motcua", database: str = "motcua"):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run([str(PGBIN / "psql"), "-X", "-w", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                           "-p", env["PG_PORT"], "-U", user, "-d", database, "-c", sql], capture_output=True, text=True,
                          env=keep | ({"PGPASSWORD": password} if password is not None else {}))


def as_admin(env, sql: str, database: str = "motcua") -> str:
    done = run_lib(env, f'pg_admin -At -d {database} -c "{sql}"')
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def check_least_privilege(state: Path, env):
    password = (state / "secrets" / "pg_password").read_text()
    assert mode(state / "secrets" / "pg_password") == 0o600
    # No way in without the password, for the site's role or the administrator, over TCP.
    for user in ("motcua", "postgres"):
        refused = psql(env, "SELECT 1", None, user=user, database="postgres")
        assert refused.returncode != 0 and "password" in refused.stderr, refused.stderr
    assert psql(env, "SELECT 1", "wrong-password").returncode != 0
    assert "trust" not in "".join(line for line in (state / "pg" / "data" / "pg_hba.conf").read_text().splitlines()
                                  if not line.startswith("#"))
    # The site's role: not a superuser, cannot make roles or databases; the administrator is postgres.
    assert as_admin(env, "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls "
                         "FROM pg_roles WHERE rolname IN ('motcua', 'postgres') ORDER BY 1") == \
        "motcua|f|f|f|f|f\npostgres|t|t|t|t|t"
    assert as_admin(env, "SELECT rolname FROM pg_roles WHERE oid = 10") == "postgres"  # owns the catalogs
    # With the password: the owner of its database and of everything in it, so migrations run.
    assert as_admin(env, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'motcua'") == "motcua"
    done = psql(env, "DROP TABLE IF EXISTS probe_table; CREATE TABLE probe_table (id serial PRIMARY KEY); ALTER TABLE probe_table SET "
                     "(autovacuum_vacuum_scale_factor = 0.01); CREATE TEMP TABLE probe_temp (id int); "
                     "SELECT current_user, usesuper FROM pg_user WHERE usename = current_user", password)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "motcua|f"
    assert as_admin(env, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                         "AND relowner <> 'motcua'::regrole") == "0"
    for forbidden in ("CREATE DATABASE other", "CREATE ROLE intruder SUPERUSER", "ALTER ROLE motcua SUPERUSER",
                      "COPY probe_table FROM PROGRAM 'id'", "SELECT pg_read_file('/etc/passwd')"):
        refused = psql(env, forbidden, password)
        assert refused.returncode != 0 and re.search("permission denied|must be superuser", refused.stderr), (forbidden, refused.stderr)


def test_a_new_cluster_has_passwords_and_an_application_role_that_is_not_a_superuser(pg_state):
    state, env = pg_state
    done = run_lib(env, "make_secrets; use_secrets; pg_init; pg_start; pg_secure")
    assert done.returncode == 0, done.stderr
    check_least_privilege(state, env)
    # Idempotent: deploy/up runs it every time.
    again = run_lib(env, "use_secrets; pg_secure")
    assert again.returncode == 0, again.stderr
    check_least_privilege(state, env)


def test_a_cluster_an_earlier_deploy_up_made_with_trust_is_upgraded_in_place(pg_state):
    state, env = pg_state
    # What deploy/up did before: initdb -A trust -U motcua, the site's tables made by that superuser.
    old = run_lib(env, 'mkdir -p "$STATE/pg" "$PGDATA"; if [ "$(id -u)" = 0 ]; then chown -R postgres: "$STATE/pg"; fi; '
                       'as_postgres "$PGBIN/initdb" -D "$PGDATA" -A trust -U motcua -E UTF8 --locale=C.UTF-8 >/dev/null; '
                       'pg_start; createdb -h 127.0.0.1 -p "$PG_PORT" -U motcua motcua')
    assert old.returncode == 0, old.stderr
    made = psql(env, "CREATE TABLE dossiers_dossier (id bigserial PRIMARY KEY, code text); "
                     "CREATE TABLE t_identity (id int GENERATED ALWAYS AS IDENTITY); CREATE VIEW v AS SELECT 1 AS one; "
                     "INSERT INTO dossiers_dossier (code) VALUES ('000.00.01.H01-260101-0001'); "
                     "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", None)
    assert made.stdout.strip().splitlines()[-1] == "t"  # the flaw: trusted, and a superuser

    done = run_lib(env, "make_secrets; use_secrets; pg_start; pg_secure")
    assert done.returncode == 0, done.stderr
    assert "earlier deploy/up" in done.stdout
    check_least_privilege(state, env)
    password = (state / "secrets" / "pg_password").read_text()
    kept = psql(env, "INSERT INTO dossiers_dossier (code) VALUES ('x'); SELECT count(*) FROM dossiers_dossier; "
                     "SELECT nextval('dossiers_dossier_id_seq') > 0", password)
    assert kept.returncode == 0 and kept.stdout.split() == ["2", "t"], kept.stderr
