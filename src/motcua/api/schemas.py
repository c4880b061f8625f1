"""The API contract (v1). Field names are English; labels and messages are Vietnamese."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, PlainSerializer, field_validator

from motcua.fields import MAX_MONEY


class Strict(Schema):
    # A misspelt field is an error, not silently ignored data.
    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo cho người dùng, bằng tiếng Việt")
    code: str = Field(description="Mã lỗi ổn định để máy đọc")
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


# ---------------------------------------------------------------- catalog


class FieldOut(Schema):
    code: str
    name: str


class TimeLimitOut(Schema):
    unit: str
    value: Decimal | None
    text: str


class ComponentOut(Schema):
    id: int
    order: int
    name: str
    description: str
    originals: int
    certified_copies: int
    photocopies: int
    national_data: bool
    required: bool


class FeeOut(Schema):
    kind: str
    name: str
    amount: int
    online_amount: int | None
    mode: str


class StepOut(Schema):
    order: int
    name: str
    role: str
    budget_hours: Decimal


class CaseOut(Schema):
    id: int
    code: str
    name: str
    time_limit: TimeLimitOut
    online_time_limit: TimeLimitOut | None
    same_day_cutoff: str
    online_cutoff: str | None
    online_level: str
    result_documents: list[str]
    eform_schema: dict[str, Any]
    components: list[ComponentOut]
    fees: list[FeeOut]
    steps: list[StepOut]
    budget_problem: str | None = Field(None, description="Tổng thời gian các bước không khớp thời hạn luật định")


class VersionOut(Schema):
    number: int
    effective_from: date
    effective_to: date | None
    decision: str
    in_force: bool
    cases: list[CaseOut]


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    field: FieldOut
    level: str
    agency_kind: str


class ProcedureOut(ProcedureSummaryOut):
    legal_basis: str
    versions: list[VersionOut]


# ---------------------------------------------------------------- dossiers


def _date_dmy(value):
    """Accept dd/mm/yyyy (what people type) as well as ISO yyyy-mm-dd."""
    if isinstance(value, str) and "/" in value:
        try:
            return datetime.strptime(value, "%d/%m/%Y").date()
        except ValueError as exc:
            raise ValueError("ngày phải theo dạng dd/mm/yyyy") from exc
    return value


class ApplicantIn(Strict):
    kind: Literal["citizen", "organisation"] = "citizen"
    name: str = Field(min_length=1, max_length=200)
    personal_id: str | None = Field(None, max_length=20, description="Số định danh cá nhân 12 chữ số")
    old_id_number: str | None = Field(None, max_length=20, description="Số CMND 9 chữ số (hồ sơ cũ)")
    birth_date: date | None = Field(None, description="dd/mm/yyyy hoặc yyyy-mm-dd")
    tax_code: str | None = Field(None, max_length=20)
    representative_name: str | None = Field(None, max_length=200)
    representative_id: str | None = Field(None, max_length=20)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=300)

    _birth = field_validator("birth_date", mode="before")(_date_dmy)


class ComponentFlagsIn(Strict):
    component: int = Field(description="id của thành phần hồ sơ trong danh mục (CaseOut.components[].id)")
    provided: bool = True
    digitised: bool = False
    reused: bool = False
    from_national_data: bool = False


class DossierIn(Strict):
    procedure: str = Field(max_length=30, description="Mã thủ tục, ví dụ 1.004222")
    version: int | None = Field(None, description="Mặc định: phiên bản đang có hiệu lực")
    case: str | None = Field(None, max_length=30, description="Mã trường hợp; mặc định trường hợp đầu tiên")
    channel: Literal[1, 2, 3] = Field(description="1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích")
    receiving_agency: str = Field(max_length=40, description="Mã định danh đơn vị tiếp nhận")
    competent_agency: str | None = Field(None, max_length=40)
    support_agency: str | None = Field(None, max_length=40)
    applicant: ApplicantIn
    address_unit: str | None = Field(None, max_length=10, description="Mã xã, phường (5 chữ số)")
    components: list[ComponentFlagsIn] | None = None
    return_method: Literal["counter", "post", "electronic"] = "counter"
    summary: str = Field("", max_length=1000)
    identity_verified: bool = False
    population_verified: bool = Field(False, description="Thông tin người nộp đã đối chiếu CSDL dân cư")
    notify: list[Literal["sms", "email", "zalo"]] | None = Field(
        None, description="Kênh người nộp muốn nhận thông báo; mặc định: mọi kênh có thông tin liên hệ"
    )


class ItemIn(Strict):
    name: str = Field(max_length=400)
    reason: str = Field(max_length=1000)


def _days(value: float) -> int | Decimal:
    # 5 stays 5 (kept as "5" with the pause, as before), 2.5 becomes Decimal("2.5"), never a binary fraction.
    return int(value) if value.is_integer() else Decimal(str(value))


# Working days given for an answer: a JSON number above 0 and at most 365, what dossiers.services accepts
# (_working_days). Strict, so the schema says exactly what is accepted: no numeric strings, no booleans.
# (Dumped as validated, an int or a Decimal.)
WorkingDays = Annotated[
    float, Field(gt=0, le=365, strict=True, allow_inf_nan=False), AfterValidator(_days), PlainSerializer(lambda v: v)
]


class TransitionIn(Strict):
    """The data an action needs; see GET /workflow for what each action requires."""

    reason: str | None = Field(None, max_length=2000)
    note: str | None = Field(None, max_length=2000)
    items: list[ItemIn] | None = None
    answer_days: WorkingDays | None = Field(
        None, description="request_supplement, request_verification: số ngày làm việc dành cho việc trả lời (> 0, ≤ 365)"
    )
    agency: str | None = Field(None, max_length=40)
    question: str | None = Field(None, max_length=2000)
    answer: str | None = Field(None, max_length=2000)
    amount: int | None = Field(None, ge=1, le=MAX_MONEY, description="Số tiền (đồng)")
    description: str | None = Field(None, max_length=300)
    payment_channel: str | None = Field(None, max_length=30)
    method: Literal["counter", "post", "electronic"] | None = None
    tracking_number: str | None = Field(None, max_length=40)
    receiver_name: str | None = Field(None, max_length=200)
    receiver_kind: Literal["owner", "authorised"] | None = None
    originals_returned: str | None = Field(None, max_length=1000)
    assignee: int | None = Field(None, description="forward: the officer (user id) the next step goes to")
    new_due_at: datetime | None = None
    components: list[ComponentFlagsIn] | None = None
    documents: list[str] | None = None


class AgencyRefOut(Schema):
    code: str
    name: str


class ActionOut(Schema):
    action: str
    label: str
    requires: list[str]


class EventOut(Schema):
    seq: int
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: str
    reason: str
    data: dict[str, Any]


class DossierComponentOut(Schema):
    component: int | None
    name: str
    provided: bool
    digitised: bool
    reused: bool
    from_national_data: bool


class DossierFeeOut(Schema):
    kind: str
    name: str
    amount: int
    mode: str
    paid_at: datetime | None


class StepRecordOut(Schema):
    order: int
    name: str
    role: str
    agency: str
    started_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    timing: str


class PauseOut(Schema):
    kind: str
    started_at: datetime
    ended_at: datetime | None
    answer_due_at: datetime | None
    request: dict[str, Any]
    answer: dict[str, Any]


class DossierSummaryOut(Schema):
    code: str
    channel: int
    state: str
    state_label: str
    national_status: int | None
    procedure: str
    applicant_name: str
    received_at: datetime | None
    due_at: datetime | None
    due_at_text: str | None = Field(None, description="Hẹn trả dạng HH:MM dd/mm/yyyy")
    overdue: bool


class DossierOut(DossierSummaryOut):
    procedure_name: str
    version: int
    case: str
    case_name: str
    applicant_kind: str
    personal_id: str
    tax_code: str
    phone: str
    email: str
    address: str
    summary: str
    return_method: str
    identity_verified: bool
    receiving_agency: AgencyRefOut
    competent_agency: AgencyRefOut
    submitted_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    rescheduled_due_at: datetime | None
    timing: str | None = Field(None, description="early / on_time / late, khi đã có kết quả")
    current_step: StepRecordOut | None
    allowed_actions: list[ActionOut]
    components: list[DossierComponentOut]
    fees: list[DossierFeeOut]
    steps: list[StepRecordOut]
    pauses: list[PauseOut]
    events: list[EventOut]


class TransitionOut(Schema):
    action: str
    label: str
    sources: list[str]
    target: str | None
    roles: list[str]
    requires: list[str]
    national_code: int | None


class PersonOut(Schema):
    personal_id: str
    full_name: str
    birth_date: date
    sex: str
    address: str


class PopulationLookupOut(Schema):
    status: Literal["found", "not_found", "unavailable"]
    message: str
    person: PersonOut | None


class TokenCheckOut(Schema):
    username: str
    roles: list[dict[str, str]]
