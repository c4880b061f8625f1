"""Each night the worker clears unfinished uploads, abandoned drafts and expired rate-limit rows, and
keeps everything still in use."""

from datetime import timedelta

from django.utils import timezone

from motcua.applications import housekeeping
from motcua.applications.models import ApplicationDraft, ResumableUpload
from motcua.catalog.models import Case
from motcua.feedback.models import FailedLookup
from motcua.portal.models import OneTimeCode, Throttle


def upload(draft, case, media, name, *, done, age_days):
    path = f"tus/{name}"
    (media / "tus").mkdir(parents=True, exist_ok=True)
    (media / path).write_bytes(b"%PDF-1.7 part")
    u = ResumableUpload.objects.create(draft=draft, component=case.components.first(), filename=name, length=100,
                                       offset=100 if done else 13, path=path, sha256="ab" * 32 if done else "")
    ResumableUpload.objects.filter(pk=u.pk).update(updated_at=timezone.now() - timedelta(days=age_days))
    return media / path


def test_nightly_housekeeping(world, citizen, case, media, django_capture_on_commit_callbacks):
    now = timezone.now()
    live = ApplicationDraft.objects.create(citizen=citizen, case=case)
    stale_part = upload(live, case, media, "bo-do.pdf", done=False, age_days=8)
    fresh_part = upload(live, case, media, "dang-tai.pdf", done=False, age_days=1)
    finished = upload(live, case, media, "xong.pdf", done=True, age_days=30)
    other_case = Case.objects.exclude(pk=case.pk).filter(components__isnull=False).first()
    abandoned = ApplicationDraft.objects.create(citizen=citizen, case=other_case)
    gone_with_draft = upload(abandoned, other_case, media, "cu.pdf", done=True, age_days=100)
    ApplicationDraft.objects.filter(pk=abandoned.pk).update(updated_at=now - timedelta(days=91))
    Throttle.objects.create(kind="signin_id", key="x", at=now - timedelta(days=3))
    Throttle.objects.create(kind="signin_id", key="y", at=now - timedelta(minutes=5))
    FailedLookup.objects.create(scope="track", client="1.2.3.4", at=now - timedelta(days=3))
    OneTimeCode.objects.create(account=citizen, purpose="sign_up", phone="0912345678", code_hash="h",
                               expires_at=now - timedelta(days=3))

    with django_capture_on_commit_callbacks(execute=True):
        counts = housekeeping.run(now=now)

    assert counts["throttles"] == 1 and counts["failed_lookups"] == 1 and counts["codes"] == 1
    assert not stale_part.exists() and fresh_part.exists() and finished.exists()
    assert set(ResumableUpload.objects.values_list("filename", flat=True)) == {"dang-tai.pdf", "xong.pdf"}
    assert ApplicationDraft.objects.filter(pk=live.pk).exists()
    assert counts["drafts"] == 1 and not gone_with_draft.exists()
    assert not ApplicationDraft.objects.filter(pk=abandoned.pk).exists()
    assert Throttle.objects.count() == 1
