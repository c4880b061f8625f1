"""Scoped reads for printing: which ledgers a user may open. Dossiers are read through
dossiers.selectors (dossier_for, visible_dossiers), never directly."""

from motcua.org.models import Agency
from motcua.org.selectors import roles_at


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
