"""deploy/lib.sh: the web servers deploy/up starts and the nginx configuration that routes to them. Officers'
pages go to one-process servers that nginx picks by least_conn (an idle one when there is one). And (issue 18,
item 6) deploy/down and deploy/status act on what deploy/up started: its ports, its own pid files, never a
port where another Redis listens; a web server or worker running with other settings is restarted."""

import os
import pwd
import re
import shutil
import signal
import subprocess
import threading
from contextlib import contextmanager
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


# ---- deploy/down and deploy/status act on what deploy/up started (issue 18, item 6) -------------------------

ME = pwd.getpwuid(os.geteuid()).pw_name
DEPLOY = LIB.parent


def state_with_env(tmp_path) -> Path:
    state = tmp_path / "state"
    state.mkdir(parents=True, exist_ok=True)
    (state / "env").write_text((DEPLOY / "env.example").read_text())  # REDIS_PORT=56380, NGINX_PORT=8080, …
    return state


def run_script(tmp_path, script: str, *args: str, path_first: Path | None = None, **env) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    if path_first:
        keep["PATH"] = f"{path_first}:{keep['PATH']}"
    return subprocess.run([str(DEPLOY / script), *args], capture_output=True, text=True, timeout=120,
                          env=keep | {"MOTCUA_STATE": str(tmp_path / "state"), "DEPLOY_USER": ME} | env)


def fake_redis_cli(tmp_path) -> tuple[Path, Path]:
    """A redis-cli that answers PONG to anything and notes what it was asked, on every port."""
    bin_dir, log = tmp_path / "bin", tmp_path / "redis-cli.log"
    bin_dir.mkdir()
    (bin_dir / "redis-cli").write_text(f'#!/bin/sh\necho "$*" >>"{log}"\necho PONG\n')
    (bin_dir / "redis-cli").chmod(0o755)
    return bin_dir, log


@contextmanager
def a_process_named(name: str):
    process = subprocess.Popen(["bash", "-c", f"exec -a {name} sleep 60"])
    threading.Thread(target=process.wait, daemon=True).start()
    try:
        yield process
    finally:
        process.kill()


def test_down_never_shuts_down_a_redis_that_is_not_this_deployments(tmp_path):
    # Another Redis answers on the default port this state's env file names; ours is not running.
    state = state_with_env(tmp_path)
    bin_dir, log = fake_redis_cli(tmp_path)
    done = run_script(tmp_path, "down", "redis", path_first=bin_dir)
    assert done.returncode == 0, done.stderr
    assert "shutdown" not in (log.read_text() if log.exists() else "")
    # Ours runs, started on another port (NGINX_PORT=… REDIS_PORT=59999 deploy/up): its own pid is stopped.
    (state / "started").mkdir()
    (state / "started" / "effective.env").write_text("REDIS_PORT=59999\nMOTCUA_DEPLOY_OWN=11\n")
    (state / "run").mkdir()
    with a_process_named("redis-server") as ours:
        (state / "run" / "redis.pid").write_text(str(ours.pid))
        done = run_script(tmp_path, "down", "redis", path_first=bin_dir)
        assert done.returncode == 0, done.stderr
        assert "stopping Redis" in done.stdout
        assert ours.wait(10) == -signal.SIGTERM
    assert "shutdown" not in (log.read_text() if log.exists() else "")


def test_status_and_down_use_the_ports_up_started_with(tmp_path):
    state_with_env(tmp_path)
    deploy_lib(tmp_path, 'mkdir -p "$STARTED"; record_effective', NGINX_PORT="9191", WEB_PORT_BASE="9200",
               PG_PORT="55999", REDIS_PORT="59999", STAFF_WORKERS="1", DEPLOY_USER=ME)
    described = deploy_lib(tmp_path, "echo $NGINX_PORT $WEB_PORT_BASE $PG_PORT $REDIS_PORT $STAFF_WORKERS $MOTCUA_PUBLIC_URL",
                           DEPLOY_DESCRIBE="1")
    assert described.split() == ["9191", "9200", "55999", "59999", "1", "http://127.0.0.1:9191"]
    status = run_script(tmp_path, "status")
    assert "127.0.0.1:9200" in status.stdout and "127.0.0.1:59999" in status.stdout and "127.0.0.1:55999" not in status.stdout
    assert "8101" not in status.stdout and "56380" not in status.stdout


def test_ports_given_to_up_in_the_environment_are_kept_in_the_env_file(tmp_path):
    state = state_with_env(tmp_path)
    deploy_lib(tmp_path, "remember_given", NGINX_PORT="9191", PG_PORT="55999", DEPLOY_USER=ME)
    env = (state / "env").read_text()
    assert re.search(r"^NGINX_PORT=9191 +# nginx listens", env, re.M) and re.search(r"^PG_PORT=55999 ", env, re.M)
    assert (state / "env").stat().st_mode & 0o077 == 0
    assert deploy_lib(tmp_path, "echo $NGINX_PORT $PG_PORT $REDIS_PORT").split() == ["9191", "55999", "56380"]


def test_a_deployment_made_before_is_known_by_the_ports_its_files_name(tmp_path):
    # No effective.env: what the earlier deploy/up rendered says where it runs.
    state = state_with_env(tmp_path)
    (state / "nginx").mkdir()
    (state / "nginx" / "nginx.conf").write_text(deploy_lib(tmp_path, "nginx_conf", NGINX_PORT="9393", WEB_PORT_BASE="9400"))
    (state / "redis").mkdir()
    (state / "redis" / "redis.conf").write_text("bind 127.0.0.1\nport 59998\n")
    assert deploy_lib(tmp_path, "echo $NGINX_PORT $WEB_PORT_BASE $REDIS_PORT", DEPLOY_DESCRIBE="1").split() == \
        ["9393", "9400", "59998"]
    deploy_lib(tmp_path, "remember_given", DEPLOY_USER=ME)  # deploy/up writes them into the env file
    assert deploy_lib(tmp_path, "echo $NGINX_PORT $WEB_PORT_BASE $REDIS_PORT").split() == ["9393", "9400", "59998"]


def test_up_keeps_the_port_a_running_part_was_started_on(tmp_path):
    state = state_with_env(tmp_path)
    (state / "started").mkdir()
    (state / "started" / "effective.env").write_text("REDIS_PORT=59999\nPG_PORT=55999\n")
    (state / "run").mkdir()
    with a_process_named("redis-server") as ours:
        (state / "run" / "redis.pid").write_text(str(ours.pid))
        done = subprocess.run(["bash", "-c", f'source "{LIB}"; echo $REDIS_PORT $PG_PORT $REDIS_URL'], capture_output=True,
                              text=True, env={"PATH": os.environ["PATH"], "MOTCUA_STATE": str(state), "DEPLOY_USER": ME})
    # Redis runs: its port stays (a second Redis on the same files is never started); PostgreSQL does not.
    assert done.stdout.split() == ["59999", "54380", "redis://127.0.0.1:59999/0"]
    assert "REDIS_PORT stays 59999 (not 56380) while redis runs" in done.stderr


def test_a_web_server_or_worker_running_with_other_settings_is_restarted(tmp_path):
    state = state_with_env(tmp_path)
    for part in ("run", "started", "log"):
        (state / part).mkdir()

    def start(**env) -> tuple[str, str]:
        how = deploy_lib(tmp_path, 'start_supervised worker-1 "$LOG/worker-1.log" sleep 60; echo "$STARTED_HOW"',
                         DEPLOY_USER=ME, **env).split()[-1]
        return how, (state / "run" / "worker-1.pid").read_text()

    try:
        how, first = start(MOTCUA_PAYMENT_SECRET="a" * 40)
        assert how == "started"
        assert start(MOTCUA_PAYMENT_SECRET="a" * 40, TERM="vt100") == ("running", first)  # not a setting of the site
        how, second = start(MOTCUA_PAYMENT_SECRET="b" * 40)  # e.g. web servers restarted with a new secret
        assert how == "restarted" and second != first
        with pytest.raises(ProcessLookupError):
            os.kill(int(first), 0)
        assert start(MOTCUA_PAYMENT_SECRET="b" * 40)[0] == "running"
        assert start(MOTCUA_PAYMENT_SECRET="b" * 40, DATABASE_URL="postgres://motcua:new@127.0.0.1:1/motcua")[0] == "restarted"
    finally:
        deploy_lib(tmp_path, "stop_supervised worker-1", DEPLOY_USER=ME)
