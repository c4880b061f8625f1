"""What supervisors enter (766 inputs, evaluation scores): who may, what is refused, what counts; and the
periodic 9 × 2 evaluation computed from the November data set of test_index766 and those scores."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from motcua.org.models import User
from motcua.org.roles import Role
from motcua.org.services import grant_role
from motcua.reports import index766
from motcua.reports import services as inputs
from motcua.reports.models import EvaluationScore, IndexInput
from tests.reports.test_index766 import november  # noqa: F401  (the fixture)

D = Decimal
NOV = date(2026, 11, 1)


def enter(world, user=None, **overrides):
    fields = {"agency": world.committee, "indicator": "1.1", "month": NOV, "numerator": 3, "denominator": 4}
    return inputs.enter_index_input(user or world.user(Role.SUPERVISOR), **(fields | overrides))


def score(world, user=None, **overrides):
    fields = {"agency": world.committee, "year": 2026, "quarter": 4, "index": 5, "kind": "self", "score": "1,75"}
    return inputs.enter_evaluation_score(user or world.user(Role.SUPERVISOR), **(fields | overrides))


def unit_supervisor(world):
    user = User.objects.create_user("giam-sat-phuong")
    grant_role(user=user, role=Role.SUPERVISOR, agency=world.committee)
    return user


# ---------------------------------------------------------------- 766 inputs


def test_a_supervisor_above_the_unit_enters_and_the_row_is_returned(world):
    row = enter(world, note="Theo Quyết định công bố số 12/QĐ-UBND.")
    assert (row.agency, row.indicator, row.month, row.numerator, row.denominator) == (world.committee, "1.1", NOV, 3, 4)
    assert row.entered_by == world.user(Role.SUPERVISOR)


@pytest.mark.parametrize("who", [
    lambda w: w.user(Role.HEAD_OF_AGENCY),  # the unit's own leader
    lambda w: w.user(Role.SUPERVISOR, other=True),  # a supervisor of another commune
    unit_supervisor,  # a supervisor of the unit itself does not report its own figures
])
def test_others_may_not_enter_766_figures(world, who):
    with pytest.raises(PermissionDenied):
        enter(world, user=who(world))
    assert not IndexInput.objects.exists()


def test_a_superuser_may_enter_for_any_unit(world):
    admin = User.objects.create_superuser("quan-tri", password="x")
    assert enter(world, user=admin, agency=world.police).agency == world.police


def next_month():
    today = timezone.localdate()
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


@pytest.mark.parametrize("overrides, field, message", [
    ({"numerator": 5, "denominator": 4}, "numerator", "không được lớn hơn mẫu số"),
    ({"numerator": "-1"}, "numerator", "số nguyên không âm"),
    ({"denominator": "bốn"}, "denominator", "số nguyên không âm"),
    ({"indicator": "2.1"}, "indicator", "không nhập tay"),
    ({"month": "13/2026"}, "month", "tháng phải từ 1 đến 12"),
    ({"month": "tháng 11"}, "month", "mm/yyyy"),
    ({"month": date(2021, 12, 1)}, "month", "06/2022"),
    ({"agency": 999_999}, "agency", "Không tìm thấy đơn vị"),
    ({"note": "x" * 501}, "note", "rút gọn"),
])
def test_bad_766_inputs_are_refused_and_nothing_is_written(world, overrides, field, message):
    with pytest.raises(inputs.InputError, match=message) as caught:
        enter(world, **overrides)
    assert caught.value.field == field
    assert not IndexInput.objects.exists()


def test_a_month_still_to_come_is_refused(world):
    with pytest.raises(inputs.InputError, match="chưa đến"):
        enter(world, month=next_month())


def test_a_correction_needs_a_reason_and_keeps_the_old_row(world):
    first = enter(world)
    with pytest.raises(inputs.InputError, match="lý do sửa"):
        enter(world, numerator=4)
    second = enter(world, numerator=4, note="Đếm lại theo danh mục công bố.")
    assert IndexInput.objects.count() == 2
    [entry_new, entry_old] = index766.input_history(world.committee.pk, NOV, date(2026, 11, 30))
    assert (entry_new.row, entry_new.previous, entry_old.row, entry_old.previous) == (second, first, first, None)
    assert index766.latest_inputs(NOV, date(2026, 11, 30), None)[world.committee.pk]["1.1"] == (4, 4)


# ---------------------------------------------------------------- evaluation scores


def test_self_scores_come_from_the_unit_and_appraisals_from_above(world):
    own = unit_supervisor(world)
    assert score(world, user=own).score == D("1.75")
    with pytest.raises(PermissionDenied):
        score(world, user=own, kind="appraised")
    assert score(world, kind="appraised", score="1.5").kind == "appraised"
    with pytest.raises(PermissionDenied):
        score(world, user=world.user(Role.SUPERVISOR, other=True))
    with pytest.raises(PermissionDenied):
        score(world, user=world.user(Role.HEAD_OF_AGENCY))
    assert EvaluationScore.objects.count() == 2


@pytest.mark.parametrize("overrides, field, message", [
    ({"score": "2,5"}, "score", "từ 0 đến 2"),
    ({"score": "1,755"}, "score", "hai chữ số thập phân"),
    ({"score": "-1"}, "score", "từ 0 đến 2"),
    ({"score": "NaN"}, "score", "từ 0 đến 2"),
    ({"index": 10}, "index", "từ 1 đến 9"),
    ({"index": 1}, "index", "tính từ dữ liệu"),
    ({"index": 7}, "index", "tính từ dữ liệu"),
    ({"quarter": 5}, "quarter", "Quý phải từ 1 đến 4"),
    ({"year": 2019}, "year", "Năm phải từ"),
    ({"kind": "final"}, "kind", "loại điểm"),
])
def test_bad_scores_are_refused_and_nothing_is_written(world, overrides, field, message):
    with pytest.raises(inputs.InputError, match=message) as caught:
        score(world, **overrides)
    assert caught.value.field == field
    assert not EvaluationScore.objects.exists()


def test_a_quarter_still_to_come_is_refused(world):
    today = timezone.localdate()
    later = next_month()
    quarter = (later.month - 1) // 3 + 1
    if later.year == today.year and (today.month - 1) // 3 + 1 == quarter:
        later = date(today.year + 1, 1, 1)
        quarter = 1
    with pytest.raises(inputs.InputError):
        score(world, year=later.year, quarter=quarter)


# ---------------------------------------------------------------- the 9 × 2 table


@pytest.mark.usefixtures("november")
def test_the_evaluation_counts_data_appraisals_and_self_scores(world):
    own = unit_supervisor(world)
    score(world, user=own, index=5, score="2")
    score(world, index=5, kind="appraised", score="1,5")  # the appraisal wins over the self-score
    score(world, user=own, index=8, score="1,75")  # no appraisal yet: the self-score counts
    score(world, user=own, index=9, score="1")
    score(world, user=own, index=9, score="2", note="Sửa")  # the newest counts
    score(world, index=2, score="2", year=2025, quarter=0)  # another period
    table = index766.evaluation_table(world.user(Role.SUPERVISOR), 2026, 4)
    [unit] = [u for u in table.units if u.agency == world.committee]
    by = {i.number: i for i in unit.indices}
    # Quarter 4: J, A, B, C, D, E received (6), C and J finished late, D overdue: 3 of 6 on time → 1 point.
    assert (by[1].source, by[1].score) == ("data", D("1.00"))
    assert by[1].basis == "3/6 hồ sơ đúng hạn (50,00%)"
    # Ratings: A dissatisfied, C very satisfied → 1 of 2 → 1 point.
    assert (by[7].source, by[7].score) == ("data", D("1.00"))
    assert by[5].score == D("1.5") and by[5].self_score.score == D("2") and by[5].appraised.score == D("1.5")
    assert by[8].score == D("1.75") and by[8].appraised is None
    assert by[9].score == D("2")
    assert [by[n].score for n in (2, 3, 4, 6)] == [None] * 4  # nothing entered: counted as 0
    assert unit.total == D("7.25") and unit.grade == "Trung bình"
    assert unit.rank == 1


@pytest.mark.usefixtures("november")
def test_staff_of_another_unit_do_not_see_the_unit(world):
    table = index766.evaluation_table(world.user(Role.HEAD_OF_AGENCY, other=True), 2026, 4)
    assert world.committee not in [u.agency for u in table.units]
    with pytest.raises(PermissionError):
        index766.evaluation_table(world.user(Role.HEAD_OF_AGENCY, other=True), 2026, 4, agency_id=world.committee.pk)


def test_thanh_hoa_grades():
    grades = [index766.evaluation_grade(D(x)) for x in ("18", "15.01", "15", "12", "11.99", "9", "8.99", "6", "5.99")]
    assert grades == ["Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Khá", "Khá", "Trung bình", "Trung bình", "Yếu"]


def test_the_units_a_supervisor_may_enter_for_are_those_below(world):
    below = inputs.entry_agencies(world.user(Role.SUPERVISOR))
    assert world.committee in below and world.other_centre in below
    assert world.province_committee not in below  # their own agency is not "above" itself
    assert world.police not in below  # not under the province committee in this tree
    assert inputs.entry_agencies(world.user(Role.HEAD_OF_AGENCY)) == []
    assert inputs.entry_agencies(world.user(Role.SUPERVISOR, other=True)) == [world.other_centre]
