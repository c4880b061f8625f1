from django.contrib import admin

from .models import ApologyDraft, Dossier, DossierComponent, DossierEvent, DossierFee, Pause, StepRecord


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = DossierEvent
    fields = ["seq", "at", "action", "from_state", "to_state", "actor_name", "reason", "data"]


class ComponentInline(ReadOnlyInline):
    model = DossierComponent
    fields = ["name", "originals", "certified_copies", "photocopies", "provided", "digitised", "reused"]


class FeeInline(ReadOnlyInline):
    model = DossierFee
    fields = ["name", "kind", "amount", "mode", "paid_at"]


class StepInline(ReadOnlyInline):
    model = StepRecord
    fields = ["order", "name", "role", "agency", "started_at", "due_at", "ended_at", "timing"]


class PauseInline(ReadOnlyInline):
    model = Pause
    fields = ["kind", "started_at", "ended_at", "request", "answer", "answer_due_at"]


class OutboxInline(ReadOnlyInline):
    """What was sent about this dossier, when, and whether it arrived."""

    from motcua.notify.models import OutboxMessage as model

    fields = ["created_at", "channel", "recipient", "subject", "status", "attempts", "delivered_at", "last_error"]


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only here: state changes go through dossiers/services.py (the desk pages and the API)."""

    list_display = ["code", "applicant_name", "case", "channel", "state", "received_at", "due_at"]
    list_filter = ["state", "channel"]
    search_fields = ["code", "applicant_name", "personal_id"]
    date_hierarchy = "received_at"
    inlines = [ComponentInline, FeeInline, StepInline, PauseInline, EventInline, OutboxInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApologyDraft)
class ApologyDraftAdmin(admin.ModelAdmin):
    list_display = ["dossier", "proposed_due_at", "created_at"]
    search_fields = ["dossier__code"]
    raw_id_fields = ["dossier"]
