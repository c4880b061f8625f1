from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from motcua import demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu: đơn vị hành chính, cơ quan, cán bộ đủ vai trò, danh mục thủ tục và N hồ sơ trong một năm."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=300, help="số hồ sơ cần tạo (mặc định 300)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu")
        parser.add_argument(
            "--bulk", type=int, default=0,
            help="thêm N hồ sơ ghi thẳng vào bảng (cho thử tải, không có lịch sử xử lý), ví dụ 1000000",
        )
        parser.add_argument("--until", help="ngày cuối của năm dữ liệu, dd/mm/yyyy (mặc định: hôm nay)")

    def handle(self, *args, **options):
        from django.conf import settings

        if not settings.MOTCUA_DEMO:
            raise CommandError(
                "Dữ liệu mẫu chỉ dùng cho bản chạy thử: đặt MOTCUA_DEMO=1 (hoặc DEBUG=1) rồi chạy lại. "
                "Không chạy lệnh này trên hệ thống thật."
            )
        if options["dossiers"] < 0 or options["bulk"] < 0:
            raise CommandError("Số hồ sơ phải là số không âm.")
        until = None
        if options["until"]:
            try:
                day = datetime.strptime(options["until"], "%d/%m/%Y")
            except ValueError as exc:
                raise CommandError("--until phải theo dạng dd/mm/yyyy, ví dụ 21/11/2026.") from exc
            until = timezone.make_aware(day.replace(hour=17))
        result = demo.seed(
            dossiers=options["dossiers"],
            seed_value=options["seed"],
            until=until,
            progress_factory=lambda n: tqdm(total=n, desc="Hồ sơ", unit="hs", disable=n == 0),
        )
        if options["bulk"]:
            import random

            bar = tqdm(total=options["bulk"], desc="Hồ sơ (thử tải)", unit="hs")
            made = demo.bulk_dossiers(demo.build_province(), options["bulk"], random.Random(options["seed"] + 1),
                                      until or timezone.now(), progress=bar.update)
            bar.close()
            result["dossiers"] += made
        self.stdout.write(
            f"{result['provinces']} tỉnh, {result['communes']} xã; đã tạo {result['dossiers']} hồ sơ.\n"
            f"Tài khoản dùng thử (mật khẩu: {demo.DEMO_PASSWORD}):"
        )
        for username, name, role in result["accounts"]:
            self.stdout.write(f"  {username:<16} {name:<22} {role}")
        self.stdout.write(f"Khóa API thử nghiệm: Authorization: Bearer {demo.DEMO_API_TOKEN}")
