import io
from datetime import date

import pytest

from motcua.catalog.eform import schema_problems
from motcua.integrations.models import ResidentRecord
from motcua.portal.identity import SESSION_KEY
from motcua.portal.models import CitizenAccount
from tests.factories import VALID_PID

SCHEMA = {
    "type": "object",
    "title": "Tờ khai thử",
    "required": ["ho_ten", "so_dinh_danh", "ngay_sinh", "so_ban", "dong_y"],
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "maxLength": 100},
        "so_dinh_danh": {"type": "string", "title": "Số định danh cá nhân", "maxLength": 12},
        "ngay_sinh": {"type": "string", "title": "Ngày sinh", "format": "date"},
        "gioi_tinh": {"type": "string", "title": "Giới tính", "enum": ["Nam", "Nữ"]},
        "so_ban": {"type": "integer", "title": "Số bản", "minimum": 1, "maximum": 10},
        "dien_tich": {"type": "number", "title": "Diện tích (m²)", "minimum": 0},
        "dong_y": {"type": "boolean", "title": "Tôi cam đoan nội dung khai là đúng"},
        "noi_o": {
            "type": "object",
            "title": "Nơi ở hiện tại",
            "required": ["dia_chi"],
            "properties": {"dia_chi": {"type": "string", "title": "Địa chỉ", "maxLength": 255}},
        },
    },
}
VALID_ANSWERS = {
    "ho_ten": "Nguyễn Văn An", "so_dinh_danh": VALID_PID, "ngay_sinh": "04/05/1987", "gioi_tinh": "Nam",
    "so_ban": "2", "dien_tich": "45,5", "dong_y": "on", "noi_o__dia_chi": "Số 5 Lê Lợi",
}
PDF = b"%PDF-1.7\n" + b"1 0 obj <<>> endobj\n" * 40000  # about 800 KB: several 256 KB chunks
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def _case(world):
    case = world.case()  # 1.004222 TH1: two required papers, one from national data, one optional
    assert schema_problems(SCHEMA) == []
    case.eform_schema = SCHEMA
    case.save()
    return case


@pytest.fixture
def case(world):
    return _case(world)


@pytest.fixture
def tcase(tworld):
    return _case(tworld)


def make_citizen(personal_id=VALID_PID, name="Nguyễn Văn An", phone="0912345678") -> CitizenAccount:
    return CitizenAccount.objects.create(
        personal_id=personal_id, full_name=name, phone=phone, email="an@example.vn", identity_verified=True
    )


@pytest.fixture
def citizen(db):
    ResidentRecord.objects.create(
        personal_id=VALID_PID, full_name="Nguyễn Văn An", birth_date=date(1987, 5, 4), sex="nam",
        address="Số 5 Lê Lợi, phường Hạc Thành, Thanh Hóa",
    )
    return make_citizen()


def sign_in(client, account):
    session = client.session
    session[SESSION_KEY] = account.pk
    session.save()
    return client


@pytest.fixture
def signed_in(client, citizen):
    return sign_in(client, citizen)


class DroppingStream:
    """A request body that delivers `deliver` bytes and then fails as a dropped connection does."""

    def __init__(self, data: bytes, deliver: int, error: bool = True):
        self.buffer = io.BytesIO(data[:deliver])
        self.error = error

    def read(self, size=-1):
        chunk = self.buffer.read(size)
        if not chunk and self.error:
            raise OSError("connection reset by peer")
        return chunk

    def readline(self, size=-1):
        return self.read(size)
