"""Writers for organisations: loading administrative units, granting and revoking roles, password
reset and two-step sign-in (TOTP)."""

import hmac
import logging
from collections.abc import Callable
from datetime import datetime

import pyotp
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward

from motcua.notify.outbox import enqueue

from . import selectors
from .models import AdministrativeUnit, Agency, RoleAssignment, RoleAudit, TotpDevice, User
from .roles import Role

# Refused grants and revocations go to the audit log (nothing is written in the tables then).
audit_log = logging.getLogger("motcua.audit")


class OrgError(Exception):
    """A request the rules refuse; `message` is Vietnamese and says what to do instead."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class OrgForbidden(OrgError):
    """The actor may not do this here (outside his scope)."""

    status = 403


def province_code(number: int) -> str:
    return f"{number:02d}"


def commune_code(number: int) -> str:
    return f"{number:05d}"


@transaction.atomic
def load_administrative_units() -> tuple[int, int]:
    """Create or update the 34 provinces and 3,321 communes from `vietnam-provinces`.

    Idempotent: running it again changes nothing unless the package's data changed.
    Returns (provinces, communes) now in the table.
    """
    existing = {u.code: u for u in AdministrativeUnit.objects.all()}
    new, changed = [], []

    def upsert(code, name, level, division_type, parent_id):
        unit = existing.get(code)
        values = {"name": name, "level": level, "division_type": division_type, "parent_id": parent_id}
        if unit is None:
            unit = AdministrativeUnit(code=code, **values)
            new.append(unit)
            existing[code] = unit
        elif any(getattr(unit, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(unit, k, v)
            changed.append(unit)

    for p in Province.iter_all():
        upsert(province_code(p.code.value), p.name, "province", p.division_type.value, None)
    AdministrativeUnit.objects.bulk_create(new)
    fields = ["name", "level", "division_type", "parent_id"]
    AdministrativeUnit.objects.bulk_update(changed, fields)
    province_ids = dict(AdministrativeUnit.objects.filter(level="province").values_list("code", "id"))

    new, changed = [], []
    for w in Ward.iter_all():
        upsert(
            commune_code(w.code.value),
            w.name,
            "commune",
            w.division_type.value,
            province_ids[province_code(w.province_code.value)],
        )
    AdministrativeUnit.objects.bulk_create(new, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(changed, fields, batch_size=1000)
    return (
        AdministrativeUnit.objects.filter(level="province").count(),
        AdministrativeUnit.objects.filter(level="commune").count(),
    )




# --------------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------------


def _label(user) -> str:
    return f"{user} ({user.username})" if user is not None else ""


def _check_scope(actor, agency: Agency, role: str, verb: str) -> None:
    """Refuse unless `actor` is the system (None), a superuser, or a unit admin of `agency` or above."""
    if actor is None or actor.is_superuser:
        return
    if not actor.is_active:
        raise OrgForbidden(_("Tài khoản của bạn đã bị khóa."))
    if Role.UNIT_ADMIN in selectors.roles_at(actor, agency):
        return
    admin_paths = [a.path for a in selectors.agencies_with_role(actor, [Role.UNIT_ADMIN]).only("path")]
    if role == Role.SUPERVISOR and any(p.startswith(agency.path) for p in admin_paths):
        raise OrgForbidden(
            _("Quản trị đơn vị không được %(verb)s vai trò Giám sát, theo dõi ở đơn vị cấp trên (%(agency)s).")
            % {"verb": verb, "agency": agency}
        )
    raise OrgForbidden(
        _(
            "Bạn chỉ được %(verb)s trong đơn vị mình quản trị và các đơn vị trực thuộc; "
            "%(agency)s không thuộc phạm vi đó."
        )
        % {"verb": verb, "agency": agency}
    )


def _managed_by_superusers(user) -> str | None:
    """Why only a superuser may grant `user` roles or take them away (None: a unit admin may too)."""
    if user.is_system:
        return _("%(user)s là tài khoản hệ thống (dùng cho kết nối giữa các hệ thống qua API)") % {"user": _label(user)}
    if user.is_superuser:
        return _("%(user)s là tài khoản quản trị toàn hệ thống") % {"user": _label(user)}
    return None


def _check_recipient(actor, user, verb: str) -> None:
    """Who grants is not who receives: nobody grants himself a role (a superuser neither), and the roles
    of system and superuser accounts are a superuser's to grant or revoke, never a unit admin's."""
    if actor is None:  # the system itself (seed data, commands)
        return
    if verb == "grant" and actor.pk == user.pk:
        raise OrgForbidden(
            _("Không ai được tự cấp quyền cho chính mình; hãy nhờ một quản trị đơn vị khác hoặc quản trị đơn vị "
              "cấp trên cấp vai trò này.")
        )
    reason = None if actor.is_superuser else _managed_by_superusers(user)
    if reason:
        raise OrgForbidden(
            _("%(reason)s; quyền của tài khoản này chỉ quản trị toàn hệ thống được cấp hoặc thu hồi.") % {"reason": reason}
        )


def _refusal_audited(action: str, actor, user, role: str, agency, exc: OrgError) -> None:
    audit_log.warning(
        "role %s refused: %s for %s, role %s at %s: %s",
        action, _label(actor) or "(hệ thống)", _label(user), role, agency, exc.message,
    )


def check_grant(*, user, role: str, agency, granted_by=None) -> None:
    """Raise OrgError/OrgForbidden when `grant_role` with these arguments would be refused (see there);
    writes nothing. Forms (the admin's included) call it to show the refusal next to the fields. A refusal
    of authority (OrgForbidden) is written to the audit log."""
    try:
        _check_grant(user=user, role=role, agency=agency, granted_by=granted_by)
    except OrgForbidden as exc:
        _refusal_audited("grant", granted_by, user, role, agency, exc)
        raise


def _check_grant(*, user, role: str, agency, granted_by) -> None:
    if role not in Role.values:
        raise OrgError(_("Vai trò không hợp lệ; hãy chọn một vai trò trong danh sách."), field="role")
    today = timezone.localdate()
    if not agency.is_valid_on(today):
        successor = ""
        if agency.succeeded_by_id:
            successor = " " + _("Hãy cấp quyền tại đơn vị kế thừa: %(successor)s.") % {"successor": agency.succeeded_by}
        raise OrgError(
            _("%(agency)s không còn hiệu lực, không thể cấp quyền tại đơn vị này.") % {"agency": agency} + successor,
            field="agency",
        )
    if not user.is_active:
        raise OrgError(
            _("Tài khoản %(user)s đang bị khóa; hãy mở khóa tài khoản trước khi cấp quyền.") % {"user": _label(user)},
            field="user",
        )
    _check_scope(granted_by, agency, role, _("cấp quyền"))
    _check_recipient(granted_by, user, "grant")


@transaction.atomic
def grant_role(*, user, role: str, agency, granted_by=None) -> RoleAssignment:
    """Give `user` the `role` at `agency` (it applies there and in every agency below).

    Writes one RoleAssignment and one RoleAudit row ("granted") in one transaction. Granting a role the
    user already holds at that agency changes nothing and writes no audit row; the returned assignment
    then has `created` False. `granted_by` None means the system itself (seed data, commands): no scope
    check.

    Refused with OrgError (nothing written): an unknown role, an agency no longer in force, a locked
    account. Refused with OrgForbidden: a granter who is neither a superuser nor a unit admin of
    `agency` or of an agency above it, so a unit admin cannot grant anything (the supervisor role
    included) above or beside his own unit; a granter giving himself a role (a superuser too); a unit
    admin giving a role to a system account (is_system: API connections) or to a superuser, whose roles
    only a superuser manages. Each such refusal goes to the audit log.
    """
    check_grant(user=user, role=role, agency=agency, granted_by=granted_by)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, agency=agency, defaults={"granted_by": granted_by}
    )
    if created:
        RoleAudit.objects.create(
            at=assignment.granted_at,
            action=RoleAudit.Action.GRANTED,
            role=role,
            user=user,
            user_label=_label(user),
            agency=agency,
            agency_label=str(agency),
            actor=granted_by,
            actor_label=_label(granted_by),
        )
    assignment.created = created
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, revoked_by=None) -> RoleAudit:
    """Take a role assignment away: deletes the RoleAssignment and writes a RoleAudit row ("revoked")
    in one transaction. `revoked_by` None means the system itself.

    Refused with OrgError (nothing written): an assignment already revoked, a unit admin taking away his
    own unit-admin role (another admin must do it, so a unit is never left without one by mistake).
    Refused with OrgForbidden (and written to the audit log): a revoker who is neither a superuser nor a
    unit admin of the assignment's agency or an agency above it; a unit admin taking a role from a system
    or superuser account. Giving up another role of one's own is allowed: it only lowers one's rights.
    """
    current = (
        RoleAssignment.objects.select_for_update()
        .select_related("user", "agency")
        .filter(pk=assignment.pk)
        .first()
    )
    if current is None:
        raise OrgError(_("Phân quyền này không còn (có thể đã được thu hồi); hãy tải lại trang."))
    try:
        _check_scope(revoked_by, current.agency, current.role, _("thu hồi quyền"))
        _check_recipient(revoked_by, current.user, "revoke")
    except OrgForbidden as exc:
        _refusal_audited("revocation", revoked_by, current.user, current.role, current.agency, exc)
        raise
    own = revoked_by is not None and not revoked_by.is_superuser and current.user_id == revoked_by.pk
    if own and current.role == Role.UNIT_ADMIN:
        raise OrgError(
            _("Bạn không thể tự thu hồi quyền Quản trị đơn vị của chính mình; hãy nhờ quản trị đơn vị cấp trên.")
        )
    current.delete()
    return RoleAudit.objects.create(
        action=RoleAudit.Action.REVOKED,
        role=current.role,
        user=current.user,
        user_label=_label(current.user),
        agency=current.agency,
        agency_label=str(current.agency),
        actor=revoked_by,
        actor_label=_label(revoked_by),
    )


# --------------------------------------------------------------------------------------------------
# Password reset
# --------------------------------------------------------------------------------------------------

# One reset e-mail per account per window: asking again inside it queues nothing new (the outbox drops
# the repeated key), so nobody can flood a colleague's mailbox from the public page.
RESET_MAIL_WINDOW_SECONDS = 300


def request_password_reset(*, email: str, link_for: Callable[[str, str], str], now: datetime | None = None) -> int:
    """Queue, through the outbox, an e-mail with a one-time link to every active staff account with this
    address. `link_for(uidb64, token)` turns the pieces into an absolute URL.

    Returns how many accounts were mailed, for logs and tests only: the page must answer the same way
    whatever the address (an unknown one is not an error, so nobody can probe which addresses exist).
    The link stops working once the password is changed, after a sign-in, or after
    PASSWORD_RESET_TIMEOUT.
    """
    email = (email or "").strip()
    if not email:
        return 0
    now = now or timezone.now()
    window = int(now.timestamp()) // RESET_MAIL_WINDOW_SECONDS
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    users = User.objects.filter(email__iexact=email, is_active=True, is_system=False)
    sent = 0
    with transaction.atomic():
        for user in users:
            uid = urlsafe_base64_encode(force_bytes(user.pk))
            link = link_for(uid, default_token_generator.make_token(user))
            body = _(
                "Xin chào %(name)s,\n\n"
                "Có yêu cầu đặt lại mật khẩu cho tài khoản %(username)s trên phần mềm một cửa điện tử. "
                "Để đặt mật khẩu mới, hãy mở đường dẫn sau (dùng được một lần, trong %(hours)s giờ):\n\n"
                "%(link)s\n\n"
                "Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu hiện tại vẫn giữ nguyên."
            ) % {"name": user, "username": user.username, "hours": hours, "link": link}
            enqueue(
                channel="email",
                recipient=user.email,
                key=f"password-reset:{user.pk}:{window}",
                subject=_("Đặt lại mật khẩu tài khoản %(username)s") % {"username": user.username},
                body=body,
            )
            sent += 1
    return sent


def reset_password(*, user: User, password: str) -> None:
    """Set the new password chosen through a reset link (already validated by the form) and lift a
    sign-in lockout on that user name: whoever holds the mailbox is the account's owner. The reset
    token stops working because it is derived from the password hash."""
    from axes.utils import reset as reset_lockout

    user.set_password(password)
    user.save(update_fields=["password"])
    reset_lockout(username=user.username)


# --------------------------------------------------------------------------------------------------
# Two-step sign-in (TOTP)
# --------------------------------------------------------------------------------------------------

TOTP_ISSUER = "motcua"


def _normalise_code(code: str) -> str:
    code = "".join((code or "").split())
    if len(code) != 6 or not code.isdigit():
        raise OrgError(_("Mã xác thực gồm đúng 6 chữ số, lấy từ ứng dụng xác thực trên điện thoại."), field="code")
    return code


def _matching_step(device: TotpDevice, code: str, now: datetime | None) -> int | None:
    """The time step whose code equals `code` (the current one or a neighbour, for clock drift), never
    one already used."""
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now or timezone.now())
    for step in (current, current - 1, current + 1):
        if step > device.last_used_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(device: TotpDevice) -> str:
    """The otpauth:// address the authenticator app reads from the QR code."""
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=TOTP_ISSUER)


@transaction.atomic
def start_totp_enrolment(user: User) -> TotpDevice:
    """Create (or keep, so a reloaded page shows the same QR code) an unconfirmed device with a new
    random secret. Refused: a user who is neither a head, a unit admin nor a superuser (OrgForbidden);
    a user already enrolled (OrgError)."""
    if not selectors.may_use_totp(user):
        raise OrgForbidden(
            _("Xác thực hai bước dành cho lãnh đạo phòng, lãnh đạo đơn vị và quản trị đơn vị.")
        )
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device and device.confirmed_at:
        raise OrgError(_("Tài khoản đã bật xác thực hai bước."))
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32(32))
    return device


@transaction.atomic
def confirm_totp(user: User, code: str, now: datetime | None = None) -> TotpDevice:
    """Turn two-step sign-in on with the first code the app shows. Refused (OrgError, nothing changes):
    no enrolment started, already on, a malformed or wrong code."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise OrgError(_("Chưa bắt đầu đăng ký; hãy tải lại trang để lấy mã QR."))
    if device.confirmed_at:
        raise OrgError(_("Tài khoản đã bật xác thực hai bước."))
    step = _matching_step(device, code, now)
    if step is None:
        raise OrgError(
            _("Mã xác thực không đúng. Hãy kiểm tra đồng hồ điện thoại và nhập mã đang hiển thị."), field="code"
        )
    device.last_used_step = step
    device.confirmed_at = timezone.now()
    device.save(update_fields=["last_used_step", "confirmed_at"])
    return device


@transaction.atomic
def verify_totp(user: User, code: str, now: datetime | None = None) -> bool:
    """The second sign-in step: True when `code` is right and not used before (it is then spent).
    Raises OrgError for a code that is not 6 digits; False for a wrong or reused one."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        return False
    step = _matching_step(device, code, now)
    if step is None:
        return False
    device.last_used_step = step
    device.save(update_fields=["last_used_step"])
    return True


@transaction.atomic
def disable_totp(user: User, code: str, now: datetime | None = None) -> None:
    """Turn two-step sign-in off; the current code proves the phone is at hand. Refused (OrgError,
    nothing changes): not enrolled, a malformed or wrong code."""
    code = _normalise_code(code)
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise OrgError(_("Tài khoản chưa bật xác thực hai bước."))
    if _matching_step(device, code, now) is None:
        raise OrgError(_("Mã xác thực không đúng; xác thực hai bước vẫn đang bật."), field="code")
    device.delete()
