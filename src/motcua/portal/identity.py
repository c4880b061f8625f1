"""Who the citizen on this request is. Citizens sign in to the portal with a session key of their own;
staff sign-in (django.contrib.auth) is untouched, and one browser can hold both without mixing them."""

from django.utils import timezone

from .models import CitizenAccount

SESSION_KEY = "portal_citizen_id"


def sign_in(request, account: CitizenAccount) -> None:
    """Start a citizen session (a new session key, so a fixed one cannot be reused)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = account.pk
    CitizenAccount.objects.filter(pk=account.pk).update(last_login_at=timezone.now())


def sign_out(request) -> None:
    """End the citizen's session: the account, and what this browser looked up or started as him (a staff
    sign-in in the same browser is left alone). Look-ups kept in the browser's signed cookie are made
    worthless by noting the cookie in the session (tracking.forget_on_sign_out)."""
    from .tracking import REVOKED_KEY, forget_on_sign_out

    revoked = forget_on_sign_out(request)
    for key in list(request.session.keys()):
        if key == SESSION_KEY or key.startswith("portal_"):
            request.session.pop(key, None)
    if revoked:
        request.session[REVOKED_KEY] = revoked
    request.session.cycle_key()


def current_citizen(request) -> CitizenAccount | None:
    """The signed-in citizen, or None; cached on the request."""
    if not hasattr(request, "_portal_citizen"):
        pk = request.session.get(SESSION_KEY)
        request._portal_citizen = CitizenAccount.objects.filter(pk=pk, is_active=True).first() if pk else None
    return request._portal_citizen


def client_address(request) -> str:
    """The address rate limits count against: the IPv4 address, or the /64 network of an IPv6 one (a
    single subscriber gets a whole /64, so counting full addresses would let him rotate through them)."""
    import ipaddress

    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64] or "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def context(request) -> dict:
    """Template context processor: `citizen` on every page."""
    return {"citizen": current_citizen(request)}
