# Shared by deploy/up, deploy/down and deploy/status (sourced, not run).
# Reads <state>/env (made from deploy/env.example on the first run) and works out every path.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY=$REPO/deploy
STATE=${MOTCUA_STATE:-$REPO/var/deploy}
STATE=$(mkdir -p "$STATE" && cd "$STATE" && pwd)
[ -f "$STATE/env" ] || cp "$DEPLOY/env.example" "$STATE/env"
# The environment wins over the file: `PORTAL_WORKERS=4 deploy/up` works without editing it.
while IFS='=' read -r key value; do
  [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
  value=${value%%#*}; value=${value%"${value##*[![:space:]]}"}
  [ -n "${!key+x}" ] || export "$key=$value"
done <"$STATE/env"
# Settings added after a state directory's env file was made.
export DB_PREPARED_STATEMENTS=${DB_PREPARED_STATEMENTS:-1} WEB_MAX_RSS=${WEB_MAX_RSS:-1024}
export PORTAL_WORKERS=${PORTAL_WORKERS:-2} API_WORKERS=${API_WORKERS:-2} STAFF_WORKERS=${STAFF_WORKERS:-3}
for count in PORTAL_WORKERS API_WORKERS STAFF_WORKERS; do
  [[ ${!count} =~ ^[1-9][0-9]*$ ]] || { echo "deploy: $count must be a whole number of at least 1, not '${!count}'" >&2; exit 2; }
done
export API_NICE=${API_NICE:-5} WORKER_NICE=${WORKER_NICE:-5}

PGBIN=/usr/lib/postgresql/15/bin
PGDATA=${PGDATA:-$STATE/pg/data}
[ -n "$PGDATA" ] || PGDATA=$STATE/pg/data
RUN=$STATE/run LOG=$STATE/log
MOTCUA_MEDIA_ROOT=${MOTCUA_MEDIA_ROOT:-$STATE/media}
export MOTCUA_MEDIA_ROOT MOTCUA_VAR_DIR=$STATE/var
export DJANGO_SETTINGS_MODULE=motcua_site.settings PYTHONPATH=$REPO/src:$DEPLOY
export PROMETHEUS_MULTIPROC_DIR=$STATE/run/prometheus
PY=$REPO/.venv/bin/python
# Whether deploy/ runs the database and Redis itself (no URL given), decided once: deploy/up exports the
# URLs it makes, and the scripts it calls must not take them for outside services.
if [ -z "${MOTCUA_DEPLOY_OWN:-}" ]; then
  OWN_PG=0; [ -z "${DATABASE_URL:-}" ] && OWN_PG=1
  OWN_REDIS=0; [ -z "${REDIS_URL:-}" ] && OWN_REDIS=1
  export MOTCUA_DEPLOY_OWN="$OWN_PG$OWN_REDIS"
fi
OWN_PG=${MOTCUA_DEPLOY_OWN:0:1} OWN_REDIS=${MOTCUA_DEPLOY_OWN:1:1}
export DATABASE_URL=${DATABASE_URL:-postgres://motcua@127.0.0.1:$PG_PORT/motcua}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/0}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_user() {  # run as DEPLOY_USER when we are root, else as ourselves
  if [ "$(id -u)" = 0 ] && [ -n "${DEPLOY_USER:-}" ]; then
    setpriv --reuid="$DEPLOY_USER" --regid="$DEPLOY_USER" --init-groups -- "$@"
  else "$@"; fi
}
as_postgres() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }
say() { printf 'deploy: %s\n' "$*"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
pg_running() { as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
# The web servers: name, port, processes, nice. nginx sends each kind of traffic to its own server
# (deploy/nginx.conf.template), so a flood of one kind does not queue the others behind it. Officers'
# pages go to STAFF_WORKERS one-process servers (web-staff-1, -2, …) on consecutive ports, and nginx
# gives each request to the one with the fewest requests in hand (least_conn), that is to an idle process
# when there is one. Behind one port, granian's processes take connections whether busy or not, so an
# officer's page could wait behind another's export while a process stood idle (docs/benchmarks.md,
# "Load", sixth run).
staff_ports() { seq "$((WEB_PORT_BASE + 2))" "$((WEB_PORT_BASE + 1 + STAFF_WORKERS))"; }
web_servers() {
  echo "web-portal $WEB_PORT_BASE $PORTAL_WORKERS 0"
  echo "web-api $((WEB_PORT_BASE + 1)) $API_WORKERS $API_NICE"
  local i=0 port
  for port in $(staff_ports); do i=$((i + 1)); echo "web-staff-$i $port 1 0"; done
}
# nginx's configuration: deploy/nginx.conf.template with this deployment's addresses and sizes.
nginx_conf() {
  local staff_servers="" staff_backups="" port
  for port in $(staff_ports); do
    staff_servers+="${staff_servers:+\\n        }server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"
    staff_backups+="${staff_backups:+\\n        }server 127.0.0.1:$port backup;"
  done
  sed -e "s|@STATE@|$STATE|g" -e "s|@NGINX_LISTEN@|$NGINX_LISTEN|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
      -e "s|@NGINX_WORKERS@|$NGINX_WORKERS|g" -e "s|@CLIENT_MAX_BODY@|$(( MOTCUA_UPLOAD_MAX_BYTES / 1048576 + 2 ))m|g" \
      -e "s|@PORTAL_PORT@|$WEB_PORT_BASE|g" -e "s|@API_PORT@|$((WEB_PORT_BASE + 1))|g" \
      -e "s|@STAFF_SERVERS@|$staff_servers|" -e "s|@STAFF_BACKUPS@|$staff_backups|" "$DEPLOY/nginx.conf.template"
}
web_names() { web_servers | cut -d' ' -f1; }
# Web servers of another layout or count (an earlier single web-staff, STAFF_WORKERS lowered): deploy/up
# stops them first. granian binds with SO_REUSEPORT, so an old server on a port a new one takes would go
# on answering part of its requests, unseen by deploy/status.
stop_stale_web_servers() {
  local f name
  for f in "$RUN"/web-*.pid; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .pid)
    [[ $name == *.* ]] || web_names | grep -qx "$name" || stop_supervised "$name"
  done
}
stop_supervised() {  # name: TERM to its supervisor, which stops the command; waits up to 40 s
  local name=$1 pid
  if alive "$RUN/$name.pid"; then
    say "stopping $name"
    pid=$(cat "$RUN/$name.pid")
    kill -TERM "$pid"
    for _ in $(seq 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
}
worker_names() { for i in $(seq 1 "${HUEY_PROCESSES:-1}"); do echo "worker-$i"; done; }
