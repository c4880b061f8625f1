"""The feedback measures the 766 satisfaction group and the head of unit read, on known items."""

from datetime import date

from motcua.feedback import handling, selectors
from motcua.feedback.services import rate
from motcua.org.roles import Role
from tests.factories import at
from tests.feedback.test_handling import answered, new_item
from tests.reports.test_statistics import finish, give_back, receive, to_last_step


def test_on_time_and_satisfaction_with_answers(world):
    on_time = answered(world, new_item(world, when="2026-11-20 10:00"), when="2026-11-25 09:00")
    handling.perform(on_time, "rate", data={"rating": "satisfied"}, now=at("2026-11-26 08:00"))
    answered(world, new_item(world, when="2026-11-02 10:00"), when="2026-11-20 09:00")  # due 16/11: late
    new_item(world, when="2026-11-20 11:00")  # open, due 07/12
    new_item(world, when="2026-11-03 10:00")  # open, due 17/11: overdue
    reraised = answered(world, new_item(world, when="2026-11-20 12:00"), when="2026-11-25 10:00")
    handling.perform(reraised, "rate", data={"rating": "dissatisfied"}, now=at("2026-11-26 08:00"))
    handling.perform(reraised, "reopen", data={"reason": "Chưa thỏa đáng."}, now=at("2026-11-26 09:00"))
    new_item(world, when="2026-10-30 10:00")  # October: outside the period

    m = selectors.handling_measures(date(2026, 11, 1), date(2026, 11, 30), now=at("2026-12-01 08:00"))
    assert (m.received, m.answered_on_time, m.answered_late, m.open_within, m.open_overdue) == (5, 2, 1, 1, 1)
    assert (m.satisfied, m.dissatisfied, m.reraised, m.troubled) == (1, 0, 1, 3)
    assert m.on_time_percent == 60.0  # (2 answered on time + 1 still within its limit) / 5
    assert m.satisfaction_percent == 40.0  # 5 − (late, overdue, re-raised) = 2 of 5
    other = selectors.handling_measures(date(2026, 11, 1), date(2026, 11, 30), [world.other_committee.pk])
    assert other.received == 0 and other.on_time_percent is None


def test_the_head_sees_the_dossiers_and_officers_with_most_complaints(world):
    from motcua.dossiers import services
    from motcua.feedback.services import submit_feedback

    d = world.new_dossier(now=at("2026-11-16 08:00"))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 08:05"))
    for text in ("Cán bộ hướng dẫn không rõ ràng, phải đi lại hai lần.", "Chờ quá lâu tại quầy tiếp nhận hồ sơ."):
        submit_feedback(kind="officer", text=text, dossier_code=d.code, agency=world.committee, now=at("2026-11-17 08:00"))
    result = selectors.most_complained(date(2026, 11, 1), date(2026, 11, 30), [world.committee.pk])
    assert [(row["dossier__code"], row["n"]) for row in result["dossiers"]] == [(d.code, 2)]
    [officer] = result["officers"]
    assert officer.complaints == 2 and officer.officer == world.user(Role.ONE_STOP_OFFICER).get_full_name()
    # A "Không hài lòng" rating of a dossier the same officer received counts against them too.
    rated = receive(world, "2026-11-18 08:00")
    to_last_step(world, rated, "2026-11-18 09:00")
    give_back(world, finish(world, rated, "2026-11-19 09:00"), "2026-11-19 10:00")
    rate(rated, "dissatisfied", now=at("2026-11-19 11:00"))
    [officer] = selectors.most_complained(date(2026, 11, 1), date(2026, 11, 30), [world.committee.pk])["officers"]
    assert (officer.complaints, officer.dissatisfied, officer.ratings) == (2, 1, 1)


def test_public_answers_are_found_without_accents(world):
    item = answered(world, new_item(world))
    handling.perform(item, "publish", actor=world.user(Role.HEAD_OF_AGENCY), data={
        "public_question": "Đăng ký thường trú có phải nộp bản sao giấy khai sinh không?",
        "public_answer": "Không phải nộp; thông tin được khai thác từ Cơ sở dữ liệu quốc gia về dân cư.",
    })
    new_item(world)  # not answered, not public
    assert [f.pk for f in selectors.public_answers("thuong tru khai sinh")] == [item.pk]
    assert list(selectors.public_answers("ket hon")) == []
    assert len(selectors.public_answers("")) == 1


def test_dossier_ratings_by_officer_unit_and_procedure(world, client):
    officer = world.user(Role.ONE_STOP_OFFICER).get_full_name()
    for level, when in (("dissatisfied", "2026-11-18"), ("very_satisfied", "2026-11-19"), ("satisfied", "2026-11-20")):
        d = receive(world, f"{when} 08:00")
        to_last_step(world, d, f"{when} 09:00")
        give_back(world, finish(world, d, f"{when} 10:00"), f"{when} 11:00")
        rate(d, level, now=at(f"{when} 12:00"))
    period = (date(2026, 11, 1), date(2026, 11, 30))
    [row] = selectors.ratings_by_officer(*period, [world.committee.pk])
    assert (row["label"], row["very"], row["satisfied"], row["dissatisfied"], row["share"]) == (officer, 1, 1, 1, 33.33)
    [unit] = selectors.ratings_by(*period, [world.committee.pk], "agency")
    assert (unit["label"], unit["total"], unit["share"]) == ("UBND phường Hạc Thành", 3, 33.33)
    assert selectors.ratings_by_officer(*period, [world.other_committee.pk]) == []
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    page = client.get("/bao-cao/phan-anh/?from=01/11/2026&to=30/11/2026").content.decode()
    assert 'id="by-officer"' in page and officer in page
