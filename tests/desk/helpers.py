"""Helpers for the desk tests: the desk's clock, the counter's form data, files."""

import html
import re

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.org.roles import Role
from tests.factories import VALID_PID, at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


class DeskClock:
    def __init__(self):
        self.now = at("2026-11-16 09:00")

    def set(self, text):
        self.now = at(text)
        return self.now

    def __call__(self):
        return self.now


def upload(name="ct01.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def login(client, world, role, other=False):
    user = world.user(role, other)
    client.force_login(user)
    return user


def counter_data(world, case, *, provided="required", **overrides) -> dict:
    """What the counter form posts for `case`: every required paper ticked, catalog copy counts, fees as set."""
    data = {
        "receiving_agency": world.centre.pk,
        "personal_id": VALID_PID,
        "applicant_name": "Nguyễn Văn An",
        "birth_date": "12/03/1987",
        "address": "Số 12 đường Lê Lợi, phường Hạc Thành",
        "phone": "0912345678",
        "email": "",
        "representative_name": "",
        "case": case.pk,
        "competent_agency": world.committee.pk,
        "return_method": "counter",
        "summary": "",
    }
    for comp in case.components.all():
        p = f"comp_{comp.pk}"
        if provided == "all" or (provided == "required" and comp.required):
            data[f"{p}_provided"] = "on"
        data[f"{p}_originals"] = comp.originals
        data[f"{p}_certified_copies"] = comp.certified_copies
        data[f"{p}_photocopies"] = comp.photocopies
    for fee in case.fees.all():
        data[f"fee_{fee.pk}_mode"] = fee.mode
    data.update(overrides)
    return data


def confirm_data(world, case, decision="receive", key="key-1", **overrides) -> dict:
    return counter_data(world, case, op="confirm", decision=decision, idempotency_key=key, **overrides)


def text(response) -> str:
    """The page's text without tags and with whitespace collapsed."""
    body = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


ONE_STOP = Role.ONE_STOP_OFFICER
