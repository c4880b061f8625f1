import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render

from motcua import demo
from motcua.api.transport import too_large_message
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.ops import outage
from motcua.org.models import Agency, RoleAssignment, User
from motcua.portal.search import fields_in_force

# What citizens ask for most, offered under the search box (each one a search, not a fixed link).
POPULAR_SEARCHES = ["khai sinh", "thường trú", "tạm trú", "kết hôn", "chứng thực bản sao", "căn cước"]


def home(request):
    """Start page: the citizen's procedure search and fields first; below them, for staff, where to go
    (admin, API documentation) and, on a demo installation only, who to sign in as."""
    context = {
        "popular": POPULAR_SEARCHES,
        "fields": fields_in_force(),
        "field_params": "",
        "demo": settings.MOTCUA_DEMO,
        "procedures": Procedure.objects.count(),
        "agencies": Agency.objects.count(),
        "dossiers": Dossier.objects.count(),
    }
    if not settings.MOTCUA_DEMO:
        return render(request, "web/home.html", context)
    roles = {}
    for ra in RoleAssignment.objects.select_related("user", "agency").order_by("user__username"):
        roles.setdefault(ra.user_id, []).append(f"{ra.get_role_display()} · {ra.agency.name}")
    accounts = [
        (u.username, str(u), "; ".join(roles.get(u.pk, [])) or ("Quản trị toàn hệ thống" if u.is_superuser else ""))
        for u in User.objects.filter(is_active=True, is_system=False).order_by("-is_superuser", "username")[:60]
    ]
    context |= {"accounts": accounts, "password": demo.DEMO_PASSWORD, "api_token": demo.DEMO_API_TOKEN}
    return render(request, "web/home.html", context)


def server_error(request):
    """Our failure: the page gives the request id (also in every log line of the request), so the person
    can quote it to support and we can find what happened. When the failure is the database being briefly
    out of reach (a restart, a fail-over), 503 with Retry-After and a page that says to try again instead.
    Django calls this while handling the exception, so sys.exc_info() holds it."""
    from django.template import loader

    context = {"request_id": getattr(request, "request_id", "")}
    if outage.database_unavailable(sys.exc_info()[1]):
        context["message"] = outage.UNAVAILABLE_MESSAGE.format(seconds=outage.RETRY_AFTER_SECONDS)
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(outage.RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form came without a valid anti-forgery token (a page left open too long, a
    sign-in in another tab, cookies turned off, or a forged request). Nothing was done; the page says so
    in Vietnamese and what to do (reload and send again, turn cookies on). Django has already logged the
    reason (logger django.security.csrf); it is English and for us, so it is not shown."""
    context = {"request_id": getattr(request, "request_id", "")}
    return render(request, "403_csrf.html", context, status=403)


def bad_request(request, exception):
    """handler400: a request Django refused before any view saw it. A body over DATA_UPLOAD_MAX_MEMORY_SIZE
    is 413 with a message that says what to do; anything else (a host not allowed, a malformed request)
    a plain 400. In Vietnamese, without base.html (the middleware that fills its context may not have
    run); for /api/ the answer is JSON in the API's error shape. The API's own operations answer a body
    over the limit themselves (api/transport.py): this is the net under every other door."""
    from django.template import loader

    too_large = isinstance(exception, RequestDataTooBig)
    status = 413 if too_large else 400
    if too_large:
        title = "Nội dung gửi lên quá lớn"
        message = too_large_message(page=not request.path.startswith("/api/"))
    else:
        title = "Yêu cầu không hợp lệ"
        message = "Hệ thống không đọc được yêu cầu vừa gửi. Hãy quay lại trang trước, tải lại trang rồi thử lại."
    if request.path.startswith("/api/"):
        body = {"detail": message, "code": "too_large" if too_large else "bad_request", "field": None}
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    context = {"title": title, "message": message, "request_id": getattr(request, "request_id", "")}
    return HttpResponse(loader.get_template("400.html").render(context), status=status)
