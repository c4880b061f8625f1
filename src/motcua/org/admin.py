from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Agency, ApiToken, RoleAssignment, User


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "agency"
    extra = 0
    raw_id_fields = ["user", "granted_by"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier_code", "kind", "area", "valid_from", "valid_to", "succeeded_by"]
    list_filter = ["kind"]
    search_fields = ["name", "identifier_code"]
    raw_id_fields = ["area", "parent", "succeeded_by"]
    inlines = [RoleAssignmentInline]


class UserRoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    raw_id_fields = ["agency", "granted_by"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Công tác"), {"fields": ("phone", "position", "is_system")}),)
    list_display = ["username", "first_name", "last_name", "position", "is_staff", "is_system"]
    inlines = [UserRoleInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "agency", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    raw_id_fields = ["user", "agency", "granted_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # The key is shown once, here; only its hash is kept.
        token, raw = ApiToken.issue(obj.user, obj.name)
        obj.pk, obj.key_hash, obj.prefix = token.pk, token.key_hash, token.prefix
        messages.warning(request, _("Khóa API mới (chỉ hiện một lần, hãy lưu lại ngay): %(key)s") % {"key": raw})
