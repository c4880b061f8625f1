"""Scoped reads. Every list, search, export and API read of dossiers goes through visible_dossiers()."""

from functools import reduce
from operator import or_

from django.db.models import Prefetch, Q

from motcua.org.models import Agency, RoleAssignment

from .models import Dossier, Pause, StepRecord


def visible_dossiers(user):
    """Dossiers `user` may see: those received by or assigned to an agency where the user holds any role,
    including agencies below it, and those an open verification request asks such an agency about. Superusers see everything; anonymous users and users without roles
    see nothing.
    """
    qs = Dossier.objects.select_related(
        "case", "procedure_version__procedure", "receiving_agency", "competent_agency"
    )
    if user is None or not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    ids = agency_ids_in_scope(user)
    if not ids:
        return qs.none()
    scope = Q(receiving_agency_id__in=ids) | Q(competent_agency_id__in=ids)
    # An agency asked to verify sees the dossier while the request is open. Read first (a handful of
    # rows): with constants in the query, PostgreSQL estimates the scope well and keeps to the indexes.
    asked = list(
        Pause.objects.filter(kind=Pause.Kind.VERIFICATION, ended_at__isnull=True, agency_id__in=ids)
        .values_list("dossier_id", flat=True)
    )
    if asked:
        scope |= Q(pk__in=asked)
    return qs.filter(scope)


def agency_ids_in_scope(user) -> list[int]:
    """The agencies where `user` holds a role, and every agency below them, as ids (a few hundred at
    most): the indexes on the dossier and report tables can then be used instead of matching paths."""
    paths = set(RoleAssignment.objects.filter(user=user).values_list("agency__path", flat=True))
    if not paths:
        return []
    return list(Agency.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths))).values_list("pk", flat=True))


def dossier_for(user, code: str) -> Dossier | None:
    return visible_dossiers(user).filter(code=code).first()


def dossier_detail(user, code: str) -> Dossier | None:
    """The dossier with its events, papers, fees, steps (with their agency) and pauses, if `user` may see it."""
    return (
        visible_dossiers(user)
        .prefetch_related("events", "components", "fees", Prefetch("steps", StepRecord.objects.select_related("agency")), "pauses")
        .filter(code=code)
        .first()
    )
