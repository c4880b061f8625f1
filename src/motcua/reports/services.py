"""What supervisors enter for the reports: the 766 figures the system cannot know (IndexInput) and the
scores of the periodic 9 × 2 evaluation (EvaluationScore).

Both tables are append-only: a correction is a new row, the newest counts, the older ones are the audit
trail (who, when, old → new). Only supervisors enter: the role "Giám sát, theo dõi" at an agency above the
unit (a unit does not report its own 766 figures nor appraise itself), or a superuser. A self-score
(điểm tự chấm) may also come from a supervisor of the unit itself.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.org.models import Agency, RoleAssignment
from motcua.org.roles import Role

from .index766 import COMPUTED_INDICES, INPUT_CODES, SPEC
from .models import EvaluationScore, IndexInput

NOTE_MAX = 500
FIRST_MONTH = date(2022, 6, 1)  # QĐ 766/QĐ-TTg is of 23/6/2022
FIRST_YEAR = 2022


class InputError(ValueError):
    """Bad input, with a Vietnamese message saying what to fix and the field it is about."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


def _supervised_agency_ids(user) -> set[int]:
    return set(RoleAssignment.objects.filter(user=user, role=Role.SUPERVISOR).values_list("agency_id", flat=True))


def can_enter(user, agency: Agency, *, own_unit: bool = False) -> bool:
    """A superuser, or a supervisor at an agency above `agency` (or at `agency` itself when own_unit)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    above = set(agency.ancestor_ids()) - {agency.pk}
    if own_unit:
        above.add(agency.pk)
    return bool(_supervised_agency_ids(user) & above)


def entry_agencies(user) -> list[Agency]:
    """The units `user` may enter 766 figures and appraised scores for: those below their supervisor
    roles (every unit for a superuser)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Agency.objects.order_by("name"))
    supervised = _supervised_agency_ids(user)
    if not supervised:
        return []
    paths = list(Agency.objects.filter(pk__in=supervised).values_list("path", flat=True))
    match = Q(pk__in=[])
    for p in paths:
        match |= Q(path__startswith=p)
    return [a for a in Agency.objects.filter(match).order_by("name")
            if supervised & (set(a.ancestor_ids()) - {a.pk})]


def _agency(agency) -> Agency:
    if isinstance(agency, Agency):
        return agency
    try:
        return Agency.objects.get(pk=int(agency))
    except (Agency.DoesNotExist, TypeError, ValueError):
        raise InputError("Không tìm thấy đơn vị đã chọn; hãy chọn lại trong danh sách.", "agency") from None


def _count(value, label: str, field: str) -> int:
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        value = value.strip().replace(".", "")
        value = int(value) if re.fullmatch(r"\d{1,9}", value) else None
    if not isinstance(value, int) or not 0 <= value <= 999_999_999:
        raise InputError(f"{label} phải là số nguyên không âm (0, 1, 2, …).", field)
    return value


def _note(note) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InputError(f"Ghi chú dài {len(note)} ký tự; hãy rút gọn trong {NOTE_MAX} ký tự.", "note")
    return note


def parse_month(text: str) -> date:
    """'11/2026' (or '2026-11') as the first day of the month."""
    text = (text or "").strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{4})", text) or None
    if match:
        month, year = int(match[1]), int(match[2])
    else:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
        if not match:
            raise InputError(f"Tháng “{text}” không hợp lệ; hãy nhập theo dạng mm/yyyy, ví dụ 11/2026.", "month")
        year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise InputError(f"Tháng “{text}” không hợp lệ; tháng phải từ 1 đến 12.", "month")
    return date(year, month, 1)


def enter_index_input(user, *, agency, indicator: str, month, numerator, denominator, note: str = "",
                      now=None) -> IndexInput:
    """Record a supervisor's figure for one 766 indicator the system cannot count (1.1, 1.2, 1.3, 4.x,
    5.2, 5.3), one unit and one month. Returns the new row; the previous row for the same unit, indicator
    and month stays as history. Raises InputError (bad input) or PermissionDenied."""
    now = now or timezone.now()
    agency = _agency(agency)
    if not can_enter(user, agency):
        raise PermissionDenied("Chỉ cán bộ giám sát của cơ quan cấp trên mới được nhập số liệu chỉ số 766 cho đơn vị này.")
    indicator = (indicator or "").strip()
    if indicator not in INPUT_CODES:
        raise InputError("Chỉ số này không nhập tay; hãy chọn một trong: " + ", ".join(INPUT_CODES) + ".", "indicator")
    if isinstance(month, str):
        month = parse_month(month)
    if not isinstance(month, date):
        raise InputError("Hãy chọn tháng của số liệu.", "month")
    month = month.replace(day=1)
    this_month = timezone.localtime(now).date().replace(day=1)
    if month > this_month:
        raise InputError(f"Tháng {month:%m/%Y} chưa đến; chỉ nhập số liệu của tháng này hoặc các tháng trước.", "month")
    if month < FIRST_MONTH:
        raise InputError("Bộ chỉ số 766 áp dụng từ tháng 06/2022; hãy chọn tháng từ 06/2022.", "month")
    numerator = _count(numerator, "Tử số", "numerator")
    denominator = _count(denominator, "Mẫu số", "denominator")
    if numerator > denominator:
        raise InputError(f"Tử số ({numerator}) không được lớn hơn mẫu số ({denominator}).", "numerator")
    note = _note(note)
    previous = (IndexInput.objects.filter(agency=agency, indicator=indicator, month=month)
                .order_by("-entered_at", "-pk").first())
    if previous is not None and not note:
        raise InputError("Đây là sửa số liệu đã nhập; hãy ghi rõ lý do sửa trong ô ghi chú.", "note")
    with transaction.atomic():
        row = IndexInput.objects.create(agency=agency, indicator=indicator, month=month, numerator=numerator,
                                        denominator=denominator, note=note, entered_by=user)
    return row


def parse_score(value) -> Decimal:
    if isinstance(value, Decimal):
        score = value
    else:
        text = str(value if value is not None else "").strip().replace(",", ".")
        try:
            score = Decimal(text) if re.fullmatch(r"\d{1,2}(\.\d{1,2})?", text) else None
        except InvalidOperation:
            score = None
    if score is None or not score.is_finite() or not Decimal(0) <= score <= Decimal(2) or score != score.quantize(Decimal("0.01")):
        raise InputError("Điểm phải từ 0 đến 2, tối đa hai chữ số thập phân (ví dụ 1,75).", "score")
    return score


def enter_evaluation_score(user, *, agency, year, quarter, index, kind: str, score, note: str = "",
                           now=None) -> EvaluationScore:
    """Record a self-score or an appraised score (0–2) of one of the periodic evaluation's indices that are
    not computed from the data, for a unit and a year (quarter 0) or quarter. Returns the new row; the
    newest of each kind counts, the appraised score over the self-score. Raises InputError or
    PermissionDenied."""
    now = now or timezone.now()
    agency = _agency(agency)
    if kind not in EvaluationScore.Kind.values:
        raise InputError("Hãy chọn loại điểm: điểm tự chấm hoặc điểm thẩm định.", "kind")
    own = kind == EvaluationScore.Kind.SELF
    if not can_enter(user, agency, own_unit=own):
        raise PermissionDenied(
            "Chỉ cán bộ giám sát của đơn vị (điểm tự chấm) hoặc của cơ quan cấp trên (điểm thẩm định) mới được nhập điểm."
        )
    today = timezone.localtime(now).date()
    year = _count(year, "Năm", "year")
    if not FIRST_YEAR <= year <= today.year:
        raise InputError(f"Năm phải từ {FIRST_YEAR} đến {today.year}.", "year")
    quarter = _count(quarter, "Quý", "quarter")
    if quarter > 4:
        raise InputError("Quý phải từ 1 đến 4, hoặc 0 cho cả năm.", "quarter")
    if quarter and date(year, 3 * quarter - 2, 1) > today:
        raise InputError(f"Quý {quarter}/{year} chưa bắt đầu; chưa chấm điểm được.", "quarter")
    index = _count(index, "Chỉ số", "index")
    if not 1 <= index <= 9:
        raise InputError("Chỉ số phải từ 1 đến 9.", "index")
    if index in COMPUTED_INDICES:
        raise InputError(f"Chỉ số {index} được tính từ dữ liệu của hệ thống; không nhập điểm tay.", "index")
    score = parse_score(score)
    note = _note(note)
    with transaction.atomic():
        row = EvaluationScore.objects.create(agency=agency, year=year, quarter=quarter, index=index, kind=kind,
                                             score=score, note=note, entered_by=user)
    return row


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {SPEC[code].name}") for code in INPUT_CODES]
