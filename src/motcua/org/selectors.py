"""Who may do what where. Role assignments apply to the agency and every agency under it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Agency, RoleAssignment, RoleAudit, TotpDevice
from .roles import Role

# Heads and admins may (and are encouraged to) protect their accounts with a second step.
TOTP_ROLES = frozenset({Role.HEAD_OF_DIVISION, Role.HEAD_OF_AGENCY, Role.UNIT_ADMIN})
# Who may see a unit's coverage page.
COVERAGE_ROLES = frozenset({Role.UNIT_ADMIN, Role.HEAD_OF_DIVISION, Role.HEAD_OF_AGENCY, Role.SUPERVISOR})
CENTRE_KINDS = (Agency.Kind.COMMUNE_CENTRE, Agency.Kind.PROVINCIAL_CENTRE)


def roles_at(user, agency: Agency) -> set[str]:
    """The roles `user` holds at `agency`, directly or through an agency above it."""
    return roles_at_each(user, [agency])[0]


def roles_at_each(user, agencies: list[Agency | None]) -> list[set[str]]:
    """roles_at for several agencies (None gives no roles), in one query."""
    if user is None or not user.is_authenticated or not any(agencies):
        return [set() for _ in agencies]
    chains = [set(a.ancestor_ids()) if a is not None else set() for a in agencies]
    held = list(RoleAssignment.objects.filter(user=user, agency_id__in=set().union(*chains)).values_list("agency_id", "role"))
    return [{role for agency_id, role in held if agency_id in chain} for chain in chains]


def agencies_with_role(user, roles=None):
    """Agencies (and their subtrees) where the user holds any of `roles` (all roles when None)."""
    assignments = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    paths = {a.agency.path for a in assignments.select_related("agency")}
    if not paths:
        return Agency.objects.none()
    return Agency.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))


# Who holds a role, in one place: an active person. System accounts (is_system: other systems' API
# connections) hold roles to call the API, but never act on a step, are never assigned one, and read no
# e-mail: the coverage page, assignment and the deadline watch all count the same people.
ACTIVE_HOLDER = Q(user__is_active=True, user__is_system=False)


def holders_of(role: str, agency: Agency):
    """People who can act as `role` at `agency` (assigned there or above); never a system account."""
    from .models import User

    return User.objects.filter(
        is_active=True, is_system=False, role_assignments__role=role, role_assignments__agency_id__in=agency.ancestor_ids()
    ).distinct()


def _valid_on(day: date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


# --------------------------------------------------------------------------------------------------
# Administering a unit
# --------------------------------------------------------------------------------------------------


def can_administer(user, agency: Agency) -> bool:
    """A superuser, or a unit admin of `agency` or of an agency above it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.UNIT_ADMIN in roles_at(user, agency)


def can_view_coverage(user, agency: Agency) -> bool:
    """A superuser, or a unit admin, head or supervisor of `agency` or of an agency above it."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles_at(user, agency) & COVERAGE_ROLES)


def grantable_agencies(agency: Agency, day: date | None = None):
    """The agencies of `agency`'s subtree still in force: where roles can be granted from its page."""
    return Agency.objects.filter(path__startswith=agency.path).filter(_valid_on(day or timezone.localdate()))


@dataclass
class RoleHolders:
    role: str
    label: str
    assignments: list  # RoleAssignment, each with `inherited` True when granted above the unit


def role_holders(agency: Agency) -> list[RoleHolders]:
    """Every role with the assignments that count at `agency`: those in its subtree (which its admin
    may revoke) and those granted above it (`inherited`, shown only). One query."""
    above = [pk for pk in agency.ancestor_ids() if pk != agency.pk]
    rows = (
        RoleAssignment.objects.filter(Q(agency__path__startswith=agency.path) | Q(agency_id__in=above))
        .select_related("user", "agency", "granted_by")
        .order_by("agency__path", "user__last_name", "user__first_name", "user__username")
    )
    by_role = defaultdict(list)
    for assignment in rows:
        assignment.inherited = assignment.agency_id in above
        by_role[assignment.role].append(assignment)
    return [RoleHolders(role.value, str(role.label), by_role.get(role.value, [])) for role in Role]


def role_audit(agency: Agency, limit: int = 200):
    """The newest grants and revocations in `agency`'s subtree."""
    return RoleAudit.objects.filter(agency__path__startswith=agency.path).select_related("agency")[:limit]


def may_use_totp(user) -> bool:
    """Heads, unit admins and superusers may turn on two-step sign-in."""
    if user is None or not user.is_active:
        return False
    return user.is_superuser or RoleAssignment.objects.filter(user=user, role__in=TOTP_ROLES).exists()


def totp_required(user) -> bool:
    """Sign-in asks for a code when the user has confirmed an authenticator app."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


# Set in the session once its user has passed (or needs no) second factor: checked once per session.
SECOND_FACTOR_SESSION_KEY = "org_second_factor_ok"


def second_factor_missing(request) -> bool:
    """Whether the signed-in user of this session must still turn two-step sign-in on before working
    (heads, unit admins and superusers, when MOTCUA_REQUIRE_TOTP). Pages and the API's session
    authentication both ask this, so the API is no way round the enrolment page. API keys are not sessions."""
    user = getattr(request, "user", None)
    if not settings.MOTCUA_REQUIRE_TOTP or user is None or not user.is_authenticated:
        return False
    if request.session.get(SECOND_FACTOR_SESSION_KEY) == user.pk:
        return False
    if not may_use_totp(user) or totp_required(user):
        request.session[SECOND_FACTOR_SESSION_KEY] = user.pk
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Coverage: for every case a unit handles, who can act at each step
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepCoverage:
    order: int
    name: str
    role: str
    role_label: str
    budget_hours: Decimal
    agency_id: int
    agency_name: str
    holders: tuple[str, ...]  # "Nguyễn Văn An (an.nv)", sorted

    @property
    def uncovered(self) -> bool:
        return not self.holders


@dataclass(frozen=True)
class CaseCoverage:
    agency_id: int  # the competent agency
    agency_name: str
    procedure_code: str
    procedure_name: str
    version_number: int
    case_id: int
    case_code: str
    case_name: str
    time_limit: str
    steps: tuple[StepCoverage, ...]
    budget_problem: str | None  # catalog.selectors.budget_problem's message

    @property
    def uncovered_steps(self) -> int:
        return sum(1 for s in self.steps if s.uncovered)

    @property
    def ok(self) -> bool:
        return not self.uncovered_steps and not self.budget_problem and bool(self.steps)


@dataclass(frozen=True)
class Coverage:
    agency_id: int
    agency_name: str
    day: date
    cases: tuple[CaseCoverage, ...]

    @property
    def uncovered_steps(self) -> int:
        return sum(c.uncovered_steps for c in self.cases)

    @property
    def budget_problems(self) -> int:
        return sum(1 for c in self.cases if c.budget_problem)


def coverage(agency: Agency, day: date | None = None) -> Coverage:
    """Every procedure case `agency` handles (itself and its subtree) and who can act at each step.

    A case is handled by each agency of the subtree in force on `day` whose kind and level (the level of
    its area) are the procedure's competent agency kind and level, under the newest version in force.
    A step's role acts where the dossier service makes it act: reception roles (one-stop officer,
    postal agent) at the one-stop centre of the competent agency's area (the agency itself when its area
    has none), every other role at the competent agency. Holders are active, non-system accounts with the
    role at that agency or above it (the rule of `holders_of`). Each case carries the catalog's budget
    check. Cases with a problem come first. Plain data; a fixed number of queries (one per table), whatever the size of the subtree.
    """
    from motcua.catalog.models import Case, ProcedureVersion, WorkflowStep
    from motcua.catalog.selectors import budget_problem
    from motcua.dossiers.workflow import RECEPTION_ROLES

    day = day or timezone.localdate()
    subtree_areas = Agency.objects.filter(path__startswith=agency.path).values("area_id")
    agencies = list(
        Agency.objects.filter(_valid_on(day))
        .filter(Q(path__startswith=agency.path) | Q(kind__in=CENTRE_KINDS, area_id__in=subtree_areas))
        .select_related("area")
        .order_by("path")
    )
    competent = [a for a in agencies if a.path.startswith(agency.path)]
    centres = {}
    # A centre inside the unit wins over one outside it in the same area.
    for a in sorted(agencies, key=lambda a: (not a.path.startswith(agency.path), a.path)):
        if a.kind in CENTRE_KINDS:
            centres.setdefault(a.area_id, a)

    handles = defaultdict(list)  # (kind, level) → competent agencies
    for a in competent:
        handles[(a.kind, a.area.level)].append(a)
    cases = list(
        Case.objects.filter(
            version__in=ProcedureVersion.objects.in_force(day),
            version__procedure__agency_kind__in={kind for kind, _ in handles},
        )
        .select_related("version__procedure")
        .order_by("version__procedure__code", "code")
    )
    newest = {}
    for case in cases:
        v = case.version
        newest[v.procedure_id] = max(newest.get(v.procedure_id, 0), v.number)
    cases = [
        c
        for c in cases
        if c.version.number == newest[c.version.procedure_id]
        and (c.version.procedure.agency_kind, c.version.procedure.level) in handles
    ]
    steps = defaultdict(list)
    for step in WorkflowStep.objects.filter(case_id__in=[c.pk for c in cases]).order_by("case_id", "order"):
        steps[step.case_id].append(step)

    def step_agency(competent_agency, role):
        if role in RECEPTION_ROLES:
            return centres.get(competent_agency.area_id, competent_agency)
        return competent_agency

    acting = {a.pk: a for a in competent} | {a.pk: a for a in centres.values()}
    ancestor_ids = {pk for a in acting.values() for pk in a.ancestor_ids()}
    roles = {s.role for case_steps in steps.values() for s in case_steps}
    holders = defaultdict(dict)  # (agency id, role) → {user id: label}
    for ra in RoleAssignment.objects.filter(
        ACTIVE_HOLDER, agency_id__in=ancestor_ids, role__in=roles
    ).select_related("user"):
        holders[(ra.agency_id, ra.role)][ra.user_id] = f"{ra.user} ({ra.user.username})"

    def who(at: Agency, role: str) -> tuple[str, ...]:
        found = {}
        for pk in at.ancestor_ids():
            found |= holders.get((pk, role), {})
        return tuple(sorted(found.values()))

    rows = []
    for competent_agency in competent:
        for case in cases:
            procedure = case.version.procedure
            if (competent_agency.kind, competent_agency.area.level) != (procedure.agency_kind, procedure.level):
                continue
            case_steps = steps.get(case.pk, [])
            step_rows = []
            for s in case_steps:
                at = step_agency(competent_agency, s.role)
                step_rows.append(
                    StepCoverage(
                        order=s.order,
                        name=s.name,
                        role=s.role,
                        role_label=str(Role(s.role).label) if s.role in Role.values else s.role,
                        budget_hours=s.budget_hours,
                        agency_id=at.pk,
                        agency_name=at.name,
                        holders=who(at, s.role),
                    )
                )
            problem = budget_problem(case, sum((s.budget_hours for s in case_steps), Decimal(0)))
            rows.append(
                CaseCoverage(
                    agency_id=competent_agency.pk,
                    agency_name=competent_agency.name,
                    procedure_code=procedure.code,
                    procedure_name=procedure.name,
                    version_number=case.version.number,
                    case_id=case.pk,
                    case_code=case.code,
                    case_name=case.name,
                    time_limit=case.time_limit_text(),
                    steps=tuple(step_rows),
                    budget_problem=problem.message if problem else None,
                )
            )
    rows.sort(key=lambda row: row.ok)  # problems first, otherwise in agency and procedure order
    return Coverage(agency_id=agency.pk, agency_name=agency.name, day=day, cases=tuple(rows))


def admin_links(user) -> dict:
    """What the page header offers this user besides the desk: the units whose roles he grants, the units
    whose coverage he may see, and whether two-step sign-in is his to turn on. One query."""
    rows = list(
        RoleAssignment.objects.filter(user=user, role__in=COVERAGE_ROLES)
        .select_related("agency").order_by("agency__path")
    )
    grant = {ra.agency_id: ra.agency for ra in rows if ra.role == Role.UNIT_ADMIN}
    cover = {ra.agency_id: ra.agency for ra in rows}
    return {
        "grant": list(grant.values()),
        "coverage": list(cover.values()),
        "totp": user.is_superuser or any(ra.role in TOTP_ROLES for ra in rows),
    }
