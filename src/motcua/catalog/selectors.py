"""Reads of the catalog, and the check that catches wrongly configured processing times."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.utils import timezone

from motcua.calendar.engine import DEFAULT_OFFICE_HOURS

from .models import Case, Procedure, ProcedureVersion, TimeLimitUnit, WorkflowStep

HOURS_PER_DAY = Decimal(DEFAULT_OFFICE_HOURS.minutes_per_day) / 60


def version_in_force(procedure: Procedure, day=None) -> ProcedureVersion | None:
    """The newest version of `procedure` in force on `day` (today by default)."""
    day = day or timezone.localdate()
    return procedure.versions.in_force(day).order_by("-number").first()


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
