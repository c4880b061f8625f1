"""Forms of the desk pages. They turn what an officer typed into the data the services expect; the services
decide what is allowed.

Modules: counter (reception), actions (the dossier page); every public name is re-exported here.
"""

from .actions import (
    ACTION_FORMS,
    ActionForm,
    AnswerForm,
    ApologyForm,
    ConfirmPaymentForm,
    EmptyForm,
    FinishForm,
    ForwardForm,
    ItemsForm,
    NoteForm,
    PaymentForm,
    ReasonForm,
    ReturnForm,
    SupplementForm,
    UploadForm,
    VerificationForm,
)
from .counter import COPY_FIELDS, CounterDecisionForm, CounterForm, ItemsMixin, LookupForm

__all__ = [
    "ACTION_FORMS",
    "ActionForm",
    "AnswerForm",
    "ApologyForm",
    "COPY_FIELDS",
    "ConfirmPaymentForm",
    "CounterDecisionForm",
    "CounterForm",
    "EmptyForm",
    "FinishForm",
    "ForwardForm",
    "ItemsForm",
    "ItemsMixin",
    "LookupForm",
    "NoteForm",
    "PaymentForm",
    "ReasonForm",
    "ReturnForm",
    "SupplementForm",
    "UploadForm",
    "VerificationForm",
]
