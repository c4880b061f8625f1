import pyotp
import pytest

PASSWORD = "Hac-Thanh-2026!"


@pytest.fixture
def with_password():
    """Give a world user a usable password (the world's users have none)."""

    def set_password(user, password=PASSWORD):
        user.set_password(password)
        user.email = user.email or f"{user.username}@thanhhoa.gov.vn"
        user.save()
        return user

    return set_password


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/dang-nhap/", {"username": username, "password": password, **extra})


def wrong_code(secret: str) -> str:
    """A 6-digit code valid for none of the accepted time steps (previous, current, next)."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(__import__("datetime").datetime.now())
    taken = {totp.generate_otp(s) for s in (step - 1, step, step + 1, step + 2)}
    code = 0
    while f"{code:06d}" in taken:
        code += 1
    return f"{code:06d}"
