"""The default Vietnamese templates (editable and switchable in the admin afterwards).
SMS and Zalo texts are written with diacritics; for SMS they are removed when the message is queued."""

from django.db import migrations

SMS = {
    "submitted": "Hồ sơ {{ code }} ({{ procedure }}) đã được gửi tới {{ unit }}. Tra cứu: {{ tracking_url }}",
    "received": "Hồ sơ {{ code }} đã được tiếp nhận. Ngày hẹn trả: {{ due }}. Tra cứu: {{ tracking_url }}",
    "supplement_requested": "Hồ sơ {{ code }} cần bổ sung: {{ items }}. Chi tiết: {{ tracking_url }}",
    "refused": "Hồ sơ {{ code }} không được tiếp nhận. Lý do: {{ reason }}",
    "apology": "Xin lỗi ông/bà: hồ sơ {{ code }} chậm so với hẹn. Ngày hẹn trả mới: {{ new_due }}. Lý do: {{ reason }}",
    "result_ready": "Hồ sơ {{ code }} đã có kết quả. Mời ông/bà {{ name }} đến nhận tại {{ unit }} hoặc theo hình thức đã đăng ký.",
    "returned_by_post": "Kết quả hồ sơ {{ code }} đã gửi qua bưu chính, số vận đơn {{ tracking_number }}.",
    "payment_due": "Hồ sơ {{ code }}: cần nộp {{ amount }} để tiếp tục giải quyết. Chi tiết: {{ tracking_url }}",
    "payment_confirmed": "Hồ sơ {{ code }}: đã xác nhận thanh toán. Hồ sơ tiếp tục được giải quyết.",
}

EMAIL = {
    "submitted": ("Hồ sơ {{ code }} đã được gửi", "Kính gửi ông/bà {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã được gửi tới {{ unit }} và đang chờ tiếp nhận.\nTheo dõi hồ sơ: {{ tracking_url }}"),
    "received": ("Hồ sơ {{ code }} đã được tiếp nhận", "Kính gửi ông/bà {{ name }},\n\n{{ unit }} đã tiếp nhận hồ sơ {{ code }} ({{ procedure }}).\nThời gian hẹn trả kết quả: {{ due }}.\nTheo dõi hồ sơ: {{ tracking_url }}"),
    "supplement_requested": ("Hồ sơ {{ code }} cần bổ sung", "Kính gửi ông/bà {{ name }},\n\nĐể giải quyết hồ sơ {{ code }}, đề nghị ông/bà bổ sung, hoàn thiện các nội dung sau (đã liệt kê đầy đủ một lần):\n{{ items }}\n\nTheo dõi hồ sơ: {{ tracking_url }}"),
    "refused": ("Hồ sơ {{ code }} không được tiếp nhận", "Kính gửi ông/bà {{ name }},\n\n{{ unit }} không tiếp nhận hồ sơ {{ code }} ({{ procedure }}) với lý do: {{ reason }}"),
    "apology": ("Xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}", "Kính gửi ông/bà {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) chưa thể trả kết quả đúng hẹn. Lý do: {{ reason }}\nChúng tôi thành thật xin lỗi ông/bà. Ngày hẹn trả mới: {{ new_due }}."),
    "result_ready": ("Hồ sơ {{ code }} đã có kết quả", "Kính gửi ông/bà {{ name }},\n\nHồ sơ {{ code }} ({{ procedure }}) đã có kết quả. Mời ông/bà nhận kết quả tại {{ unit }} hoặc theo hình thức đã đăng ký."),
    "returned_by_post": ("Kết quả hồ sơ {{ code }} đã gửi qua bưu chính", "Kính gửi ông/bà {{ name }},\n\nKết quả hồ sơ {{ code }} đã được gửi qua bưu chính, số vận đơn {{ tracking_number }}."),
    "payment_due": ("Hồ sơ {{ code }}: nghĩa vụ tài chính", "Kính gửi ông/bà {{ name }},\n\nĐể tiếp tục giải quyết hồ sơ {{ code }}, ông/bà cần nộp {{ amount }}.\nTheo dõi hồ sơ: {{ tracking_url }}"),
    "payment_confirmed": ("Hồ sơ {{ code }}: đã xác nhận thanh toán", "Kính gửi ông/bà {{ name }},\n\nKhoản nộp cho hồ sơ {{ code }} đã được xác nhận; hồ sơ tiếp tục được giải quyết."),
    "verification_requested": ("Đề nghị xác minh thông tin cho hồ sơ {{ code }}", "Kính gửi quý cơ quan,\n\n{{ unit }} đề nghị xác minh cho hồ sơ {{ code }} ({{ procedure }}) của ông/bà {{ name }}:\n{{ question }}\n\nĐề nghị trả lời trước {{ answer_due }}."),
}


def create(apps, schema_editor):
    Template = apps.get_model("notify", "Template")
    for event, body in SMS.items():
        Template.objects.get_or_create(event=event, channel="sms", defaults={"body": body})
        Template.objects.get_or_create(event=event, channel="zalo", defaults={"body": body})
    for event, (subject, body) in EMAIL.items():
        Template.objects.get_or_create(event=event, channel="email", defaults={"subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("notify", "0002_template")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
