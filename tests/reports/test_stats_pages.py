"""The statistics page and the list of dossiers behind each figure, on the known November 2026 data set
(tests/reports/test_statistics.py): the page shows what selectors.statistics computes, every link lists
exactly that many dossiers, staff see only their units, and bad input is refused in Vietnamese."""

import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from motcua.catalog.models import Procedure
from motcua.org.models import User
from motcua.org.roles import Role
from motcua.reports import charts, selectors
from tests.reports import test_statistics as known

NOV = known.NOV
november = known.november  # the known data set, as a fixture of this module

PAGE = "/bao-cao/thong-ke/"
LIST = "/bao-cao/ho-so/"
NOV_QUERY = {"from": "01/11/2026", "to": "30/11/2026"}


class Cells(HTMLParser):
    """Reads the statistics table: per row (label, or "total"), figure → (text, link)."""

    def __init__(self):
        super().__init__()
        self.rows, self.row, self.figure, self.href, self.text, self.in_label = [], None, None, None, "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.row = {"label": "", "cells": {}, "total": "total" in (a.get("class") or "")}
        elif tag == "th" and a.get("scope") == "row":
            self.in_label = True
        elif tag == "td" and "data-figure" in a:
            self.figure, self.href, self.text = a["data-figure"], None, ""
        elif tag == "a" and self.figure:
            self.href = a["href"]

    def handle_data(self, data):
        if self.in_label:
            self.row["label"] += data
        elif self.figure and not self.text:
            self.text = data.strip()

    def handle_endtag(self, tag):
        if tag == "th" and self.in_label:
            self.in_label = False
        elif tag == "td" and self.figure:
            self.row["cells"][self.figure] = (self.text, self.href)
            self.figure = None
        elif tag == "tr" and self.row is not None:
            if self.row["cells"]:
                self.rows.append(self.row)
            self.row = None


def table(response):
    parser = Cells()
    parser.feed(response.content.decode())
    return {("total" if r["total"] else r["label"].strip()): r["cells"] for r in parser.rows}


def listed_codes(response):
    return re.findall(r'<tr data-code="([^"]+)"', response.content.decode())


def count_shown(response):
    return int(re.search(r'<strong class="count">([\d.]+)</strong>', response.content.decode())[1].replace(".", ""))


@pytest.fixture
def supervisor(client, world):
    client.force_login(world.user(Role.SUPERVISOR))
    return client


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("url", [PAGE, LIST + "?figure=received", "/bao-cao/bieu-do/", "/bao-cao/chi-tieu-truc-tuyen/"])
def test_anonymous_users_are_sent_to_sign_in(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/?next=")


def test_a_user_without_a_role_is_refused(client, world):
    client.force_login(User.objects.create_user("no-role"))
    response = client.get(PAGE)
    assert response.status_code == 403
    assert "Chưa được phân quyền" in response.content.decode()


def test_the_desk_menu_links_to_the_reports(client, world):
    client.force_login(world.user(Role.ONE_STOP_OFFICER))
    assert f'href="{PAGE}"' in client.get("/mot-cua/cua-toi/").content.decode()


# ---------------------------------------------------------------- the table


def test_the_page_shows_the_figures_of_the_statistics(supervisor, world, november):
    response = supervisor.get(PAGE, NOV_QUERY)
    assert response.status_code == 200
    cells = table(response)
    report = selectors.statistics(world.user(Role.SUPERVISOR), *NOV)
    assert set(cells) == {"UBND phường Hạc Thành", "total"}
    for key, _label, _listed in selectors.FIGURES:
        assert cells["total"][key][0] == charts.number(report["total"][key]), key
        assert cells["UBND phường Hạc Thành"][key][0] == charts.number(report["rows"][0].figures[key]), key
    # The known month, as people read it: 7 received, on time 62,5 %, online share 14,29 % of a 40 % target.
    row = cells["UBND phường Hạc Thành"]
    assert (row["received"][0], row["on_time_rate"][0], row["online_share"][0], row["online_target"][0]) == (
        "7", "62,5", "14,29", "40")
    assert "20 ngày làm việc" in response.content.decode()


def test_a_month_or_quarter_can_be_chosen_instead_of_dates(supervisor, world, november):
    by_dates = table(supervisor.get(PAGE, NOV_QUERY))
    assert table(supervisor.get(PAGE, {"month": 11, "year": 2026})) == by_dates
    quarter = table(supervisor.get(PAGE, {"quarter": 4, "year": 2026}))
    expected = selectors.statistics(world.user(Role.SUPERVISOR), date(2026, 10, 1), date(2026, 12, 31))["total"]
    assert quarter["total"]["received"][0] == str(expected["received"]) == "8"  # J came in October


def test_the_default_period_is_the_current_month(supervisor, world):
    from django.utils import timezone

    today = timezone.localdate()
    page = supervisor.get(PAGE).content.decode()
    assert f"Kỳ báo cáo từ 01/{today:%m/%Y} đến {today:%d/%m/%Y}" in page


def test_every_link_lists_as_many_dossiers_as_its_figure(supervisor, world, november):
    cells = table(supervisor.get(PAGE, NOV_QUERY))
    links = 0
    for row in cells.values():
        for key, (text, href) in row.items():
            if href is None:
                assert key not in selectors.DRILLABLE or text == "0", key
                continue
            links += 1
            response = supervisor.get(href)
            assert response.status_code == 200, href
            assert len(listed_codes(response)) == count_shown(response) == int(text), (key, href)
    assert links > 30  # both rows, every non-zero count


def test_the_list_shows_the_dossier_and_links_to_the_desk(supervisor, world, november):
    e = november["E"]
    response = supervisor.get(LIST, {"figure": "overdue", **NOV_QUERY})
    page = response.content.decode()
    assert listed_codes(response) == [e.code]
    assert f'href="/mot-cua/ho-so/{e.code}/"' in page
    assert "09/11/2026 09:05" in page and "18/11/2026 09:05" in page  # received, due
    assert e.applicant_name in page and "1.004222" in page


def test_grouping_by_field_and_procedure_links_with_that_group(supervisor, world, november):
    procedure = Procedure.objects.get(code="1.004222")
    for group, param, key, label in (("field", "field", procedure.field_id, procedure.field.name),
                                     ("procedure", "procedure", procedure.pk, f"{procedure.code} {procedure.name}")):
        cells = table(supervisor.get(PAGE, {**NOV_QUERY, "group": group}))
        text, href = cells[label]["finished"]
        assert text == "4"
        assert parse_qs(urlsplit(href).query)[param] == [str(key)]
        assert count_shown(supervisor.get(href)) == 4


def test_a_unit_filter_shows_that_unit_only(supervisor, world, november):
    own = table(supervisor.get(PAGE, {**NOV_QUERY, "agency": world.committee.pk}))
    assert own["total"]["received"][0] == "7"
    other = table(supervisor.get(PAGE, {**NOV_QUERY, "agency": world.other_committee.pk}))
    assert other["total"]["received"][0] == "0" and list(other) == ["total"]


def test_the_list_answers_the_766_cohort_measures(supervisor, world, november):
    response = supervisor.get(LIST, {"figure": "received", "measures": "c_digitised", **NOV_QUERY})
    assert listed_codes(response) == [november["B"].code]  # only the online dossier is digitised
    both = supervisor.get(LIST, {"measures": "c_digitised,received_3", **NOV_QUERY})
    assert set(listed_codes(both)) == {november["B"].code, november["C"].code}


def test_a_list_too_long_to_check_asks_to_narrow_it(supervisor, world, november, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_CHECKED", 2)
    response = supervisor.get(LIST, {"figure": "received", **NOV_QUERY})
    assert response.status_code == 200
    page = response.content.decode()
    assert "hãy chọn một đơn vị hoặc kỳ ngắn hơn" in page and not listed_codes(response)


# ---------------------------------------------------------------- scope


def test_staff_of_another_commune_see_only_their_units(client, world, november):
    client.force_login(world.user(Role.HEAD_OF_AGENCY, other=True))
    cells = table(client.get(PAGE, NOV_QUERY))
    assert list(cells) == ["total"] and cells["total"]["received"][0] == "0"
    assert client.get(LIST, {"figure": "received", **NOV_QUERY}).content.decode().count("data-code=") == 0
    # Asking for the other commune's unit by its id is refused, on both pages.
    for url in (PAGE, LIST):
        response = client.get(url, {"figure": "received", "agency": world.committee.pk, **NOV_QUERY})
        assert response.status_code == 400
        assert "nằm ngoài phạm vi của bạn" in response.content.decode()


def test_staff_of_the_commune_see_its_figures(client, world, november):
    client.force_login(world.user(Role.HEAD_OF_AGENCY))
    cells = table(client.get(PAGE, NOV_QUERY))
    assert cells["UBND phường Hạc Thành"]["received"][0] == cells["total"]["received"][0] == "7"


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("url", "query", "message"), [
    (PAGE, {"from": "30/11/2026", "to": "01/11/2026"}, "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu"),
    (PAGE, {"from": "31/02/2026", "to": "30/11/2026"}, "Ngày không hợp lệ"),
    (PAGE, {"from": "2026-11-01", "to": "30/11/2026"}, "dd/mm/yyyy"),
    (PAGE, {"from": "01/11/2026"}, "Hãy nhập cả ngày bắt đầu và ngày kết thúc"),
    (PAGE, {"month": 13, "year": 2026}, "Tháng phải từ 1 đến 12"),
    (PAGE, {"month": 11}, "Hãy chọn năm"),
    (PAGE, {**NOV_QUERY, "agency": 999999}, "nằm ngoài phạm vi của bạn"),
    (PAGE, {**NOV_QUERY, "group": "street"}, "Chỉ tổng hợp được theo đơn vị, lĩnh vực hoặc thủ tục"),
    (LIST, {"figure": "received", "from": "30/11/2026", "to": "01/11/2026"}, "Ngày kết thúc kỳ báo cáo phải sau ngày bắt đầu"),
    (LIST, {"figure": "received", "from": "31/02/2026", "to": "30/11/2026"}, "Ngày không hợp lệ"),
    (LIST, {"figure": "on_time_rate", **NOV_QUERY}, "Không có danh sách hồ sơ cho chỉ tiêu"),
    (LIST, {"figure": "bogus", **NOV_QUERY}, "Không có danh sách hồ sơ cho chỉ tiêu"),
    (LIST, {**NOV_QUERY}, "Hãy chọn chỉ tiêu"),
    (LIST, {"figure": "received", "agency": 999999, **NOV_QUERY}, "nằm ngoài phạm vi của bạn"),
    (LIST, {"figure": "received", "agency": "abc", **NOV_QUERY}, "Mã đơn vị không hợp lệ"),
    (LIST, {"figure": "received", "procedure": 999999, **NOV_QUERY}, "Thủ tục đã chọn không có"),
    (LIST, {"measures": "c_synced,c_bogus", **NOV_QUERY}, "Không có số liệu tên “c_bogus”"),
    (LIST, {"figure": "overdue", "measures": "c_synced", **NOV_QUERY}, "chỉ đi với chỉ tiêu phát sinh trong kỳ"),
])
def test_bad_input_is_refused_in_vietnamese(supervisor, world, url, query, message):
    response = supervisor.get(url, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_every_report_page_links_to_the_others(client, world):
    from motcua.org.roles import Role

    client.force_login(world.user(Role.SUPERVISOR))
    pages = ["/bao-cao/thong-ke/", "/bao-cao/bieu-do/", "/bao-cao/chi-so-766/", "/bao-cao/danh-gia-dinh-ky/",
             "/bao-cao/phan-anh/", "/bao-cao/xuat/"]
    for url in pages:
        html = client.get(url).content.decode()
        assert 'class="report-tabs"' in html, url
        for other in pages:
            assert f'href="{other}"' in html, (url, other)
