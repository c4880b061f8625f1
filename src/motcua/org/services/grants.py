"""Granting and revoking roles, within the granting official's scope, audited."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import selectors
from ..models import Agency, RoleAssignment, RoleAudit
from ..roles import Role
from .errors import OrgError, OrgForbidden

# Refused grants and revocations go to the audit log (nothing is written in the tables then).
audit_log = logging.getLogger("motcua.audit")


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
