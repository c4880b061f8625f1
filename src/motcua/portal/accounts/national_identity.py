"""Sign-in through the national identity provider (OpenID Connect)."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import fields

from ..models import CitizenAccount, OneTimeCode
from .rules import AccountError, normalise_phone

# --------------------------------------------------------------------------------------------------
# National identity provider (OpenID Connect)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifiedIdentity:
    """What the provider vouches for, from a validated ID token."""

    personal_id: str
    full_name: str
    phone: str


def oidc_sign_in(identity: VerifiedIdentity, *, now: datetime | None = None) -> CitizenAccount:
    """Find or create the account for the personal ID the national identity provider vouches for, and
    mark it identity-verified (its dossiers submitted from now on carry the flag). The provider's name
    replaces the one typed at sign-up. A phone the provider has verified (`identity.phone`, given only
    then) becomes the account's confirmed phone, so a password can later be set by "Quên mật khẩu". An
    account still waiting for its phone code is taken over: its typed phone and password were never
    proven to belong to this person, so they are replaced (or cleared) and its codes retired. Refused: a
    malformed personal ID in the token, a locked account (400, nothing written)."""
    now = now or timezone.now()
    try:
        personal_id = fields.personal_id(identity.personal_id)
    except fields.FieldError as exc:
        raise AccountError(
            _("Nhà cung cấp định danh điện tử không trả về số định danh cá nhân hợp lệ; hãy đăng nhập bằng "
              "số định danh và mật khẩu.")
        ) from exc
    try:
        phone = normalise_phone(identity.phone) if identity.phone else ""
    except AccountError:
        phone = ""  # not a Vietnamese mobile number: not one we can send codes to
    with transaction.atomic():
        account = CitizenAccount.objects.select_for_update().filter(personal_id=personal_id).first()
        if account is None:
            account = CitizenAccount(personal_id=personal_id, created_at=now, full_name=identity.full_name or "")
        if account.phone_verified_at is None:
            account.password = ""
            account.phone = phone
            account.phone_verified_at = now if phone else None
            if account.pk:
                OneTimeCode.objects.filter(account=account, used_at__isnull=True).update(used_at=now)
        if identity.full_name:
            account.full_name = identity.full_name
        if not account.is_active:
            raise AccountError(_("Tài khoản này đã bị khóa; hãy liên hệ bộ phận một cửa."))
        account.identity_verified = True
        account.save()
    return account
