"""Finding a procedure: the search (accents, typos, everyday words), browsing, the procedure page, and
that every page stays light (≤ 60 KB compressed, nothing from other hosts, no fixed widths)."""

import gzip
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from motcua.calendar.models import CalendarOverride
from motcua.catalog.models import Case, OnlineLevel, ProcedureVersion
from motcua.portal import guide, search
from tests.factories import at

BIRTH, RESIDENCE, TEMPORARY, COMPANY, BUILDING = "1.001193", "1.004222", "1.004194", "1.000955", "1.013225"
LIMIT = 60 * 1024


def first(query):
    hits = search.search(query).hits
    return hits[0].code if hits else None


# ---------------------------------------------------------------- the search


@pytest.mark.parametrize(
    "query, code",
    [
        ("dang ky khai sinh", BIRTH),
        ("khai sinh", BIRTH),
        ("Đăng ký khai sinh", BIRTH),
        ("thuong tru", RESIDENCE),
        ("thuờng trú", RESIDENCE),  # accents half typed
        ("THƯỜNG TRÚ", RESIDENCE),
        ("khai sihn", BIRTH),  # two letters swapped
        ("thuong trus", RESIDENCE),  # one letter too many
        ("khaisinh", BIRTH),  # no space
        ("tam tru", TEMPORARY),
        ("ho khau", RESIDENCE),  # the everyday word
        ("thủ tục đăng ký khai sinh cho con như thế nào", BIRTH),
        ("1.004222", RESIDENCE),
        ("giay phep xay dung", BUILDING),
    ],
)
def test_the_right_procedure_comes_first(world, query, code):
    assert first(query) == code


def test_exact_words_rank_above_a_typo_that_also_matches(world):
    # "thong" is one edit from "thuong": the residence procedure, which has both words exactly, still leads,
    # and the temporary residence one (only "tru") comes after every procedure that matched both words.
    codes = [h.code for h in search.search("thuong tru").hits]
    assert codes[0] == RESIDENCE
    assert codes.index(TEMPORARY) > codes.index("3.000722")


def test_a_national_code_gives_that_procedure_only(world):
    assert [h.code for h in search.search(" 1.004222 ").hits] == [RESIDENCE]


def test_nonsense_finds_nothing(world):
    result = search.search("qwxz zzkq")
    assert result.hits == [] and result.problem == ""
    assert search.search("").hits == [] and search.search("  ,.;  ").hits == []


def test_a_very_long_query_is_refused_not_run(world):
    result = search.search("khai sinh " * 50)
    assert result.problem == "too_long" and result.hits == []


def test_edit_distance_counts_a_swap_as_one_edit_and_stops_at_the_limit():
    assert search.edit_distance("sihn", "sinh", 1) == 1
    assert search.edit_distance("thuong", "thong", 1) == 1
    assert search.edit_distance("khai", "khai", 1) == 0
    assert search.edit_distance("abcdef", "uvwxyz", 2) == 3  # limit + 1, not the full distance
    assert search.allowed_edits("tru") == 0 and search.allowed_edits("sinh") == 1 and search.allowed_edits("chungthuc") == 2


def test_short_words_are_not_guessed(world):
    # "trx" is one letter from "tru", but three letters are too short to guess from.
    assert search.search("trx").hits == []


def test_only_procedures_in_force_are_found_and_changes_show_at_once(world):
    assert first("dang ky khai sinh") == BIRTH
    # Closed by another process (a queryset update sends no signal): the version table's signature moves.
    ProcedureVersion.objects.filter(procedure__code=BIRTH).update(effective_to=timezone.localdate() - timedelta(days=1))
    assert BIRTH not in [h.code for h in search.search("khai sinh").hits]
    # A new version in force today brings it back under its new name.
    old = ProcedureVersion.objects.filter(procedure__code=BIRTH).first()
    procedure = old.procedure
    procedure.name = "Đăng ký khai sinh cho trẻ em"
    procedure.save()
    ProcedureVersion.objects.create(procedure=procedure, number=2, effective_from=timezone.localdate())
    assert first("khai sinh tre em") == BIRTH


def test_the_index_is_built_once_and_reused(world, monkeypatch, django_assert_max_num_queries):
    search.search("khai sinh")
    builds = []
    real = search.build_index
    monkeypatch.setattr(search, "build_index", lambda: builds.append(1) or real())
    with django_assert_max_num_queries(2):  # the signature, once per search
        search.search("thuong tru")
        search.search("ket hon")
    assert builds == []
    procedure = ProcedureVersion.objects.filter(procedure__code=BIRTH).first().procedure
    procedure.name = "Đăng ký khai sinh đúng hạn"
    procedure.save()  # a change in this process drops the index
    search.search("khai sinh")
    search.search("khai tu")
    assert builds == [1]


def test_browse_by_field_and_level(world):
    civil = {h.code for h in search.browse("HOTICH")}
    assert civil == {"1.001193", "1.000894", "1.000656"}
    assert {h.code for h in search.browse(level="province")} == {COMPANY, "1.002809"}
    fields = {f.code: f.count for f in search.fields_in_force()}
    assert fields["HOTICH"] == 3 and fields["CUTRU"] == 3 and sum(fields.values()) == 16


# ---------------------------------------------------------------- the pages


def test_home_page_starts_with_the_search_and_the_fields(client, world):
    html = client.get("/").content.decode()
    assert html.index('action="/thu-tuc/"') < html.index('href="/admin/"')
    assert 'name="q"' in html
    assert 'href="/thu-tuc/?linh-vuc=HOTICH"' in html and "Hộ tịch" in html
    assert 'href="/thu-tuc/?cap=tinh"' in html


def test_search_page_lists_the_best_match_first(client, world):
    response = client.get("/thu-tuc/", {"q": "khai sihn"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('href="/thu-tuc/1.001193/"') < html.index('href="/thu-tuc/3.000722/"')
    assert "khớp với “khai sihn”" in html


def test_nonsense_gets_a_helpful_message(client, world):
    response = client.get("/thu-tuc/", {"q": "qwxz zzkq"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Không tìm thấy thủ tục nào khớp với “qwxz zzkq”" in html
    assert "kiểm tra lại chính tả" in html and 'href="/thu-tuc/?linh-vuc=CUTRU"' in html


def test_empty_query_lists_every_procedure(client, world):
    response = client.get("/thu-tuc/", {"q": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "16 thủ tục đang áp dụng" in html and len(re.findall(r'<li><a href="/thu-tuc/\d', html)) == 16


def test_a_500_character_query_is_refused_with_what_to_do(client, world):
    response = client.get("/thu-tuc/", {"q": "a" * 500})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Từ khóa dài quá (tối đa 200 ký tự)" in html
    assert "a" * 201 not in html  # not echoed back in full


def test_browse_by_field_and_level_pages(client, world):
    html = client.get("/thu-tuc/", {"linh-vuc": "CUTRU"}).content.decode()
    assert "<h1>Đăng ký, quản lý cư trú</h1>" in html
    assert 'href="/thu-tuc/1.004222/"' in html and 'href="/thu-tuc/1.001193/"' not in html
    html = client.get("/thu-tuc/", {"cap": "tinh"}).content.decode()
    assert 'href="/thu-tuc/1.000955/"' in html and 'href="/thu-tuc/1.004222/"' not in html
    # A search within a field keeps the field.
    html = client.get("/thu-tuc/", {"q": "dang ky", "linh-vuc": "HOTICH"}).content.decode()
    assert 'href="/thu-tuc/1.001193/"' in html and 'href="/thu-tuc/1.004222/"' not in html


def test_unknown_field_or_level_is_a_400_that_says_what_to_choose(client, world):
    response = client.get("/thu-tuc/", {"linh-vuc": "KHONGCO"})
    assert response.status_code == 400
    assert "Không có lĩnh vực mã “KHONGCO”" in response.content.decode()
    response = client.get("/thu-tuc/", {"cap": "huyen"})
    assert response.status_code == 400
    assert "chỉ có thể là “tỉnh” hoặc “xã”" in response.content.decode()


def test_results_are_paged(client, world):
    html = client.get("/thu-tuc/", {"q": "dang ky"}).content.decode()
    count = int(re.search(r"(\d+) thủ tục khớp", html).group(1))
    assert count > 0
    views_per_page = 25
    assert len(re.findall(r'<li><a href="/thu-tuc/\d', html)) == min(count, views_per_page)
    assert client.get("/thu-tuc/", {"trang": "abc"}).status_code == 200  # a bad page number shows page 1


def test_procedure_page_says_what_to_bring_how_long_what_it_costs(client, world):
    response = client.get("/thu-tuc/1.004222/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Đăng ký thường trú</h1>" in html
    # every component, explained, with its counts
    assert "Tờ khai thay đổi thông tin cư trú (mẫu CT01)" in html and "1 bản chính" in html
    assert "1 bản sao có chứng thực" in html and "Giấy chứng nhận quyền sử dụng đất" in html
    assert "chỉ khi cần" in html
    # how long, in words and with a real date
    assert "7 ngày làm việc (không tính thứ Bảy, Chủ nhật và ngày nghỉ lễ)" in html
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert re.search(rf"Nếu nộp tại bộ phận một cửa hôm nay \({today}\), dự kiến có kết quả vào \d\d/\d\d/\d{{4}}, lúc \d\d:\d\d\.", html)
    # fees in đồng with dots, the online price said
    assert "20.000 đồng, nộp khi nộp hồ sơ. Nộp trực tuyến: 10.000 đồng." in html
    # where, who, online level in words, the result
    assert "Trung tâm Phục vụ hành chính công" in html and "bưu chính công ích" in html
    assert "Một phần." in html and "phải đến cơ quan ít nhất một lần" in html
    assert "Thông báo kết quả giải quyết đăng ký thường trú" in html


def test_free_procedures_say_so_plainly(client, world):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "Không mất tiền." in html and "Miễn phí, không phải nộp tiền." in html
    html = client.get("/thu-tuc/2.000908/").content.decode()  # no fee line at all
    assert "Không mất tiền.</strong> Thủ tục này không thu phí, lệ phí." in html
    html = client.get("/thu-tuc/1.000955/").content.decode()
    assert "50.000 đồng, nộp khi nộp hồ sơ. Nộp trực tuyến: miễn." in html and "Không mất tiền." not in html


def test_online_button_only_where_the_case_accepts_online(client, world):
    case = world.case(BIRTH, "TH1")
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert f'href="/nop-truc-tuyen/{case.pk}/"' in html and "Toàn trình." in html
    Case.objects.filter(pk=case.pk).update(online_level=OnlineLevel.NONE)
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert f'href="/nop-truc-tuyen/{case.pk}/"' not in html
    assert "Chưa nộp trực tuyến được" in html
    other = world.case(BIRTH, "TH2")
    assert f'href="/nop-truc-tuyen/{other.pk}/"' in html


def test_unknown_procedure_code_is_a_vietnamese_404(client, world):
    response = client.get("/thu-tuc/9.999999/")
    assert response.status_code == 404
    assert "Không có thủ tục mã “9.999999” đang áp dụng" in response.content.decode()


def test_a_procedure_no_longer_in_force_is_a_404(client, world):
    ProcedureVersion.objects.filter(procedure__code=BIRTH).update(effective_to=date(2025, 12, 31))
    assert client.get("/thu-tuc/1.001193/").status_code == 404


# ---------------------------------------------------------------- the promised date


def test_example_dates_come_from_the_calendar_and_the_cut_off(world):
    # Friday 20/11/2026: before 15:00 a same-day case is done that day; after, on Monday.
    birth = guide.procedure_guide(BIRTH, now=at("2026-11-20 14:00")).cases[0]
    assert birth.examples[0].due.date() == date(2026, 11, 20)
    birth = guide.procedure_guide(BIRTH, now=at("2026-11-20 16:00")).cases[0]
    assert birth.examples[0].due.date() == date(2026, 11, 23)
    # 7 working days from Monday 16/11 skip the weekend and 24/11 (Vietnamese Culture Day, from 2026).
    residence = guide.procedure_guide(RESIDENCE, now=at("2026-11-16 08:00")).cases[0]
    assert residence.examples[0].due.date() == date(2026, 11, 26)
    # Calendar days count the weekend.
    building = guide.procedure_guide(BUILDING, now=at("2026-11-16 09:00")).cases[0]
    assert building.examples[0].due.date() == date(2026, 12, 1)


def test_a_day_off_added_by_the_province_moves_the_example(world):
    CalendarOverride.objects.create(date=date(2026, 11, 23), kind=CalendarOverride.Kind.DAY_OFF)
    birth = guide.procedure_guide(BIRTH, now=at("2026-11-20 16:00")).cases[0]
    assert birth.examples[0].due.date() == date(2026, 11, 25)


def test_a_shorter_online_limit_gets_its_own_example(world):
    case = world.case(RESIDENCE, "TH1")
    Case.objects.filter(pk=case.pk).update(online_time_limit_unit="working_day", online_time_limit_value=3)
    residence = guide.procedure_guide(RESIDENCE, now=at("2026-11-16 08:00")).cases[0]
    assert [(e.channel_label, e.due.date()) for e in residence.examples] == [
        ("tại bộ phận một cửa", date(2026, 11, 26)),
        ("trực tuyến", date(2026, 11, 19)),
    ]
    assert residence.online_time_text.startswith("3 ngày làm việc")


# ---------------------------------------------------------------- light pages


PAGES = ["/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/?linh-vuc=HOTICH&cap=xa", "/thu-tuc/1.001193/", "/thu-tuc/3.000722/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_light_and_use_nothing_from_other_hosts(client, world, settings, url):
    settings.MOTCUA_DEMO = True  # the heaviest home page: with the demo accounts
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert "/static/portal/portal.css" in assets
    total = len(response.content)
    compressed = len(gzip.compress(response.content))
    for asset in assets:
        path = finders.find(asset.removeprefix("/static/"))
        body = Path(path).read_bytes()
        total += len(body)
        compressed += len(gzip.compress(body))
    print(f"{url}: {total:,} bytes, {compressed:,} gzip")
    assert compressed <= LIMIT
    assert "<script" not in html  # nothing to download and run
    outside = [u for u in re.findall(r'(?:src|href|action)="(https?://[^"]*|//[^"]*)"', html)]
    assert outside == []


def test_portal_css_has_no_fixed_width_wider_than_a_phone():
    css = Path(finders.find("portal/portal.css")).read_text()
    widths = [int(px) for px in re.findall(r"(?:^|[;{])\s*(?:min-)?width\s*:\s*(\d+)px", css)]
    assert all(w <= 360 for w in widths)
    assert "@import" not in css and "http" not in css
