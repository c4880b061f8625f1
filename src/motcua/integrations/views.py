"""The local population service: the same protocol as the HTTP client expects, for demos and tests.
Served under /lien-thong/ only when MOTCUA_LOCAL_RECEIVERS is on."""

from django.conf import settings
from django.http import Http404, JsonResponse

from .population import LocalPopulationRegistry


def person(request, personal_id: str):
    if not settings.MOTCUA_LOCAL_RECEIVERS:
        raise Http404
    token = settings.MOTCUA_POPULATION_TOKEN
    if token and request.headers.get("Authorization") != f"Bearer {token}":
        return JsonResponse({"detail": "Sai khóa truy cập."}, status=401)
    found = LocalPopulationRegistry().lookup(personal_id)
    if found is None:
        return JsonResponse({"detail": "Không tìm thấy."}, status=404)
    return JsonResponse(found.as_json(), json_dumps_params={"ensure_ascii": False})
