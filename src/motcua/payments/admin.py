from django.contrib import admin

from .models import Payment, PaymentNotice


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["reference", "dossier", "amount", "status", "created_at", "paid_at", "checks", "problem"]
    list_filter = ["status", "purpose", ("problem", admin.EmptyFieldListFilter)]
    search_fields = ["reference", "dossier__code"]
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PaymentNotice)
class PaymentNoticeAdmin(admin.ModelAdmin):
    list_display = ["received_at", "reference", "source", "accepted", "problem", "remote_addr"]
    list_filter = ["accepted", "source"]
    search_fields = ["reference"]
    readonly_fields = [f.name for f in PaymentNotice._meta.fields]

    def has_add_permission(self, request):
        return False
