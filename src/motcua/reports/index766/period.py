"""The period a page asks for: dates, a month, a quarter or a year."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from .table import check_period

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
