"""The rules of applying online. The only functions that write drafts, uploads, and the dossier they become.

What changes and what can be refused (every refusal is an ApplicationError with a Vietnamese message that
says what to do, and the HTTP status to answer with; nothing is half-written then):

- start_draft: opens the citizen's draft for a case, or gives back the open one. Refused (409) when the
  case is not offered online or its procedure version is not in force today.
- save_form / save_review: keep what the citizen typed on the open draft, valid or not (the pages show
  the problems; nothing typed is lost). Refused (409) on a submitted draft.
- create_upload: a new resumable upload into a component of the draft's case. Refused: an empty file
  (400), a file over the per-file limit or a draft over DRAFT_MAX_BYTES in all (413), a component of another
  case (400), a submitted draft (409).
- append: writes the bytes of one PATCH at the stated offset. The offset that counts is the size of the
  stored file: when the connection drops mid-PATCH, what arrived is kept and the next HEAD says so.
  Refused: a wrong offset (409), more bytes than declared (413, the PATCH's bytes are discarded), first
  bytes that are not a PDF, JPEG or PNG (415; the upload is removed: there is nothing to resume).
- store_plain: the same checks for a whole file sent without JavaScript.
- delete_upload: removes an upload of an open draft and its bytes.
- submit: validates the e-form, the review choices, the required components and that every upload is
  complete; then, in one transaction, creates and submits the dossier (channel online, the applicant as
  the actor, named in the history) with an idempotency key derived from the draft's submission key, stores every
  uploaded file as a Document of its dossier component (marked provided and digitised) and marks the draft
  submitted. The draft row is locked first, so a double click, a resend or two requests at once give one
  dossier. The files are stored with documents.services.store (attach() is the staff path).

Modules: errors, drafts, destination, checklist, uploads, submission; every public name is
re-exported here.
"""

from .components import ChecklistRow, checklist, draft_bytes
from .destination import FeeRow, competent_agency, fee_rows, receiving_agencies, save_review
from .drafts import (
    PREFILL_FIELDS,
    SEX_CHOICES,
    eform_for,
    form_values,
    known_about,
    online_problem,
    open_draft_for,
    prefill,
    save_form,
    start_draft,
)
from .errors import ApplicationError, _megabytes
from .submission import Submitted, answers_for, idempotency_key, submit
from .uploads import (
    DRAFT_MAX_BYTES,
    READ_SIZE,
    SIGNATURE_BYTES,
    append,
    create_upload,
    delete_upload,
    full_path,
    store_plain,
    stored_offset,
    upload_root,
)

__all__ = [
    "ApplicationError",
    "ChecklistRow",
    "DRAFT_MAX_BYTES",
    "FeeRow",
    "PREFILL_FIELDS",
    "READ_SIZE",
    "SEX_CHOICES",
    "SIGNATURE_BYTES",
    "Submitted",
    "_megabytes",
    "answers_for",
    "append",
    "checklist",
    "competent_agency",
    "create_upload",
    "delete_upload",
    "draft_bytes",
    "eform_for",
    "fee_rows",
    "form_values",
    "full_path",
    "idempotency_key",
    "known_about",
    "online_problem",
    "open_draft_for",
    "prefill",
    "receiving_agencies",
    "save_form",
    "save_review",
    "start_draft",
    "store_plain",
    "stored_offset",
    "submit",
    "upload_root",
]
