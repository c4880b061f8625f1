"""The periodic 9 × 2 evaluation (§6.1): computed indices, supervisors' scores, grades and history."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import timezone

from motcua.org.models import Agency

from .. import selectors
from ..models import EvaluationScore
from ..selectors import Totals
from .period import quarter_bounds
from .spec import CENT, WEAK
from .table import _empty, _q, percent_of

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
