"""The tamper-evident dossier history: edits, deletions and rewritten chains are found by verify-audit."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.calendar.models import CalendarOverride
from motcua.dossiers import audit, services
from motcua.dossiers.models import DossierEvent
from motcua.org.roles import Role
from tests.factories import at


def lived(world, when="2026-11-16 08:00"):
    d = world.new_dossier(now=at(when))
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at(when))
    services.perform(d, "forward", actor=world.user(Role.ONE_STOP_OFFICER), now=at(when))
    d.refresh_from_db()
    return d


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_untouched_history_verifies(world):
    d = lived(world)
    assert d.last_event_seq == 3 and d.audit_head == d.events.get(seq=3).hash
    assert audit.verify() == []
    call_command("verify_audit")


def test_an_edited_event_is_named(world):
    d = lived(world)
    lived(world, "2026-11-17 08:00")
    sql("UPDATE dossiers_dossierevent SET actor_name = %s WHERE dossier_id = %s AND seq = 2", ["Người khác", d.pk])
    [problem] = audit.verify()
    assert (problem.dossier, problem.seq, problem.kind) == (d.code, 2, "edited")
    with pytest.raises(CommandError, match="1 chỗ"):
        call_command("verify_audit")


def test_deleted_events_are_found_in_the_middle_and_at_the_end(world):
    d = lived(world)
    sql("DELETE FROM dossiers_dossierevent WHERE dossier_id = %s AND seq = 2", [d.pk])
    kinds = {(p.kind, p.seq) for p in audit.verify()}
    assert ("missing", 2) in kinds
    e = lived(world, "2026-11-18 08:00")
    sql("DELETE FROM dossiers_dossierevent WHERE dossier_id = %s AND seq = 3", [e.pk])
    assert {(p.dossier, p.kind) for p in audit.verify() if p.dossier == e.code} >= {(e.code, "missing"), (e.code, "head")}


def test_a_rewritten_chain_no_longer_matches_the_seal(world):
    d = lived(world)
    assert audit.seal() is None  # the first night only chooses the block
    anchor = audit.seal()
    assert anchor.upto_id == DossierEvent.objects.order_by("-pk").first().pk
    assert audit.verify() == []
    # Someone with database access edits an event and recomputes the whole chain of the dossier.
    sql("UPDATE dossiers_dossierevent SET reason = %s WHERE dossier_id = %s AND seq = 1", ["sửa", d.pk])
    head = audit.GENESIS
    for row in DossierEvent.objects.filter(dossier=d).order_by("seq").values_list("pk", *audit.FIELDS):
        head = audit.event_hash(head, *row[1:])
        sql("UPDATE dossiers_dossierevent SET hash = %s WHERE id = %s", [head, row[0]])
    sql("UPDATE dossiers_dossier SET audit_head = %s WHERE id = %s", [head, d.pk])
    [problem] = audit.verify()
    assert problem.kind == "anchor"


def test_events_after_the_seal_are_sealed_the_next_night(world):
    lived(world)
    audit.seal()
    lived(world, "2026-11-17 08:00")
    first = audit.seal()
    second = audit.seal()
    assert second.after_id == first.upto_id and second.upto_id == DossierEvent.objects.order_by("-pk").first().pk
    assert audit.verify() == []


def test_bulk_recomputed_due_times_keep_the_chain(world):
    lived(world)
    CalendarOverride.objects.create(date="2026-11-25", kind=CalendarOverride.Kind.DAY_OFF, note="Nghỉ bù (thử)")
    assert services.recompute_open_due_times(now=at("2026-11-18 08:00")) == 1
    assert audit.verify() == []


def test_the_migration_chains_events_written_before_the_chain(world):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("motcua.dossiers.migrations.0012_chain_existing_events")
    first, second = lived(world), lived(world, "2026-11-17 08:00")
    expected = {e.pk: e.hash for e in DossierEvent.objects.all()}
    sql("UPDATE dossiers_dossierevent SET hash = ''", [])
    sql("UPDATE dossiers_dossier SET audit_head = %s", [audit.GENESIS])
    assert len(audit.verify()) > 0
    backfill.BATCH = 1  # several batches
    backfill.chain_existing_events(apps, None)
    assert {e.pk: e.hash for e in DossierEvent.objects.all()} == expected
    assert audit.verify() == [] and {first.pk, second.pk} <= set(DossierEvent.objects.values_list("dossier_id", flat=True))
