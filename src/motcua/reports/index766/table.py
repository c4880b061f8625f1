"""The index table: the scoring arithmetic, one unit's scores, the ranked table and who may view it."""

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from motcua.org.models import Agency

from .. import selectors
from ..selectors import Totals
from .inputs import latest_inputs
from .measures import CatalogFacts, _by_procedure, _catalog, _complaints, _pakn, _unit_catalog
from .results import GroupScore, IndexTable, IndicatorPart, IndicatorScore, UnitIndex
from .spec import CENT, GROUPS, INPUT_CODES, SPEC, SPECS, Spec, grade_for

# ---------------------------------------------------------------- arithmetic


def _q(value) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)


def percent_of(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (_q(Fraction(numerator) * 100 / Fraction(denominator))).quantize(CENT, ROUND_HALF_UP)


def points_for(ratio: Fraction, max_points: int, target: int | None) -> Decimal:
    """Pmax if R ≥ target else R × Pmax / target; without a target R × Pmax (R as a fraction of 1)."""
    ratio = max(Fraction(0), min(Fraction(1), ratio))
    if target:
        goal = Fraction(target, 100)
        earned = Fraction(max_points) if ratio >= goal else ratio * max_points / goal
    else:
        earned = ratio * max_points
    return _q(earned).quantize(CENT, ROUND_HALF_UP)


def _score(spec: Spec, numerator, denominator, **extra) -> IndicatorScore:
    if spec.source == "monitoring":
        return IndicatorScore(spec.code, spec.name, spec.formula, numerator, denominator, None, spec.target,
                              spec.max_points, None, spec.source, note=spec.note, **extra)
    ratio = Fraction(numerator, denominator) if denominator else None
    return IndicatorScore(
        spec.code, spec.name, spec.formula, numerator, denominator, percent_of(numerator, denominator),
        spec.target, spec.max_points, None if ratio is None else points_for(ratio, spec.max_points, spec.target),
        spec.source, measures=spec.measures, figure="received" if spec.measures else None, note=spec.note, **extra,
    )


def _unit(agency, t: Totals, cat: CatalogFacts, paid_procedures: set, inputs: dict, complaints: int,
          pakn: tuple = (0, 0, 0)) -> UnitIndex:
    w = t.within
    f = selectors.figures(t, 0)
    received = f["received"]
    to_process = f["to_process"]
    late = f["finished_late"] + f["overdue"]
    scores = {}
    for code in INPUT_CODES:
        spec = SPEC[code]
        if code in inputs:
            scores[code] = _score(spec, *inputs[code])
        else:
            s = _score(spec, 0, 0)
            s.missing_input = True
            s.note = ("Chưa nhập số liệu cho kỳ này. " + spec.note).strip()
            scores[code] = s
    for code in ("1.4", "3.x", "3.6", "4.1", "4.2", "4.3", "4.4", "4.5b"):
        spec = SPEC[code]
        denominator = {"3.x": w["c_full_eligible"], "3.6": w["c_fee"]}.get(code, received)
        scores[code] = _score(spec, w[spec.measures[0]], denominator)
    lateness = [
        IndicatorPart("Giải quyết quá hạn", f["finished_late"], to_process, percent_of(f["finished_late"], to_process),
                      "finished_late"),
        IndicatorPart("Đang giải quyết, quá hạn (cuối kỳ)", f["overdue"], to_process, percent_of(f["overdue"], to_process),
                      "overdue"),
    ]
    scores["2.1"] = _score(SPEC["2.1"], to_process - late, to_process, parts=lateness)
    days = (Decimal(w["processing_minutes"]) / 1440).quantize(Decimal("0.1"), ROUND_HALF_UP)
    average = f["average_days"]
    scores["2.2"] = _score(SPEC["2.2"], days, f["finished"])
    if average is not None:
        scores["2.2"].note = "Bình quân " + f"{average:.1f}".replace(".", ",") + " ngày/hồ sơ."
    scores["3.5"] = _score(SPEC["3.5"], len(cat.payable_online), len(cat.with_fees))
    scores["3.5b"] = _score(SPEC["3.5b"], len(paid_procedures & cat.with_fees), len(cat.with_fees))
    scores["4.5a"] = _score(SPEC["4.5a"], len(cat.national_data), len(cat.procedures))
    pakn_received, pakn_on_time, pakn_troubled = pakn
    scores["5.2"] = _score(SPEC["5.2"], pakn_on_time, pakn_received)
    scores["5.3"] = _score(SPEC["5.3"], pakn_received - pakn_troubled, pakn_received)
    # 5.4: 100 % − (late rate + rate of dossiers with a complaint or a dissatisfied rating).
    dissatisfied = w["rated_dissatisfied"]
    parts = lateness + [
        IndicatorPart("Đánh giá không hài lòng", dissatisfied, received, percent_of(dissatisfied, received),
                      "received", ("rated_dissatisfied",)),
        IndicatorPart("Hồ sơ có phản ánh, kiến nghị", complaints, received, percent_of(complaints, received)),
    ]
    spec = SPEC["5.4"]
    if to_process or received:
        rate = Fraction(1) - (Fraction(late, to_process) if to_process else 0) \
            - (Fraction(dissatisfied + complaints, received) if received else 0)
        rate = max(Fraction(0), rate)
        scores["5.4"] = IndicatorScore(
            spec.code, spec.name, spec.formula, None, None, _q(rate * 100).quantize(CENT, ROUND_HALF_UP),
            spec.target, spec.max_points, points_for(rate, spec.max_points, spec.target), spec.source,
            note=spec.note, parts=parts)
    else:
        scores["5.4"] = IndicatorScore(spec.code, spec.name, spec.formula, None, None, None, spec.target,
                                       spec.max_points, None, spec.source, note=spec.note, parts=parts)
    groups = []
    for code, name, max_points in GROUPS:
        items = [scores[s.code] for s in SPECS if s.group == code]
        groups.append(GroupScore(
            code, name, max_points,
            sum((i.points for i in items if i.applicable), Decimal(0)),
            items,
            sum(i.max_points for i in items if i.applicable),
        ))
    earned = sum((g.points for g in groups), Decimal(0))
    applicable = sum(g.applicable_max for g in groups)
    total = (earned * 100 / applicable).quantize(CENT, ROUND_HALF_UP) if applicable else Decimal("0.00")
    return UnitIndex(agency, None, total, grade_for(total), groups, earned, applicable)


def _empty() -> Totals:
    return Totals(Counter(), Counter(), Counter())


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValueError("Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu.")


def _compute(scope, start: date, end: date) -> IndexTable:
    check_period(start, end)
    grouped = selectors.totals(start, end, agency_ids=scope, group_by="agency")
    by_procedure = _by_procedure(start, end, scope)
    inputs = latest_inputs(start, end, scope)
    complaints = _complaints(start, end, scope)
    pakn = _pakn(start, end, scope)
    unit_ids = set(grouped) | set(inputs) | set(pakn)
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=unit_ids).select_related("area")}
    catalog = _catalog(end)
    units = []
    for pk, agency in agencies.items():
        received, paid = by_procedure.get(pk, (set(), set()))
        cat = _unit_catalog(catalog, agency, received)
        units.append(_unit(agency, grouped.get(pk, _empty()), cat, paid, inputs.get(pk, {}), complaints[pk],
                           pakn.get(pk, (0, 0, 0))))
    units.sort(key=lambda u: (-u.total, u.agency.name))
    previous = None
    for position, u in enumerate(units, start=1):
        u.rank = previous.rank if previous is not None and previous.total == u.total else position
        previous = u
    province = None
    if units:
        overall = selectors.combined(grouped[pk] for pk in agencies if pk in grouped)
        summed: dict = {}
        for pk in agencies:
            for code, (n, d) in inputs.get(pk, {}).items():
                a, b = summed.get(code, (0, 0))
                summed[code] = (a + n, b + d)
        every_received = set().union(*(by_procedure.get(pk, (set(), set()))[0] for pk in agencies))
        every_paid = set().union(*(by_procedure.get(pk, (set(), set()))[1] for pk in agencies))
        cat = CatalogFacts()
        for agency in agencies.values():
            own = _unit_catalog(catalog, agency, every_received)
            cat.procedures |= own.procedures
            cat.with_fees |= own.with_fees
            cat.payable_online |= own.payable_online
            cat.national_data |= own.national_data
        pakn_total = tuple(sum(pakn.get(pk, (0, 0, 0))[i] for pk in agencies) for i in range(3))
        province = _unit(None, overall, cat, every_paid, summed, sum(complaints[pk] for pk in agencies), pakn_total)
    return IndexTable(start, end, units, province)


def index_table(user, start: date, end: date) -> IndexTable:
    """The 766 index of every unit `user` may see (all units for a superuser) over start..end, ranked
    (1 = best; equal totals share a rank), with a total row for all of them. ValueError for a period
    that ends before it starts."""
    return _compute(selectors.scope_ids(user), start, end)


def unit_index(user, agency_id: int, start: date, end: date) -> tuple[IndexTable, UnitIndex]:
    """One unit's index with every indicator (rank None when the unit had nothing to count). Raises
    PermissionError for a unit outside `user`'s scope and Agency.DoesNotExist for an unknown one."""
    agency = Agency.objects.get(pk=agency_id)
    scope = selectors.scope_ids(user)
    if scope is not None and agency.pk not in scope:
        raise PermissionError("Đơn vị này không thuộc phạm vi bạn được xem.")
    table = _compute(scope, start, end)
    for u in table.units:
        if u.agency.pk == agency.pk:
            return table, u
    cat = _unit_catalog(_catalog(end), agency, set())
    return table, _unit(agency, _empty(), cat, set(), {}, 0)


def can_view(user) -> bool:
    return user.is_superuser or bool(selectors.scope_ids(user))
