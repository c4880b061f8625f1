"""The Decision 766 index pages and the periodic 9 × 2 evaluation: units ranked, one unit's indicators
with their formulas and the dossiers behind each count, and the supervisors' entry forms with the audit
trail. Thin: computing lives in index766, entering in services."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.org.models import Agency

from . import index766
from . import services as entry
from .models import EvaluationScore


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _staff(view):
    """Staff with a role somewhere (or superusers); anonymous users go to sign in, others get 403."""
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not index766.can_view(request.user):
            return render(request, "desk/no_role.html",
                          {"needed": _("Cán bộ, công chức có vai trò tại một đơn vị")}, status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _dossiers_url() -> str | None:
    """The dossier list page, if this installation has it."""
    try:
        return reverse("reports:dossiers")
    except NoReverseMatch:
        return None


def _picker(params) -> dict:
    """What the period form shows back."""
    return {key: (params.get(key) or "").strip() for key in ("from", "to", "year", "quarter", "month")}


def _period_or_error(request, template: str, extra=None):
    try:
        return index766.parse_period(request.GET), None
    except ValueError as exc:
        context = {"errors": [str(exc)], "picker": _picker(request.GET), "years": _years(), "quarters": QUARTERS,
                   "months": MONTHS} | (extra or {})
        return None, render(request, template, context, status=400)


QUARTERS = [("1", "I"), ("2", "II"), ("3", "III"), ("4", "IV")]
MONTHS = [str(m) for m in range(1, 13)]


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, 2021, -1))


def _links(unit: index766.UnitIndex, start: date, end: date) -> None:
    """Attach to each indicator (and part) the address of the dossiers behind its numerator."""
    base = _dossiers_url()
    for i in unit.indicators:
        for item in [i] + list(i.parts):
            item.href = ""
            if base and item.figure and unit.agency is not None and item.numerator:
                query = {"figure": item.figure, "from": _dmy(start), "to": _dmy(end), "agency": unit.agency.pk}
                if item.measures:
                    query["measures"] = ",".join(item.measures)
                item.href = base + "?" + urlencode(query)


# ---------------------------------------------------------------- the ranked table


@_staff
@require_GET
def index_page(request):
    period, error = _period_or_error(request, "reports/index766.html")
    if error:
        return error
    start, end = period
    table = index766.index_table(request.user, start, end)
    return render(request, "reports/index766.html", {
        "table": table, "picker": _picker(request.GET), "years": _years(), "quarters": QUARTERS, "months": MONTHS,
        "period_query": urlencode({"from": _dmy(start), "to": _dmy(end)}),
        "groups": index766.GROUPS, "may_enter": bool(entry.entry_agencies(request.user)),
    })


@_staff
@require_GET
def unit_page(request, agency_id: int):
    period, error = _period_or_error(request, "reports/index766_unit.html")
    if error:
        return error
    start, end = period
    try:
        table, unit = index766.unit_index(request.user, agency_id, start, end)
    except Agency.DoesNotExist:
        raise Http404(_("Không có đơn vị này.")) from None
    except PermissionError as exc:
        return render(request, "reports/index766_unit.html", {"errors": [str(exc)], "picker": _picker(request.GET),
                                                              "years": _years(), "quarters": QUARTERS,
                                                              "months": MONTHS}, status=403)
    _links(unit, start, end)
    return render(request, "reports/index766_unit.html", {
        "table": table, "unit": unit, "picker": _picker(request.GET), "years": _years(), "quarters": QUARTERS,
        "months": MONTHS,
        "period_query": urlencode({"from": _dmy(start), "to": _dmy(end)}),
        "history": index766.input_history(agency_id, start, end),
        "may_enter": entry.can_enter(request.user, unit.agency),
        "unverified": index766.UNVERIFIED,
    })


# ---------------------------------------------------------------- supervisors' 766 figures


def _input_context(request, agencies, values, errors=None):
    agency_id = values.get("agency")
    chosen = next((a for a in agencies if str(a.pk) == str(agency_id)), None)
    history = []
    if chosen is not None:
        today = timezone.localdate()
        history = index766.input_history(chosen.pk, date(today.year - 1, 1, 1), today)
    return {"agencies": agencies, "values": values, "errors": errors or [], "chosen": chosen, "history": history,
            "indicators": entry.indicator_choices()}


@_staff
@require_http_methods(["GET", "POST"])
def input_page(request):
    agencies = entry.entry_agencies(request.user)
    if not agencies:
        return render(request, "desk/no_role.html", {"needed": _("Giám sát, theo dõi (cơ quan cấp trên)")}, status=403)
    if request.method == "GET":
        values = {"agency": request.GET.get("agency", ""), "indicator": request.GET.get("indicator", ""),
                  "month": request.GET.get("month") or timezone.localdate().strftime("%m/%Y")}
        return render(request, "reports/index766_input.html", _input_context(request, agencies, values))
    values = {k: request.POST.get(k, "").strip() for k in ("agency", "indicator", "month", "numerator", "denominator", "note")}
    try:
        row = entry.enter_index_input(
            request.user, agency=values["agency"], indicator=values["indicator"], month=values["month"],
            numerator=values["numerator"], denominator=values["denominator"], note=values["note"],
        )
    except entry.InputError as exc:
        return render(request, "reports/index766_input.html",
                      _input_context(request, agencies, values, [exc.message]), status=400)
    except PermissionDenied as exc:
        return render(request, "reports/index766_input.html",
                      _input_context(request, agencies, values, [str(exc)]), status=403)
    messages.success(request, _("Đã lưu chỉ số %(code)s tháng %(month)s của %(unit)s: %(n)s/%(d)s.") % {
        "code": row.indicator, "month": row.month.strftime("%m/%Y"), "unit": row.agency.name,
        "n": row.numerator, "d": row.denominator})
    return redirect(reverse("reports:index766-input") + "?" + urlencode({"agency": row.agency_id}))


# ---------------------------------------------------------------- the periodic evaluation


def _evaluation_period(params) -> tuple[int, int]:
    today = timezone.localdate()
    year_text = (params.get("year") or str(today.year)).strip()
    quarter_text = (params.get("quarter") or "0").strip()
    if not year_text.isdigit() or not 2000 <= int(year_text) <= today.year:
        raise ValueError(f"Năm phải là số từ 2000 đến {today.year}.")
    if quarter_text not in ("0", "1", "2", "3", "4"):
        raise ValueError("Quý phải từ 1 đến 4 (hoặc cả năm).")
    year, quarter = int(year_text), int(quarter_text)
    if quarter and index766.quarter_bounds(year, quarter)[0] > today:
        raise ValueError(f"Quý {quarter}/{year} chưa bắt đầu; chưa có số liệu.")
    return year, quarter


def _evaluation_response(request, params, *, errors=None, status=200, form_values=None):
    base = {"years": _years(), "picker": {"year": params.get("year", ""), "quarter": params.get("quarter", "")},
            "indices": index766.EVALUATION_INDICES, "computed": index766.COMPUTED_INDICES}
    try:
        year, quarter = _evaluation_period(params)
    except ValueError as exc:
        return render(request, "reports/evaluation.html", base | {"errors": [str(exc)]}, status=400)
    agency_id = params.get("agency") or None
    if agency_id is not None:
        if not str(agency_id).isdigit() or not Agency.objects.filter(pk=agency_id).exists():
            return render(request, "reports/evaluation.html",
                          base | {"errors": [_("Không tìm thấy đơn vị đã chọn.")]}, status=400)
        agency_id = int(agency_id)
    try:
        table = index766.evaluation_table(request.user, year, quarter)
        detail = index766.evaluation_table(request.user, year, quarter, agency_id=agency_id) if agency_id else None
    except PermissionError as exc:
        return render(request, "reports/evaluation.html", base | {"errors": [str(exc)]}, status=403)
    unit = detail.units[0] if detail and detail.units else None
    context = base | {"table": table, "year": year, "quarter": quarter, "unit": unit, "errors": errors or [],
                      "values": form_values or {}}
    if unit is not None:
        rank = next((u.rank for u in table.units if u.agency.pk == unit.agency.pk), None)
        unit.rank = rank
        context["history"] = index766.evaluation_history(unit.agency.pk, year, quarter)
        context["may_self"] = entry.can_enter(request.user, unit.agency, own_unit=True)
        context["may_appraise"] = entry.can_enter(request.user, unit.agency)
        context["kinds"] = [(k, label) for k, label in EvaluationScore.Kind.choices
                            if (k == "self" and context["may_self"]) or (k == "appraised" and context["may_appraise"])]
        context["input_indices"] = [(n, name) for n, name in index766.EVALUATION_INDICES
                                    if n not in index766.COMPUTED_INDICES]
    return render(request, "reports/evaluation.html", context, status=status)


@_staff
@require_GET
def evaluation_page(request):
    return _evaluation_response(request, request.GET)


@_staff
@require_POST
def evaluation_input(request):
    values = {k: request.POST.get(k, "").strip() for k in ("agency", "year", "quarter", "index", "kind", "score", "note")}
    params = {"year": values["year"], "quarter": values["quarter"], "agency": values["agency"]}
    try:
        row = entry.enter_evaluation_score(
            request.user, agency=values["agency"], year=values["year"], quarter=values["quarter"],
            index=values["index"], kind=values["kind"], score=values["score"], note=values["note"],
        )
    except entry.InputError as exc:
        return _evaluation_response(request, params, errors=[exc.message], status=400, form_values=values)
    except PermissionDenied as exc:
        return _evaluation_response(request, params, errors=[str(exc)], status=403, form_values=values)
    messages.success(request, _("Đã lưu %(kind)s chỉ số %(index)s: %(score)s điểm.") % {
        "kind": row.get_kind_display().lower(), "index": row.index, "score": str(row.score).replace(".", ",")})
    return redirect(reverse("reports:evaluation") + "?" + urlencode(
        {"year": row.year, "quarter": row.quarter, "agency": row.agency_id}))


urlpatterns = [
    path("bao-cao/chi-so-766/", index_page, name="index766"),
    path("bao-cao/chi-so-766/don-vi/<int:agency_id>/", unit_page, name="index766-unit"),
    path("bao-cao/chi-so-766/nhap-so-lieu/", input_page, name="index766-input"),
    path("bao-cao/danh-gia-dinh-ky/", evaluation_page, name="evaluation"),
    path("bao-cao/danh-gia-dinh-ky/nhap-diem/", evaluation_input, name="evaluation-input"),
]
