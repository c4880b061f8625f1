"""Fees collected before processing (thu trước) paid online, and the actions a person may take now."""


from django.db import transaction

from motcua.catalog.models import FeeLine
from motcua.workflow import events

from .. import workflow
from ..models import (
    Dossier,
    DossierFee,
    State,
)
from .common import (
    STEP_OWNER_ACTIONS,
    _append_event,
    _held_roles,
    _last_processing_step,
    _lock,
    _now,
    _roles_for,
    _step_role_missing,
)
from .errors import Applicant, DossierError, NotAllowed, Outcome

PAY_FEES = workflow.DossierAction.PAY_FEES.value

# States in which fees collected before processing (thu trước) can still be paid online.
FEE_PAYABLE_STATES = frozenset({State.SUBMITTED, State.AWAITING_COMPLETION, State.RECEIVED, State.PROCESSING})


def unpaid_prepaid_fees(dossier: Dossier) -> list[DossierFee]:
    """The fee lines to be paid before processing that nobody has paid yet."""
    return list(dossier.fees.filter(mode=FeeLine.Mode.PREPAID, paid_at__isnull=True, amount__gt=0).order_by("pk"))


@transaction.atomic
def record_fee_payment(dossier, *, reference: str, amount: int, channel: str = "Trực tuyến", now=None) -> Outcome:
    """Mark the dossier's unpaid prepaid fees as paid by the online payment `reference` and append a
    "pay_fees" event (the citizen is told, the portal is synchronised). The state does not change.

    Refused: nothing left to pay, a state where fees are no longer collected, or an amount that is not
    the sum of the unpaid fees. A repeat with the same reference changes nothing."""
    now = _now(now)
    d = _lock(dossier)
    if d.events.filter(action=PAY_FEES, data__reference=reference).exists():
        return Outcome(d, repeated=True)
    if d.state not in FEE_PAYABLE_STATES:
        raise NotAllowed("Hồ sơ ở trạng thái này không còn thu phí, lệ phí trực tuyến.")
    fees = unpaid_prepaid_fees(d)
    if not fees:
        raise NotAllowed("Hồ sơ không còn khoản phí, lệ phí nào phải nộp trước.")
    if sum(f.amount for f in fees) != amount:
        raise DossierError("Số tiền đã nộp không khớp với các khoản phí, lệ phí của hồ sơ.", field="amount")
    DossierFee.objects.filter(pk__in=[f.pk for f in fees]).update(paid_at=now, payment_channel=channel[:30])
    data = {"reference": reference, "amount": amount, "fees": [f.name for f in fees]}
    event = _append_event(d, PAY_FEES, d.state, None, now, data=data)
    d.save(update_fields=["last_event_seq", "audit_head", "updated_at"])
    events.announce("dossier", events.MOVED, d, PAY_FEES, event.seq, data, "")
    return Outcome(d, repeated=False)


def _step_guard_allows(dossier: Dossier, transition: workflow.Transition) -> bool:
    """forward stops before the last processing step; finish waits for it."""
    if transition.action not in STEP_OWNER_ACTIONS or dossier.state != State.PROCESSING:
        return True
    last = _last_processing_step(dossier.case)
    at_last = dossier.current_step >= last
    return at_last if transition.action == "finish" else not at_last


def allowed_actions(dossier: Dossier, actor) -> list[workflow.Transition]:
    """The moves this actor may make on this dossier now (for buttons and the API)."""
    candidates = workflow.actions_from(dossier.state)
    if isinstance(actor, Applicant):
        return [t for t in candidates if workflow.APPLICANT in t.roles and t.action != "submit"]
    if actor is None or actor.is_superuser:
        return [t for t in candidates if t.action != "submit" and _step_guard_allows(dossier, t)]
    held = _held_roles(actor, dossier)
    candidates = [
        t for t in candidates
        if t.roles & _roles_for(actor, dossier, t, held) and not _step_role_missing(dossier, t, held)
    ]
    return [t for t in candidates if t.action != "submit" and _step_guard_allows(dossier, t)]
