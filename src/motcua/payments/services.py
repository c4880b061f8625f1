"""Online payments of a dossier: start one, record what the platform says (once, whichever way it
arrives), and re-check the ones nobody confirmed. Dossier moves go through dossiers.services.perform."""

import logging
import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Pause, State

from . import providers
from .models import Payment, PaymentNotice

log = logging.getLogger(__name__)

# A payment not confirmed after this long is asked about; after RECHECK_FOR it is left as it is.
RECHECK_AFTER = timedelta(minutes=10)
RECHECK_FOR = timedelta(days=3)


class PaymentRefused(Exception):
    """A request we will not carry out; the message says why, in Vietnamese."""


def _reference(dossier, now) -> str:
    """MaThamChieu: "dvc" + the dossier code without punctuation + the time (unique per attempt)."""
    return f"dvc{re.sub(r'[^0-9A-Za-z]', '', dossier.code)}{timezone.localtime(now):%Y%m%d%H%M%S%f}"[:60]


def _open_obligation(dossier):
    return dossier.pauses.filter(kind=Pause.Kind.PAYMENT, ended_at__isnull=True).order_by("-started_at").first()


def amount_due(dossier) -> tuple[str, int, str]:
    """What the applicant can pay online now, and what for: the open financial-obligation request, or
    else the fees to be paid before processing (at their online amount, set when the dossier was made)."""
    if dossier.state == State.AWAITING_PAYMENT:
        pause = _open_obligation(dossier)
        amount = int((pause.request or {}).get("amount") or 0) if pause else 0
        if amount > 0:
            description = (pause.request or {}).get("description") or f"Nghĩa vụ tài chính hồ sơ {dossier.code}"
            return Payment.Purpose.OBLIGATION, amount, description[:300]
    if dossier.state in dossier_services.FEE_PAYABLE_STATES:
        fees = dossier_services.unpaid_prepaid_fees(dossier)
        if fees:
            names = ", ".join(f.name for f in fees)
            return Payment.Purpose.FEES, sum(f.amount for f in fees), f"Phí, lệ phí hồ sơ {dossier.code}: {names}"[:300]
    raise PaymentRefused("Hồ sơ này hiện không có khoản nào chờ thanh toán.")


def start(dossier, *, ip: str, return_url: str, now=None) -> Payment:
    """Open a transaction with the platform for what is due and return it (its pay_url is where the
    citizen goes). Refused when nothing is due or one is already paid; PaymentError when the platform
    cannot be reached (nothing is kept then but the failed attempt)."""
    now = now or timezone.now()
    purpose, amount, description = amount_due(dossier)
    pause = _open_obligation(dossier) if purpose == Payment.Purpose.OBLIGATION else None
    if pause is not None and dossier.payments.filter(status=Payment.Status.PAID, pause=pause).exists():
        raise PaymentRefused("Khoản này đã được thanh toán; hồ sơ đang chờ cơ quan xác nhận.")
    provider = providers.get()
    payment = Payment.objects.create(
        dossier=dossier, purpose=purpose, pause=pause, reference=_reference(dossier, now), amount=amount,
        description=description, provider=provider.name, transaction_time=f"{timezone.localtime(now):%Y%m%d%H%M%S}",
        created_at=now,
    )
    try:
        payment.pay_url = provider.init(payment, ip=ip, return_url=return_url)
    except providers.PaymentError:
        payment.status = Payment.Status.FAILED
        payment.save(update_fields=["status"])
        raise
    payment.save(update_fields=["pay_url"])
    return payment


def _apply(payment: Payment, result: providers.Result, now) -> Payment:
    """Move a payment to the platform's answer, once. A paid obligation resumes the dossier's clock
    through the dossier service (idempotent by the payment's reference)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == Payment.Status.PAID or result.status == payment.status:
            return payment  # already recorded: a second notice changes nothing
        if result.status == Payment.Status.PAID:
            if result.amount != payment.amount:  # a missing amount is no match either
                raise PaymentRefused(f"Số tiền báo về ({result.amount}) khác số tiền của giao dịch ({payment.amount}).")
            payment.status, payment.paid_at = Payment.Status.PAID, now
        elif result.status == Payment.Status.FAILED:
            payment.status = Payment.Status.FAILED
        else:
            return payment
        payment.bank_code, payment.provider_transaction = result.bank_code, result.transaction
        payment.save()
        if payment.status == Payment.Status.PAID and payment.purpose == Payment.Purpose.FEES:
            try:
                with transaction.atomic():
                    dossier_services.record_fee_payment(payment.dossier, reference=payment.reference,
                                                        amount=payment.amount, now=now)
            except dossier_services.DossierError as exc:
                # The money is taken either way: the payment stays paid, and staff see why the fees were
                # not marked (paid at the counter meanwhile, the dossier refused...).
                _needs_review(payment, f"Đã thu tiền nhưng chưa ghi nhận vào phí, lệ phí: {exc.message}")
        elif payment.status == Payment.Status.PAID:
            problem = _obligation_problem(payment)
            if problem:
                _needs_review(payment, problem)
                return payment
            try:
                with transaction.atomic():
                    dossier_services.perform(
                        payment.dossier, "confirm_payment", actor=None, now=now,
                        data={"payment_channel": "Trực tuyến"}, idempotency_key=f"payment:{payment.reference}",
                    )
            except dossier_services.DossierError as exc:  # an officer confirmed at the same moment
                _needs_review(payment, f"Đã thu tiền nhưng chưa xác nhận được trên hồ sơ: {exc.message}")
    return payment


def _obligation_problem(payment: Payment) -> str:
    """Why a paid obligation payment cannot resume the dossier, or "" when it can: it must answer the
    request open now (when it is tied to one), for exactly its amount."""
    dossier = payment.dossier
    pause = _open_obligation(dossier) if dossier.state == State.AWAITING_PAYMENT else None
    if pause is None:
        return "Đã thu tiền nhưng hồ sơ không còn chờ nghĩa vụ tài chính (đã xác nhận hoặc đã kết thúc)."
    if payment.pause_id is not None and payment.pause_id != pause.pk:
        return "Đã thu tiền cho một yêu cầu nghĩa vụ tài chính trước đó, không phải yêu cầu đang mở."
    if int((pause.request or {}).get("amount") or 0) != payment.amount:
        return "Số tiền đã thu khác số tiền của yêu cầu nghĩa vụ tài chính đang mở."
    return ""


def _needs_review(payment: Payment, problem: str) -> None:
    log.warning("payment %s: %s", payment.reference, problem)
    Payment.objects.filter(pk=payment.pk).update(problem=problem[:300])
    payment.problem = problem[:300]


def record_return(fields: dict, *, remote_addr: str | None = None, now=None) -> Payment:
    """The signed result the citizen's browser brings back from the platform. A forged, altered or
    unknown result is refused (PaymentRefused) and logged with what came."""
    now = now or timezone.now()
    reference = str(fields.get("MaThamChieu", ""))[:100]
    payment = Payment.objects.filter(reference=reference).select_related("dossier").first()
    notice = PaymentNotice(payment=payment, reference=reference, source=PaymentNotice.Source.RETURN,
                           body=dict(fields), accepted=False, remote_addr=remote_addr, received_at=now)
    try:
        if payment is None:
            raise PaymentRefused("Không có giao dịch thanh toán với mã tham chiếu này.")
        provider = providers.get(payment.provider)
        try:
            result = provider.verify_return(fields)
        except providers.PaymentError as exc:
            raise PaymentRefused(str(exc)) from exc
        if result.amount != payment.amount:
            raise PaymentRefused("Số tiền trong kết quả không khớp với giao dịch.")
        if result.status == Payment.Status.PAID:
            result = _confirmed(provider, payment, notice)
        payment = _apply(payment, result, now)
    except PaymentRefused as exc:
        notice.problem = str(exc)[:300]
        notice.save()
        log.warning("payment result refused: %s %s from %s", reference, exc, remote_addr)
        raise
    notice.accepted = True
    notice.save()
    return payment


def _confirmed(provider, payment: Payment, notice: PaymentNotice) -> providers.Result:
    """A result that says "paid" is asked back of the platform (CHECK): what is recorded (status, amount,
    the platform's transaction number) is what the platform confirms, not what the browser carried. When
    the platform cannot be asked now, the payment stays waiting and the periodic re-check settles it."""
    try:
        confirmed = provider.check(payment)
    except providers.PaymentError as exc:
        log.warning("payment %s: result not confirmed yet: %s", payment.reference, exc)
        notice.problem = "Chưa xác nhận được với nền tảng thanh toán; hệ thống sẽ đối soát lại."
        return providers.Result(status=Payment.Status.INITIATED)
    if confirmed.status == Payment.Status.INITIATED:  # not settled at the platform yet: wait, do not refuse
        notice.problem = "Nền tảng thanh toán chưa ghi nhận xong giao dịch; hệ thống sẽ đối soát lại."
        return confirmed
    if confirmed.status != Payment.Status.PAID:
        raise PaymentRefused("Nền tảng thanh toán chưa xác nhận giao dịch này đã thanh toán.")
    return confirmed


def recheck_unconfirmed(now=None) -> dict[str, int]:
    """Ask the platform about every transaction still waiting 10 minutes after it started (the citizen
    closed the page, the network dropped the return), for three days. Returns counts by outcome."""
    now = now or timezone.now()
    counts = {"paid": 0, "failed": 0, "waiting": 0, "unreachable": 0}
    waiting = Payment.objects.filter(
        status=Payment.Status.INITIATED, created_at__lte=now - RECHECK_AFTER, created_at__gte=now - RECHECK_FOR
    ).select_related("dossier")
    for payment in waiting:
        Payment.objects.filter(pk=payment.pk).update(checked_at=now, checks=payment.checks + 1)
        try:
            result = providers.get(payment.provider).check(payment)
            payment = _apply(payment, result, now)
        except (providers.PaymentError, PaymentRefused) as exc:
            log.warning("payment re-check of %s: %s", payment.reference, exc)
            counts["unreachable"] += 1
            continue
        PaymentNotice.objects.create(payment=payment, reference=payment.reference, source=PaymentNotice.Source.CHECK,
                                     body={"TrangThai": result.status, "MaLoi": result.bank_code}, accepted=True,
                                     received_at=now)
        counts[{"thanh-cong": "paid", "that-bai": "failed"}.get(payment.status, "waiting")] += 1
    return counts


def receipt_pdf(payment: Payment) -> bytes:
    """The electronic receipt of a paid transaction, fetched from the platform. Refused while unpaid."""
    if payment.status != Payment.Status.PAID:
        raise PaymentRefused("Giao dịch chưa thanh toán thành công nên chưa có biên lai.")
    try:
        return providers.get(payment.provider).receipt(payment)
    except providers.PaymentError as exc:
        raise PaymentRefused(str(exc)) from exc
