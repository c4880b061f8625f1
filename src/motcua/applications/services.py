"""The rules of applying online. The only functions that write drafts, uploads, and the dossier they become.

What changes and what can be refused (every refusal is an ApplicationError with a Vietnamese message that
says what to do, and the HTTP status to answer with; nothing is half-written then):

- start_draft: opens the citizen's draft for a case, or gives back the open one. Refused (409) when the
  case is not offered online or its procedure version is not in force today.
- save_form / save_review: keep what the citizen typed on the open draft, valid or not (the pages show
  the problems; nothing typed is lost). Refused (409) on a submitted draft.
- create_upload: a new resumable upload into a component of the draft's case. Refused: an empty file
  (400), a file over the per-file limit or a draft over DRAFT_MAX_BYTES in all (413), a component of another
  case (400), a submitted draft (409).
- append: writes the bytes of one PATCH at the stated offset. The offset that counts is the size of the
  stored file: when the connection drops mid-PATCH, what arrived is kept and the next HEAD says so.
  Refused: a wrong offset (409), more bytes than declared (413, the PATCH's bytes are discarded), first
  bytes that are not a PDF, JPEG or PNG (415; the upload is removed: there is nothing to resume).
- store_plain: the same checks for a whole file sent without JavaScript.
- delete_upload: removes an upload of an open draft and its bytes.
- submit: validates the e-form, the review choices, the required components and that every upload is
  complete; then, in one transaction, creates and submits the dossier (channel online, the applicant as
  the actor, named in the history) with an idempotency key derived from the draft's submission key, stores every
  uploaded file as a Document of its dossier component (marked provided and digitised) and marks the draft
  submitted. The draft row is locked first, so a double click, a resend or two requests at once give one
  dossier. The files are stored with documents.services.store (attach() is the staff path).
"""

import fcntl
import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Case, Component, FeeLine, OnlineLevel
from motcua.documents import services as documents
from motcua.documents.models import Document
from motcua.documents.services import SIGNATURES, DocumentError, check_upload, clean_name, max_bytes
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Channel, ReturnMethod
from motcua.fields import FieldError
from motcua.integrations.services import lookup_applicant
from motcua.org.models import Agency
from motcua.portal.models import CitizenAccount

from .forms import EForm
from .models import ApplicationDraft, ResumableUpload

DRAFT_MAX_BYTES = 50 * 1024 * 1024  # all files of one application together
SIGNATURE_BYTES = max(len(magic) for magic, _t, _e in SIGNATURES)
READ_SIZE = 64 * 1024


class ApplicationError(Exception):
    """A refusal a citizen can act on; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or []


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


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


# ---------------------------------------------------------------- the checklist


@dataclass
class ChecklistRow:
    component: Component
    uploads: list
    needs_upload: bool  # required, and not available from the national databases

    @property
    def copies(self) -> str:
        c = self.component
        parts = []
        if c.originals:
            parts.append(_("%(n)s bản chính") % {"n": c.originals})
        if c.certified_copies:
            parts.append(_("%(n)s bản sao chứng thực") % {"n": c.certified_copies})
        if c.photocopies:
            parts.append(_("%(n)s bản chụp") % {"n": c.photocopies})
        return ", ".join(parts)

    @property
    def done(self) -> bool:
        return any(u.complete for u in self.uploads)


def checklist(draft: ApplicationDraft) -> list[ChecklistRow]:
    uploads: dict[int, list] = {}
    for u in draft.uploads.all():
        uploads.setdefault(u.component_id, []).append(u)
    return [
        ChecklistRow(c, uploads.get(c.pk, []), c.required and not c.national_data)
        for c in draft.case.components.all()
    ]


def draft_bytes(draft: ApplicationDraft, exclude=None) -> int:
    qs = draft.uploads.all()
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return sum(qs.values_list("length", flat=True))


# ---------------------------------------------------------------- uploads


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "tus"


def full_path(upload: ResumableUpload) -> Path:
    return Path(settings.MEDIA_ROOT) / upload.path


def _check_size(draft: ApplicationDraft, name: str, length: int) -> None:
    if length <= 0:
        raise ApplicationError(_("Tệp “%(name)s” rỗng; hãy quét hoặc chọn lại tệp.") % {"name": name})
    limit = max_bytes()
    if length > limit:
        raise ApplicationError(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức tối đa %(limit)s cho mỗi tệp; hãy quét ở độ "
              "phân giải thấp hơn hoặc tách thành nhiều tệp.")
            % {"name": name, "size": _megabytes(length), "limit": _megabytes(limit)},
            status=413,
        )
    used = draft_bytes(draft)
    if used + length > DRAFT_MAX_BYTES:
        raise ApplicationError(
            _("Các tệp của hồ sơ này đã dùng %(used)s; thêm tệp “%(name)s” (%(size)s) sẽ vượt mức %(limit)s cho "
              "một hồ sơ. Hãy xóa tệp không cần thiết hoặc quét ở độ phân giải thấp hơn.")
            % {"used": _megabytes(used), "name": name, "size": _megabytes(length), "limit": _megabytes(DRAFT_MAX_BYTES)},
            status=413,
        )


def _component_of(draft: ApplicationDraft, component_id) -> Component:
    try:
        return draft.case.components.get(pk=int(component_id))
    except (TypeError, ValueError, Component.DoesNotExist):
        raise ApplicationError(_("Hãy chọn thành phần hồ sơ mà tệp này thuộc về.")) from None


def create_upload(draft: ApplicationDraft, component_id, length: int, filename: str) -> ResumableUpload:
    _require_open(draft)
    component = _component_of(draft, component_id)
    name = clean_name(filename)
    _check_size(draft, name, length)
    upload_id = uuid.uuid4()
    relative = f"tus/{upload_id.hex}.part"
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    (root / f"{upload_id.hex}.part").touch()
    return ResumableUpload.objects.create(
        id=upload_id, draft=draft, component=component, filename=name, length=length, path=relative
    )


def _kind_of(head: bytes, final: bool) -> str | None:
    """The content type the first bytes prove; None while too few bytes have arrived to tell."""
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    if not final and any(magic.startswith(head) for magic, _t, _e in SIGNATURES):
        return None
    return ""


def _refuse_type(upload: ResumableUpload) -> ApplicationError:
    return ApplicationError(
        _("Tệp “%(name)s” không phải PDF, ảnh JPEG hoặc PNG (hệ thống kiểm tra theo nội dung tệp, không theo đuôi "
          "tên tệp). Hãy quét giấy tờ thành PDF hoặc chụp thành ảnh JPEG/PNG rồi tải lên lại.") % {"name": upload.filename},
        status=415,
    )


def append(upload: ResumableUpload, offset: int, read, content_length: int | None = None) -> int:
    """Write the bytes `read(n)` yields at `offset`; returns the offset now stored.

    A file lock serialises PATCHes of one upload; no database transaction is held while bytes arrive.
    A read that fails (the connection dropped) ends the PATCH with what arrived stored.
    """
    _require_open(upload.draft)
    path = full_path(upload)
    try:
        fh = open(path, "r+b")
    except FileNotFoundError:
        raise ApplicationError(_("Không tìm thấy tệp đang tải lên; hãy chọn lại tệp."), status=404) from None
    refused = None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        stored = fh.seek(0, os.SEEK_END)
        if offset != stored:
            raise ApplicationError(
                _("Vị trí tải lên không khớp: máy chủ đã nhận %(stored)s byte.") % {"stored": stored}, status=409
            )
        remaining = upload.length - stored
        if content_length is not None and content_length > remaining:
            raise ApplicationError(_("Phần gửi lên dài hơn dung lượng tệp đã khai báo."), status=413)
        fh.seek(0)
        head = fh.read(SIGNATURE_BYTES)
        fh.seek(stored)
        written = 0
        kind = upload.content_type or None
        try:
            while True:
                try:
                    chunk = read(min(READ_SIZE, remaining - written + 1))
                except OSError:
                    break  # the connection dropped: keep what arrived
                if not chunk:
                    break
                if written + len(chunk) > remaining:
                    refused = ApplicationError(_("Phần gửi lên dài hơn dung lượng tệp đã khai báo."), status=413)
                    break
                if kind is None:
                    head = (head + chunk)[:SIGNATURE_BYTES]
                    kind = _kind_of(head, final=stored + written + len(chunk) >= upload.length)
                    if kind == "":
                        refused = _refuse_type(upload)
                        break
                fh.write(chunk)
                written += len(chunk)
            if refused is not None:
                fh.truncate(stored)  # nothing of a refused PATCH stays
                written = 0
        finally:
            fh.flush()
            os.fsync(fh.fileno())
        new_offset = stored + written
    if refused is not None and refused.status == 415:
        delete_upload(upload)
        raise refused
    upload.offset = new_offset
    if kind and not upload.content_type:
        upload.content_type = kind
    ResumableUpload.objects.filter(pk=upload.pk).update(
        offset=new_offset, content_type=upload.content_type, updated_at=timezone.now()
    )
    if refused is not None:
        raise refused
    if new_offset == upload.length:
        _finish(upload)
    return new_offset


def _finish(upload: ResumableUpload) -> None:
    """Check the whole file's type again and fingerprint it."""
    digest = hashlib.sha256()
    with open(full_path(upload), "rb") as fh:
        head = fh.read(SIGNATURE_BYTES)
        fh.seek(0)
        for block in iter(lambda: fh.read(READ_SIZE), b""):
            digest.update(block)
    kind = _kind_of(head, final=True)
    if not kind:
        delete_upload(upload)
        raise _refuse_type(upload)
    upload.content_type, upload.sha256 = kind, digest.hexdigest()
    ResumableUpload.objects.filter(pk=upload.pk).update(content_type=kind, sha256=upload.sha256)


def stored_offset(upload: ResumableUpload) -> int:
    """Bytes actually stored (the file on disk is the truth; the row is brought in line)."""
    try:
        size = full_path(upload).stat().st_size
    except FileNotFoundError:
        size = 0
    if size != upload.offset:
        ResumableUpload.objects.filter(pk=upload.pk).update(offset=size)
        upload.offset = size
    return size


def store_plain(draft: ApplicationDraft, component_id, uploaded) -> ResumableUpload:
    """A whole file from a form without JavaScript: the same checks as a resumable upload."""
    _require_open(draft)
    component = _component_of(draft, component_id)
    if uploaded is None:
        raise ApplicationError(_("Hãy chọn tệp cần tải lên."))
    try:
        checked = check_upload(uploaded)
    except DocumentError as exc:
        raise ApplicationError(exc.message, status=exc.status) from None
    _check_size(draft, checked.name, checked.size)
    upload_id = uuid.uuid4()
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{upload_id.hex}.part"
    with open(target, "wb") as out:
        for block in uploaded.chunks():
            out.write(block)
    return ResumableUpload.objects.create(
        id=upload_id, draft=draft, component=component, filename=checked.name, length=checked.size,
        offset=checked.size, path=f"tus/{upload_id.hex}.part", content_type=checked.content_type, sha256=checked.sha256,
    )


def delete_upload(upload: ResumableUpload) -> None:
    _require_open(upload.draft)
    path = full_path(upload)
    ResumableUpload.objects.filter(pk=upload.pk).delete()
    path.unlink(missing_ok=True)


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
