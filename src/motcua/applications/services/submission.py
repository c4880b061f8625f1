"""Submission: the draft becomes a dossier through the one intake; and the answers read back."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.documents import services as documents
from motcua.documents.models import Document
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Channel
from motcua.portal.models import CitizenAccount

from ..forms import EForm
from ..models import ApplicationDraft
from .components import checklist
from .destination import competent_agency
from .drafts import known_about
from .errors import ApplicationError
from .uploads import full_path

# ---------------------------------------------------------------- submission


@dataclass(frozen=True)
class Submitted:
    draft: ApplicationDraft
    repeated: bool  # True when the draft had already been submitted (double click, resend)


def _problems(draft: ApplicationDraft) -> list[str]:
    problems = []
    form = EForm(
        {k: v for k, v in (draft.data or {}).items() if v not in (False, None)}, schema=draft.case.eform_schema or {}
    )
    if not form.is_valid():
        problems.append(_("Tờ khai còn chỗ chưa đúng; hãy quay lại bước 1 để sửa."))
    for row in checklist(draft):
        if any(not u.complete for u in row.uploads):
            problems.append(_("Tệp của “%(name)s” chưa tải lên xong; hãy chờ tải xong hoặc xóa tệp đó.")
                            % {"name": row.component.name})
        elif row.needs_upload and not row.done:
            problems.append(_("Còn thiếu “%(name)s”; hãy tải lên bản quét hoặc ảnh chụp ở bước 2.")
                            % {"name": row.component.name})
    if draft.receiving_agency_id is None:
        problems.append(_("Hãy chọn nơi nộp hồ sơ."))
    return problems


def idempotency_key(draft: ApplicationDraft) -> str:
    return f"portal:{draft.citizen_id}:{draft.submission_key}"


def submit(draft_id: int, citizen: CitizenAccount, now=None) -> Submitted:
    """Turn the draft into a submitted dossier, once."""
    now = now or timezone.now()
    stored_files: list[str] = []
    try:
        with transaction.atomic():
            draft = (
                ApplicationDraft.objects.select_for_update(of=("self",))
                .select_related("case__version__procedure", "receiving_agency", "citizen", "dossier")
                .filter(pk=draft_id, citizen=citizen)
                .first()
            )
            if draft is None:
                raise ApplicationError(_("Không tìm thấy hồ sơ đang soạn."), status=404)
            if not draft.is_open:
                return Submitted(draft, True)
            problems = _problems(draft)
            if problems:
                raise ApplicationError(_("Hồ sơ chưa nộp được."), status=400, problems=problems)
            form = EForm(
                {k: v for k, v in draft.data.items() if v not in (False, None)}, schema=draft.case.eform_schema or {}
            )
            form.is_valid()
            known = known_about(citizen)
            uploads = list(draft.uploads.select_related("component"))
            with_files = {u.component_id for u in uploads}
            components = [
                {
                    "component": c.pk,
                    "provided": c.pk in with_files,
                    "digitised": c.pk in with_files,
                    "from_national_data": c.national_data and c.pk not in with_files,
                }
                for c in draft.case.components.all()
            ]
            notify = [name for name, on in (("sms", draft.notify_sms), ("email", draft.notify_email),
                                             ("zalo", draft.notify_zalo)) if on]
            receiving = draft.receiving_agency
            try:
                outcome = dossier_services.create_dossier(
                    actor=dossier_services.Applicant(name=citizen.full_name, personal_id=citizen.personal_id),
                    case=draft.case,
                    channel=Channel.ONLINE,
                    receiving_agency=receiving,
                    competent_agency=competent_agency(draft.case, receiving),
                    applicant={
                        "kind": "citizen",
                        "name": citizen.full_name,
                        "personal_id": citizen.personal_id,
                        "birth_date": known.get("birth_date"),
                        "phone": draft.phone,
                        "email": draft.email,
                        "address": known.get("address", ""),
                    },
                    components=components,
                    return_method=draft.return_method,
                    address_unit=receiving.area if receiving.area.level == "commune" else None,
                    identity_verified=citizen.identity_verified,
                    population_verified=bool(known.get("population_verified")),
                    notify=notify,
                    idempotency_key=idempotency_key(draft),
                    now=now,
                )
            except dossier_services.DossierError as exc:
                raise ApplicationError(exc.message, status=exc.status if exc.status < 500 else 400) from exc
            dossier = outcome.dossier
            if not outcome.repeated:
                rows = {dc.component_id: dc for dc in dossier.components.all()}
                for u in uploads:
                    with open(full_path(u), "rb") as fh:
                        document = documents.store(
                            dossier=dossier, content=fh, name=u.filename, content_type=u.content_type, size=u.length,
                            sha256=u.sha256, kind=Document.Kind.COMPONENT, component=rows.get(u.component_id), now=now,
                        )
                    stored_files.append(document.file.name)
            draft.status = ApplicationDraft.Status.SUBMITTED
            draft.dossier = dossier
            draft.submitted_at = now
            draft.answers = form.cleaned_json() if form.is_valid() else {}
            draft.save(update_fields=["status", "dossier", "submitted_at", "answers", "updated_at"])
            parts = [full_path(u) for u in uploads]
            transaction.on_commit(lambda: [p.unlink(missing_ok=True) for p in parts])
            return Submitted(draft, outcome.repeated)
    except Exception:
        storage = Document._meta.get_field("file").storage
        for name in stored_files:  # the rows were rolled back: remove their files too
            storage.delete(name)
        raise


def answers_for(dossier) -> list[tuple[str, str]]:
    """What the applicant typed in the e-form of an online dossier, as (label, value) pairs for the staff
    page (choices by their label, dates as dd/mm/yyyy); empty for a dossier not made online."""
    draft = ApplicationDraft.objects.filter(dossier=dossier).select_related("case").first()
    if draft is None:
        return []
    form = EForm({k: v for k, v in (draft.data or {}).items() if v not in (False, None)},
                 schema=draft.case.eform_schema or {})
    rows = []
    for field in form:
        value = field.value()
        if value in (None, "", [], False):
            continue
        choices = dict(getattr(field.field, "choices", []) or [])
        if isinstance(value, list):
            value = ", ".join(str(choices.get(v, v)) for v in value)
        else:
            value = choices.get(value, value)
        if value is True:
            value = _("Có")
        text = str(value)
        if len(text) == 10 and text[4] == "-" and text[7] == "-":
            text = f"{text[8:10]}/{text[5:7]}/{text[0:4]}"
        rows.append((str(field.label), text))
    return rows
