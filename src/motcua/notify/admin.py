from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import outbox
from .models import OutboxMessage, Template, ZaloToken


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["event", "channel", "subject", "enabled", "zalo_template_id"]
    list_filter = ["channel", "enabled", "event"]
    list_editable = ["enabled"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "idempotency_key", "dossier__code"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["send_again_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Gửi lại ngay"))
    def send_again_now(self, request, queryset):
        count = outbox.retry_now(queryset)
        messages.success(request, _("Đã đưa %(count)d thông điệp vào hàng gửi lại.") % {"count": count})


@admin.register(ZaloToken)
class ZaloTokenAdmin(admin.ModelAdmin):
    """Where an administrator pastes a new refresh token when the old pair was lost (after three months
    unused, or revoked); the worker keeps it fresh from then on."""

    list_display = ["__str__", "expires_at", "refreshed_at", "last_error"]
    fields = ["refresh_token", "expires_at", "refreshed_at", "last_error"]
    readonly_fields = ["expires_at", "refreshed_at", "last_error"]
