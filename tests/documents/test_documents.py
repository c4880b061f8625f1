"""Uploaded files: type by content, size limit, clean stored names, sha256, downloads only for those who may see."""

import hashlib

import pytest

from motcua.documents import links, services
from motcua.documents.models import Document
from motcua.documents.services import DocumentError
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import State
from motcua.org.roles import Role
from tests.desk.helpers import HTML, PDF, PNG, upload
from tests.factories import at

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 30


@pytest.fixture
def dossier(world):
    d = world.new_dossier(now=at("2026-11-16 08:55"))
    dossier_services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    d.refresh_from_db()
    return d


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(PDF, "application/pdf", "pdf"), (JPEG, "image/jpeg", "jpg"), (PNG, "image/png", "png")],
)
def test_type_is_read_from_the_content(content, content_type, extension):
    checked = services.check_upload(upload("anything.bin", content, "application/octet-stream"))
    assert (checked.content_type, checked.extension) == (content_type, extension)
    assert checked.sha256 == hashlib.sha256(content).hexdigest() and checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("to-khai.pdf", HTML),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("ho-so.docx", b"PK\x03\x04" + b"\x00" * 30),
        ("gan-dung.pdf", b"%PD"),
    ],
)
def test_anything_else_is_refused_with_a_clear_message(name, content):
    with pytest.raises(DocumentError) as err:
        services.check_upload(upload(name, content))
    assert err.value.status == 415
    assert f"Tệp “{name}” không phải PDF, ảnh JPEG hoặc PNG" in err.value.message


def test_empty_and_oversized_files(settings):
    with pytest.raises(DocumentError, match="rỗng"):
        services.check_upload(upload("trong.pdf", b""))
    settings.MOTCUA_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = upload("lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DocumentError) as err:
        services.check_upload(big)
    assert err.value.status == 413 and "vượt quá mức tối đa 10 MB" in err.value.message


def test_default_limit_is_ten_megabytes(settings):
    del settings.MOTCUA_UPLOAD_MAX_BYTES
    assert services.max_bytes() == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("given", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\An\\Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
        ('a"b;c\r\nd.pdf', "a_b_cd.pdf"),
        ("...", "tep"),
    ],
)
def test_names_are_cleaned(given, clean):
    assert services.clean_name(given) == clean


def test_attach_stores_under_media_root_with_our_own_name(world, dossier, media):
    comp = dossier.components.order_by("pk").first()
    checked = services.check_upload(upload("../../Tờ khai CT01.pdf"))
    doc = services.attach(dossier=dossier, checked=checked, actor=world.user(Role.ONE_STOP_OFFICER), kind="component", component=comp)
    path = media / doc.file.name
    assert path.is_file() and path.read_bytes() == PDF
    assert doc.file.name.startswith(f"dossiers/{dossier.pk}/") and doc.file.name.endswith(".pdf")
    assert "Tờ khai" not in doc.file.name and ".." not in doc.file.name
    assert doc.original_name == "Tờ khai CT01.pdf" and doc.sha256 == hashlib.sha256(PDF).hexdigest()
    comp.refresh_from_db()
    assert comp.digitised


def test_only_staff_of_the_dossiers_units_may_attach(world, dossier, media):
    checked = services.check_upload(upload())
    comp = dossier.components.first()
    with pytest.raises(DocumentError) as err:
        services.attach(dossier=dossier, checked=checked, actor=world.user(Role.ONE_STOP_OFFICER, other=True),
                        kind="component", component=comp)
    assert err.value.status == 403
    assert not Document.objects.exists() and not any(p.is_file() for p in media.rglob("*"))


def test_download_is_an_attachment_that_never_renders(client, world, dossier):
    doc = services.attach(dossier=dossier, checked=services.check_upload(upload("Giấy khai sinh.pdf")),
                          actor=world.user(Role.ONE_STOP_OFFICER), kind="component", component=dossier.components.first())
    client.force_login(world.user(Role.SPECIALIST))  # the competent agency's staff see it too
    r = client.get(links.url_for(world.user(Role.SPECIALIST), doc))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment;") and "filename*=utf-8''Gi%E1%BA%A5y" in r["Content-Disposition"]


def test_download_is_404_for_others_and_sign_in_first(client, world, dossier):
    doc = services.attach(dossier=dossier, checked=services.check_upload(upload()),
                          actor=world.user(Role.ONE_STOP_OFFICER), kind="component", component=dossier.components.first())
    url = links.url_for(world.user(Role.ONE_STOP_OFFICER), doc)
    assert client.get(url).status_code == 302
    client.force_login(world.user(Role.ONE_STOP_OFFICER, other=True))
    assert client.get(links.url_for(world.user(Role.ONE_STOP_OFFICER, other=True), doc)).status_code == 404
    other = world.new_dossier(now=at("2026-11-16 10:00"))
    client.force_login(world.user(Role.ONE_STOP_OFFICER))
    token = links.token_for(world.user(Role.ONE_STOP_OFFICER), doc)
    assert client.get(f"/tai-lieu/{other.code}/{doc.pk}/?h={token}").status_code == 404  # not this dossier's file


def test_download_links_expire_and_belong_to_one_person(client, world, dossier, settings):
    doc = services.attach(dossier=dossier, checked=services.check_upload(upload()),
                          actor=world.user(Role.ONE_STOP_OFFICER), kind="component", component=dossier.components.first())
    officer, specialist = world.user(Role.ONE_STOP_OFFICER), world.user(Role.SPECIALIST)
    client.force_login(officer)
    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert links.url_for(officer, doc).split("?h=")[0] + "?h=" in page  # the page hands out signed links
    bare = client.get(f"/tai-lieu/{dossier.code}/{doc.pk}/")
    assert bare.status_code == 403 and "không hợp lệ" in bare.content.decode()
    client.force_login(specialist)  # may see the dossier, but the link was made for the officer
    borrowed = client.get(links.url_for(officer, doc))
    assert borrowed.status_code == 403 and "người khác" in borrowed.content.decode()
    settings.MOTCUA_DOWNLOAD_LINK_SECONDS = -1
    expired = client.get(links.url_for(specialist, doc))
    assert expired.status_code == 403 and "hết hạn" in expired.content.decode()


def test_no_scans_on_a_closed_dossier(world, dossier):
    dossier_services.perform(dossier, "withdraw", actor=world.user(Role.ONE_STOP_OFFICER), data={"reason": "Xin rút."},
                             now=at("2026-11-16 10:00"))
    dossier.refresh_from_db()
    assert dossier.state == State.WITHDRAWN
    with pytest.raises(DocumentError) as err:
        services.attach(dossier=dossier, checked=services.check_upload(upload()), actor=world.user(Role.ONE_STOP_OFFICER),
                        kind="component", component=dossier.components.first())
    assert err.value.status == 409 and "Công dân rút hồ sơ" in err.value.message


def test_a_full_disk_leaves_nothing_half_written_and_says_so(world, dossier, media, monkeypatch):
    import errno

    from django.core.files.storage import FileSystemStorage

    def full(self, name, content):  # writes part of the file, then the disk is full
        path = self.path(name)
        import os

        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as partial:
            partial.write(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    comp = dossier.components.first()
    with pytest.raises(DocumentError) as err:
        services.attach(dossier=dossier, checked=services.check_upload(upload()), actor=world.user(Role.ONE_STOP_OFFICER),
                        kind="component", component=comp)
    assert err.value.status == 507 and "đầy" in err.value.message
    assert not Document.objects.exists() and not any(p.is_file() for p in media.rglob("*"))
    comp.refresh_from_db()
    assert not comp.digitised
