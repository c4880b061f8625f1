from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import audit


class Command(BaseCommand):
    help = (
        "Kiểm tra nhật ký hồ sơ có bị sửa, xóa không: tính lại chuỗi mã băm của từng hồ sơ và các khối niêm "
        "phong. Thoát với mã lỗi khác 0 và liệt kê từng chỗ sai khi phát hiện."
    )

    def handle(self, *args, **options):
        checked = 0

        def progress(n):
            nonlocal checked
            checked += n

        problems = audit.verify(progress=progress)
        if problems:
            for problem in problems:
                self.stdout.write(f"SAI: {problem}")
            raise CommandError(f"Phát hiện {len(problems)} chỗ nhật ký bị sửa hoặc xóa trong {checked:,} hồ sơ.")
        self.stdout.write(f"Nhật ký nguyên vẹn: đã kiểm tra {checked:,} hồ sơ và các khối niêm phong.")
