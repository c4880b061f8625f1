from decimal import Decimal

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier

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


def _in_use(case) -> bool:
    return case is not None and case.pk is not None and Dossier.objects.filter(procedure_version=case.version_id).exists()


class FrozenWhenInUse:
    """A version that dossiers were received under is never edited: changes go into a new version."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _in_use(obj)

    def has_add_permission(self, request, obj=None):
        if not isinstance(self, admin.options.InlineModelAdmin):
            return super().has_add_permission(request)  # a new case of its own is always allowed
        return super().has_add_permission(request, obj) and not _in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _in_use(obj)


class StepFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        total = sum(
            (f.cleaned_data.get("budget_hours") or Decimal(0))
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        )
        problem = budget_problem(self.instance, Decimal(total))
        if problem:
            raise ValidationError(problem.message)


class ComponentInline(FrozenWhenInUse, admin.TabularInline):
    model = Component
    extra = 0


class FeeInline(FrozenWhenInUse, admin.TabularInline):
    model = FeeLine
    extra = 0


class StepInline(FrozenWhenInUse, admin.TabularInline):
    model = WorkflowStep
    formset = StepFormSet
    extra = 0


@admin.register(Case)
class CaseAdmin(FrozenWhenInUse, admin.ModelAdmin):
    list_display = ["__str__", "time_limit_value", "time_limit_unit", "online_level", "budget_check"]
    list_filter = ["time_limit_unit", "online_level"]
    search_fields = ["name", "version__procedure__code", "version__procedure__name"]
    inlines = [ComponentInline, FeeInline, StepInline]

    @admin.display(description=_("Kiểm tra thời gian các bước"))
    def budget_check(self, obj):
        problem = budget_problem(obj)
        return problem.message if problem else "✓"
