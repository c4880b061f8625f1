"""Citizen account pages: sign-up and phone confirmation, sign-in and sign-out, forgotten password,
sign-in through the national identity provider, "Hồ sơ của tôi". Thin: the rules live in accounts.py
(and the provider's protocol in oidc.py); a refusal is shown on the same page with its status (400, or
429 for a rate limit)."""

import logging
import secrets
import time
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import accounts, identity, oidc
from .forms_accounts import CodeForm, ForgotForm, ResetForm, SignInForm, SignUpForm
from .models import CitizenAccount

log = logging.getLogger(__name__)

# A sign-up waiting for its code, or a reset in progress: {"account"|"personal_id", "at", "next"}.
PENDING_KEY = "portal_pending"
RESET_KEY = "portal_reset"
OIDC_KEY = "portal_oidc"
# How long a half-finished sign-up, reset or provider round trip stays in the session.
PENDING_SECONDS = 30 * 60
OIDC_SECONDS = 10 * 60
# Service field names → form field names.
FIELD_OF = {"password": "password1"}
TRACKING_URL = "/tra-cuu/"
PAGE_SIZE = 20


def _ip(request) -> str:
    return identity.client_address(request)


def _next_url(request, candidate: str | None) -> str:
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure())
    if candidate and allowed and candidate.startswith("/") and not candidate.startswith("/cong-dan/dang-nhap/"):
        return candidate
    return reverse("portal:my_dossiers")


def _refuse(form, exc: accounts.AccountError) -> int:
    """Put the refusal on the form (on its field when the form has one) and give the page's status."""
    field = FIELD_OF.get(exc.field, exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
    return exc.status


def _masked(phone: str) -> str:
    return f"{'*' * (len(phone) - 3)}{phone[-3:]}" if len(phone) > 3 else phone


def _fresh(entry) -> bool:
    return bool(entry) and time.time() - entry.get("at", 0) <= PENDING_SECONDS


# --------------------------------------------------------------------------------------------------
# Sign-up
# --------------------------------------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.method == "GET" and identity.current_citizen(request):
        return redirect("portal:my_dossiers")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                account = accounts.sign_up(
                    personal_id=data["personal_id"],
                    full_name=data["full_name"],
                    phone=data["phone"],
                    password=data["password1"],
                    ip=_ip(request),
                )
            except accounts.AccountError as exc:
                status = _refuse(form, exc)
            else:
                request.session[PENDING_KEY] = {"account": account.pk, "at": time.time(), "next": request.GET.get("next")}
                messages.success(
                    request, _("Đã gửi mã xác nhận tới số %(phone)s.") % {"phone": _masked(account.phone)}
                )
                return redirect("portal:confirm")
    return render(request, "portal/accounts/sign_up.html", {"form": form}, status=status)


def _pending_sign_up(request) -> CitizenAccount | None:
    entry = request.session.get(PENDING_KEY)
    if not _fresh(entry):
        request.session.pop(PENDING_KEY, None)
        return None
    return CitizenAccount.objects.filter(pk=entry.get("account"), is_active=True).first()


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request):
    """The sign-up code: confirm the phone and sign in, or send the code again."""
    account = _pending_sign_up(request)
    if account is None:
        messages.error(request, _("Phiên đăng ký đã hết hạn hoặc chưa bắt đầu; hãy đăng ký, hoặc đăng nhập nếu đã có tài khoản."))
        return redirect("portal:sign_up")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "resend" in request.POST:
                accounts.send_code(account=account, purpose=accounts.Purpose.SIGN_UP, ip=_ip(request))
                messages.success(request, _("Đã gửi mã mới tới số %(phone)s.") % {"phone": _masked(account.phone)})
                return redirect("portal:confirm")
            if form.is_valid():
                accounts.confirm_phone(account=account, code=form.cleaned_data["code"])
                next_url = _next_url(request, request.session.pop(PENDING_KEY, {}).get("next"))
                identity.sign_in(request, account)
                messages.success(request, _("Đã xác nhận số điện thoại. Chào mừng %(name)s!") % {"name": account.full_name})
                return redirect(next_url)
        except accounts.AccountError as exc:
            if exc.code == "confirmed":
                request.session.pop(PENDING_KEY, None)
                messages.info(request, exc.message)
                return redirect("portal:sign_in")
            status = _refuse(form, exc)
    context = {"form": form, "phone": _masked(account.phone), "minutes": int(accounts.CODE_LIFETIME.total_seconds() // 60)}
    return render(request, "portal/accounts/confirm.html", context, status=status)


# --------------------------------------------------------------------------------------------------
# Sign-in, sign-out
# --------------------------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and identity.current_citizen(request):
        return redirect(next_url)
    form = SignInForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            personal_id = form.cleaned_data["personal_id"]
            try:
                account = accounts.authenticate(
                    personal_id=personal_id, password=form.cleaned_data["password"], ip=_ip(request)
                )
            except accounts.AccountError as exc:
                if exc.code == "unconfirmed":  # the password was right: finish the sign-up
                    pending = CitizenAccount.objects.get(personal_id=personal_id)
                    request.session[PENDING_KEY] = {"account": pending.pk, "at": time.time(), "next": next_url}
                    messages.info(request, exc.message)
                    return redirect("portal:confirm")
                status = _refuse(form, exc)
            else:
                identity.sign_in(request, account)
                return redirect(next_url)
    context = {"form": form, "next": next_url, "oidc": oidc.config() is not None}
    return render(request, "portal/accounts/sign_in.html", context, status=status)


@require_POST
def sign_out(request):
    identity.sign_out(request)
    messages.info(request, _("Bạn đã đăng xuất khỏi Cổng dịch vụ công."))
    return redirect("portal:sign_in")


# --------------------------------------------------------------------------------------------------
# Forgotten password
# --------------------------------------------------------------------------------------------------

SENT_IF_ANY = (
    "Nếu số định danh này có tài khoản với số điện thoại đã xác nhận, mã đặt lại mật khẩu đã được gửi tới số "
    "đó. Mã dùng được trong %(minutes)s phút."
)


@never_cache
@require_http_methods(["GET", "POST"])
def forgot(request):
    form = ForgotForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            personal_id = form.cleaned_data["personal_id"]
            try:
                accounts.request_reset(personal_id=personal_id, ip=_ip(request))
            except accounts.AccountError as exc:
                status = _refuse(form, exc)
            else:
                request.session[RESET_KEY] = {"personal_id": personal_id, "at": time.time()}
                minutes = int(accounts.CODE_LIFETIME.total_seconds() // 60)
                messages.info(request, _(SENT_IF_ANY) % {"minutes": minutes})
                return redirect("portal:reset")
    return render(request, "portal/accounts/forgot.html", {"form": form}, status=status)


@sensitive_post_parameters("code", "password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def reset(request):
    entry = request.session.get(RESET_KEY)
    if not _fresh(entry):
        request.session.pop(RESET_KEY, None)
        messages.error(request, _("Phiên đặt lại mật khẩu đã hết hạn; hãy nhập lại số định danh để nhận mã mới."))
        return redirect("portal:forgot")
    personal_id = entry["personal_id"]
    form = ResetForm(request.POST if request.method == "POST" else None, personal_id=personal_id)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "resend" in request.POST:
                accounts.request_reset(personal_id=personal_id, ip=_ip(request))
                minutes = int(accounts.CODE_LIFETIME.total_seconds() // 60)
                messages.info(request, _(SENT_IF_ANY) % {"minutes": minutes})
                return redirect("portal:reset")
            if form.is_valid():
                accounts.reset_password(
                    personal_id=personal_id, code=form.cleaned_data["code"], password=form.cleaned_data["password1"]
                )
                request.session.pop(RESET_KEY, None)
                messages.success(request, _("Đã đặt mật khẩu mới; hãy đăng nhập bằng mật khẩu này."))
                return redirect("portal:sign_in")
        except accounts.AccountError as exc:
            status = _refuse(form, exc)
    return render(request, "portal/accounts/reset.html", {"form": form}, status=status)


# --------------------------------------------------------------------------------------------------
# National identity provider
# --------------------------------------------------------------------------------------------------


def _oidc_failed(request, exc: oidc.OidcError):
    incident = uuid.uuid4().hex[:8]
    level = logging.WARNING if exc.status >= 500 else logging.INFO
    log.log(level, "citizen OIDC sign-in failed [%s]: %s", incident, exc.detail or exc.message)
    context = {"message": exc.message, "incident": incident if exc.status >= 500 else ""}
    return render(request, "portal/accounts/oidc_error.html", context, status=exc.status)


@require_POST
def oidc_start(request):
    """Send the browser to the provider with a fresh state and nonce kept in the session."""
    cfg = oidc.config()
    if cfg is None:
        raise Http404
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    redirect_uri = cfg.redirect_uri or request.build_absolute_uri(reverse("portal:oidc_callback"))
    try:
        url = oidc.authorization_url(cfg, state=state, nonce=nonce, redirect_uri=redirect_uri)
    except oidc.OidcError as exc:
        return _oidc_failed(request, exc)
    request.session[OIDC_KEY] = {
        "state": state,
        "nonce": nonce,
        "redirect_uri": redirect_uri,
        "at": time.time(),
        "next": _next_url(request, request.POST.get("next")),
    }
    return redirect(url)


@never_cache
@require_GET
def oidc_callback(request):
    """The provider sends the browser back here with a code and our state (or an error)."""
    cfg = oidc.config()
    if cfg is None:
        raise Http404
    # One use: a replayed callback finds nothing in the session.
    saved = request.session.pop(OIDC_KEY, None)
    try:
        if not saved or time.time() - saved.get("at", 0) > OIDC_SECONDS:
            raise oidc.OidcError(_("Phiên đăng nhập qua định danh điện tử đã hết hạn hoặc đã dùng; hãy bấm đăng nhập lại."))
        if not secrets.compare_digest(request.GET.get("state", "").encode(), str(saved["state"]).encode()):
            raise oidc.OidcError(
                _("Yêu cầu quay về không khớp với phiên đăng nhập này; hãy bấm đăng nhập lại."), detail="state mismatch"
            )
        if request.GET.get("error"):
            raise oidc.OidcError(
                _("Hệ thống định danh điện tử chưa cho phép đăng nhập (bạn đã hủy hoặc chưa đồng ý chia sẻ thông tin); hãy thử lại."),
                detail=f"provider error {request.GET.get('error')}: {request.GET.get('error_description', '')}",
            )
        code = request.GET.get("code", "")
        if not code:
            raise oidc.OidcError(_("Thiếu mã cấp quyền từ hệ thống định danh điện tử; hãy đăng nhập lại."))
        tokens = oidc.exchange_code(cfg, code=code, redirect_uri=saved["redirect_uri"])
        claims = oidc.validate_id_token(
            cfg, tokens["id_token"], nonce=saved["nonce"], access_token=tokens.get("access_token", "")
        )
    except oidc.OidcError as exc:
        return _oidc_failed(request, exc)
    verified = accounts.VerifiedIdentity(
        personal_id=str(claims.get(cfg.id_claim) or ""),
        full_name=str(claims.get("name") or ""),
        phone=str(claims.get("phone_number") or "") if claims.get("phone_number_verified") else "",
    )
    try:
        account = accounts.oidc_sign_in(verified)
    except accounts.AccountError as exc:
        return _oidc_failed(request, oidc.OidcError(exc.message, status=exc.status, detail=f"claims: {exc.message}"))
    identity.sign_in(request, account)
    messages.success(request, _("Đã đăng nhập bằng tài khoản định danh điện tử. Chào mừng %(name)s!") % {"name": account.full_name})
    return redirect(saved.get("next") or reverse("portal:my_dossiers"))


# --------------------------------------------------------------------------------------------------
# Hồ sơ của tôi
# --------------------------------------------------------------------------------------------------


@never_cache
@require_GET
def my_dossiers(request):
    citizen = identity.current_citizen(request)
    if citizen is None:
        return redirect(f"{reverse('portal:sign_in')}?{urlencode({'next': request.get_full_path()})}")
    page = Paginator(accounts.dossiers_of(citizen), PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [
        {
            "dossier": d,
            "procedure": d.procedure_version.procedure.name,
            "state": d.get_state_display(),
            "plain": accounts.PLAIN_STATE.get(d.state, ""),
            "due_at": d.rescheduled_due_at or d.due_at,
            "url": f"{TRACKING_URL}?{urlencode({'ma': d.code})}",
        }
        for d in page
    ]
    return render(request, "portal/accounts/my_dossiers.html", {"page": page, "rows": rows})
