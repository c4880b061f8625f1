"""Local stand-ins for outside services, speaking their protocols, for demos and tests: the population
service and a DVCQG-compatible receiver. Served under /lien-thong/ only when MOTCUA_LOCAL_RECEIVERS is on."""

import json
import re
from collections import Counter

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

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


# ---------------------------------------------------------------- DVCQG-compatible receiver

DATE_RE = re.compile(r"^\d{14}$")
REQUIRED = ("MaHoSo", "MaTTHC", "KenhThucHien", "ChuHoSo", "TrangThaiHoSo", "NgayNopHoSo")
# Tests make the receiver fail on purpose: the number of coming requests answered 503.
FAILURES = {"next": 0}
# Calls per operation (add, update, progress), so tests can see how many requests a sync took.
CALLS = Counter()


def _problems(payload: dict) -> list[str]:
    problems = [f"thiếu {k}" for k in REQUIRED if not payload.get(k)]
    if payload.get("KenhThucHien") not in ("1", "2", "3"):
        problems.append("KenhThucHien phải là 1, 2 hoặc 3")
    if payload.get("TrangThaiHoSo") not in [str(i) for i in range(1, 11)]:
        problems.append("TrangThaiHoSo phải từ 1 đến 10")
    for key, value in payload.items():
        if key.startswith("Ngay") and value and not DATE_RE.match(value):
            problems.append(f"{key} phải có dạng yyyyMMddHHmmss")
    return problems


def _receive(request, handle):
    if not settings.MOTCUA_LOCAL_RECEIVERS:
        raise Http404
    CALLS[handle.__name__.strip("_")] += 1
    if FAILURES["next"] > 0:
        FAILURES["next"] -= 1
        return HttpResponse(status=503)
    token = settings.MOTCUA_DVCQG_TOKEN
    if token and request.headers.get("Authorization") != f"Bearer {token}":
        return JsonResponse({"error_code": "-1", "message": "Sai khóa truy cập"}, status=401)
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error_code": "-2", "message": "Không phải JSON hợp lệ"}, status=400)
    return JsonResponse(handle(body), json_dumps_params={"ensure_ascii": False})


def _add(body):
    from .models import ReceivedDossier

    problems = _problems(body) if isinstance(body, dict) else ["không phải đối tượng"]
    if problems:
        return {"error_code": "-2", "message": "; ".join(problems)}
    # get_or_create: two adds of one dossier at the same moment give one row and one "already exists".
    _, created = ReceivedDossier.objects.get_or_create(code=body["MaHoSo"], defaults={"payload": body})
    if not created:
        return {"error_code": "-3", "message": "Hồ sơ đã tồn tại"}
    return {"error_code": "0", "message": "Thành công"}


def _update(body):
    from django.db.models import F

    from .models import ReceivedDossier

    problems = _problems(body) if isinstance(body, dict) else ["không phải đối tượng"]
    if problems:
        return {"error_code": "-2", "message": "; ".join(problems)}
    changed = ReceivedDossier.objects.filter(code=body["MaHoSo"]).update(payload=body, updates=F("updates") + 1)
    return {"error_code": "0", "message": "Thành công"} if changed else {"error_code": "-4", "message": "Chưa có hồ sơ"}


def _progress(rows):
    from .models import ReceivedProgress

    if not isinstance(rows, list) or not 0 < len(rows) <= 10:
        return {"error_code": "-2", "message": "Gửi từ 1 đến 10 dòng tiến trình mỗi lần"}
    for row in rows:
        if not row.get("MaHoSo") or row.get("TrangThai") not in [str(i) for i in range(1, 11)]:
            return {"error_code": "-2", "message": f"Dòng tiến trình không hợp lệ: {row}"}
        if not str(row.get("SoThuTu", "")).isdigit():
            return {"error_code": "-2", "message": f"SoThuTu phải là số: {row}"}
    # A resent row (the same dossier and number) is dropped: no duplicates on our side.
    ReceivedProgress.objects.bulk_create(
        [ReceivedProgress(code=row["MaHoSo"], seq=int(row["SoThuTu"]), payload=row) for row in rows],
        ignore_conflicts=True,
    )
    return {"error_code": "0", "message": "Thành công"}


@csrf_exempt
@require_POST
def dvcqg_add(request):
    return _receive(request, _add)


@csrf_exempt
@require_POST
def dvcqg_update(request):
    return _receive(request, _update)


@csrf_exempt
@require_POST
def dvcqg_progress(request):
    return _receive(request, _progress)


def sync_health(request):
    """For supervisors (and superusers): the national-portal sync backlog and failures, with a retry."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import render

    from motcua.dossiers.selectors import visible_dossiers
    from motcua.notify import outbox
    from motcua.notify.models import OutboxMessage
    from motcua.org.models import RoleAssignment

    from .dvcqg import health

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_superuser or RoleAssignment.objects.filter(user=request.user, role="supervisor").exists()):
        raise PermissionDenied("Trang này dành cho cán bộ giám sát.")
    dossiers = visible_dossiers(request.user)
    retried = None
    if request.method == "POST":
        retried = outbox.retry_now(OutboxMessage.objects.filter(channel="dvcqg", dossier__in=dossiers))
    return render(request, "integrations/sync_health.html", {"h": health(dossiers), "retried": retried})

