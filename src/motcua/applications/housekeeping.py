"""Clearing what citizens leave behind: uploads never finished, drafts abandoned, and the counters and
one-time codes of the rate limits once they no longer count."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.feedback.models import FailedLookup
from motcua.portal.models import OneTimeCode, Throttle

from .models import ApplicationDraft, ResumableUpload
from .services import full_path

UPLOAD_KEPT = timedelta(days=7)  # an unfinished upload can be resumed for a week
DRAFT_KEPT = timedelta(days=90)  # an untouched draft is kept for three months
COUNTERS_KEPT = timedelta(days=2)  # rate-limit windows are minutes to an hour


def run(now=None) -> dict[str, int]:
    """Delete what has expired; returns how many of each. A draft's finished uploads go with it."""
    now = now or timezone.now()
    counts = {}
    stale_drafts = ApplicationDraft.objects.filter(status=ApplicationDraft.Status.DRAFT, updated_at__lt=now - DRAFT_KEPT)
    uploads = ResumableUpload.objects.filter(draft__in=stale_drafts) | ResumableUpload.objects.filter(
        draft__status=ApplicationDraft.Status.DRAFT, updated_at__lt=now - UPLOAD_KEPT
    ).exclude(sha256__gt="")
    paths = [full_path(u) for u in uploads]
    with transaction.atomic():
        counts["uploads"] = uploads.delete()[0]
        counts["drafts"] = stale_drafts.delete()[0]
        counts["codes"] = OneTimeCode.objects.filter(expires_at__lt=now - COUNTERS_KEPT).delete()[0]
        counts["throttles"] = Throttle.objects.filter(at__lt=now - COUNTERS_KEPT).delete()[0]
        counts["failed_lookups"] = FailedLookup.objects.filter(at__lt=now - COUNTERS_KEPT).delete()[0]
        transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in paths])
    return counts
