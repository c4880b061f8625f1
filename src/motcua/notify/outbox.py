"""The transactional outbox: enqueue inside the change's transaction, deliver after commit.

A delivery is claimed with a lease (`locked_until`): a worker killed mid-delivery leaves its rows to be
claimed again once the lease runs out, so nothing is lost; the idempotency key sent with every delivery
lets the receiver drop the duplicate that a retry after a lost acknowledgement may cause. Failures are
retried with exponential backoff up to MOTCUA_OUTBOX_MAX_ATTEMPTS, then the row is marked dead and stays
visible to staff.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua import fields
from motcua.connectors import DeliveryError, PermanentDeliveryError

from . import channels
from .models import OutboxMessage

Status = OutboxMessage.Status
log = logging.getLogger(__name__)


def enqueue(*, channel: str, recipient: str, key: str, body: str = "", subject: str = "", payload=None, dossier=None) -> None:
    """Write a delivery in the caller's transaction (it exists only if that transaction commits) and wake
    the worker after commit. A key already in the outbox is not queued again (one INSERT … ON CONFLICT DO
    NOTHING on the unique key: no read first, no savepoint, and two callers racing with one key both
    succeed with one row)."""
    OutboxMessage.objects.bulk_create([OutboxMessage(
        idempotency_key=key, channel=channel, recipient=recipient, subject=subject[:200], body=body,
        payload=payload or {}, dossier=dossier,
    )], ignore_conflicts=True)
    _wake_once_after_commit()  # also after a repeat: a spare nudge finds nothing due


def _wake_once_after_commit():
    """One nudge per transaction, however many rows it queued: a submission queues an SMS and a sync
    message, and one worker run delivers both (a second run would only find nothing due)."""
    pending = transaction.get_connection().run_on_commit  # what this transaction runs after commit
    if not any(entry[1] is _wake_worker for entry in pending):
        transaction.on_commit(_wake_worker)


# Set while a worker run is queued and has not started: later commits need not queue another, the run
# will see their rows (it clears the mark before it claims anything).
WAKE_PENDING = "motcua:outbox:wake-pending"


def _wake_worker():
    """Nudge the worker after commit, unless a nudge is already waiting in the queue: under load one run
    then delivers the rows of many submissions in a few batches instead of one run each. The row is
    already safe; if the queue (Redis) is down, or a mark is left by a run that died before starting, the
    worker's every-minute sweep delivers it (and clears the mark), so the caller's request never fails
    for it."""
    from huey.contrib.djhuey import HUEY

    from .tasks import deliver_soon

    try:
        if HUEY.put_if_empty(WAKE_PENDING, 1):
            try:
                deliver_soon()
            except Exception:
                HUEY.delete(WAKE_PENDING)  # no run was queued: the next commit must try again
                raise
    except Exception:
        log.warning("could not wake the outbox worker; the periodic sweep will deliver", exc_info=True)


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: doubling from the base, capped."""
    seconds = settings.MOTCUA_OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.MOTCUA_OUTBOX_BACKOFF_MAX_SECONDS))


def claim(limit: int, now: datetime) -> list[OutboxMessage]:
    """Take up to `limit` due rows (pending and due, or sending with an expired lease) for this worker."""
    # Two plain range scans of the `outbox_due` index, not one query with OR: PostgreSQL answers an OR with
    # a bitmap scan, which never marks the index entries of delivered rows as dead, so every claim walked
    # all of them again until a vacuum (11 ms per claim after a few minutes of submissions; 0.2 ms now).
    with transaction.atomic():
        ids = []
        # A killed worker's rows first: they are the oldest, and few (only after a crash).
        for condition in (Q(status=Status.SENDING, locked_until__lt=now), Q(status=Status.PENDING, next_attempt_at__lte=now)):
            if len(ids) == limit:
                break
            due = OutboxMessage.objects.filter(condition).order_by("next_attempt_at", "pk")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)  # several workers on PostgreSQL never take the same row
            ids += due.values_list("pk", flat=True)[: limit - len(ids)]
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=Status.SENDING,
            locked_until=now + timedelta(seconds=settings.MOTCUA_OUTBOX_LEASE_SECONDS),
            attempts=F("attempts") + 1,
        )
    return list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk"))


def _groups(channel, messages: list[OutboxMessage]) -> list[list[OutboxMessage]]:
    """Messages a channel can send as one (it defines `group_key`), e.g. several sync messages of one
    dossier; every other message is a group of its own."""
    key = getattr(channel, "group_key", None)
    if key is None:
        return [[m] for m in messages]
    groups: dict = {}
    for message in messages:
        groups.setdefault(key(message), []).append(message)
    return list(groups.values())


# Channels that send to a mobile number: a recipient that is not one is given up at once, never
# "delivered" (a number with letters or non-ASCII digits used to be marked sent).
PHONE_CHANNELS = frozenset({"sms", "zalo"})


def _to_valid_phones(name: str, messages: list, counts: dict, now) -> list:
    if name not in PHONE_CHANNELS:
        return messages
    valid = []
    for message in messages:
        try:
            fields.phone(message.recipient, mobile_only=True)
        except fields.FieldError as exc:
            counts[_failed(message, f"Số điện thoại nhận không hợp lệ: {exc.message}", now, True)] += 1
        else:
            valid.append(message)
    return valid


def deliver_batch(limit: int = 100, now: datetime | None = None) -> dict[str, int]:
    """Deliver what is due; returns how many were delivered, will be retried, and were given up."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "dead": 0}
    used = set()
    by_channel: dict = {}
    try:
        for message in claim(limit, now):
            by_channel.setdefault(message.channel, []).append(message)
        for name, messages in by_channel.items():
            try:
                channel = channels.get(name)
            except DeliveryError as exc:
                for message in messages:
                    counts[_failed(message, str(exc), now, True)] += 1
                continue
            used.add(channel)
            messages = _to_valid_phones(name, messages, counts, now)
            for group in _groups(channel, messages):
                try:
                    if len(group) > 1:
                        channel.send_group(group)
                    else:
                        channel.send(group[0])
                except DeliveryError as exc:
                    permanent = isinstance(exc, PermanentDeliveryError)
                    for message in group:
                        counts[_failed(message, str(exc), now, permanent)] += 1
                except Exception as exc:  # a bug or an odd answer: this group waits, the others go on
                    log.exception("outbox: delivering %s failed", [m.pk for m in group])
                    for message in group:
                        counts[_failed(message, f"Lỗi khi gửi: {exc!r}", now, False)] += 1
                else:
                    OutboxMessage.objects.filter(pk__in=[m.pk for m in group], status=Status.SENDING).update(
                        status=Status.DELIVERED, delivered_at=timezone.now(), locked_until=None, last_error=""
                    )
                    counts["delivered"] += len(group)
    finally:
        for channel in used:  # connections kept for the batch (SMTP) are closed at its end
            if hasattr(channel, "close"):
                channel.close()
    return counts


def _failed(message: OutboxMessage, error: str, now: datetime, permanent: bool) -> str:
    dead = permanent or message.attempts >= settings.MOTCUA_OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.DEAD if dead else Status.PENDING,
        next_attempt_at=now + backoff(message.attempts),
        locked_until=None,
        last_error=error[:2000],
    )
    return "dead" if dead else "retry"


def retry_now(queryset) -> int:
    """Staff action: send again now, dead rows included (after the cause was fixed)."""
    return queryset.exclude(status=Status.DELIVERED).update(
        status=Status.PENDING, next_attempt_at=timezone.now(), locked_until=None
    )
