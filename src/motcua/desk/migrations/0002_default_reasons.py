from django.db import migrations

GENERAL = [
    ("Chưa nộp giấy tờ", "Hồ sơ chưa có giấy tờ này. Ông/bà vui lòng nộp thêm giấy tờ này."),
    ("Bản chụp mờ", "Bản chụp hoặc bản sao bị mờ, không đọc được hết thông tin. Ông/bà vui lòng nộp bản rõ nét hơn."),
    ("Thiếu chữ ký", "Giấy tờ chưa có chữ ký của người khai. Ông/bà vui lòng ký và ghi rõ họ tên."),
    (
        "Bản sao chưa chứng thực",
        "Đây là bản photo chưa chứng thực. Ông/bà vui lòng nộp bản sao có chứng thực, hoặc mang bản chính đến để "
        "cán bộ đối chiếu.",
    ),
    (
        "Thông tin không khớp",
        "Thông tin trên giấy tờ (họ tên, ngày sinh hoặc số định danh) không khớp với tờ khai. Ông/bà vui lòng "
        "kiểm tra và sửa cho thống nhất.",
    ),
    ("Giấy tờ hết hạn", "Giấy tờ đã hết thời hạn sử dụng. Ông/bà vui lòng nộp giấy tờ còn hiệu lực."),
    ("Khai chưa đủ", "Tờ khai còn bỏ trống mục bắt buộc. Ông/bà vui lòng khai đầy đủ các mục có dấu (*)."),
]
BY_PROCEDURE = [
    (
        "1.004222",
        "Chưa có ý kiến chủ hộ",
        "Tờ khai chưa có ý kiến đồng ý của chủ hộ hoặc chủ sở hữu chỗ ở. Ông/bà vui lòng đề nghị chủ hộ ghi ý kiến "
        "đồng ý và ký vào tờ khai.",
    ),
    (
        "1.004222",
        "Chưa chứng minh chỗ ở hợp pháp",
        "Hồ sơ chưa có giấy tờ chứng minh chỗ ở hợp pháp (ví dụ sổ đỏ, hợp đồng thuê, mượn nhà). Ông/bà vui lòng "
        "nộp một trong các giấy tờ này.",
    ),
    (
        "1.001193",
        "Thiếu giấy chứng sinh",
        "Hồ sơ chưa có Giấy chứng sinh do cơ sở y tế cấp. Nếu không có, ông/bà nộp văn bản của người làm chứng "
        "hoặc giấy cam đoan về việc sinh.",
    ),
]


def seed(apps, schema_editor):
    ReasonTemplate = apps.get_model("desk", "ReasonTemplate")
    for order, (title, text) in enumerate(GENERAL, start=1):
        ReasonTemplate.objects.create(procedure_code="", title=title, text=text, order=order)
    for order, (code, title, text) in enumerate(BY_PROCEDURE, start=1):
        ReasonTemplate.objects.create(procedure_code=code, title=title, text=text, order=order)


def unseed(apps, schema_editor):
    apps.get_model("desk", "ReasonTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
