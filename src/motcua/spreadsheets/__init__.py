"""Spreadsheets the project writes (.xlsx, and CSV) carry data, never formulas.

A name typed as `=HYPERLINK("http://…","Xem hồ sơ")` must reach the official who opens the ledger as that
text, not as a live link or a formula. openpyxl turns any str beginning with "=" into a formula and
"#N/A", "#REF!"… into error values; `workbook()` gives a workbook whose `save` first makes every cell
holding a str a text cell again (the exact text typed, no quote added: Excel and LibreOffice never
evaluate a text cell when they open a file; only a bare carriage return reads back as a line feed, as
XML's end-of-line handling requires). Every .xlsx is made by `workbook()` and every CSV by
`csv_text()`; tests/reports/test_exports_are_data.py checks that no other module builds either.

A CSV has no cell types: the program that opens it decides, and evaluates a cell beginning with = + - @
(or a tab or carriage return before one of them). Such a cell gets a leading apostrophe (OWASP's
advice), which Excel and LibreOffice show as text.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl import Workbook

# What a CSV cell may not begin with: the program opening it would read a formula.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@functools.cache
def _data_workbook() -> type:
    # openpyxl is imported when the first workbook is made, not when a web process starts (~0.2 s).
    from openpyxl import Workbook

    class DataWorkbook(Workbook):
        """An openpyxl Workbook whose save writes every str as text (see the module's docstring)."""

        def save(self, filename) -> None:
            as_text(self)
            super().save(filename)

    return DataWorkbook


def workbook(*, empty: bool = False) -> Workbook:
    """A new workbook, with its first sheet (`wb.active`), or none when `empty`."""
    wb = _data_workbook()()
    if empty:
        wb.remove(wb.active)
    return wb


def as_text(wb: Workbook) -> None:
    """Every cell of `wb` holding a str becomes a text cell: not a formula ("=…"), not an error value
    ("#N/A"). The value stays exactly as it was."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "s":
                    cell.data_type = "s"


# Characters an .xlsx cannot hold (XML 1.0): openpyxl refuses a whole export for one of them. New input is
# refused at every door (motcua.fields); rows stored before that may still hold one.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_value(value):
    """`value` as a cell may hold it: a str without the control characters XML forbids; others as they are."""
    return _NOT_IN_XML.sub("", value) if isinstance(value, str) else value


def to_bytes(wb: Workbook) -> bytes:
    """The .xlsx file of `wb`."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_cell(value) -> str:
    """One CSV cell: a text with an apostrophe in front when a spreadsheet would read it as a formula;
    a number as it is (-5 is a number, not a formula)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(CSV_FORMULA_START) else value
    return str(value)


def csv_text(rows: Iterable[Iterable]) -> str:
    """Rows as CSV text (comma-separated, quoted where needed, CRLF line ends), every cell through
    csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()
