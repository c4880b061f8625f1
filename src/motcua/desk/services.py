"""What the desk does beyond single moves: reception at the counter (create and receive, ask for
completion or refuse, in one transaction, with the scans), and the times it shows before confirming.

State changes still happen only in dossiers/services.py; this module calls it.
"""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone

from motcua.calendar.services import calendar_for_agency
from motcua.catalog.models import Case
from motcua.documents import services as documents
from motcua.dossiers import deadlines
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Channel, Dossier
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.org.selectors import roles_at

DECISIONS = ("receive", "request_completion", "refuse")


def current_time() -> datetime:
    """The desk's clock (one place, so tests can set it)."""
    return timezone.now()


def counter_channel(user, agency: Agency) -> int:
    """A postal agent receives by post (channel 3); a one-stop officer at the counter (channel 1)."""
    held = roles_at(user, agency)
    if Role.POSTAL_AGENT in held and Role.ONE_STOP_OFFICER not in held:
        return Channel.POSTAL
    return Channel.DIRECT


def promised_time(case: Case, agency: Agency, channel: int, now: datetime) -> datetime | None:
    """The return time the receipt will promise if the dossier is received now: the same function and calendar
    the service uses when it receives (office hours, holidays and cut-offs of the receiving unit)."""
    draft = SimpleNamespace(
        received_at=now, submitted_at=now, channel=channel, rescheduled_due_at=None, apologised_at=None
    )
    return deadlines.due_time(calendar_for_agency(agency), draft, case, [])


@dataclass(frozen=True)
class Reception:
    dossier: Dossier
    repeated: bool


def reception_key(actor, key: str) -> str:
    return f"desk:{key}"


def receive_at_counter(
    *,
    actor,
    decision: str,
    case: Case,
    receiving_agency: Agency,
    competent_agency: Agency,
    applicant: dict,
    components: list[dict],
    fees: list[dict],
    return_method: str,
    summary: str = "",
    population_verified: bool = False,
    scans: list[tuple[object, int]] = (),
    items: list[dict] | None = None,
    reason: str = "",
    idempotency_key: str,
    now: datetime | None = None,
) -> Reception:
    """Create the dossier and, in the same transaction, receive it (form 01), ask for completion (form 02)
    or refuse it (form 03); attach the scans (each marks its component digitised). A DossierError or a
    DocumentError leaves nothing behind. Repeating the idempotency key returns the first dossier."""
    if decision not in DECISIONS:
        raise dossier_services.DossierError("Hãy chọn tiếp nhận, yêu cầu bổ sung hoặc từ chối.", field="decision")
    now = now or current_time()
    checked = [(documents.check_upload(upload), component_id) for upload, component_id in scans]
    key = reception_key(actor, idempotency_key)
    stored = []
    try:
        with transaction.atomic():
            created = dossier_services.create_dossier(
                actor=actor, case=case, channel=counter_channel(actor, receiving_agency),
                receiving_agency=receiving_agency, competent_agency=competent_agency, applicant=applicant,
                components=components, fees=fees, return_method=return_method, summary=summary,
                population_verified=population_verified, idempotency_key=key, now=now,
            )
            dossier = created.dossier
            if created.repeated:
                return Reception(dossier, True)
            by_component = {c.component_id: c for c in dossier.components.all()}
            for c, component_id in checked:
                stored.append(
                    documents.attach(
                        dossier=dossier, checked=c, actor=actor, kind="component",
                        component=by_component.get(component_id), now=now,
                    )
                )
            data = {}
            if decision == "request_completion":
                data = {"items": items or []}
            elif decision == "refuse":
                data = {"reason": reason}
            outcome = dossier_services.perform(
                dossier, decision, actor=actor, data=data, idempotency_key=f"{key}:{decision}", now=now
            )
            return Reception(outcome.dossier, False)
    except Exception:
        documents.delete_stored(stored)
        raise


def format_working_time(minutes: int, minutes_per_day: int = 480) -> str:
    """'2 ngày 3 giờ làm việc', '45 phút làm việc'."""
    days, rest = divmod(max(minutes, 0), minutes_per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} ngày")
    if hours:
        parts.append(f"{hours} giờ")
    if mins and not days:
        parts.append(f"{mins} phút")
    return (" ".join(parts) or "0 phút") + " làm việc"
