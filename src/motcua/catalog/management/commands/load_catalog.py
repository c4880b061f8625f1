from django.core.management.base import BaseCommand

from motcua.catalog import seed_data
from motcua.catalog.services import load_catalog


class Command(BaseCommand):
    help = "Nạp danh mục thủ tục mẫu (chạy lại không tạo trùng, không sửa phiên bản đã có)."

    def handle(self, *args, **options):
        created = load_catalog(seed_data.FIELDS, seed_data.PROCEDURES)
        self.stdout.write(f"Đã tạo {created} phiên bản thủ tục mới.")
