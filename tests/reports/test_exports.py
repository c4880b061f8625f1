"""Exports built from the November 2026 data set of test_statistics: the spreadsheets hold the same figures
as the statistics pages, the PDF reads like an official report, and jobs run queued → done or fail with
a message the user can quote."""

import io
import logging
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from motcua.org.models import User
from motcua.org.roles import Role
from motcua.printing import services as printing
from motcua.reports import exports, jobs, selectors
from motcua.reports.models import ExportJob
from tests.reports import test_statistics

NOV = test_statistics.NOV
november = test_statistics.november  # the known November 2026 data set (a fixture)

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def sheet_rows(content: bytes, sheet=None):
    wb = load_workbook(io.BytesIO(content))
    ws = wb[sheet] if sheet else wb.worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def pdf_text(content: bytes) -> str:
    assert shutil.which("pdftotext"), "poppler-utils is needed to read the PDF"
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()


def table(rows):
    """Header row (the one starting with STT) and the rows under it."""
    head = next(i for i, r in enumerate(rows) if r[0] == "STT")
    return rows[head], rows[head + 1:]


# ---------------------------------------------------------------- spreadsheets


def test_statistics_sheet_holds_the_figures_of_the_statistics_page(world, november):
    supervisor = world.user(Role.SUPERVISOR)
    content = exports.statistics_xlsx(supervisor, *NOV)
    rows = sheet_rows(content)
    assert rows[1][0] == "THỐNG KÊ TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert rows[2][0] == "Từ ngày 01/11/2026 đến ngày 30/11/2026"
    header, body = table(rows)
    assert header[:6] == ["STT", "Đơn vị", "Tiếp nhận trực tiếp", "Tiếp nhận trực tuyến", "Tiếp nhận qua bưu chính",
                          "Tổng tiếp nhận trong kỳ"]
    keys = [k for k, _label, _listed in selectors.FIGURES]
    assert header[2:] == [label for _k, label, _listed in selectors.FIGURES]
    report = selectors.statistics(supervisor, *NOV)
    [unit, total] = body
    assert unit[1] == "UBND phường Hạc Thành"
    assert dict(zip(keys, unit[2:], strict=True)) == {k: report["rows"][0].figures[k] for k in keys}
    assert total[1] == "Tổng cộng"
    got = dict(zip(keys, total[2:], strict=True))
    assert got == {k: report["total"][k] for k in keys}
    # The known month, figure by figure (see test_statistics): not just "equal to itself".
    assert (got["received"], got["backlog"], got["finished_late"], got["overdue"], got["on_time_rate"]) == (7, 1, 2, 1, 62.5)


def test_statistics_sheet_by_field_and_for_a_unit_outside_ones_scope(world, november):
    by_field = sheet_rows(exports.statistics_xlsx(world.user(Role.SUPERVISOR), *NOV, group_by="field"))
    header, body = table(by_field)
    assert header[1] == "Lĩnh vực"
    expected = selectors.statistics(world.user(Role.SUPERVISOR), *NOV, group_by="field")
    assert [r[1] for r in body[:-1]] == [r.label for r in expected["rows"]]
    other = sheet_rows(exports.statistics_xlsx(world.user(Role.HEAD_OF_AGENCY, other=True), *NOV))
    _header, body = table(other)
    assert len(body) == 1 and body[0][1] == "Tổng cộng" and body[0][5] == 0  # nothing of another unit


def test_ledger_sheet_is_the_desk_ledger(world, november):
    officer = world.user(Role.ONE_STOP_OFFICER)
    content = exports.ledger_xlsx(officer, world.centre, *NOV)
    rows = sheet_rows(content)
    codes = [r[1] for r in rows[6:] if r[1]]
    expected = [r.code for r in printing.ledger_rows(officer, world.centre, *NOV)]
    assert codes == expected
    assert {november[x].code for x in "ABCDEFI"} == set(codes)  # received in November (not J, G, H)


def test_summary_pdf_reads_like_an_official_report(world, november):
    text = pdf_text(exports.summary_pdf(world.user(Role.SUPERVISOR), *NOV, with_index=False))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in text
    assert "UBND TỈNH THANH HÓA" in text.upper()
    lines = {" ".join(line.split()) for line in text.splitlines()}
    assert any(line.endswith("Tổng số hồ sơ tiếp nhận trong kỳ 7") for line in lines), text
    assert any(line.endswith("Số hồ sơ đang giải quyết, quá hạn 1") for line in lines), text
    assert any(line.endswith("Tỷ lệ giải quyết đúng hạn (%) 62,50") for line in lines), text
    assert any(line.endswith("Tỷ lệ hồ sơ trực tuyến (%) 14,29") for line in lines), text
    unit_line = next(line for line in lines if line.startswith("1 UBND phường Hạc Thành"))
    assert unit_line.split()[-8:] == ["7", "1", "4", "2", "1", "1", "62,50", "14,29"]


def test_numbers_are_written_the_vietnamese_way():
    assert (exports.number(1234567), exports.number(62.5, 2), exports.number(None)) == ("1.234.567", "62,50", "–")


# ---------------------------------------------------------------- jobs


def run_now(django_capture_on_commit_callbacks, user, data):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_export(user, data)
    job.refresh_from_db()
    return job


def test_a_job_goes_from_queued_to_done_with_its_file(world, november, django_capture_on_commit_callbacks, monkeypatch):
    seen = []
    real = jobs._set_progress

    def watch(pk, percent):
        real(pk, percent)
        seen.append((ExportJob.objects.get(pk=pk).state, ExportJob.objects.get(pk=pk).progress))

    monkeypatch.setattr(jobs, "_set_progress", watch)
    supervisor = world.user(Role.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.start_export(supervisor, {"loai": "statistics", "tu": "01/11/2026", "den": "30/11/2026"})
    assert (job.state, job.progress, job.file.name) == ("queued", 0, "")
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert (job.state, job.progress, job.error) == ("done", 100, "")
    assert job.finished_at is not None
    assert job.filename == "thong-ke-agency-20261101-20261130.xlsx"
    assert seen and all(state == "running" for state, _p in seen)
    assert [p for _s, p in seen] == sorted(p for _s, p in seen) and seen[-1][1] < 100
    with job.file.open("rb") as f:
        _header, body = table(sheet_rows(f.read()))
    assert body[-1][5] == 7


def test_the_summary_job_makes_a_pdf(world, november, django_capture_on_commit_callbacks):
    job = run_now(django_capture_on_commit_callbacks, world.user(Role.SUPERVISOR),
                  {"loai": "summary", "tu": "01/11/2026", "den": "30/11/2026"})
    assert job.state == "done" and job.filename == "bao-cao-tong-hop-20261101-20261130.pdf"
    with job.file.open("rb") as f:
        assert "BÁO CÁO TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in pdf_text(f.read())


def test_the_ledger_job_needs_a_unit_the_user_may_see(world, november, django_capture_on_commit_callbacks):
    officer = world.user(Role.ONE_STOP_OFFICER)
    with pytest.raises(jobs.ExportRefused, match="Hãy chọn đơn vị"):
        jobs.start_export(officer, {"loai": "ledger", "tu": "01/11/2026", "den": "30/11/2026"})
    with pytest.raises(jobs.ExportRefused, match="Không tìm thấy đơn vị"):
        jobs.start_export(officer, {"loai": "ledger", "tu": "01/11/2026", "den": "30/11/2026",
                                    "don_vi": world.other_centre.pk})
    job = run_now(django_capture_on_commit_callbacks, officer,
                  {"loai": "ledger", "tu": "01/11/2026", "den": "30/11/2026", "don_vi": str(world.centre.pk)})
    assert job.state == "done" and job.filename == f"so-theo-doi-{world.centre.identifier_code}-20261101-20261130.xlsx"


def test_a_failing_builder_marks_the_job_failed_with_an_error_id(world, django_capture_on_commit_callbacks,
                                                                  monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(exports, "statistics_xlsx", broken)
    with caplog.at_level(logging.ERROR, logger="motcua.reports.jobs"):
        job = run_now(django_capture_on_commit_callbacks, world.user(Role.SUPERVISOR), {"loai": "statistics"})
    assert job.state == "failed" and not job.file
    assert "Không tạo được tệp vì một lỗi của hệ thống (mã lỗi " in job.error
    error_id = job.error.split("mã lỗi ")[1][:8]
    assert any(error_id in r.getMessage() and "disk on fire" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_a_job_runs_once_even_if_delivered_twice(world, django_capture_on_commit_callbacks):
    job = run_now(django_capture_on_commit_callbacks, world.user(Role.SUPERVISOR), {"loai": "statistics"})
    first = job.file.name
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.file.name) == ("done", first)


@pytest.mark.parametrize("data, message", [
    ({"loai": "thu-chi"}, "Không có loại báo cáo 'thu-chi'"),
    ({"loai": "statistics", "tu": "31/02/2026"}, "Từ ngày '31/02/2026' không đúng định dạng"),
    ({"loai": "statistics", "tu": "2026-11-01"}, "dd/mm/yyyy"),
    ({"loai": "statistics", "tu": "30/11/2026", "den": "01/11/2026"}, "Đến ngày (01/11/2026) phải sau"),
    ({"loai": "statistics", "tu": "01/01/2020", "den": "31/12/2026"}, "tối đa 1.830 ngày"),
    ({"loai": "ledger", "tu": "01/01/2025", "den": "31/12/2026", "don_vi": "1"}, "tối đa 366 ngày"),
    ({"loai": "statistics", "nhom": "tinh"}, "Cách nhóm 'tinh' không có"),
    ({"loai": "statistics", "don_vi": "abc"}, "Đơn vị 'abc' không hợp lệ"),
    ({"loai": "statistics", "don_vi": "99999"}, "Không tìm thấy đơn vị"),
    ({"loai": "statistics", "linh_vuc": "99999"}, "Không tìm thấy lĩnh vực"),
])
def test_bad_requests_are_refused_in_vietnamese_and_write_nothing(world, data, message):
    with pytest.raises(jobs.ExportRefused, match=message.replace("(", r"\(").replace(")", r"\)")) as refused:
        jobs.start_export(world.user(Role.HEAD_OF_AGENCY), data)
    assert refused.value.status == 400
    assert not ExportJob.objects.exists()


def test_staff_cannot_export_a_unit_outside_their_scope(world):
    with pytest.raises(jobs.ExportRefused, match="Không tìm thấy đơn vị"):
        jobs.start_export(world.user(Role.HEAD_OF_AGENCY), {"loai": "summary", "don_vi": world.other_committee.pk})
    assert jobs.clean_request(world.user(Role.SUPERVISOR), {"loai": "summary", "don_vi": world.other_committee.pk,
                                                            "tu": "01/11/2026", "den": "30/11/2026"}) == (
        "summary", {"start": "2026-11-01", "end": "2026-11-30", "agency_id": world.other_committee.pk})


def test_an_account_without_a_role_is_refused(world):
    nobody = User.objects.create_user("khong-vai-tro")
    with pytest.raises(jobs.ExportRefused) as refused:
        jobs.start_export(nobody, {"loai": "statistics"})
    assert refused.value.status == 403 and "chưa có vai trò" in refused.value.message


def test_default_period_is_the_current_month(world, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 11, 16))
    assert jobs.clean_request(world.user(Role.SUPERVISOR), {"loai": "statistics"})[1] == {
        "start": "2026-11-01", "end": "2026-11-16", "group_by": "agency"}


# ---------------------------------------------------------------- the 766 index


def dec(value):
    """A number read back from a cell, comparable with the index's Decimals."""
    return None if value is None else Decimal(str(value))


def test_index_sheet_holds_the_index_of_the_index_pages(world, november):
    from motcua.reports import index766

    supervisor = world.user(Role.SUPERVISOR)
    wb = load_workbook(io.BytesIO(exports.index766_xlsx(supervisor, *NOV)))
    assert wb.sheetnames == ["Xếp hạng 766", "Toàn bộ phạm vi", "1. UBND phường Hạc Thành"]
    table = index766.index_table(supervisor, *NOV)
    [unit] = table.units
    rows = [list(r) for r in wb["Xếp hạng 766"].iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "Xếp hạng")
    assert header[1:3] == ["Đơn vị", "1. Công khai, minh bạch (18 điểm)"] and header[-2:] == ["Tổng điểm (thang 100)", "Xếp loại"]
    ranked = next(r for r in rows if r[1] == "UBND phường Hạc Thành")
    assert ranked[0] == unit.rank == 1
    assert [dec(x) for x in ranked[2:-1]] == [g.points for g in unit.groups] + [unit.total]
    assert ranked[-1] == unit.grade
    detail = {r[0]: r for r in wb["1. UBND phường Hạc Thành"].iter_rows(values_only=True) if r[0]}
    for indicator in unit.indicators:
        got = detail[indicator.code]
        assert (got[1], got[7]) == (indicator.name, indicator.max_points), indicator.code
        assert [dec(got[3]), dec(got[4])] == [dec(indicator.numerator), dec(indicator.denominator)], indicator.code
        assert (dec(got[5]), dec(got[8])) == (indicator.percent, indicator.points), indicator.code
    # The known month: 5 of the 8 dossiers to process were early, on time or still within their limit (2.1).
    assert (detail["2.1"][3], detail["2.1"][4], detail["2.1"][5]) == (5, 8, 62.5)


def test_index_sheet_of_a_unit_outside_the_data(world, november):
    wb = load_workbook(io.BytesIO(exports.index766_xlsx(world.user(Role.HEAD_OF_AGENCY, other=True), *NOV)))
    assert wb.sheetnames == ["Xếp hạng 766"]
    assert any(r[1] == "Không có đơn vị nào có số liệu trong kỳ." for r in wb.worksheets[0].iter_rows(values_only=True))


def test_summary_pdf_ranks_the_units_by_the_766_index(world, november):
    from motcua.reports import index766

    supervisor = world.user(Role.SUPERVISOR)
    [unit] = index766.index_table(supervisor, *NOV).units
    text = pdf_text(exports.summary_pdf(supervisor, *NOV))
    assert "III. Xếp hạng theo Bộ chỉ số 766 (QĐ 766/QĐ-TTg)" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    ranked = next(line for line in lines if line.startswith("1 UBND phường Hạc Thành") and line.endswith(unit.grade))
    assert exports.number(unit.total, 2) in ranked.split()


def test_the_index_job_makes_a_workbook(world, november, django_capture_on_commit_callbacks):
    job = run_now(django_capture_on_commit_callbacks, world.user(Role.SUPERVISOR),
                  {"loai": "index766", "tu": "01/11/2026", "den": "30/11/2026"})
    assert (job.state, job.progress, job.filename) == ("done", 100, "chi-so-766-20261101-20261130.xlsx")
    with pytest.raises(jobs.ExportRefused, match="hãy bỏ chọn đơn vị"):
        jobs.start_export(world.user(Role.SUPERVISOR), {"loai": "index766", "don_vi": world.committee.pk})
