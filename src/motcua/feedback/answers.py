"""Answers in plain language: filling an answer template with the item's details, and a preview of what
the citizen will read (the e-mail, the SMS and the public follow page) before the answer is sent.

Templates use three placeholders: {ma} (the item's code), {ho_ten} (the sender's name, or "ông/bà" when
anonymous) and {noi_dung} (a short quote of what they wrote). Anything else in braces ("{", "}", "{0}",
"{ten_khac}") is kept exactly as written: a template typed by an officer must never break the page.

The e-mail and SMS texts are the ones feedback/handling.py queues when the answer is sent
(tests/feedback/test_answers.py checks that the preview and the outbox say the same thing).
"""

import re
from dataclasses import dataclass

from motcua.notify.text import without_diacritics

from .models import AnswerTemplate, Feedback

PLACEHOLDER = re.compile(r"\{(ma|ho_ten|noi_dung)\}")
QUOTE_MAX = 200


def quote(text: str, limit: int = QUOTE_MAX) -> str:
    """The start of what the sender wrote, on one line, cut at a word with "…" when longer than `limit`."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(" ,;:.") + "…"


def placeholders(item: Feedback) -> dict[str, str]:
    return {
        "ma": item.code,
        # The answer to a citizen is a Vietnamese letter whatever the officer's page language.
        "ho_ten": item.contact_name.strip() or "ông/bà",
        "noi_dung": quote(item.text),
    }


def fill(body: str, item: Feedback) -> str:
    """`body` with {ma}, {ho_ten} and {noi_dung} replaced; every other brace left as it is."""
    values = placeholders(item)
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], body or "")


def templates_for(item: Feedback):
    """The enabled answer templates for the item's kind."""
    return AnswerTemplate.objects.filter(kind=item.kind, enabled=True).order_by("name", "pk")


# ---------------------------------------------------------------- what the citizen will read


def follow_path(item: Feedback) -> str:
    return f"/danh-gia/phan-anh/{item.code}/"


def email_subject(item: Feedback) -> str:
    return f"Trả lời phản ánh, kiến nghị {item.code}"


def email_body(item: Feedback, answer: str) -> str:
    return (
        f"Kính gửi {item.contact_name or 'ông/bà'},\n\n{answer}\n\n"
        f"Ông/bà có thể đánh giá trả lời tại trang theo dõi phản ánh: {follow_path(item)}"
    )


def sms_body(item: Feedback) -> str:
    return without_diacritics(f"Phản ánh {item.code} đã được trả lời. Xem và đánh giá tại {follow_path(item)}")


@dataclass
class Preview:
    """What the sender will read once the answer is sent; email/sms are None when not sent that way."""

    answer: str
    agency: str
    email_to: str | None
    email_subject: str | None
    email_body: str | None
    sms_to: str | None
    sms_body: str | None

    @property
    def no_message(self) -> bool:
        return self.email_to is None and self.sms_to is None


def preview(item: Feedback, answer: str) -> Preview:
    """The e-mail (in full), the SMS (a notice without diacritics) and the follow page's answer, as the
    sender will see them. An anonymous sender gets no message: only the follow page shows the answer."""
    answer = (answer or "").strip()
    email = item.contact_email or None
    phone = item.contact_phone or None
    return Preview(
        answer=answer,
        agency=item.agency.name if item.agency_id else "",
        email_to=email,
        email_subject=email_subject(item) if email else None,
        email_body=email_body(item, answer) if email else None,
        sms_to=phone,
        sms_body=sms_body(item) if phone else None,
    )


# ---------------------------------------------------------------- default templates

DEFAULTS = {
    Feedback.Kind.REGULATION: (
        "Trả lời về quy định, thủ tục",
        "Kính gửi {ho_ten},\n\n"
        "Chúng tôi đã nhận phản ánh, kiến nghị mã {ma} của ông/bà: “{noi_dung}”.\n\n"
        "Về việc này, quy định hiện hành như sau: [nêu quy định, văn bản và điều khoản, viết ngắn gọn, dễ hiểu].\n"
        "Ông/bà cần làm: [các bước ông/bà cần làm, giấy tờ cần có, nơi nộp].\n\n"
        "Nếu còn vướng mắc, ông/bà liên hệ bộ phận một cửa trong giờ hành chính để được hướng dẫn.\n"
        "Trân trọng cảm ơn ông/bà.",
    ),
    Feedback.Kind.OFFICER: (
        "Trả lời về thái độ, hành vi của cán bộ",
        "Kính gửi {ho_ten},\n\n"
        "Chúng tôi đã nhận phản ánh mã {ma} của ông/bà về cán bộ, công chức: “{noi_dung}”.\n\n"
        "Đơn vị đã kiểm tra sự việc. Kết quả: [nêu ngắn gọn kết quả kiểm tra].\n"
        "Biện pháp đã thực hiện: [nhắc nhở, kiểm điểm, điều chỉnh cách làm việc…].\n\n"
        "Chúng tôi xin lỗi ông/bà về sự phiền hà (nếu có) và cảm ơn ông/bà đã giúp chúng tôi phục vụ tốt hơn.",
    ),
    Feedback.Kind.OTHER: (
        "Trả lời nội dung khác",
        "Kính gửi {ho_ten},\n\n"
        "Chúng tôi đã nhận phản ánh, kiến nghị mã {ma} của ông/bà: “{noi_dung}”.\n\n"
        "Về nội dung này, chúng tôi xin trả lời như sau: [nội dung trả lời].\n\n"
        "Trân trọng cảm ơn ông/bà.",
    ),
}


def default_templates() -> int:
    """One plain-language template for each kind that has none yet; returns how many were created.
    Safe to run again (the demo seed calls it every time)."""
    made = 0
    for kind, (name, body) in DEFAULTS.items():
        if not AnswerTemplate.objects.filter(kind=kind).exists():
            AnswerTemplate.objects.create(kind=kind, name=name, body=body)
            made += 1
    return made
