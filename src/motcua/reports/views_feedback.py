"""The head of unit's feedback and satisfaction measures: /bao-cao/phan-anh/.

For a period (dd/mm/yyyy, this month by default), over the units the user may report on: how feedback
(PAKN) was handled (on time, late, open, satisfied, re-raised; 766 indicators 5.2 and 5.3), the dossier
ratings by unit and by procedure with the share of "Không hài lòng" (from the fact table), and the
dossiers and officers that drew the most complaints. Counting rules live in feedback/selectors.py and
reports/selectors.py; this page only parses the period and shows them.
"""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.feedback import selectors as feedback_selectors
from motcua.feedback.models import Rating

from . import selectors
from .forms import PeriodMixin, current_month

LEVELS = [f"rated_{level}" for level in Rating.Level.values]  # very_satisfied, satisfied, dissatisfied


class PeriodForm(PeriodMixin, forms.Form):
    """?from=dd/mm/yyyy&to=dd/mm/yyyy; both empty: this month so far."""

    def __init__(self, data):
        super().__init__(data)
        self._add_period_fields()

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.clean_period(data)
        return data


@require_GET
def feedback_measures(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope = selectors.scope_ids(request.user)
    if scope == []:
        return render(request, "desk/no_role.html",
                      {"needed": _("Cán bộ, công chức có vai trò tại một đơn vị")}, status=403)
    query = {k: request.GET.get(k, "") for k in ("from", "to")}
    if not any(query.values()):
        start, end = current_month()
        query = {"from": start.strftime("%d/%m/%Y"), "to": end.strftime("%d/%m/%Y")}
    form = PeriodForm(query)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return render(request, "reports/feedback.html", {"form": form, "errors": errors}, status=400)
    start, end = form.start, form.end
    handling = feedback_selectors.handling_measures(start, end, agency_ids=scope)
    by_unit = feedback_selectors.ratings_by(start, end, scope, "agency")
    by_procedure = feedback_selectors.ratings_by(start, end, scope, "procedure")
    by_officer = feedback_selectors.ratings_by_officer(start, end, scope)
    return render(request, "reports/feedback.html", {
        "form": form, "start": start, "end": end, "m": handling,
        "by_unit": by_unit, "by_procedure": by_procedure,
        "by_officer": by_officer, "unit_total": feedback_selectors.total_row(by_unit),
        "procedure_total": feedback_selectors.total_row(by_procedure), "officer_total": feedback_selectors.total_row(by_officer),
        "complained": feedback_selectors.most_complained(start, end, agency_ids=scope),
    })


urlpatterns = [
    path("bao-cao/phan-anh/", feedback_measures, name="feedback"),
]
