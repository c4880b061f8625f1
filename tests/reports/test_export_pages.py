"""The export pages as a user meets them: ask for a file, watch its progress, download it; nobody else can."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.org.models import User
from motcua.org.roles import Role
from motcua.reports import exports
from motcua.reports.models import ExportJob
from tests.reports import test_statistics

november = test_statistics.november  # the known November 2026 data set (a fixture)
URL = "/bao-cao/xuat/"
NOVEMBER = {"loai": "statistics", "tu": "01/11/2026", "den": "30/11/2026", "nhom": "agency"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_sign_in(world):
    response = Client().get(URL)
    assert response.status_code == 302 and "next=/bao-cao/xuat/" in response["Location"]


def test_an_account_without_a_role_gets_403(world):
    response = signed_in(User.objects.create_user("khong-vai-tro")).get(URL)
    assert response.status_code == 403
    assert "Chưa được phân quyền" in response.content.decode()


def test_the_form_offers_the_kinds_in_vietnamese_with_the_current_month(world):
    page = signed_in(world.user(Role.HEAD_OF_AGENCY)).get(URL).content.decode()
    for label in ("Bảng thống kê kết quả giải quyết TTHC (Excel)", "Sổ theo dõi hồ sơ, Mẫu 06 (Excel)",
                  "Bảng Bộ chỉ số 766 theo đơn vị (Excel)",
                  "Báo cáo tình hình, kết quả giải quyết TTHC (PDF)"):
        assert label in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert re.search(r'name="tu" value="01/\d\d/\d{4}"', page)
    # Only the units in the user's scope are offered.
    assert "UBND phường Hạc Thành" in page and "UBND phường Hàm Rồng" not in page


def test_posting_without_the_csrf_token_is_refused(world):
    client = signed_in(world.user(Role.SUPERVISOR), enforce_csrf_checks=True)
    assert client.post(URL, NOVEMBER).status_code == 403
    assert not ExportJob.objects.exists()


def test_ask_watch_and_download(world, november, django_capture_on_commit_callbacks):
    client = signed_in(world.user(Role.SUPERVISOR))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, NOVEMBER)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:export-job", args=[job.pk])

    waiting = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="progress" max="100" value="0">' in waiting
    assert "Đang chờ" in waiting and "Từ ngày 01/11/2026 đến ngày 30/11/2026" in waiting
    assert "tai-ve" not in waiting

    for callback in callbacks:  # the worker picks the job up
        callback()
    done = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in done
    assert "Đã xong" in done and 'value="100"' in done
    link = reverse("reports:export-download", args=[job.pk])
    assert f'href="{link}"' in done

    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == exports.XLSX
    assert download["Content-Disposition"] == 'attachment; filename="thong-ke-agency-20261101-20261130.xlsx"'
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    total = [row for row in ws.iter_rows(values_only=True) if row[1] == "Tổng cộng"][0]
    assert total[5] == 7  # received in November

    listing = client.get(URL).content.decode()
    assert "thong-ke-agency-20261101-20261130.xlsx" in listing


def test_the_pdf_downloads_as_a_pdf(world, november, django_capture_on_commit_callbacks):
    client = signed_in(world.user(Role.SUPERVISOR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, NOVEMBER | {"loai": "summary"})
    job = ExportJob.objects.get()
    download = client.get(reverse("reports:export-download", args=[job.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-tong-hop-20261101-20261130.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_other_users_cannot_see_or_download_a_job(world, november, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(world.user(Role.SUPERVISOR)).post(URL, NOVEMBER)
    job = ExportJob.objects.get()
    assert job.state == "done"
    for user in (world.user(Role.HEAD_OF_AGENCY), world.user(Role.SUPERVISOR, other=True)):
        client = signed_in(user)
        assert client.get(reverse("reports:export-job", args=[job.pk])).status_code == 404
        assert client.get(reverse("reports:export-download", args=[job.pk])).status_code == 404
        assert "thong-ke-agency" not in client.get(URL).content.decode()
    assert Client().get(reverse("reports:export-download", args=[job.pk])).status_code == 302


@pytest.mark.parametrize("data, message", [
    (NOVEMBER | {"loai": "bang-luong"}, "Không có loại báo cáo &#x27;bang-luong&#x27;"),
    (NOVEMBER | {"tu": "1/13/2026"}, "Từ ngày &#x27;1/13/2026&#x27; không đúng định dạng; hãy nhập ngày theo dạng dd/mm/yyyy"),
    (NOVEMBER | {"tu": "30/11/2026", "den": "01/11/2026"}, "Đến ngày (01/11/2026) phải sau hoặc bằng từ ngày (30/11/2026)."),
    (NOVEMBER | {"nhom": "xa"}, "Cách nhóm &#x27;xa&#x27; không có"),
])
def test_bad_requests_get_400_with_a_vietnamese_message(world, data, message):
    client = signed_in(world.user(Role.HEAD_OF_AGENCY))
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{data["tu"]}"' in page  # what was typed stays in the form
    assert not ExportJob.objects.exists()


def test_a_unit_outside_the_users_scope_is_refused(world):
    response = signed_in(world.user(Role.HEAD_OF_AGENCY)).post(URL, NOVEMBER | {"don_vi": world.other_committee.pk})
    assert response.status_code == 400
    assert "Không tìm thấy đơn vị đã chọn trong phạm vi bạn được xem" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_failed_job_shows_its_message_not_a_500(world, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(exports, "statistics_xlsx", broken)
    client = signed_in(world.user(Role.SUPERVISOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, NOVEMBER)
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lỗi" in text and re.search(r"mã lỗi [0-9A-F]{8}", text)
    assert "http-equiv" not in text and "tai-ve" not in text
    job = ExportJob.objects.get()
    assert client.get(reverse("reports:export-download", args=[job.pk])).status_code == 404


def test_a_job_left_waiting_too_long_says_so_and_stops_refreshing(world):
    from datetime import timedelta

    from django.utils import timezone

    user = world.user(Role.SUPERVISOR)
    job = ExportJob.objects.create(user=user, kind="statistics", params={"start": "2026-11-01", "end": "2026-11-30"})
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    page = signed_in(user).get(reverse("reports:export-job", args=[job.pk])).content.decode()
    assert "đã chờ quá lâu" in page and "http-equiv" not in page
