"""Bad input to the resumable uploads (tus) and the components page: a 4xx that says so, never a 500
(applications/tus.py, applications/views.py)."""

import base64

import pytest
from django.test import Client
from django.urls import reverse

from motcua.applications import services as app_services
from tests.applications.conftest import SCHEMA, make_citizen, sign_in

TUS = {"Tus-Resumable": "1.0.0"}


def lenient() -> Client:
    """A client that returns a 500 page instead of raising, to see what a visitor would get."""
    return Client(raise_request_exception=False)


def meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


@pytest.fixture
def citizen_client(citizen, case):
    client = lenient()
    sign_in(client, citizen)
    return client


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def case(world):
    case = world.case()
    case.eform_schema = SCHEMA
    case.save()
    return case


def test_tus_upload_length_with_a_superscript_digit_is_a_400(citizen_client, case):
    component = case.components.get(order=1)
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "²", "Upload-Metadata": meta(filename="a.pdf", component=component.pk)},
    )
    assert response.status_code == 400


def test_tus_huge_upload_length_is_refused_not_a_500(citizen_client, case):
    component = case.components.get(order=1)
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "9" * 5000, "Upload-Metadata": meta(filename="a.pdf", component=component.pk)},
    )
    assert response.status_code in (400, 413)


def test_tus_component_metadata_with_a_superscript_digit_is_a_4xx(citizen_client, case):
    response = citizen_client.post(
        reverse("applications:tus"),
        headers=TUS | {"Upload-Length": "10", "Upload-Metadata": meta(filename="a.pdf", component="²")},
    )
    assert 400 <= response.status_code < 500


def test_tus_patch_with_a_superscript_offset_is_a_400(citizen_client, citizen, case):
    draft = app_services.start_draft(citizen, case)
    upload = app_services.create_upload(draft, case.components.get(order=1).pk, 10, "a.pdf")
    response = citizen_client.generic(
        "PATCH", reverse("applications:tus-upload", args=[upload.pk]), b"%PDF-1.7\n",
        content_type="application/offset+octet-stream", headers=TUS | {"Upload-Offset": "²"},
    )
    assert response.status_code == 400


def test_deleting_a_malformed_upload_id_is_a_404(citizen_client, case):
    response = citizen_client.post(reverse("applications:components", args=[case.pk]), {"delete": "not-a-uuid"})
    assert response.status_code == 404
