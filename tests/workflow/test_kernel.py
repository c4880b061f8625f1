"""The state-machine kernel both apps share (issue 19, item 1): one table type, one append-only event
with its hash chain, one check of the chain, and the generated pages."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from motcua.dossiers import workflow as dossier_workflow
from motcua.dossiers.models import DossierEvent
from motcua.feedback import audit as feedback_audit
from motcua.feedback import workflow as feedback_workflow
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.workflow import events
from motcua.workflow.table import Table, Transition
from tests.factories import at
from tests.feedback.test_handling import answered, new_item

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_both_apps_use_the_kernels_table_and_event():
    assert isinstance(dossier_workflow.TABLE, Table) and isinstance(feedback_workflow.TABLE, Table)
    assert all(isinstance(t, Transition) for t in [*dossier_workflow.TRANSITIONS, *feedback_workflow.TRANSITIONS])
    assert issubclass(DossierEvent, events.AppendOnlyEvent) and issubclass(FeedbackEvent, events.AppendOnlyEvent)


def test_an_action_twice_in_a_table_is_refused():
    t = Transition("a", "A", frozenset({"x"}), "y", frozenset({"r"}))
    with pytest.raises(ValueError):
        Table([t, t])


def test_the_feedback_page_matches_its_table():
    assert (DOCS / "feedback-workflow.md").read_text(encoding="utf-8") == feedback_workflow.as_markdown(), \
        "run: python -m motcua feedback-workflow-doc > docs/feedback-workflow.md"


def test_feedback_events_are_chained_and_verified(world):
    item = answered(world, new_item(world))
    chain = list(item.events.order_by("seq"))
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1)) and all(len(e.hash) == 64 for e in chain)
    item.refresh_from_db()
    assert item.audit_head == chain[-1].hash and feedback_audit.verify() == []
    FeedbackEvent.objects.filter(pk=chain[1].pk).update(reason="sửa lén")  # past the model's guard
    problems = feedback_audit.verify()
    assert len(problems) == 1 and item.code in problems[0] and "bị sửa" in problems[0]


def test_verify_audit_checks_feedback_too(world, capsys):
    item = answered(world, new_item(world))
    call_command("verify-audit".replace("-", "_"))
    FeedbackEvent.objects.filter(feedback=item, seq=item.last_event_seq).update(action="close")
    with pytest.raises(Exception, match="1 chỗ"):
        call_command("verify_audit")
    assert item.code in capsys.readouterr().out


def test_feedback_items_and_their_history_cannot_be_edited_or_deleted_around_the_writer(world):
    item = answered(world, new_item(world))
    event = item.events.first()
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):  # the history is not deleted with its item
        Feedback.objects.filter(pk=item.pk).delete()
    assert item.events.count() > 0


def test_the_admin_shows_feedback_read_only(world, admin_client):
    item = answered(world, new_item(world))
    from django.contrib import admin

    for model in (Feedback,):
        model_admin = admin.site._registry[model]
        request = admin_client.get("/admin/").wsgi_request
        assert not model_admin.has_change_permission(request, item)
        assert not model_admin.has_delete_permission(request, item)
        assert not model_admin.has_add_permission(request)
    page = admin_client.post(f"/admin/feedback/feedback/{item.pk}/change/", {"state": "closed", "text": "khác"})
    assert page.status_code in (403, 302, 200)
    item.refresh_from_db()
    assert item.state == Feedback.State.ANSWERED


def test_rating_keeps_the_state_as_the_table_says_and_a_satisfied_citizen_closes_through_close(world):
    from motcua.feedback import handling

    assert feedback_workflow.get("rate").target is None
    item = handling.perform(answered(world, new_item(world)), "rate", data={"rating": "satisfied"},
                            now=at("2026-11-26 08:00"))
    rate, close = item.events.order_by("-seq")[1], item.events.order_by("-seq")[0]
    assert (rate.action, rate.from_state, rate.to_state) == ("rate", "answered", "answered")
    assert (close.action, close.from_state, close.to_state) == ("close", "answered", "closed")
    assert item.state == Feedback.State.CLOSED and feedback_audit.verify() == []


def test_unpublishing_an_item_that_is_not_public_is_refused(world):
    from motcua.feedback import handling
    from motcua.feedback.services import FeedbackError
    from motcua.org.roles import Role

    item = answered(world, new_item(world))
    with pytest.raises(FeedbackError) as refused:
        handling.perform(item, "unpublish", actor=world.user(Role.HEAD_OF_AGENCY))
    assert refused.value.status == 409
    assert not item.events.filter(action="unpublish").exists()


def test_the_dossier_app_announces_and_the_effects_listen():
    """dossiers imports neither notify nor reports: they subscribe in ready() (issue 19, item 3)."""
    from motcua.notify.services import on_dossier_event
    from motcua.reports import apps as reports_apps
    from motcua.reports import facts

    assert on_dossier_event in events.subscribers("dossier", events.MOVED)
    assert reports_apps.record_dossier_event in events.subscribers("dossier", events.RECORDED)
    assert facts.record_events in events.subscribers("dossier", events.RECORDED_IN_BULK)
    source = "\n".join(p.read_text() for p in (Path(__file__).resolve().parents[2] / "src/motcua/dossiers/services")
                       .glob("*.py"))
    assert "motcua.notify" not in source and "motcua.reports" not in source


def test_a_move_writes_its_facts_and_messages_through_the_subscribers(world):
    from motcua.dossiers import services
    from motcua.notify.models import OutboxMessage
    from motcua.org.roles import Role
    from motcua.reports.models import Fact

    d = world.new_dossier(now=at("2026-11-16 08:55"))
    facts, messages = Fact.objects.count(), OutboxMessage.objects.count()
    services.perform(d, "receive", actor=world.user(Role.ONE_STOP_OFFICER), now=at("2026-11-16 09:00"))
    assert Fact.objects.count() > facts and OutboxMessage.objects.count() > messages


def test_both_apps_perform_through_the_kernel_in_its_fixed_order(db):
    from motcua.dossiers.services import transitions
    from motcua.feedback import handling
    from motcua.workflow.kernel import StateMachine

    assert isinstance(transitions.MACHINE, StateMachine) and isinstance(handling.MACHINE, StateMachine)
    calls = []

    class Subject:
        pk, state, last_event_seq = 1, "a", 0

        def save(self):
            calls.append("save")

    class Recorder(StateMachine):
        def lock(self, pk):
            calls.append("lock")
            return Subject()

        def repeated(self, actor, key, action, subject_id):
            calls.append("repeated")

        def check_actor(self, actor, subject, transition):
            calls.append("actor")

        def reason(self, data, transition):
            calls.append("reason")
            return data["reason"]

        def change(self, subject, action, data, actor, now):
            calls.append(f"change:{subject.state}:{data['reason']}")
            return {}

        def follow_through(self, subject, action, details):
            calls.append(f"follow:{subject.state}")

        def append(self, subject, action, from_state, actor, now, reason, details):
            calls.append(f"event:{from_state}->{subject.state}")

        def consequences(self, subject, action, now):
            calls.append("consequences")

        def remember(self, actor, key, action, subject):
            calls.append("remember")

    events.subscribe("test-subject", events.MOVED, lambda *args: calls.append("announce"))
    table = Table([Transition("go", "Đi", frozenset({"a"}), "b", frozenset({"r"}), ("reason",))])
    Recorder("test-subject", table, {"go": None}).perform(object(), "go", actor=None, data={"reason": "vì"}, idempotency_key="k", now=None)
    assert calls == ["lock", "repeated", "actor", "reason", "change:a:vì", "follow:b", "event:a->b", "consequences",
                     "save", "announce", "remember"]
