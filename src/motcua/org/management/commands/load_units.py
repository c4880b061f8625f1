from django.core.management.base import BaseCommand

from motcua.org.services import load_administrative_units


class Command(BaseCommand):
    help = "Nạp 34 tỉnh, thành phố và 3.321 xã, phường từ gói vietnam-provinces (chạy lại không tạo trùng)."

    def handle(self, *args, **options):
        provinces, communes = load_administrative_units()
        self.stdout.write(f"{provinces} tỉnh, thành phố; {communes} xã, phường, đặc khu.")
