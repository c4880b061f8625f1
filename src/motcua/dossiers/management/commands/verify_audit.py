from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import audit
from motcua.workflow import events


class Command(BaseCommand):
    help = (
        "Kiểm tra nhật ký hồ sơ và phản ánh có bị sửa, xóa không: tính lại chuỗi mã băm của từng hồ sơ và các khối niêm "
        "phong. Thoát với mã lỗi khác 0 và liệt kê từng chỗ sai khi phát hiện."
    )

    def handle(self, *args, **options):
        checked = 0

        def progress(n):
            nonlocal checked
            checked += n

        problems = [str(p) for p in audit.verify(progress=progress)]
        for _what, verify in events.AUDITED:  # the other histories (feedback) the apps registered
            problems += verify()
        if problems:
            for problem in problems:
                self.stdout.write(f"SAI: {problem}")
            raise CommandError(f"Phát hiện {len(problems)} chỗ nhật ký bị sửa hoặc xóa trong {checked:,} hồ sơ.")
        self.stdout.write(f"Nhật ký nguyên vẹn: đã kiểm tra {checked:,} hồ sơ, các khối niêm phong và nhật ký phản ánh.")
