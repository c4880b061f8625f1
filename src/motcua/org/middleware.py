"""Second factor enforced (issue 8): heads, unit admins and superusers work only with two-step sign-in on."""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from . import selectors

# Pages a person who still has to turn it on may open: the enrolment page itself and signing in or out.
EXEMPT = frozenset({"org:totp", "org:login", "org:login_totp", "org:logout", "set_language"})
ENROL_FIRST = _(
    "Tài khoản lãnh đạo và quản trị phải bật xác thực hai bước trước khi làm việc: quét mã QR bằng ứng "
    "dụng xác thực trên điện thoại rồi nhập mã 6 chữ số."
)


class SecondFactorRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The API answers for itself (api/v1/app.py SessionWithSecondFactor asks the same question, with a JSON 403).
        if match is None or match.view_name in EXEMPT or request.path.startswith(("/static/", "/api/")):
            return None
        if not selectors.second_factor_missing(request):
            return None
        if request.method not in ("GET", "HEAD"):
            return HttpResponseForbidden(ENROL_FIRST)
        messages.warning(request, ENROL_FIRST)
        return redirect("org:totp")
