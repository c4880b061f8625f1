"""The case and its draft: whether it can be applied for online, the draft, the e-form and what is known
about the citizen."""


from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Case, OnlineLevel
from motcua.fields import FieldError
from motcua.integrations.services import lookup_applicant
from motcua.portal.models import CitizenAccount

from ..forms import EForm
from ..models import ApplicationDraft
from .errors import ApplicationError

# ---------------------------------------------------------------- the case and its draft


def online_problem(case: Case, today=None) -> str | None:
    """Why this case cannot be applied for online today, or None."""
    today = today or timezone.localdate()
    if case.online_level == OnlineLevel.NONE:
        return _("Thủ tục “%(name)s” không được cung cấp trực tuyến: hãy nộp trực tiếp tại bộ phận một cửa hoặc "
                 "qua bưu chính công ích.") % {"name": case.version.procedure.name}
    if not case.version.__class__.objects.in_force(today).filter(pk=case.version_id).exists():
        return _("Phiên bản thủ tục này không còn hiệu lực; hãy tìm lại thủ tục để nộp theo quy định hiện hành.")
    return None


def start_draft(citizen: CitizenAccount, case: Case) -> ApplicationDraft:
    """The citizen's open draft for the case, created if there is none."""
    problem = online_problem(case)
    if problem:
        raise ApplicationError(problem, status=409)
    draft = ApplicationDraft.objects.filter(citizen=citizen, case=case, status=ApplicationDraft.Status.DRAFT).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            return ApplicationDraft.objects.create(
                citizen=citizen, case=case, phone=citizen.phone, email=citizen.email, notify_email=bool(citizen.email)
            )
    except IntegrityError:  # the same citizen opened the case twice at once
        return ApplicationDraft.objects.get(citizen=citizen, case=case, status=ApplicationDraft.Status.DRAFT)


def open_draft_for(citizen: CitizenAccount, case_id: int) -> ApplicationDraft | None:
    return (
        ApplicationDraft.objects.select_related("case__version__procedure", "receiving_agency")
        .filter(citizen=citizen, case_id=case_id, status=ApplicationDraft.Status.DRAFT)
        .first()
    )


def _require_open(draft: ApplicationDraft) -> None:
    if not draft.is_open:
        code = draft.dossier.code if draft.dossier_id else ""
        raise ApplicationError(
            _("Hồ sơ này đã được nộp (mã %(code)s); không sửa bản nháp được nữa.") % {"code": code}, status=409
        )


# Field names of the e-forms that mean the applicant's own data.
PREFILL_FIELDS = {
    "ho_ten": "full_name", "ho_ten_nguoi_yeu_cau": "full_name",
    "so_dinh_danh": "personal_id", "so_dinh_danh_nguoi_yeu_cau": "personal_id",
    "so_dien_thoai": "phone", "thu_dien_tu": "email",
    "ngay_sinh": "birth_date", "gioi_tinh": "sex",
    "dia_chi": "address", "noi_cu_tru": "address", "dia_chi_thuong_tru": "address", "dia_chi_nhan": "address",
}
SEX_CHOICES = {"nam": "Nam", "nu": "Nữ"}


def known_about(citizen: CitizenAccount) -> dict:
    """What the account and the population data say about the citizen (population data may be missing)."""
    known = {"full_name": citizen.full_name, "personal_id": citizen.personal_id, "phone": citizen.phone,
             "email": citizen.email}
    try:
        found = lookup_applicant(citizen.personal_id)
    except FieldError:
        return known
    if found.person is not None:
        person = found.person
        known |= {"birth_date": person.birth_date, "address": person.address, "sex": SEX_CHOICES.get(person.sex, ""),
                  "population_verified": True}
    return known


def prefill(citizen: CitizenAccount, form: EForm) -> dict:
    """Initial values for the e-form's fields that mean the applicant's own data."""
    known = known_about(citizen)
    return {name: known[key] for name, key in PREFILL_FIELDS.items() if name in form.fields and known.get(key)}


def form_values(form: EForm, posted) -> dict:
    """The typed values of the e-form's fields from a POST, as stored on the draft."""
    values = {}
    for name, field in form.fields.items():
        if field.__class__.__name__ == "BooleanField":
            values[name] = name in posted
        else:
            values[name] = (posted.get(name) or "").strip()[:2000]
    return values


def eform_for(draft: ApplicationDraft, data=None) -> EForm:
    """The e-form of the draft's case: bound to `data`, else to what the draft holds, else pre-filled."""
    schema = draft.case.eform_schema or {}
    if data is not None:
        return EForm(data, schema=schema)
    if draft.data:
        stored = {k: v for k, v in draft.data.items() if v not in (False, None)}
        return EForm(stored, schema=schema)
    form = EForm(schema=schema)
    form.initial = prefill(draft.citizen, form)
    return form


def save_form(draft: ApplicationDraft, posted) -> EForm:
    """Keep what was typed in the e-form (valid or not); returns the bound form to show its problems."""
    _require_open(draft)
    form = EForm(posted, schema=draft.case.eform_schema or {})
    draft.data = form_values(form, posted)
    draft.save(update_fields=["data", "updated_at"])
    return form
