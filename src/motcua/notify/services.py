"""What to tell whom when a dossier moves: rendered from the templates, queued in the outbox in the same
transaction as the move (called by dossiers/services.py)."""

from django.conf import settings
from django.template import Context
from django.template import Template as DjangoTemplate
from django.utils import timezone

from . import outbox
from .models import Channel, Event, Template
from .text import without_diacritics

# Dossier action → event told to the applicant.
ACTION_EVENTS = {
    "submit": Event.SUBMITTED,
    "receive": Event.RECEIVED,
    "request_completion": Event.SUPPLEMENT_REQUESTED,
    "request_supplement": Event.SUPPLEMENT_REQUESTED,
    "refuse": Event.REFUSED,
    "apologise": Event.APOLOGY,
    "finish": Event.RESULT_READY,
    "request_payment": Event.PAYMENT_DUE,
    "confirm_payment": Event.PAYMENT_CONFIRMED,
    "pay_fees": Event.PAYMENT_CONFIRMED,
}


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%H:%M ngày %d/%m/%Y") if moment else "không quy định"


def context_for(dossier, details: dict, reason: str) -> dict:
    items = details.get("items") or []
    return {
        "code": dossier.code,
        "name": dossier.applicant_name,
        "procedure": dossier.procedure_version.procedure.name,
        "unit": dossier.receiving_agency.name,
        "due": _when(dossier.due_at),
        "new_due": _when(dossier.rescheduled_due_at),
        "tracking_url": f"{settings.MOTCUA_PUBLIC_URL}/tra-cuu/?ma={dossier.code}",
        "items": "; ".join(f"{i}. {item['name']}: {item['reason']}" for i, item in enumerate(items, start=1)),
        "reason": reason,
        "tracking_number": details.get("tracking_number", ""),
        "amount": f"{details.get('amount', 0):,}".replace(",", ".") + " đồng" if details.get("amount") else "",
    }


def render(template: Template, context: dict) -> tuple[str, str]:
    subject = DjangoTemplate(template.subject).render(Context(context, autoescape=False)).strip()
    body = DjangoTemplate(template.body).render(Context(context, autoescape=False)).strip()
    return subject, body


def _payload(template: Template, event, context: dict) -> dict:
    payload = {"event": event.value, "code": context["code"]}
    if template.channel == Channel.ZALO:
        # ZNS fills an approved template from named parameters rather than taking free text.
        payload["zalo_template_id"] = template.zalo_template_id
        payload["params"] = {k: str(v) for k, v in context.items() if v}
    return payload


def _recipients(dossier) -> dict[str, str]:
    wanted = {}
    if dossier.notify_sms and dossier.phone:
        wanted[Channel.SMS] = dossier.phone
    if dossier.notify_email and dossier.email:
        wanted[Channel.EMAIL] = dossier.email
    if dossier.notify_zalo and dossier.phone:
        wanted[Channel.ZALO] = dossier.phone
    return wanted


def on_dossier_event(dossier, action: str, seq: int, details: dict, reason: str = "") -> int:
    """Queue the messages this move causes; returns how many. Nothing is sent if the caller's transaction
    rolls back. The key (dossier, event number, channel) makes a repeat harmless."""
    event = ACTION_EVENTS.get(action)
    if action == "return_result" and details.get("method") == "post":
        event = Event.RETURNED_BY_POST
    queued = 0
    context = None
    if event is not None:
        wanted = _recipients(dossier)
        for template in Template.objects.filter(event=event, channel__in=list(wanted), enabled=True):
            context = context or context_for(dossier, details, reason)
            subject, body = render(template, context)
            if template.channel == Channel.SMS:  # Zalo shows Vietnamese; SMS gateways often do not
                body = without_diacritics(body)
            outbox.enqueue(
                channel=template.channel, recipient=wanted[template.channel], key=f"dossier:{dossier.pk}:{seq}:{template.channel}",
                subject=subject, body=body, dossier=dossier, payload=_payload(template, event, context),
            )
            queued += 1
    if action == "request_verification":
        queued += _ask_agency(dossier, seq, details, reason)
    if settings.MOTCUA_DVCQG_SYNC:
        # The whole dossier as it is when sent, plus this event's progress row.
        outbox.enqueue(
            channel="dvcqg", recipient="DVCQG", key=f"dvcqg:{dossier.pk}:{seq}", dossier=dossier,
            payload={"dossier_id": dossier.pk, "after_seq": seq - 1, "code": dossier.code},
        )
        queued += 1
    return queued


def _ask_agency(dossier, seq: int, details: dict, reason: str) -> int:
    from motcua.org.models import Agency

    agency = Agency.objects.filter(identifier_code=details.get("agency")).first()
    template = Template.objects.filter(event=Event.VERIFICATION_REQUESTED, channel=Channel.EMAIL, enabled=True).first()
    if agency is None or not agency.email or template is None:
        return 0
    context = context_for(dossier, details, reason) | {
        "question": details.get("question", ""),
        "answer_due": _when(details.get("answer_due_at") and timezone.datetime.fromisoformat(details["answer_due_at"])),
    }
    subject, body = render(template, context)
    outbox.enqueue(
        channel=Channel.EMAIL, recipient=agency.email, key=f"dossier:{dossier.pk}:{seq}:agency", subject=subject,
        body=body, dossier=dossier, payload={"event": Event.VERIFICATION_REQUESTED.value, "code": dossier.code},
    )
    return 1
