"""Helpers for the citizen portal's browser journeys: a citizen who signs up with the SMS code read from
the outbox, files to upload, what a person sees on a page, and a watch on server errors."""

import re
from datetime import date

from motcua.integrations.models import ResidentRecord
from motcua.notify.models import OutboxMessage
from motcua.org.models import User
from motcua.org.services import grant_role
from tests.e2e.desk_helpers import staff

PID = "038087042028"  # Thanh Hóa, male, born 1987
NAME = "Nguyễn Văn An"
PHONE = "0912345678"
CITIZEN_PASSWORD = "Song-Ma-xanh-2026"
# Several tus chunks of 256 KB (about 800 KB), so one PATCH can be cut in the middle of the upload.
BIG_PDF = b"%PDF-1.7\n" + b"1 0 obj <<>> endobj\n" * 40000
SMALL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def resident() -> ResidentRecord:
    """The citizen in the population data: the e-form is pre-filled from it."""
    return ResidentRecord.objects.create(
        personal_id=PID, full_name=NAME, birth_date=date(1987, 3, 12), sex="nam",
        address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    )


def police_staff(world, role, last_name, first_name):
    """The commune police decide residence registrations: one person per step there."""
    user = User.objects.create_user(f"ca-{role}", last_name=last_name, first_name=first_name)
    grant_role(user=user, role=role, agency=world.police)
    return staff(user, last_name=last_name, first_name=first_name)


def text(page, selector: str = "main") -> str:
    """What a person reads in that part of the page, spaces collapsed."""
    return re.sub(r"\s+", " ", page.inner_text(selector)).strip()


def sms_code(phone: str = PHONE) -> str:
    """The six digits of the newest SMS queued for the phone (the notify outbox)."""
    message = OutboxMessage.objects.filter(channel="sms", recipient=phone).order_by("-pk").first()
    assert message is not None, "no SMS queued"
    found = re.search(r"\b(\d{6})\b", message.body)
    assert found, message.body
    return found.group(1)


def sign_up(page, *, personal_id=PID, name=NAME, phone=PHONE, password=CITIZEN_PASSWORD) -> None:
    """Fill the sign-up form as a person types it; lands on the code page."""
    page.get_by_label("Số định danh cá nhân (12 số trên thẻ căn cước)").fill(personal_id)
    page.get_by_label("Họ và tên (như trên thẻ căn cước, có dấu)").fill(name)
    page.get_by_label("Số điện thoại di động (nhận mã xác nhận)").fill(phone)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_label("Nhập lại mật khẩu").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng ký và nhận mã xác nhận").click()


def citizen_sign_in(page, *, personal_id=PID, password=CITIZEN_PASSWORD) -> None:
    page.get_by_label("Số định danh cá nhân (12 số trên thẻ căn cước)").fill(personal_id)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()


class ServerErrors:
    """Every answer of 500 or more the browser received (a journey ends with none)."""

    def __init__(self, *pages):
        self.seen: list[str] = []
        for p in pages:
            self.watch(p)

    def watch(self, page):
        page.on("response", lambda r: self.seen.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 500 else None)
        return page
