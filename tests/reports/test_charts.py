"""Charts drawn on the server as SVG: the drawing functions (bars and points stand for their numbers,
labels in Vietnamese, accessible names, "Không có số liệu" when empty), and the charts of the known
November 2026 data set as the charts page and the .svg addresses serve them."""

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from motcua.org.roles import Role
from motcua.reports import charts, selectors
from tests.reports import test_statistics as known

november = known.november  # the known data set, as a fixture of this module
NS = {"s": "http://www.w3.org/2000/svg"}
NOV_QUERY = {"from": "01/11/2026", "to": "30/11/2026"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def texts(svg: ET.Element, cls: str | None = None) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iterfind(".//s:text", NS) if cls is None or cls in t.get("class", "").split()]


def bars(svg):
    return [r for r in svg.iterfind(".//s:rect", NS) if "bar" in r.get("class", "").split()]


def points(svg, series):
    return [c for c in svg.iterfind(".//s:circle", NS) if f"s{series}" in c.get("class", "").split()]


def accessible_name(svg) -> str:
    labelled = svg.get("aria-labelledby").split()
    by_id = {e.get("id"): "".join(e.itertext()) for e in svg.iter() if e.get("id")}
    return " ".join(by_id[i] for i in labelled)


# ---------------------------------------------------------------- drawing


def test_numbers_are_written_the_vietnamese_way():
    assert (charts.number(1234567), charts.number(62.5), charts.number(14.29), charts.number(40.0)) == (
        "1.234.567", "62,5", "14,29", "40")


def test_bar_lengths_are_proportional_to_the_values_and_labelled():
    svg = parse(charts.bar_chart("t", "Hồ sơ tiếp nhận theo kênh", "từ 01/11/2026 đến 30/11/2026",
                                 [("Trực tiếp", 10), ("Trực tuyến", 25), ("Qua bưu chính công ích", 5)]))
    assert svg.get("viewBox").split()[2] == "360"
    drawn = bars(svg)
    assert [float(b.get("data-value")) for b in drawn] == [10, 25, 5]
    per_unit = {round(float(b.get("width")) / float(b.get("data-value")), 3) for b in drawn}
    assert len(per_unit) == 1  # one scale for every bar
    assert texts(svg, "label") == ["Trực tiếp", "Trực tuyến", "Qua bưu chính công ích"]
    assert texts(svg, "value") == ["10", "25", "5"]
    assert "0" in texts(svg, "axis")
    # The longest bar fits: the axis reaches at least the largest value.
    assert max(float(t.replace(".", "").replace(",", ".")) for t in texts(svg, "axis")) >= 25
    assert accessible_name(svg).startswith("Hồ sơ tiếp nhận theo kênh, từ 01/11/2026 đến 30/11/2026")
    assert "Trực tuyến: 25" in accessible_name(svg)


def test_bars_below_their_target_are_marked_and_the_target_drawn_on_the_same_scale():
    svg = parse(charts.bar_chart("t", "Tỷ lệ trực tuyến so với chỉ tiêu", "", [
        ("UBND phường Hạc Thành", 14.29, 40), ("Sở Tư pháp", 35.0, 30)], unit="%", maximum=100,
        value_caption="Tỷ lệ trực tuyến (%)", target_caption="Chỉ tiêu"))
    first, second = bars(svg)
    assert first.get("class") == "bar below" and second.get("class") == "bar"
    assert "dưới chỉ tiêu 40 %" in "".join(first.itertext())
    assert "đạt chỉ tiêu 30 %" in "".join(second.itertext())
    marks = [line for line in svg.iterfind(".//s:line", NS) if line.get("class") == "target"]
    scale = float(first.get("width")) / 14.29
    x0 = float(first.get("x"))
    assert [round((float(m.get("x1")) - x0) / scale, 1) for m in marks] == [40.0, 30.0]
    assert texts(svg, "axis")[-1] == "100"  # rates are drawn on a 0–100 % scale
    assert "14,29 %" in texts(svg, "value")


def test_points_stand_at_heights_proportional_to_their_values():
    labels = ["26/10", "02/11", "09/11", "16/11"]
    svg = parse(charts.line_chart("t", "Tiếp nhận và giải quyết theo tuần", "", labels,
                                  [("Tiếp nhận", [1, 4, 2, 0]), ("Đã giải quyết", [0, 2, 3, 1])],
                                  x_caption="Tuần, tính từ thứ Hai", y_caption="Số hồ sơ"))
    received, finished = points(svg, 0), points(svg, 1)
    assert [int(p.get("data-value")) for p in received] == [1, 4, 2, 0]
    base = float(received[3].get("cy"))  # the zero
    per_unit = (base - float(received[1].get("cy"))) / 4
    for p in received + finished:
        assert abs(base - float(p.get("cy")) - per_unit * int(p.get("data-value"))) < 0.2
    xs = [float(p.get("cx")) for p in received]
    assert xs == sorted(xs) and [float(p.get("cx")) for p in finished] == xs
    assert texts(svg, "x")[:4] == labels
    assert {"Tiếp nhận", "Đã giải quyết"} <= set(texts(svg, "legend"))
    assert {"Số hồ sơ", "Tuần, tính từ thứ Hai"} <= set(texts(svg, "caption"))


def test_a_chart_with_nothing_to_draw_says_so():
    for markup in (charts.bar_chart("a", "Tỷ lệ đúng hạn theo đơn vị", "", []),
                   charts.bar_chart("b", "Tỷ lệ đúng hạn theo đơn vị", "", [("UBND", None)]),
                   charts.line_chart("c", "Tiếp nhận", "", ["02/11"], [("Tiếp nhận", [0])], x_caption="", y_caption=""),
                   charts.line_chart("d", "Tiếp nhận", "", [], [("Tiếp nhận", [])], x_caption="", y_caption="")):
        svg = parse(markup)
        assert texts(svg, "empty") == ["Không có số liệu"]
        assert not bars(svg) and not points(svg, 0)
        assert svg.find("s:title", NS) is not None and svg.find("s:desc", NS) is not None


def test_labels_are_text_not_markup():
    svg = parse(charts.bar_chart("t", "A & B", "", [('<script>alert("x")</script>', 3)]))
    assert texts(svg, "label") == ['<script>alert("x")</script>']
    assert svg.find(".//s:script", NS) is None


# ---------------------------------------------------------------- the charts of the known month


def page_svgs(response) -> dict:
    found = re.findall(r"<svg .*?</svg>", response.content.decode(), flags=re.S)
    out = {}
    for markup in found:
        svg = parse(markup)
        out[svg.get("aria-labelledby").split()[0].removesuffix("-t")] = svg
    return out


@pytest.fixture
def supervisor(client, world):
    client.force_login(world.user(Role.SUPERVISOR))
    return client


def test_the_weekly_chart_counts_what_the_statistics_count_each_week(supervisor, world, november):
    response = supervisor.get("/bao-cao/bieu-do/", NOV_QUERY)
    assert response.status_code == 200
    weekly = page_svgs(response)["hoat-dong"]
    received = [int(p.get("data-value")) for p in points(weekly, 0)]
    finished = [int(p.get("data-value")) for p in points(weekly, 1)]
    # The weeks from Monday 26/10 (the week of 01/11) to Monday 30/11; J was received on 26/10.
    assert received == [1, 4, 2, 1, 0, 0]
    user = world.user(Role.SUPERVISOR)
    for i, monday in enumerate(date(2026, 10, 26) + timedelta(weeks=k) for k in range(6)):
        week = selectors.statistics(user, monday, monday + timedelta(days=6))["total"]
        assert (received[i], finished[i]) == (week["received"], week["finished"]), monday
    assert texts(weekly, "x")[0] == "26/10" and texts(weekly, "x")[-1] == "30/11"


def test_the_unit_charts_show_the_figures_of_the_table(supervisor, world, november):
    svgs = page_svgs(supervisor.get("/bao-cao/bieu-do/", NOV_QUERY))
    [on_time] = bars(svgs["dung-han"])
    assert (float(on_time.get("data-value")), texts(svgs["dung-han"], "label")) == (62.5, ["UBND phường Hạc Thành"])
    [share] = bars(svgs["truc-tuyen"])
    assert float(share.get("data-value")) == 14.29 and share.get("class") == "bar below"
    [mark] = [m for m in svgs["truc-tuyen"].iterfind(".//s:line", NS) if m.get("class") == "target"]
    assert mark.get("data-value") == "40"  # the commune's default target
    assert [int(b.get("data-value")) for b in bars(svgs["kenh"])] == [5, 1, 1]
    assert texts(svgs["kenh"], "label") == ["Trực tiếp", "Trực tuyến", "Qua bưu chính công ích"]


def test_each_chart_has_its_own_svg_address(supervisor, world, november):
    page = supervisor.get("/bao-cao/bieu-do/", NOV_QUERY).content.decode()
    for name in ("hoat-dong", "dung-han", "kenh", "truc-tuyen"):
        url = f"/bao-cao/bieu-do/{name}.svg?from=01%2F11%2F2026&amp;to=30%2F11%2F2026"
        assert url in page
        response = supervisor.get(url.replace("&amp;", "&"))
        assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
        assert parse(response.content).get("aria-labelledby") == f"{name}-t {name}-d"
    assert supervisor.get("/bao-cao/bieu-do/khac.svg").status_code == 404
    bad = supervisor.get("/bao-cao/bieu-do/kenh.svg", {"from": "31/02/2026", "to": "30/11/2026"})
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()


def test_the_statistics_page_links_to_the_charts_of_its_period(supervisor, world, november):
    page = supervisor.get("/bao-cao/thong-ke/", NOV_QUERY).content.decode()
    assert 'href="/bao-cao/bieu-do/?from=01%2F11%2F2026&amp;to=30%2F11%2F2026"' in page
    assert "<svg" not in page  # the table page draws nothing itself


def test_an_empty_period_draws_charts_saying_there_is_no_data(supervisor, world, november):
    response = supervisor.get("/bao-cao/bieu-do/", {"year": 2020})  # before any dossier
    assert response.status_code == 200
    svgs = page_svgs(response)
    assert len(svgs) == 4
    for svg in svgs.values():
        assert texts(svg, "empty") == ["Không có số liệu"]


def test_a_year_is_drawn_by_month(supervisor, world, november):
    monthly = page_svgs(supervisor.get("/bao-cao/bieu-do/", {"year": 2026}))["hoat-dong"]
    received = [int(p.get("data-value")) for p in points(monthly, 0)]
    assert len(received) == 12 and received[9:11] == [1, 7]  # October: J; November: the other seven
    assert texts(monthly, "x")[0] == "01/2026" and texts(monthly, "x")[-1] == "12/2026"


def test_staff_of_another_commune_get_empty_charts(client, world, november):
    client.force_login(world.user(Role.HEAD_OF_AGENCY, other=True))
    for svg in page_svgs(client.get("/bao-cao/bieu-do/", NOV_QUERY)).values():
        assert texts(svg, "empty") == ["Không có số liệu"]
