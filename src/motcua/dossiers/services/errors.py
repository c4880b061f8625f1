"""What the dossier services answer with: refusals a person can act on (each with its HTTP status) and
the outcome of a move."""

from dataclasses import dataclass

from ..models import (
    Dossier,
)

MAX_TEXT = 2000


class DossierError(Exception):
    """A refusal a person can act on. `status` is the HTTP status the API answers with."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DossierError):
    status = 404
    code = "not_found"


class Forbidden(DossierError):
    status = 403
    code = "forbidden"


class NotAllowed(DossierError):
    status = 409
    code = "transition_not_allowed"


class IdempotencyConflict(DossierError):
    status = 409
    code = "idempotency_conflict"


@dataclass(frozen=True)
class Outcome:
    dossier: Dossier
    repeated: bool  # True when an idempotency key made this a repeat of an earlier call
    # create_dossier: the rows a new dossier was written with ("events", "components", "fees", "steps",
    # "pauses"), so that an answer can show them without reading them back. None otherwise.
    written: dict[str, list] | None = None


# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Applicant:
    """The dossier's own applicant (người nộp) acting through the citizen portal. Not a staff user: it may
    make only the moves the transition table gives to the applicant, and the history names him."""

    name: str
    personal_id: str = ""
    is_superuser = False
    is_authenticated = False
    pk = None

    def __str__(self):
        return f"{self.name} (người nộp hồ sơ)"
