"""The citizen's return from the payment platform, and the sandbox gateway that plays the platform
(its pages and its INIT/CHECK API) in demos and tests, switched off with MOTCUA_LOCAL_RECEIVERS."""

import json
import secrets

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import protocol, services
from .models import SandboxTransaction


@require_GET
def payment_return(request):
    """Where the platform sends the citizen back: the result is checked and recorded, then shown. An
    address that keeps sending refused results is stopped before anything more is written."""
    from motcua.feedback.services import record_failure, too_many_failures
    from motcua.portal.identity import client_address

    client = client_address(request)
    if too_many_failures("payment", client):
        return render(request, "payments/result.html",
                      {"refused": _("Có quá nhiều kết quả thanh toán không hợp lệ từ địa chỉ mạng này; "
                                    "hãy thử lại sau ít phút.")}, status=429)
    try:
        payment = services.record_return(request.GET.dict(), remote_addr=request.META.get("REMOTE_ADDR"))
    except services.PaymentRefused as exc:
        record_failure("payment", client)
        return render(request, "payments/result.html", {"refused": str(exc)}, status=400)
    return render(request, "payments/result.html", {"payment": payment})


def _sandbox_on():
    if not settings.MOTCUA_LOCAL_RECEIVERS:
        raise Http404


def _json(request):
    try:
        body = json.loads(request.body)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_POST
def sandbox_init(request):
    _sandbox_on()
    body = _json(request)
    if body is None:
        return JsonResponse({"error_code": "-2", "message": "Không phải JSON hợp lệ"}, status=400)
    if not protocol.is_signed(body, protocol.INIT_FIELDS, settings.MOTCUA_PAYMENT_SECRET):
        return JsonResponse({"error_code": "-1", "message": "Sai mã xác thực"})
    if not str(body.get("SoTien", "")).isdigit() or int(body["SoTien"]) <= 0 or not body.get("UrlTraVe"):
        return JsonResponse({"error_code": "-2", "message": "Thiếu số tiền hoặc địa chỉ trả về"})
    tx, _ = SandboxTransaction.objects.get_or_create(
        reference=body["MaThamChieu"],
        defaults={"amount": int(body["SoTien"]), "description": body.get("ThongTinGiaoDich", "")[:300],
                  "return_url": body["UrlTraVe"], "transaction_time": body.get("ThoiGianGD", "")},
    )
    url = request.build_absolute_uri(f"/thanh-toan/sandbox/pay/{tx.reference}")
    return JsonResponse({"error_code": "0", "message": "Thành công", "UrlThanhToan": url})


@csrf_exempt
@require_POST
def sandbox_check(request):
    _sandbox_on()
    body = _json(request)
    if body is None or not protocol.is_signed(body, protocol.CHECK_FIELDS, settings.MOTCUA_PAYMENT_SECRET):
        return JsonResponse({"error_code": "-1", "message": "Sai mã xác thực"})
    tx = SandboxTransaction.objects.filter(reference=body.get("MaThamChieu")).first()
    if tx is None:
        return JsonResponse({"error_code": "-4", "message": "Không có giao dịch"})
    code = {"thanh-cong": protocol.SUCCESS_BANK_CODE, "that-bai": "51"}.get(tx.state, "")
    return JsonResponse({"error_code": "0", "TrangThai": tx.state, "MaLoi": code, "MaGiaoDich": tx.transaction_id,
                         "SoTien": str(tx.amount)})


@csrf_exempt
@require_POST
def sandbox_receipt(request):
    """The sandbox's electronic receipt (biên lai điện tử) of a paid transaction, as PDF."""
    _sandbox_on()
    body = _json(request)
    if body is None or not protocol.is_signed(body, protocol.RECEIPT_FIELDS, settings.MOTCUA_PAYMENT_SECRET):
        return JsonResponse({"error_code": "-1", "message": "Sai mã xác thực"}, status=400)
    tx = SandboxTransaction.objects.filter(reference=body.get("MaThamChieu"), state="thanh-cong").first()
    if tx is None:
        return JsonResponse({"error_code": "-4", "message": "Không có giao dịch đã thanh toán"}, status=404)
    from motcua.printing.services import render_pdf

    pdf = render_pdf("payments/receipt.html", {"tx": tx, "partner": settings.MOTCUA_PAYMENT_PARTNER})
    return HttpResponse(pdf, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
def sandbox_pay(request, reference):
    """The sandbox's own payment page: the citizen chooses to pay or cancel, and is sent back signed."""
    _sandbox_on()
    tx = get_object_or_404(SandboxTransaction, reference=reference)
    if request.method == "GET" or tx.state != "khoi-tao":
        return render(request, "payments/sandbox_pay.html", {"tx": tx})
    paid = request.POST.get("outcome") == "pay"
    tx.state = "thanh-cong" if paid else "that-bai"
    tx.transaction_id = f"SB{timezone.localtime():%Y%m%d}{secrets.token_hex(4).upper()}"
    tx.save(update_fields=["state", "transaction_id"])
    if request.POST.get("no_return"):  # the citizen closes the page before coming back (tests the re-check)
        return render(request, "payments/sandbox_pay.html", {"tx": tx})
    result = protocol.signed({
        "MaThamChieu": tx.reference, "SoTien": str(tx.amount),
        "MaLoi": protocol.SUCCESS_BANK_CODE if paid else "51", "MaGiaoDich": tx.transaction_id,
        "ThoiGianGD": tx.transaction_time,
    }, protocol.RESULT_FIELDS, settings.MOTCUA_PAYMENT_SECRET)
    from urllib.parse import urlencode

    return redirect(f"{tx.return_url}?{urlencode(result)}")
