"""Tracking a dossier on the citizen portal: who may see it, what happened in plain words, what the
citizen must do next, and the citizen's own moves (supply missing items, withdraw).

Access. Without an account, a dossier is found by its code plus the phone number or the personal ID
written on it (`find`); a wrong pair answers exactly like an unknown code, compared in constant time, and
failed look-ups are counted per address in the database (feedback.services throttle: 10 per 10 minutes;
only a failure writes). The look-up is the portal's busiest request, so it is one round trip: the
address's recent failures and the few columns of the dossier come back from one indexed query (`_row`).
A successful look-up remembers the code (`remember`), so the citizen can act on the dossier: in a signed
cookie (HttpOnly, SameSite=Lax, Secure on HTTPS, two weeks at most) for a browser without a citizen signed
in, so a look-up writes nothing; in the session of a signed-in citizen, as before. Signing out forgets both
(`forget_on_sign_out`). A signed-in citizen also sees the dossiers his account owns (`accessible`).

Reading. `timeline`, `current_step`, `next_step`, `payment_state` and `papers` turn the dossier's
history into sentences a citizen understands: no state codes, no action names, no internal step names.

Writing. `supply_items` and `withdraw` act as the applicant through dossiers.services.perform (the one
writer of dossier state), with actor None: the portal has no staff user, so the event is recorded as
made by the system, with the citizen's note or reason (see the report on the applicant actor).
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.documents import services as documents
from motcua.documents.models import Document
from motcua.dossiers import services as dossier_services
from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, Pause, ReturnMethod, State
from motcua.feedback import services as feedback_services
from motcua.feedback.models import FailedLookup
from motcua.org.roles import Role
from motcua.printing import services as printing
from motcua.printing.selectors import CITIZEN_FORMS, applicable_forms

log = logging.getLogger(__name__)

SESSION_KEY = "portal_tracked_dossiers"  # the codes a signed-in citizen looked up
SESSION_MAX = 20  # codes remembered per browser (the oldest are forgotten)
COOKIE = "motcua_tracked"  # the codes an anonymous browser looked up, signed
COOKIE_SALT = "motcua.portal.tracking.looked-up"
REVOKED_KEY = "portal_tracked_revoked"  # the cookies a sign-out made worthless (their nonces), in the session
REVOKED_MAX = 10
THROTTLE_SCOPE = "track"
MAX_NOTE = 1000
# Withdraw reasons written before the applicant was named in the history carried this prefix.
WITHDRAW_PREFIX = "[Cổng dịch vụ công] "


def applicant(dossier: Dossier) -> dossier_services.Applicant:
    """The applicant as the actor of a portal move: the history names him, and the services allow him
    only the applicant's moves."""
    return dossier_services.Applicant(name=dossier.applicant_name, personal_id=dossier.personal_id)


class TrackingError(Exception):
    """A refusal the citizen can act on; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, *, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


class TooManyAttempts(TrackingError):
    def __init__(self):
        super().__init__(
            _("Ông/bà đã tra cứu không thành công quá nhiều lần. Hãy thử lại sau 10 phút, hoặc gọi bộ phận một "
              "cửa nơi nộp hồ sơ để được hỗ trợ."),
            status=429,
        )


# ---------------------------------------------------------------- formatting


def when(moment: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnamese time, '' for None."""
    return f"{timezone.localtime(moment):%d/%m/%Y %H:%M}" if moment else ""


def money(amount: int | None) -> str:
    return f"{amount or 0:,}".replace(",", ".") + " đồng"


def _parse_iso(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


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
    from .accounts import owned_dossiers

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


# ---------------------------------------------------------------- plain words

# Who is working on the dossier, by the role of the open step (the catalog's step names are for staff).
ROLE_DOING = {
    Role.ONE_STOP_OFFICER: lambda: _("Bộ phận một cửa đang xử lý hồ sơ"),
    Role.POSTAL_AGENT: lambda: _("Nhân viên bưu chính đang chuyển hồ sơ"),
    Role.SPECIALIST: lambda: _("Cán bộ chuyên môn đang xem xét hồ sơ"),
    Role.HEAD_OF_DIVISION: lambda: _("Lãnh đạo phòng chuyên môn đang xem xét hồ sơ"),
    Role.HEAD_OF_AGENCY: lambda: _("Lãnh đạo cơ quan đang xem xét, ký kết quả"),
    Role.CLERK: lambda: _("Văn thư đang đóng dấu, vào sổ kết quả"),
}

# Who the dossier went to, in the timeline.
ROLE_TO = {
    Role.ONE_STOP_OFFICER: lambda: _("bộ phận một cửa"),
    Role.POSTAL_AGENT: lambda: _("nhân viên bưu chính"),
    Role.SPECIALIST: lambda: _("cán bộ chuyên môn"),
    Role.HEAD_OF_DIVISION: lambda: _("lãnh đạo phòng chuyên môn"),
    Role.HEAD_OF_AGENCY: lambda: _("lãnh đạo cơ quan"),
    Role.CLERK: lambda: _("văn thư"),
}

STATE_NOW = {
    State.SUBMITTED: lambda d: _("Hồ sơ đã nộp, đang chờ bộ phận một cửa kiểm tra và tiếp nhận."),
    State.AWAITING_COMPLETION: lambda d: _("Hồ sơ cần được bổ sung, hoàn thiện trước khi được tiếp nhận."),
    State.REFUSED: lambda d: _("Hồ sơ không được tiếp nhận."),
    State.AWAITING_SUPPLEMENT: lambda d: _("Hồ sơ đang tạm dừng, chờ ông/bà bổ sung giấy tờ."),
    State.AWAITING_VERIFICATION: lambda d: _("Cơ quan giải quyết đang chờ cơ quan khác xác minh thông tin."),
    State.AWAITING_PAYMENT: lambda d: _("Hồ sơ đang chờ ông/bà nộp tiền (nghĩa vụ tài chính)."),
    State.WITHDRAWN: lambda d: _("Hồ sơ đã được rút theo đề nghị của ông/bà."),
    State.STOPPED: lambda d: _("Cơ quan giải quyết đã dừng xử lý hồ sơ."),
    State.RESULT_READY: lambda d: _("Đã có kết quả, đang chờ trả cho ông/bà."),
    State.RETURNED: lambda d: _("Đã trả kết quả."),
}


def current_step(dossier: Dossier) -> str:
    """Where the dossier is now, in one sentence."""
    if dossier.state in (State.RECEIVED, State.PROCESSING):
        step = dossier.steps.filter(ended_at__isnull=True).select_related("agency").order_by("-order").first()
        doing = ROLE_DOING.get(step.role) if step else None
        if doing is None:
            return _("Hồ sơ đang được giải quyết.")
        return _("%(who)s (%(agency)s).") % {"who": doing(), "agency": step.agency.name}
    sentence = STATE_NOW.get(dossier.state)
    return sentence(dossier) if sentence else _("Hồ sơ đang được giải quyết.")


def due_time(dossier: Dossier) -> datetime | None:
    """The promised return time the citizen holds now (the rescheduled one after an apology)."""
    if dossier.state in workflow.TERMINAL_STATES or dossier.state in workflow.BEFORE_RECEPTION:
        return None
    return dossier.rescheduled_due_at or dossier.due_at


def _items_count(data: dict) -> int:
    return len(data.get("items") or [])


def _submitted(e, d, steps):
    if d.channel == 2:
        return _("Ông/bà đã nộp hồ sơ trực tuyến.")
    if d.channel == 3:
        return _("Hồ sơ được gửi qua bưu chính công ích.")
    return _("Hồ sơ được nộp tại bộ phận một cửa.")


def _received(e, d, steps):
    return _("Hồ sơ đã được tiếp nhận tại %(agency)s.") % {"agency": d.receiving_agency.name}


def _asked_completion(e, d, steps):
    n = _items_count(e.data)
    return ngettext(
        "Cán bộ đề nghị ông/bà bổ sung, hoàn thiện %(n)s giấy tờ trước khi tiếp nhận hồ sơ.",
        "Cán bộ đề nghị ông/bà bổ sung, hoàn thiện %(n)s giấy tờ trước khi tiếp nhận hồ sơ.",
        n,
    ) % {"n": n}


def _completed(e, d, steps):
    return _("Ông/bà đã bổ sung, hoàn thiện hồ sơ; hồ sơ chờ được tiếp nhận.")


def _refused(e, d, steps):
    return _("Hồ sơ không được tiếp nhận. Lý do: %(reason)s") % {"reason": e.reason}


def _forwarded(e, d, steps):
    step = steps.get(e.data.get("to_step"))
    to = ROLE_TO.get(step.role) if step else None
    if to is None:
        return _("Hồ sơ được chuyển sang bước giải quyết tiếp theo.")
    return _("Hồ sơ được chuyển cho %(who)s (%(agency)s) xem xét.") % {"who": to(), "agency": step.agency.name}


def _asked_supplement(e, d, steps):
    n = _items_count(e.data)
    return ngettext(
        "Cơ quan giải quyết đề nghị ông/bà bổ sung %(n)s giấy tờ; thời gian giải quyết tạm dừng đến khi ông/bà bổ sung.",
        "Cơ quan giải quyết đề nghị ông/bà bổ sung %(n)s giấy tờ; thời gian giải quyết tạm dừng đến khi ông/bà bổ sung.",
        n,
    ) % {"n": n}


def _supplied(e, d, steps):
    return _("Đã nhận giấy tờ bổ sung; thời gian giải quyết được tính tiếp.")


def _asked_verification(e, d, steps):
    return _("Cơ quan giải quyết đề nghị cơ quan khác xác minh thông tin; thời gian giải quyết tạm dừng trong khi chờ.")


def _verified(e, d, steps):
    return _("Đã có kết quả xác minh; hồ sơ được giải quyết tiếp.")


def _asked_payment(e, d, steps):
    text = _("Ông/bà cần nộp %(amount)s") % {"amount": money(e.data.get("amount"))}
    if e.data.get("description"):
        text += f" ({e.data['description']})"
    return text + "."


def _paid(e, d, steps):
    return _("Khoản tiền phải nộp đã được xác nhận; hồ sơ được giải quyết tiếp.")


def _paid_fees(e, d, steps):
    return _("Ông/bà đã nộp phí, lệ phí trực tuyến: %(amount)s.") % {"amount": money(e.data.get("amount"))}


def _stopped(e, d, steps):
    return _("Cơ quan giải quyết đã dừng xử lý hồ sơ. Lý do: %(reason)s") % {"reason": e.reason}


def _withdrawn(e, d, steps):
    reason = e.reason.removeprefix(WITHDRAW_PREFIX)
    return _("Hồ sơ đã được rút theo đề nghị của ông/bà. Lý do: %(reason)s") % {"reason": reason}


def _finished(e, d, steps):
    return _("Đã có kết quả giải quyết hồ sơ.")


def _returned(e, d, steps):
    method = e.data.get("method")
    if method == ReturnMethod.POST:
        return _("Kết quả đã được gửi qua bưu chính, số vận đơn %(number)s.") % {"number": e.data.get("tracking_number", "")}
    if method == ReturnMethod.ELECTRONIC:
        return _("Kết quả điện tử đã được trả; ông/bà có thể tải về ở trang này.")
    return _("Kết quả đã được trả tại bộ phận một cửa.")


def _apologised(e, d, steps):
    return _("Cơ quan giải quyết xin lỗi vì hồ sơ bị chậm và hẹn lại ngày trả kết quả: %(when)s.") % {
        "when": when(_parse_iso(e.data.get("new_due_at")))
    }


def _recomputed(e, d, steps):
    return _("Ngày hẹn trả được điều chỉnh theo lịch ngày nghỉ, ngày làm bù: %(when)s.") % {
        "when": when(_parse_iso(e.data.get("new_due_at")))
    }


SENTENCES = {
    "submit": _submitted,
    "receive": _received,
    "request_completion": _asked_completion,
    "complete": _completed,
    "refuse": _refused,
    "forward": _forwarded,
    "request_supplement": _asked_supplement,
    "supply_supplement": _supplied,
    "request_verification": _asked_verification,
    "answer_verification": _verified,
    "request_payment": _asked_payment,
    "confirm_payment": _paid,
    "pay_fees": _paid_fees,
    "stop": _stopped,
    "withdraw": _withdrawn,
    "finish": _finished,
    "return_result": _returned,
    "apologise": _apologised,
    "recompute_due": _recomputed,
}


@dataclass(frozen=True)
class Moment:
    at: str
    text: str


def timeline(dossier: Dossier) -> list[Moment]:
    """Every event of the dossier as a dated sentence, oldest first."""
    steps = {s.order: s for s in dossier.steps.select_related("agency").order_by("order", "started_at")}
    out = []
    for event in dossier.events.order_by("seq"):
        sentence = SENTENCES.get(event.action)
        text = sentence(event, dossier, steps) if sentence else _("Hồ sơ được cập nhật.")
        out.append(Moment(when(event.at), text))
    return out


@dataclass(frozen=True)
class Item:
    name: str
    reason: str


@dataclass
class NextStep:
    """What the citizen must do now. kind: supply, pay, wait_payment, collect, none."""

    kind: str
    text: str
    items: list[Item] = field(default_factory=list)
    deadline: str = ""


def supplement_items(dossier: Dossier) -> list[Item]:
    """The items asked for by the open request (during processing) or the completion request (before
    reception), each with its reason; empty when nothing is asked."""
    if dossier.state == State.AWAITING_SUPPLEMENT:
        pause = dossier.pauses.filter(kind=Pause.Kind.SUPPLEMENT, ended_at__isnull=True).order_by("-started_at").first()
        raw = (pause.request or {}).get("items", []) if pause else []
    elif dossier.state == State.AWAITING_COMPLETION:
        event = dossier.events.filter(action="request_completion").order_by("-seq").first()
        raw = (event.data or {}).get("items", []) if event else []
    else:
        return []
    return [Item(i.get("name", ""), i.get("reason", "")) for i in raw if isinstance(i, dict)]


def _open_supplement_deadline(dossier: Dossier) -> str:
    pause = dossier.pauses.filter(kind=Pause.Kind.SUPPLEMENT, ended_at__isnull=True).first()
    return when(pause.answer_due_at) if pause else ""


def payable(dossier: Dossier) -> tuple[int, str, bool] | None:
    """What can be paid online now (amount, what for, already paid and waiting for confirmation), or
    None. payments.services.amount_due decides; its answer ends with (amount, description)."""
    from motcua.payments.models import Payment
    from motcua.payments.services import PaymentRefused, amount_due

    try:
        due = amount_due(dossier)
    except PaymentRefused:
        return None
    amount, description = due[-2], due[-1]
    paid = dossier.state == State.AWAITING_PAYMENT and dossier.payments.filter(
        status=Payment.Status.PAID, purpose=Payment.Purpose.OBLIGATION, amount=amount
    ).exists()
    return amount, description, paid


def next_step(dossier: Dossier) -> NextStep:
    """The one thing the citizen should do now, in plain words."""
    state = dossier.state
    if state in (State.AWAITING_SUPPLEMENT, State.AWAITING_COMPLETION):
        return NextStep(
            "supply",
            _("Bổ sung các giấy tờ dưới đây (mỗi giấy tờ kèm lý do). Ông/bà có thể tải lên bản chụp hoặc bản quét "
              "ngay trên trang này."),
            supplement_items(dossier),
            _open_supplement_deadline(dossier),
        )
    due = payable(dossier)
    if due is not None:
        amount, description, paid = due
        if paid:
            return NextStep("wait_payment", _("Ông/bà đã thanh toán; hồ sơ đang chờ cơ quan xác nhận khoản tiền."))
        return NextStep(
            "pay",
            _("Nộp %(amount)s (%(what)s). Ông/bà có thể thanh toán trực tuyến ngay trên trang này hoặc nộp tại bộ "
              "phận một cửa.") % {"amount": money(amount), "what": description},
        )
    if state == State.RESULT_READY:
        if dossier.return_method == ReturnMethod.POST:
            text = _("Kết quả sẽ được gửi qua bưu chính đến địa chỉ ông/bà đã đăng ký; ông/bà chờ nhận tại nhà.")
        elif dossier.return_method == ReturnMethod.ELECTRONIC:
            text = _("Kết quả điện tử sẽ được trả trên trang này; ông/bà chờ thông báo rồi tải về.")
        else:
            text = _("Đến nhận kết quả tại %(agency)s, mang theo giấy tiếp nhận hồ sơ (Mẫu 01) và giấy tờ tùy thân.") % {
                "agency": dossier.receiving_agency.name
            }
        return NextStep("collect", text)
    if state in workflow.TERMINAL_STATES:
        return NextStep("none", _("Ông/bà không cần làm gì thêm."))
    return NextStep("none", _("Ông/bà không cần làm gì lúc này; hồ sơ đang được giải quyết."))


@dataclass(frozen=True)
class PaymentLine:
    amount: str
    description: str
    status: str
    at: str
    receipt: str = ""  # the reference, when an electronic receipt can be downloaded


def payment_state(dossier: Dossier) -> list[PaymentLine]:
    """The online payments of the dossier, newest first, as the citizen sees them."""
    return [
        PaymentLine(money(p.amount), p.description, p.get_status_display(), when(p.paid_at or p.created_at),
                    p.reference if p.status == p.Status.PAID else "")
        for p in dossier.payments.order_by("-created_at")[:10]
    ]


def fee_lines(dossier: Dossier) -> list[dict]:
    """Fees of the dossier: what, how much, paid or not."""
    return [
        {"name": f.name, "amount": money(f.amount), "paid": when(f.paid_at)}
        for f in dossier.fees.order_by("pk")
        if f.amount
    ]


# ---------------------------------------------------------------- papers issued

# The forms a citizen receives: 01 receipt, 02 supplement request, 04 apology.
FORMS = {
    "01": lambda: _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)"),
    "02": lambda: _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"),
    "04": lambda: _("Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)"),
}


def issued_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """(form number, title) of the papers the history supports (printing decides which apply)."""
    return [(n, FORMS[n]()) for n in applicable_forms(dossier, for_citizen=True)]


def form_pdf(dossier: Dossier, form: str) -> bytes:
    """The PDF of form 01, 02 or 04; TrackingError (404) for any other or one not issued."""
    if form not in CITIZEN_FORMS:
        raise TrackingError(_("Không có giấy tờ này."), status=404)
    try:
        return printing.dossier_form_pdf(dossier, form)
    except printing.FormNotApplicable as exc:
        raise TrackingError(exc.message, status=404) from None


def result_documents(dossier: Dossier):
    """The electronic result documents the citizen may download: once the result is returned, or ready
    to be returned electronically."""
    ready = dossier.state == State.RETURNED or (
        dossier.state == State.RESULT_READY and dossier.return_method == ReturnMethod.ELECTRONIC
    )
    if not ready:
        return Document.objects.none()
    return dossier.documents.filter(kind=Document.Kind.RESULT).order_by("uploaded_at", "pk")


# ---------------------------------------------------------------- the citizen's moves


def can_withdraw(dossier: Dossier) -> bool:
    return workflow.get("withdraw").allows(dossier.state)


def can_supply(dossier: Dossier) -> bool:
    return dossier.state in (State.AWAITING_SUPPLEMENT, State.AWAITING_COMPLETION)


def _store(dossier: Dossier, checked: documents.CheckedFile, item: Item, now) -> Document:
    """Store one checked file as a scan of the dossier, on the component of that name when there is one
    (which then counts as provided and digitised)."""
    component = next(
        (c for c in dossier.components.all() if c.name.strip().lower() == item.name.strip().lower()), None
    )
    return documents.store(
        dossier=dossier, content=checked.upload, name=checked.name, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, kind=Document.Kind.COMPONENT, component=component, now=now,
    )


def supply_items(dossier: Dossier, files: dict[int, object], note: str = "", *, now=None) -> Dossier:
    """Answer the open supplement (or completion) request: one file per requested item, keyed by the
    item's position (0-based). Every file is checked by content first (PDF, JPEG or PNG, size limit);
    one bad file or a missing item and nothing is stored. Then, in one transaction, the files are
    attached and the dossier moves (supply_supplement: the clock resumes; complete: back to reception).
    """
    now = now or timezone.now()
    if not can_supply(dossier):
        raise TrackingError(_("Hồ sơ hiện không có yêu cầu bổ sung nào."), status=409)
    items = supplement_items(dossier)
    missing = [item.name for i, item in enumerate(items) if files.get(i) is None]
    if missing:
        raise TrackingError(
            _("Còn thiếu tệp cho: %(items)s. Hãy chọn tệp cho từng giấy tờ được yêu cầu.") % {"items": "; ".join(missing)},
            field="files",
        )
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise TrackingError(_("Ghi chú dài quá %(max)s ký tự.") % {"max": MAX_NOTE}, field="note")
    checked = []
    for i, item in enumerate(items):
        try:
            checked.append((item, documents.check_upload(files[i])))
        except documents.DocumentError as exc:
            raise TrackingError(f"{item.name}: {exc.message}", status=exc.status, field="files") from None
    action = "supply_supplement" if dossier.state == State.AWAITING_SUPPLEMENT else "complete"
    summary = "; ".join(f"{item.name}: {c.name}" for item, c in checked)
    stored: list[Document] = []
    try:
        with transaction.atomic():
            for item, c in checked:
                stored.append(_store(dossier, c, item, now))
            data = {"note": (_("Bổ sung trên Cổng dịch vụ công: %(files)s") % {"files": summary})[:1500]
                    + (f". {note}" if note else "")}
            outcome = dossier_services.perform(dossier, action, actor=applicant(dossier), data=data, now=now)
    except dossier_services.DossierError as exc:
        documents.delete_stored(stored)
        raise TrackingError(exc.message, status=exc.status) from None
    except Exception:
        documents.delete_stored(stored)
        raise
    return outcome.dossier


def withdraw(dossier: Dossier, reason: str, *, now=None) -> Dossier:
    """The applicant withdraws the dossier (rút hồ sơ), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TrackingError(_("Hãy ghi lý do rút hồ sơ."), field="reason")
    if len(reason) > MAX_NOTE:
        raise TrackingError(_("Lý do dài quá %(max)s ký tự.") % {"max": MAX_NOTE}, field="reason")
    if not can_withdraw(dossier):
        raise TrackingError(
            _("Hồ sơ ở tình trạng này không rút được nữa: %(now)s") % {"now": current_step(dossier)}, status=409
        )
    try:
        outcome = dossier_services.perform(
            dossier, "withdraw", actor=applicant(dossier), now=now,
            data={"reason": reason},
        )
    except dossier_services.DossierError as exc:
        raise TrackingError(exc.message, status=exc.status) from None
    return outcome.dossier


def payment_receipt(dossier: Dossier, reference: str) -> bytes:
    """The electronic receipt of one of the dossier's paid payments (biên lai điện tử)."""
    from motcua.payments.services import PaymentRefused, receipt_pdf

    payment = dossier.payments.filter(reference=reference).first()
    if payment is None:
        raise TrackingError(_("Không có giao dịch thanh toán này."), status=404)
    try:
        return receipt_pdf(payment)
    except PaymentRefused as exc:
        raise TrackingError(str(exc), status=409) from None
