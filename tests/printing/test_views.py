"""/in/…: who may print which form, and what a person sees when a form cannot be printed."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from motcua.org.roles import Role
from tests.factories import at
from tests.printing import pdftools
from tests.printing.test_forms import OFFICER, act


@pytest.fixture
def received(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    return act(world, d, "receive", "2026-11-16 09:00", OFFICER)


def form_url(d, form="01"):
    return reverse("printing:dossier-form", args=[d.code, form])


def login(client, user):
    client.force_login(user)
    return client


def test_url_names_the_desk_links_to():
    assert reverse("printing:dossier-form", args=["001.00.06.H56-261116-0001", "dung"]) == (
        "/in/ho-so/001.00.06.H56-261116-0001/mau-dung.pdf"
    )
    assert reverse("printing:ledger", args=[7, "xlsx"]) == "/in/so-theo-doi/7.xlsx"


def test_the_receiving_officer_gets_the_receipt_inline(client, world, received):
    response = login(client, world.user(OFFICER)).get(form_url(received))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{received.code}-mau-01.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in pdftools.text(response.content)


def test_staff_of_the_competent_authority_may_print_too(client, world, received):
    response = login(client, world.user(Role.SPECIALIST)).get(form_url(received, "05"))
    assert response.status_code == 200
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdftools.text(response.content)


def test_another_units_staff_get_not_found_as_for_a_code_that_does_not_exist(client, world, received):
    login(client, world.user(OFFICER, other=True))
    hidden = client.get(form_url(received))
    missing = client.get(reverse("printing:dossier-form", args=["001.00.06.H56-261116-9999", "01"]))
    assert hidden.status_code == missing.status_code == 404
    assert b"%PDF" not in hidden.content
    assert "Nguyễn Văn An" not in hidden.content.decode()
    assert "Không tìm thấy hồ sơ" in hidden.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, received):
    url = form_url(received)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL) and "next=" in response["Location"]


@pytest.mark.parametrize(("form", "message"), [("03", "không bị từ chối"), ("04", "xin lỗi"), ("dung", "dừng"), ("07", "Không có biểu mẫu")])
def test_a_form_that_does_not_apply_is_not_found_with_a_vietnamese_reason(client, world, received, form, message):
    response = login(client, world.user(OFFICER)).get(form_url(received, form))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Không in được biểu mẫu" in body and message in body


def test_only_get(client, world, received):
    assert login(client, world.user(OFFICER)).post(form_url(received)).status_code == 405


# ---------------------------------------------------------------- the ledger


def ledger_url(agency, fmt="xlsx", **query):
    base = reverse("printing:ledger", args=[agency.pk, fmt])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_centres_officer_downloads_the_ledger_workbook(client, world, received):
    response = login(client, world.user(OFFICER)).get(ledger_url(world.centre, tu="16/11/2026", den="20/11/2026"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="so-theo-doi-001.00.06.H56-20261116-20261120.xlsx"'
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in ws.iter_rows(min_row=7, values_only=True)] == [received.code]


def test_the_ledger_as_pdf(client, world, received):
    response = login(client, world.user(OFFICER)).get(ledger_url(world.centre, "pdf", tu="16/11/2026", den="20/11/2026"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert received.code in pdftools.text(response.content)


def test_someone_with_a_role_above_the_centre_may_open_its_ledger(client, world, received):
    # The commune committee's head holds the role at the centre's parent.
    response = login(client, world.user(Role.HEAD_OF_AGENCY)).get(ledger_url(world.centre, tu="16/11/2026", den="16/11/2026"))
    assert response.status_code == 200


def test_the_ledger_of_another_unit_is_not_found(client, world, received):
    login(client, world.user(OFFICER, other=True))
    assert client.get(ledger_url(world.centre, tu="16/11/2026", den="20/11/2026")).status_code == 404
    assert client.get(reverse("printing:ledger", args=[999999, "xlsx"])).status_code == 404


def test_an_unknown_ledger_format_is_not_found(client, world):
    assert login(client, world.user(OFFICER)).get(ledger_url(world.centre, "csv")).status_code == 404


def test_a_bad_date_gets_400_saying_the_format(client, world):
    response = login(client, world.user(OFFICER)).get(ledger_url(world.centre, tu="2026-11-16", den="20/11/2026"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "dd/mm/yyyy" in body and "Từ ngày" in body


def test_the_ledger_needs_sign_in(client, world):
    response = client.get(ledger_url(world.centre))
    assert response.status_code == 302 and response["Location"].startswith(settings.LOGIN_URL)
