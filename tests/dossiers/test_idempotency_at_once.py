"""The same idempotency key sent several times at once (a double click, a retrying client): one dossier,
one action, and no error for the repeats (dossiers/services)."""

from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.org.roles import Role
from tests.factories import at, run_at_once


def test_same_key_at_once_gives_one_dossier_and_no_error(tworld):
    outcomes = []

    def submit():
        outcomes.append(
            services.create_dossier(
                actor=tworld.user(Role.ONE_STOP_OFFICER), case=tworld.case(), channel=1,
                receiving_agency=tworld.centre, applicant=tworld.applicant(), idempotency_key="double-click",
                now=at("2026-11-16 09:00"),
            )
        )

    assert run_at_once(4, submit) == []
    assert Dossier.objects.count() == 1
    assert {o.dossier.pk for o in outcomes} == {Dossier.objects.get().pk}
    assert sorted(o.repeated for o in outcomes) == [False, True, True, True]


def test_same_key_action_at_once_is_done_once(tworld):
    d = tworld.new_dossier(now=at("2026-11-16 09:00"))

    def receive():
        services.perform(d.pk, "receive", actor=tworld.user(Role.ONE_STOP_OFFICER), idempotency_key="r", now=at("2026-11-16 09:05"))

    assert run_at_once(3, receive) == []
    assert DossierEvent.objects.filter(dossier=d, action="receive").count() == 1
