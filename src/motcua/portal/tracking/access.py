"""Who may see a dossier: the look-up by code and phone or personal ID (one round trip, throttled),
the codes remembered in a signed cookie or the session, and the citizen's own dossiers."""

from __future__ import annotations

import hmac
import re
import secrets
from functools import cache

from django.conf import settings
from django.core import signing
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, State
from motcua.feedback import services as feedback_services
from motcua.feedback.models import FailedLookup

from .common import TooManyAttempts, TrackingError

SESSION_KEY = "portal_tracked_dossiers"  # the codes a signed-in citizen looked up
SESSION_MAX = 20  # codes remembered per browser (the oldest are forgotten)
COOKIE = "motcua_tracked"  # the codes an anonymous browser looked up, signed
COOKIE_SALT = "motcua.portal.tracking.looked-up"
REVOKED_KEY = "portal_tracked_revoked"  # the cookies a sign-out made worthless (their nonces), in the session
REVOKED_MAX = 10
THROTTLE_SCOPE = "track"


# ---------------------------------------------------------------- access


def normalise_code(raw: str) -> str:
    return re.sub(r"\s+", "", raw or "").upper()[:60]


def _digits(raw: str) -> str:
    """A phone number or ID as digits only; +84 / 84 in front of a phone number becomes 0."""
    raw = (raw or "").strip()
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def _same(a: str, b: str) -> bool:
    """Constant-time comparison of two digit strings (an empty one never matches)."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def _matches(dossier: Dossier | None, secret: str) -> bool:
    if dossier is None:
        # Spend the same comparisons on an unknown code as on a known one.
        for _filler in range(3):
            hmac.compare_digest(secret.encode(), b"000000000000")
        return False
    # Every comparison runs: the time taken does not tell which field (if any) matched.
    results = [_same(secret, _digits(dossier.phone)), _same(secret, dossier.personal_id),
               _same(secret, dossier.representative_id)]
    return any(results)


def clean_lookup(code: str, secret: str) -> tuple[str, str]:
    """Check the form's two fields; TrackingError (400) says what to fix."""
    code = normalise_code(code)
    digits = _digits(secret)
    if not code:
        raise TrackingError(_("Hãy nhập mã hồ sơ (in trên giấy tiếp nhận hồ sơ, Mẫu 01)."), field="code")
    if not digits:
        raise TrackingError(
            _("Hãy nhập số điện thoại hoặc số định danh cá nhân (12 chữ số) ghi trong hồ sơ."), field="secret"
        )
    if len(digits) not in (10, 11, 12):
        raise TrackingError(
            _("Số điện thoại có 10 chữ số, số định danh cá nhân có 12 chữ số; hãy kiểm tra lại số đã nhập."),
            field="secret",
        )
    return code, digits


@cache
def _row_sql() -> str:
    """The look-up's one query, written from the models' names: how many look-ups this address failed
    in the window, and the dossier's id, code and the numbers it can be found by (the unique index on
    code; no row of the dossier when the code is unknown or a draft). Plain SQL, not the ORM: building
    the two ORM queries cost about four times the database's work."""
    q = connection.ops.quote_name
    failed, dossier = FailedLookup._meta, Dossier._meta

    def col(meta, name):
        return q(meta.get_field(name).column)

    fields = ", ".join(f"d.{col(dossier, name)}" for name in _ROW_FIELDS)
    return (
        f"SELECT (SELECT COUNT(*) FROM {q(failed.db_table)} WHERE {col(failed, 'scope')} = %s "
        f"AND {col(failed, 'client')} = %s AND {col(failed, 'at')} > %s), {fields} "
        f"FROM (SELECT 1 AS one) AS one LEFT JOIN {q(dossier.db_table)} d "
        f"ON d.{col(dossier, 'code')} = %s AND d.{col(dossier, 'state')} <> %s"
    )


_ROW_FIELDS = ("id", "code", "phone", "personal_id", "representative_id")


def _row(code: str, client: str, now) -> tuple[int, Dossier | None]:
    """(failed look-ups of `client` in the window, the dossier with this code or None), in one query.
    The dossier carries only the look-up's fields (the others load when read, as with .only())."""
    since = connection.ops.adapt_datetimefield_value(now - feedback_services.LOOKUP_WINDOW)
    with connection.cursor() as cursor:
        cursor.execute(_row_sql(), [THROTTLE_SCOPE, client[:64], since, code, State.DRAFT])
        failures, *values = cursor.fetchone()
    if values[0] is None:
        return failures, None
    return failures, Dossier.from_db(connection.alias, list(_ROW_FIELDS), values)


def find(code: str, secret: str, *, client: str, now=None) -> Dossier:
    """The dossier with this code whose phone number or personal ID is `secret`.

    Raises TooManyAttempts (429) after 10 failures from `client` in 10 minutes, TrackingError (400) for
    empty or malformed fields, and TrackingError (404) with one message whether the code is unknown or the
    number is wrong, so a look-up never tells which dossiers exist. The dossier returned carries only the
    fields the look-up needed (the rest load when read).
    """
    code, digits = clean_lookup(code, secret)
    failures, dossier = _row(code, client, now or timezone.now())
    if failures >= feedback_services.LOOKUP_LIMIT:
        raise TooManyAttempts()
    if not _matches(dossier, digits):
        feedback_services.record_failure(THROTTLE_SCOPE, client, now=now)
        raise TrackingError(not_found_message(), status=404)
    return dossier


def not_found_message() -> str:
    """One message for an unknown code and a wrong number (read at call time, in the request's language)."""
    return _("Không tìm thấy hồ sơ với mã và số điện thoại hoặc số định danh đã nhập. Hãy kiểm tra lại mã hồ sơ "
             "trên giấy tiếp nhận và số đã khai khi nộp hồ sơ.")


def _cookie_age() -> int:
    """Seconds a look-up is remembered by an anonymous browser: as long as a session lives, two weeks at most."""
    return min(settings.SESSION_COOKIE_AGE, 14 * 24 * 3600)


def _cookie(request) -> tuple[str, list[str]]:
    """(nonce, codes) of this browser's signed look-up cookie; ("", []) when there is none, it was
    edited or forged (bad signature), it is older than its age, or a sign-out made it worthless."""
    raw = request.COOKIES.get(COOKIE)
    if not raw:
        return "", []
    try:
        payload = signing.loads(raw, salt=COOKIE_SALT, max_age=_cookie_age())
    except signing.BadSignature:  # SignatureExpired too
        return "", []
    if not isinstance(payload, dict):
        return "", []
    nonce, codes = payload.get("n"), payload.get("c")
    if not isinstance(nonce, str) or not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return "", []
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and nonce in request.session.get(REVOKED_KEY, []):
        return "", []
    return nonce, codes[-SESSION_MAX:]


def remember(request, response, dossier: Dossier, citizen=None) -> None:
    """Let this browser act on the dossier (its codes, newest last): in the signed-in citizen's session,
    or in a signed cookie set on `response` (no session, nothing written on the server)."""
    if citizen is not None:
        codes = [c for c in request.session.get(SESSION_KEY, []) if c != dossier.code]
        request.session[SESSION_KEY] = (codes + [dossier.code])[-SESSION_MAX:]
        return
    nonce, codes = _cookie(request)
    codes = [c for c in codes if c != dossier.code] + [dossier.code]
    value = signing.dumps({"n": nonce or secrets.token_hex(8), "c": codes[-SESSION_MAX:]}, salt=COOKIE_SALT)
    response.set_cookie(
        COOKIE, value, max_age=_cookie_age(), path="/", httponly=True, samesite="Lax",
        secure=request.is_secure() or settings.SESSION_COOKIE_SECURE,
    )


def remembered(request) -> list[str]:
    """The codes this browser looked up (its signed cookie, and the signed-in citizen's session)."""
    codes = _cookie(request)[1]
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        codes = codes + list(request.session.get(SESSION_KEY, []))
    return codes


def forget_on_sign_out(request) -> list[str]:
    """Called by identity.sign_out before it clears the session: the nonces of the look-up cookies this
    browser may no longer use, to keep in the session under REVOKED_KEY (the cookie itself cannot be
    removed from there, the sign-out view owns the response). A new look-up starts a new cookie."""
    revoked = list(request.session.get(REVOKED_KEY, []))
    nonce = _cookie(request)[0]
    if nonce and nonce not in revoked:
        revoked.append(nonce)
    return revoked[-REVOKED_MAX:]


def citizen_dossiers(citizen):
    """The dossiers a signed-in citizen opens without a look-up (accounts.owned_dossiers)."""
    if citizen is None or not citizen.personal_id:
        return Dossier.objects.none()
    from ..accounts import owned_dossiers

    return (
        owned_dossiers(citizen)
        .select_related("procedure_version__procedure")
        .order_by("-submitted_at", "-pk")
    )


def accessible(request, citizen, code: str) -> Dossier | None:
    """The dossier if this browser looked it up or the signed-in citizen's account owns it."""
    code = normalise_code(code)
    qs = Dossier.objects.exclude(state=State.DRAFT).select_related(
        "case", "procedure_version__procedure", "receiving_agency", "competent_agency"
    )
    if code in remembered(request):
        return qs.filter(code=code).first()
    if citizen is not None:
        return citizen_dossiers(citizen).select_related(
            "case", "receiving_agency", "competent_agency"
        ).filter(code=code).first()
    return None
