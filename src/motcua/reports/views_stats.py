"""Statistics pages: the table of figures by unit, field or procedure; the dossiers behind a figure;
online-share targets; charts drawn on the server as SVG.

The table page reads only selectors.statistics (the fact table); the charts have their own addresses so
they never slow the table down. Views stay thin: counting rules live in selectors, chart data in series,
drawing in charts.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.catalog.models import Field, Procedure
from motcua.dossiers.models import Dossier
from motcua.org.models import Agency

from . import charts, selectors, series
from .forms import DossiersForm, OnlineTargetForm, StatisticsForm, current_month, target_agencies
from .models import OnlineTarget

PAGE_SIZE = 50
CHARTS = ("hoat-dong", "dung-han", "kenh", "truc-tuyen")
GROUP_PARAM = {"agency": "agency", "field": "field", "procedure": "procedure"}


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


def _no_role(request):
    return render(request, "desk/no_role.html", {"needed": _("Cán bộ, công chức có vai trò tại một đơn vị")}, status=403)


def _signed_in(view):
    """Staff with a role somewhere (or superusers); others are sent to sign in or refused."""
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if selectors.scope_ids(request.user) == []:
            return _no_role(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _form_errors(form) -> list[str]:
    return [str(e) for errors in form.errors.values() for e in errors]


def _text(value) -> str:
    return charts.number(value)


def _period_query(form) -> dict:
    """The chosen period and filters as query parameters (dates as dd/mm/yyyy)."""
    data = form.cleaned_data
    query = {"from": _dmy(form.start), "to": _dmy(form.end)}
    if data.get("group") and data["group"] != "agency":
        query["group"] = data["group"]
    if data.get("agency"):
        query["agency"] = data["agency"]
    if data.get("field"):
        query["field"] = data["field"]
    return query


# ---------------------------------------------------------------- the statistics table


def _cells(figures: dict, drill: dict) -> list[dict]:
    """One cell per figure: its text, the link to the dossiers behind it, a class when below target."""
    out = []
    target = figures.get("online_target")
    # One reverse and one urlencode per row, not per cell: a province's table has thousands of links.
    behind = reverse("reports:dossiers") + "?figure={}&" + urlencode(drill)
    for key, _label, listed in selectors.FIGURES:
        value = figures.get(key)
        cell = {"key": key, "text": _text(value), "href": "", "below": False}
        if listed and value:
            cell["href"] = behind.format(key)
        if key == "online_share" and value is not None and target is not None and value < target:
            cell["below"] = True
        out.append(cell)
    return out


@_signed_in
@require_GET
def statistics(request):
    form = StatisticsForm(request.GET or None, user=request.user)
    if request.GET and not form.is_valid():
        return render(request, "reports/statistics.html", {"form": form, "errors": _form_errors(form)}, status=400)
    if not request.GET:
        start, end = current_month()
        form = StatisticsForm({"from": _dmy(start), "to": _dmy(end)}, user=request.user)
        form.is_valid()
    data = form.cleaned_data
    report = selectors.statistics(request.user, form.start, form.end, group_by=data["group"],
                                  agency_id=data.get("agency"), field_id=data.get("field"))
    base = {"from": _dmy(form.start), "to": _dmy(form.end)}
    if data.get("agency"):
        base["agency"] = data["agency"]
    if data.get("field"):
        base["field"] = data["field"]
    rows = [
        {"label": row.label, "cells": _cells(row.figures, base | {GROUP_PARAM[data["group"]]: row.key}),
         "below": _below(row.figures)}
        for row in report["rows"]
    ]
    query = urlencode(_period_query(form))
    return render(request, "reports/statistics.html", {
        "form": form, "report": report, "rows": rows, "total": _cells(report["total"], base),
        "headers": [label for _key, label, _listed in selectors.FIGURES],
        "group_label": dict(form.fields["group"].choices)[data["group"]],
        "charts_url": reverse("reports:charts") + "?" + query,
        "perms_targets": target_agencies(request.user).exists(),
    })


def _below(figures) -> bool:
    share, target = figures.get("online_share"), figures.get("online_target")
    return share is not None and target is not None and share < target


# ---------------------------------------------------------------- the dossiers behind a figure


@_signed_in
@require_GET
def dossiers(request):
    form = DossiersForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "reports/dossiers.html", {"errors": _form_errors(form)}, status=400)
    data = form.cleaned_data
    figure, measures = data["figure"], data["measures"] or None
    context = {
        "figure_label": selectors.FIGURE_LABELS[figure], "measures": measures,
        "start": form.start, "end": form.end,
        "agency": Agency.objects.filter(pk=data["agency"]).first() if data["agency"] else None,
        "procedure": Procedure.objects.filter(pk=data["procedure"]).first() if data["procedure"] else None,
        "field": Field.objects.filter(pk=data["field"]).first() if data["field"] else None,
    }
    try:
        ids = selectors.dossiers_behind(request.user, figure, form.start, form.end, agency_id=data["agency"],
                                        procedure_id=data["procedure"], field_id=data["field"], measures=measures)
    except selectors.TooMany as too_many:
        return render(request, "reports/dossiers.html", context | {"too_many": str(too_many)})
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    found = Dossier.objects.filter(pk__in=list(page.object_list)).select_related("procedure_version__procedure")
    by_id = {d.pk: d for d in found}
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/dossiers.html", context | {"page": page, "count": len(ids), "query": query.urlencode()})


# ---------------------------------------------------------------- online-share targets


@_signed_in
@require_http_methods(["GET", "POST"])
def targets(request):
    agencies = list(target_agencies(request.user).select_related("online_target").order_by("name"))
    if not agencies:
        return render(request, "desk/no_role.html", {"needed": _("Quản trị đơn vị hoặc Giám sát, theo dõi")}, status=403)
    error_form = None
    if request.method == "POST":
        form = OnlineTargetForm(request.POST, user=request.user)
        if form.is_valid():
            target = form.save()
            messages.success(request, _("Đã lưu chỉ tiêu %(percent)s %% cho %(agency)s.")
                             % {"percent": target.percent, "agency": target.agency.name})
            return redirect("reports:targets")
        error_form = form
    rows = []
    for agency in agencies:
        try:
            own = agency.online_target
        except OnlineTarget.DoesNotExist:
            own = None
        default = selectors.DEFAULT_TARGETS.get(agency.kind)
        form = error_form if error_form is not None and request.POST.get("agency") == str(agency.pk) else \
            OnlineTargetForm(user=request.user, initial={"agency": agency.pk, "percent": selectors.online_target(agency)})
        rows.append({"agency": agency, "own": own, "default": default, "form": form,
                     "errors": _form_errors(form) if form is error_form else []})
    status = 400 if error_form is not None else 200
    general = _form_errors(error_form) if error_form is not None and not any(r["errors"] for r in rows) else []
    return render(request, "reports/targets.html", {"rows": rows, "general_errors": general}, status=status)


# ---------------------------------------------------------------- charts


def _chart_data(request):
    """(form, None) when the query is valid; (form, errors) when not."""
    form = StatisticsForm(request.GET or {}, user=request.user)
    if not form.is_valid():
        return form, _form_errors(form)
    return form, None


def _draw(name: str, user, form) -> str:
    """One chart of the chosen period as SVG markup. Only the fact table is read."""
    data = form.cleaned_data
    agency_id, field_id = data.get("agency"), data.get("field")
    period = _("từ %(start)s đến %(end)s") % {"start": _dmy(form.start), "end": _dmy(form.end)}
    if name == "hoat-dong":
        scope = selectors.scope_ids(user)
        if agency_id is not None:
            scope = [agency_id]
        act = series.activity(form.start, form.end, agency_ids=scope, field_id=field_id)
        weekly = act.grain == "w"
        labels = [s.strftime("%d/%m") if weekly else s.strftime("%m/%Y") for s in act.starts]
        return charts.line_chart(
            name, _("Tiếp nhận và giải quyết theo tuần") if weekly else _("Tiếp nhận và giải quyết theo tháng"),
            period, labels, [(_("Tiếp nhận"), act.received), (_("Đã giải quyết"), act.finished)],
            x_caption=_("Tuần, tính từ thứ Hai") if weekly else _("Tháng"), y_caption=_("Số hồ sơ"),
        )
    report = selectors.statistics(user, form.start, form.end, group_by="agency", agency_id=agency_id, field_id=field_id)
    if name == "dung-han":
        return charts.bar_chart(name, _("Tỷ lệ đúng hạn theo đơn vị"), period, series.on_time_by_unit(report["rows"]),
                                unit="%", maximum=100, value_caption=_("Tỷ lệ đúng hạn (%)"))
    if name == "kenh":
        mix = series.channel_mix(report["total"]) if report["total"]["received"] else []
        return charts.bar_chart(name, _("Hồ sơ tiếp nhận theo kênh"), period, mix, value_caption=_("Số hồ sơ"))
    return charts.bar_chart(name, _("Tỷ lệ trực tuyến so với chỉ tiêu"), period, series.online_share_by_unit(report["rows"]),
                            unit="%", maximum=100, value_caption=_("Tỷ lệ trực tuyến (%)"), target_caption=_("Chỉ tiêu"))


@_signed_in
@require_GET
def charts_page(request):
    form, errors = _chart_data(request)
    if errors:
        return render(request, "reports/charts.html", {"form": form, "errors": errors}, status=400)
    drawn = [mark_safe(_draw(name, request.user, form)) for name in CHARTS]  # noqa: S308 (markup we drew and escaped)
    query = urlencode(_period_query(form))
    return render(request, "reports/charts.html", {
        "form": form, "start": form.start, "end": form.end,
        "statistics_url": reverse("reports:statistics") + "?" + query,
        "charts": [(svg, reverse("reports:chart", args=[name]) + "?" + query) for svg, name in zip(drawn, CHARTS, strict=True)],
    })


@_signed_in
@require_GET
def chart_svg(request, name):
    if name not in CHARTS:
        raise Http404(_("Không có biểu đồ này."))
    form, errors = _chart_data(request)
    if errors:
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(_draw(name, request.user, form), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("bao-cao/thong-ke/", statistics, name="statistics"),
    path("bao-cao/ho-so/", dossiers, name="dossiers"),
    path("bao-cao/chi-tieu-truc-tuyen/", targets, name="targets"),
    path("bao-cao/bieu-do/", charts_page, name="charts"),
    path("bao-cao/bieu-do/<slug:name>.svg", chart_svg, name="chart"),
]
