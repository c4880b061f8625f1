"""Mẫu 06 as an .xlsx workbook."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from motcua import spreadsheets

from .common import format_date, in_form_language, local
from .ledger import LEDGER_COLUMNS, LEDGER_DATE_COLUMNS, ledger_rows


@in_form_language
def ledger_xlsx(user, agency, start: date, end: date) -> bytes:
    """Mẫu 06 as an .xlsx workbook: a heading, the two header rows, one row per dossier (dates as real
    date-times in Vietnamese time, shown dd/mm/yyyy hh:mm). Whatever was typed is written as text, never
    as a formula (motcua.spreadsheets)."""
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    rows = ledger_rows(user, agency, start, end)
    columns = [str(c) for c in LEDGER_COLUMNS]
    title = _("SỔ THEO DÕI HỒ SƠ")
    period = _("Từ ngày %(start)s đến ngày %(end)s") % {"start": format_date(start), "end": format_date(end)}
    dates_heading = _("Ngày, tháng, năm")
    sheet_title = _("Sổ theo dõi hồ sơ")
    wb = spreadsheets.workbook()
    ws = wb.active
    ws.title = sheet_title
    last = get_column_letter(len(columns))
    bold = Font(name="Times New Roman", bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)

    ws["A1"] = agency.name.upper()
    ws["A1"].font = bold
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = title
    ws["A2"].font = Font(name="Times New Roman", bold=True, size=14)
    ws["A2"].alignment = center
    ws.merge_cells(f"A3:{last}3")
    ws["A3"] = period
    ws["A3"].alignment = center

    head, sub = 5, 6
    for i, name in enumerate(columns, start=1):
        if i - 1 in LEDGER_DATE_COLUMNS:
            ws.cell(sub, i, name)
        else:
            ws.cell(head, i, name)
            ws.merge_cells(start_row=head, start_column=i, end_row=sub, end_column=i)
    first_date = min(LEDGER_DATE_COLUMNS) + 1
    ws.cell(head, first_date, dates_heading)
    ws.merge_cells(start_row=head, start_column=first_date, end_row=head, end_column=max(LEDGER_DATE_COLUMNS) + 1)
    for r in (head, sub):
        for i in range(1, len(columns) + 1):
            cell = ws.cell(r, i)
            cell.font = bold
            cell.alignment = center
            cell.border = box

    def naive(moment):
        return local(moment).replace(tzinfo=None) if moment is not None else None

    for row in rows:
        values = [
            row.number, row.code, row.procedure, row.sets, row.applicant, row.address_phone, row.competent_agency,
            naive(row.received_at), naive(row.due_at), naive(row.transferred_at), naive(row.result_at),
            naive(row.returned_at), row.receiver, row.note,
        ]
        ws.append([spreadsheets.cell_value(v) for v in values])
        r = ws.max_row
        for i in range(1, len(columns) + 1):
            cell = ws.cell(r, i)
            cell.border = box
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if i - 1 in LEDGER_DATE_COLUMNS:
                cell.number_format = "dd/mm/yyyy hh:mm"
    widths = [6, 26, 40, 10, 26, 30, 28, 17, 17, 17, 17, 17, 20, 36]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(sub + 1, 3)
    ws.print_title_rows = f"{head}:{sub}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return spreadsheets.to_bytes(wb)
