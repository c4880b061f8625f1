"""Tracking a dossier on the citizen portal: who may see it, what happened in plain words, what the
citizen must do next, and the citizen's own moves (supply missing items, withdraw).

Access. Without an account, a dossier is found by its code plus the phone number or the personal ID
written on it (`find`); a wrong pair answers exactly like an unknown code, compared in constant time, and
failed look-ups are counted per address in the database (feedback.services throttle: 10 per 10 minutes;
only a failure writes). The look-up is the portal's busiest request, so it is one round trip: the
address's recent failures and the few columns of the dossier come back from one indexed query (`_row`).
A successful look-up remembers the code (`remember`), so the citizen can act on the dossier: in a signed
cookie (HttpOnly, SameSite=Lax, Secure on HTTPS, two weeks at most) for a browser without a citizen signed
in, so a look-up writes nothing; in the session of a signed-in citizen, as before. Signing out forgets both
(`forget_on_sign_out`). A signed-in citizen also sees the dossiers his account owns (`accessible`).

Reading. `timeline`, `current_step`, `next_step`, `payment_state` and `papers` turn the dossier's
history into sentences a citizen understands: no state codes, no action names, no internal step names.

Writing. `supply_items` and `withdraw` act as the applicant through dossiers.services.perform (the one
writer of dossier state), with actor None: the portal has no staff user, so the event is recorded as
made by the system, with the citizen's note or reason (see the report on the applicant actor).

Modules: access, words (timeline), guidance (next step, payments, fees), papers, moves, and common;
every public name is re-exported here.
"""

from .access import (
    COOKIE,
    COOKIE_SALT,
    REVOKED_KEY,
    REVOKED_MAX,
    SESSION_KEY,
    SESSION_MAX,
    THROTTLE_SCOPE,
    _cookie,
    _row,
    _row_sql,
    accessible,
    citizen_dossiers,
    clean_lookup,
    find,
    forget_on_sign_out,
    normalise_code,
    not_found_message,
    remember,
    remembered,
)
from .common import WITHDRAW_PREFIX, TooManyAttempts, TrackingError, applicant, money, when
from .guidance import (
    Item,
    NextStep,
    PaymentLine,
    fee_lines,
    next_step,
    payable,
    payment_state,
    supplement_items,
)
from .moves import MAX_NOTE, can_supply, can_withdraw, payment_receipt, supply_items, withdraw
from .papers import FORMS, form_pdf, issued_forms, result_documents
from .words import ROLE_DOING, ROLE_TO, SENTENCES, STATE_NOW, Moment, current_step, due_time, timeline

__all__ = [
    "COOKIE",
    "COOKIE_SALT",
    "FORMS",
    "Item",
    "MAX_NOTE",
    "Moment",
    "NextStep",
    "PaymentLine",
    "REVOKED_KEY",
    "REVOKED_MAX",
    "ROLE_DOING",
    "ROLE_TO",
    "SENTENCES",
    "SESSION_KEY",
    "SESSION_MAX",
    "STATE_NOW",
    "THROTTLE_SCOPE",
    "TooManyAttempts",
    "TrackingError",
    "WITHDRAW_PREFIX",
    "_cookie",
    "_row",
    "_row_sql",
    "accessible",
    "applicant",
    "can_supply",
    "can_withdraw",
    "citizen_dossiers",
    "clean_lookup",
    "current_step",
    "due_time",
    "fee_lines",
    "find",
    "forget_on_sign_out",
    "form_pdf",
    "issued_forms",
    "money",
    "next_step",
    "normalise_code",
    "not_found_message",
    "payable",
    "payment_receipt",
    "payment_state",
    "remember",
    "remembered",
    "result_documents",
    "supplement_items",
    "supply_items",
    "timeline",
    "when",
    "withdraw",
]
