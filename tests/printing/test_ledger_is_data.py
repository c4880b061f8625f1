"""Mẫu 06 as .xlsx carries what people typed as data, never as a formula (issue 18, item 4): an applicant
named =HYPERLINK(…) reaches the official who opens the ledger as that text, not as a live link."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.dossiers.models import Dossier
from motcua.printing import services
from tests.factories import at
from tests.printing.test_forms import OFFICER, act

PERIOD = (date(2026, 11, 16), date(2026, 11, 20))

# Texts a spreadsheet program would take for a formula or an error value if they were not stored as text:
# each starting character that CSV/Excel injection uses, a tab and a carriage return before a formula,
# the error literals openpyxl would turn into error cells.
FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/tra-cuu","Xem hồ sơ")',
    "=1+1",
    "+84912345678+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
    "#REF!",
]


def read_back(text: str) -> str:
    """What a text cell holding `text` reads back as: XML end-of-line handling turns a bare carriage
    return into a line feed (XML 1.0 §2.11), in Excel as in openpyxl. Nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_all_text(content: bytes) -> list:
    """Every cell of every sheet holding a str is a text cell (data type 's'): no formula ('f'), no
    error value ('e'). Returns the cells."""
    wb = load_workbook(io.BytesIO(content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    wrong = [(c.coordinate, c.value, c.data_type) for c in cells if c.data_type in ("f", "e")]
    assert wrong == []
    return cells


@pytest.fixture
def typed(world):
    """One dossier received in the period per formula-like text, with that text as the applicant's name
    and address. Written straight into the rows: what matters here is what the export does with such a
    value, whichever door (or an older version) let it in."""
    dossiers = []
    for n, text in enumerate(FORMULA_LIKE):
        d = world.new_dossier(now=at("2026-11-16 08:00"))
        act(world, d, "receive", f"2026-11-16 09:{n:02d}", OFFICER)
        Dossier.objects.filter(pk=d.pk).update(applicant_name=text, address=text)
        dossiers.append(d)
    return dossiers


def test_the_ledger_workbook_holds_typed_formulas_as_text(world, typed):
    content = services.ledger_xlsx(world.user(OFFICER), world.centre, *PERIOD)
    cells = assert_all_text(content)
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(min_row=7))
    assert len(rows) == len(FORMULA_LIKE)
    for row, text in zip(rows, FORMULA_LIKE, strict=True):
        name, address = row[4], row[5]
        assert (name.value, name.data_type) == (read_back(text), "s")
        assert address.data_type == "s" and address.value.startswith(read_back(text))
    assert len(cells) > len(FORMULA_LIKE) * 14


def test_a_stored_name_with_a_control_character_does_not_stop_the_export(world):
    """New input with control characters is refused at every door (motcua.fields), but rows stored before
    may hold one; openpyxl refused the whole ledger for it. The character is left out of the cell."""
    d = world.new_dossier(now=at("2026-11-16 08:00"))
    act(world, d, "receive", "2026-11-16 09:00", OFFICER)
    # (no NUL: PostgreSQL cannot store one in text, so no row holds it)
    Dossier.objects.filter(pk=d.pk).update(applicant_name="Nguyễn\x0bVăn\x1b An", address="Số 1\x08 Lê Lợi")
    content = services.ledger_xlsx(world.user(OFFICER), world.centre, *PERIOD)
    row = list(load_workbook(io.BytesIO(content)).active.iter_rows(min_row=7))[0]
    assert row[4].value == "NguyễnVăn An" and row[5].value.startswith("Số 1 Lê Lợi")
