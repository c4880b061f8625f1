"""Probes and metrics for the machines that run the system (load balancer, orchestrator, Prometheus)."""

import hmac
import ipaddress
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from motcua.ops import metrics

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. Touches nothing else (a database outage must not get every web
    process restarted)."""
    return JsonResponse({"status": "ok"})


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


_migrations_applied = False


def check_migrations() -> None:
    """Every migration this code knows is applied (remembered once true: new migrations come only with a
    new deployment, that is new processes)."""
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied")
    _migrations_applied = True


def check_broker() -> None:
    """The huey queue's Redis answers (only when REDIS_URL is set; the SQLite queue is the database file)."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_safe
def readyz(request):
    """Readiness: this process can serve (database reachable, schema up to date, queue reachable).
    200 with every check "ok", or 503 naming what failed."""
    checks = [("database", check_database), ("migrations", check_migrations)]
    if settings.REDIS_URL:
        checks.append(("broker", check_broker))
    results, failed = {}, []
    for name, check in checks:
        if name == "migrations" and "database" in failed:
            results[name] = "skipped"
            continue
        try:
            check()
        except Exception as exc:  # any failure makes the process unready; the class names the cause
            logger.warning("readiness check %s failed: %s", name, type(exc).__name__)
            results[name] = f"failed: {type(exc).__name__}"
            failed.append(name)
        else:
            results[name] = "ok"
    body = {"status": "fail" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200)


LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def _from_loopback(request) -> bool:
    """A direct connection from this machine. A request relayed by a reverse proxy on the same machine
    also comes from loopback but carries the proxy's X-Forwarded-For: it is not trusted."""
    if any(h in request.headers for h in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address in net for net in LOOPBACK)


def _has_token(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and given.startswith("Bearer ") and hmac.compare_digest(
        given.removeprefix("Bearer ").strip().encode(), token.encode()
    )


@never_cache
@require_safe
def metrics_view(request):
    """Prometheus text format. Only from loopback (a Prometheus or agent on the same machine), or with
    `Authorization: Bearer <METRICS_TOKEN>`."""
    if not (_has_token(request) or _from_loopback(request)):
        return HttpResponseForbidden("Forbidden\n", content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
