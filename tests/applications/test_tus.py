"""The tus 1.0 server: creation, HEAD, chunked PATCH, conflicts, refusals, ownership, resuming."""

import base64
import hashlib

import pytest
from django.urls import reverse

from motcua.applications import services
from motcua.applications.models import ResumableUpload

from .conftest import PDF, PNG, SVG, DroppingStream, make_citizen, sign_in

TUS = {"Tus-Resumable": "1.0.0"}
CHUNK = 256 * 1024


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


@pytest.fixture
def draft(citizen, case):
    return services.start_draft(citizen, case)


@pytest.fixture
def component(case):
    return case.components.get(order=1)


def create(client, component, length, filename="to-khai.pdf"):
    return client.post(
        reverse("applications:tus"), headers=TUS | {"Upload-Length": str(length), "Upload-Metadata": meta(filename=filename, component=component.pk)},
    )


def patch(client, url, offset, body, **extra):
    return client.generic(
        "PATCH", url, body, content_type="application/offset+octet-stream", headers=TUS | {"Upload-Offset": str(offset)}, **extra
    )


def head(client, url):
    response = client.head(url, headers=TUS)
    assert response.status_code == 200
    return int(response["Upload-Offset"]), int(response["Upload-Length"])


def test_options_announces_version_extensions_and_limit(client, settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    response = client.options(reverse("applications:tus"))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "termination"}
    assert response["Tus-Max-Size"] == str(5 * 1024 * 1024)


def test_create_head_and_patch_in_chunks_until_complete(signed_in, draft, component, media):
    response = create(signed_in, component, len(PDF))
    assert response.status_code == 201
    url = response["Location"]
    assert head(signed_in, url) == (0, len(PDF))
    offset = 0
    while offset < len(PDF):
        r = patch(signed_in, url, offset, PDF[offset : offset + CHUNK])
        assert r.status_code == 204, r.content.decode()
        assert int(r["Upload-Offset"]) == min(offset + CHUNK, len(PDF))
        offset = int(r["Upload-Offset"])
    upload = ResumableUpload.objects.get(draft=draft)
    assert upload.complete and upload.content_type == "application/pdf"
    assert upload.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (media / upload.path).read_bytes() == PDF
    assert upload.path.startswith("tus/")
    assert head(signed_in, url) == (len(PDF), len(PDF))


def test_wrong_offset_is_a_conflict_and_writes_nothing(signed_in, draft, component):
    url = create(signed_in, component, len(PDF))["Location"]
    assert patch(signed_in, url, 0, PDF[:CHUNK]).status_code == 204
    response = patch(signed_in, url, 10, PDF[10 : 10 + CHUNK])
    assert response.status_code == 409
    assert response["Upload-Offset"] == str(CHUNK)
    assert head(signed_in, url)[0] == CHUNK


def test_patch_needs_the_offset_content_type_and_tus_version(signed_in, draft, component):
    url = create(signed_in, component, len(PNG))["Location"]
    r = signed_in.generic("PATCH", url, PNG, content_type="application/pdf", headers=TUS | {"Upload-Offset": "0"})
    assert r.status_code == 415
    r = signed_in.generic("PATCH", url, PNG, content_type="application/offset+octet-stream", headers={"Upload-Offset": "0"})
    assert r.status_code == 412
    assert head(signed_in, url)[0] == 0


@pytest.mark.parametrize("body", [SVG, b"<!doctype html><html><script>x</script>", b"PK\x03\x04word-document"])
def test_wrong_type_is_refused_from_the_first_chunk(signed_in, draft, component, media, body):
    length = 1_000_000  # the rest never has to arrive: the first bytes decide
    url = create(signed_in, component, length, filename="giay-to.pdf")["Location"]
    response = patch(signed_in, url, 0, body)
    assert response.status_code == 415
    assert "không phải PDF, ảnh JPEG hoặc PNG" in response.content.decode()
    assert not ResumableUpload.objects.filter(draft=draft).exists()
    assert list((media / "tus").iterdir()) == []
    assert signed_in.head(url, headers=TUS).status_code == 404


def test_type_decided_across_tiny_first_chunks(signed_in, draft, component):
    url = create(signed_in, component, len(PNG), filename="anh.png")["Location"]
    assert patch(signed_in, url, 0, PNG[:3]).status_code == 204  # "\x89PN": could still be a PNG
    assert ResumableUpload.objects.get(draft=draft).content_type == ""
    assert patch(signed_in, url, 3, PNG[3:]).status_code == 204
    assert ResumableUpload.objects.get(draft=draft).content_type == "image/png"


def test_a_prefix_that_never_becomes_a_signature_is_refused_when_complete(signed_in, draft, component):
    url = create(signed_in, component, 3)["Location"]
    assert patch(signed_in, url, 0, b"%PD").status_code == 415  # all of the file, and not a PDF
    assert not ResumableUpload.objects.filter(draft=draft).exists()


def test_too_big_for_a_file_or_for_the_draft(signed_in, draft, component, settings, monkeypatch):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 1000
    response = create(signed_in, component, 1001)
    assert response.status_code == 413
    assert "vượt quá mức tối đa" in response.content.decode()
    settings.MOTCUA_UPLOAD_MAX_BYTES = 10_000
    monkeypatch.setattr(services.uploads, "DRAFT_MAX_BYTES", 15_000)
    assert create(signed_in, component, 9_000).status_code == 201
    response = create(signed_in, component, 9_000)
    assert response.status_code == 413
    assert "cho một hồ sơ" in response.content.decode()
    assert ResumableUpload.objects.filter(draft=draft).count() == 1


def test_more_bytes_than_declared_is_refused_and_discarded(signed_in, draft, component):
    url = create(signed_in, component, 100)["Location"]
    assert patch(signed_in, url, 0, PDF[:50]).status_code == 204
    assert patch(signed_in, url, 50, PDF[50:150]).status_code == 413
    assert head(signed_in, url)[0] == 50


def test_empty_file_and_bad_metadata(signed_in, draft, component):
    assert create(signed_in, component, 0).status_code == 400
    r = signed_in.post(reverse("applications:tus"), headers=TUS | {"Upload-Length": "10", "Upload-Metadata": "filename !!!"})
    assert r.status_code == 400


def test_another_citizens_upload_is_not_found(client, signed_in, draft, component, case):
    url = create(signed_in, component, len(PNG))["Location"]
    from django.test import Client

    other = sign_in(Client(), make_citizen("001099000123", "Trần Thị Bình", "0987654321"))
    assert other.head(url, headers=TUS).status_code == 404
    assert patch(other, url, 0, PNG).status_code == 404
    assert other.delete(url, headers=TUS).status_code == 404
    assert head(signed_in, url)[0] == 0
    # Nor can one create uploads into someone else's draft: the other citizen has none for this case.
    assert create(other, component, 10).status_code == 404
    # And without signing in at all.
    assert Client().head(url, headers=TUS).status_code == 403


def test_resume_after_a_connection_drops_mid_patch(signed_in, draft, component, media):
    url = create(signed_in, component, len(PDF))["Location"]
    chunk = PDF[:CHUNK]
    # The client sends a 256 KB chunk; the connection dies after 100,000 bytes.
    response = patch(signed_in, url, 0, chunk, **{"wsgi.input": DroppingStream(chunk, 100_000)})
    assert response.status_code == 204
    offset, _ = head(signed_in, url)
    assert offset == 100_000  # exactly what was stored
    # A body that simply ends short (no error) counts the same way.
    rest = PDF[offset : offset + CHUNK]
    patch(signed_in, url, offset, rest, **{"wsgi.input": DroppingStream(rest, 5_000, error=False)})
    offset, _ = head(signed_in, url)
    assert offset == 105_000
    while offset < len(PDF):
        r = patch(signed_in, url, offset, PDF[offset : offset + CHUNK])
        assert r.status_code == 204
        offset = int(r["Upload-Offset"])
    upload = ResumableUpload.objects.get(draft=draft)
    assert upload.complete
    assert (media / upload.path).read_bytes() == PDF
    assert upload.sha256 == hashlib.sha256(PDF).hexdigest()


def test_head_trusts_the_stored_bytes_over_the_row(signed_in, draft, component, media):
    url = create(signed_in, component, len(PDF))["Location"]
    patch(signed_in, url, 0, PDF[:CHUNK])
    ResumableUpload.objects.filter(draft=draft).update(offset=0)  # as if the process died before the update
    assert head(signed_in, url)[0] == CHUNK


def test_termination_removes_the_upload(signed_in, draft, component, media):
    url = create(signed_in, component, len(PNG))["Location"]
    patch(signed_in, url, 0, PNG[:100])
    assert signed_in.delete(url, headers=TUS).status_code == 204
    assert not ResumableUpload.objects.filter(draft=draft).exists()
    assert list((media / "tus").iterdir()) == []


def test_no_uploads_into_a_submitted_draft(signed_in, draft, component):
    url = create(signed_in, component, len(PNG))["Location"]
    draft.status = draft.Status.SUBMITTED
    draft.save()
    # (no open draft now, so creation cannot find one; an existing upload cannot grow)
    assert create(signed_in, component, 10).status_code == 404
    response = patch(signed_in, url, 0, PNG)
    assert response.status_code == 409
    assert "đã được nộp" in response.content.decode()
