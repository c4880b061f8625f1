from django.contrib import admin

from .models import AnswerTemplate, Feedback, FeedbackAttachment, FeedbackEvent, HandlingDeadline, Rating


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: ratings and feedback items change only through their writers
    (feedback/services.py, feedback/handling.py), which keep the history and the facts true."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ("seq", "at", "action", "from_state", "to_state", "actor_name", "reason", "data")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "level", "at")
    list_filter = ("level",)
    search_fields = ("dossier__code",)
    raw_id_fields = ("dossier",)
    date_hierarchy = "at"


class AttachmentInline(admin.TabularInline):
    model = FeedbackAttachment
    extra = 0
    can_delete = False
    fields = ("file", "original_name", "content_type", "size")
    readonly_fields = ("original_name", "content_type", "size")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "state", "created_at", "agency", "dossier_code")
    list_filter = ("state", "kind")
    search_fields = ("code", "dossier_code", "text", "contact_name", "contact_phone")
    raw_id_fields = ("dossier", "procedure", "agency", "answered_by", "answering_agency")
    readonly_fields = ("code", "created_at")
    date_hierarchy = "created_at"
    inlines = [AttachmentInline, EventInline]


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    """Plain-language answers to start from; {ma}, {ho_ten}, {noi_dung} are filled in (feedback/answers.py)."""

    list_display = ("name", "kind", "enabled")
    list_filter = ("kind", "enabled")
    search_fields = ("name", "body")


@admin.register(HandlingDeadline)
class HandlingDeadlineAdmin(admin.ModelAdmin):
    list_display = ("agency", "working_days", "simple_working_days")
    search_fields = ("agency__name", "agency__identifier_code")
    raw_id_fields = ("agency",)
