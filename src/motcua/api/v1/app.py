"""The API object: Vietnamese JSON in local time, the two ways to authenticate (an API key, or an
officer's session held to the second factor), the rate limit, and the error answers operations declare."""

import logging
from datetime import datetime

from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, SessionAuth

from motcua.org import selectors as org_selectors
from motcua.org.middleware import ENROL_FIRST
from motcua.org.models import ApiToken

from .. import ratelimit, schemas, transport

logger = logging.getLogger("motcua.api.v1")  # the name it had before the package, for the log's readers


class LocalTimeEncoder(NinjaJSONEncoder):
    """Times in Vietnamese local time with their offset (2026-11-16T08:00:00+07:00), not UTC."""

    def default(self, o):
        if isinstance(o, datetime) and timezone.is_aware(o):
            o = timezone.localtime(o)
        return super().default(o)


class VietnameseJSONRenderer(JSONRenderer):
    # Readable Vietnamese in responses instead of \u escapes.
    encoder_class = LocalTimeEncoder
    json_dumps_params = {"ensure_ascii": False}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        request.user = found.user
        request.api_token = found  # the rate limit counts per key
        return found.user


class SessionWithSecondFactor(SessionAuth):
    """A signed-in officer's session (the desk's own pages call the API), held to the same second factor
    as the pages: a head not yet enrolled in two-step sign-in gets 403 here as he is sent to enrolment
    there. API keys (TokenAuth) are unchanged."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user and org_selectors.second_factor_missing(request):
            raise HttpError(403, str(ENROL_FIRST))
        return user


class MotcuaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """motcua_api_v1_<function>, as before v1 became a package, whichever of its modules defines the
        operation: the ids integrators' generated clients know."""
        module = operation.view_func.__module__
        if module.startswith("motcua.api.v1."):
            module = "motcua.api.v1"
        return (module + "_" + operation.view_func.__name__).replace(".", "_")


api = MotcuaAPI(
    title="motcua API",
    version="1",
    description="Hồ sơ thủ tục hành chính: danh mục thủ tục, tạo hồ sơ, chuyển trạng thái. Xem docs/api.md.",
    urls_namespace="api-v1",
    renderer=VietnameseJSONRenderer(),
    auth=[TokenAuth(), SessionWithSecondFactor()],
    throttle=[ratelimit.ApiRateLimit()],
    parser=transport.JsonBodyParser(),  # a body not declared as JSON is refused (415), not guessed
)


def refusals(*statuses: int, public: bool = False, body: bool = False) -> dict:
    """The error answers an operation declares: those given, plus 400 (a NUL character, see refuse_nul),
    422 (query or body not matching the schema), 429 (rate limit) and 503 (the database briefly out of
    reach, with Retry-After) everywhere, 401 where a key is needed, and 413 (too large) and 415 (not
    JSON) where a JSON body is taken (see transport.py)."""
    extra = (() if public else (401,)) + ((413, 415) if body else ())
    return {s: schemas.ErrorOut for s in sorted({*statuses, 400, 422, 429, 503, *extra})}


ERRORS = refusals(400, 401, 403, 404, 409, body=True)  # the operations that take a JSON body


def _error(request, status, detail, code, field=None, errors=None):
    body = {"detail": detail, "code": code, "field": field}
    if errors is not None:
        body["errors"] = errors
    return api.create_response(request, body, status=status)
