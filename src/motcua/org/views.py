"""Staff sign-in (password, optional TOTP second step, lockout), password reset, role administration
and the coverage page. Thin: the rules live in services.py and selectors.py."""

import time
from datetime import timedelta

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import user_login_failed
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import CodeForm, GrantForm, LoginForm, NewPasswordForm, PasswordResetRequestForm
from .models import Agency, RoleAssignment, TotpDevice, User

PENDING_KEY = "org_totp_pending"


def _next_url(request, candidate: str | None) -> str:
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure())
    if candidate and allowed and not candidate.startswith(reverse("org:login")):
        return candidate
    return settings.LOGIN_REDIRECT_URL


# --------------------------------------------------------------------------------------------------
# Sign-in
# --------------------------------------------------------------------------------------------------


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): which name is locked and until when."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    cool_off = settings.AXES_COOLOFF_TIME
    last = AccessAttempt.objects.filter(username=username).aggregate(at=Max("attempt_time"))["at"]
    until = timezone.localtime((last or timezone.now()) + cool_off)
    left = max(until - timezone.now(), timedelta(0))
    request.session.pop(PENDING_KEY, None)
    context = {
        "username": username,
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": int(cool_off.total_seconds() // 60),
        "until": until,
        "minutes_left": max(1, -(-int(left.total_seconds()) // 60)),
        "reset_url": reverse("org:password_reset"),
    }
    return render(request, "org/locked.html", context, status=429)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url)
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if selectors.totp_required(user):
            # Password right, session not signed in yet: the code comes next.
            request.session.cycle_key()
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "next": next_url,
            }
            return redirect("org:login_totp")
        auth_login(request, user)
        return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    return render(request, "org/login.html", {"form": form, "next": next_url}, status=status)


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > settings.MOTCUA_TOTP_PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return user, pending


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_totp(request):
    """The second step: the 6-digit code. A wrong code counts as a failed sign-in for the user name."""
    user, pending = _pending_user(request)
    if user is None:
        messages.error(request, _("Phiên đăng nhập đã hết hạn; hãy nhập lại tên đăng nhập và mật khẩu."))
        return redirect("org:login")
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return locked_out(request, None, credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            right = services.verify_totp(user, form.cleaned_data["code"])
        except services.OrgError as exc:
            form.add_error("code", exc.message)
        else:
            if right:
                del request.session[PENDING_KEY]
                auth_login(request, user, backend=pending["backend"])
                return redirect(_next_url(request, pending.get("next")))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return locked_out(request, None, credentials)
            left = max(settings.AXES_FAILURE_LIMIT - getattr(request, "axes_failures_since_start", 0), 0)
            form.add_error(
                "code",
                _("Mã xác thực không đúng hoặc đã dùng. Còn %(left)s lần thử trước khi tên đăng nhập bị tạm khóa.")
                % {"left": left},
            )
    status = 400 if request.method == "POST" else 200
    return render(request, "org/login_totp.html", {"form": form, "username": user.username}, status=status)


@require_POST
def logout(request):
    auth_logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("org:login")


# --------------------------------------------------------------------------------------------------
# Password reset
# --------------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():

        def link_for(uid, token):
            return request.build_absolute_uri(reverse("org:password_reset_confirm", args=[uid, token]))

        services.request_password_reset(email=form.cleaned_data["email"], link_for=link_for)
        # The same answer whether or not the address belongs to an account.
        return redirect("org:password_reset_sent")
    status = 400 if request.method == "POST" else 200
    return render(request, "org/password_reset.html", {"form": form}, status=status)


def password_reset_sent(request):
    return render(request, "org/password_reset_sent.html")


def _user_for_token(uidb64: str, token: str):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.filter(pk=int(pk), is_active=True, is_system=False).first()
    except (TypeError, ValueError, OverflowError):
        return None
    if user is not None and default_token_generator.check_token(user, token):
        return user
    return None


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, uidb64, token):
    user = _user_for_token(uidb64, token)
    if user is None:
        return render(request, "org/password_reset_invalid.html", status=400)
    form = NewPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.reset_password(user=user, password=form.cleaned_data["new_password1"])
        messages.success(request, _("Đã đặt mật khẩu mới; hãy đăng nhập bằng mật khẩu này."))
        return redirect("org:login")
    status = 400 if request.method == "POST" else 200
    response = render(request, "org/password_reset_confirm.html", {"form": form, "username": user.username}, status=status)
    response["Referrer-Policy"] = "no-referrer"  # the link carries the token
    return response


# --------------------------------------------------------------------------------------------------
# Two-step sign-in settings
# --------------------------------------------------------------------------------------------------


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def totp(request):
    """Turn two-step sign-in on (QR code + first code) or off (current code)."""
    user = request.user
    if not selectors.may_use_totp(user):
        return render(request, "org/totp.html", {"eligible": False}, status=403)
    device = TotpDevice.objects.filter(user=user).first()
    enabled = bool(device and device.confirmed_at)
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if enabled and settings.MOTCUA_REQUIRE_TOTP:
                    raise services.OrgError(_("Xác thực hai bước là bắt buộc với tài khoản lãnh đạo, quản trị; không tắt được."))
                if enabled:
                    services.disable_totp(user, form.cleaned_data["code"])
                    messages.success(request, _("Đã tắt xác thực hai bước."))
                else:
                    services.confirm_totp(user, form.cleaned_data["code"])
                    messages.success(request, _("Đã bật xác thực hai bước; từ lần đăng nhập sau sẽ cần mã 6 chữ số."))
                return redirect("org:totp")
            except services.OrgError as exc:
                form.add_error("code", exc.message)
        status = 400
    context = {"eligible": True, "enabled": enabled, "form": form}
    if not enabled:
        device = services.start_totp_enrolment(user)
        context |= {"secret": device.secret, "qr_svg": _qr_svg(services.provisioning_uri(device))}
    return render(request, "org/totp.html", context, status=status)


# --------------------------------------------------------------------------------------------------
# Roles and coverage
# --------------------------------------------------------------------------------------------------


def _roles_page(request, agency, form, status=200, error=None):
    context = {
        "agency": agency,
        "form": form,
        "error": error,
        "holders": selectors.role_holders(agency),
        "audit": selectors.role_audit(agency),
    }
    return render(request, "org/roles.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def roles(request, agency_id: int):
    agency = get_object_or_404(Agency, pk=agency_id)
    if not selectors.can_administer(request.user, agency):
        raise Http404
    form = GrantForm(agency, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _roles_page(request, agency, form)
    if not form.is_valid():
        return _roles_page(request, agency, form, status=400)
    data = form.cleaned_data
    try:
        assignment = services.grant_role(
            user=data["user"], role=data["role"], agency=data["agency"], granted_by=request.user
        )
    except services.OrgError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _roles_page(request, agency, form, status=exc.status)
    values = {"user": assignment.user, "role": assignment.get_role_display(), "agency": assignment.agency}
    if assignment.created:
        messages.success(request, _("Đã cấp vai trò %(role)s tại %(agency)s cho %(user)s.") % values)
    else:
        messages.info(request, _("%(user)s đã có vai trò %(role)s tại %(agency)s; không có gì thay đổi.") % values)
    return redirect("org:roles", agency_id=agency.pk)


@login_required
@require_POST
def revoke(request, agency_id: int, assignment_id: int):
    agency = get_object_or_404(Agency, pk=agency_id)
    if not selectors.can_administer(request.user, agency):
        raise Http404
    assignment = RoleAssignment.objects.filter(pk=assignment_id, agency__path__startswith=agency.path).first()
    if assignment is None:
        error = _("Phân quyền này không còn hoặc không thuộc đơn vị; hãy tải lại trang.")
        return _roles_page(request, agency, GrantForm(agency), status=404, error=error)
    try:
        entry = services.revoke_role(assignment=assignment, revoked_by=request.user)
    except services.OrgError as exc:
        return _roles_page(request, agency, GrantForm(agency), status=exc.status, error=exc.message)
    messages.success(
        request,
        _("Đã thu hồi vai trò %(role)s tại %(agency)s của %(user)s.")
        % {"role": entry.get_role_display(), "agency": entry.agency_label, "user": entry.user_label},
    )
    return redirect("org:roles", agency_id=agency.pk)


@login_required
@require_http_methods(["GET"])
def coverage(request, agency_id: int):
    agency = get_object_or_404(Agency, pk=agency_id)
    if not selectors.can_view_coverage(request.user, agency):
        raise Http404
    context = {
        "agency": agency,
        "coverage": selectors.coverage(agency),
        "can_administer": selectors.can_administer(request.user, agency),
    }
    return render(request, "org/coverage.html", context)

