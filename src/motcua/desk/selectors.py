"""Reads for the desk pages. Every dossier list starts from dossiers.selectors.visible_dossiers()."""

from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from motcua.calendar.services import calendar_for_agency, get_calendar, to_aware, to_local_naive
from motcua.catalog.models import Case, Field, Procedure, ProcedureVersion
from motcua.dossiers import workflow
from motcua.dossiers.models import ApologyDraft, Channel, Dossier, DossierEvent, Pause, State, StepRecord
from motcua.dossiers.selectors import visible_dossiers
from motcua.org.models import AdministrativeUnit, Agency, RoleAssignment
from motcua.org.roles import ACTING_ROLES

from .models import ReasonTemplate

PAGE_SIZE = 50
OPEN_STATES = frozenset(State.values) - workflow.TERMINAL_STATES - {State.DRAFT}


# ---------------------------------------------------------------- who receives where


def reception_agencies(user) -> list[Agency]:
    """Agencies where the user receives dossiers (one-stop officer or postal agent assigned there), valid today."""
    today = timezone.localdate()
    if user.is_superuser:
        qs = Agency.objects.filter(kind__in=[Agency.Kind.COMMUNE_CENTRE, Agency.Kind.PROVINCIAL_CENTRE])
    else:
        qs = Agency.objects.filter(
            role_assignments__user=user, role_assignments__role__in=list(workflow.RECEPTION_ROLES)
        )
    return [a for a in qs.select_related("area").distinct().order_by("path") if a.is_valid_on(today)]


def receivable_cases(agency: Agency, day=None) -> list[Case]:
    """Cases the agency receives today: the newest version in force of each procedure of its level
    (commune procedures at commune units, province procedures at provincial units)."""
    day = day or timezone.localdate()
    level = (
        Procedure.Level.PROVINCE
        if agency.area.level == AdministrativeUnit.Level.PROVINCE
        else Procedure.Level.COMMUNE
    )
    versions = (
        ProcedureVersion.objects.in_force(day)
        .filter(procedure__level=level)
        .select_related("procedure")
        .order_by("procedure__code", "-number")
    )
    newest = {}
    for v in versions:
        newest.setdefault(v.procedure_id, v)
    return list(
        Case.objects.filter(version__in=list(newest.values()))
        .select_related("version__procedure")
        .order_by("version__procedure__code", "code")
    )


def case_for_reception(agency: Agency, case_id) -> Case | None:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        return None
    return next((c for c in receivable_cases(agency) if c.pk == pk), None)


def competent_agencies(agency: Agency, procedure: Procedure) -> list[Agency]:
    """Who may decide, offered at the counter: the receiving unit, the units above it and the units of the
    same area, the kind the procedure names first."""
    today = timezone.localdate()
    candidates = Agency.objects.filter(Q(pk__in=agency.ancestor_ids()) | Q(area=agency.area)).order_by("path")
    rows = [a for a in candidates if a.is_valid_on(today)]
    rows.sort(key=lambda a: (a.kind != procedure.agency_kind, a.kind == Agency.Kind.POSTAL, a.path))
    return rows


def reason_templates(procedure_code: str) -> list[ReasonTemplate]:
    return list(
        ReasonTemplate.objects.filter(active=True)
        .filter(Q(procedure_code="") | Q(procedure_code=procedure_code))
        .order_by(F("procedure_code").desc(), "order", "pk")
    )


# ---------------------------------------------------------------- urgency


@dataclass(frozen=True)
class Clock:
    now: datetime
    horizon: datetime  # one working day from now: due before this is "due soon"


def clock(now: datetime | None = None) -> Clock:
    now = now or timezone.now()
    calendar = get_calendar()
    horizon = to_aware(calendar.add_working_days(calendar.next_working_time(to_local_naive(now)), 1))
    return Clock(now, horizon)


def urgency(dossier: Dossier, c: Clock) -> str:
    """overdue / due-soon / on-track: the CSS class of an inbox row; "" when no promise is running
    (not received yet, or closed)."""
    if dossier.due_at is None or dossier.state not in workflow.RUNNING_STATES:
        return ""
    if dossier.state in workflow.CLOCK_RUNNING_STATES and dossier.due_at < c.now:
        return "overdue"
    if dossier.due_at <= c.horizon:
        return "due-soon"
    return "on-track"


def list_labels() -> dict:
    """The words a list repeats on every row, translated once per page rather than once per row."""
    from django.utils.translation import gettext

    return {
        "states": {s.value: str(s.label) for s in State},
        "urgency": {"overdue": gettext("Quá hạn"), "due-soon": gettext("Đến hạn trong 1 ngày làm việc"),
                    "on-track": gettext("Trong hạn")},
    }


# ---------------------------------------------------------------- inboxes


@dataclass
class InboxFilter:
    procedure: str = ""
    field: str = ""
    state: str = ""
    due: str = ""  # "soon" | "overdue" | ""

    @classmethod
    def from_query(cls, query) -> "InboxFilter":
        f = cls(
            procedure=(query.get("procedure") or "").strip()[:30],
            field=(query.get("field") or "").strip()[:30],
            state=(query.get("state") or "").strip()[:30],
            due=(query.get("due") or "").strip()[:10],
        )
        if f.state and f.state not in OPEN_STATES:
            f.state = ""
        if f.due not in ("soon", "overdue"):
            f.due = ""
        return f

    def apply(self, qs, c: Clock):
        if self.procedure:
            qs = qs.filter(procedure_version__procedure__code=self.procedure)
        if self.field:
            qs = qs.filter(procedure_version__procedure__field__code=self.field)
        if self.state:
            qs = qs.filter(state=self.state)
        if self.due == "overdue":
            qs = qs.filter(state__in=workflow.CLOCK_RUNNING_STATES, due_at__lt=c.now)
        elif self.due == "soon":
            qs = qs.filter(state__in=workflow.RUNNING_STATES, due_at__gte=c.now, due_at__lte=c.horizon)
        return qs

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in vars(self).items() if v})


def _open_steps():
    return Prefetch(
        "steps",
        queryset=StepRecord.objects.filter(ended_at__isnull=True)
        .select_related("assignee").only("id", "dossier_id", "order", "name", "due_at", "assignee__first_name",
                                        "assignee__last_name", "assignee__username")
        .order_by("-order"),
        to_attr="open_steps",
    )


# What an inbox row shows; loading only this (no e-form schema, no office hours) halves the page's time.
INBOX_FIELDS = ("id", "code", "state", "due_at", "applicant_name", "channel", "procedure_version__procedure__code",
                "procedure_version__procedure__name", "procedure_version__procedure__field__name")


def _inbox_rows(qs):
    return (
        qs.select_related(None)
        .select_related("procedure_version__procedure__field")
        .only(*INBOX_FIELDS)
        .prefetch_related(_open_steps())
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def unit_inbox(user, f: InboxFilter, c: Clock):
    """Everything open in the user's units."""
    return _inbox_rows(f.apply(visible_dossiers(user).filter(state__in=OPEN_STATES), c))


def personal_inbox(user, f: InboxFilter, c: Clock):
    """Dossiers whose open step is the user's: given to them by name, or not given to anyone and of a role the
    user holds where the step is done."""
    assignments = list(
        RoleAssignment.objects.filter(user=user, role__in=list(ACTING_ROLES)).select_related("agency")
    )
    mine = Q(assignee=user)
    if assignments:
        # Agencies as ids (one small query), so the open-step index is used rather than a join on paths.
        below = {a.pk: [] for a in assignments}
        for agency_id, path in Agency.objects.filter(
            reduce(or_, (Q(path__startswith=a.agency.path) for a in assignments))
        ).values_list("pk", "path"):
            for a in assignments:
                if path.startswith(a.agency.path):
                    below[a.pk].append(agency_id)
        mine |= Q(assignee__isnull=True) & reduce(
            or_, (Q(role=a.role, agency_id__in=below[a.pk]) for a in assignments)
        )
    steps = StepRecord.objects.filter(ended_at__isnull=True).filter(mine).values("dossier_id")
    qs = visible_dossiers(user).filter(state__in=OPEN_STATES, pk__in=steps)
    return _inbox_rows(f.apply(qs, c))


def filter_choices():
    return {
        "procedures": list(Procedure.objects.order_by("code").values_list("code", "name")),
        "fields": list(Field.objects.order_by("name").values_list("code", "name")),
        "states": [(s, State(s).label) for s in State.values if s in OPEN_STATES],
    }


# ---------------------------------------------------------------- queues


def online_queue(user):
    """Online dossiers waiting for reception at the user's reception units, oldest first."""
    from motcua.org.selectors import agencies_with_role

    agencies = agencies_with_role(user, workflow.RECEPTION_ROLES) if not user.is_superuser else Agency.objects.all()
    return (
        visible_dossiers(user)
        .filter(state=State.SUBMITTED, channel=Channel.ONLINE, receiving_agency__in=agencies)
        .select_related("procedure_version__procedure")
        .order_by("submitted_at", "pk")
    )


def waited_minutes(dossier: Dossier, now: datetime) -> int:
    calendar = calendar_for_agency(dossier.receiving_agency)
    return calendar.working_minutes_between(to_local_naive(dossier.submitted_at), to_local_naive(now))


def verification_requests(user):
    """Open verification requests addressed to an agency where the user holds a processing role."""
    from motcua.org.selectors import agencies_with_role

    roles = ACTING_ROLES - workflow.RECEPTION_ROLES
    agencies = agencies_with_role(user, roles) if not user.is_superuser else Agency.objects.all()
    return (
        Pause.objects.filter(
            kind=Pause.Kind.VERIFICATION, ended_at__isnull=True, agency__in=agencies,
            dossier__state=State.AWAITING_VERIFICATION,
        )
        .select_related("agency", "dossier__procedure_version__procedure", "dossier__competent_agency")
        .order_by(F("answer_due_at").asc(nulls_last=True), "pk")
    )


def apologies_owed(user):
    """Apology drafts (form 04) prepared by the watch for dossiers the user sees, not yet issued, by unit."""
    visible = visible_dossiers(user).filter(
        state__in=workflow.CLOCK_RUNNING_STATES, apologised_at__isnull=True
    ).values("pk")
    return (
        ApologyDraft.objects.filter(dossier__in=visible)
        .select_related("dossier__competent_agency", "dossier__procedure_version__procedure")
        .order_by("dossier__competent_agency__path", "dossier__due_at")
    )


def dossier_page(user, code: str) -> Dossier | None:
    """One dossier with everything its page shows, in a fixed number of queries."""
    from motcua.documents.models import Document

    return (
        visible_dossiers(user)
        .filter(code=code)
        .select_related("procedure_version__procedure__field", "created_by")
        .prefetch_related(
            Prefetch("events", queryset=DossierEvent.objects.order_by("seq")),
            Prefetch("components__documents", queryset=Document.objects.order_by("uploaded_at")),
            "components",
            "fees",
            Prefetch("steps", queryset=StepRecord.objects.select_related("agency", "assignee", "received_by").order_by("order", "started_at")),
            Prefetch("pauses", queryset=Pause.objects.select_related("agency")),
            Prefetch("documents", queryset=Document.objects.filter(kind=Document.Kind.RESULT).order_by("uploaded_at"), to_attr="result_documents"),
        )
        .first()
    )


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    """One page of a list, read without counting the whole list (on a province's open dossiers a count
    costs more than the page): PAGE_SIZE rows plus one to know whether there is a next page. `count` is
    exact on the last page; before it, it is the rows so far and `capped` says there are more ("50+")."""

    object_list: list
    number: int
    has_next: bool
    count: int
    capped: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(qs, number) -> Page:
    """Page `number` (1-based; anything else reads as 1) of a queryset."""
    try:
        number = max(1, min(int(number), 10_000))
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(rows, number, more, start + len(rows), more)
