"""No site runs on a default secret (issue 18): with DEBUG off, a secret that is missing, left at a value
shipped in this repository, or too short stops every process at start-up (a system check at error level,
run by every management command, the worker included, and by the web servers in ops/startup.py).

Each rule names the setting, when it applies and the shortest length accepted. Secrets we make ourselves
(SECRET_KEY, METRICS_TOKEN) must be long; the ones a national platform issues (payment, DVCQG, population,
SMS, Zalo) are whatever it issued, so only a plainly weak value is refused."""

from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Values that appear in this repository (settings defaults, docs, the demo): a site using one of them
# is using a secret anybody can read.
BUILT_IN = frozenset({
    "dev-only-not-secret-motcua",
    "sandbox-secret-not-for-production",
    "demo-token-motcua-2026",
    "motcua-demo-2026",
    "change-me",
    "changeme",
    "secret",
})


@dataclass(frozen=True)
class Rule:
    setting: str
    min_length: int
    # The setting that switches the connector on; "" = always required. "self" = only when set.
    when: str = ""


RULES = (
    Rule("SECRET_KEY", 50),
    Rule("MOTCUA_PAYMENT_SECRET", 16),  # issued by the platform: whatever it issued, if not plainly weak
    Rule("MOTCUA_DVCQG_TOKEN", 16, when="MOTCUA_DVCQG_URL"),
    Rule("MOTCUA_POPULATION_TOKEN", 16, when="MOTCUA_POPULATION_URL"),
    Rule("MOTCUA_SMS_TOKEN", 16, when="MOTCUA_SMS_URL"),
    Rule("MOTCUA_ZALO_SECRET_KEY", 16, when="MOTCUA_ZALO_URL"),
    Rule("METRICS_TOKEN", 32, when="self"),
)


def enforced() -> bool:
    """On unless DEBUG (make run), or as MOTCUA_CHECK_SECRETS says when it is set (the test suite's
    settings turn it off; tests/ops/test_secrets.py turns it on where it tests it)."""
    explicit = getattr(settings, "MOTCUA_CHECK_SECRETS", None)
    if explicit is not None:
        return bool(explicit)
    return not settings.DEBUG


def problems() -> list[tuple[str, str]]:
    """(setting, what is wrong in Vietnamese and English) for each secret that may not be used."""
    return [(setting, text) for _, setting, text in _problems()]


def _value(name: str) -> str:
    try:
        return str(getattr(settings, name, "") or "")
    except ImproperlyConfigured:  # Django's own refusal of an empty SECRET_KEY, in English: ours says more
        return ""


def _problems() -> list[tuple[int, str, str]]:
    found = []
    for number, rule in enumerate(RULES, start=1):
        value = _value(rule.setting)
        if rule.when == "self" and not value:
            continue
        if rule.when and rule.when != "self" and not getattr(settings, rule.when, ""):
            continue
        if not value.strip():
            found.append((number, rule.setting, f"{rule.setting} chưa được đặt / is not set"))
        elif value.strip().lower() in BUILT_IN or value.startswith(("dev-only", "sandbox-secret")):
            found.append((number, rule.setting, f"{rule.setting} đang dùng giá trị có sẵn trong mã nguồn, ai cũng biết / "
                                        f"is a value shipped with the source code"))
        elif len(value) < rule.min_length or len(set(value)) < 5:
            found.append((number, rule.setting, f"{rule.setting} quá ngắn: cần ít nhất {rule.min_length} ký tự ngẫu nhiên / "
                                        f"is too short: at least {rule.min_length} random characters"))
    return found


@checks.register(checks.Tags.security)
def check_secrets(app_configs=None, **kwargs):
    if not enforced():
        return []
    return [
        checks.Error(
            f"Không khởi động khi khóa bí mật chưa an toàn: {text}.",
            hint=f"Đặt {setting} trong môi trường hoặc tệp .env (deploy/up tự sinh và giữ các khóa trong "
                 f"<thư mục trạng thái>/secrets/). / Set {setting} in the environment or .env; deploy/up "
                 f"generates one. See docs/deployment.md, 'Secrets'.",
            id=f"motcua.E{100 + number:03d}",
        )
        for number, setting, text in _problems()
    ]
