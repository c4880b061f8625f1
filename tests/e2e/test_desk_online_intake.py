"""Online intake: two dossiers sent from the portal wait in the one-stop queue, oldest first. The officer
opens the older one, receives it (Mẫu 01 with the promised time and the tracking QR), and asks the applicant
of the other to complete it (Mẫu 02) with a plain reason; the queue is then empty."""

import pytest

from motcua.dossiers.models import Channel, State
from motcua.org.roles import Role
from tests.e2e.desk_helpers import (
    DeskClock,
    at,
    do_action,
    fetch_pdf,
    local,
    main_text,
    pdf_text,
    print_link,
    qr_codes,
    sign_in,
    staff,
)


@pytest.fixture
def clock(monkeypatch):
    c = DeskClock()
    monkeypatch.setattr("motcua.desk.services.current_time", c)
    return c


def submitted_online(world, name, personal_id, when):
    """A dossier the applicant sent from the portal (set-up: the portal is not what is tested here)."""
    case = world.case("1.004222", "TH1")
    components = [
        {"component": c.pk, "provided": True, "digitised": True} for c in case.components.order_by("order") if c.required
    ]
    return world.new_dossier(
        channel=Channel.ONLINE, now=at(when), actor=None, case=case, components=components,
        applicant=world.applicant(name=name, personal_id=personal_id, phone="0987654321"),
    )


def test_online_dossiers_are_received_or_sent_back_for_completion(tworld, page, clock, shot, tmp_path, settings):
    settings.MOTCUA_DVCQG_SYNC = False
    officer = staff(tworld.user(Role.ONE_STOP_OFFICER), last_name="Trần Thị", first_name="Hoa")
    older = submitted_online(tworld, "Lê Thị Mai", "038190001234", "2026-11-13 20:15")  # Friday evening
    newer = submitted_online(tworld, "Hoàng Văn Nam", "038085005678", "2026-11-16 07:40")

    clock.set("2026-11-16 09:00")
    sign_in(page, officer)
    page.get_by_role("navigation").get_by_role("link", name="Chờ tiếp nhận trực tuyến").click()
    page.wait_for_url("**/mot-cua/truc-tuyen/")
    assert page.locator("h1").inner_text() == "Hồ sơ trực tuyến chờ tiếp nhận (2)"
    rows = page.locator("tbody tr")
    assert rows.nth(0).get_attribute("data-code") == older.code  # oldest first
    assert rows.nth(1).get_attribute("data-code") == newer.code
    first = rows.nth(0).inner_text()
    assert "Lê Thị Mai" in first and "Đăng ký thường trú" in first and "20:15 13/11/2026" in first
    assert rows.nth(0).locator("td.waited").inner_text().strip() != ""
    shot(page, "online-queue")

    # ---- the older one is complete: receive it
    rows.nth(0).get_by_role("link", name=older.code).click()
    page.wait_for_url(f"**/mot-cua/ho-so/{older.code}/")
    assert page.locator("dd.state").inner_text() == "Mới đăng ký, chờ tiếp nhận"
    head = main_text(page)
    assert "Trực tuyến · Trung tâm PVHCC phường Hạc Thành" in head and "Lê Thị Mai · 038190001234" in head
    summaries = page.locator("details.action summary").all_inner_texts()
    assert summaries == [
        "Tiếp nhận hồ sơ (Mẫu 01)",
        "Yêu cầu bổ sung, hoàn thiện trước khi tiếp nhận (Mẫu 02)",
        "Từ chối tiếp nhận (Mẫu 03)",
        "Rút hồ sơ theo đề nghị của người nộp",
    ]
    shot(page, "online-dossier-before")
    do_action(page, "Tiếp nhận hồ sơ (Mẫu 01)")
    assert "Đã thực hiện: Tiếp nhận hồ sơ (Mẫu 01)." in main_text(page)
    older.refresh_from_db()
    assert older.state == State.RECEIVED and older.received_at == at("2026-11-16 09:00")
    assert list(older.events.values_list("action", flat=True)) == ["submit", "receive"]
    assert older.events.get(action="receive").actor == officer
    # 7 working days from Monday 09:00, skipping the holiday on Tuesday 24/11.
    assert local(older.due_at) == "09:00 26/11/2026"
    assert page.locator("dd.state").inner_text() == "Đã tiếp nhận"
    assert page.locator("dd.due").inner_text() == "09:00 26/11/2026"
    shot(page, "online-received")

    receipt = fetch_pdf(page, print_link(page, "Mẫu 01 · Giấy tiếp nhận, hẹn trả"), tmp_path / "mau-01.pdf")
    text = pdf_text(receipt)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Lê Thị Mai" in text and older.code in text
    assert "09 giờ 00 phút, ngày 26/11/2026" in text
    assert qr_codes(receipt) == [f"{page.live_url}/tra-cuu/?ma={older.code}"]

    # ---- the newer one lacks the landlord's consent: send it back with the reason, all at once
    clock.set("2026-11-16 09:20")
    page.get_by_role("navigation").get_by_role("link", name="Chờ tiếp nhận trực tuyến").click()
    assert page.locator("h1").inner_text() == "Hồ sơ trực tuyến chờ tiếp nhận (1)"
    page.get_by_role("link", name=newer.code).click()
    page.wait_for_url(f"**/mot-cua/ho-so/{newer.code}/")
    residence = newer.case.components.order_by("order")[1].name
    reason = "Hợp đồng thuê nhà chưa có chữ ký của chủ nhà; đề nghị tải lên bản có đủ chữ ký hai bên."

    def ask(details):
        details.locator("label.check", has_text=residence).locator("input").check()
        details.locator("tr", has_text=residence).locator("textarea").fill(reason)

    do_action(page, "Yêu cầu bổ sung, hoàn thiện trước khi tiếp nhận (Mẫu 02)", ask)
    assert page.locator("dd.state").inner_text() == "Chờ hoàn thiện trước khi tiếp nhận"
    assert page.locator("dd.due").inner_text() == "—"  # nothing is promised before reception
    assert f"{residence}: {reason}" in page.locator("ol.timeline").inner_text()
    shot(page, "online-sent-back")
    newer.refresh_from_db()
    assert newer.state == State.AWAITING_COMPLETION and newer.due_at is None and newer.received_at is None
    assert newer.events.get(action="request_completion").data["items"] == [{"name": residence, "reason": reason}]

    slip = pdf_text(fetch_pdf(page, print_link(page, "Mẫu 02 · Phiếu yêu cầu bổ sung"), tmp_path / "mau-02.pdf"))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in slip
    assert "Hoàng Văn Nam" in slip and newer.code in slip and "chưa có chữ ký của chủ nhà" in slip
    # No receipt for a dossier not received.
    assert page.request.get(f"/in/ho-so/{newer.code}/mau-01.pdf").status == 404

    page.get_by_role("navigation").get_by_role("link", name="Chờ tiếp nhận trực tuyến").click()
    assert page.locator("h1").inner_text() == "Hồ sơ trực tuyến chờ tiếp nhận (0)"
    assert "Không có hồ sơ trực tuyến nào đang chờ." in main_text(page)
    shot(page, "online-queue-empty")
