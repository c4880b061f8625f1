from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.dvcqg import repush


class Command(BaseCommand):
    help = "Đồng bộ lại lên DVCQG các hồ sơ nộp trong một khoảng ngày (mặc định chạy hằng đêm cho ngày hôm trước)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="từ ngày, dd/mm/yyyy")
        parser.add_argument("--to", dest="last", required=True, help="đến ngày, dd/mm/yyyy")

    def handle(self, *args, **options):
        try:
            first = datetime.strptime(options["first"], "%d/%m/%Y").date()
            last = datetime.strptime(options["last"], "%d/%m/%Y").date()
        except ValueError as exc:
            raise CommandError("Ngày phải theo dạng dd/mm/yyyy, ví dụ 21/11/2026.") from exc
        if last < first:
            raise CommandError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        count = repush(first, last, tag=f"{first:%Y%m%d}-{last:%Y%m%d}")
        self.stdout.write(f"Đã đưa {count} hồ sơ vào hàng đồng bộ lại.")
