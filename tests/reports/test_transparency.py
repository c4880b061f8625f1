"""The public transparency page: per unit, this month and this year, without signing in."""

from datetime import date

import pytest
from django.core.cache import cache

from motcua.reports import transparency
from tests.reports import test_statistics

END_OF_NOVEMBER = date(2026, 11, 30)
november = test_statistics.november  # the known November 2026 dossiers


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_unit_figures_for_the_month_and_the_year(world, november):
    result = transparency.unit_figures(END_OF_NOVEMBER)
    assert result["month"] == (date(2026, 11, 1), END_OF_NOVEMBER)
    [unit] = result["units"]
    assert unit.name == "UBND phường Hạc Thành"
    m, y = unit.month, unit.year
    assert (m.received, m.finished, m.on_time_rate, m.online_share) == (7, 4, 62.5, 14.29)
    assert (m.satisfaction, m.ratings) == (0.0, 1)  # the one rating was "Không hài lòng"
    # A 1 d 1 h 55 min, B 9 d, C 10 d, J 10 d 1 h 55 min from reception to result: 7.5 days on average.
    assert m.average_days == 7.5
    assert (y.received, y.finished, y.on_time_rate) == (8, 4, 62.5)  # J was received in October


def test_the_page_is_public_and_shows_the_figures(client, world, november, monkeypatch):
    monkeypatch.setattr(transparency.timezone, "localdate", lambda: END_OF_NOVEMBER)
    page = client.get("/minh-bach/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "UBND phường Hạc Thành" in html
    assert "Tháng 11/2026" in html and "Năm 2026" in html and "30/11/2026" in html
    assert "62,5%" in html or "62.5%" in html
    assert "7,5 ngày" in html or "7.5 ngày" in html


def test_a_year_without_dossiers_says_so(client, world):
    page = client.get("/minh-bach/")
    assert page.status_code == 200
    assert "chưa có hồ sơ nào" in page.content.decode()


def test_the_figures_are_cached_for_a_few_minutes(world, november, django_assert_num_queries):
    transparency.unit_figures(END_OF_NOVEMBER)
    with django_assert_num_queries(0):
        transparency.unit_figures(END_OF_NOVEMBER)


def test_only_get_is_answered(client, world):
    assert client.post("/minh-bach/").status_code == 405


def test_the_page_answers_when_the_shared_cache_is_down(client, world, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(transparency.cache, "get", down)
    monkeypatch.setattr(transparency.cache, "set", down)
    assert client.get("/minh-bach/").status_code == 200
