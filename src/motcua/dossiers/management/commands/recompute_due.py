from django.core.management.base import BaseCommand
from tqdm import tqdm

from motcua.calendar.services import clear_cache
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import recompute_open_due_times
from motcua.dossiers.workflow import RUNNING_STATES


class Command(BaseCommand):
    help = "Tính lại hạn trả của các hồ sơ đang giải quyết sau khi bảng ngày nghỉ, ngày làm bù thay đổi."

    def handle(self, *args, **options):
        clear_cache()
        total = Dossier.objects.filter(state__in=RUNNING_STATES).count()
        with tqdm(total=total, desc="Hồ sơ", unit="hs", disable=total == 0) as bar:
            changed = recompute_open_due_times(progress=bar.update)
        self.stdout.write(f"Đã tính lại {total} hồ sơ; {changed} hồ sơ đổi hạn trả (đã ghi nhật ký từng hồ sơ).")
