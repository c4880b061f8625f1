"""The only functions that change a dossier's state.

Each one, in one transaction: lock the dossier row, check the transition table (state and the actor's
roles), validate the data, change the dossier, append a DossierEvent, recompute the due time and the step
due times, and remember the idempotency key. An illegal move or bad data raises a DossierError with a
Vietnamese message that says what to fix; nothing is written then.

A package by sub-domain (errors, common, intake, transitions, fees, recompute); this module re-exports what
callers use, so `from motcua.dossiers import services` keeps working.
"""

from .common import (
    STEP_OWNER_ACTIONS,
    VERIFIER_ACTIONS,
    step_agency,
)
from .errors import (
    MAX_TEXT,
    Applicant,
    DossierError,
    Forbidden,
    IdempotencyConflict,
    NotAllowed,
    NotFound,
    Outcome,
)
from .fees import (
    FEE_PAYABLE_STATES,
    allowed_actions,
    record_fee_payment,
    unpaid_prepaid_fees,
)
from .intake import (
    COPY_COUNTS,
    create_dossier,
)
from .recompute import (
    EVENT_COLUMNS,
    recompute_open_due_times,
)
from .transitions import (
    APPLY,
    RECEIVER_KINDS,
    perform,
)

__all__ = [
    "APPLY",
    "Applicant",
    "COPY_COUNTS",
    "DossierError",
    "EVENT_COLUMNS",
    "FEE_PAYABLE_STATES",
    "Forbidden",
    "IdempotencyConflict",
    "MAX_TEXT",
    "NotAllowed",
    "NotFound",
    "Outcome",
    "RECEIVER_KINDS",
    "STEP_OWNER_ACTIONS",
    "VERIFIER_ACTIONS",
    "allowed_actions",
    "create_dossier",
    "perform",
    "recompute_open_due_times",
    "record_fee_payment",
    "step_agency",
    "unpaid_prepaid_fees",
]
