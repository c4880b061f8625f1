import time

from django.core.management.base import BaseCommand

from motcua.reports import facts
from motcua.reports.models import Fact


class Command(BaseCommand):
    help = (
        "Dựng lại bảng số liệu tổng hợp của báo cáo từ nhật ký hồ sơ (dùng sau khi khôi phục dữ liệu hoặc "
        "khi nghi ngờ số liệu lệch). Trong lúc chạy, các thao tác trên hồ sơ phải chờ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true",
            help="chỉ dựng khi bảng số liệu còn trống (cơ sở dữ liệu có từ trước khi có báo cáo)",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and Fact.objects.exists():
            return
        started = time.monotonic()
        dossiers = facts.rebuild(progress=lambda n: self.stderr.write(f"\r{n:,} hồ sơ", ending=""))
        self.stderr.write("")
        self.stdout.write(
            f"Đã dựng lại số liệu từ {dossiers:,} hồ sơ: {Fact.objects.count():,} dòng, "
            f"{time.monotonic() - started:.1f} giây."
        )
