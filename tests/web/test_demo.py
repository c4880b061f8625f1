from datetime import datetime

from django.utils import timezone

from motcua import demo
from motcua.dossiers.models import DailyCounter, Dossier, DossierEvent, IdempotencyRecord, State

UNTIL = timezone.make_aware(datetime(2026, 11, 20, 17, 0))


def snapshot():
    return list(
        Dossier.objects.order_by("code").values_list("code", "state", "due_at", "applicant_name", "last_event_seq")
    )


def test_demo_is_reproducible_by_seed_and_made_through_the_services(db):
    result = demo.seed(dossiers=25, seed_value=3, until=UNTIL)
    assert result["dossiers"] == 25 + len(demo.SHOWCASE)
    first = snapshot()
    # Every open state has a dossier for the inboxes to show.
    assert set(demo.SHOWCASE) <= {state for _, state, *_ in first}
    # Made through the service layer: each dossier's history starts with "submit" and has no gaps.
    for d in Dossier.objects.all():
        seqs = list(d.events.order_by("seq").values_list("seq", "action"))
        assert seqs[0] == (1, "submit") and [s for s, _ in seqs] == list(range(1, d.last_event_seq + 1))
    assert not Dossier.objects.filter(state=State.DRAFT).exists()

    DossierEvent.objects.all().delete()
    IdempotencyRecord.objects.all().delete()
    Dossier.objects.all().delete()
    DailyCounter.objects.all().delete()
    demo.seed(dossiers=25, seed_value=3, until=UNTIL)
    assert snapshot() == first


def test_demo_staff_cover_every_role(db):
    from motcua.org.models import RoleAssignment
    from motcua.org.roles import Role

    result = demo.seed(dossiers=0, seed_value=1, until=UNTIL)
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    assert ("admin", "Quản trị hệ thống", "Quản trị toàn hệ thống") in result["accounts"]
