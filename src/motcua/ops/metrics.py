"""Prometheus metrics.

Request counts and latencies are recorded by the request middleware in each process. Under gunicorn
with several worker processes, set PROMETHEUS_MULTIPROC_DIR to an empty directory writable by the
workers (wiped before each start): prometheus_client then keeps each process's figures in files there
and /metrics, whichever worker answers, adds them up. Without it, figures are per process (fine for
`runserver` or a single worker).

The backlog figures (outbox, DVCQG synchronisation, overdue dossiers) are not kept in memory: they are
read from the database when /metrics is scraped, so every process reports the same, current values.
"""

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

# Seconds: page views take tens of milliseconds, exports and PDFs up to seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "motcua_http_requests", "HTTP requests answered, by route name, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "motcua_http_request_duration_seconds", "Time to answer an HTTP request, by route name.",
    ["route"], buckets=LATENCY_BUCKETS,
)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def route_of(request) -> str:
    """The URL pattern's name (bounded, unlike the path): 'namespace:name', or the view's dotted path
    when the pattern has no name, or '<unmatched>' for an address that matched nothing."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.view_name or match._func_path


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    # Unusual methods (a scanner's) are folded so they cannot grow the label set without bound.
    method = method if method in {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} else "OTHER"
    REQUESTS.labels(route=route, method=method, status=str(status)).inc()
    LATENCY.labels(route=route).observe(seconds)


class _ThisProcess:
    """The default registry's metrics (this process only), inside another registry."""

    def collect(self):
        return REGISTRY.collect()


class Backlog:
    """Figures read from the database at scrape time, each with one indexed query."""

    def collect(self):
        from django.db import DatabaseError
        from django.db.models import Count, Min
        from django.utils import timezone

        from motcua.dossiers import workflow
        from motcua.dossiers.models import Dossier
        from motcua.notify.models import OutboxMessage

        now = timezone.now()
        up = GaugeMetricFamily("motcua_backlog_query_ok", "1 when the backlog figures below could be read.")
        try:
            # outbox_due index (status, next_attempt_at): only the undelivered rows are visited.
            waiting = dict.fromkeys(("pending", "sending", "dead"), 0)
            oldest = None
            for row in (
                OutboxMessage.objects.filter(status__in=list(waiting)).order_by()
                .values("status").annotate(n=Count("id"), oldest=Min("created_at"))
            ):
                waiting[row["status"]] = row["n"]
                if row["status"] != "dead" and row["oldest"] and (oldest is None or row["oldest"] < oldest):
                    oldest = row["oldest"]
            dvcqg = (
                OutboxMessage.objects.filter(status__in=["pending", "sending"], channel="dvcqg").order_by().count()
            )
            sync = dict.fromkeys(("not_synced", "failed"), 0)
            for row in (
                Dossier.objects.filter(sync_state__in=list(sync)).exclude(state="draft").order_by()
                .values("sync_state").annotate(n=Count("id"))
            ):
                sync[row["sync_state"]] = row["n"]
            # dossier_state_due index (state, due_at).
            overdue = Dossier.objects.filter(
                state__in=list(workflow.CLOCK_RUNNING_STATES), due_at__lt=now
            ).order_by().count()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up

        outbox = GaugeMetricFamily(
            "motcua_outbox_messages", "Outbox messages not delivered, by status (pending, sending, dead).",
            labels=["status"],
        )
        for status, n in waiting.items():
            outbox.add_metric([status], n)
        yield outbox
        age = GaugeMetricFamily(
            "motcua_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox message still waiting to be delivered (0 when none).",
        )
        age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
        yield age
        backlog = GaugeMetricFamily(
            "motcua_dvcqg_sync_messages_pending", "DVCQG synchronisation calls waiting in the outbox.",
        )
        backlog.add_metric([], dvcqg)
        yield backlog
        unsynced = GaugeMetricFamily(
            "motcua_dvcqg_unsynced_dossiers",
            "Dossiers (drafts aside) not synchronised with DVCQG, by sync state (not_synced, failed).",
            labels=["sync_state"],
        )
        for state, n in sync.items():
            unsynced.add_metric([state], n)
        yield unsynced
        late = GaugeMetricFamily(
            "motcua_dossiers_overdue", "Open dossiers with the clock running whose due time has passed.",
        )
        late.add_metric([], overdue)
        yield late


def request_registry() -> CollectorRegistry:
    """The request metrics of every worker process (multiprocess mode) or of this process."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    return registry


def exposition() -> bytes:
    """The text /metrics serves: request metrics and the backlog figures."""
    registry = request_registry()
    registry.register(Backlog())
    return generate_latest(registry)
