"""In a real browser at 360 px: the tus client uploads in chunks, survives a dropped request, and the
page does not scroll sideways. Debian's chromium through Playwright (never `playwright install`)."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from motcua.applications.models import ApplicationDraft, ResumableUpload
from motcua.portal.identity import SESSION_KEY
from tests.applications.conftest import PDF, citizen, tcase  # noqa: F401 (fixtures used below)


@pytest.fixture
def signed_in_phone(browser, live_server, citizen):  # noqa: F811
    """The shared chromium (tests/e2e/conftest.py) at 360 px, with the citizen's session."""
    session = SessionStore()
    session[SESSION_KEY] = citizen.pk
    session.save()
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 360, "height": 740})
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key,
                          "url": live_server.url}])
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_chunked_upload_resumes_after_a_dropped_request(signed_in_phone, citizen, tcase, tmp_path):  # noqa: F811
    phone = signed_in_phone
    ApplicationDraft.objects.create(citizen=citizen, case=tcase)
    component = tcase.components.get(order=1)
    aborted = []

    def drop_second_patch(route):
        if route.request.method == "PATCH":
            aborted.append(route.request.headers.get("upload-offset"))
            if len(aborted) == 2:
                return route.abort("connectionreset")
        return route.continue_()

    phone.route("**/nop-truc-tuyen/tai-len/**", drop_second_patch)
    phone.goto(reverse("applications:components", args=[tcase.pk]))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(PDF)
    phone.locator(f'form.upload[data-component="{component.pk}"] input[type=file]').set_input_files(str(pdf))
    phone.wait_for_selector("text=đã tải lên")
    upload = ResumableUpload.objects.get(component=component)
    assert upload.complete and upload.length == len(PDF)
    assert len(aborted) >= 5  # four 256 KB chunks, one of them sent twice
    assert aborted[1] == aborted[2]  # the dropped chunk was sent again from the stored offset
