"""Who may do what where. Role assignments apply to the agency and every agency under it."""

from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Agency, RoleAssignment


def roles_at(user, agency: Agency) -> set[str]:
    """The roles `user` holds at `agency`, directly or through an agency above it."""
    if user is None or not user.is_authenticated or agency is None:
        return set()
    return set(
        RoleAssignment.objects.filter(user=user, agency_id__in=agency.ancestor_ids()).values_list("role", flat=True)
    )


def agencies_with_role(user, roles=None):
    """Agencies (and their subtrees) where the user holds any of `roles` (all roles when None)."""
    assignments = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    paths = {a.agency.path for a in assignments.select_related("agency")}
    if not paths:
        return Agency.objects.none()
    return Agency.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


def holders_of(role: str, agency: Agency):
    """Users who can act as `role` at `agency` (assigned there or above)."""
    from .models import User

    return User.objects.filter(
        is_active=True, role_assignments__role=role, role_assignments__agency_id__in=agency.ancestor_ids()
    ).distinct()

