"""Where to submit: the receiving and competent agencies, and the fees."""

from dataclasses import dataclass

from django.utils import timezone

from motcua.catalog.models import Case, FeeLine
from motcua.dossiers.models import ReturnMethod
from motcua.org.models import Agency

from ..models import ApplicationDraft
from .drafts import _require_open

# ---------------------------------------------------------------- where to submit


def receiving_agencies(case: Case, today=None) -> list[Agency]:
    """The one-stop centres that receive this case: commune centres for a commune procedure, the provincial
    centre for a provincial one (a commune procedure can also be handed in at the provincial centre)."""
    today = today or timezone.localdate()
    kinds = [Agency.Kind.PROVINCIAL_CENTRE]
    if case.version.procedure.level == "commune":
        kinds.insert(0, Agency.Kind.COMMUNE_CENTRE)
    agencies = Agency.objects.filter(kind__in=kinds, valid_from__lte=today).select_related("area")
    agencies = [a for a in agencies if a.valid_to is None or a.valid_to >= today]
    return sorted(agencies, key=lambda a: (kinds.index(a.kind), a.name))


def competent_agency(case: Case, receiving: Agency) -> Agency | None:
    """The authority of the procedure's kind in the receiving centre's area (None: the centre decides)."""
    today = timezone.localdate()
    found = (
        Agency.objects.filter(kind=case.version.procedure.agency_kind, area=receiving.area, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .order_by("path")
        .first()
    )
    return found


def save_review(draft: ApplicationDraft, cleaned: dict) -> None:
    _require_open(draft)
    notify = set(cleaned.get("notify") or [])
    draft.receiving_agency_id = cleaned["receiving_agency"]
    draft.phone = cleaned.get("phone", "")
    draft.email = cleaned.get("email", "")
    draft.notify_sms, draft.notify_email, draft.notify_zalo = "sms" in notify, "email" in notify, "zalo" in notify
    draft.return_method = cleaned.get("return_method") or ReturnMethod.ELECTRONIC
    if cleaned.get("submission_key"):
        draft.submission_key = cleaned["submission_key"]  # the browser's own key for this submission
    draft.save()


@dataclass
class FeeRow:
    name: str
    kind: str
    amount: int
    mode: str

    @property
    def amount_text(self) -> str:
        return f"{self.amount:,}".replace(",", ".") + " đồng"


def fee_rows(case: Case) -> list[FeeRow]:
    return [
        FeeRow(f.name, f.get_kind_display(), f.amount_for(online=True), FeeLine.Mode(f.mode).label)
        for f in case.fees.all()
    ]
