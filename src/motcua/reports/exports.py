"""Report exports: the statistics table, the 766 index table and the form-06 ledger as .xlsx, and the
summary report of a period as PDF.

Every figure comes from the selectors the report pages read (selectors.statistics, index766.index_table,
printing's ledger rows), so an export can never disagree with the page it was exported from. Builders
return bytes; they take an optional `progress(percent)` callback that jobs.py turns into ExportJob
updates. Everything is written in Vietnamese, whatever the language of the page that asked for it:
these are documents for the files of an administration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import spreadsheets
from motcua.org.models import Agency, RoleAssignment
from motcua.printing import services as printing

from . import selectors

Progress = Callable[[int], None] | None

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
FONT = "Times New Roman"
GROUP_HEADINGS = {"agency": "Đơn vị", "field": "Lĩnh vực", "procedure": "Thủ tục hành chính"}
PERCENT_FIGURES = {"online_share", "online_target", "on_time_rate"}
DECIMAL_FIGURES = {"returned_per_working_day", "average_days"}
ROW_CHUNK = 200  # rows written between two progress reports


def _report(progress: Progress, percent: int) -> None:
    if progress is not None:
        progress(max(0, min(100, int(percent))))


def period_line(start: date, end: date) -> str:
    return _("Từ ngày %(start)s đến ngày %(end)s") % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}


def number(value, decimals: int = 0) -> str:
    """12345 → '12.345'; 62.5 with 2 decimals → '62,50'; None → '–' (Vietnamese grouping and comma)."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def report_unit(user, agency_id: int | None = None) -> Agency | None:
    """The unit a report speaks for: the chosen one, else the highest unit where the user holds a role
    (for a superuser without roles, the first top-level unit)."""
    if agency_id is not None:
        return Agency.objects.select_related("parent", "area").filter(pk=agency_id).first()
    held = (
        RoleAssignment.objects.filter(user=user).select_related("agency__parent", "agency__area")
        .order_by("agency__path")
    )
    best = min((r.agency for r in held), key=lambda a: (len(a.path), a.path), default=None)
    if best is None and user.is_superuser:
        best = Agency.objects.select_related("parent", "area").filter(parent__isnull=True).order_by("pk").first()
    return best


# ---------------------------------------------------------------- spreadsheets


class _Sheet:
    """A worksheet with the heading every report sheet starts with (unit, title, period)."""

    def __init__(self, wb, title: str, sheet_title: str, columns: int, unit: str, period: str):
        from openpyxl.styles import Alignment, Border, Font, Side
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(sheet_title[:31])
        self.bold = Font(name=FONT, bold=True)
        self.plain = Font(name=FONT)
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.top = Alignment(vertical="top", wrap_text=True)
        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        last = get_column_letter(max(columns, 1))
        ws = self.ws
        ws["A1"] = unit.upper()
        ws["A1"].font = self.bold
        ws.merge_cells(f"A2:{last}2")
        ws["A2"] = title
        ws["A2"].font = Font(name=FONT, bold=True, size=14)
        ws["A2"].alignment = self.center
        ws.merge_cells(f"A3:{last}3")
        ws["A3"] = period
        ws["A3"].font = Font(name=FONT, italic=True)
        ws["A3"].alignment = self.center
        self.row = 5

    def header(self, names: list[str]) -> None:
        for i, name in enumerate(names, start=1):
            cell = self.ws.cell(self.row, i, name)
            cell.font, cell.alignment, cell.border = self.bold, self.center, self.box
        self.ws.freeze_panes = self.ws.cell(self.row + 1, 3)
        self.ws.print_title_rows = f"{self.row}:{self.row}"
        self.row += 1

    def line(self, values: list, formats: dict[int, str] | None = None, bold: bool = False) -> None:
        for i, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, i, spreadsheets.cell_value(value))
            cell.font = self.bold if bold else self.plain
            cell.border, cell.alignment = self.box, self.top
            if formats and i in formats and value is not None:
                cell.number_format = formats[i]
        self.row += 1

    def widths(self, widths: list[float]) -> None:
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = self.ws.PAPERSIZE_A4


def _workbook():
    # Whatever a unit, a procedure or an applicant is named is written as text, never as a formula.
    return spreadsheets.workbook(empty=True)


def _save(wb) -> bytes:
    return spreadsheets.to_bytes(wb)


def _figure_format(key: str) -> str:
    if key in PERCENT_FIGURES:
        return "0.00"
    if key in DECIMAL_FIGURES:
        return "0.0"
    return "#,##0"


@printing.in_form_language
def statistics_xlsx(user, start: date, end: date, *, group_by: str = "agency", agency_id: int | None = None,
                    field_id: int | None = None, progress: Progress = None) -> bytes:
    """The statistics table (one row per unit, field or procedure, then the total) as .xlsx: the same
    figures as selectors.statistics, one column per figure, labelled as on the page."""
    report = selectors.statistics(user, start, end, group_by=group_by, agency_id=agency_id, field_id=field_id)
    _report(progress, 40)
    unit = report_unit(user, agency_id)
    keys = [key for key, _label, _listed in selectors.FIGURES]
    names = [_("STT"), GROUP_HEADINGS[group_by]] + [label for _key, label, _listed in selectors.FIGURES]
    formats = {i: _figure_format(key) for i, key in enumerate(keys, start=3)}
    wb = _workbook()
    sheet = _Sheet(wb, _("THỐNG KÊ TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"), _("Thống kê"), len(names),
                   unit.name if unit else "", period_line(start, end))
    sheet.ws.cell(4, 1, _("Số ngày làm việc trong kỳ: %(days)s") % {"days": report["working_days"]}).font = sheet.plain
    sheet.header(names)
    rows = report["rows"]
    for n, row in enumerate(rows, start=1):
        sheet.line([n, row.label] + [row.figures[k] for k in keys], formats)
        if n % ROW_CHUNK == 0:
            _report(progress, 40 + 50 * n // len(rows))
    sheet.line(["", _("Tổng cộng")] + [report["total"][k] for k in keys], formats, bold=True)
    sheet.widths([6, 40] + [14] * len(keys))
    _report(progress, 95)
    return _save(wb)


@printing.in_form_language
def ledger_xlsx(user, agency: Agency, start: date, end: date, *, progress: Progress = None) -> bytes:
    """Mẫu 06 (Sổ theo dõi hồ sơ) as .xlsx: printing's own workbook, unchanged, so the exported ledger is
    the one the desk downloads."""
    _report(progress, 10)
    content = printing.ledger_xlsx(user, agency, start, end)
    _report(progress, 95)
    return content


INDEX_COLUMNS = ["Mã", "Chỉ số", "Công thức", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu (%)", "Điểm tối đa", "Điểm",
                 "Nguồn số liệu", "Ghi chú"]
INDEX_SOURCES = {"data": "Dữ liệu hồ sơ", "input": "Số liệu nhập tay", "monitoring": "Chỉ theo dõi, không tính điểm"}


def all_units() -> str:
    """The label of the row that adds up every unit in the user's scope."""
    return _("Toàn bộ phạm vi")


@printing.in_form_language
def index766_xlsx(user, start: date, end: date, *, progress: Progress = None) -> bytes:
    """The 766 index of a period as .xlsx: a ranking sheet (one row per unit: rank, unit, points per group,
    total, grade, then the row of all units together) and a sheet per unit with every indicator's
    numerator, denominator, ratio and points, exactly as index766.index_table computes them for the
    index pages."""
    from . import index766

    table = index766.index_table(user, start, end)
    _report(progress, 30)
    unit = report_unit(user)
    period = period_line(start, end)
    title = _("BỘ CHỈ SỐ CHỈ ĐẠO, ĐIỀU HÀNH VÀ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg)")
    wb = _workbook()
    units = list(table.units)
    everyone = [table.province] if table.province is not None else []
    first = (units + everyone)[:1]
    groups = [(g.code, g.name, g.max_points) for g in first[0].groups] if first else []
    names = [_("Xếp hạng"), _("Đơn vị")] + [f"{code}. {name} ({number(mx)} điểm)" for code, name, mx in groups] + [
        _("Tổng điểm (thang 100)"), _("Xếp loại")]
    ranking = _Sheet(wb, title, _("Xếp hạng 766"), len(names), unit.name if unit else "", period)
    ranking.header(names)
    point_formats = {i: "0.00" for i in range(3, 4 + len(groups))}
    for u in units:
        ranking.line([u.rank, u.agency.name] + [g.points for g in u.groups] + [u.total, u.grade], point_formats)
    for u in everyone:
        ranking.line(["", all_units()] + [g.points for g in u.groups] + [u.total, u.grade], point_formats, bold=True)
    if not units:
        ranking.line(["", _("Không có đơn vị nào có số liệu trong kỳ.")])
    ranking.widths([9, 40] + [16] * len(groups) + [12, 14])
    _report(progress, 40)
    formats = {4: "#,##0.##", 5: "#,##0", 6: "0.00", 7: "0", 8: "0", 9: "0.00"}
    used = {_("Xếp hạng 766").lower()}
    detailed = everyone + units
    for n, u in enumerate(detailed, start=1):
        name = u.agency.name if u.agency is not None else all_units()
        label = f"{u.rank}. {name}" if u.rank is not None and u.agency is not None else name
        sheet = _Sheet(wb, title, _sheet_name(label, used), len(INDEX_COLUMNS), name, period)
        sheet.ws.cell(4, 1, _("Tổng điểm: %(total)s/100; xếp loại: %(grade)s")
                      % {"total": number(u.total, 2), "grade": u.grade}
                      + (_("; xếp hạng: %(rank)s") % {"rank": u.rank} if u.rank is not None else "")).font = sheet.bold
        sheet.header(list(INDEX_COLUMNS))
        for g in u.groups:
            sheet.line([g.code, g.name, "", None, None, None, None, g.max_points, g.points, "", ""], formats, bold=True)
            for i in g.indicators:
                sheet.line([i.code, i.name, i.formula, i.numerator, i.denominator, i.percent, i.target, i.max_points,
                            i.points, INDEX_SOURCES.get(i.source, i.source), getattr(i, "note", "")], formats)
        sheet.widths([7, 44, 46, 10, 10, 10, 11, 11, 9, 22, 40])
        _report(progress, 40 + 55 * n // len(detailed))
    return _save(wb)


def _sheet_name(text: str, used: set) -> str:
    """A worksheet title: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join(" " if c in '[]:*?/\\' else c for c in text)[:31].strip()
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


# ---------------------------------------------------------------- the PDF summary report

HEADLINE = [
    ("received", "Tổng số hồ sơ tiếp nhận trong kỳ"),
    ("received_online", "trong đó tiếp nhận trực tuyến"),
    ("backlog", "Số hồ sơ kỳ trước chuyển sang"),
    ("to_process", "Tổng số hồ sơ phải giải quyết"),
    ("finished", "Số hồ sơ đã giải quyết"),
    ("finished_early", "trong đó giải quyết trước hạn"),
    ("finished_on_time", "trong đó giải quyết đúng hạn"),
    ("finished_late", "trong đó giải quyết quá hạn"),
    ("not_due", "Số hồ sơ đang giải quyết, trong hạn"),
    ("overdue", "Số hồ sơ đang giải quyết, quá hạn"),
    ("paused", "Số hồ sơ tạm dừng"),
    ("returned", "Số hồ sơ đã trả kết quả"),
    ("on_time_rate", "Tỷ lệ giải quyết đúng hạn (%)"),
    ("online_share", "Tỷ lệ hồ sơ trực tuyến (%)"),
    ("average_days", "Thời gian giải quyết bình quân (ngày)"),
]
UNIT_COLUMNS = ["received", "backlog", "finished", "finished_late", "not_due", "overdue", "on_time_rate", "online_share"]


def _shown(key: str, value) -> str:
    if key in PERCENT_FIGURES:
        return number(value, 2)
    if key in DECIMAL_FIGURES:
        return number(value, 1)
    return number(value)


@printing.in_form_language
def summary_pdf(user, start: date, end: date, *, agency_id: int | None = None, with_index: bool = True,
                progress: Progress = None) -> bytes:
    """The summary report of a period (Báo cáo tình hình, kết quả giải quyết TTHC) as PDF, laid out like an
    official report: the national motto, the title, the period, the headline figures, the per-unit table
    and, when `with_index`, the 766 ranking of the units."""
    report = selectors.statistics(user, start, end, group_by="agency", agency_id=agency_id)
    _report(progress, 30)
    unit = report_unit(user, agency_id)
    total = report["total"]
    labels = selectors.FIGURE_LABELS
    ranking, ranking_groups = None, []
    if with_index:
        from . import index766

        index = index766.index_table(user, start, end)
        rows = list(index.units) + ([index.province] if index.province is not None and index.units else [])
        ranking = [
            {"rank": u.rank if u.agency is not None else "", "name": u.agency.name if u.agency is not None else all_units(),
             "total": number(u.total, 2), "grade": u.grade, "groups": [number(g.points, 2) for g in u.groups],
             "all": u.agency is None}
            for u in rows
        ]
        ranking_groups = [f"{g.code}. {g.name} ({number(g.max_points)})" for g in rows[0].groups] if rows else []
    _report(progress, 60)
    context = {
        "issuer": printing._header(unit) if unit else {"parent": "", "name": ""},
        "place": printing.place_name(unit) if unit else "",
        "date_line": printing.date_line(timezone.localdate()),
        "title": _("BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
        "period": period_line(start, end),
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
        "unit": unit.name if unit else "",
        "working_days": report["working_days"],
        "headline": [(label, _shown(key, total[key]), label.startswith("trong đó")) for key, label in HEADLINE],
        "unit_columns": [labels[k] for k in UNIT_COLUMNS],
        "units": [(row.label, [_shown(k, row.figures[k]) for k in UNIT_COLUMNS]) for row in report["rows"]],
        "total_row": [_shown(k, total[k]) for k in UNIT_COLUMNS],
        "ranking": ranking,
        "ranking_groups": ranking_groups,
    }
    content = printing.render_pdf("reports/pdf/summary.html", context)
    _report(progress, 95)
    return content
