"""A tamper-evident dossier history (nhật ký hồ sơ chống sửa đổi).

Each DossierEvent carries `hash` = SHA-256(previous event's hash of the same dossier + the event's content
in a canonical form); the dossier row keeps the newest one (`audit_head`). Editing an event breaks its
hash and every later one; deleting one leaves a gap in the numbers or a head that does not match.

Someone with write access to the whole database could recompute a dossier's chain. Against that, the
nightly anchor (`seal`) digests every event hash appended since the previous anchor, chained anchor to
anchor; its digest goes into the log and to whoever keeps a copy outside the database. A rewritten chain
then no longer matches the anchors. A block is sealed a day after its last event id was chosen, so no
transaction still in flight can land inside it afterwards.

`verify()` (command `verify-audit`) checks all of it and names every edited or missing event.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import transaction

from motcua.workflow.events import GENESIS, chained_hash, moment

from .models import AuditAnchor, Dossier, DossierEvent

log = logging.getLogger("motcua.audit")


def event_hash(previous: str, dossier_id, seq, action, from_state, to_state, actor_id, actor_name, at, reason,
               data, due_at) -> str:
    """The chained hash of one event; every field that tells what happened is in it."""
    return chained_hash(previous, [dossier_id, seq, action, from_state, to_state, actor_id, actor_name, moment(at),
                                   reason, data or {}, moment(due_at)])


FIELDS = ("dossier_id", "seq", "action", "from_state", "to_state", "actor_id", "actor_name", "at", "reason", "data",
          "due_at")


@dataclass(frozen=True)
class Problem:
    dossier: str
    seq: int | None
    kind: str  # "edited", "missing", "head", "anchor"
    detail: str

    def __str__(self):
        where = f"hồ sơ {self.dossier}" + (f", thao tác số {self.seq}" if self.seq is not None else "")
        return f"{where}: {self.detail}"


def _check_dossier(code: str, last_seq: int, head: str, events: list[tuple]) -> list[Problem]:
    problems = []
    previous = GENESIS
    expected = 1
    for row in events:
        seq, stored = row[1], row[-1]
        if seq != expected:
            problems.append(Problem(code, expected, "missing", f"thiếu thao tác số {expected}–{seq - 1} (đã bị xóa)"))
        computed = event_hash(previous, *row[:-1])
        if computed != stored:
            problems.append(Problem(code, seq, "edited", "nội dung thao tác không khớp mã băm (đã bị sửa)"))
        previous = stored
        expected = seq + 1
    if expected - 1 < last_seq:
        problems.append(Problem(code, expected, "missing", f"thiếu thao tác số {expected}–{last_seq} (đã bị xóa)"))
    if previous != head:
        problems.append(Problem(code, None, "head", "mã băm cuối của hồ sơ không khớp nhật ký"))
    return problems


def verify(*, chunk: int = 5000, progress=None) -> list[Problem]:
    """Every problem found in the dossiers' histories and in the anchors; an empty list when intact."""
    problems: list[Problem] = []
    last = 0
    while True:
        dossiers = list(
            Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "code", "last_event_seq", "audit_head")[:chunk]
        )
        if not dossiers:
            break
        low, high = dossiers[0][0], dossiers[-1][0]
        events: dict[int, list] = {}
        for row in DossierEvent.objects.filter(dossier_id__gte=low, dossier_id__lte=high).order_by("dossier_id", "seq") \
                .values_list(*FIELDS, "hash"):
            events.setdefault(row[0], []).append(row)
        for pk, code, last_seq, head in dossiers:
            problems += _check_dossier(code, last_seq, head, events.get(pk, []))
        last = high
        if progress:
            progress(len(dossiers))
    problems += _verify_anchors()
    return problems


def _block_digest(after_id: int, upto_id: int) -> str:
    digest = hashlib.sha256()
    for pk, value in DossierEvent.objects.filter(pk__gt=after_id, pk__lte=upto_id).order_by("pk").values_list("pk", "hash"):
        digest.update(f"{pk}:{value}\n".encode())
    return digest.hexdigest()


def _anchor_chain(previous: str, after_id: int, upto_id: int, digest: str) -> str:
    return hashlib.sha256(f"{previous}|{after_id}|{upto_id}|{digest}".encode()).hexdigest()


def seal() -> AuditAnchor | None:
    """Seal the block of events chosen at the previous run and choose the next one (run nightly).
    Returns the new anchor, or None on the very first run (nothing chosen yet)."""
    with transaction.atomic():
        latest = AuditAnchor.objects.select_for_update().order_by("-pk").first()
        newest_id = DossierEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if latest is None:
            AuditAnchor.objects.create(after_id=0, upto_id=0, digest=GENESIS, chain=GENESIS, next_upto_id=newest_id)
            return None
        after, upto = latest.upto_id, max(latest.next_upto_id, latest.upto_id)
        digest = _block_digest(after, upto)
        anchor = AuditAnchor.objects.create(
            after_id=after, upto_id=upto, digest=digest, chain=_anchor_chain(latest.chain, after, upto, digest),
            next_upto_id=max(newest_id, upto),
        )
    log.info("audit anchor %s: events %s–%s digest %s chain %s", anchor.pk, after + 1, upto, digest, anchor.chain)
    return anchor


def _verify_anchors() -> list[Problem]:
    problems = []
    previous = None
    for anchor in AuditAnchor.objects.order_by("pk"):
        if previous is None:
            previous = anchor
            continue
        digest = _block_digest(anchor.after_id, anchor.upto_id)
        chain = _anchor_chain(previous.chain, anchor.after_id, anchor.upto_id, anchor.digest)
        if digest != anchor.digest or chain != anchor.chain or anchor.after_id != previous.upto_id:
            problems.append(Problem(
                "—", None, "anchor",
                f"khối niêm phong số {anchor.pk} (thao tác {anchor.after_id + 1}–{anchor.upto_id}) không khớp: "
                "nhật ký đã bị viết lại sau khi niêm phong",
            ))
        previous = anchor
    return problems
