from django.contrib import admin

from .models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
