"""Citizen accounts: the rules. Sign-up with the 12-digit personal ID, a phone confirmed by a one-time
code sent by SMS through the outbox, a password; sign-in with rate limits; a forgotten password reset by a
code to the confirmed phone; sign-in through the national identity provider (OpenID Connect, see oidc.py).

Every function here either does all it says or nothing: a refusal raises AccountError (a Vietnamese
message that says what to do, the form field it is about, and the HTTP status: 400, or 429 for a rate
limit) before anything is written. The only writes that survive a refusal are the ones the refusal is
about: a failed sign-in is counted, a wrong code uses up one of its tries.

Rate limits are counted in the database (`Throttle`), not in Django's cache: see the model for why.
The address used is REMOTE_ADDR; behind a reverse proxy the proxy must pass the client's address there.

Modules: rules (errors, input rules), limits, codes, signup, signin, national_identity, dossiers;
every public name is re-exported here.
"""

from .codes import SMS_TEXT
from .dossiers import PLAIN_STATE, dossiers_of, owned_dossiers
from .limits import (
    CODE_DIGITS,
    CODE_LIFETIME,
    CODE_TRIES,
    CODES_PER_IP,
    CODES_PER_PHONE,
    RESEND_GAP,
    SIGN_IN_PER_ID,
    SIGN_IN_PER_IP,
    SIGN_UPS_PER_IP,
    THROTTLE_KEEP,
)
from .national_identity import VerifiedIdentity, oidc_sign_in
from .rules import (
    PASSWORD_MESSAGES,
    AccountError,
    Kind,
    Purpose,
    RateLimited,
    check_new_password,
    clean_full_name,
    clean_personal_id,
    normalise_phone,
    password_problems,
)
from .signin import authenticate, request_reset, reset_password
from .signup import confirm_phone, send_code, sign_up

__all__ = [
    "AccountError",
    "CODES_PER_IP",
    "CODES_PER_PHONE",
    "CODE_DIGITS",
    "CODE_LIFETIME",
    "CODE_TRIES",
    "Kind",
    "PASSWORD_MESSAGES",
    "PLAIN_STATE",
    "Purpose",
    "RESEND_GAP",
    "RateLimited",
    "SIGN_IN_PER_ID",
    "SIGN_IN_PER_IP",
    "SIGN_UPS_PER_IP",
    "SMS_TEXT",
    "THROTTLE_KEEP",
    "VerifiedIdentity",
    "authenticate",
    "check_new_password",
    "clean_full_name",
    "clean_personal_id",
    "confirm_phone",
    "dossiers_of",
    "normalise_phone",
    "oidc_sign_in",
    "owned_dossiers",
    "password_problems",
    "request_reset",
    "reset_password",
    "send_code",
    "sign_up",
]
