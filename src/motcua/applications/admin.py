from django.contrib import admin

from .models import ApplicationDraft, ResumableUpload


class UploadInline(admin.TabularInline):
    model = ResumableUpload
    fields = ["filename", "component", "length", "offset", "content_type", "sha256", "updated_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ApplicationDraft)
class ApplicationDraftAdmin(admin.ModelAdmin):
    list_display = ["citizen", "case", "status", "dossier", "updated_at"]
    list_filter = ["status"]
    search_fields = ["citizen__personal_id", "citizen__full_name", "dossier__code"]
    readonly_fields = [f.name for f in ApplicationDraft._meta.fields]
    inlines = [UploadInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
