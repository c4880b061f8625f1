"""What the citizen must do next (supply, pay, collect), the payments and the fees."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, Pause, ReturnMethod, State

from .common import money, when


@dataclass(frozen=True)
class Item:
    name: str
    reason: str


@dataclass
class NextStep:
    """What the citizen must do now. kind: supply, pay, wait_payment, collect, none."""

    kind: str
    text: str
    items: list[Item] = field(default_factory=list)
    deadline: str = ""


def supplement_items(dossier: Dossier) -> list[Item]:
    """The items asked for by the open request (during processing) or the completion request (before
    reception), each with its reason; empty when nothing is asked."""
    if dossier.state == State.AWAITING_SUPPLEMENT:
        pause = dossier.pauses.filter(kind=Pause.Kind.SUPPLEMENT, ended_at__isnull=True).order_by("-started_at").first()
        raw = (pause.request or {}).get("items", []) if pause else []
    elif dossier.state == State.AWAITING_COMPLETION:
        event = dossier.events.filter(action="request_completion").order_by("-seq").first()
        raw = (event.data or {}).get("items", []) if event else []
    else:
        return []
    return [Item(i.get("name", ""), i.get("reason", "")) for i in raw if isinstance(i, dict)]


def _open_supplement_deadline(dossier: Dossier) -> str:
    pause = dossier.pauses.filter(kind=Pause.Kind.SUPPLEMENT, ended_at__isnull=True).first()
    return when(pause.answer_due_at) if pause else ""


def payable(dossier: Dossier) -> tuple[int, str, bool] | None:
    """What can be paid online now (amount, what for, already paid and waiting for confirmation), or
    None. payments.services.amount_due decides; its answer ends with (amount, description)."""
    from motcua.payments.models import Payment
    from motcua.payments.services import PaymentRefused, amount_due

    try:
        due = amount_due(dossier)
    except PaymentRefused:
        return None
    amount, description = due[-2], due[-1]
    paid = dossier.state == State.AWAITING_PAYMENT and dossier.payments.filter(
        status=Payment.Status.PAID, purpose=Payment.Purpose.OBLIGATION, amount=amount
    ).exists()
    return amount, description, paid


def next_step(dossier: Dossier) -> NextStep:
    """The one thing the citizen should do now, in plain words."""
    state = dossier.state
    if state in (State.AWAITING_SUPPLEMENT, State.AWAITING_COMPLETION):
        return NextStep(
            "supply",
            _("Bổ sung các giấy tờ dưới đây (mỗi giấy tờ kèm lý do). Ông/bà có thể tải lên bản chụp hoặc bản quét "
              "ngay trên trang này."),
            supplement_items(dossier),
            _open_supplement_deadline(dossier),
        )
    due = payable(dossier)
    if due is not None:
        amount, description, paid = due
        if paid:
            return NextStep("wait_payment", _("Ông/bà đã thanh toán; hồ sơ đang chờ cơ quan xác nhận khoản tiền."))
        return NextStep(
            "pay",
            _("Nộp %(amount)s (%(what)s). Ông/bà có thể thanh toán trực tuyến ngay trên trang này hoặc nộp tại bộ "
              "phận một cửa.") % {"amount": money(amount), "what": description},
        )
    if state == State.RESULT_READY:
        if dossier.return_method == ReturnMethod.POST:
            text = _("Kết quả sẽ được gửi qua bưu chính đến địa chỉ ông/bà đã đăng ký; ông/bà chờ nhận tại nhà.")
        elif dossier.return_method == ReturnMethod.ELECTRONIC:
            text = _("Kết quả điện tử sẽ được trả trên trang này; ông/bà chờ thông báo rồi tải về.")
        else:
            text = _("Đến nhận kết quả tại %(agency)s, mang theo giấy tiếp nhận hồ sơ (Mẫu 01) và giấy tờ tùy thân.") % {
                "agency": dossier.receiving_agency.name
            }
        return NextStep("collect", text)
    if state in workflow.TERMINAL_STATES:
        return NextStep("none", _("Ông/bà không cần làm gì thêm."))
    return NextStep("none", _("Ông/bà không cần làm gì lúc này; hồ sơ đang được giải quyết."))


@dataclass(frozen=True)
class PaymentLine:
    amount: str
    description: str
    status: str
    at: str
    receipt: str = ""  # the reference, when an electronic receipt can be downloaded


def payment_state(dossier: Dossier) -> list[PaymentLine]:
    """The online payments of the dossier, newest first, as the citizen sees them."""
    return [
        PaymentLine(money(p.amount), p.description, p.get_status_display(), when(p.paid_at or p.created_at),
                    p.reference if p.status == p.Status.PAID else "")
        for p in dossier.payments.order_by("-created_at")[:10]
    ]


def fee_lines(dossier: Dossier) -> list[dict]:
    """Fees of the dossier: what, how much, paid or not."""
    return [
        {"name": f.name, "amount": money(f.amount), "paid": when(f.paid_at)}
        for f in dossier.fees.order_by("pk")
        if f.amount
    ]
