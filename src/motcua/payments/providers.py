"""Payment providers: connectors of kind "payment", chosen by name (MOTCUA_PAYMENT_PROVIDER) and
registered in PaymentsConfig.ready(). The national platform's protocol is the one provider today; the
sandbox gateway (views.sandbox_*) speaks the same protocol, so the demo and the tests run the real client."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from motcua.connectors import DeliveryError, Kind, Plugin, Setting, http, registry
from motcua.connectors.http import post_json

from . import protocol


class PaymentError(Exception):
    """The platform could not be reached or refused the request; the message is for people."""


@dataclass(frozen=True)
class Result:
    status: str  # Payment.Status value
    bank_code: str = ""
    transaction: str = ""
    amount: int | None = None


STATUSES = ("khoi-tao", "thanh-cong", "that-bai")
# The largest amount the payment table holds (PositiveBigIntegerField): far above any fee or tax.
MAX_AMOUNT = 9_223_372_036_854_775_807


def _amount(value) -> int | None:
    """An amount in đồng as the platform writes it: a whole number, as a JSON number or as ASCII digits
    (a trailing ".0" or ".00" allowed), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = int(value) if value.is_integer() else None
    text = str(value if value is not None else "")
    whole, _, fraction = text.partition(".")
    if fraction.strip("0") or not whole.isascii() or not whole.isdigit() or len(whole) > 19:
        return None
    return int(whole) if int(whole) <= MAX_AMOUNT else None


class NationalPlatform(Plugin):
    """The national payment platform (INIT → redirect → result or CHECK), §6.3. Without
    MOTCUA_PAYMENT_URL it talks to the project's sandbox gateway."""

    kind, name, label = Kind.PAYMENT, "national", "Nền tảng thanh toán tập trung / national payment platform"
    fallback = "cổng thử nghiệm nội bộ (/thanh-toan/sandbox) / the local sandbox gateway"
    declared_settings = (
        Setting("MOTCUA_PAYMENT_PROVIDER", "Nhà cung cấp dùng để thanh toán / the provider used"),
        Setting("MOTCUA_PAYMENT_URL", "Địa chỉ nền tảng; để trống: cổng thử nghiệm nội bộ / platform URL, empty: the sandbox",
                required=True),
        Setting("MOTCUA_PAYMENT_PARTNER", "Mã đối tác / partner code"),
        Setting("MOTCUA_PAYMENT_SECRET", "Khóa ký bản tin (MaXacThuc) / signing secret", required=True, secret=True),
        Setting("MOTCUA_PAYMENT_TOKEN", "Khóa truy cập (Bearer) / bearer token", secret=True),
        Setting("MOTCUA_HTTP_TIMEOUT", "Thời gian chờ mỗi lần gọi (giây) / timeout per call (seconds)"),
    )

    def _url(self, path: str) -> str:
        base = settings.MOTCUA_PAYMENT_URL or f"{settings.MOTCUA_PUBLIC_URL}/thanh-toan/sandbox"
        return base.rstrip("/") + path

    def _call(self, path: str, message: dict, key: str) -> dict:
        try:
            return post_json(self._url(path), message, key=key, token=settings.MOTCUA_PAYMENT_TOKEN)
        except DeliveryError as exc:
            raise PaymentError(f"Chưa kết nối được nền tảng thanh toán, xin thử lại sau ít phút. ({exc})") from exc

    def init(self, payment, *, ip: str, return_url: str) -> str:
        """Register the transaction and return the address the citizen pays at."""
        dossier = payment.dossier
        message = protocol.signed({
            "LoaiBanTin": "INIT", "PhienBan": protocol.VERSION, "MaDoiTac": settings.MOTCUA_PAYMENT_PARTNER,
            "MaThamChieu": payment.reference, "SoTien": str(payment.amount), "LoaiHinhThanhToan": "PAY",
            "MaKenhThanhToan": "1", "MaThietBi": "1", "NgonNgu": "vi-VN", "MaTienTe": "VND", "MaNganHang": "PAYMENT",
            "ThongTinGiaoDich": payment.description, "ThoiGianGD": payment.transaction_time, "Ip": ip,
        }, protocol.INIT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
        message["UrlTraVe"] = return_url
        message["ThongTinBienLai"] = {
            "MaDichVu": "2", "MaTTHC": dossier.procedure_version.procedure.code, "MaHoSo": dossier.code,
            "MaDonVi": dossier.competent_agency.identifier_code, "HoTenNguoiNop": dossier.applicant_name,
            "SoCMNDNguoiNop": dossier.personal_id, "DiaChiNguoiNop": dossier.address,
            "DSKhoanNop": [{"NoiDung": payment.description, "SoTien": str(payment.amount)}],
        }
        answer = self._call("/init", message, key=f"payment-init:{payment.reference}")
        if str(answer.get("error_code")) != "0" or not answer.get("UrlThanhToan"):
            raise PaymentError(f"Nền tảng thanh toán từ chối giao dịch: {answer.get('message', answer)}")
        return answer["UrlThanhToan"]

    def check(self, payment) -> Result:
        """Ask the platform where the transaction stands (the re-check of unconfirmed payments)."""
        message = protocol.signed({
            "LoaiBanTin": "CHECK", "PhienBan": protocol.VERSION, "MaDoiTac": settings.MOTCUA_PAYMENT_PARTNER,
            "MaThamChieu": payment.reference, "ThoiGianGD": payment.transaction_time,
        }, protocol.CHECK_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
        answer = self._call("/check", message, key=f"payment-check:{payment.reference}:{timezone.now():%Y%m%d%H%M%S}")
        if str(answer.get("error_code")) != "0":
            raise PaymentError(f"Nền tảng thanh toán không trả lời được trạng thái: {answer.get('message', answer)}")
        status = answer.get("TrangThai", "khoi-tao")
        if status not in STATUSES:
            raise PaymentError(f"Nền tảng thanh toán trả về trạng thái không rõ: {str(status)[:30]}")
        amount = _amount(answer.get("SoTien"))
        if status == "thanh-cong" and (amount is None or not answer.get("MaGiaoDich")):
            raise PaymentError("Nền tảng thanh toán báo đã thanh toán nhưng thiếu số tiền hoặc mã giao dịch.")
        return Result(status=status, bank_code=str(answer.get("MaLoi", ""))[:10],
                      transaction=str(answer.get("MaGiaoDich", ""))[:60], amount=amount)

    def receipt(self, payment) -> bytes:
        """The electronic receipt (biên lai điện tử) of a paid transaction, as PDF bytes."""
        message = protocol.signed({
            "LoaiBanTin": "BIENLAI", "PhienBan": protocol.VERSION, "MaDoiTac": settings.MOTCUA_PAYMENT_PARTNER,
            "MaThamChieu": payment.reference, "ThoiGianGD": payment.transaction_time,
        }, protocol.RECEIPT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
        try:
            body = http.request(self._url("/receipt"), method="POST", data=json.dumps(message).encode(),
                                headers={"Content-Type": "application/json"})
        except DeliveryError as exc:
            raise PaymentError(f"Chưa lấy được biên lai điện tử, xin thử lại sau. ({exc})") from exc
        if not body.startswith(b"%PDF-"):
            raise PaymentError("Nền tảng thanh toán không trả về biên lai điện tử.")
        return body

    def verify_return(self, fields: dict) -> Result:
        """The result the platform sends back with the citizen; refuses anything not signed by it."""
        # Every field a decision rests on must be there (a result without an amount used to skip the amount
        # check); the transaction number only on success (a cancelled payment may have none).
        needed = ["MaThamChieu", "SoTien", "MaLoi"]
        if str(fields.get("MaLoi", "")) == protocol.SUCCESS_BANK_CODE:
            needed.append("MaGiaoDich")
        missing = [name for name in needed if not str(fields.get(name, "")).strip()]
        if missing:
            raise PaymentError(f"Kết quả thanh toán thiếu trường: {', '.join(missing)}.")
        if not protocol.is_signed(fields, protocol.RESULT_FIELDS, settings.MOTCUA_PAYMENT_SECRET):
            raise PaymentError("Chữ ký (MaXacThuc) của kết quả thanh toán không đúng.")
        amount = _amount(fields["SoTien"])
        if amount is None:
            raise PaymentError("Số tiền trong kết quả thanh toán không hợp lệ.")
        code = str(fields["MaLoi"])[:10]
        return Result(
            status="thanh-cong" if code == protocol.SUCCESS_BANK_CODE else "that-bai",
            bank_code=code, transaction=str(fields.get("MaGiaoDich", ""))[:60], amount=amount,
        )


class SandboxGateway(NationalPlatform):
    """The project's sandbox gateway (payments/views.py, under /thanh-toan/sandbox/): it signs like the
    national platform; choosing it by name (MOTCUA_PAYMENT_PROVIDER=sandbox) always talks to it."""

    name, label = "sandbox", "Cổng thanh toán thử nghiệm nội bộ / local sandbox gateway"
    is_local_stand_in = True
    fallback = ""
    declared_settings = (
        Setting("MOTCUA_LOCAL_RECEIVERS", "Phục vụ cổng thử nghiệm / serve the sandbox", required=True),
        Setting("MOTCUA_PUBLIC_URL", "Địa chỉ công khai của hệ thống / the site's public URL", required=True),
        Setting("MOTCUA_PAYMENT_PARTNER", "Mã đối tác / partner code"),
        Setting("MOTCUA_PAYMENT_SECRET", "Khóa ký bản tin (MaXacThuc) / signing secret", required=True, secret=True),
    )

    def _url(self, path: str) -> str:
        return f"{settings.MOTCUA_PUBLIC_URL}/thanh-toan/sandbox" + path


def register() -> None:
    """PaymentsConfig.ready()."""
    registry.register(NationalPlatform())
    registry.register(SandboxGateway())


def get(name: str | None = None) -> NationalPlatform:
    return registry.get(Kind.PAYMENT, name or settings.MOTCUA_PAYMENT_PROVIDER)
