"""The national payment platform's message format (§6.3 of the domain research): field names, the
SHA-256 checksum (MaXacThuc) over pipe-joined fields ending with the partner's secret, and dates as
yyyyMMddHHmmss. Pure functions, shared by our provider and the sandbox gateway that plays the platform.

INIT and CHECK follow the documented field order. The result sent back with the citizen (RESULT) is not
documented in our sources; the sandbox signs MaThamChieu|SoTien|MaLoi|MaGiaoDich|ThoiGianGD|secret,
which is what the provider verifies (docs/decisions/0003)."""

import hashlib
import hmac

VERSION = "1.0.6"
SUCCESS_BANK_CODE = "00"
INIT_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "SoTien", "LoaiHinhThanhToan", "MaKenhThanhToan",
               "MaThietBi", "NgonNgu", "MaTienTe", "MaNganHang", "ThongTinGiaoDich", "ThoiGianGD", "Ip")
CHECK_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
RESULT_FIELDS = ("MaThamChieu", "SoTien", "MaLoi", "MaGiaoDich", "ThoiGianGD")
# The electronic receipt (biên lai điện tử) is fetched by reference and time, signed like CHECK.
RECEIPT_FIELDS = CHECK_FIELDS


def checksum(message: dict, fields: tuple[str, ...], secret: str) -> str:
    joined = "|".join(str(message.get(name, "")) for name in fields) + "|" + secret
    return hashlib.sha256(joined.encode()).hexdigest()


def signed(message: dict, fields: tuple[str, ...], secret: str) -> dict:
    return message | {"MaXacThuc": checksum(message, fields, secret)}


def is_signed(message: dict, fields: tuple[str, ...], secret: str) -> bool:
    """Constant-time check of MaXacThuc (a forged or altered message fails)."""
    return hmac.compare_digest(str(message.get("MaXacThuc", "")).lower(), checksum(message, fields, secret))
