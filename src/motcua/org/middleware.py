"""Second factor enforced (issue 8): heads, unit admins and superusers work only with two-step sign-in on."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import selectors

# Pages a person who still has to turn it on may open: the enrolment page itself and signing in or out.
EXEMPT = frozenset({"org:totp", "org:login", "org:login_totp", "org:logout", "set_language"})
SESSION_KEY = "org_second_factor_ok"


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.MOTCUA_REQUIRE_TOTP or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT or request.path.startswith(("/static/", "/api/")):
            return None
        user = request.user
        if request.session.get(SESSION_KEY) == user.pk:
            return None
        if not selectors.may_use_totp(user) or selectors.totp_required(user):
            request.session[SESSION_KEY] = user.pk  # checked once per session
            return None
        text = _(
            "Tài khoản lãnh đạo và quản trị phải bật xác thực hai bước trước khi làm việc: quét mã QR bằng ứng "
            "dụng xác thực trên điện thoại rồi nhập mã 6 chữ số."
        )
        if request.method not in ("GET", "HEAD"):
            return HttpResponseForbidden(text)
        messages.warning(request, text)
        return redirect("org:totp")
