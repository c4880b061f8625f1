"""The feedback items' histories are hash-chained like the dossiers' (workflow/events.py); `verify-audit`
checks them too (registered in apps.py)."""

from motcua.workflow.events import verify_chain

from .models import Feedback, FeedbackEvent


def verify() -> list[str]:
    problems = []
    items = Feedback.objects.order_by("pk").values_list("pk", "code", "last_event_seq", "audit_head")
    for chunk_start in range(0, items.count(), 2000):
        chunk = list(items[chunk_start:chunk_start + 2000])
        events: dict[int, list] = {}
        for event in FeedbackEvent.objects.filter(feedback_id__in=[pk for pk, *_ in chunk]).order_by("feedback_id", "seq"):
            events.setdefault(event.feedback_id, []).append(event)
        for pk, code, last_seq, head in chunk:
            problems += verify_chain(f"phản ánh {code}", last_seq, head, events.get(pk, []))
    return problems
