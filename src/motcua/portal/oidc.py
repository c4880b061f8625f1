"""OpenID Connect client for a national identity provider (VNeID-style): the authorization-code flow with
state and nonce, the token exchange and ID-token validation (signature against the provider's published
keys, issuer, audience, expiry, nonce, azp and at_hash).

Off unless configured. Settings, all read with a default of "" (nothing to add to settings.py for an
installation that does not use it; put them in the environment / .env and settings):

- MOTCUA_OIDC_ISSUER: the provider's issuer URL; its discovery document is read from
  {issuer}/.well-known/openid-configuration.
- MOTCUA_OIDC_CLIENT_ID, MOTCUA_OIDC_CLIENT_SECRET: this portal's registration with the provider.
- MOTCUA_OIDC_REDIRECT_URI: the callback registered with the provider; empty means this site's
  /cong-dan/dinh-danh/ve/ as the browser reached it.
- MOTCUA_OIDC_ID_CLAIM (optional, default "personal_id"): the ID-token claim holding the 12-digit
  personal identification number. MOTCUA_OIDC_SCOPES (optional, default "openid profile phone").

The protocol pieces come from authlib (claims rules of OpenID Connect Core) and joserfc (JWS, JWK), which
authlib installs; HTTP is the standard library's, with MOTCUA_HTTP_TIMEOUT.
"""

import base64
import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

log = logging.getLogger(__name__)

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]
LEEWAY_SECONDS = 60
CACHE_SECONDS = 3600


class OidcError(Exception):
    """The sign-in through the provider cannot finish. `message` is Vietnamese; `status` is 400 when the
    browser brought something wrong (state, code, a refusal at the provider), 502 when the provider did."""

    def __init__(self, message: str, *, status: int = 400, detail: str = ""):
        super().__init__(detail or message)
        self.message = message
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    id_claim: str
    scopes: str


def config() -> Config | None:
    """The provider's settings, or None when sign-in through it is not configured."""
    issuer = getattr(settings, "MOTCUA_OIDC_ISSUER", "") or ""
    client_id = getattr(settings, "MOTCUA_OIDC_CLIENT_ID", "") or ""
    if not issuer or not client_id:
        return None
    return Config(
        issuer=issuer,
        client_id=client_id,
        client_secret=getattr(settings, "MOTCUA_OIDC_CLIENT_SECRET", "") or "",
        redirect_uri=getattr(settings, "MOTCUA_OIDC_REDIRECT_URI", "") or "",
        id_claim=getattr(settings, "MOTCUA_OIDC_ID_CLAIM", "") or "personal_id",
        scopes=getattr(settings, "MOTCUA_OIDC_SCOPES", "") or "openid profile phone",
    )


# --------------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------------

UNAVAILABLE = "Không kết nối được với hệ thống định danh điện tử lúc này; hãy thử lại sau ít phút, hoặc đăng nhập bằng số định danh và mật khẩu."


def _timeout() -> float:
    return float(getattr(settings, "MOTCUA_HTTP_TIMEOUT", 10))


def _read_json(request: urllib.request.Request, what: str) -> dict:
    try:
        with urllib.request.urlopen(request, timeout=_timeout()) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()[:500].decode("utf-8", "replace")
        if what == "token" and 400 <= exc.code < 500:
            # invalid_grant and friends: an old, reused or forged code from the browser.
            raise OidcError(
                _("Mã cấp quyền từ hệ thống định danh điện tử không còn dùng được; hãy đăng nhập lại."),
                detail=f"token endpoint {exc.code}: {body}",
            ) from exc
        raise OidcError(_(UNAVAILABLE), status=502, detail=f"{what}: HTTP {exc.code} {body}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise OidcError(_(UNAVAILABLE), status=502, detail=f"{what}: {exc}") from exc
    if not isinstance(data, dict):
        raise OidcError(_(UNAVAILABLE), status=502, detail=f"{what}: not a JSON object")
    return data


_cache: dict[str, tuple[float, dict]] = {}
_cache_lock = threading.Lock()


def _cached_json(url: str, what: str, *, fresh: bool = False) -> dict:
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(url)
    if hit and not fresh and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    data = _read_json(urllib.request.Request(url, headers={"Accept": "application/json"}), what)
    with _cache_lock:
        _cache[url] = (now, data)
    return data


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def discover(cfg: Config) -> dict:
    """The provider's discovery document; its issuer must be the configured one (OIDC Discovery §4.3)."""
    document = _cached_json(f"{cfg.issuer.rstrip('/')}/.well-known/openid-configuration", "discovery")
    if document.get("issuer") != cfg.issuer:
        raise OidcError(_(UNAVAILABLE), status=502, detail=f"discovery issuer {document.get('issuer')!r}")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(name):
            raise OidcError(_(UNAVAILABLE), status=502, detail=f"discovery lacks {name}")
    return document


# --------------------------------------------------------------------------------------------------
# The flow
# --------------------------------------------------------------------------------------------------


def authorization_url(cfg: Config, *, state: str, nonce: str, redirect_uri: str) -> str:
    document = discover(cfg)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": cfg.client_id,
            "redirect_uri": redirect_uri,
            "scope": cfg.scopes,
            "state": state,
            "nonce": nonce,
        }
    )
    endpoint = document["authorization_endpoint"]
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def exchange_code(cfg: Config, *, code: str, redirect_uri: str) -> dict:
    """Trade the authorization code for tokens at the token endpoint (client_secret_basic unless the
    provider only takes client_secret_post)."""
    document = discover(cfg)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    if "client_secret_basic" in methods:
        pair = f"{urllib.parse.quote(cfg.client_id, safe='')}:{urllib.parse.quote(cfg.client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form |= {"client_id": cfg.client_id, "client_secret": cfg.client_secret}
    request = urllib.request.Request(
        document["token_endpoint"], data=urllib.parse.urlencode(form).encode(), headers=headers, method="POST"
    )
    tokens = _read_json(request, "token")
    if not tokens.get("id_token"):
        raise OidcError(_(UNAVAILABLE), status=502, detail="token response without id_token")
    return tokens


def _keys(cfg: Config, *, fresh: bool = False) -> KeySet:
    jwks = _cached_json(discover(cfg)["jwks_uri"], "jwks", fresh=fresh)
    try:
        return KeySet.import_key_set(jwks)
    except (JoseError, ValueError, KeyError, TypeError) as exc:
        raise OidcError(_(UNAVAILABLE), status=502, detail=f"jwks: {exc}") from exc


def validate_id_token(cfg: Config, id_token: str, *, nonce: str, access_token: str = "", now: int | None = None) -> dict:
    """The ID token's claims, after checking its signature with the provider's keys (fetched again once
    when the key id is unknown: the provider rotated its keys) and the OIDC Core rules for the code flow."""
    bad = _("Hệ thống định danh điện tử trả về thông tin không hợp lệ; hãy đăng nhập lại.")
    token = None
    for fresh in (False, True):
        try:
            token = jwt.decode(id_token, _keys(cfg, fresh=fresh), algorithms=ALGORITHMS)
            break
        except InvalidKeyIdError as exc:  # no key with this kid: maybe rotated, so read the keys once more
            if fresh:
                raise OidcError(bad, detail=f"id_token key: {exc}") from exc
        except JoseError as exc:
            raise OidcError(bad, detail=f"id_token signature: {exc}") from exc
    claims = CodeIDToken(
        token.claims,
        token.header,
        options={"iss": {"essential": True, "value": cfg.issuer}, "aud": {"essential": True, "value": cfg.client_id}},
        params={"nonce": nonce, "client_id": cfg.client_id, "access_token": access_token},
    )
    try:
        claims.validate(now=now if now is not None else int(time.time()), leeway=LEEWAY_SECONDS)
    except JoseError as exc:
        raise OidcError(bad, detail=f"id_token claims: {exc}") from exc
    if "nonce" not in claims:  # we always send one, so the token must carry it back
        raise OidcError(bad, detail="id_token without nonce")
    return dict(claims)
