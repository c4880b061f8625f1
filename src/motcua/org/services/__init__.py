"""Writers for organisations: loading administrative units, granting and revoking roles, password
reset and two-step sign-in (TOTP).

Modules: errors, units, grants, passwords, totp; every public name is re-exported here.
"""

from .errors import OrgError, OrgForbidden
from .grants import audit_log, check_grant, grant_role, revoke_role
from .passwords import RESET_MAIL_WINDOW_SECONDS, request_password_reset, reset_password
from .totp import TOTP_ISSUER, confirm_totp, disable_totp, provisioning_uri, start_totp_enrolment, verify_totp
from .units import commune_code, load_administrative_units, province_code

__all__ = [
    "OrgError",
    "OrgForbidden",
    "RESET_MAIL_WINDOW_SECONDS",
    "TOTP_ISSUER",
    "audit_log",
    "check_grant",
    "commune_code",
    "confirm_totp",
    "disable_totp",
    "grant_role",
    "load_administrative_units",
    "province_code",
    "provisioning_uri",
    "request_password_reset",
    "reset_password",
    "revoke_role",
    "start_totp_enrolment",
    "verify_totp",
]
