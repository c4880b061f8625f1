"""Payment providers behind one interface, chosen by name (MOTCUA_PAYMENT_PROVIDER). The national
platform's protocol is the one provider today; the sandbox gateway (views.sandbox_*) speaks the same
protocol, so the demo and the tests run the real client."""

import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from motcua.notify.channels import DeliveryError, post_json

from . import protocol


class PaymentError(Exception):
    """The platform could not be reached or refused the request; the message is for people."""


@dataclass(frozen=True)
class Result:
    status: str  # Payment.Status value
    bank_code: str = ""
    transaction: str = ""
    amount: int | None = None


class NationalPlatform:
    """The national payment platform (INIT → redirect → result or CHECK), §6.3."""

    name = "national"

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
        if answer.get("error_code") != "0" or not answer.get("UrlThanhToan"):
            raise PaymentError(f"Nền tảng thanh toán từ chối giao dịch: {answer.get('message', answer)}")
        return answer["UrlThanhToan"]

    def check(self, payment) -> Result:
        """Ask the platform where the transaction stands (the re-check of unconfirmed payments)."""
        message = protocol.signed({
            "LoaiBanTin": "CHECK", "PhienBan": protocol.VERSION, "MaDoiTac": settings.MOTCUA_PAYMENT_PARTNER,
            "MaThamChieu": payment.reference, "ThoiGianGD": payment.transaction_time,
        }, protocol.CHECK_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
        answer = self._call("/check", message, key=f"payment-check:{payment.reference}:{timezone.now():%Y%m%d%H%M%S}")
        if answer.get("error_code") != "0":
            raise PaymentError(f"Nền tảng thanh toán không trả lời được trạng thái: {answer.get('message', answer)}")
        return Result(
            status=answer.get("TrangThai", "khoi-tao"), bank_code=answer.get("MaLoi", ""),
            transaction=answer.get("MaGiaoDich", ""), amount=int(answer["SoTien"]) if answer.get("SoTien") else None,
        )

    def receipt(self, payment) -> bytes:
        """The electronic receipt (biên lai điện tử) of a paid transaction, as PDF bytes."""
        import urllib.error
        import urllib.request

        message = protocol.signed({
            "LoaiBanTin": "BIENLAI", "PhienBan": protocol.VERSION, "MaDoiTac": settings.MOTCUA_PAYMENT_PARTNER,
            "MaThamChieu": payment.reference, "ThoiGianGD": payment.transaction_time,
        }, protocol.RECEIPT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
        request = urllib.request.Request(
            self._url("/receipt"), data=json.dumps(message).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.MOTCUA_HTTP_TIMEOUT) as response:
                body = response.read()
        except (urllib.error.URLError, OSError) as exc:
            raise PaymentError(f"Chưa lấy được biên lai điện tử, xin thử lại sau. ({exc})") from exc
        if not body.startswith(b"%PDF-"):
            raise PaymentError("Nền tảng thanh toán không trả về biên lai điện tử.")
        return body

    def verify_return(self, fields: dict) -> Result:
        """The result the platform sends back with the citizen; refuses anything not signed by it."""
        if not protocol.is_signed(fields, protocol.RESULT_FIELDS, settings.MOTCUA_PAYMENT_SECRET):
            raise PaymentError("Chữ ký (MaXacThuc) của kết quả thanh toán không đúng.")
        code = fields.get("MaLoi", "")
        return Result(
            status="thanh-cong" if code == protocol.SUCCESS_BANK_CODE else "that-bai",
            bank_code=code, transaction=fields.get("MaGiaoDich", ""),
            amount=int(fields["SoTien"]) if str(fields.get("SoTien", "")).isdigit() else None,
        )


PROVIDERS = {NationalPlatform.name: NationalPlatform()}


def get(name: str | None = None):
    return PROVIDERS[name or settings.MOTCUA_PAYMENT_PROVIDER]
