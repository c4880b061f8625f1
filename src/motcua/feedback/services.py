"""Ratings and feedback (PAKN): the only writers of this app's tables.

- rate(): the applicant rates a dossier once, after its result was returned.
- submit_feedback(): anyone sends feedback about a procedure, an officer or something else, named or
  anonymous, and gets a code (PAKN-YYMMDD-XXXX) to follow the answer with.
- Throttle: failed public look-ups counted per address in the database (tracking a dossier with a wrong
  phone number, following an unknown feedback code), so guessing is slow across every server process;
  and feedback sent, counted per sender (a client address, an API key), so nobody floods the units.

Bad input raises FeedbackError with a Vietnamese message that says what to fix; nothing is written then.
"""

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua import fields
from motcua.dossiers.models import Dossier, State
from motcua.reports import facts

from .models import FailedLookup, Feedback, FeedbackAttachment, Rating

COMMENT_MAX = 1000
TEXT_MIN = 10
TEXT_MAX = 5000
# Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_RE = re.compile(r"^PAKN-\d{6}-[A-Z0-9]{4,8}$")


class FeedbackError(Exception):
    """A refusal a person can act on; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 400, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after  # seconds, with a 429


# ---------------------------------------------------------------- ratings


def rate(dossier: Dossier, level: str, comment: str = "", *, now=None) -> Rating:
    """Record the applicant's rating of `dossier`: Rất hài lòng / Hài lòng / Không hài lòng and an optional
    comment. Only after the result was returned, and once per dossier."""
    now = now or timezone.now()
    if level not in Rating.Level.values:
        raise FeedbackError(_("Hãy chọn một mức: Rất hài lòng, Hài lòng hoặc Không hài lòng."), field="level")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise FeedbackError(
            _("Ý kiến dài %(n)s ký tự; hãy rút gọn trong %(max)s ký tự.") % {"n": len(comment), "max": COMMENT_MAX},
            field="comment",
        )
    if dossier.state != State.RETURNED:
        raise FeedbackError(
            _("Hồ sơ chưa được trả kết quả nên chưa đánh giá được; hãy đánh giá sau khi nhận kết quả."),
            status=409,
        )
    existing = Rating.objects.filter(dossier=dossier).first()
    if existing is not None:
        raise _already_rated(existing)
    try:
        with transaction.atomic():
            rating = Rating.objects.create(dossier=dossier, level=level, comment=comment, at=now)
            facts.record_attribute_change(dossier.pk, rating="", rated_at=None)
            return rating
    except IntegrityError:  # two submissions at once: the other one won
        raise _already_rated(Rating.objects.get(dossier=dossier)) from None


def _already_rated(rating: Rating) -> FeedbackError:
    return FeedbackError(
        _("Hồ sơ này đã được đánh giá lúc %(at)s (%(level)s); mỗi hồ sơ chỉ được đánh giá một lần.")
        % {"at": f"{timezone.localtime(rating.at):%H:%M %d/%m/%Y}", "level": rating.get_level_display()},
        status=409,
    )


# ---------------------------------------------------------------- feedback (PAKN)


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""


def clean_phone(raw: str) -> str:
    """'+84 912 345 678' / '0912.345.678' → '0912345678'; '' stays ''. Refused (FeedbackError) unless a
    Vietnamese mobile or landline number in ASCII digits (fields.phone)."""
    if not (raw or "").strip():
        return ""
    try:
        return fields.phone(raw)
    except fields.FieldError as exc:
        typed = raw.strip()[:30]
        shown = typed if all(ch in "0123456789 +.-()" for ch in typed) else "…"  # never echo hidden characters
        raise FeedbackError(
            _("Số điện thoại “%(phone)s” không đúng; hãy nhập số di động 10 chữ số (ví dụ 0912345678), số cố định 11 chữ số, hoặc để trống.")
            % {"phone": shown},
            field="contact_phone",
        ) from exc


def _clean_contact(contact: Contact) -> Contact:
    try:
        # A person or an organisation (NĐ 20/2008: "Công ty TNHH 3T", "Tổ dân phố 5"): digits allowed.
        name = " ".join(fields.text(contact.name, "họ và tên", max_length=200, field="contact_name").split())
    except fields.FieldError as exc:
        raise FeedbackError(exc.message, field="contact_name") from exc
    phone = clean_phone(contact.phone)
    email = (contact.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise FeedbackError(
                _("Địa chỉ thư điện tử “%(email)s” không đúng; hãy nhập dạng ten@vidu.vn, hoặc để trống.")
                % {"email": email[:100]},
                field="contact_email",
            ) from None
    return Contact(name, phone, email)


def new_code(now) -> str:
    """PAKN-YYMMDD-XXXX: the day it was sent and four random characters (hard to guess)."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _i in range(4))
    return f"PAKN-{timezone.localtime(now):%y%m%d}-{suffix}"


def submit_feedback(
    *,
    kind: str,
    text: str,
    contact: Contact | None = None,
    dossier_code: str = "",
    procedure=None,
    agency=None,
    attachment=None,
    now=None,
    source: str = Feedback.Source.PORTAL,
    simple: bool = False,
    actor=None,
    intake_key: str = "",
    sender: str = "",
    limit: "SendingLimit | None" = None,
) -> str:
    """Store feedback and return its tracking code.

    `kind`: Feedback.Kind (about a regulation or procedure, about an officer's conduct, other). `contact`
    may be empty (anonymous feedback). `dossier_code` is kept as given and linked when such a dossier
    exists (an unknown code is not an error: the form must not tell which codes exist). `attachment`: an
    optional uploaded file, PDF/JPEG/PNG checked by content (documents.services.check_upload).
    `source`: where it came in (portal, counter, phone, api); `actor`: the officer who recorded it, if
    any. The item goes to `agency` when the sender chose one, else to the province's dispatchers, who
    forward it (a typed dossier code never routes it by itself: the public follow page would then tell
    which unit a code belongs to). Its answer deadline starts now (feedback/handling.py).
    `intake_key` (the form's one-time token, the API's Idempotency-Key): the same key again returns the
    code of the item it made, and nothing new is written.
    `sender` (a client address, "key:<id>" for an API key) with its `limit` (PER_ADDRESS by default): more
    than `limit.count` items from one sender within `limit.window` are refused (429), nothing written.
    The portal page and the API give one; an officer recording feedback at the desk does not.
    """
    from motcua.documents.services import DocumentError, check_upload

    from .handling import record_intake

    now = now or timezone.now()
    intake_key = (intake_key or "").strip()
    if len(intake_key) > 100:
        raise FeedbackError(_("Khóa chống gửi trùng dài quá 100 ký tự."), field="intake_key")
    if intake_key:
        done = Feedback.objects.filter(intake_key=intake_key).values_list("code", flat=True).first()
        if done:
            return done
    if sender:
        _check_sending_limit(sender, limit or PER_ADDRESS, now)
    if kind not in Feedback.Kind.values:
        raise FeedbackError(
            _("Hãy chọn nội dung phản ánh: về quy định, thủ tục hành chính; về cán bộ, công chức; hoặc nội dung khác."),
            field="kind",
        )
    try:
        text = fields.text(text, "nội dung phản ánh", max_length=10**6, multiline=True, field="text")
    except fields.FieldError as exc:
        raise FeedbackError(exc.message, field="text") from exc
    if len(text) < TEXT_MIN:
        raise FeedbackError(
            _("Hãy viết nội dung phản ánh, kiến nghị (ít nhất %(min)s ký tự): việc gì, ở đâu, khi nào.") % {"min": TEXT_MIN},
            field="text",
        )
    if len(text) > TEXT_MAX:
        raise FeedbackError(
            _("Nội dung dài %(n)s ký tự; hãy rút gọn trong %(max)s ký tự hoặc gửi kèm tệp.") % {"n": len(text), "max": TEXT_MAX},
            field="text",
        )
    contact = _clean_contact(contact or Contact())
    dossier_code = (dossier_code or "").strip().upper()
    if len(dossier_code) > 60:
        raise FeedbackError(_("Mã hồ sơ dài quá 60 ký tự; hãy kiểm tra lại."), field="dossier_code")
    checked = None
    if attachment is not None:
        try:
            checked = check_upload(attachment)
        except DocumentError as exc:
            raise FeedbackError(exc.message, field="attachment", status=exc.status) from None
    # The typed code is linked for staff, but nothing is taken from the dossier: the public follow-up page
    # shows only what the sender chose, so it cannot be used to learn what a code is about.
    dossier = Dossier.objects.filter(code=dossier_code).first() if dossier_code else None
    if source not in Feedback.Source.values:
        raise FeedbackError(_("Nguồn tiếp nhận không hợp lệ."), field="source")
    stored = []
    try:
        with transaction.atomic():
            feedback = _create_with_code(
                kind=kind, text=text, contact_name=contact.name, contact_phone=contact.phone,
                contact_email=contact.email, dossier_code=dossier_code, dossier=dossier, procedure=procedure,
                agency=agency, created_at=now, source=source, simple=bool(simple), intake_key=intake_key,
            )
            record_intake(feedback, actor, now)
            if sender:
                record_failure(SENT_SCOPE, sender, now=now, window=(limit or PER_ADDRESS).window)
            if checked is not None:
                item = FeedbackAttachment(
                    feedback=feedback, original_name=checked.name, content_type=checked.content_type,
                    size=checked.size, sha256=checked.sha256,
                )
                item.file.save(f"{uuid.uuid4().hex}.{checked.extension}", File(checked.upload), save=False)
                stored.append(item.file.name)
                item.save()
    except Exception as exc:
        for name in stored:
            FeedbackAttachment.file.field.storage.delete(name)
        if isinstance(exc, _AlreadySubmitted):  # the same key, sent twice at once: the other one made it
            return exc.code
        raise
    return feedback.code


class _AlreadySubmitted(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _create_with_code(**fields) -> Feedback:
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return Feedback.objects.create(code=new_code(fields["created_at"]), **fields)
        except IntegrityError:
            key = fields.get("intake_key")
            done = Feedback.objects.filter(intake_key=key).values_list("code", flat=True).first() if key else None
            if done:
                raise _AlreadySubmitted(done) from None
            continue  # the same random code on the same day: draw again
    raise FeedbackError(_("Hệ thống đang bận; hãy gửi lại sau ít phút."), status=503)


def feedback_by_code(code: str) -> Feedback | None:
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        return None
    return Feedback.objects.filter(code=code).first()


# ---------------------------------------------------------------- throttle of public look-ups

LOOKUP_WINDOW = timedelta(minutes=10)
LOOKUP_LIMIT = 10


def too_many_failures(scope: str, client: str, *, now=None, limit: int = LOOKUP_LIMIT, window=LOOKUP_WINDOW) -> bool:
    """True when `client` (an IP address) failed `limit` look-ups of this kind within `window`."""
    now = now or timezone.now()
    return FailedLookup.objects.filter(scope=scope, client=client[:64], at__gt=now - window).count() >= limit


def record_failure(scope: str, client: str, *, now=None, window=LOOKUP_WINDOW) -> None:
    """Count one failed look-up; rows older than the window are removed for this client as we go."""
    now = now or timezone.now()
    with transaction.atomic():
        FailedLookup.objects.filter(scope=scope, client=client[:64], at__lte=now - window).delete()
        FailedLookup.objects.create(scope=scope, client=client[:64], at=now)


# ---------------------------------------------------------------- limits on sending feedback

FOLLOW_SCOPE = "feedback"  # failed look-ups of a feedback code: the follow page and the API count together
SENT_SCOPE = "feedback_sent"  # feedback sent, per sender (the FailedLookup table counts any throttled event)


@dataclass(frozen=True)
class SendingLimit:
    count: int
    window: timedelta
    source: str  # who is counted, as the refusal names it


# Per client address (IPv6: per /64), on the portal page and the API with a session. Loose enough for a
# commune centre's kiosk or a carrier's shared address (CGNAT), tight enough to stop a flood.
PER_ADDRESS = SendingLimit(10, timedelta(hours=1), gettext_lazy("từ địa chỉ mạng này"))
# Per API key: the national portal relays every citizen's feedback with one key from one address.
PER_API_KEY = SendingLimit(500, timedelta(hours=1), gettext_lazy("bằng khóa API này"))


def _check_sending_limit(sender: str, limit: SendingLimit, now) -> None:
    recent = FailedLookup.objects.filter(scope=SENT_SCOPE, client=sender[:64], at__gt=now - limit.window)
    times = list(recent.order_by("-at").values_list("at", flat=True)[: limit.count])
    if len(times) < limit.count:
        return
    wait = times[-1] + limit.window - now
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    raise FeedbackError(
        _("Đã có %(count)s phản ánh, kiến nghị gửi %(source)s trong %(window)s phút qua; hãy gửi tiếp sau "
          "%(minutes)s phút. Việc cần báo gấp, xin gọi đường dây nóng hoặc đến bộ phận một cửa.")
        % {"count": limit.count, "source": limit.source, "window": int(limit.window.total_seconds() // 60),
           "minutes": minutes},
        status=429, retry_after=minutes * 60,
    )
