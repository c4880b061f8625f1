from django.core.management.base import BaseCommand

from motcua.dossiers.workflow import as_markdown


class Command(BaseCommand):
    help = "In bảng chuyển trạng thái hồ sơ dạng Markdown (docs/workflow.md)."

    def handle(self, *args, **options):
        self.stdout.write(as_markdown(), ending="")
