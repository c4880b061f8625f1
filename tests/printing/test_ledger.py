"""Mẫu 06, Sổ theo dõi hồ sơ: the dossiers one agency received in a period, as PDF and as a workbook."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from motcua.org.roles import Role
from motcua.printing import services
from tests.factories import at
from tests.printing import pdftools
from tests.printing.test_forms import OFFICER, act

PERIOD = (date(2026, 11, 16), date(2026, 11, 20))


@pytest.fixture
def ledger_world(world):
    """Two dossiers received at the centre in the period (one returned, one stopped), and three that are
    not in its ledger: never received, received after the period, received by another centre."""
    returned = world.new_dossier(now=at("2026-11-16 08:55"), applicant=world.applicant(address="Số 12 phố Lê Lợi"))
    act(world, returned, "receive", "2026-11-16 09:00", OFFICER)
    act(world, returned, "forward", "2026-11-16 10:00", OFFICER)
    act(world, returned, "forward", "2026-11-20 15:00", Role.SPECIALIST)
    act(world, returned, "forward", "2026-11-23 10:00", Role.HEAD_OF_AGENCY)
    act(world, returned, "finish", "2026-11-23 10:30", Role.CLERK)
    act(world, returned, "return_result", "2026-11-23 11:15", OFFICER, method="counter", receiver_name="Nguyễn Văn An")

    stopped = world.new_dossier(now=at("2026-11-18 08:30"), applicant=world.applicant(name="Lê Thị Hoa"))
    act(world, stopped, "receive", "2026-11-18 09:00", OFFICER)
    act(world, stopped, "stop", "2026-11-19 14:00", Role.HEAD_OF_AGENCY, reason="Người đăng ký đề nghị dừng để bổ sung giấy tờ.")

    never_received = world.new_dossier(now=at("2026-11-17 08:30"))
    act(world, never_received, "request_completion", "2026-11-17 08:40", OFFICER,
        items=[{"name": "Tờ khai CT01", "reason": "Chưa ký."}])
    later = world.new_dossier(now=at("2026-11-23 08:30"))
    act(world, later, "receive", "2026-11-23 09:00", OFFICER)
    elsewhere = world.new_dossier(
        now=at("2026-11-17 08:30"), receiving_agency=world.other_centre, competent_agency=world.other_committee,
        actor=world.user(OFFICER, other=True),
    )
    act(world, elsewhere, "receive", "2026-11-17 09:00")  # no actor: the system itself
    return {"returned": returned, "stopped": stopped, "excluded": [never_received, later, elsewhere]}


def test_ledger_rows_are_the_agencys_dossiers_received_in_the_period(world, ledger_world):
    supervisor = world.user(Role.SUPERVISOR)  # sees the whole province: the filter is the agency and period
    rows = services.ledger_rows(supervisor, world.centre, *PERIOD)
    assert [r.code for r in rows] == [ledger_world["returned"].code, ledger_world["stopped"].code]
    assert [r.number for r in rows] == [1, 2]


def test_ledger_xlsx_has_the_columns_and_one_row_per_dossier(world, ledger_world):
    content = services.ledger_xlsx(world.user(OFFICER), world.centre, *PERIOD)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].value == "TRUNG TÂM PVHCC PHƯỜNG HẠC THÀNH"
    assert ws["A2"].value == "SỔ THEO DÕI HỒ SƠ"
    assert ws["A3"].value == "Từ ngày 16/11/2026 đến ngày 20/11/2026"
    heading = [c.value for c in ws[5]]
    sub = [c.value for c in ws[6]]
    assert heading[:7] == [
        "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết",
    ]
    assert heading[7] == "Ngày, tháng, năm" and heading[12:] == ["Ký nhận", "Ghi chú"]
    assert sub[7:12] == [
        "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết", "Trả kết quả cho cá nhân, tổ chức",
    ]
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=7)]
    assert len(data) == 2
    first, second = data
    assert first[:7] == [
        1, ledger_world["returned"].code, "Đăng ký thường trú", 1, "Nguyễn Văn An", "Số 12 phố Lê Lợi, 0912345678",
        "UBND phường Hạc Thành",
    ]
    assert first[7:12] == [
        datetime(2026, 11, 16, 9, 0), datetime(2026, 11, 26, 9, 0), datetime(2026, 11, 16, 10, 0),
        datetime(2026, 11, 23, 10, 30), datetime(2026, 11, 23, 11, 15),
    ]
    assert first[12] == "Nguyễn Văn An"
    assert "Giải quyết trước hạn" in first[13]
    assert second[:2] == [2, ledger_world["stopped"].code] and second[4] == "Lê Thị Hoa"
    assert second[7] == datetime(2026, 11, 18, 9, 0) and second[9:12] == [None, None, None]
    assert second[13] == "Dừng xử lý: Người đăng ký đề nghị dừng để bổ sung giấy tờ."
    assert ws.cell(7, 8).number_format == "dd/mm/yyyy hh:mm"


def test_ledger_pdf_lists_the_same_dossiers(world, ledger_world):
    pdf = services.ledger_pdf(world.user(OFFICER), world.centre, *PERIOD)
    text, flat = pdftools.text(pdf), pdftools.flat(pdf)
    assert "Mẫu số 06" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 16/11/2026 đến ngày 20/11/2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert ledger_world["returned"].code in text and ledger_world["stopped"].code in text
    for d in ledger_world["excluded"]:
        assert d.code not in text
    assert "Lê Thị Hoa" in flat and "Dừng xử lý" in flat
    line = next(x for x in text.splitlines() if ledger_world["returned"].code in x)
    assert "16/11/2026 26/11/2026 16/11/2026 23/11/2026 23/11/2026" in " ".join(line.split())


def test_a_pdf_ledger_too_long_to_lay_out_points_to_the_workbook(world, ledger_world, monkeypatch):
    monkeypatch.setattr(services.ledger, "LEDGER_PDF_MAX_ROWS", 1)
    with pytest.raises(services.BadPeriod) as err:
        services.ledger_pdf(world.user(OFFICER), world.centre, *PERIOD)
    assert "Sổ có 2 hồ sơ" in err.value.message and "tải bản Excel" in err.value.message
    assert services.ledger_xlsx(world.user(OFFICER), world.centre, *PERIOD)  # the workbook has no such limit


def test_an_empty_ledger_says_so(world):
    flat = pdftools.flat(services.ledger_pdf(world.user(OFFICER), world.centre, *PERIOD))
    assert "Không có hồ sơ nào được tiếp nhận trong khoảng thời gian này." in flat


def test_ledger_shows_only_what_the_user_may_see(world, ledger_world):
    # The other commune's officer sees nothing of this centre even when asking for it directly.
    assert services.ledger_rows(world.user(OFFICER, other=True), world.centre, *PERIOD) == []


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-11-16", "20/11/2026", "dd/mm/yyyy"),
        ("16/11/2026", "31/11/2026", "dd/mm/yyyy"),
        ("20/11/2026", "16/11/2026", "phải sau hoặc bằng từ ngày"),
        ("01/01/2025", "20/11/2026", "tối đa 366 ngày"),
    ],
)
def test_a_bad_period_is_refused_with_what_to_type(start, end, message):
    with pytest.raises(services.BadPeriod) as err:
        services.ledger_period(start, end)
    assert message in err.value.message


def test_the_period_defaults_to_this_month():
    assert services.ledger_period(None, None, today=date(2026, 11, 20)) == (date(2026, 11, 1), date(2026, 11, 20))
    assert services.ledger_period("16/11/2026", "20/11/2026") == PERIOD
