"""Request ids, the access log line and request metrics; the Content-Security-Policy and
Permissions-Policy headers (Django's SecurityMiddleware sends the others)."""

import base64
import hashlib
import logging
import re
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError

from motcua.ops import logs, metrics

logger = logging.getLogger("motcua.request")

# An incoming X-Request-ID (from a proxy or a caller) is kept only when it is short and plain.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def request_id_for(header: str | None) -> str:
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _user_id(request):
    """The signed-in user's id for the access line (the view has usually loaded the user already)."""
    try:
        user = getattr(request, "user", None)
        return user.pk if user is not None and user.is_authenticated else None
    except DatabaseError:  # the database is down: the line is still written
        return None


class RequestIdMiddleware:
    """First in MIDDLEWARE. Gives each request an id (the caller's X-Request-ID when it is safe, else a
    new one), makes it visible to every log record of the request, sends it back in X-Request-ID, counts
    the request in the metrics and writes one access line (status, duration, user id; never the query
    string)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request_id_for(request.headers.get("X-Request-ID"))
        request.request_id = rid
        token = logs.current.set({"request_id": rid, "method": request.method, "path": request.path,
                                  "request": request})
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            response["X-Request-ID"] = rid
            metrics.observe_request(metrics.route_of(request), request.method, response.status_code, elapsed)
            logger.log(
                logging.WARNING if response.status_code >= 500 else logging.INFO,
                # The path may carry what someone typed and is masked; the status is never taken for part
                # of a number in it ("/…/0912 345 678 200").
                "%s %s %s", request.method, request.path, logs.Identifier(response.status_code),
                extra={"status": response.status_code, "duration_ms": round(elapsed * 1000, 1),
                       "user_id": _user_id(request)},
            )
            return response
        finally:
            logs.current.reset(token)


# Inline styles still written by templates and code that the policy allows by hash (CSP 'unsafe-hashes'
# for style attributes). Anything else inline is blocked by the browser: put it in a static file.
# tests/ops/test_security_headers.py checks that every inline style in the browser templates is listed.
INLINE_STYLES = (
    "width:auto",  # radio buttons: feedback/follow.html, feedback/submit.html, portal/track/dossier.html
    "max-width:720px",  # the SVG chart frame, reports/charts.py
    "font-family:Arial,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem",  # web/500.html, web/503.html
    # <style> element of org/totp.html (the QR code of the two-step set-up)
    ".qr{width:14rem;max-width:100%}.qr svg{width:100%;height:auto;display:block}",
)


def source_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def form_targets() -> list[str]:
    """Other sites a form here may lead to. Browsers apply form-action to the redirect after a POST too:
    paying (POST, then a redirect to the payment platform) and signing in with the identity provider
    (POST, then a redirect to its authorization page) need their origins, plus any in
    MOTCUA_CSP_FORM_TARGETS (an authorization endpoint on another host than the issuer)."""
    urls = [getattr(settings, "MOTCUA_PAYMENT_URL", ""), getattr(settings, "MOTCUA_OIDC_ISSUER", "")]
    urls += list(getattr(settings, "MOTCUA_CSP_FORM_TARGETS", []))
    return list(dict.fromkeys(o for o in map(_origin, urls) if o))


def content_security_policy() -> str:
    """settings.MOTCUA_CSP (directive → sources) with the hashes of INLINE_STYLES added to style-src and
    the form targets to form-action."""
    policy = {name: list(sources) for name, sources in settings.MOTCUA_CSP.items()}
    if INLINE_STYLES and "style-src" in policy:
        policy["style-src"] += ["'unsafe-hashes'", *(source_hash(s) for s in INLINE_STYLES)]
    if "form-action" in policy:
        policy["form-action"] += [o for o in form_targets() if o not in policy["form-action"]]
    return "; ".join(" ".join([name, *sources]) for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response that has none yet. In DEBUG,
    Django's technical error pages (inline scripts and styles) are left without a policy."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._policy = (None, "")

    def _csp(self) -> str:
        # Built again only when a setting it depends on changes (tests, a live server reconfigured).
        key = (INLINE_STYLES, repr(settings.MOTCUA_CSP), getattr(settings, "MOTCUA_PAYMENT_URL", ""),
               getattr(settings, "MOTCUA_OIDC_ISSUER", ""), repr(getattr(settings, "MOTCUA_CSP_FORM_TARGETS", [])))
        if self._policy[0] != key:
            self._policy = (key, content_security_policy())
        return self._policy[1]

    def __call__(self, request):
        response = self.get_response(request)
        if not (settings.DEBUG and response.status_code >= 400):
            response.headers.setdefault("Content-Security-Policy", self._csp())
        if settings.MOTCUA_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.MOTCUA_PERMISSIONS_POLICY)
        return response
