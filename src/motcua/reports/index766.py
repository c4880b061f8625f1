"""The Decision 766 index (Bộ chỉ số 766, domain-vn §4) per unit and period, and the periodic 9 × 2
evaluation (§6.1).

Everything comes from the fact table in a handful of grouped queries (selectors.totals by unit, and one
query of the online payments by unit and procedure), the catalog in force, and the small tables
supervisors fill (IndexInput, EvaluationScore) or citizens fill (Feedback). No dossier is read one by one.

The choices where the official method is not known are written in docs/decisions/0004-index-766.md and
marked "chưa kiểm chứng" on the pages.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Q
from django.utils import timezone

from motcua.catalog.models import Case, Component, FeeLine, OnlineLevel, ProcedureVersion
from motcua.org.models import Agency

from . import selectors
from .models import EvaluationScore, Fact, IndexInput
from .selectors import Totals

CENT = Decimal("0.01")
RECEIVED = ("received_1", "received_2", "received_3")
UNVERIFIED = "Chưa kiểm chứng với phương pháp chính thức."


# ---------------------------------------------------------------- what the index is made of


@dataclass(frozen=True)
class Spec:
    code: str
    group: str
    name: str
    formula: str
    max_points: int
    target: int | None  # percent
    source: str  # "data" | "input" | "monitoring"
    measures: tuple = ()  # fact measures behind the numerator (the dossier list link)
    note: str = ""


GROUPS = [
    ("1", "Công khai, minh bạch", 18),
    ("2", "Tiến độ giải quyết", 20),
    ("3", "Dịch vụ công trực tuyến", 12),
    ("4", "Thanh toán trực tuyến", 10),
    ("5", "Mức độ hài lòng", 18),
    ("6", "Số hóa hồ sơ", 22),
]

SPECS = [
    Spec("1.1", "1", "TTHC công bố đúng hạn", "Số TTHC công bố đúng hạn / Số TTHC công bố trong kỳ", 6, None, "input"),
    Spec("1.2", "1", "TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia về TTHC",
         "Số TTHC cập nhật, công khai đúng hạn / Số TTHC phải cập nhật, công khai trong kỳ", 4, None, "input"),
    Spec("1.3", "1", "TTHC công khai đầy đủ nội dung",
         "Số TTHC công khai đầy đủ các bộ phận / Số TTHC đã công khai", 2, None, "input"),
    Spec("1.4", "1", "Hồ sơ đồng bộ lên Cổng DVCQG", "Số hồ sơ đồng bộ / Số hồ sơ tiếp nhận", 6, None, "data",
         ("c_synced",)),
    Spec("2.1", "2", "Hồ sơ xử lý trước hạn, đúng hạn",
         "Số hồ sơ giải quyết trước hạn, đúng hạn và đang giải quyết trong hạn / Số hồ sơ phải giải quyết "
         "(tiếp nhận trong kỳ và kỳ trước chuyển sang)", 20, None, "data"),
    Spec("2.2", "2", "Thời gian giải quyết trung bình (theo dõi, không tính điểm)",
         "Tổng thời gian giải quyết (ngày) / Số hồ sơ đã giải quyết", 0, None, "monitoring"),
    Spec("3.x", "3", "Hồ sơ trực tuyến toàn trình",
         "Số hồ sơ nộp trực tuyến toàn trình / Số hồ sơ của TTHC đủ điều kiện toàn trình", 12, None, "data",
         ("c_full_online",)),
    Spec("3.5", "4", "TTHC có phí, lệ phí được cung cấp thanh toán trực tuyến",
         "Số TTHC có phí, lệ phí nộp trực tuyến được / Số TTHC có phí, lệ phí", 2, 80, "data",
         note="Theo danh mục TTHC đang có hiệu lực: có khoản thu trước, khác 0 đồng, ở trường hợp cung cấp trực tuyến. "
         + UNVERIFIED),
    Spec("3.5b", "4", "TTHC phát sinh thanh toán trực tuyến",
         "Số TTHC có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ / Số TTHC có phí, lệ phí", 2, None, "data",
         note=UNVERIFIED),
    Spec("3.6", "4", "Hồ sơ thanh toán trực tuyến",
         "Số hồ sơ thanh toán trực tuyến / Số hồ sơ của TTHC có phí, lệ phí", 6, None, "data", ("c_paid_online",)),
    Spec("5.2", "5", "Phản ánh, kiến nghị xử lý đúng hạn",
         "Số PAKN trả lời trước hạn, đúng hạn và đang xử lý trong hạn / Số PAKN tiếp nhận trong kỳ",
         6, None, "data", note="PAKN về đơn vị, gửi trong kỳ; tình trạng tính đến cuối kỳ."),
    Spec("5.3", "5", "Mức độ hài lòng về xử lý phản ánh, kiến nghị",
         "(Tổng số PAKN − số không hài lòng với trả lời, phản ánh lại hoặc trễ hạn) / Tổng số PAKN", 6, None, "data",
         note="Mỗi PAKN tính một lần dù có nhiều vấn đề. " + UNVERIFIED),
    Spec("5.4", "5", "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC",
         "100% − (Tỷ lệ hồ sơ trễ hạn + Tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc không hài lòng)", 6, 90, "data",
         note="Tỷ lệ trễ hạn như chỉ số 2.1; đánh giá và phản ánh đếm theo ngày gửi trong kỳ. " + UNVERIFIED),
    Spec("4.1", "6", "Hồ sơ có kết quả điện tử", "Số hồ sơ trả kết quả điện tử / Số hồ sơ tiếp nhận", 6, None,
         "data", ("c_e_result",)),
    Spec("4.2", "6", "Hồ sơ số hóa thành phần hồ sơ", "Số hồ sơ được số hóa / Số hồ sơ tiếp nhận", 4, 80, "data",
         ("c_digitised",)),
    Spec("4.x", "6", "Chứng thực bản sao điện tử từ bản chính",
         "Số hồ sơ chứng thực bản sao điện tử / Số hồ sơ chứng thực bản sao từ bản chính", 2, None, "input",
         note=UNVERIFIED),
    Spec("4.3", "6", "Hồ sơ khai thác, sử dụng lại dữ liệu số hóa",
         "Số hồ sơ có thành phần sử dụng lại dữ liệu số hóa / Số hồ sơ tiếp nhận", 2, 80, "data", ("c_reused",)),
    Spec("4.4", "6", "Hồ sơ có dữ liệu từ kho hoặc kết quả điện tử lưu kho",
         "Số hồ sơ có thành phần lấy từ kho dữ liệu hoặc có kết quả điện tử / Số hồ sơ tiếp nhận", 4, None, "data",
         ("c_store",)),
    Spec("4.5a", "6", "TTHC kết nối CSDL quốc gia về dân cư",
         "Số TTHC có thành phần khai thác từ CSDL quốc gia / Số TTHC của đơn vị", 2, None, "data",
         note="Theo danh mục TTHC đang có hiệu lực. " + UNVERIFIED),
    Spec("4.5b", "6", "Hồ sơ sử dụng dữ liệu dân cư",
         "Số hồ sơ khai thác dữ liệu dân cư hoặc tài khoản định danh điện tử / Số hồ sơ tiếp nhận", 2, None, "data",
         ("c_population",)),
]
SPEC = {s.code: s for s in SPECS}
INPUT_CODES = tuple(s.code for s in SPECS if s.source == "input")

# Grade bands on the 100-point total (our choice; the national bands are not published): lower bounds.
GRADES = [(Decimal(90), "Xuất sắc"), (Decimal(80), "Tốt"), (Decimal(65), "Khá"), (Decimal(50), "Trung bình")]
WEAK = "Yếu"


def grade_for(total) -> str:
    for bound, name in GRADES:
        if total >= bound:
            return name
    return WEAK


# ---------------------------------------------------------------- results


@dataclass
class IndicatorPart:
    """A figure a compound indicator is made of (5.4), or what cost an indicator its points (2.1)."""

    label: str
    numerator: int
    denominator: int
    percent: Decimal | None
    figure: str | None = None  # reports:dossiers figure for the list behind the numerator
    measures: tuple = ()


@dataclass
class IndicatorScore:
    code: str
    name: str
    formula: str
    numerator: object  # int, or Decimal days for 2.2, or None for the compound 5.4
    denominator: object
    percent: Decimal | None  # None when the denominator is 0 (not applicable)
    target: int | None
    max_points: int
    points: Decimal | None  # None: not applicable (nothing to measure), left out of the total
    source: str
    measures: tuple = ()
    figure: str | None = None
    note: str = ""
    parts: list = field(default_factory=list)
    missing_input: bool = False

    @property
    def applicable(self) -> bool:
        return self.points is not None


@dataclass
class GroupScore:
    code: str
    name: str
    max_points: int
    points: Decimal
    indicators: list
    applicable_max: int = 0


@dataclass
class UnitIndex:
    agency: Agency | None  # None for the total row
    rank: int | None
    total: Decimal  # on 100 points, over the indicators that apply
    grade: str
    groups: list
    points: Decimal = Decimal(0)  # sum of the points earned
    applicable_max: int = 0  # sum of the maximum points of the indicators that apply

    @property
    def indicators(self) -> list:
        return [i for g in self.groups for i in g.indicators]

    def indicator(self, code: str) -> IndicatorScore:
        return next(i for i in self.indicators if i.code == code)


@dataclass
class IndexTable:
    start: date
    end: date
    units: list
    province: UnitIndex | None


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


# ---------------------------------------------------------------- what a unit is measured on


@dataclass
class CatalogFacts:
    procedures: set = field(default_factory=set)
    with_fees: set = field(default_factory=set)
    payable_online: set = field(default_factory=set)
    national_data: set = field(default_factory=set)


def _catalog(day: date) -> dict:
    """{(agency kind, level): CatalogFacts} of the procedures in force on `day` (newest version each),
    and the same facts of every such procedure by id under the key "by_procedure"."""
    versions = {}
    for pk, procedure, number in ProcedureVersion.objects.in_force(day).values_list("pk", "procedure_id", "number"):
        if number > versions.get(procedure, (0, 0))[1]:
            versions[procedure] = (pk, number)
    version_ids = [pk for pk, _ in versions.values()]
    cases = list(Case.objects.filter(version_id__in=version_ids).values_list(
        "pk", "version__procedure_id", "version__procedure__agency_kind", "version__procedure__level", "online_level"))
    case_ids = [c[0] for c in cases]
    fees = defaultdict(list)
    for case_id, amount, online_amount, mode in FeeLine.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "amount", "online_amount", "mode"):
        fees[case_id].append((amount, online_amount, mode))
    national = set(Component.objects.filter(case_id__in=case_ids, national_data=True).values_list("case_id", flat=True))
    by_kind: dict = defaultdict(CatalogFacts)
    every = CatalogFacts()
    for case_id, procedure, kind, level, online_level in cases:
        for target in (by_kind[(kind, level)], every):
            target.procedures.add(procedure)
            for amount, online_amount, mode in fees[case_id]:
                if amount > 0 and mode in (FeeLine.Mode.PREPAID, FeeLine.Mode.POSTPAID):
                    target.with_fees.add(procedure)
                online = online_amount if online_amount is not None else amount
                if online_level != OnlineLevel.NONE and mode == FeeLine.Mode.PREPAID and online > 0:
                    target.payable_online.add(procedure)
            if case_id in national:
                target.national_data.add(procedure)
    for facts_ in list(by_kind.values()) + [every]:
        facts_.payable_online &= facts_.with_fees
    return {"by_kind": by_kind, "every": every}


def _unit_catalog(catalog: dict, agency: Agency | None, received_procedures: set) -> CatalogFacts:
    """The unit's procedures: those its kind and level handle in the catalog, and those it received
    dossiers of in the period (a unit may receive another kind's procedure by delegation)."""
    every = catalog["every"]
    own = catalog["by_kind"].get((agency.kind, agency.area.level), CatalogFacts()) if agency else CatalogFacts()
    procedures = own.procedures | (received_procedures & every.procedures)
    return CatalogFacts(
        procedures=procedures,
        with_fees=every.with_fees & procedures,
        payable_online=every.payable_online & procedures,
        national_data=every.national_data & procedures,
    )


def _by_procedure(start: date, end: date, scope) -> dict:
    """{agency id: ({procedures received in the period}, {procedures with an online payment})}: one query."""
    rows, signed_sum = selectors.blocks(start, end)
    qs = Fact.objects.filter(rows, measure__in=RECEIVED + ("c_paid_online",))
    # As in selectors.totals: a long unit list is filtered here, not in SQL (PostgreSQL misplans it).
    keep = None if scope is None else set(scope)
    if keep is not None and len(keep) <= 20:
        qs = qs.filter(agency_id__in=list(keep))
    rows = qs.values("agency_id", "procedure_id", "measure").annotate(v=signed_sum).filter(v__gt=0)
    out: dict = defaultdict(lambda: (set(), set()))
    for row in rows:
        if keep is not None and row["agency_id"] not in keep:
            continue
        received, paid = out[row["agency_id"]]
        (paid if row["measure"] == "c_paid_online" else received).add(row["procedure_id"])
    return out


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _complaints(start: date, end: date, scope) -> Counter:
    """Per unit: dossiers with feedback (PAKN) sent in the period, leaving out those whose dissatisfied
    rating of the same period is already counted from the facts. One query."""
    from motcua.feedback.models import Feedback, Rating

    low, high = _moment(start), _moment(end + timedelta(days=1))
    qs = Feedback.objects.filter(dossier__isnull=False, created_at__gte=low, created_at__lt=high)
    if scope is not None:
        qs = qs.filter(dossier__competent_agency_id__in=list(scope))
    qs = qs.exclude(dossier__rating__level=Rating.Level.DISSATISFIED, dossier__rating__at__gte=low,
                    dossier__rating__at__lt=high)
    rows = qs.values("dossier__competent_agency_id").annotate(n=Count("dossier_id", distinct=True))
    return Counter({r["dossier__competent_agency_id"]: r["n"] for r in rows})


def _pakn(start: date, end: date, scope) -> dict:
    """Per unit (the unit feedback is about): (received, handled on time or still within the limit,
    dissatisfied with the answer, re-raised or late), for the PAKN sent in the period, as of the end of the
    period or now if earlier. The rule of feedback.selectors.handling_measures, grouped by unit in one
    query."""
    from motcua.feedback.models import Feedback

    moment = min(timezone.now(), _moment(end + timedelta(days=1)))
    qs = Feedback.objects.filter(created_at__gte=_moment(start), created_at__lt=_moment(end + timedelta(days=1)),
                                 agency__isnull=False)
    if scope is not None:
        qs = qs.filter(agency_id__in=list(scope))
    answered = Q(first_answered_at__isnull=False, first_answered_at__lt=moment)
    late = (answered & Q(first_answer_late=True)) | (~answered & Q(due_at__lt=moment))
    on_time = (answered & Q(first_answer_late=False)) | (~answered & (Q(due_at__gte=moment) | Q(due_at__isnull=True)))
    troubled = Q(rating=Feedback.Rating.DISSATISFIED) | Q(reopened_at__isnull=False) | late
    rows = qs.values("agency_id").annotate(
        received=Count("pk"), on_time=Count("pk", filter=on_time), troubled=Count("pk", filter=troubled))
    return {r["agency_id"]: (r["received"], r["on_time"], r["troubled"]) for r in rows}


def latest_inputs(start: date, end: date, scope) -> dict:
    """{agency id: {indicator: (numerator, denominator)}}: the newest row of each (unit, indicator, month)
    whose month overlaps the period, summed over the months."""
    qs = IndexInput.objects.filter(month__gte=start.replace(day=1), month__lte=end, indicator__in=INPUT_CODES)
    if scope is not None:
        qs = qs.filter(agency_id__in=list(scope))
    seen = set()
    out: dict = defaultdict(dict)
    for agency_id, indicator, month, num, den in qs.order_by("-entered_at", "-pk").values_list(
            "agency_id", "indicator", "month", "numerator", "denominator"):
        if (agency_id, indicator, month) in seen:
            continue
        seen.add((agency_id, indicator, month))
        n, d = out[agency_id].get(indicator, (0, 0))
        out[agency_id][indicator] = (n + num, d + den)
    return out


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


# ---------------------------------------------------------------- the period a page asks for


def _parse_day(text: str, label: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise ValueError(f"{label} “{text}” không hợp lệ; hãy nhập theo dạng dd/mm/yyyy, ví dụ 01/11/2026.") from None


def _int(text, label: str, low: int, high: int) -> int:
    try:
        value = int(str(text).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ValueError(f"{label} phải là số từ {low} đến {high}.")
    return value


def parse_period(params, today: date | None = None) -> tuple[date, date]:
    """(start, end) from a query: from/to as dd/mm/yyyy, or year with an optional quarter or month; the
    current year by default. An end after today is brought back to today (a stock "at the end" of a day
    still to come would count dossiers as overdue before they are). ValueError with a message to show."""
    today = today or timezone.localdate()
    given_from, given_to = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if given_from or given_to:
        if not (given_from and given_to):
            raise ValueError("Hãy nhập cả ngày bắt đầu và ngày kết thúc kỳ báo cáo.")
        start, end = _parse_day(given_from, "Ngày bắt đầu"), _parse_day(given_to, "Ngày kết thúc")
    else:
        year = _int(params.get("year") or today.year, "Năm", 2000, today.year)
        quarter, month = (params.get("quarter") or "").strip(), (params.get("month") or "").strip()
        if quarter and month:
            raise ValueError("Hãy chọn quý hoặc tháng, không chọn cả hai.")
        if month:
            m = _int(month, "Tháng", 1, 12)
            start = date(year, m, 1)
            end = date(year + m // 12, m % 12 + 1, 1) - timedelta(days=1)
        elif quarter:
            q = _int(quarter, "Quý", 1, 4)
            start, end = quarter_bounds(year, q)
        else:
            start, end = date(year, 1, 1), date(year, 12, 31)
    check_period(start, end)
    if start > today:
        raise ValueError(f"Kỳ báo cáo bắt đầu sau hôm nay ({today:%d/%m/%Y}); chưa có số liệu.")
    return start, min(end, today)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Quarter 1–4, or 0 for the whole year."""
    if quarter == 0:
        return date(year, 1, 1), date(year, 12, 31)
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return first, last


# ---------------------------------------------------------------- the inputs' audit trail


@dataclass
class InputEntry:
    row: IndexInput
    previous: IndexInput | None  # the row it replaced (same unit, indicator and month)


def input_history(agency_id: int, start: date, end: date) -> list[InputEntry]:
    """Every row entered for the unit for the months of the period, newest first, each with the row it
    replaced: who, when, old → new."""
    rows = list(IndexInput.objects.filter(agency_id=agency_id, month__gte=start.replace(day=1), month__lte=end)
                .select_related("entered_by").order_by("entered_at", "pk"))
    last: dict = {}
    out = []
    for row in rows:
        key = (row.indicator, row.month)
        out.append(InputEntry(row, last.get(key)))
        last[key] = row
    out.reverse()
    return out


# ---------------------------------------------------------------- the periodic evaluation (9 × 2)

EVALUATION_INDICES = [
    (1, "Tổng thời gian giải quyết so với quy định"),
    (2, "Thời gian thực hiện của từng cơ quan, đơn vị tham gia giải quyết"),
    (3, "Số lần liên hệ với nơi tiếp nhận để hoàn thiện hồ sơ (kể cả trực tuyến)"),
    (4, "Số cơ quan, đơn vị phải liên hệ để hoàn thiện hồ sơ"),
    (5, "Thực hiện tiếp nhận, giải quyết, trả kết quả tại Bộ phận Một cửa"),
    (6, "Công khai thủ tục hành chính"),
    (7, "Thái độ của cán bộ, công chức khi hướng dẫn, tiếp nhận, giải quyết"),
    (8, "Tiếp thu, giải trình phản ánh, kiến nghị"),
    (9, "Tiến độ và chất lượng cung cấp dịch vụ công trực tuyến"),
]
# Indices computed from the data; the others come from supervisors' scores.
COMPUTED_INDICES = {
    1: "2 điểm × tỷ lệ hồ sơ đúng hạn (như chỉ số 2.1 của Bộ chỉ số 766)",
    7: "2 điểm × tỷ lệ đánh giá Rất hài lòng và Hài lòng trên tổng số đánh giá trong kỳ",
}
INDEX_MAX = Decimal(2)
# Thanh Hóa's bands on the 18-point total (local; unverified as national rules).
EVALUATION_GRADES = [(Decimal(15), False, "Xuất sắc"), (Decimal(12), True, "Tốt"), (Decimal(9), True, "Khá"),
                     (Decimal(6), True, "Trung bình")]


def evaluation_grade(total: Decimal) -> str:
    """>15 Xuất sắc, 12–15 Tốt, 9–<12 Khá, 6–<9 Trung bình, <6 Yếu."""
    for bound, inclusive, name in EVALUATION_GRADES:
        if total > bound or (inclusive and total == bound):
            return name
    return WEAK


@dataclass
class EvaluationIndex:
    number: int
    name: str
    source: str  # "data" | "input"
    score: Decimal | None  # what counts (None: no data and no score yet, counted as 0)
    self_score: EvaluationScore | None = None
    appraised: EvaluationScore | None = None
    basis: str = ""  # how a computed index was computed, with its figures


@dataclass
class UnitEvaluation:
    agency: Agency
    rank: int | None
    total: Decimal
    grade: str
    indices: list


@dataclass
class EvaluationTable:
    year: int
    quarter: int
    start: date
    end: date
    units: list


def latest_scores(year: int, quarter: int, scope) -> dict:
    """{(agency id, index, kind): the newest EvaluationScore}."""
    qs = EvaluationScore.objects.filter(year=year, quarter=quarter).select_related("entered_by")
    if scope is not None:
        qs = qs.filter(agency_id__in=list(scope))
    out = {}
    for row in qs.order_by("-entered_at", "-pk"):
        out.setdefault((row.agency_id, row.index, row.kind), row)
    return out


def _vn(number) -> str:
    """12.50 → '12,50' (Vietnamese decimal comma) for text built here."""
    return str(number).replace(".", ",")


def _computed_index(number: int, t: Totals) -> tuple[Decimal | None, str]:
    if number == 1:
        f = selectors.figures(t, 0)
        late = f["finished_late"] + f["overdue"]
        if not f["to_process"]:
            return None, "Không có hồ sơ phải giải quyết trong kỳ."
        ratio = Fraction(f["to_process"] - late, f["to_process"])
        return _q(ratio * 2).quantize(CENT, ROUND_HALF_UP), \
            f"{f['to_process'] - late}/{f['to_process']} hồ sơ đúng hạn ({_vn(percent_of(f['to_process'] - late, f['to_process']))}%)"
    w = t.within
    pleased = w["rated_very_satisfied"] + w["rated_satisfied"]
    rated = pleased + w["rated_dissatisfied"]
    if not rated:
        return None, "Chưa có đánh giá nào trong kỳ."
    return _q(Fraction(pleased, rated) * 2).quantize(CENT, ROUND_HALF_UP), \
        f"{pleased}/{rated} đánh giá hài lòng ({_vn(percent_of(pleased, rated))}%)"


def evaluation_table(user, year: int, quarter: int = 0, *, agency_id: int | None = None) -> EvaluationTable:
    """The 9 × 2 evaluation of `user`'s units for a year (quarter 0) or a quarter, ranked. Indices 1 and 7
    are computed from the facts; the others count the appraised score when there is one, else the
    self-score. One totals query plus the scores."""
    start, end = quarter_bounds(year, quarter)
    end = min(end, timezone.localdate()) if start <= timezone.localdate() else end
    scope = selectors.scope_ids(user)
    if agency_id is not None:
        if scope is not None and agency_id not in scope:
            raise PermissionError("Đơn vị này không thuộc phạm vi bạn được xem.")
        scope = [agency_id]
    grouped = selectors.totals(start, end, agency_ids=scope, group_by="agency")
    scores = latest_scores(year, quarter, scope)
    ids = {pk for pk, t in grouped.items() if any(t.within.values()) or any(t.at_end.values())}
    ids |= {key[0] for key in scores}
    if agency_id is not None:
        ids = {agency_id}
    units = []
    for agency in Agency.objects.filter(pk__in=ids):
        t = grouped.get(agency.pk, _empty())
        indices = []
        for number, name in EVALUATION_INDICES:
            mine = scores.get((agency.pk, number, EvaluationScore.Kind.SELF))
            appraised = scores.get((agency.pk, number, EvaluationScore.Kind.APPRAISED))
            if number in COMPUTED_INDICES:
                value, basis = _computed_index(number, t)
                indices.append(EvaluationIndex(number, name, "data", value, basis=basis))
            else:
                chosen = appraised or mine
                indices.append(EvaluationIndex(number, name, "input", chosen.score if chosen else None, mine, appraised))
        total = sum((i.score for i in indices if i.score is not None), Decimal(0)).quantize(CENT)
        units.append(UnitEvaluation(agency, None, total, evaluation_grade(total), indices))
    units.sort(key=lambda u: (-u.total, u.agency.name))
    previous = None
    for position, u in enumerate(units, start=1):
        u.rank = previous.rank if previous is not None and previous.total == u.total else position
        previous = u
    return EvaluationTable(year, quarter, start, end, units)


def evaluation_history(agency_id: int, year: int, quarter: int) -> list[tuple[EvaluationScore, EvaluationScore | None]]:
    """Every score entered for the unit and period, newest first, with the one it replaced."""
    rows = list(EvaluationScore.objects.filter(agency_id=agency_id, year=year, quarter=quarter)
                .select_related("entered_by").order_by("entered_at", "pk"))
    last: dict = {}
    out = []
    for row in rows:
        key = (row.index, row.kind)
        out.append((row, last.get(key)))
        last[key] = row
    out.reverse()
    return out

