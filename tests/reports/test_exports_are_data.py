"""Every spreadsheet the project writes carries data, never formulas (issue 18, item 4): a unit, a field,
a procedure or an applicant named =HYPERLINK(…), +…, -…, @…, or with a tab or a carriage return before a
formula, is read back from each report export as that text in a text cell. And no module writes a
workbook or a CSV other than through motcua.spreadsheets, so a new export cannot forget it."""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import motcua
from motcua import spreadsheets
from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency
from motcua.org.roles import Role
from motcua.reports import exports
from tests.printing.test_ledger_is_data import FORMULA_LIKE, assert_all_text, read_back
from tests.reports.test_statistics import NOV, receive

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def values(content: bytes) -> set[str]:
    wb = load_workbook(io.BytesIO(content))
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


@pytest.mark.parametrize("text", FORMULA_LIKE, ids=repr)
def test_every_report_export_holds_typed_formulas_as_text(world, text):
    procedure = world.case().version.procedure
    Agency.objects.filter(pk__in=[world.committee.pk, world.centre.pk]).update(name=text)
    Procedure.objects.filter(pk=procedure.pk).update(name=text)
    Field.objects.filter(pk=procedure.field_id).update(name=text)
    d = receive(world, "2026-11-02 08:00")
    Dossier.objects.filter(pk=d.pk).update(applicant_name=text, address=text)
    world.committee.refresh_from_db()
    world.centre.refresh_from_db()
    supervisor, officer = world.user(Role.SUPERVISOR), world.user(Role.ONE_STOP_OFFICER)
    made = {
        f"statistics by {group}": exports.statistics_xlsx(supervisor, *NOV, group_by=group)
        for group in ("agency", "field", "procedure")
    }
    made["766 index"] = exports.index766_xlsx(supervisor, *NOV)
    made["ledger"] = exports.ledger_xlsx(officer, world.centre, *NOV)
    for name, content in made.items():
        assert_all_text(content)
        assert any(read_back(text) in v for v in values(content)), name  # the text reached the export


def test_a_workbook_saved_any_way_holds_text(tmp_path):
    wb = spreadsheets.workbook()
    wb.active.append(FORMULA_LIKE)
    wb.active["A3"] = "=SUM(A1:A2)"
    wb.save(tmp_path / "any.xlsx")  # its own save, not to_bytes
    ws = load_workbook(tmp_path / "any.xlsx").active
    assert [(c.value, c.data_type) for c in ws[1]] == [(read_back(t), "s") for t in FORMULA_LIKE]
    assert (ws["A3"].value, ws["A3"].data_type) == ("=SUM(A1:A2)", "s")


def test_csv_cells_that_a_spreadsheet_would_evaluate_get_an_apostrophe():
    rows = [["Họ tên", "Số tiền"], *[[t, -5] for t in FORMULA_LIKE], ["Nguyễn Văn An", 1500]]
    read = list(csv.reader(io.StringIO(spreadsheets.csv_text(rows), newline="")))
    assert read[0] == ["Họ tên", "Số tiền"] and read[-1] == ["Nguyễn Văn An", "1500"]
    for (cell, amount), typed in zip(read[1:-1], FORMULA_LIKE, strict=True):
        assert cell == ("'" + typed if typed[0] in "=+-@\t\r" else typed)
        assert amount == "-5"  # a number is a number, not a formula
    assert spreadsheets.csv_cell(None) == ""


# What builds a workbook or writes CSV: only motcua.spreadsheets may.
WRITERS = re.compile(r"\bWorkbook\s*\(|from openpyxl import[^\n]*\bWorkbook\b|\bcsv\.(?:writer|DictWriter)\b|^import csv",
                     re.M)


def test_no_module_writes_a_spreadsheet_except_through_motcua_spreadsheets():
    root = Path(motcua.__file__).parent
    helper = root / "spreadsheets"
    offenders = [
        str(path.relative_to(root)) for path in sorted(root.rglob("*.py"))
        if helper not in path.parents and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "build .xlsx with spreadsheets.workbook() and CSV with spreadsheets.csv_text()"
