"""Reads for printing: which printed forms apply to a dossier, and which ledgers a user may open.
Dossiers are read through dossiers.selectors (dossier_for, visible_dossiers), never directly."""

from motcua.org.models import Agency
from motcua.org.selectors import roles_at

# The papers the citizen receives (and may download from the tracking page): receipt, supplement
# request, apology. The others (refusal, control slip, stop notice) are printed at the desk.
CITIZEN_FORMS = ("01", "02", "04")


def applicable_forms(dossier, *, for_citizen: bool = False) -> list[str]:
    """The numbers of the forms the dossier's history supports now, in order ("01"…"05", "dung"): the
    same conditions under which printing.services builds them rather than raising FormNotApplicable.
    The desk lists them all; the citizen's tracking page (`for_citizen`) only CITIZEN_FORMS. Reads the
    events and steps through .all(), so a dossier loaded with them prefetched costs no query."""
    actions = {e.action for e in dossier.events.all()}
    received = dossier.received_at is not None
    applies = {
        "01": received,
        "02": bool(actions & {"request_completion", "request_supplement"}),
        "03": "refuse" in actions,
        "04": "apologise" in actions,
        "05": received and any(True for _ in dossier.steps.all()),
        "dung": bool(actions & {"stop", "withdraw"}),
    }
    return [form for form, yes in applies.items() if yes and (not for_citizen or form in CITIZEN_FORMS)]


def ledger_agency(user, agency_id: int) -> Agency | None:
    """The agency whose ledger (Mẫu 06) `user` may open: one where the user holds a role, directly or
    through an agency above it (superusers: any). None otherwise, so a caller cannot tell an agency
    the user may not see from one that does not exist."""
    if user is None or not user.is_authenticated:
        return None
    agency = Agency.objects.select_related("parent", "area").filter(pk=agency_id).first()
    if agency is None:
        return None
    if user.is_superuser or roles_at(user, agency):
        return agency
    return None
