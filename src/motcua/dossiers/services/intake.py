"""One intake for every door (counter, post, DVCQG, portal, API): the applicant checked with the shared field
types, the papers and fees of the case, the dossier created with its first event."""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua import fields
from motcua.catalog.models import Case, FeeLine, OnlineLevel
from motcua.org.models import Agency
from motcua.workflow import events

from .. import codes, workflow
from ..models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    DossierFee,
    IdempotencyRecord,
    ReturnMethod,
    State,
)
from .common import _actor_key, _append_event, _as_user, _check_actor, _now, _remember_key, _store_key, _text
from .errors import DossierError, Outcome


def _clean_applicant(applicant: dict, today) -> dict:
    kind = applicant.get("kind", ApplicantKind.CITIZEN)
    if kind not in ApplicantKind.values:
        raise DossierError("Loại người nộp phải là 'citizen' (công dân) hoặc 'organisation' (tổ chức).", field="applicant.kind")
    name = _text(applicant, "name", "họ tên chủ hồ sơ", max_length=200,
                 kind=fields.person_name if kind == ApplicantKind.CITIZEN else fields.address)
    out = {"applicant_kind": kind, "applicant_name": name}
    try:
        if kind == ApplicantKind.CITIZEN:
            birth_date = applicant.get("birth_date")
            if applicant.get("personal_id"):
                out["personal_id"] = fields.personal_id(applicant["personal_id"], birth_date=birth_date, today=today)
            elif applicant.get("old_id_number"):
                out["old_id_number"] = fields.old_id(applicant["old_id_number"])
            else:
                raise DossierError(
                    "Cần số định danh cá nhân 12 chữ số của chủ hồ sơ (hoặc số CMND 9 chữ số trong hồ sơ cũ).",
                    code="missing_field",
                    field="applicant.personal_id",
                )
            out["birth_date"] = birth_date
        else:
            out["tax_code"] = fields.tax_code(applicant.get("tax_code", ""))
        if applicant.get("representative_id"):
            out["representative_id"] = fields.personal_id(applicant["representative_id"], today=today)
        out["phone"] = fields.phone(applicant["phone"], field="applicant.phone") if applicant.get("phone") else ""
    except fields.FieldError as exc:
        raise DossierError(exc.message, code="invalid_identifier", field=exc.field or "applicant") from exc
    out["representative_name"] = _text(applicant, "representative_name", "tên người nộp thay", required=False,
                                       max_length=200, kind=fields.person_name)
    out["email"] = _text(applicant, "email", "thư điện tử", required=False, max_length=254, kind=fields.address)
    out["address"] = _text(applicant, "address", "địa chỉ", required=False, max_length=300, kind=fields.address)
    return out


def _check_agency(agency: Agency | None, label: str, day) -> Agency:
    if agency is None:
        raise DossierError(f"Cần chọn {label}.", code="missing_field")
    if day < agency.valid_from:
        raise DossierError(f"{agency} chưa có hiệu lực; bắt đầu hoạt động từ ngày {agency.valid_from:%d/%m/%Y}.", code="agency_inactive")
    if agency.valid_to is not None and day > agency.valid_to:
        successor = f"; hãy dùng {agency.succeeded_by}" if agency.succeeded_by else ""
        raise DossierError(f"{agency} đã hết hiệu lực sau ngày {agency.valid_to:%d/%m/%Y}{successor}.", code="agency_inactive")
    return agency


def _component_rows(dossier: Dossier, case: Case, given: list[dict] | None) -> list[DossierComponent]:
    by_id = {c.pk: c for c in case.components.all()}
    flags = {}
    for i, item in enumerate(given or [], start=1):
        cid = item.get("component")
        if cid not in by_id:
            raise DossierError(f"Thành phần hồ sơ thứ {i} (mã {cid}) không thuộc trường hợp đã chọn.", field="components")
        flags[cid] = item
    rows = []
    for comp in by_id.values():
        item = flags.get(comp.pk, {})
        counts = {name: _count(item, name, label, getattr(comp, name)) for name, label in COPY_COUNTS.items()}
        rows.append(
            DossierComponent(
                dossier=dossier,
                component=comp,
                name=comp.name,
                **counts,
                provided=bool(item.get("provided", given is None or comp.pk in flags)),
                digitised=bool(item.get("digitised", False)),
                reused=bool(item.get("reused", False)),
                from_national_data=bool(item.get("from_national_data", False)) and comp.national_data,
            )
        )
    return rows


COPY_COUNTS = {"originals": "số bản chính", "certified_copies": "số bản sao chứng thực", "photocopies": "số bản photo"}


def _count(item: dict, name: str, label: str, default: int) -> int:
    """A number of copies handed in (the catalog's number when not given)."""
    value = item.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 99:
        raise DossierError(f"{label.capitalize()} phải là số nguyên từ 0 đến 99.", field="components")
    return value


def _fee_rows(dossier: Dossier, case: Case, given: list[dict] | None, online: bool, now) -> list[DossierFee]:
    """The case's fee lines; the officer may record the collection mode and that a fee was paid at the counter."""
    lines = {f.pk: f for f in case.fees.all()}
    choices = {}
    for i, item in enumerate(given or [], start=1):
        if item.get("fee_line") not in lines:
            raise DossierError(f"Khoản phí thứ {i} không thuộc trường hợp đã chọn.", field="fees")
        mode = item.get("mode") or lines[item["fee_line"]].mode
        if mode not in FeeLine.Mode.values:
            raise DossierError(f"Hình thức thu của khoản phí thứ {i} không hợp lệ.", field="fees")
        choices[item["fee_line"]] = (mode, bool(item.get("paid")) and mode in (FeeLine.Mode.PREPAID, FeeLine.Mode.POSTPAID))
    rows = []
    for f in lines.values():
        mode, paid = choices.get(f.pk, (f.mode, False))
        rows.append(
            DossierFee(
                dossier=dossier, fee_line=f, kind=f.kind, name=f.name, amount=f.amount_for(online), mode=mode,
                paid_at=now if paid else None, payment_channel="counter_cash" if paid else "",
            )
        )
    return rows


@transaction.atomic
def create_dossier(
    *,
    actor,
    case: Case,
    channel: int,
    receiving_agency: Agency,
    competent_agency: Agency | None = None,
    support_agency: Agency | None = None,
    applicant: dict,
    components: list[dict] | None = None,
    fees: list[dict] | None = None,
    return_method: str = ReturnMethod.COUNTER,
    summary: str = "",
    address_unit=None,
    identity_verified: bool = False,
    population_verified: bool = False,
    notify: list[str] | None = None,
    idempotency_key: str | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Create a dossier and submit it (action "submit": draft → submitted), with its code, papers and fees.

    Refused: an unknown channel, a procedure version not in force, online submission of a procedure not
    offered online, an inactive agency, a malformed personal ID or tax code, over-long text, components
    not of the case, an actor without a submitting role at the receiving agency. A repeated idempotency
    key returns the dossier created the first time.
    """
    now = _now(now)
    today = timezone.localtime(now).date()
    repeated = _remember_key(actor, idempotency_key, "submit")
    if repeated is not None:
        return Outcome(repeated, True)
    if channel not in Channel.values:
        raise DossierError("Kênh nộp phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính công ích).", field="channel")
    if not case.version.__class__.objects.in_force(today).filter(pk=case.version_id).exists():
        raise DossierError(
            f"Phiên bản {case.version.number} của thủ tục {case.version.procedure.code} không có hiệu lực ngày {today:%d/%m/%Y}.",
            code="version_not_in_force",
        )
    if channel == Channel.ONLINE and case.online_level == OnlineLevel.NONE:
        raise DossierError("Thủ tục này không được cung cấp trực tuyến; hãy nộp trực tiếp hoặc qua bưu chính.", field="channel")
    if return_method not in ReturnMethod.values:
        raise DossierError("Hình thức nhận kết quả phải là counter, post hoặc electronic.", field="return_method")
    receiving_agency = _check_agency(receiving_agency, "đơn vị tiếp nhận", today)
    competent_agency = _check_agency(competent_agency or receiving_agency, "cơ quan giải quyết", today)
    if support_agency is not None:
        _check_agency(support_agency, "nơi hỗ trợ", today)
    fields = _clean_applicant(applicant, today)
    summary = _text({"summary": summary}, "summary", "trích yếu", required=False, max_length=1000)

    dossier = Dossier(
        channel=channel,
        state=State.DRAFT,
        procedure_version=case.version,
        case=case,
        summary=summary or case.version.procedure.name,
        return_method=return_method,
        receiving_agency=receiving_agency,
        competent_agency=competent_agency,
        support_agency=support_agency,
        address_unit=address_unit,
        identity_verified=identity_verified,
        population_verified=population_verified,
        created_by=_as_user(actor),
        **fields,
    )
    if notify is not None:  # the applicant's choice; by default every channel they gave contacts for
        unknown = set(notify) - {"sms", "email", "zalo"}
        if unknown:
            raise DossierError(f"Kênh nhận thông báo không hợp lệ: {', '.join(sorted(unknown))}.", field="notify")
        dossier.notify_sms, dossier.notify_email, dossier.notify_zalo = ("sms" in notify, "email" in notify, "zalo" in notify)
    transition = workflow.get("submit")
    _check_actor(actor, dossier, transition)
    try:
        # The related rows were passed in as loaded objects: no query to check that they exist.
        dossier.full_clean(exclude=["code", "procedure_version", "case", "receiving_agency", "competent_agency",
                                    "support_agency", "address_unit", "created_by"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DossierError(f"{Dossier._meta.get_field(field).verbose_name}: {' '.join(messages)}", field=field) from exc

    # The day's number is taken last (see below); until then the row carries a code no one else can hold.
    dossier.code = f"~{uuid.uuid4().hex}"
    dossier.state = transition.target
    dossier.national_status = workflow.national_status(dossier.state)
    dossier.submitted_at = now
    dossier.save()
    papers = DossierComponent.objects.bulk_create(_component_rows(dossier, case, components))
    fee_rows = DossierFee.objects.bulk_create(_fee_rows(dossier, case, fees, channel == Channel.ONLINE, now))
    event = _append_event(
        dossier,
        "submit",
        State.DRAFT,
        actor,
        now,
        data={"channel": channel, "procedure": case.version.procedure.code, "version": case.version.number, "case": case.code},
    )
    try:
        with transaction.atomic():
            _store_key(actor, idempotency_key, "submit", dossier)
    except IntegrityError:
        # The same key arrived twice at once and the other call won: give its dossier back, write nothing.
        # (Read it before marking the transaction for rollback: no query may follow that.)
        winner = IdempotencyRecord.objects.select_related("dossier").get(actor_key=_actor_key(actor), key=idempotency_key)
        transaction.set_rollback(True)
        return Outcome(winner.dossier, True)
    # The agency's day counter stays locked from here to the caller's commit, and every submission to that
    # agency waits for it: so it comes after everything that does not need the code (only the messages do).
    # Callers that do more in the same transaction (the desk, online applications) hold it through that.
    dossier.code = codes.new_code(receiving_agency, today)
    dossier.save(update_fields=["code", "last_event_seq", "audit_head"])
    events.announce("dossier", events.MOVED, dossier, "submit", dossier.last_event_seq, {}, "")
    return Outcome(dossier, False, {"events": [event], "components": papers, "fees": fee_rows, "steps": [], "pauses": []})


# ---------------------------------------------------------------- transitions
