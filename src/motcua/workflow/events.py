"""The append-only event both apps record every move with, and the chained hash that makes an edit or a
deletion show (dossiers/audit.py and feedback's check verify the chains; see docs/security.md)."""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


def moment(value) -> str:
    """A time as it goes into a hash: UTC ISO 8601, "" for none."""
    return value.astimezone(UTC).isoformat() if value is not None else ""


def chained_hash(previous: str, content: list) -> str:
    """SHA-256 of the previous hash and `content` (JSON values; times through `moment`) in canonical JSON."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


class AppendOnlyEvent(models.Model):
    """One move of a subject (a dossier, a feedback item): who did what, when, from which state to which,
    why, with what data. Written once by the app's only writer; never edited, never deleted. `hash`
    chains it to the subject's previous event."""

    # What the hash says: an immutable record. The subclass names the subject's foreign key.
    seq = models.PositiveIntegerField()
    action = models.CharField(_("thao tác"), max_length=40)
    from_state = models.CharField(_("từ trạng thái"), max_length=30, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("người thực hiện"), max_length=200)
    at = models.DateTimeField(_("thời điểm"))
    reason = models.TextField(_("lý do"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    hash = models.CharField(max_length=64, default="", editable=False)

    # Vietnamese, for the refusals below ("Nhật ký hồ sơ", "Nhật ký xử lý phản ánh").
    history_name = "Nhật ký"
    # The name of the subclass's foreign key to its subject ("dossier", "feedback").
    subject_field = ""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.seq}. {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied(f"{self.history_name} chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(f"{self.history_name} không được xóa.")

    def content(self) -> list:
        """What the hash covers: every field that tells what happened (a subclass may add its own)."""
        return [getattr(self, f"{self.subject_field}_id"), self.seq, self.action, self.from_state, self.to_state,
                self.actor_id, self.actor_name, moment(self.at), self.reason, self.data or {}]


class ActionKey(models.Model):
    """A move already done for an idempotency key: the same key from the same actor returns the subject as
    it is instead of moving it twice (the subclass names the subject's foreign key and the unique constraint)."""

    key = models.CharField(max_length=100)
    actor_key = models.CharField(max_length=60)
    action = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.actor_key} {self.key}"


def chain(subject, event: AppendOnlyEvent) -> AppendOnlyEvent:
    """Number `event` after the subject's last one and chain its hash to the subject's head (both kept on
    the subject: `last_event_seq`, `audit_head`). The caller saves both, in its transaction."""
    subject.last_event_seq += 1
    event.seq = subject.last_event_seq
    event.hash = chained_hash(subject.audit_head, event.content())
    subject.audit_head = event.hash
    return event


def append(subject, event: AppendOnlyEvent) -> AppendOnlyEvent:
    """`chain` the event and write it (the subject row is saved by the caller with the rest of the move)."""
    chain(subject, event)
    event.save()
    return event


def verify_chain(label: str, last_seq: int, head: str, events) -> list[str]:
    """What is wrong with one subject's history (its events in order): a gap in the numbers, an event whose
    content no longer matches its hash, a head that does not match the last event. Messages in Vietnamese,
    each starting with `label` (e.g. "phản ánh PAKN-…")."""
    problems, previous, expected = [], GENESIS, 1
    for event in events:
        if event.seq != expected:
            problems.append(f"{label}: thiếu thao tác số {expected}–{event.seq - 1} (đã bị xóa)")
        if chained_hash(previous, event.content()) != event.hash:
            problems.append(f"{label}, thao tác số {event.seq}: nội dung không khớp mã băm (đã bị sửa)")
        previous, expected = event.hash, event.seq + 1
    if expected - 1 < last_seq:
        problems.append(f"{label}: thiếu thao tác số {expected}–{last_seq} (đã bị xóa)")
    if previous != head:
        problems.append(f"{label}: mã băm cuối không khớp nhật ký")
    return problems


# Histories `verify-audit` checks besides the dossiers' own: (what they are, a function returning the
# problems found). Apps register theirs in AppConfig.ready().
AUDITED: list[tuple[str, object]] = []


def audited(what: str, verify) -> None:
    if all(w != what for w, _v in AUDITED):
        AUDITED.append((what, verify))


# ---- subscribers: a lower layer announces, a higher one listens (registered in its AppConfig.ready()) --------
# Called in the announcer's transaction, in the order registered, so what they write (outbox rows, facts)
# commits or rolls back with the move itself.
RECORDED = "recorded"  # (subject, event): an event was appended to the subject's history
RECORDED_IN_BULK = "recorded_in_bulk"  # (subject ids): one new event each, written in bulk
MOVED = "moved"  # (subject, action, seq, details, reason): a move is done and the subject saved

_SUBSCRIBERS: dict[tuple[str, str], list] = {}


def subscribe(subject: str, topic: str, subscriber) -> None:
    """`subscriber` is called with the announcement's arguments each time `subject` ("dossier",
    "feedback") announces `topic`. Registering the same function twice keeps one."""
    listeners = _SUBSCRIBERS.setdefault((subject, topic), [])
    if subscriber not in listeners:
        listeners.append(subscriber)


def announce(subject: str, topic: str, *args) -> None:
    for subscriber in _SUBSCRIBERS.get((subject, topic), ()):
        subscriber(*args)


def subscribers(subject: str, topic: str) -> list:
    return list(_SUBSCRIBERS.get((subject, topic), ()))
