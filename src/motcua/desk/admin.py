from django.contrib import admin

from .models import ReasonTemplate


@admin.register(ReasonTemplate)
class ReasonTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "procedure_code", "order", "active"]
    list_filter = ["active"]
    list_editable = ["order", "active"]
    search_fields = ["title", "text", "procedure_code"]
