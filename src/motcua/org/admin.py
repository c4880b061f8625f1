from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AdministrativeUnit, Agency, ApiToken, RoleAssignment, RoleAudit, TotpDevice, User


def admin_login(request, extra_context=None):
    """The admin site signs in through the staff sign-in page, so the lockout page and the two-step
    code apply there too (Django's own admin login form would skip the code)."""
    from .views import _next_url

    candidate = request.GET.get("next") or reverse("admin:index")
    next_url = candidate if _next_url(request, candidate) == candidate else reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        return render(request, "org/admin_forbidden.html", status=403)
    return redirect(f"{reverse('org:login')}?{urlencode({'next': next_url})}")


admin.site.login = admin_login


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


class ReadOnlyRolesInline(admin.TabularInline):
    """Shown only: grants and revocations go through org.services (scope check and audit), from the
    unit's roles page or the role assignment list."""

    model = RoleAssignment
    extra = 0
    fields = ["user", "role", "agency", "granted_by", "granted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(ReadOnlyRolesInline):
    fk_name = "agency"


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier_code", "kind", "area", "valid_from", "valid_to", "succeeded_by"]
    list_filter = ["kind"]
    search_fields = ["name", "identifier_code"]
    raw_id_fields = ["area", "parent", "succeeded_by"]
    inlines = [RoleAssignmentInline]


class UserRoleInline(ReadOnlyRolesInline):
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Công tác"), {"fields": ("phone", "position", "is_system")}),)
    list_display = ["username", "first_name", "last_name", "position", "is_staff", "is_system"]
    inlines = [UserRoleInline]


class GrantAdminForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "agency"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            services.check_grant(
                user=data["user"], role=data["role"], agency=data["agency"], granted_by=self.request_user
            )
        except services.OrgError as exc:
            raise ValidationError(exc.message) from exc
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Grants and revocations through org.services, so each is scope-checked and audited; an assignment
    is never edited in place (revoke it and grant the right one)."""

    form = GrantAdminForm
    list_display = ["user", "role", "agency", "granted_by", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "agency__name"]
    raw_id_fields = ["user", "agency"]

    def has_change_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def save_model(self, request, obj, form, change):
        granted = services.grant_role(user=obj.user, role=obj.role, agency=obj.agency, granted_by=request.user)
        obj.pk, obj.granted_by, obj.granted_at = granted.pk, granted.granted_by, granted.granted_at

    def delete_model(self, request, obj):
        services.revoke_role(assignment=obj, revoked_by=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.revoke_role(assignment=assignment, revoked_by=request.user)


@admin.register(RoleAudit)
class RoleAuditAdmin(admin.ModelAdmin):
    """Append-only: read here, written only by org.services."""

    list_display = ["at", "action", "role", "user_label", "agency_label", "actor_label"]
    list_filter = ["action", "role"]
    search_fields = ["user_label", "agency_label", "actor_label"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """Deleting a device turns two-step sign-in off for a colleague who lost his phone; the secret is
    never shown."""

    list_display = ["user", "created_at", "confirmed_at"]
    fields = ["user", "created_at", "confirmed_at"]
    readonly_fields = fields
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
