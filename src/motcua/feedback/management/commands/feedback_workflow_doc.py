from django.core.management.base import BaseCommand

from motcua.feedback.workflow import as_markdown


class Command(BaseCommand):
    help = "In bảng chuyển trạng thái phản ánh, kiến nghị dạng Markdown (docs/feedback-workflow.md)."

    def handle(self, *args, **options):
        self.stdout.write(as_markdown(), ending="")
