"""What the index is made of: its groups, its indicators (maximum points, target, source) and the grades."""

from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")
RECEIVED = ("received_1", "received_2", "received_3")
UNVERIFIED = "Chưa kiểm chứng với phương pháp chính thức."


# ---------------------------------------------------------------- what the index is made of


@dataclass(frozen=True)
class Spec:
    code: str
    group: str
    name: str
    formula: str
    max_points: int
    target: int | None  # percent
    source: str  # "data" | "input" | "monitoring"
    measures: tuple = ()  # fact measures behind the numerator (the dossier list link)
    note: str = ""


GROUPS = [
    ("1", "Công khai, minh bạch", 18),
    ("2", "Tiến độ giải quyết", 20),
    ("3", "Dịch vụ công trực tuyến", 12),
    ("4", "Thanh toán trực tuyến", 10),
    ("5", "Mức độ hài lòng", 18),
    ("6", "Số hóa hồ sơ", 22),
]

SPECS = [
    Spec("1.1", "1", "TTHC công bố đúng hạn", "Số TTHC công bố đúng hạn / Số TTHC công bố trong kỳ", 6, None, "input"),
    Spec("1.2", "1", "TTHC cập nhật, công khai đúng hạn trên CSDL quốc gia về TTHC",
         "Số TTHC cập nhật, công khai đúng hạn / Số TTHC phải cập nhật, công khai trong kỳ", 4, None, "input"),
    Spec("1.3", "1", "TTHC công khai đầy đủ nội dung",
         "Số TTHC công khai đầy đủ các bộ phận / Số TTHC đã công khai", 2, None, "input"),
    Spec("1.4", "1", "Hồ sơ đồng bộ lên Cổng DVCQG", "Số hồ sơ đồng bộ / Số hồ sơ tiếp nhận", 6, None, "data",
         ("c_synced",)),
    Spec("2.1", "2", "Hồ sơ xử lý trước hạn, đúng hạn",
         "Số hồ sơ giải quyết trước hạn, đúng hạn và đang giải quyết trong hạn / Số hồ sơ phải giải quyết "
         "(tiếp nhận trong kỳ và kỳ trước chuyển sang)", 20, None, "data"),
    Spec("2.2", "2", "Thời gian giải quyết trung bình (theo dõi, không tính điểm)",
         "Tổng thời gian giải quyết (ngày) / Số hồ sơ đã giải quyết", 0, None, "monitoring"),
    Spec("3.x", "3", "Hồ sơ trực tuyến toàn trình",
         "Số hồ sơ nộp trực tuyến toàn trình / Số hồ sơ của TTHC đủ điều kiện toàn trình", 12, None, "data",
         ("c_full_online",)),
    Spec("3.5", "4", "TTHC có phí, lệ phí được cung cấp thanh toán trực tuyến",
         "Số TTHC có phí, lệ phí nộp trực tuyến được / Số TTHC có phí, lệ phí", 2, 80, "data",
         note="Theo danh mục TTHC đang có hiệu lực: có khoản thu trước, khác 0 đồng, ở trường hợp cung cấp trực tuyến. "
         + UNVERIFIED),
    Spec("3.5b", "4", "TTHC phát sinh thanh toán trực tuyến",
         "Số TTHC có ít nhất một hồ sơ thanh toán trực tuyến trong kỳ / Số TTHC có phí, lệ phí", 2, None, "data",
         note=UNVERIFIED),
    Spec("3.6", "4", "Hồ sơ thanh toán trực tuyến",
         "Số hồ sơ thanh toán trực tuyến / Số hồ sơ của TTHC có phí, lệ phí", 6, None, "data", ("c_paid_online",)),
    Spec("5.2", "5", "Phản ánh, kiến nghị xử lý đúng hạn",
         "Số PAKN trả lời trước hạn, đúng hạn và đang xử lý trong hạn / Số PAKN tiếp nhận trong kỳ",
         6, None, "data", note="PAKN về đơn vị, gửi trong kỳ; tình trạng tính đến cuối kỳ."),
    Spec("5.3", "5", "Mức độ hài lòng về xử lý phản ánh, kiến nghị",
         "(Tổng số PAKN − số không hài lòng với trả lời, phản ánh lại hoặc trễ hạn) / Tổng số PAKN", 6, None, "data",
         note="Mỗi PAKN tính một lần dù có nhiều vấn đề. " + UNVERIFIED),
    Spec("5.4", "5", "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC",
         "100% − (Tỷ lệ hồ sơ trễ hạn + Tỷ lệ hồ sơ có phản ánh, kiến nghị hoặc không hài lòng)", 6, 90, "data",
         note="Tỷ lệ trễ hạn như chỉ số 2.1; đánh giá và phản ánh đếm theo ngày gửi trong kỳ. " + UNVERIFIED),
    Spec("4.1", "6", "Hồ sơ có kết quả điện tử", "Số hồ sơ trả kết quả điện tử / Số hồ sơ tiếp nhận", 6, None,
         "data", ("c_e_result",)),
    Spec("4.2", "6", "Hồ sơ số hóa thành phần hồ sơ", "Số hồ sơ được số hóa / Số hồ sơ tiếp nhận", 4, 80, "data",
         ("c_digitised",)),
    Spec("4.x", "6", "Chứng thực bản sao điện tử từ bản chính",
         "Số hồ sơ chứng thực bản sao điện tử / Số hồ sơ chứng thực bản sao từ bản chính", 2, None, "input",
         note=UNVERIFIED),
    Spec("4.3", "6", "Hồ sơ khai thác, sử dụng lại dữ liệu số hóa",
         "Số hồ sơ có thành phần sử dụng lại dữ liệu số hóa / Số hồ sơ tiếp nhận", 2, 80, "data", ("c_reused",)),
    Spec("4.4", "6", "Hồ sơ có dữ liệu từ kho hoặc kết quả điện tử lưu kho",
         "Số hồ sơ có thành phần lấy từ kho dữ liệu hoặc có kết quả điện tử / Số hồ sơ tiếp nhận", 4, None, "data",
         ("c_store",)),
    Spec("4.5a", "6", "TTHC kết nối CSDL quốc gia về dân cư",
         "Số TTHC có thành phần khai thác từ CSDL quốc gia / Số TTHC của đơn vị", 2, None, "data",
         note="Theo danh mục TTHC đang có hiệu lực. " + UNVERIFIED),
    Spec("4.5b", "6", "Hồ sơ sử dụng dữ liệu dân cư",
         "Số hồ sơ khai thác dữ liệu dân cư hoặc tài khoản định danh điện tử / Số hồ sơ tiếp nhận", 2, None, "data",
         ("c_population",)),
]
SPEC = {s.code: s for s in SPECS}
INPUT_CODES = tuple(s.code for s in SPECS if s.source == "input")

# Grade bands on the 100-point total (our choice; the national bands are not published): lower bounds.
GRADES = [(Decimal(90), "Xuất sắc"), (Decimal(80), "Tốt"), (Decimal(65), "Khá"), (Decimal(50), "Trung bình")]
WEAK = "Yếu"


def grade_for(total) -> str:
    for bound, name in GRADES:
        if total >= bound:
            return name
    return WEAK
