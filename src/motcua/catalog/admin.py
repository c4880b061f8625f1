from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Case, Component, FeeLine, Field, Procedure, ProcedureVersion, WorkflowStep
from .selectors import budget_problem


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "field", "level", "agency_kind"]
    list_filter = ["level", "field"]
    search_fields = ["code", "name"]
    inlines = [VersionInline]


class CaseInline(admin.TabularInline):
    model = Case
    fields = ["code", "name", "time_limit_value", "time_limit_unit", "online_level"]
    extra = 0
    show_change_link = True


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ["procedure", "number", "effective_from", "effective_to", "decision"]
    search_fields = ["procedure__code", "procedure__name"]
    inlines = [CaseInline]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


class FeeInline(admin.TabularInline):
    model = FeeLine
    extra = 0


class StepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "time_limit_value", "time_limit_unit", "online_level", "budget_check"]
    list_filter = ["time_limit_unit", "online_level"]
    search_fields = ["name", "version__procedure__code", "version__procedure__name"]
    inlines = [ComponentInline, FeeInline, StepInline]

    @admin.display(description=_("Kiểm tra thời gian các bước"))
    def budget_check(self, obj):
        problem = budget_problem(obj)
        return problem.message if problem else "✓"
