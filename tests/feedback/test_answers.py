"""Answer templates filled with an item's details, safely, and the preview of what the citizen reads,
which must be what the outbox then sends."""

import pytest

from motcua.feedback import answers
from motcua.feedback.models import AnswerTemplate, Feedback
from motcua.notify.models import OutboxMessage

from .test_handling import answered, new_item


@pytest.mark.parametrize(
    "body, expected",
    [
        ("Mã {ma} của {ho_ten}: {noi_dung}", "Mã {code} của Trần Thị Bình: {quote}"),
        ("{", "{"),
        ("}", "}"),
        ("{}", "{}"),
        ("{0} và {1}", "{0} và {1}"),
        ("{ten_can_bo} xin trả lời {ma}", "{ten_can_bo} xin trả lời {code}"),
        ("{{ma}}", "{{code}}"),
        ("{ma", "{ma"),
        ("ma}", "ma}"),
        ("{MA} {ho ten} {noi_dung!r}", "{MA} {ho ten} {noi_dung!r}"),
        ("%s %(ma)s {ma}", "%s %(ma)s {code}"),
        ("", ""),
    ],
)
def test_odd_braces_are_kept_and_only_the_three_placeholders_are_filled(world, body, expected):
    item = new_item(world)
    quote = answers.quote(item.text)
    assert answers.fill(body, item) == expected.replace("{code}", item.code).replace("{quote}", quote)


def test_an_anonymous_sender_is_addressed_politely(world):
    item = new_item(world, anonymous=True)
    assert answers.fill("Kính gửi {ho_ten},", item) == "Kính gửi ông/bà,"


def test_the_quote_is_short_and_on_one_line(world):
    item = new_item(world)
    item.text = "Dòng một\nDòng hai " + "rất dài " * 60
    quoted = answers.quote(item.text)
    assert "\n" not in quoted and len(quoted) <= answers.QUOTE_MAX + 1 and quoted.endswith("…")
    assert quoted.startswith("Dòng một Dòng hai")


def test_default_templates_one_per_kind_and_not_twice(world):
    assert answers.default_templates() == 3
    assert answers.default_templates() == 0
    assert sorted(AnswerTemplate.objects.values_list("kind", flat=True)) == sorted(Feedback.Kind.values)
    item = new_item(world)
    for template in AnswerTemplate.objects.all():
        filled = answers.fill(template.body, item)
        assert "{ma}" not in filled and "{ho_ten}" not in filled and item.code in filled


def test_templates_offered_are_the_enabled_ones_of_the_items_kind(world):
    answers.default_templates()
    AnswerTemplate.objects.create(kind="officer", name="Cũ", body="x", enabled=False)
    item = new_item(world)  # about an officer
    assert [t.kind for t in answers.templates_for(item)] == ["officer"]


def test_the_preview_is_what_the_outbox_sends(world):
    item = new_item(world)
    shown = answers.preview(item, "Đơn vị đã kiểm tra và nhắc nhở cán bộ tiếp nhận.")
    answered(world, item)
    mail = OutboxMessage.objects.get(channel="email")
    sms = OutboxMessage.objects.get(channel="sms")
    assert (shown.email_to, shown.email_subject, shown.email_body) == (mail.recipient, mail.subject, mail.body)
    assert (shown.sms_to, shown.sms_body) == (sms.recipient, sms.body)
    assert shown.sms_body.isascii() and not shown.no_message


def test_the_preview_for_an_anonymous_sender_sends_nothing(world):
    item = new_item(world, anonymous=True)
    shown = answers.preview(item, "Trả lời")
    assert shown.no_message and shown.email_body is None and shown.sms_body is None
    assert shown.answer == "Trả lời" and shown.agency == "UBND phường Hạc Thành"


def test_the_greeting_stays_vietnamese_whatever_the_officers_language(world):
    from django.utils import translation

    from motcua.feedback import answers
    from tests.feedback.test_handling import new_item

    item = new_item(world, anonymous=True)
    with translation.override("en"):
        assert answers.fill("Kính gửi {ho_ten},", item) == "Kính gửi ông/bà,"
