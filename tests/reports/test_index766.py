"""The Decision 766 index from a known set of dossiers entered through the services, indicator by indicator.

November 2026 at UBND phường Hạc Thành. Procedure 1.004222 (Đăng ký thường trú: partial online, a
prepaid fee of 20.000 đ, 10.000 đ online) unless said otherwise:

  J direct   received 26/10 (October), finished 05/11 late: November's backlog
  A direct   received 02/11, finished 03/11 early, returned electronically 04/11, rated "Không hài lòng",
             then a feedback (PAKN) about it (not counted twice in 5.4)
  B online   received 03/11, fee paid online, finished on time, synced to DVCQG, a feedback about it 15/11
  C direct   received 04/11 with every paper scanned, one reused and one from national data, population
             data checked; finished late, returned at the counter, rated "Rất hài lòng"
  D direct   received 09/11, still in progress, overdue from 18/11
  E online   1.001193 (Đăng ký khai sinh, fully online, no fee), received 10/11, withdrawn 11/11

Received in November 5, backlog 1: 6 to process, 3 late (C, J finished late; D overdue).

Feedback (PAKN) about the unit, handled in the feedback app: P1 sent 02/11, answered 05/11 and the sender
satisfied; P2 sent 03/11 (due 17/11) never answered; P3 sent 20/11 (due 04/12) still open.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.feedback import handling
from motcua.feedback.models import Feedback
from motcua.feedback.services import rate, submit_feedback
from motcua.org.roles import Role
from motcua.reports import facts, index766, selectors
from motcua.reports import services as inputs
from tests.factories import at
from tests.reports.test_statistics import act, finish, to_last_step

NOV = (date(2026, 11, 1), date(2026, 11, 30))
D = Decimal


def receive(world, when, channel=1, case=None, **data):
    actor = None if channel == 2 else world.user(Role.ONE_STOP_OFFICER)
    d = world.new_dossier(now=at(when), channel=channel, actor=actor, case=case)
    return act(world, d, "receive", at(when) + timedelta(minutes=5), Role.ONE_STOP_OFFICER, **data)


def mark_synced(d):
    # What integrations/dvcqg.py does when the national portal first accepts the dossier.
    from django.utils import timezone

    Dossier.objects.filter(pk=d.pk).update(synced_at=timezone.now(), sync_state="synced")
    facts.record_attribute_change(d.pk, synced=False)


@pytest.fixture
def november(world):
    made = {}
    made["J"] = j = receive(world, "2026-10-26 08:00")
    to_last_step(world, j, "2026-10-27 08:00")
    made["A"] = a = receive(world, "2026-11-02 08:00")
    to_last_step(world, a, "2026-11-02 09:00")
    finish(world, a, "2026-11-03 10:00")
    act(world, a, "return_result", "2026-11-04 10:00", Role.ONE_STOP_OFFICER, method="electronic")
    rate(a, "dissatisfied", "Phải chờ lâu.", now=at("2026-11-04 11:00"))
    submit_feedback(kind="officer", text="Cán bộ hướng dẫn chưa rõ ràng.", dossier_code=a.code,
                    now=at("2026-11-05 09:00"))

    made["B"] = b = receive(world, "2026-11-03 08:00", channel=2)
    fee = sum(f.amount for f in services.unpaid_prepaid_fees(b))
    assert fee == 10_000  # the online amount
    services.record_fee_payment(b, reference="PAY-B-1", amount=fee, now=at("2026-11-03 08:30"))
    to_last_step(world, b, "2026-11-03 09:00")
    b.refresh_from_db()
    finish(world, b, b.due_at)
    mark_synced(b)
    submit_feedback(kind="regulation", text="Đề nghị rút ngắn thời gian giải quyết.", dossier_code=b.code,
                    now=at("2026-11-15 09:00"))

    case = world.case()
    [paper] = [c for c in case.components.all() if c.national_data]
    others = [c for c in case.components.all() if not c.national_data]
    made["C"] = c = world.new_dossier(now=at("2026-11-04 08:00"), population_verified=True)
    comps = [{"component": paper.pk, "provided": False, "from_national_data": True}]
    comps += [{"component": o.pk, "provided": True, "digitised": True, "reused": i == 0} for i, o in enumerate(others)]
    act(world, c, "receive", "2026-11-04 08:05", Role.ONE_STOP_OFFICER, components=comps)
    to_last_step(world, c, "2026-11-04 09:00")
    finish(world, c, c.due_at + timedelta(days=1))
    act(world, c, "return_result", c.finished_at + timedelta(hours=1), Role.ONE_STOP_OFFICER, method="counter")
    rate(c, "very_satisfied", now=c.finished_at + timedelta(hours=2))

    finish(world, j, "2026-11-05 10:00")
    made["D"] = receive(world, "2026-11-09 09:00")
    made["E"] = e = receive(world, "2026-11-10 08:00", channel=2, case=world.case("1.001193"))
    act(world, e, "withdraw", "2026-11-11 10:00", Role.ONE_STOP_OFFICER, reason="Công dân xin rút.")

    def pakn(when):
        code = submit_feedback(kind="officer", text="Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
                               agency=world.committee, now=at(when))
        return Feedback.objects.get(code=code)

    made["P1"] = p1 = pakn("2026-11-02 10:00")
    for action, role, data in [
        ("assign", Role.HEAD_OF_AGENCY, {"assignee": world.user(Role.SPECIALIST).pk}),
        ("draft", Role.SPECIALIST, {"answer": "Đơn vị đã kiểm tra và nhắc nhở cán bộ."}),
        ("approve", Role.HEAD_OF_AGENCY, {}),
        ("answer", Role.CLERK, {}),
    ]:
        handling.perform(p1, action, actor=world.user(role), data=data, now=at("2026-11-05 09:00"))
    handling.perform(p1, "rate", data={"rating": "satisfied"}, now=at("2026-11-06 08:00"))
    made["P2"] = pakn("2026-11-03 10:00")
    made["P3"] = pakn("2026-11-20 10:00")
    return made


@pytest.fixture
def entered(world, november):
    supervisor = world.user(Role.SUPERVISOR)
    unit = world.committee
    inputs.enter_index_input(supervisor, agency=unit, indicator="1.1", month=date(2026, 11, 1), numerator=3, denominator=4)
    inputs.enter_index_input(supervisor, agency=unit, indicator="1.1", month="11/2026", numerator=4, denominator=4,
                             note="Bổ sung quyết định công bố ngày 20/11.")
    inputs.enter_index_input(supervisor, agency=unit, indicator="1.2", month=date(2026, 11, 1), numerator=2, denominator=2)
    inputs.enter_index_input(supervisor, agency=unit, indicator="1.1", month=date(2026, 10, 1), numerator=0, denominator=5)
    inputs.enter_index_input(supervisor, agency=world.other_committee, indicator="1.1", month=date(2026, 11, 1),
                             numerator=6, denominator=6)


def unit_of(table, agency):
    return next(u for u in table.units if u.agency.pk == agency.pk)


def figures(unit):
    return {i.code: (i.numerator, i.denominator, i.points) for i in unit.indicators}


def test_every_indicator_of_the_unit(world, november, entered):
    table = index766.index_table(world.user(Role.SUPERVISOR), *NOV)
    unit = unit_of(table, world.committee)
    got = figures(unit)
    expected = {
        "1.1": (4, 4, D("6.00")),  # the corrected November row counts; October's is outside the period
        "1.2": (2, 2, D("4.00")),
        "1.3": (0, 0, None),  # not entered: left out of the total, not counted as zero
        "1.4": (1, 5, D("1.20")),  # B synced of 5 received
        "2.1": (3, 6, D("10.00")),  # 6 to process (5 + J), 3 late
        "3.x": (1, 1, D("12.00")),  # E is the only dossier of a fully online procedure, and it came online
        # 1.004222, 2.000815, 2.000884, 1.013225 have fees; the last one is collected afterwards (not online)
        "3.5": (3, 4, D("1.88")),  # 75 % of a target of 80 %: 2 × 75 / 80
        "3.5b": (1, 4, D("0.50")),  # only 1.004222 had a payment online
        "3.6": (1, 4, D("1.50")),  # B paid online; A, B, C, D carry a fee
        "5.2": (2, 3, D("4.00")),  # P1 answered on time, P3 within its limit; P2 overdue
        "5.3": (2, 3, D("4.00")),  # P2 is late
        "5.4": (None, None, D("0.67")),
        "4.1": (1, 5, D("1.20")),  # A's electronic result
        "4.2": (3, 5, D("3.00")),  # B and E were online, C was scanned: 60 % of a target of 80 %
        "4.x": (0, 0, None),
        "4.3": (1, 5, D("0.50")),
        "4.4": (2, 5, D("1.60")),  # A's e-result, C's paper from national data
        # the unit's procedures: the 9 of a commune committee in the seed and 1.004222 it received;
        # 6 of them have a paper that can come from national data
        "4.5a": (6, 10, D("1.20")),
        "4.5b": (1, 5, D("0.40")),
    }
    assert {k: got[k] for k in expected} == expected
    assert got["2.2"][1] == 4  # A, B, C and J finished in November: monitoring only, no points
    assert got["2.2"][2] is None
    five4 = unit.indicator("5.4")
    # 100 % − (3 late of 6 = 50 % + (A dissatisfied + B's feedback) 2 of 5 = 40 %) = 10 %; 6 × 10 / 90
    assert five4.percent == D("10.00")
    assert [(p.numerator, p.denominator) for p in five4.parts] == [(2, 6), (1, 6), (1, 5), (1, 5)]


def test_groups_add_up_and_the_total_is_on_100_points(world, november, entered):
    unit = unit_of(index766.index_table(world.user(Role.SUPERVISOR), *NOV), world.committee)
    assert [(g.code, g.max_points) for g in unit.groups] == [("1", 18), ("2", 20), ("3", 12), ("4", 10), ("5", 18), ("6", 22)]
    for g in unit.groups:
        assert sum(i.max_points for i in g.indicators) == g.max_points
        assert g.points == sum(i.points for i in g.indicators if i.points is not None)
    assert [g.points for g in unit.groups] == [D("11.20"), D("10.00"), D("12.00"), D("3.88"), D("8.67"), D("7.90")]
    # 1.3 and 4.x were not entered: 100 − 2 − 2 = 96 points apply
    assert unit.applicable_max == 96
    assert unit.points == D("53.65")
    assert unit.total == D("55.89")  # 53.65 × 100 / 96
    assert unit.grade == "Trung bình"


def test_units_are_ranked_and_the_total_row_adds_them(world, november, entered):
    table = index766.index_table(world.user(Role.SUPERVISOR), *NOV)
    other = unit_of(table, world.other_committee)
    # No dossiers: only 1.1 (6/6), 3.5 (2 of 3 fee procedures online), 3.5b (0 of 3), 4.5a (5 of 9) apply.
    assert other.points == D("8.78") and other.applicable_max == 12
    assert other.total == D("73.17") and other.grade == "Khá"
    assert [(u.agency.name, u.rank) for u in table.units] == [
        ("UBND phường Hàm Rồng", 1), ("UBND phường Hạc Thành", 2),
    ]
    total = table.province
    assert total.agency is None
    assert total.indicator("1.1").numerator == 10 and total.indicator("1.1").denominator == 10
    assert total.indicator("1.4").denominator == 5


def test_staff_see_only_their_unit(world, november, entered):
    own = index766.index_table(world.user(Role.HEAD_OF_AGENCY), *NOV)
    assert [u.agency for u in own.units] == [world.committee]
    other = index766.index_table(world.user(Role.HEAD_OF_AGENCY, other=True), *NOV)
    assert [u.agency for u in other.units] == [world.other_committee]
    with pytest.raises(PermissionError):
        index766.unit_index(world.user(Role.HEAD_OF_AGENCY, other=True), world.committee.pk, *NOV)


def test_every_data_numerator_lists_exactly_its_dossiers(world, november, entered):
    supervisor = world.user(Role.SUPERVISOR)
    _, unit = index766.unit_index(supervisor, world.committee.pk, *NOV)
    names = {d.pk: name for name, d in november.items() if isinstance(d, Dossier)}
    checked = {}
    for i in unit.indicators:
        if i.measures:
            listed = selectors.dossiers_behind(supervisor, i.figure, *NOV, agency_id=world.committee.pk, measures=i.measures)
            assert len(listed) == i.numerator, i.code
            checked[i.code] = {names[pk] for pk in listed}
    assert checked == {
        "1.4": {"B"}, "3.x": {"E"}, "3.6": {"B"}, "4.1": {"A"}, "4.2": {"B", "C", "E"}, "4.3": {"C"},
        "4.4": {"A", "C"}, "4.5b": {"C"},
    }
    late = {p.figure: p for p in unit.indicator("2.1").parts}
    assert {names[pk] for pk in selectors.dossiers_behind(supervisor, "finished_late", *NOV)} == {"C", "J"}
    assert late["finished_late"].numerator == 2 and late["overdue"].numerator == 1


def test_feedback_figures_agree_with_the_feedback_app(world, november):
    from motcua.feedback.selectors import handling_measures

    unit = unit_of(index766.index_table(world.user(Role.SUPERVISOR), *NOV), world.committee)
    m = handling_measures(*NOV, [world.committee.pk])
    assert unit.indicator("5.2").percent == D(str(m.on_time_percent)).quantize(D("0.01"))
    assert unit.indicator("5.3").percent == D(str(m.satisfaction_percent)).quantize(D("0.01"))


def test_a_shorter_period_counts_only_its_inputs_months_and_dossiers(world, november, entered):
    table = index766.index_table(world.user(Role.SUPERVISOR), date(2026, 10, 1), date(2026, 10, 31))
    unit = unit_of(table, world.committee)
    assert figures(unit)["1.1"] == (0, 5, D("0.00"))
    assert figures(unit)["1.4"][:2] == (0, 1)  # J, received in October, never synced


def test_a_unit_with_nothing_in_the_period_still_has_a_detail(world):
    _, unit = index766.unit_index(world.user(Role.SUPERVISOR), world.other_centre.pk, *NOV)
    assert unit.rank is None
    assert unit.indicator("2.1").points is None and unit.indicator("2.1").percent is None


def test_points_rule():
    from fractions import Fraction

    assert index766.points_for(Fraction(1, 2), 6, None) == D("3.00")
    assert index766.points_for(Fraction(85, 100), 4, 80) == D("4.00")
    assert index766.points_for(Fraction(40, 100), 4, 80) == D("2.00")
    assert index766.points_for(Fraction(3, 2), 6, None) == D("6.00")  # never above the maximum


def test_grades():
    assert [index766.grade_for(D(x)) for x in ("95", "90", "89.99", "80", "65", "64.99", "50", "49.99")] == [
        "Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Khá", "Trung bình", "Trung bình", "Yếu",
    ]


def test_a_period_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(ValueError, match="Ngày kết thúc"):
        index766.index_table(world.user(Role.SUPERVISOR), date(2026, 11, 30), date(2026, 11, 1))


@pytest.mark.parametrize("params, message", [
    ({"from": "31/11/2026", "to": "30/12/2026"}, "không hợp lệ"),
    ({"from": "2026-11-01", "to": "30/11/2026"}, "dd/mm/yyyy"),
    ({"from": "10/11/2026"}, "cả ngày bắt đầu và ngày kết thúc"),
    ({"from": "10/11/2026", "to": "01/11/2026"}, "Ngày kết thúc"),
    ({"year": "abc"}, "Năm phải là số"),
    ({"year": "2026", "quarter": "5"}, "Quý phải là số từ 1 đến 4"),
    ({"year": "2026", "month": "13"}, "Tháng phải là số từ 1 đến 12"),
    ({"year": "2026", "month": "11", "quarter": "4"}, "không chọn cả hai"),
    ({"from": "01/12/2026", "to": "31/12/2026"}, "sau hôm nay"),
])
def test_bad_periods_are_explained(params, message):
    with pytest.raises(ValueError, match=message):
        index766.parse_period(params, today=date(2026, 11, 21))


def test_periods_from_the_picker():
    today = date(2026, 11, 21)
    assert index766.parse_period({"year": "2026", "quarter": "3"}, today) == (date(2026, 7, 1), date(2026, 9, 30))
    assert index766.parse_period({"year": "2024", "month": "2"}, today) == (date(2024, 2, 1), date(2024, 2, 29))
    assert index766.parse_period({"year": "2025"}, today) == (date(2025, 1, 1), date(2025, 12, 31))
    # the current year and quarter stop today
    assert index766.parse_period({}, today) == (date(2026, 1, 1), today)
    assert index766.parse_period({"year": "2026", "quarter": "4"}, today) == (date(2026, 10, 1), today)
    assert index766.parse_period({"from": "05/10/2026", "to": "20/11/2026"}, today) == (date(2026, 10, 5), date(2026, 11, 20))


def test_the_table_reads_a_handful_of_queries_whatever_the_number_of_units(world, november, entered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    supervisor = world.user(Role.SUPERVISOR)
    with CaptureQueriesContext(connection) as first:
        index766.index_table(supervisor, *NOV)
    # A dossier at another unit adds a unit to the table, not a query.
    other = world.new_dossier(now=at("2026-11-12 08:00"), receiving_agency=world.other_centre,
                              competent_agency=world.other_committee, actor=world.user(Role.ONE_STOP_OFFICER, other=True))
    services.perform(other, "receive", actor=world.user(Role.ONE_STOP_OFFICER, other=True), now=at("2026-11-12 08:05"))
    with CaptureQueriesContext(connection) as second:
        table = index766.index_table(supervisor, *NOV)
    assert unit_of(table, world.other_committee).indicator("1.4").denominator == 1
    assert len(second.captured_queries) == len(first.captured_queries) <= 12


def test_feedback_without_a_unit_is_in_no_units_766_measures(world):
    """5.2 and 5.3 count the feedback about a unit; an item not yet given a unit is in no unit's measures,
    and the feedback page's figures (feedback.selectors.handling_measures, all units) follow the same rule."""
    from motcua.feedback.selectors import handling_measures
    from tests.feedback.test_handling import new_item

    new_item(world, when="2026-11-20 10:00")
    new_item(world, agency=None, when="2026-11-20 11:00")
    m = handling_measures(*NOV, now=at("2026-11-21 08:00"))
    assert m.received == 1
    unit = unit_of(index766.index_table(world.user(Role.SUPERVISOR), *NOV), world.committee)
    assert unit.indicator("5.2").percent == D(str(m.on_time_percent)).quantize(D("0.01"))
