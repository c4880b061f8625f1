# Shared by deploy/up, deploy/down, deploy/status and deploy/exec (sourced, not run).
# Reads <state>/env (made from deploy/env.example on the first run) and works out every path.
set -euo pipefail
# Nothing the deployment writes, nor any file its services write (uploads, var/outbox.log with phone numbers
# and one-time codes, logs, Redis's files), is open to other accounts: the group may read, others nothing.
# The services inherit it (deploy/supervise sets it again for its command).
umask 027
export PATH=$PATH:/usr/sbin:/sbin  # nginx, useradd: not on an ordinary account's PATH
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEPLOY=$REPO/deploy
STATE=${MOTCUA_STATE:-$REPO/var/deploy}
STATE=$(mkdir -p "$STATE" && cd "$STATE" && pwd)
[ -f "$STATE/env" ] || (umask 077 && cp "$DEPLOY/env.example" "$STATE/env")
RUN=$STATE/run LOG=$STATE/log SECRETS=$STATE/secrets
# What deploy/up started the deployment with (ports, processes, account): written by root (or the account
# running deploy/up) into a directory the service account cannot write, read back by deploy/down and
# deploy/status, so that `NGINX_PORT=9090 deploy/up` is followed by a `deploy/down` that knows the port.
STARTED=$STATE/started
EFFECTIVE=$STARTED/effective.env
EFFECTIVE_KEYS="MOTCUA_DEPLOY_OWN DEPLOY_USER PGDATA PG_PORT REDIS_PORT WEB_PORT_BASE PORTAL_WORKERS API_WORKERS
  STAFF_WORKERS API_NICE WORKER_NICE HUEY_WORKERS HUEY_PROCESSES NGINX_LISTEN NGINX_PORT NGINX_WORKERS MOTCUA_PUBLIC_URL"
declare -A RECORDED=()
if [ -f "$EFFECTIVE" ]; then
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    RECORDED[$key]=$value
  done <"$EFFECTIVE"
fi
# The deployment's layout given in the environment (`NGINX_PORT=9090 deploy/up`): deploy/up writes it into
# <state>/env (remember_given), so that every later deploy/up, down, status and exec uses it too.
REMEMBERED_KEYS="NGINX_LISTEN NGINX_PORT NGINX_WORKERS WEB_PORT_BASE PORTAL_WORKERS API_WORKERS STAFF_WORKERS API_NICE
  WORKER_NICE WEB_MAX_RSS HUEY_WORKERS HUEY_PROCESSES PG_PORT PGDATA REDIS_PORT DEPLOY_USER"
declare -A GIVEN=() FOUND=()
if [ "${DEPLOY_DESCRIBE:-}" != 1 ]; then
  for key in $REMEMBERED_KEYS; do
    if [ -n "${!key:-}" ] && { [ "$key" != DEPLOY_USER ] || [ "$(id -u)" = 0 ]; }; then GIVEN[$key]=${!key}; fi
  done
fi
# A deployment made before effective.env was written: its own files say which ports it was started with.
if [ ! -f "$EFFECTIVE" ]; then
  old_pgdata=${PGDATA:-$STATE/pg/data}
  if [ -f "$old_pgdata/postmaster.pid" ]; then RECORDED[PG_PORT]=$(sed -n 4p "$old_pgdata/postmaster.pid"); fi
  if [ -f "$STATE/redis/redis.conf" ]; then RECORDED[REDIS_PORT]=$(sed -n 's/^port //p' "$STATE/redis/redis.conf"); fi
  if [ -f "$STATE/nginx/nginx.conf" ]; then
    listen=$(sed -n 's/^ *listen \([^ ;]*\).*/\1/p' "$STATE/nginx/nginx.conf" | head -1)
    if [ -n "$listen" ]; then RECORDED[NGINX_LISTEN]=${listen%:*} RECORDED[NGINX_PORT]=${listen##*:}; fi
    portal=$(sed -n '/upstream motcua_portal/,/}/s/^ *server 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$STATE/nginx/nginx.conf" | head -1)
    if [ -n "$portal" ]; then RECORDED[WEB_PORT_BASE]=$portal; fi
  fi
  for key in "${!RECORDED[@]}"; do
    if [ -z "${RECORDED[$key]}" ]; then unset "RECORDED[$key]"; continue; fi
    # What it last ran with becomes the env file's (the environment it was given then is not known).
    if [ "${DEPLOY_DESCRIBE:-}" != 1 ] && [ -z "${GIVEN[$key]+x}" ]; then
      GIVEN[$key]=${RECORDED[$key]} FOUND[$key]=1
      export "$key=${RECORDED[$key]}"
    fi
  done
fi
# deploy/down and deploy/status (DEPLOY_DESCRIBE=1) describe what runs: what it was started with comes first.
if [ "${DEPLOY_DESCRIBE:-}" = 1 ]; then
  for key in "${!RECORDED[@]}"; do export "$key=${RECORDED[$key]}"; done
fi
# The environment wins over the file: `PORTAL_WORKERS=4 deploy/up` works without editing it. (The file is
# root's: another account's deploy/status goes by effective.env alone.)
if [ -r "$STATE/env" ]; then
  while IFS='=' read -r key value; do
    [[ $key =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    value=${value%%#*}; value=${value%"${value##*[![:space:]]}"}
    [ -n "${!key+x}" ] || export "$key=$value"
  done <"$STATE/env"
fi
# Settings added after a state directory's env file was made.
export DB_PREPARED_STATEMENTS=${DB_PREPARED_STATEMENTS:-1} WEB_MAX_RSS=${WEB_MAX_RSS:-1024}
export PORTAL_WORKERS=${PORTAL_WORKERS:-2} API_WORKERS=${API_WORKERS:-2} STAFF_WORKERS=${STAFF_WORKERS:-3}
for count in PORTAL_WORKERS API_WORKERS STAFF_WORKERS; do
  [[ ${!count} =~ ^[1-9][0-9]*$ ]] || { echo "deploy: $count must be a whole number of at least 1, not '${!count}'" >&2; exit 2; }
done
export API_NICE=${API_NICE:-5} WORKER_NICE=${WORKER_NICE:-5}
# The account the web servers, the worker and Redis run as: DEPLOY_USER, by default `motcua` (created by
# deploy/up) when run as root; `root` only when set so on purpose. Without root: the account running it.
if [ "$(id -u)" != 0 ]; then
  if [ -n "${DEPLOY_USER:-}" ] && [ "$DEPLOY_USER" != "$(id -un)" ] && [ "${DEPLOY_DESCRIBE:-}" != 1 ]; then
    echo "deploy: not run as root, so the services run as $(id -un), not as DEPLOY_USER=$DEPLOY_USER" >&2
  fi
  DEPLOY_USER=$(id -un)
fi
export DEPLOY_USER=${DEPLOY_USER:-motcua}

PGBIN=/usr/lib/postgresql/15/bin
PGDATA=${PGDATA:-$STATE/pg/data}
[ -n "$PGDATA" ] || PGDATA=$STATE/pg/data
MOTCUA_MEDIA_ROOT=${MOTCUA_MEDIA_ROOT:-$STATE/media}
# collectstatic's files live outside var/ (private): nginx's workers read them (deploy/motcua_site/settings.py).
export MOTCUA_MEDIA_ROOT MOTCUA_VAR_DIR=$STATE/var MOTCUA_STATIC_ROOT=$STATE/static
export DJANGO_SETTINGS_MODULE=motcua_site.settings PYTHONPATH=$REPO/src:$DEPLOY
export PROMETHEUS_MULTIPROC_DIR=$STATE/run/prometheus
PY=$REPO/.venv/bin/python
SPY=$PY  # the Python the services run (deploy/up may give them a venv of their own: service_python)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_user() {  # run as DEPLOY_USER when we are root, else as ourselves
  if [ "$(id -u)" = 0 ] && [ "$DEPLOY_USER" != root ]; then
    setpriv --reuid="$DEPLOY_USER" --regid="$(id -g "$DEPLOY_USER")" --init-groups -- "$@"
  else "$@"; fi
}
as_postgres() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }
say() { printf 'deploy: %s\n' "$*"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1" 2>/dev/null)" 2>/dev/null; }
# signal SIGNAL PIDFILE: sent as the account that wrote the pid file. run/ belongs to the service account:
# a pid file it wrote can only make root signal the service account's own processes.
signal() {
  local owner
  owner=$(stat -c %U "$2")
  if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
    setpriv --reuid="$owner" --regid="$(id -g "$owner")" --init-groups -- kill "-$1" "$(cat "$2")"
  else kill "-$1" "$(cat "$2")"; fi
}
pg_running() { as_postgres "$PGBIN/pg_ctl" -D "${1:-$PGDATA}" status >/dev/null 2>&1; }
# Ours: the pid file Redis wrote names a live redis-server. Never judged by a port, where another Redis may listen.
redis_running() {
  alive "$RUN/redis.pid" && tr '\0' ' ' <"/proc/$(cat "$RUN/redis.pid")/cmdline" 2>/dev/null | grep -q redis-server
}
redis_cli() { REDISCLI_AUTH=${REDIS_PASSWORD:-} redis-cli --no-auth-warning -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
any_alive() { local f; for f in "$@"; do alive "$f" && return 0; done; return 1; }
site_running() { any_alive "$RUN"/web-*.pid "$RUN"/worker-*.pid "$RUN/redis.pid"; }

# A setting a running part was started with is kept while it runs (deploy/up; down and status take all of
# them): a port given in the environment once is not forgotten, and a second Redis is never started on the
# same files because REDIS_PORT went back to its default.
keep_while_running() {  # KEY PART CHECK...: while CHECK says PART runs, KEY keeps its recorded value
  local key=$1 part=$2; shift 2
  [ -n "${RECORDED[$key]+x}" ] && [ "${RECORDED[$key]}" != "${!key:-}" ] || return 0
  "$@" || return 0
  echo "deploy: $key stays ${RECORDED[$key]:-empty} (not ${!key:-empty}) while ${part:-the site} runs;" \
    "to change it: deploy/down${part:+ $part}, then deploy/up" >&2
  export "$key=${RECORDED[$key]}"
}
if [ "${DEPLOY_DESCRIBE:-}" != 1 ]; then
  keep_while_running DEPLOY_USER "" site_running
  keep_while_running PGDATA postgres pg_running "${RECORDED[PGDATA]:-}"
  PGDATA=${PGDATA:-$STATE/pg/data}
  keep_while_running PG_PORT postgres pg_running
  keep_while_running REDIS_PORT redis redis_running
  keep_while_running WEB_PORT_BASE web any_alive "$RUN"/web-*.pid
  keep_while_running NGINX_PORT nginx any_alive "$STATE/nginx/nginx.pid" "$RUN/nginx.pid"
  keep_while_running NGINX_LISTEN nginx any_alive "$STATE/nginx/nginx.pid" "$RUN/nginx.pid"
fi
# The address people reach the site at (links in messages, QR codes on printed forms): nginx's, unless set.
# http://127.0.0.1:8080 is what env files made before said whatever the port: it follows NGINX_PORT too.
if [ -z "${MOTCUA_PUBLIC_URL:-}" ] || { [ "$MOTCUA_PUBLIC_URL" = http://127.0.0.1:8080 ] && [ "$NGINX_PORT" != 8080 ]; }; then
  export MOTCUA_PUBLIC_URL="http://$NGINX_LISTEN:$NGINX_PORT"
fi

# Whether deploy/ runs the database and Redis itself (no URL given), decided once: deploy/up exports the
# URLs it makes, and the scripts it calls must not take them for outside services.
if [ -z "${MOTCUA_DEPLOY_OWN:-}" ]; then
  OWN_PG=0; [ -z "${DATABASE_URL:-}" ] && OWN_PG=1
  OWN_REDIS=0; [ -z "${REDIS_URL:-}" ] && OWN_REDIS=1
  export MOTCUA_DEPLOY_OWN="$OWN_PG$OWN_REDIS"
fi
OWN_PG=${MOTCUA_DEPLOY_OWN:0:1} OWN_REDIS=${MOTCUA_DEPLOY_OWN:1:1}

# ---- secrets -----------------------------------------------------------------------------------------------
# Kept in <state>/secrets (directory 700, files 600, readable by root or the account running deploy/up only;
# the services get them in their environment). A value in the environment or <state>/env wins: a province
# puts the payment platform's real secret there.
SECRET_FILES="SECRET_KEY:secret_key MOTCUA_PAYMENT_SECRET:payment_secret METRICS_TOKEN:metrics_token"
read_secret() { if [ -r "$SECRETS/$1" ]; then cat "$SECRETS/$1"; fi; }
use_secrets() {
  local pair name
  for pair in $SECRET_FILES; do
    name=${pair%%:*}
    [ -n "${!name:-}" ] || export "$name=$(read_secret "${pair#*:}")"
    [ -n "${!name}" ] || unset "$name"
  done
  PG_PASSWORD=$(read_secret pg_password) REDIS_PASSWORD=$(read_secret redis_password)
  if [ "$OWN_PG" = 1 ]; then
    export DATABASE_URL="postgres://motcua${PG_PASSWORD:+:$PG_PASSWORD}@127.0.0.1:$PG_PORT/motcua"
  fi
  if [ "$OWN_REDIS" = 1 ]; then
    export REDIS_URL="redis://${REDIS_PASSWORD:+:$REDIS_PASSWORD@}127.0.0.1:$REDIS_PORT/0"
  fi
}
new_secret() {  # FILE BYTES: a random value (URL-safe: it goes into DATABASE_URL), made once
  [ -s "$SECRETS/$1" ] && return 0
  (umask 077 && head -c "$2" /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' >"$SECRETS/$1")
}
make_secrets() {  # lengths well above what the site requires at start-up (SECRET_KEY 50, payment 32, metrics 32)
  mkdir -p "$SECRETS"
  chmod 700 "$SECRETS"
  new_secret secret_key 50       # 67 characters
  new_secret payment_secret 48   # 64
  new_secret metrics_token 32    # 43
  new_secret pg_password 32      # the role motcua's (scram-sha-256)
  new_secret redis_password 32   # Redis's requirepass: the queue holds pickled tasks the worker runs
  chmod 600 "$SECRETS"/*
}
use_secrets

# ---- the files of the deployment ---------------------------------------------------------------------------
# Owned by the service account and closed to others: uploads, var/ (outbox.log), Redis's files, logs.
# Public: static/ (nginx's workers, www-data, serve it). Root's: env, secrets/, started/, nginx/.
own() {  # PATH...: everything below owned by DEPLOY_USER (symbolic links never followed)
  [ "$(id -u)" = 0 ] && [ "$DEPLOY_USER" != root ] || return 0
  find "$@" \! -type l \! -user "$DEPLOY_USER" -exec chown -h "$DEPLOY_USER:" {} +
}
# Files made before these rules (by services that ran as root with umask 022): closed to others, by their
# owner now (who cannot be tricked into following a link to a file not its own).
close_to_others() {
  as_user find "$@" \! -type l -perm /o=rwx -exec chmod o-rwx {} + ||
    say "some files under $* could not be closed to other accounts (see above)"
}
prepare_state() {
  mkdir -p "$RUN" "$LOG" "$STARTED" "$STATE/var" "$STATE/redis" "$STATE/static" "$STATE/nginx/tmp" "$MOTCUA_MEDIA_ROOT"
  chmod 755 "$STATE" "$RUN" "$STARTED" "$STATE/static" "$STATE/nginx"  # nginx (www-data) goes through to static/
  chmod 600 "$STATE/env"
  chmod 750 "$LOG" "$STATE/var" "$STATE/redis" "$MOTCUA_MEDIA_ROOT"
  own "$LOG" "$STATE/var" "$STATE/redis" "$STATE/static" "$MOTCUA_MEDIA_ROOT"
  # run/: the directory only (supervise writes pid files there); the pid files of processes started before
  # stay their starter's, so that they are signalled as that account (signal).
  if [ "$(id -u)" = 0 ] && [ "$DEPLOY_USER" != root ]; then chown -h "$DEPLOY_USER:" "$RUN"; fi
  if [ -d "$PROMETHEUS_MULTIPROC_DIR" ]; then own "$PROMETHEUS_MULTIPROC_DIR"; fi
  close_to_others "$LOG" "$STATE/var" "$STATE/redis" "$MOTCUA_MEDIA_ROOT"
  if [ "$(id -u)" = 0 ]; then chown www-data: "$STATE/nginx/tmp"; fi
}
remember_given() {
  local key now tmp
  for key in "${!GIVEN[@]}"; do
    now=$(sed -n "s/^$key=\([^ #]*\).*/\1/p" "$STATE/env" | tail -1)
    [ "$now" != "${GIVEN[$key]}" ] || continue
    tmp=$(mktemp "$STATE/env.XXXXXX")
    awk -v k="$key" -v v="${GIVEN[$key]}" '
      index($0, k "=") == 1 && !done { rest = substr($0, length(k) + 2); sub(/^[^ #]*/, "", rest); print k "=" v rest; done = 1; next }
      { print }
      END { if (!done) print k "=" v }' "$STATE/env" >"$tmp"
    chmod 600 "$tmp"
    mv "$tmp" "$STATE/env"
    if [ -n "${FOUND[$key]:-}" ]; then say "$key=${GIVEN[$key]} (what the running deployment uses) written into $STATE/env"
    else say "$key=${GIVEN[$key]} (given in the environment) written into $STATE/env"; fi
  done
}
record_effective() {
  local key
  {
    echo "# Written by deploy/up: the settings the running deployment was started with (deploy/down and"
    echo "# deploy/status read them first). Edit <state>/env instead."
    for key in $EFFECTIVE_KEYS; do printf '%s=%s\n' "$key" "${!key:-}"; done
  } >"$EFFECTIVE.new"
  chmod 644 "$EFFECTIVE.new"
  mv "$EFFECTIVE.new" "$EFFECTIVE"
}

# ---- the settings the site's processes run with -------------------------------------------------------------
# Every web server and worker must run with the same settings (secrets, DATABASE_URL, REDIS_URL, providers):
# deploy/up restarts one that runs with others. Compared: the site's settings in the environment (and any
# key of <state>/env), not the deployment's layout (ports, process counts: those are in the commands).
SITE_SETTING_NAMES='^(MOTCUA_[A-Z0-9_]+|DJANGO_SETTINGS_MODULE|DATABASE_URL|REDIS_URL|SECRET_KEY|METRICS_TOKEN|EMAIL_[A-Z0-9_]+|DEFAULT_FROM_EMAIL|DEBUG|ALLOWED_HOSTS|CSRF_[A-Z0-9_]+|SESSION_[A-Z0-9_]+|SECURE_[A-Z0-9_]+|LOG_[A-Z0-9_]+|HUEY_[A-Z0-9_]+|CONN_[A-Z0-9_]+|DB_[A-Z0-9_]+|PROMETHEUS_MULTIPROC_DIR|PYTHONPATH|TZ|LANG|LC_ALL)$'
LAYOUT_NAMES='^(MOTCUA_STATE|MOTCUA_DEPLOY_[A-Z_]+|HUEY_PROCESSES|HUEY_WORKERS|NGINX_[A-Z_]+|PORTAL_WORKERS|API_WORKERS|STAFF_WORKERS|API_NICE|WORKER_NICE|WEB_MAX_RSS|WEB_PORT_BASE|PG_PORT|PG_SHARED_BUFFERS|PG_SYNCHRONOUS_COMMIT|PGDATA|REDIS_PORT|DEPLOY_USER)$'
site_settings() {
  local key
  { compgen -e | grep -E "$SITE_SETTING_NAMES" || true; sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1/p' "$STATE/env"; } |
    sort -u | { grep -vE "$LAYOUT_NAMES" || true; } | while read -r key; do
      if [ -n "${!key+x}" ]; then printf '%s=%s\n' "$key" "${!key}"; fi
    done
}
settings_fingerprint() { { site_settings; printf '%s\n' "$@"; } | sha256sum | cut -d' ' -f1; }

# ---- supervised processes ----------------------------------------------------------------------------------
# start_supervised NAME LOGFILE COMMAND...: COMMAND under deploy/supervise as DEPLOY_USER. One that already
# runs with the same settings and command is left alone; one that runs with others is stopped first.
# Sets STARTED_HOW to running, started or restarted.
start_supervised() {
  local name=$1 logfile=$2 fingerprint; shift 2
  fingerprint=$(settings_fingerprint "$@")
  STARTED_HOW=started
  if alive "$RUN/$name.pid"; then
    if [ "$(cat "$STARTED/$name.settings" 2>/dev/null)" = "$fingerprint" ]; then STARTED_HOW=running; return 0; fi
    say "restarting $name: it runs with other settings than the site's now"
    stop_supervised "$name"
    STARTED_HOW=restarted
  fi
  say "starting $name"
  rm -f "$RUN/$name.pid" "$RUN/$name.child"  # a dead one's (perhaps root's, from an earlier layout)
  echo "$fingerprint" >"$STARTED/$name.settings"
  as_user setsid "$DEPLOY/supervise" "$name" "$RUN" -- "$@" </dev/null >>"$logfile" 2>&1 &
  for _ in $(seq 50); do [ -f "$RUN/$name.child" ] && break; sleep 0.1; done
}
stop_supervised() {  # name: TERM to its supervisor, which stops the command; waits up to 40 s
  local name=$1 pid
  if alive "$RUN/$name.pid"; then
    say "stopping $name"
    pid=$(cat "$RUN/$name.pid")
    signal TERM "$RUN/$name.pid" || true
    for _ in $(seq 400); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$STARTED/$name.settings"
}

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
# nginx's pid file is root's (nginx/); run/nginx.pid is where a deployment made before kept it.
nginx_pid_file() {
  local f
  for f in "$STATE/nginx/nginx.pid" "$RUN/nginx.pid"; do alive "$f" && { echo "$f"; return 0; }; done
  return 1
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
worker_names() { for i in $(seq 1 "${HUEY_PROCESSES:-1}"); do echo "worker-$i"; done; }

# ---- PostgreSQL ---------------------------------------------------------------------------------------------
# The cluster's superuser is `postgres`, reachable only on the cluster's own socket by the account that runs
# the cluster (peer authentication, no password exists). The site connects over TCP as `motcua`, with a
# password (scram-sha-256): an ordinary role that owns its database and everything in it, but cannot create
# roles or databases, read other databases or the server's files, or become a superuser.
PG_SOCKET=$STATE/pg/run
pg_os_user() { as_postgres id -un; }
pg_hba() {
  cat <<HBA
# Written by deploy/up. The administrator by peer authentication on the socket only; everyone else with a
# password (scram-sha-256).
# TYPE  DATABASE  USER      ADDRESS        METHOD
local   all       postgres                 peer map=admins
local   all       all                      scram-sha-256
host    all       all       127.0.0.1/32   scram-sha-256
host    all       all       ::1/128        scram-sha-256
HBA
}
pg_ident() {
  printf '# Written by deploy/up: the account running the cluster is its administrator.\nadmins  %s  postgres\n' "$(pg_os_user)"
}
pg_write_conf() {  # FILE CONTENT: returns 0 when the file changed
  [ "$(as_postgres cat "$PGDATA/$1" 2>/dev/null)" = "$2" ] && return 1
  printf '%s\n' "$2" | as_postgres sh -c 'umask 077 && cat >"$1.new" && mv "$1.new" "$1"' _ "$PGDATA/$1"
}
pg_admin() { as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U postgres "$@"; }
pg_init() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  say "initialising a PostgreSQL cluster in $PGDATA"
  mkdir -p "$STATE/pg" "$PGDATA"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$STATE/pg" "$PGDATA"; fi
  as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth-local=peer --auth-host=reject -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  pg_write_conf pg_ident.conf "$(pg_ident)" || true
  pg_write_conf pg_hba.conf "$(pg_hba)" || true
}
pg_start() {
  mkdir -p "$STATE/pg/log" "$PG_SOCKET"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$STATE/pg" "$STATE/pg/log" "$PG_SOCKET"; fi
  if ! pg_running; then
    # Connections: every web process and every huey thread keeps one (persistent), plus room for
    # management commands, backups and a restart overlap.
    local max_conn=$(( (PORTAL_WORKERS + API_WORKERS + STAFF_WORKERS) * 2 + ${HUEY_PROCESSES:-1} * (HUEY_WORKERS + 2) + 40 ))
    say "starting PostgreSQL on 127.0.0.1:$PG_PORT (max_connections $max_conn)"
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$STATE/pg/log/postgresql.log" -w -t 120 -o "-c listen_addresses=127.0.0.1 \
      -p $PG_PORT -k $PG_SOCKET -c max_connections=$max_conn -c shared_buffers=$PG_SHARED_BUFFERS \
      -c synchronous_commit=$PG_SYNCHRONOUS_COMMIT -c log_min_duration_statement=1000" start >/dev/null
  fi
  for _ in $(seq 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break; sleep 0.5; done
}
pg_stop() { if pg_running; then as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null; fi; }
# SCRAM-SHA-256 verifier of a password read on standard input: PostgreSQL stores it as is, so the password
# itself is in no statement (nor in a log line that quotes one).
scram_verifier() {
  "$PY" -c '
import base64, hashlib, hmac, os, sys
password, salt = sys.stdin.read().strip().encode(), os.urandom(16)
salted = hashlib.pbkdf2_hmac("sha256", password, salt, 4096)
client = hmac.new(salted, b"Client Key", "sha256").digest()
server = hmac.new(salted, b"Server Key", "sha256").digest()
b64 = lambda raw: base64.b64encode(raw).decode()
print(f"SCRAM-SHA-256$4096:{b64(salt)}${b64(hashlib.sha256(client).digest())}:{b64(server)}")'
}
# Idempotent; also upgrades a cluster made by an earlier deploy/up (initdb -U motcua -A trust, the site's
# role its superuser): that superuser is renamed postgres (the bootstrap role must stay a superuser: its
# catalogs would otherwise belong to an ordinary role), a new motcua is made and given the database and
# every object in it, and pg_hba.conf goes from trust to scram-sha-256.
pg_secure() {
  local verifier
  if ! pg_admin -d postgres -c "SELECT 1" >/dev/null 2>&1; then
    say "PostgreSQL: a cluster of an earlier deploy/up; motcua becomes an ordinary role, postgres its administrator"
    as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U motcua -d postgres \
      -c "CREATE ROLE motcua_upgrade LOGIN SUPERUSER" >/dev/null
    as_postgres "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET" -p "$PG_PORT" -U motcua_upgrade -d postgres \
      -c "ALTER ROLE motcua RENAME TO postgres" >/dev/null
    pg_admin -d postgres -c "DROP ROLE motcua_upgrade" >/dev/null
  fi
  pg_write_conf pg_ident.conf "$(pg_ident)" || true
  pg_write_conf pg_hba.conf "$(pg_hba)" || true
  pg_admin -d postgres -Atc "SELECT pg_reload_conf()" >/dev/null
  verifier=$(scram_verifier <<<"$PG_PASSWORD")
  pg_admin -d postgres <<SQL >/dev/null
SELECT 'CREATE ROLE motcua' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'motcua') \gexec
ALTER ROLE motcua LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '$verifier';
SELECT 'CREATE DATABASE motcua OWNER motcua' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'motcua') \gexec
ALTER DATABASE motcua OWNER TO motcua;
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
\connect motcua
DO \$\$
DECLARE r record;
BEGIN
  IF (SELECT nspowner FROM pg_namespace WHERE nspname = 'public') NOT IN ('motcua'::regrole, 'pg_database_owner'::regrole) THEN
    ALTER SCHEMA public OWNER TO motcua;
  END IF;
  FOR r IN
    SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relowner <> 'motcua'::regrole
      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
               AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO motcua', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
      WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> 'motcua'::regrole LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO motcua', r.name);
  END LOOP;
END
\$\$;
SQL
}
