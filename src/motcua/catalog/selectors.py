"""Reads of the catalog, and the check that catches wrongly configured processing times."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Subquery, Sum
from django.utils import timezone

from motcua.calendar.engine import DEFAULT_OFFICE_HOURS

from .models import Case, Procedure, ProcedureVersion, TimeLimitUnit, WorkflowStep

HOURS_PER_DAY = Decimal(DEFAULT_OFFICE_HOURS.minutes_per_day) / 60


def version_in_force(procedure: Procedure, day=None) -> ProcedureVersion | None:
    """The newest version of `procedure` in force on `day` (today by default)."""
    day = day or timezone.localdate()
    return procedure.versions.in_force(day).order_by("-number").first()


def case_to_apply_for(procedure_code: str, case_code: str | None = None, version_number: int | None = None, day=None) -> Case | None:
    """The case a submission names, with its version and procedure, in one query: from the given version,
    or else from the newest version in force on `day` (today by default); the case with `case_code`, or
    else the version's first. None when any of them does not exist."""
    versions = ProcedureVersion.objects.filter(procedure__code=procedure_code)
    if version_number is None:
        versions = versions.in_force(day or timezone.localdate()).order_by("-number")
    else:
        versions = versions.filter(number=version_number)
    cases = Case.objects.select_related("version__procedure").filter(version=Subquery(versions.values("pk")[:1]))
    if case_code:
        cases = cases.filter(code=case_code)
    return cases.order_by("pk").first()


def procedures_with_versions():
    return Procedure.objects.select_related("field").prefetch_related(
        Prefetch(
            "versions",
            queryset=ProcedureVersion.objects.prefetch_related(
                "cases__components", "cases__fees", "cases__steps"
            ).order_by("-number"),
        )
    )


@dataclass(frozen=True)
class BudgetProblem:
    case: Case
    step_hours: Decimal
    legal_hours: Decimal | None
    message: str


def budget_problem(case: Case, step_hours: Decimal | None = None) -> BudgetProblem | None:
    """Compare the sum of the workflow's step budgets with the case's legal time limit.

    Working days and hours must add up exactly (8 working hours a day); a same-day case must fit in one
    working day; calendar days must not need more working hours than the days could hold; "none" is not
    checked. A case with no steps is a problem: nobody would be asked to act.
    """
    if step_hours is None:
        step_hours = case.steps.aggregate(total=Sum("budget_hours"))["total"] or Decimal(0)
    unit, value = case.time_limit_unit, case.time_limit_value
    if unit == TimeLimitUnit.NONE:
        return None
    if not step_hours:
        return BudgetProblem(case, Decimal(0), None, "Chưa cấu hình quy trình nội bộ (không có bước xử lý nào).")
    if unit == TimeLimitUnit.WORKING_DAY:
        legal = value * HOURS_PER_DAY
        ok = step_hours == legal
    elif unit == TimeLimitUnit.WORKING_HOUR:
        legal = value
        ok = step_hours == legal
    elif unit == TimeLimitUnit.SAME_DAY:
        legal = HOURS_PER_DAY
        ok = step_hours <= legal
    else:  # calendar days
        legal = value * HOURS_PER_DAY
        ok = step_hours <= legal
    if ok:
        return None
    return BudgetProblem(
        case,
        step_hours,
        legal,
        f"Tổng thời gian các bước là {_hours(step_hours)} giờ làm việc, "
        f"không khớp thời hạn luật định {case.time_limit_text()} ({_hours(legal)} giờ).",
    )


def cases_with_budget_problems(cases=None) -> list[BudgetProblem]:
    cases = (cases if cases is not None else Case.objects.all()).select_related("version__procedure")
    totals = dict(
        WorkflowStep.objects.filter(case__in=cases).values_list("case").annotate(total=Sum("budget_hours"))
    )
    problems = []
    for case in cases:
        problem = budget_problem(case, totals.get(case.pk, Decimal(0)))
        if problem:
            problems.append(problem)
    return problems


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")
