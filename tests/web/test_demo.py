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


def test_bulk_dossiers_for_load_tests(db, settings):
    import random

    from django.core.management import call_command
    from django.db.models import Count

    from motcua.dossiers import services
    from motcua.dossiers.models import StepRecord
    from motcua.org.models import User

    settings.MOTCUA_DEMO = True
    settings.MOTCUA_DVCQG_SYNC = False
    demo.seed(dossiers=5, seed_value=3, until=UNTIL)
    before = Dossier.objects.count()
    made = demo.bulk_dossiers(demo.build_province(), 3000, random.Random(1), UNTIL, batch=700)
    assert made == 3000 and Dossier.objects.count() == before + 3000
    bulk = Dossier.objects.filter(last_event_seq=0)
    states = dict(bulk.values_list("state").annotate(n=Count("pk")))
    assert states[State.RETURNED] > 2000 and states[State.PROCESSING] > 150 and len(states) == len(demo.BULK_MIX)
    # Every dossier in processing has its open step, at the unit that does it, half of them given by name.
    processing = bulk.filter(state=State.PROCESSING)
    open_steps = StepRecord.objects.filter(dossier__in=processing, ended_at__isnull=True)
    assert open_steps.count() == processing.count()
    assert 0.3 < open_steps.filter(assignee__isnull=False).count() / open_steps.count() < 0.7
    assert not bulk.filter(state=State.PROCESSING, due_at__isnull=True).exists()
    # Codes stay unique for the dossiers received afterwards on the same days.
    d = bulk.filter(state=State.PROCESSING).order_by("received_at").last()
    officer = User.objects.get(username="motcua.xa1")
    later = services.create_dossier(actor=officer, case=d.case, channel=1, receiving_agency=d.receiving_agency,
                                    competent_agency=d.competent_agency, now=d.received_at,
                                    applicant={"kind": "citizen", "name": "Lê Văn Tám", "personal_id": "038087042028"})
    assert later.dossier.code not in set(bulk.values_list("code", flat=True))
    call_command("seed_demo", "--dossiers", "0", "--bulk", "10", stdout=open("/dev/null", "w"))
    assert Dossier.objects.count() == before + 3000 + 1 + 10
