"""One `perform` for every subject (dossiers, feedback), in a fixed order that neither app can reorder:

    look up the action → lock the subject → a repeated idempotency key returns the first result →
    the state allows the move → the actor may make it (the app decides) → the reason → the app's change →
    the target state → the app's follow-through (due times, national code) → the event (kernel) →
    the app's consequences (e.g. a satisfied citizen closes) → save → announce to subscribers →
    remember the key

all in one transaction. An app subclasses `StateMachine` and fills in the steps that are its own; the
refusals are the app's exceptions, so callers see what they always saw."""

from django.db import transaction

from . import events
from .table import Table, Transition


class StateMachine:
    def __init__(self, subject: str, table: Table, apply: dict):
        self.subject = subject  # what `announce` names it: "dossier", "feedback"
        self.table = table
        self.apply = apply  # action → the app's function making that change (called through `change`)

    # ---- what each app supplies ---------------------------------------------------------------------
    def unknown(self, action: str):
        raise NotImplementedError

    def lock(self, subject):
        raise NotImplementedError

    def repeated(self, actor, key, action, subject_id):
        """The subject an earlier call with this key made, or None."""
        return None

    def refuse_state(self, transition: Transition, subject):
        raise NotImplementedError

    def check_actor(self, actor, subject, transition: Transition) -> None:
        raise NotImplementedError

    def reason(self, data: dict, transition: Transition) -> str:
        raise NotImplementedError

    def change(self, subject, action: str, data: dict, actor, now) -> dict:
        """The app's change for `action`; returns the details the event records."""
        raise NotImplementedError

    def follow_through(self, subject, action: str, details: dict) -> None:
        """After the state changed, before the event is written (dossiers: due times, national code)."""

    def append(self, subject, action, from_state, actor, now, reason, details) -> None:
        raise NotImplementedError

    def consequences(self, subject, action: str, now) -> None:
        """Moves the table itself makes follow, each its own event (feedback: a satisfied rating closes)."""

    def remember(self, actor, key, action, subject) -> None:
        """Store the idempotency key with the subject (inside the transaction)."""

    def result(self, subject, repeated: bool):
        return subject

    # ---- the fixed order ----------------------------------------------------------------------------
    def perform(self, subject, action: str, *, actor, data: dict | None, idempotency_key: str | None, now):
        data = data or {}
        transition = self.table.get(action)
        if transition is None or action not in self.apply:
            self.unknown(action)
        with transaction.atomic():
            subject_id = getattr(subject, "pk", subject)
            locked = self.lock(subject_id)
            # After the lock: a retry that raced the first call sees its key once the first call committed.
            earlier = self.repeated(actor, idempotency_key, action, subject_id)
            if earlier is not None:
                return self.result(earlier, True)
            if not transition.allows(locked.state):
                self.refuse_state(transition, locked)
            self.check_actor(actor, locked, transition)
            reason = self.reason(data, transition)
            from_state = locked.state
            details = self.change(locked, action, data | {"reason": reason}, actor, now)
            if transition.target:
                locked.state = transition.target
            self.follow_through(locked, action, details)
            self.append(locked, action, from_state, actor, now, reason, details)
            self.consequences(locked, action, now)
            locked.save()
            events.announce(self.subject, events.MOVED, locked, action, locked.last_event_seq, details, reason)
            self.remember(actor, idempotency_key, action, locked)
        return self.result(locked, False)
